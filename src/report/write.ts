/** Writes a run's report folder: report.json, junit.xml, report.md, index.html and badge.svg. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { redact, redactDeep } from '../core/config.ts';
import { toBadge } from './badge.ts';
import { toHtml } from './html.ts';
import { toJunit } from './junit.ts';
import { toMarkdown } from './markdown.ts';
import type { RunReport } from './model.ts';

export const REPORT_FILES = ['report.json', 'junit.xml', 'report.md', 'index.html', 'badge.svg'] as const;

/**
 * Redacts `report` (every string, before any escaping could disguise a secret), renders every file from the
 * redacted copy, and redacts each file's text once more; returns the redacted report.
 */
export function writeReportFolder(dir: string, report: RunReport, secrets: readonly string[]): RunReport {
  const r = redactDeep(report, secrets);
  mkdirSync(dir, { recursive: true });
  const files: Record<(typeof REPORT_FILES)[number], string> = {
    'report.json': `${JSON.stringify(r, null, 2)}\n`,
    'junit.xml': toJunit(r),
    'report.md': toMarkdown(r),
    'index.html': toHtml(r),
    'badge.svg': toBadge(r),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), redact(text, secrets));
  return r;
}

/** Files larger than this are not rewritten (Playwright's artifacts here are small text files). */
const REDACT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Redacts, in place, every file under `dir`: Playwright writes its own artifacts there (error-context.md
 * repeats a failure's message, expected and actual), and the report folder is published whole.
 */
export function redactFolder(dir: string, secrets: readonly string[]): void {
  if (secrets.length === 0 || !existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) redactFolder(path, secrets);
    else if (entry.isFile() && statSync(path).size <= REDACT_MAX_BYTES) {
      const bytes = readFileSync(path);
      // UTF-8 text where it is (so a non-ASCII secret matches), byte for byte otherwise.
      const encoding = isUtf8(bytes) ? 'utf8' : 'latin1';
      const text = bytes.toString(encoding);
      const clean = redact(text, secrets);
      if (clean !== text) writeFileSync(path, clean, encoding);
    }
  }
}

/**
 * The command that opens `file` in the reader's browser on this platform, to paste into a shell: `open` on
 * macOS, `explorer` on Windows (the same in cmd and PowerShell), `xdg-open` elsewhere; the path quoted when
 * it needs to be.
 */
export function openCommand(file: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `explorer "${file}"`;
  const quoted = /^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  return `${platform === 'darwin' ? 'open' : 'xdg-open'} ${quoted}`;
}
