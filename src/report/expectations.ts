/**
 * Known failures, ratcheted, as web-platform-tests keeps them: `pushcheck.expectations.json` maps a case id
 * to the outcome a team accepts for now and why. The gate tolerates a listed failure, fails on a new one, and
 * reports a listed case that now passes; `pushcheck expectations update` then removes it (and, with
 * `--add-new`, lists the run's new failures, for adopting pushcheck on a receiver that is not there yet).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { usage } from '../core/errors.ts';
import type { Expectation, RunReport } from './model.ts';

/** The file a run uses when `--expectations` is not given and it exists in the working directory. */
export const EXPECTATIONS_FILE = 'pushcheck.expectations.json';

export interface ExpectationsFile {
  $comment?: string;
  expectations: Record<string, Expectation>;
}

const ID = /^[a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+$/;

/**
 * Reads and checks an expectations file; a UsageError names the file and the first problem. `known` is every
 * case id pushcheck has, so a misspelt id is an error rather than an entry that silently never matches.
 */
export function readExpectations(file: string, known: ReadonlySet<string>): ExpectationsFile {
  if (!existsSync(file)) usage(`the expectations file ${file} does not exist`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return usage(`the expectations file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const entries = (data as { expectations?: unknown } | null)?.expectations;
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    return usage(`the expectations file ${file} needs an "expectations" object: case id → {outcome, reason}`);
  }
  for (const [id, e] of Object.entries(entries as Record<string, unknown>)) {
    const entry = e as Partial<Expectation> | null;
    if (!ID.test(id) || !known.has(id)) usage(`${file}: "${id}" is not the id of a pushcheck case`);
    if (entry?.outcome !== 'failed' && entry?.outcome !== 'not-assessed') {
      usage(`${file}: ${id} needs "outcome": "failed" or "not-assessed"`);
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      usage(`${file}: ${id} needs a "reason" (why it is tolerated, or a link to the issue)`);
    }
  }
  return data as ExpectationsFile;
}

export interface Update {
  removed: string[];
  added: string[];
}

/**
 * Tightens `file` from the reports of runs: a listed case that passed is removed; with `addNew`, a failure the
 * file does not list is added, its reason pointing at the run. Cases a run did not assess are left alone.
 */
export function updateExpectations(
  file: string,
  reports: readonly RunReport[],
  opts: { addNew: boolean; known: ReadonlySet<string> },
): Update {
  const current: ExpectationsFile = existsSync(file)
    ? readExpectations(file, opts.known)
    : { expectations: {} };
  const next: Record<string, Expectation> = { ...current.expectations };
  const removed: string[] = [];
  const added: string[] = [];
  for (const r of reports) {
    for (const c of r.cases) {
      if (c.id in next && c.outcome === 'passed') {
        delete next[c.id];
        removed.push(c.id);
      } else if (opts.addNew && !(c.id in next) && (c.outcome === 'failed' || c.outcome === 'not-assessed')) {
        next[c.id] = {
          outcome: c.outcome,
          reason: `listed by \`pushcheck expectations update --add-new\` from the run of ${r.startedAt}: ${c.reason ?? c.outcome}`,
        };
        added.push(c.id);
      }
    }
  }
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify({ ...current, expectations: sorted }, null, 2)}\n`);
  return { removed, added };
}
