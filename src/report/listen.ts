/**
 * The end of a `pushcheck listen <profile>` run, whatever the profile: the graded cases become the same report
 * folder a receiver run writes, the cases and the verdict are printed, and the gate gives the exit code.
 */
import { join, resolve } from 'node:path';
import { buildRunReport } from './build.ts';
import { type CaseReport, exitCodeOf, standingOf } from './model.ts';
import { openCommand, writeReportFolder } from './write.ts';

export interface ListenReport {
  dir: string;
  /** The report's profile name: `<profile>-sender`, `<profile>-device`. */
  profile: string;
  label: string;
  /** What was graded, in words. */
  target: string;
  mode: string | null;
  settings: Record<string, unknown>;
  strict: boolean;
  deadlineMs: number;
  startedAt: Date;
  durationMs: number;
  cases: CaseReport[];
  secrets: readonly string[];
}

/** Writes the report folder, prints the cases and the verdict; resolves with the exit code, as for `run`. */
export function finishListen(r: ListenReport, print: (line: string) => void = console.log): number {
  const report = writeReportFolder(
    r.dir,
    buildRunReport({
      profile: r.profile,
      label: r.label,
      target: r.target,
      seed: 0,
      runTag: '',
      grep: null,
      shard: null,
      observer: null,
      mode: r.mode,
      settings: r.settings,
      failOn: r.strict ? 'SHOULD' : 'MUST',
      deadlineMs: r.deadlineMs,
      startedAt: r.startedAt.toISOString(),
      durationMs: r.durationMs,
      expectations: null,
      errors: [],
      cases: r.cases,
    }),
    r.secrets,
  );
  for (const c of report.cases) {
    print(`  ${c.outcome.padEnd(12)} ${c.level.padEnd(6)} ${c.id}${c.reason ? `  — ${c.reason}` : ''}`);
    if (c.outcome === 'failed') print(`      expected: ${c.expected}\n      actual:   ${c.actual}`);
  }
  print(
    `  verdict: ${standingOf(report).label.toUpperCase()} (${report.verdictReason})\n  report: ${join(r.dir, 'report.json')}`,
  );
  print(`  open: ${openCommand(resolve(r.dir, 'index.html'))}`);
  return exitCodeOf(report.gate);
}
