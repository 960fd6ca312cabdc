/**
 * The Playwright reporter of a pushcheck run: a line per case as it ends, then `report.json`, `junit.xml`
 * and a terminal summary naming each failed case and why. Every string it writes passes through redaction.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FullResult, Reporter, TestCase, TestError, TestResult } from '@playwright/test/reporter';
import { ANNOTATE, ATTACH, type Level, type Outcome } from '../core/case.ts';
import { type RunConfig, readRunConfig, redact, redactDeep } from '../core/config.ts';
import { PROFILES } from '../profiles.ts';
import { toJunit } from './junit.ts';

export interface CaseReport {
  id: string;
  title: string;
  level: Level;
  interpreted: boolean;
  outcome: Outcome;
  requirement: string;
  source: string;
  durationMs: number;
  /** Why it failed, was not assessed or was skipped. */
  reason?: string;
  expected?: string;
  actual?: string;
  /** Failures only: the timed wire log. */
  exchanges?: unknown[];
  /** Failures only: reproduces the last request. */
  curl?: string;
  metrics?: Record<string, number | string>;
  observations?: unknown[];
}

export type Verdict = 'conformant' | 'non-conformant' | 'incomplete';

export interface RunReport {
  pushcheck: string;
  profile: string;
  target: string;
  seed: number;
  runTag: string;
  /** The --grep filter, when the run was limited to some cases. */
  grep: string | null;
  observer: string | null;
  /** The profile's mode ("secure mode"), if it has one. */
  mode: string | null;
  /** The profile's settings, secrets redacted. */
  settings: unknown;
  strict: boolean;
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  /** Why the verdict is what it is, in one sentence. */
  verdictReason: string;
  summary: Record<Outcome, number> & { total: number; failedByLevel: Record<Level, number> };
  cases: CaseReport[];
}

const ICON: Record<Outcome, string> = {
  passed: '✓',
  failed: '✗',
  'not-assessed': '?',
  skipped: '-',
  error: '!',
};

function jsonAttachments(result: TestResult, name: string): unknown[] {
  return result.attachments
    .filter((a) => a.name === name && a.body)
    .map((a) => JSON.parse((a.body as Buffer).toString('utf8')) as unknown);
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/**
 * Outcome and reason of one Playwright result. A receiver's failure always comes through `fail()`, which
 * attaches the verdict; any other error, or a case past its time limit, is pushcheck's own.
 */
function outcomeOf(test: TestCase, result: TestResult): { outcome: Outcome; reason?: string } {
  const note = (type: string) => result.annotations.find((a) => a.type === type)?.description;
  if (result.status === 'passed') return { outcome: 'passed' };
  if (result.status === 'skipped') {
    const na = note(ANNOTATE.notAssessed);
    if (na) return { outcome: 'not-assessed', reason: na };
    return { outcome: 'skipped', reason: note(ANNOTATE.notApplicable) ?? note('skip') ?? 'skipped' };
  }
  if (result.status === 'interrupted') return { outcome: 'not-assessed', reason: 'the run was interrupted' };
  if (result.status === 'timedOut') {
    return {
      outcome: 'error',
      reason: `pushcheck error: the case exceeded its ${test.timeout} ms time limit`,
    };
  }
  const first = stripAnsi(result.error?.message ?? 'failed').split('\n')[0] ?? 'failed';
  if (!result.attachments.some((a) => a.name === ATTACH.verdict)) {
    return { outcome: 'error', reason: `pushcheck error: ${first}` };
  }
  return { outcome: 'failed', reason: first };
}

/**
 * Non-conformant when a MUST failed (with strict, a SHOULD too). Otherwise conformant only when every MUST of
 * the run was assessed and pushcheck itself did not fail; else incomplete.
 */
export function verdictOf(
  cases: readonly CaseReport[],
  strict: boolean,
  grep?: string,
): { verdict: Verdict; reason: string } {
  const ids = (outcome: Outcome, level?: Level) =>
    cases.filter((c) => c.outcome === outcome && (level === undefined || c.level === level)).map((c) => c.id);
  const failedMust = ids('failed', 'MUST');
  const failedShould = ids('failed', 'SHOULD');
  const subset = grep === undefined ? '' : ` (only the cases matching --grep ${grep})`;
  if (failedMust.length > 0) {
    return { verdict: 'non-conformant', reason: `${failedMust.length} MUST requirement(s) failed${subset}` };
  }
  if (strict && failedShould.length > 0) {
    return {
      verdict: 'non-conformant',
      reason: `${failedShould.length} SHOULD requirement(s) failed (--strict)${subset}`,
    };
  }
  const errors = ids('error');
  if (errors.length > 0) {
    return { verdict: 'incomplete', reason: `pushcheck itself failed in ${errors.join(', ')}` };
  }
  if (ids('passed').length + ids('failed').length === 0)
    return { verdict: 'incomplete', reason: 'no case was assessed' };
  const unassessed = ids('not-assessed', 'MUST');
  if (unassessed.length > 0) {
    return {
      verdict: 'incomplete',
      reason: `no MUST failed, but ${unassessed.length} MUST requirement(s) were not assessed: ${unassessed.join(', ')}`,
    };
  }
  const soft = failedShould.length + ids('failed', 'MAY').length;
  return {
    verdict: 'conformant',
    reason:
      (soft > 0
        ? `no MUST failed; ${soft} SHOULD/MAY requirement(s) failed (non-strict)`
        : 'every assessed requirement passed') + subset,
  };
}

export default class PushcheckReporter implements Reporter {
  private readonly config: RunConfig = readRunConfig();
  private readonly secrets = this.config.secrets;
  private readonly cases: CaseReport[] = [];
  private readonly started = new Date();
  /** Errors outside any case (a suite file that does not load, a worker that died). */
  private readonly errors: string[] = [];

  constructor() {
    // Started by the pushcheck CLI with an IPC channel: if pushcheck dies, stop the run rather than go on
    // sending to the receiver with nobody to report to.
    if (process.send) process.once('disconnect', () => process.kill(process.pid, 'SIGINT'));
  }

  printsToStdio(): boolean {
    return true;
  }

  private say(line: string): void {
    process.stdout.write(`${redact(line, this.secrets)}\n`);
  }

  onBegin(): void {
    const c = this.config;
    this.say(`pushcheck ${c.profile} → ${c.target}  (seed ${c.seed}${c.mode ? `, ${c.mode}` : ''})`);
  }

  onError(error: TestError): void {
    const message = stripAnsi(error.message ?? String(error.value ?? 'unknown error')).split('\n')[0] ?? '';
    this.errors.push(message);
    this.say(`  ! pushcheck error: ${message}`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const id = test.annotations.find((a) => a.type === ANNOTATE.id)?.description;
    const req = id ? PROFILES[this.config.profile]?.registry[id] : undefined;
    if (!id || !req) return;
    const { outcome, reason } = outcomeOf(test, result);
    const verdict = jsonAttachments(result, ATTACH.verdict).at(-1) as
      { message: string; expected: string; actual: string } | undefined;
    const exchanges = jsonAttachments(result, ATTACH.exchange) as { curl?: string }[];
    const metrics = Object.assign({}, ...jsonAttachments(result, ATTACH.metrics)) as Record<
      string,
      number | string
    >;
    const observations = jsonAttachments(result, ATTACH.observation);
    const report: CaseReport = {
      id,
      title: req.title,
      level: req.level,
      interpreted: req.interpreted ?? false,
      outcome,
      requirement: req.text,
      source: req.source,
      durationMs: Math.round(result.duration),
      ...(reason !== undefined ? { reason: verdict?.message ?? reason } : {}),
      ...(Object.keys(metrics).length ? { metrics } : {}),
      ...(observations.length ? { observations } : {}),
    };
    if (outcome === 'failed' || outcome === 'error') {
      if (verdict) Object.assign(report, { expected: verdict.expected, actual: verdict.actual });
      report.exchanges = exchanges;
      const curl = exchanges.at(-1)?.curl;
      if (curl) report.curl = curl;
    }
    this.cases.push(report);
    const figures = Object.entries(metrics)
      .filter(([k]) => k.endsWith('Ms'))
      .map(([k, v]) => `${k.slice(0, -2)} ${v} ms`)
      .join(', ');
    const why = outcome === 'passed' ? (figures ? `  — ${figures}` : '') : `  — ${report.reason}`;
    this.say(`  ${ICON[outcome]} ${req.level.padEnd(6)} ${id} (${report.durationMs} ms)${why}`);
  }

  onEnd(result: FullResult): void {
    const c = this.config;
    const count = (o: Outcome) => this.cases.filter((k) => k.outcome === o).length;
    const failedBy = (l: Level) => this.cases.filter((k) => k.outcome === 'failed' && k.level === l).length;
    let { verdict, reason } = verdictOf(this.cases, c.strict, c.grep);
    if (result.status === 'interrupted' || result.status === 'timedout') {
      verdict = 'incomplete';
      reason = `the run ${result.status === 'timedout' ? 'hit its global time limit' : 'was interrupted'}`;
    } else if (this.errors.length > 0 && verdict !== 'non-conformant') {
      verdict = 'incomplete';
      reason = `pushcheck itself failed: ${this.errors.join('; ')}`;
    }
    const report: RunReport = {
      pushcheck: '0.1.0',
      profile: c.profile,
      target: c.target,
      seed: c.seed,
      runTag: c.runTag,
      grep: c.grep ?? null,
      observer: c.observeFile ? `file ${c.observeFile}` : null,
      mode: c.mode ?? null,
      settings: c.settings,
      strict: c.strict,
      startedAt: this.started.toISOString(),
      durationMs: Date.now() - this.started.getTime(),
      verdict,
      verdictReason: reason,
      summary: {
        total: this.cases.length,
        passed: count('passed'),
        failed: count('failed'),
        'not-assessed': count('not-assessed'),
        skipped: count('skipped'),
        error: count('error'),
        failedByLevel: { MUST: failedBy('MUST'), SHOULD: failedBy('SHOULD'), MAY: failedBy('MAY') },
      },
      cases: this.cases.sort((a, b) => a.id.localeCompare(b.id)),
    };
    const redacted = redactDeep(report, this.secrets);
    mkdirSync(c.reportDir, { recursive: true });
    writeFileSync(join(c.reportDir, 'report.json'), `${JSON.stringify(redacted, null, 2)}\n`);
    writeFileSync(join(c.reportDir, 'junit.xml'), toJunit(redacted));
    this.summary(report);
  }

  private summary(r: RunReport): void {
    const s = r.summary;
    this.say('');
    this.say(
      `  ${s.passed} passed, ${s.failed} failed, ${s['not-assessed']} not assessed, ${s.skipped} skipped` +
        (s.error > 0 ? `, ${s.error} pushcheck error(s)` : ''),
    );
    for (const k of r.cases.filter((x) => x.outcome === 'failed' || x.outcome === 'error')) {
      this.say(`  ${k.outcome === 'failed' ? 'FAILED' : 'ERROR'} ${k.level} ${k.id}: ${k.title}`);
      this.say(`    ${k.reason ?? ''}`);
      if (k.expected !== undefined) this.say(`    expected: ${k.expected}`);
      if (k.actual !== undefined) this.say(`    actual:   ${k.actual}`);
    }
    this.say(`  verdict: ${r.verdict.toUpperCase()} (${r.verdictReason})`);
    this.say(`  report: ${join(this.config.reportDir, 'report.json')}`);
  }
}
