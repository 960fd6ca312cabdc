/**
 * The Playwright reporter of a pushcheck run: a line per case as it ends, then the report folder
 * (report.json, junit.xml, report.md, index.html, badge.svg: src/report/write.ts), a terminal summary naming
 * each failed case and why, and on GitHub Actions annotations and the job summary. Every string it writes
 * passes through redaction.
 */
import { join } from 'node:path';
import type {
  FullConfig,
  FullResult,
  Reporter,
  TestCase,
  TestError,
  TestResult,
} from '@playwright/test/reporter';
import { ANNOTATE, ATTACH, type Level, type Outcome } from '../core/case.ts';
import { type RunConfig, readRunConfig, redact } from '../core/config.ts';
import { logTail } from '../core/launchers.ts';
import { describeObserver, observerOf } from '../core/observers.ts';
import { PACKAGE_ROOT } from '../core/schemas.ts';
import { PROFILES } from '../profiles.ts';
import { annotations, type Location, writeJobSummary } from './github.ts';
import { toMarkdown } from './markdown.ts';
import {
  type CaseReport,
  type Expectation,
  exitCodeOf,
  gateOf,
  gradeOf,
  type RunReport,
  summarize,
  verdictOf,
  type WireEntry,
} from './model.ts';
import { redactFolder, writeReportFolder } from './write.ts';

export type { CaseReport, RunReport, Verdict } from './model.ts';
export { verdictOf } from './model.ts';

export const PUSHCHECK_VERSION = '0.1.0';

/** How many of a launched receiver's last log lines the report keeps. */
const REPORT_LOG_LINES = 200;

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

interface RecordedExchange {
  label: string;
  request: { method: string };
  response?: { status: number };
  error?: string;
  startedAt: string;
  timings: { headersMs?: number; totalMs: number };
  curl?: string;
}

function wireEntry(e: RecordedExchange): WireEntry {
  return {
    label: e.label,
    method: e.request.method,
    ...(e.response ? { status: e.response.status } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    startedAt: e.startedAt,
    ...(e.timings.headersMs !== undefined ? { headersMs: e.timings.headersMs } : {}),
    totalMs: e.timings.totalMs,
  };
}

/** The receiver's name on a published site: `--label`, else the target's host and path without credentials. */
export function labelOf(config: Pick<RunConfig, 'label' | 'target'>): string {
  if (config.label) return config.label;
  try {
    const url = new URL(config.target);
    return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return config.target;
  }
}

/** The --fail-on level of a run and the flag that set it, for the verdict's reason. */
export function failOnOf(config: Pick<RunConfig, 'failOn' | 'strict'>): { level: Level; flag: string } {
  if (config.failOn) return { level: config.failOn, flag: `--fail-on ${config.failOn.toLowerCase()}` };
  return config.strict ? { level: 'SHOULD', flag: '--strict' } : { level: 'MUST', flag: '--fail-on must' };
}

export default class PushcheckReporter implements Reporter {
  private readonly config: RunConfig = readRunConfig();
  private readonly secrets = this.config.secrets;
  private readonly cases: CaseReport[] = [];
  private readonly locations = new Map<string, Location>();
  private readonly started = new Date();
  private shard: RunReport['shard'] = null;
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

  onBegin(config: FullConfig): void {
    this.shard = config.shard ? { current: config.shard.current, total: config.shard.total } : null;
    const c = this.config;
    const shard = this.shard ? `, shard ${this.shard.current}/${this.shard.total}` : '';
    this.say(`pushcheck ${c.profile} → ${c.target}  (seed ${c.seed}${c.mode ? `, ${c.mode}` : ''}${shard})`);
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
    this.locations.set(id, { file: test.location.file, line: test.location.line });
    const { outcome, reason } = outcomeOf(test, result);
    const verdict = jsonAttachments(result, ATTACH.verdict).at(-1) as
      { message: string; expected: string; actual: string } | undefined;
    const exchanges = jsonAttachments(result, ATTACH.exchange) as RecordedExchange[];
    const metrics = Object.assign({}, ...jsonAttachments(result, ATTACH.metrics)) as Record<
      string,
      number | string
    >;
    const observations = jsonAttachments(result, ATTACH.observation);
    const assessedBy = (observations as { observer?: string }[]).find((o) => o.observer)?.observer;
    const known: Expectation | undefined = this.config.expectations?.entries[id];
    const report: CaseReport = {
      id,
      title: req.title,
      level: req.level,
      interpreted: req.interpreted ?? false,
      outcome,
      grade: gradeOf(outcome, req.level),
      requirement: req.text,
      source: req.source,
      durationMs: Math.round(result.duration),
      ...(reason !== undefined ? { reason: verdict?.message ?? reason } : {}),
      wire: exchanges.map(wireEntry),
      ...(Object.keys(metrics).length ? { metrics } : {}),
      ...(observations.length ? { observations } : {}),
      ...(assessedBy !== undefined ? { assessedBy } : {}),
      ...(known ? { known: { outcome: known.outcome, reason: known.reason } } : {}),
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
    const by = assessedBy !== undefined ? `  [${assessedBy} observer]` : '';
    const why = (outcome === 'passed' ? (figures ? `  — ${figures}` : '') : `  — ${report.reason}`) + by;
    const tag = known && outcome !== 'passed' ? ' (known)' : '';
    this.say(`  ${ICON[outcome]} ${req.level.padEnd(6)} ${id}${tag} (${report.durationMs} ms)${why}`);
  }

  onEnd(result: FullResult): void {
    const c = this.config;
    const failOn = failOnOf(c);
    const stopped =
      result.status === 'interrupted'
        ? 'was interrupted'
        : result.status === 'timedout'
          ? 'hit its global time limit'
          : undefined;
    this.cases.sort((a, b) => a.id.localeCompare(b.id));
    let { verdict, reason } = verdictOf(this.cases, failOn.level, {
      grep: c.grep,
      flag: failOn.flag,
      errors: this.errors,
    });
    if (stopped) {
      verdict = 'incomplete';
      reason = `the run ${stopped}`;
    }
    const expectations = c.expectations?.file ?? null;
    const report: RunReport = {
      pushcheck: PUSHCHECK_VERSION,
      profile: c.profile,
      label: labelOf(c),
      target: c.target,
      seed: c.seed,
      runTag: c.runTag,
      grep: c.grep ?? null,
      shard: this.shard,
      observer: ((o) => (o ? describeObserver(o) : null))(observerOf(c)),
      ...(c.receiver
        ? {
            receiver: {
              launcher: c.receiver.kind,
              what: c.receiver.what,
              readyMs: c.receiver.readyMs,
              log: logTail(c.receiver.logFile, REPORT_LOG_LINES),
            },
          }
        : {}),
      mode: c.mode ?? null,
      settings: c.settings,
      strict: failOn.level !== 'MUST',
      failOn: failOn.level,
      deadlineMs: c.deadlineMs,
      startedAt: this.started.toISOString(),
      durationMs: Date.now() - this.started.getTime(),
      verdict,
      verdictReason: reason,
      gate: gateOf(this.cases, failOn.level, expectations, { stopped, errors: this.errors }),
      summary: summarize(this.cases),
      errors: this.errors,
      cases: this.cases,
    };
    const written = writeReportFolder(c.reportDir, report, this.secrets);
    redactFolder(join(c.reportDir, '.artifacts'), this.secrets);
    this.summary(written);
    if (process.env.GITHUB_ACTIONS === 'true') {
      for (const line of annotations(written, this.locations, PACKAGE_ROOT)) this.say(line);
    }
    writeJobSummary(redact(toMarkdown(written), this.secrets));
  }

  private summary(r: RunReport): void {
    const s = r.summary;
    this.say('');
    this.say(
      `  ${s.passed} passed, ${s.failed} failed, ${s['not-assessed']} not assessed, ${s.skipped} skipped` +
        (s.error > 0 ? `, ${s.error} pushcheck error(s)` : ''),
    );
    for (const k of r.cases.filter((x) => x.outcome === 'failed' || x.outcome === 'error')) {
      const known = r.gate.knownFailures.includes(k.id) ? ' (known failure)' : '';
      this.say(`  ${k.outcome === 'failed' ? 'FAILED' : 'ERROR'} ${k.level} ${k.id}: ${k.title}${known}`);
      this.say(`    ${k.reason ?? ''}`);
      if (k.expected !== undefined) this.say(`    expected: ${k.expected}`);
      if (k.actual !== undefined) this.say(`    actual:   ${k.actual}`);
    }
    if (r.gate.fixed.length > 0) {
      this.say(
        `  listed as failing in ${r.gate.expectations} but now passing: ${r.gate.fixed.join(', ')}; tighten the file with \`pushcheck expectations update --report ${this.config.reportDir}\``,
      );
    }
    this.say(`  verdict: ${r.verdict.toUpperCase()} (${r.verdictReason})`);
    this.say(`  gate: ${r.gate.result.toUpperCase()} (${r.gate.reason}), exit ${exitCodeOf(r.gate)}`);
    this.say(
      `  report: ${join(this.config.reportDir, 'index.html')} (and report.json, junit.xml, report.md, badge.svg)`,
    );
  }
}
