/**
 * `npm run docs`: writes the generated blocks of the pages under docs/ from the requirement registries, so that a
 * page's case table is the registry's and never a copy kept by hand. A block is
 *
 *   <!-- generated: cases NAME -->
 *   …
 *   <!-- end generated -->
 *
 * where NAME is a profile (src/profiles.ts) or a grader of `pushcheck listen` (`onenet-sender`,
 * `controlid-device`); everything outside the blocks is written by hand. Every catalogue must have a block
 * somewhere: a profile without its page gets one, docs/profiles/NAME.md, with the block and a heading to write
 * prose under. `npm run docs -- --check` writes nothing and exits 1 naming each page that differs from what it
 * would write; tests/docs.test.ts runs the same check in `npm test`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import type { Registry } from '../src/core/case.ts';
import { PROFILES } from '../src/profiles.ts';
import { deviceRequirements } from '../specs/controlid/device-requirements.ts';
import { senderRequirements } from '../specs/onenet/sender-requirements.ts';

export const ROOT = join(import.meta.dirname, '..');
export const DOCS = join(ROOT, 'docs');

/** A registry with what the self-test knows of it: which faulty receivers (or senders, or devices) each case catches. */
export interface Catalogue {
  name: string;
  registry: Registry;
  /** Faulty variant name → the cases that catch it. */
  faulty: Readonly<Record<string, { caughtBy: readonly string[] }>>;
  /** The command that lists the faulty variants, for the line under the table. */
  faultyCommand: string;
}

/** Every catalogue a page must show: each profile's, then the graders' of `pushcheck listen`. */
export async function catalogues(): Promise<Catalogue[]> {
  const out: Catalogue[] = [];
  for (const [name, profile] of Object.entries(PROFILES)) {
    out.push({
      name,
      registry: profile.registry,
      faulty: await profile.faulty(),
      faultyCommand: `pushcheck serve ${name} --faulty help`,
    });
  }
  const [{ faultySenders }, { faultyDevices }] = await Promise.all([
    import('../mocks/onenet/faulty-senders.ts'),
    import('../mocks/controlid/faulty-devices.ts'),
  ]);
  out.push({
    name: 'onenet-sender',
    registry: senderRequirements,
    faulty: faultySenders,
    faultyCommand: 'pushcheck send onenet --faulty help',
  });
  out.push({
    name: 'controlid-device',
    registry: deviceRequirements,
    faulty: faultyDevices,
    faultyCommand: 'pushcheck send controlid --faulty help',
  });
  return out;
}

const BEGIN = /^<!-- generated: cases ([a-z0-9-]+) -->$/;
const END = '<!-- end generated -->';

/** A table cell: one line, no column break. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** A markdown link, with the brackets of the text escaped. */
function link(text: string, url: string): string {
  return `[${text.replace(/([[\]])/g, '\\$1')}](${url})`;
}

/** The body of a block: the counts, the table and its legend, from the registry alone. */
export function renderBlock(c: Catalogue): string {
  const entries = Object.entries(c.registry);
  const catchers = new Map<string, string[]>();
  for (const [variant, { caughtBy }] of Object.entries(c.faulty)) {
    for (const id of caughtBy) catchers.set(id, [...(catchers.get(id) ?? []), variant]);
  }
  const count = (level: string): number => entries.filter(([, r]) => r.level === level).length;
  const interpreted = entries.filter(([, r]) => r.interpreted).length;
  const rows = entries.map(([id, r]) => {
    const s = r.source;
    const where = s.section ? `${s.document.title}, ${s.section}` : s.document.title;
    let source = s.document.url
      ? link(where, s.document.url)
      : `${where} (${s.document.publisher}${s.document.date ? `, ${s.document.date}` : ''})`;
    if (s.code) {
      const commit = s.code.commit ?? 'HEAD';
      source += `; code: ${link(s.code.file.split('/').pop() ?? s.code.file, `https://github.com/${s.code.repository}/blob/${commit}/${s.code.file}`)}`;
    }
    const caught = (catchers.get(id) ?? []).map((v) => `\`${v}\``).join(', ') || '—';
    return `| \`${id}\` | ${r.level}${r.interpreted ? '\\*' : ''} | ${cell(r.title)} | ${cell(source)} | ${caught} |`;
  });
  const levels = (['MUST', 'SHOULD', 'MAY'] as const)
    .map((level) => [level, count(level)] as const)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`);
  const variants = Object.keys(c.faulty).length;
  return [
    `${entries.length} ${entries.length === 1 ? 'case' : 'cases'}: ${levels.join(', ')}` +
      (interpreted
        ? `; ${interpreted} interpreted (\\*: the documents are silent, so pushcheck decides, and grades it no higher than SHOULD).`
        : '.'),
    '',
    '| case | level | the system under test… | source | caught by (faulty variant) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `The last column names the faulty variants the self-test shows each case catching (${variants} in all;` +
      ` \`${c.faultyCommand}\` lists them).`,
  ].join('\n');
}

/** `text` with each block's body rewritten; throws on a block that names no catalogue or is never closed. */
export function fillBlocks(text: string, byName: ReadonlyMap<string, Catalogue>, file: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    out.push(line);
    const name = BEGIN.exec(line)?.[1];
    if (name === undefined) continue;
    const catalogue = byName.get(name);
    if (!catalogue) throw new Error(`${file}: the block "${name}" names no profile or grader; fix its name.`);
    let end = i + 1;
    while (end < lines.length && lines[end] !== END) end++;
    if (end === lines.length) throw new Error(`${file}: the block "${name}" has no "${END}" line; add it.`);
    out.push('', renderBlock(catalogue), '', END);
    i = end;
  }
  return out.join('\n');
}

/** The names of the blocks a page holds. */
export function blocksOf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => BEGIN.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

/** A page as `npm run docs` writes it: blocks filled, then formatted as `prettier --check .` wants it. */
export async function renderPage(
  text: string,
  byName: ReadonlyMap<string, Catalogue>,
  file: string,
): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(fillBlocks(text, byName, file), { ...options, filepath: file });
}

/** A new profile's page: the generated table under a heading, prose to be written around it. */
export function newPage(name: string): string {
  return `# The \`${name}\` profile\n\n## The cases\n\n<!-- generated: cases ${name} -->\n${END}\n`;
}

/** The markdown files under `dir`, as absolute paths. */
function pages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * What `npm run docs` would change: each page's path with its new text (only those that differ), and the problems
 * no rewrite fixes. With `docs` another folder (the test's copies), the same rules apply there.
 */
export async function plan(docs = DOCS): Promise<{ changes: Map<string, string>; problems: string[] }> {
  const all = await catalogues();
  const byName = new Map(all.map((c) => [c.name, c]));
  const changes = new Map<string, string>();
  const problems: string[] = [];
  const shown = new Set<string>();
  for (const file of pages(docs)) {
    const text = readFileSync(file, 'utf8');
    const names = blocksOf(text);
    if (!names.length) continue;
    for (const name of names) shown.add(name);
    try {
      const next = await renderPage(text, byName, file);
      if (next !== text) changes.set(file, next);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  for (const c of all) {
    if (shown.has(c.name)) continue;
    const file = join(docs, 'profiles', `${c.name}.md`);
    if (c.name in PROFILES && !existsSync(file))
      changes.set(file, await renderPage(newPage(c.name), byName, file));
    else
      problems.push(
        `no page under docs/ shows the cases of "${c.name}": add "<!-- generated: cases ${c.name} -->".`,
      );
  }
  return { changes, problems };
}

/** What is wrong with the pages, as sentences saying what to do; empty when docs/ matches the registries. */
export async function check(docs = DOCS): Promise<string[]> {
  const { changes, problems } = await plan(docs);
  return [
    ...problems,
    ...[...changes.keys()].map((file) =>
      existsSync(file)
        ? `${relative(ROOT, file)} differs from what the requirement registries make of it: run npm run docs.`
        : `${relative(ROOT, file)} is missing: run npm run docs, then write its prose.`,
    ),
  ];
}

async function main(): Promise<number> {
  if (process.argv.includes('--check')) {
    const problems = await check();
    for (const p of problems) console.error(p);
    return problems.length ? 1 : 0;
  }
  const { changes, problems } = await plan();
  for (const p of problems) console.error(p);
  for (const [file, text] of changes) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${relative(ROOT, file)}`);
  }
  if (!changes.size && !problems.length) console.log('docs/ is up to date with the registries');
  return problems.length ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
