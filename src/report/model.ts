/**
 * The report of one run (report.json, described by specs/report.schema.json), and the three judgements made
 * of it: each case's **grade** (as Autobahn|Testsuite grades them), the receiver's **verdict** under
 * `--fail-on`, and the CI **gate**, which also weighs the known failures of an expectations file.
 */
import type { Level, Outcome, Requirement } from '../core/case.ts';
import { type SourceFields, sourceFields } from '../core/source.ts';
import { EXIT } from '../core/errors.ts';

/**
 * Autobahn's grades, plus the two outcomes that say nothing about the receiver: a MUST failure is `failed`, a
 * SHOULD failure `non-strict`, a MAY failure `informational`, a capability the receiver's configuration does
 * not offer `unimplemented`; `not-assessed` (the run lacked something) and `error` (pushcheck's own) grade
 * nothing.
 */
export type Grade =
  'ok' | 'failed' | 'non-strict' | 'informational' | 'unimplemented' | 'not-assessed' | 'error';

export const GRADES: readonly Grade[] = [
  'ok',
  'failed',
  'non-strict',
  'informational',
  'unimplemented',
  'not-assessed',
  'error',
];
export const LEVELS: readonly Level[] = ['MUST', 'SHOULD', 'MAY'];
export const OUTCOMES: readonly Outcome[] = ['passed', 'failed', 'not-assessed', 'skipped', 'error'];

/** One request of a case, timed: kept for every case, so the report can chart every ack's latency. */
export interface WireEntry {
  label: string;
  method: string;
  /** Absent when no response came. */
  status?: number;
  error?: string;
  startedAt: string;
  headersMs?: number;
  totalMs: number;
}

/** A case's listing in the expectations file, as it stood when the run began. */
export interface Expectation {
  outcome: 'failed' | 'not-assessed';
  /** Why it is tolerated: a sentence, an issue link, or both. */
  reason: string;
}

export interface CaseReport {
  id: string;
  title: string;
  level: Level;
  interpreted: boolean;
  outcome: Outcome;
  grade: Grade;
  requirement: string;
  /** The source on one line (document, section, code). */
  source: string;
  /** The vendor document's public URL (absent for a document with no public copy, cited by title and date). */
  sourceUrl?: string;
  /** The public code the requirement rests on or follows, at the commit read. */
  codeUrl?: string;
  /** The sentence the requirement rests on, in the document's language, and its English translation. */
  quote?: string;
  translation?: string;
  durationMs: number;
  /** Why it failed, was not assessed or was skipped. */
  reason?: string;
  expected?: string;
  actual?: string;
  /** Every request of the case with its timings. */
  wire: WireEntry[];
  /** Failures only: the full timed wire log (requests and responses, bodies previewed). */
  exchanges?: unknown[];
  /** Failures only: reproduces the last request. */
  curl?: string;
  metrics?: Record<string, number | string>;
  observations?: unknown[];
  /** The observer that assessed the case (file, log, http, command), when one looked. */
  assessedBy?: string;
  /** Present when the expectations file lists the case. */
  known?: Expectation;
  /** Not assessed because this case (a precondition, `Requirement.after`) failed at the deadline first. */
  blockedBy?: string;
  /** The requirement is about authenticity: its failure, or its finding, is a security finding (decisions/022). */
  security?: true;
  /**
   * A case the document permits to go either way that found what it looks for: the case passed, and this says
   * what was found (expected, actual and curl are kept as for a failure).
   */
  finding?: string;
}

export type Verdict = 'conformant' | 'non-conformant' | 'incomplete';

/** The CI gate: `pass` exits 0, `fail` 1, `incomplete` 3. */
export interface Gate {
  result: 'pass' | 'fail' | 'incomplete';
  /** One sentence. */
  reason: string;
  /** The expectations file the run was judged with, if any. */
  expectations: string | null;
  /** Failures (at a --fail-on level) the expectations file does not list. */
  newFailures: string[];
  /** Listed failures that failed again: tolerated. */
  knownFailures: string[];
  /** Listed cases that now pass: the file can be tightened with `pushcheck expectations update`. */
  fixed: string[];
}

export type Counts = Record<Outcome, number>;

/** The receiver pushcheck launched for the run, with the end of its log. */
export interface ReceiverReport {
  launcher: string;
  what: string;
  readyMs: number;
  /** Its last log lines (stdout and stderr), secrets redacted. */
  log: string[];
}

export interface RunReport {
  pushcheck: string;
  profile: string;
  /** Names the receiver on a published site (`--label`, else the target without credentials). */
  label: string;
  target: string;
  seed: number;
  runTag: string;
  /** The --grep filter, when the run was limited to some cases. */
  grep: string | null;
  /** This report's part of a run split with --shard, or null. */
  shard: { current: number; total: number } | null;
  observer: string | null;
  /** The receiver pushcheck launched, if it did. */
  receiver?: ReceiverReport;
  /** The profile's mode ("secure mode"), if it has one. */
  mode: string | null;
  /** The profile's settings, secrets redacted. */
  settings: unknown;
  /** True when SHOULD failures fail the run (`--strict` or `--fail-on should|may`). */
  strict: boolean;
  /** The lowest level whose failures fail the run. */
  failOn: Level;
  /** The protocol's per-request deadline, drawn on the latency charts. */
  deadlineMs: number;
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  /** Why the verdict is what it is, in one sentence. */
  verdictReason: string;
  /**
   * The verdict as every view words it, so that a conformant run with SHOULD failures or security findings
   * never reads as a clean pass (absent in reports of pushcheck before 2026-12; {@link standingOf} works it
   * out from the cases).
   */
  standing?: Standing;
  gate: Gate;
  summary: Counts & {
    total: number;
    failedByLevel: Record<Level, number>;
    byLevel: Record<Level, Counts>;
    grades: Record<Grade, number>;
  };
  /** Errors outside any case (a suite that did not load, a worker that died). */
  errors: string[];
  cases: CaseReport[];
}

/** What every case's report opens with: its requirement, the outcome and its grade, for runs and listens alike. */
export function caseHead(
  id: string,
  req: Requirement,
  outcome: Outcome,
): Pick<
  CaseReport,
  'id' | 'title' | 'level' | 'interpreted' | 'outcome' | 'grade' | 'requirement' | 'security'
> &
  SourceFields {
  return {
    id,
    title: req.title,
    level: req.level,
    interpreted: req.interpreted ?? false,
    outcome,
    grade: gradeOf(outcome, req.level),
    requirement: req.text,
    ...sourceFields(req.source),
    ...(req.security ? { security: true as const } : {}),
  };
}

/** A case's grade from its outcome and level. */
export function gradeOf(outcome: Outcome, level: Level): Grade {
  switch (outcome) {
    case 'passed':
      return 'ok';
    case 'skipped':
      return 'unimplemented';
    case 'not-assessed':
    case 'error':
      return outcome;
    case 'failed':
      return level === 'MUST' ? 'failed' : level === 'SHOULD' ? 'non-strict' : 'informational';
  }
}

/** Whether a failure at `level` fails a run judged with `--fail-on failOn`. */
export function gates(level: Level, failOn: Level): boolean {
  return LEVELS.indexOf(level) <= LEVELS.indexOf(failOn);
}

/**
 * Why a run no failure decided lacks assessments, or undefined when it does not: pushcheck itself failed (in a
 * case, or outside any: `errors`), no case was assessed, or a MUST was not assessed (`unassessed`). `excused`
 * leaves out the not-assessed MUSTs that do not count (the gate's listed ones). The verdict and the gate both
 * ask it, so that they cannot disagree on what incomplete means.
 */
function incompleteness(
  cases: readonly CaseReport[],
  errors: readonly string[] = [],
  excused: (c: CaseReport) => boolean = () => false,
): { reason: string; unassessed: boolean } | undefined {
  const failedIn = cases.filter((c) => c.outcome === 'error').map((c) => c.id);
  if (failedIn.length > 0)
    return { reason: `pushcheck itself failed in ${failedIn.join(', ')}`, unassessed: false };
  if (errors.length > 0)
    return { reason: `pushcheck itself failed: ${errors.join('; ')}`, unassessed: false };
  if (!cases.some((c) => c.outcome === 'passed' || c.outcome === 'failed')) {
    return { reason: 'no case was assessed', unassessed: false };
  }
  // A MUST blocked by a failed MUST is decided by that failure, which the verdict and the gate weigh already.
  const decided = (c: CaseReport) =>
    cases.some((b) => b.id === c.blockedBy && b.outcome === 'failed' && b.level === 'MUST');
  const unassessed = cases
    .filter((c) => c.outcome === 'not-assessed' && c.level === 'MUST' && !excused(c) && !decided(c))
    .map((c) => c.id);
  if (unassessed.length === 0) return undefined;
  const reason = `${unassessed.length} MUST requirement(s) were not assessed: ${unassessed.join(', ')}`;
  return { reason, unassessed: true };
}

/**
 * Non-conformant when a failure at a --fail-on level occurred. Otherwise conformant only when every MUST of
 * the run was assessed and pushcheck itself did not fail; else incomplete. `flag` names the option that set
 * the level, for the reason ("--strict").
 */
export function verdictOf(
  cases: readonly CaseReport[],
  failOn: Level,
  opts: { grep?: string | undefined; flag?: string | undefined; errors?: readonly string[] } = {},
): { verdict: Verdict; reason: string } {
  const ids = (outcome: Outcome, level?: Level) =>
    cases.filter((c) => c.outcome === outcome && (level === undefined || c.level === level)).map((c) => c.id);
  const subset = opts.grep === undefined ? '' : ` (only the cases matching --grep ${opts.grep})`;
  const flag = opts.flag ?? `--fail-on ${failOn.toLowerCase()}`;
  for (const level of LEVELS) {
    const failed = ids('failed', level);
    if (gates(level, failOn) && failed.length > 0) {
      const why = level === 'MUST' ? '' : ` (${flag})`;
      return {
        verdict: 'non-conformant',
        reason: `${failed.length} ${level} requirement(s) failed${why}${subset}`,
      };
    }
  }
  const incomplete = incompleteness(cases, opts.errors);
  if (incomplete !== undefined) {
    const but = incomplete.unassessed ? 'no MUST failed, but ' : '';
    return { verdict: 'incomplete', reason: `${but}${incomplete.reason}` };
  }
  const soft = cases.filter((c) => c.outcome === 'failed').length;
  const should = ids('failed', 'SHOULD').length;
  // SHOULD failures are named as such, never hidden in a count of "lower-level" ones (decisions/022): the
  // standing words the verdict "conformant, with N SHOULD failures"; MAY failures are informational.
  const named =
    should > 0
      ? `${should} SHOULD requirement(s) failed: graded non-strict, they fail the run only with --fail-on should${soft > should ? `; ${soft - should} lower-level requirement(s) failed (graded, not failing)` : ''}`
      : `no failure at --fail-on ${failOn.toLowerCase()} or above; ${soft} lower-level requirement(s) failed (graded, not failing)`;
  return {
    verdict: 'conformant',
    reason: (soft > 0 ? named : 'every assessed requirement passed') + subset,
  };
}

/**
 * The CI gate, as web-platform-tests keeps expectations: a listed failure does not fail it, a new failure
 * does, and a listed case that now passes is reported so the file can be tightened. A listed `not-assessed`
 * MUST (say, a CI job that cannot have an observer) does not make the gate incomplete; errors still do.
 * `stopped` says why the run stopped early, if it did.
 */
export function gateOf(
  cases: readonly CaseReport[],
  failOn: Level,
  expectations: string | null,
  problems: { stopped?: string | undefined; errors?: readonly string[] } = {},
): Gate {
  const listed = (c: CaseReport) => c.known !== undefined && c.known.outcome === c.outcome;
  const newFailures = cases
    .filter((c) => c.outcome === 'failed' && gates(c.level, failOn) && !listed(c))
    .map((c) => c.id);
  const knownFailures = cases.filter((c) => c.outcome !== 'passed' && listed(c)).map((c) => c.id);
  const fixed = cases.filter((c) => c.known !== undefined && c.outcome === 'passed').map((c) => c.id);
  const base = { expectations, newFailures, knownFailures, fixed };
  const known = knownFailures.length > 0 ? `; ${knownFailures.length} known failure(s) tolerated` : '';
  // A run stopped early is incomplete whatever it found so far, as its verdict is.
  if (problems.stopped) return { ...base, result: 'incomplete', reason: `the run ${problems.stopped}` };
  if (newFailures.length > 0) {
    const reason = `${newFailures.length} new failure(s): ${newFailures.join(', ')}${known}`;
    return { ...base, result: 'fail', reason };
  }
  const incomplete = incompleteness(cases, problems.errors, listed);
  if (incomplete !== undefined) {
    return { ...base, result: 'incomplete', reason: `${incomplete.reason}${known}` };
  }
  const tighten =
    fixed.length > 0
      ? `; ${fixed.length} listed case(s) now pass: run \`pushcheck expectations update\``
      : '';
  return {
    ...base,
    result: 'pass',
    reason: `no new failure at --fail-on ${failOn.toLowerCase()} or above${known}${tighten}`,
  };
}

/** The exit code of a gate. */
export function exitCodeOf(gate: Gate): number {
  return gate.result === 'pass'
    ? EXIT.conformant
    : gate.result === 'fail'
      ? EXIT.nonConformant
      : EXIT.incomplete;
}

/** Counts by outcome, by level and outcome, and by grade. */
export function summarize(cases: readonly CaseReport[]): RunReport['summary'] {
  const counts = (list: readonly CaseReport[]): Counts =>
    Object.fromEntries(OUTCOMES.map((o) => [o, list.filter((c) => c.outcome === o).length])) as Counts;
  const byLevel = Object.fromEntries(
    LEVELS.map((l) => [l, counts(cases.filter((c) => c.level === l))]),
  ) as Record<Level, Counts>;
  return {
    total: cases.length,
    ...counts(cases),
    failedByLevel: { MUST: byLevel.MUST.failed, SHOULD: byLevel.SHOULD.failed, MAY: byLevel.MAY.failed },
    byLevel,
    grades: Object.fromEntries(GRADES.map((g) => [g, cases.filter((c) => c.grade === g).length])) as Record<
      Grade,
      number
    >,
  };
}

/**
 * How a verdict reads: `clean` (conformant, nothing failed below the gate, no security finding), `qualified`
 * (conformant, with SHOULD failures or security findings: Autobahn's "non-strict"), `failed` (non-conformant)
 * or `incomplete`. Each view colours by it: green, amber, red, brown.
 */
export type Tone = 'clean' | 'qualified' | 'failed' | 'incomplete';

/** The verdict, qualified: what the badge, the terminal, report.md, index.html and the site say. */
export interface Standing {
  tone: Tone;
  /** "conformant", "conformant, with 4 SHOULD failures and 3 security findings", "non-conformant", … */
  label: string;
  /** The badge's word: "conformant*" when qualified. */
  short: string;
  /** SHOULD failures the verdict does not count (the gate is MUST). */
  shouldFailures: number;
  /** The ids of the security findings (see {@link securityFindingsOf}). */
  securityFindings: string[];
}

/** Whether a case is a security finding: an authenticity case that failed, or passed with a finding. */
export function isSecurityFinding(c: CaseReport): boolean {
  return c.security === true && (c.outcome === 'failed' || c.finding !== undefined);
}

/** The security findings of a run, in its case order: the views list them wherever they show the verdict. */
export function securityFindingsOf(cases: readonly CaseReport[]): CaseReport[] {
  return cases.filter(isSecurityFinding);
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** "4 SHOULD failures and 3 security findings", or "" when there are neither. */
export function qualifiers(shouldFailures: number, findings: number): string {
  const parts = [
    ...(shouldFailures > 0 ? [plural(shouldFailures, 'SHOULD failure')] : []),
    ...(findings > 0 ? [plural(findings, 'security finding')] : []),
  ];
  return parts.join(' and ');
}

/**
 * The verdict of a report, qualified: a conformant run with SHOULD failures below the gate, or with security
 * findings, is `qualified` ("conformant, with 4 SHOULD failures"), never worded or coloured as a clean pass.
 */
export function standingOf(r: Pick<RunReport, 'verdict' | 'cases' | 'failOn'>): Standing {
  const securityFindings = securityFindingsOf(r.cases).map((c) => c.id);
  const shouldFailures = r.cases.filter(
    (c) => c.outcome === 'failed' && c.level === 'SHOULD' && !gates('SHOULD', r.failOn),
  ).length;
  const also = qualifiers(0, securityFindings.length);
  const base = { shouldFailures, securityFindings };
  if (r.verdict !== 'conformant') {
    const tone = r.verdict === 'incomplete' ? 'incomplete' : 'failed';
    return { ...base, tone, label: also ? `${r.verdict}, with ${also}` : r.verdict, short: r.verdict };
  }
  const q = qualifiers(shouldFailures, securityFindings.length);
  if (!q) return { ...base, tone: 'clean', label: 'conformant', short: 'conformant' };
  return { ...base, tone: 'qualified', label: `conformant, with ${q}`, short: 'conformant*' };
}
