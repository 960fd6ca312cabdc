/**
 * The one place a {@link RunReport} is put together, for a receiver run (the reporter) and a `listen` run alike:
 * the facts of the run in, the verdict, the gate and the counts worked out from its cases.
 */
import { PACKAGE_VERSION } from '../core/package.ts';
import { gateOf, type RunReport, standingOf, summarize, verdictOf } from './model.ts';

export const PUSHCHECK_VERSION = PACKAGE_VERSION;

/** What a run's report is built from. */
export interface RunFacts extends Omit<
  RunReport,
  'pushcheck' | 'strict' | 'verdict' | 'verdictReason' | 'standing' | 'gate' | 'summary'
> {
  /** The option that set `failOn`, for the verdict's reason ("--strict"); `--fail-on <level>` when absent. */
  flag?: string | undefined;
  /** The expectations file the gate weighs, if any. */
  expectations: string | null;
  /** Why the run stopped early ("was interrupted"), if it did: the run is incomplete whatever it found. */
  stopped?: string | undefined;
}

/** The report of a run: its facts, with the verdict, the gate and the summary of its cases. */
export function buildRunReport(f: RunFacts): RunReport {
  const failOn = f.failOn;
  const { verdict, reason } = f.stopped
    ? { verdict: 'incomplete' as const, reason: `the run ${f.stopped}` }
    : verdictOf(f.cases, failOn, { grep: f.grep ?? undefined, flag: f.flag, errors: f.errors });
  return {
    pushcheck: PUSHCHECK_VERSION,
    profile: f.profile,
    label: f.label,
    target: f.target,
    seed: f.seed,
    runTag: f.runTag,
    grep: f.grep,
    shard: f.shard,
    observer: f.observer,
    ...(f.receiver ? { receiver: f.receiver } : {}),
    mode: f.mode,
    settings: f.settings,
    strict: failOn !== 'MUST',
    failOn,
    deadlineMs: f.deadlineMs,
    startedAt: f.startedAt,
    durationMs: f.durationMs,
    verdict,
    verdictReason: reason,
    standing: standingOf({ verdict, cases: f.cases, failOn }),
    gate: gateOf(f.cases, failOn, f.expectations, { stopped: f.stopped, errors: f.errors }),
    summary: summarize(f.cases),
    errors: f.errors,
    cases: f.cases,
  };
}
