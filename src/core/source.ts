/**
 * Where a requirement comes from: the vendor's public document, the section and sentence it rests on, and the
 * public code it rests on or follows. Each profile lists its documents once in `specs/<profile>/sources.ts`.
 * Kept apart from case.ts so that the listener and the CLI use it without loading Playwright.
 */

/**
 * A public document a profile's requirements rest on. Each profile lists its documents once, in
 * `specs/<profile>/sources.ts`; requirements refer to those objects rather than repeat them.
 */
export interface SourceDocument {
  /** The title as the vendor gives it, in the document's language. */
  title: string;
  /** Who wrote it: the vendor, or the project that maintains it. */
  publisher: string;
  /** Where anyone can read it. Absent only where no public copy exists: then `date` identifies the edition. */
  url?: string;
  /** The edition cited (the document's own "last updated" date), as YYYY-MM-DD. */
  date?: string;
  /** The document's language (BCP 47: zh, en, pt): quotes are in it. */
  language: string;
}

/** A file of public code (a vendor SDK or demo, an open-source implementation) at the commit that was read. */
export interface CodeReference {
  /** `owner/name` on GitHub. */
  repository: string;
  /** The file's path in the repository. */
  file: string;
  /** The commit read; absent only where the file could not be pinned. */
  commit?: string;
}

/**
 * Where a requirement comes from. `quote` is the sentence it rests on, in the document's language, with an
 * English `translation` when that language is not English. `code` is the public code it rests on, or, for an
 * interpretation, the code whose behaviour pushcheck follows.
 */
export interface Source {
  document: SourceDocument;
  /** The section of the document, as it is headed there. */
  section?: string;
  quote?: string;
  translation?: string;
  code?: CodeReference;
}

/** A source on one line: document, section and code, for terminals and text reports. */
export function citation(s: Source): string {
  const parts = [s.section ? `${s.document.title}, ${s.section}` : s.document.title];
  if (!s.document.url)
    parts[0] += ` (${s.document.publisher}${s.document.date ? `, ${s.document.date}` : ''})`;
  if (s.code)
    parts.push(`${s.code.repository} ${s.code.file}${s.code.commit ? `@${s.code.commit.slice(0, 8)}` : ''}`);
  return parts.join('; ');
}

/** The link to the code a source names: the file at its commit on GitHub. */
export function codeUrl(c: CodeReference): string {
  return `https://github.com/${c.repository}/blob/${c.commit ?? 'HEAD'}/${c.file}`;
}

/** A source as reports and `cases --json` carry it: the citation on one line, the links, the quote. */
export interface SourceFields {
  source: string;
  sourceUrl?: string;
  codeUrl?: string;
  quote?: string;
  translation?: string;
}

export function sourceFields(s: Source): SourceFields {
  return {
    source: citation(s),
    ...(s.document.url ? { sourceUrl: s.document.url } : {}),
    ...(s.code ? { codeUrl: codeUrl(s.code) } : {}),
    ...(s.quote ? { quote: s.quote } : {}),
    ...(s.translation ? { translation: s.translation } : {}),
  };
}
