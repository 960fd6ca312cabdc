/**
 * Failures grouped by root cause, for the terminal summary, report.md and index.html: when several cases fail
 * the same way, the cause is said once, the cases are listed under it, and one of them, the simplest, shows
 * the details and the `curl` line. report.json keeps every case's own data; the groups are derived from it.
 *
 * A cause is read from what was observed on a case's decisive exchange: its last request, the one its `curl`
 * line reproduces (a case stops at its first finding). Two failed cases share a cause when that exchange
 * - ended in the same transport error (connection reset or refused, not HTTP, the deadline passed), its
 *   measured details (bytes, milliseconds) set aside; or
 * - got the same status where the case expected another one (the first `HTTP nnn` of its expected value:
 *   "HTTP 204 where HTTP 200 was expected"), or the same 5xx where it named none.
 * A failure whose decisive exchange got the status it expected (a wrong body, something the observer saw)
 * has no shared cause, nor has pushcheck's own error: each is listed on its own.
 */
import type { CaseReport } from './model.ts';
import { LEVELS } from './model.ts';

/** A cause several failed cases share. */
export interface Cause {
  /** Identifies the cause: equal keys, same cause. */
  key: string;
  /** What was observed, as a sentence fragment: "HTTP 204 where HTTP 200 was expected". */
  summary: string;
  /** The case that shows it most simply: see {@link simplest}. */
  simplest: CaseReport;
  /** The other cases with this cause, in report order. */
  others: CaseReport[];
}

/** The failures of a run (outcome `failed` or `error`), grouped. */
export interface Failures {
  /** Causes shared by at least two failed cases, the most common first. */
  causes: Cause[];
  /** The failures that share no cause with another, in report order. */
  alone: CaseReport[];
}

/** The cause of one failure, or none when it cannot be told from what was observed. */
export function causeOf(c: CaseReport): { key: string; summary: string } | undefined {
  if (c.outcome !== 'failed') return undefined;
  const last = c.wire.at(-1);
  if (!last) return undefined;
  if (last.error !== undefined) {
    // Measured details vary from case to case ("(0 bytes of response arrived …)", "after 6000 ms"); the
    // kind of error does not.
    const kind = last.error.replace(/\s*\([^()]*\d[^()]*\)/g, '').trim();
    return { key: `error ${kind}`, summary: kind };
  }
  if (last.status === undefined) return undefined;
  const wanted = /\bHTTP (\d{3})\b/.exec(c.expected ?? '')?.[1];
  if (wanted !== undefined && Number(wanted) !== last.status) {
    const summary = `HTTP ${last.status} where HTTP ${wanted} was expected`;
    return { key: `status ${summary}`, summary };
  }
  if (wanted === undefined && last.status >= 500) {
    const summary = `HTTP ${last.status}, a server error`;
    return { key: `status ${summary}`, summary };
  }
  return undefined;
}

/**
 * The case of a group that shows its cause most simply: the fewest requests (the shortest reproduction),
 * then the highest level (a MUST is the least disputable), then the shortest `curl` line, then the id.
 */
export function simplest(cases: readonly CaseReport[]): CaseReport {
  const curl = (c: CaseReport) => c.curl?.length ?? Number.POSITIVE_INFINITY;
  const sorted = [...cases].sort(
    (a, b) =>
      a.wire.length - b.wire.length ||
      LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) ||
      curl(a) - curl(b) ||
      a.id.localeCompare(b.id),
  );
  const first = sorted[0];
  if (!first) throw new Error('simplest() needs at least one case');
  return first;
}

/** Groups the failures of `cases`: see the file's comment for what makes a cause. */
export function failuresByCause(cases: readonly CaseReport[]): Failures {
  const bad = cases.filter((c) => c.outcome === 'failed' || c.outcome === 'error');
  const byKey = new Map<string, { summary: string; cases: CaseReport[] }>();
  const causeByCase = new Map<CaseReport, string>();
  for (const c of bad) {
    const cause = causeOf(c);
    if (!cause) continue;
    const group = byKey.get(cause.key) ?? { summary: cause.summary, cases: [] };
    group.cases.push(c);
    byKey.set(cause.key, group);
    causeByCase.set(c, cause.key);
  }
  const causes: Cause[] = [...byKey.entries()]
    .filter(([, g]) => g.cases.length > 1)
    .map(([key, g]) => {
      const first = simplest(g.cases);
      return { key, summary: g.summary, simplest: first, others: g.cases.filter((c) => c !== first) };
    })
    .sort((a, b) => b.others.length - a.others.length || a.key.localeCompare(b.key));
  const grouped = new Set(causes.map((c) => c.key));
  const alone = bad.filter((c) => !grouped.has(causeByCase.get(c) ?? ''));
  return { causes, alone };
}

/** The cause in one line, as every format heads it: "11 cases fail the same way (9 MUST, 2 SHOULD): …". */
export function headline(cause: Cause): string {
  return `${cause.others.length + 1} cases fail the same way (${levelsOf(cause)}): ${cause.summary}`;
}

/** How many requests the simplest case of `cause` made, in words ("1 request", "3 requests"). */
export function simplestRequests(cause: Cause): string {
  const n = cause.simplest.wire.length;
  return `${n} request${n === 1 ? '' : 's'}`;
}

/** How many cases a cause covers, by level: "9 MUST, 2 SHOULD". */
function levelsOf(cause: Cause): string {
  const all = [cause.simplest, ...cause.others];
  return LEVELS.map((l) => [l, all.filter((c) => c.level === l).length] as const)
    .filter(([, n]) => n > 0)
    .map(([l, n]) => `${n} ${l}`)
    .join(', ');
}

/**
 * A verdict's or gate's reason without the list of case ids it ends with, where every id of the list is a
 * failure listed elsewhere on the page: "9 new failure(s): a, b, …" becomes "9 new failure(s), listed
 * above" (`where` says where), "pushcheck itself failed in a, b" becomes "… in 2 case(s), listed above".
 */
export function withoutListed(reason: string, listed: readonly string[], where = 'above'): string {
  const ids = new Set(listed);
  return reason.replace(/(:| in) ([\w.-]+(?:, [\w.-]+)*)/g, (all, lead: string, list: string) => {
    const names = list.split(', ');
    if (!names.every((n) => ids.has(n))) return all;
    return lead === ':' ? `, listed ${where}` : ` in ${names.length} case(s), listed ${where}`;
  });
}
