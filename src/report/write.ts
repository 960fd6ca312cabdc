/** Writes a run's report files, redacted, for runs that are not Playwright runs (`pushcheck listen`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Level, Outcome } from '../core/case.ts';
import { redactDeep } from '../core/config.ts';
import { toJunit } from './junit.ts';
import type { CaseReport, RunReport } from './reporter.ts';

/** The summary counts of `cases`. */
export function summarize(cases: readonly CaseReport[]): RunReport['summary'] {
  const count = (o: Outcome) => cases.filter((k) => k.outcome === o).length;
  const failedBy = (l: Level) => cases.filter((k) => k.outcome === 'failed' && k.level === l).length;
  return {
    total: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    'not-assessed': count('not-assessed'),
    skipped: count('skipped'),
    error: count('error'),
    failedByLevel: { MUST: failedBy('MUST'), SHOULD: failedBy('SHOULD'), MAY: failedBy('MAY') },
  };
}

/** Writes `report.json` and `junit.xml` into `dir`, every string redacted; returns the redacted report. */
export function writeReport(report: RunReport, dir: string, secrets: readonly string[]): RunReport {
  const redacted = redactDeep(report, secrets);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(redacted, null, 2)}\n`);
  writeFileSync(join(dir, 'junit.xml'), toJunit(redacted));
  return redacted;
}
