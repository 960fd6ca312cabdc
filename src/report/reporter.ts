/**
 * The Playwright reporter of a pushcheck run: a line per case that did not fail as it ends, then the report
 * folder (report.json, junit.xml, report.md, index.html, badge.svg: src/report/write.ts), a terminal summary
 * naming each failed case once, with the failures that share a cause said together (src/report/causes.ts),
 * and on GitHub Actions annotations and the job summary. Every string it writes passes through redaction.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestError,
  TestResult,
} from '@playwright/test/reporter';
import { ANNOTATE, ATTACH, type Level, type Outcome } from '../core/case.ts';
import { type RunConfig, readRunConfig, redact, runConfigs } from '../core/config.ts';
import { logTail } from '../core/launchers.ts';
import { describeObserver, observerOf } from '../core/observers.ts';
import { PACKAGE_ROOT } from '../core/schemas.ts';
import { PROFILES } from '../profiles.ts';
import { failuresByCause, headline, simplestRequests, withoutListed } from './causes.ts';
import { annotations, type Location, writeJobSummary } from './github.ts';
import { toMarkdown } from './markdown.ts';
import { buildRunReport } from './build.ts';
import {
  type CaseReport,
  type Expectation,
  exitCodeOf,
  caseHead,
  type RunReport,
  securityFindingsOf,
  standingOf,
  type WireEntry,
} from './model.ts';
import { openCommand, redactFolder, writeReportFolder } from './write.ts';

export type { CaseReport, RunReport, Verdict } from './model.ts';

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

/** Why a case under way when the run was interrupted was not assessed. */
const INTERRUPTED_CASE = 'the run was interrupted';

/** Why a run stopped, when Playwright's runner was interrupted (Ctrl-C, SIGTERM, SIGHUP). */
const INTERRUPTED = 'was interrupted';

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
    // A case the document permits to go either way ended with a finding: passed (decisions/022).
    if (note(ANNOTATE.finding) !== undefined) return { outcome: 'passed' };
    const na = note(ANNOTATE.notAssessed);
    if (na) return { outcome: 'not-assessed', reason: na };
    // Every skip in a case is annotated (pushcheck's say why); one that is not is Playwright's, for a case it
    // stopped on Ctrl-C or SIGTERM before it got under way: not assessed, never "skipped" as if not offered.
    const skips = result.annotations.some((a) => a.type === ANNOTATE.notApplicable || a.type === 'skip');
    if (!skips) return { outcome: 'not-assessed', reason: INTERRUPTED_CASE };
    return { outcome: 'skipped', reason: note(ANNOTATE.notApplicable) ?? note('skip') ?? 'skipped' };
  }
  if (result.status === 'interrupted') return { outcome: 'not-assessed', reason: INTERRUPTED_CASE };
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

/** One run's part of the reporter: its cases as they end, and what it prints. */
interface RunState {
  config: RunConfig;
  cases: CaseReport[];
  locations: Map<string, Location>;
  /** Errors outside any case (a suite file that does not load, a worker that died). */
  errors: string[];
  /** How many cases Playwright will run for it, and how many have ended. */
  expected: number;
  ended: number;
  /** Its lines, held back while several runs go side by side so that each prints as one block. */
  held: string[];
  finished: boolean;
  /** When its first case began. */
  started?: Date;
}

/** Where a case is written: `conformance` annotates it, since Playwright's location is where it registers it. */
function locationOf(test: TestCase): Location {
  const at = test.annotations.find((a) => a.type === ANNOTATE.location)?.description;
  const colon = at?.lastIndexOf(':') ?? -1;
  if (at === undefined || colon < 0) return { file: test.location.file, line: test.location.line };
  return { file: at.slice(0, colon), line: Number(at.slice(colon + 1)) };
}

export default class PushcheckReporter implements Reporter {
  private readonly runs: RunState[] = (runConfigs() ?? [readRunConfig()]).map((config) => ({
    config,
    cases: [],
    locations: new Map(),
    errors: [],
    expected: 0,
    ended: 0,
    held: [],
    finished: false,
  }));
  /** One run prints as it goes; several print each as a block when it ends. */
  private readonly streaming = this.runs.length === 1;
  private readonly started = new Date();
  private shard: RunReport['shard'] = null;
  private scratch: string | undefined;

  printsToStdio(): boolean {
    return true;
  }

  private say(run: RunState, line: string): void {
    const text = redact(line, run.config.secrets);
    if (this.streaming || run.finished) process.stdout.write(`${text}\n`);
    else run.held.push(text);
  }

  private runOf(test: TestCase): RunState | undefined {
    return this.runs[Number(test.annotations.find((a) => a.type === ANNOTATE.run)?.description ?? 0)];
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.shard = config.shard ? { current: config.shard.current, total: config.shard.total } : null;
    // Several runs share one scratch folder for Playwright's artifacts (playwright.config.ts).
    if (this.runs.length > 1) this.scratch = config.projects[0]?.outputDir;
    for (const test of suite.allTests()) {
      const run = this.runOf(test);
      if (run) run.expected++;
    }
    const shard = this.shard ? `, shard ${this.shard.current}/${this.shard.total}` : '';
    for (const run of this.runs) {
      const c = run.config;
      const label = c.label !== undefined ? ` [${c.label}]` : '';
      this.say(
        run,
        `pushcheck ${c.profile}${label} → ${c.target}  (seed ${c.seed}${c.mode ? `, ${c.mode}` : ''}${shard})`,
      );
    }
  }

  onError(error: TestError): void {
    const message = stripAnsi(error.message ?? String(error.value ?? 'unknown error')).split('\n')[0] ?? '';
    for (const run of this.runs.filter((r) => !r.finished)) {
      run.errors.push(message);
      this.say(run, `  ! pushcheck error: ${message}`);
    }
  }

  onTestBegin(test: TestCase): void {
    const run = this.runOf(test);
    if (run) run.started ??= new Date();
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const run = this.runOf(test);
    if (!run || run.finished) return;
    run.ended++;
    this.record(run, test, result);
    if (run.ended >= run.expected) this.finish(run, undefined);
  }

  private record(run: RunState, test: TestCase, result: TestResult): void {
    const id = test.annotations.find((a) => a.type === ANNOTATE.id)?.description;
    const req = id ? PROFILES[run.config.profile]?.registry[id] : undefined;
    if (!id || !req) return;
    run.locations.set(id, locationOf(test));
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
    const finding = result.annotations.find((a) => a.type === ANNOTATE.finding)?.description;
    const known: Expectation | undefined = run.config.expectations?.entries[id];
    const blockedBy = result.annotations.find((a) => a.type === ANNOTATE.blockedBy)?.description;
    const report: CaseReport = {
      ...caseHead(id, req, outcome),
      durationMs: Math.round(result.duration),
      ...(reason !== undefined ? { reason: verdict?.message ?? reason } : {}),
      wire: exchanges.map(wireEntry),
      ...(Object.keys(metrics).length ? { metrics } : {}),
      ...(observations.length ? { observations } : {}),
      ...(assessedBy !== undefined ? { assessedBy } : {}),
      ...(known ? { known: { outcome: known.outcome, reason: known.reason } } : {}),
      ...(outcome === 'not-assessed' && blockedBy !== undefined ? { blockedBy } : {}),
      ...(finding !== undefined ? { finding } : {}),
    };
    if (outcome === 'failed' || outcome === 'error' || finding !== undefined) {
      if (verdict) Object.assign(report, { expected: verdict.expected, actual: verdict.actual });
      report.exchanges = exchanges;
      const curl = exchanges.at(-1)?.curl;
      if (curl) report.curl = curl;
    }
    run.cases.push(report);
    // A failure is printed once, in the summary, where the failures that share a cause are said together;
    // a finding too, with the security findings.
    if (outcome === 'failed' || outcome === 'error' || finding !== undefined) return;
    const figures = Object.entries(metrics)
      .filter(([k]) => k.endsWith('Ms'))
      .map(([k, v]) => `${k.slice(0, -2)} ${v} ms`)
      .join(', ');
    const by = assessedBy !== undefined ? `  [${assessedBy} observer]` : '';
    const why = (outcome === 'passed' ? (figures ? `  — ${figures}` : '') : `  — ${report.reason}`) + by;
    const tag = known && outcome !== 'passed' ? ' (known)' : '';
    this.say(run, `  ${ICON[outcome]} ${req.level.padEnd(6)} ${id}${tag} (${report.durationMs} ms)${why}`);
  }

  onEnd(result: FullResult): void {
    const stopped =
      result.status === 'interrupted'
        ? INTERRUPTED
        : result.status === 'timedout'
          ? 'hit its global time limit'
          : undefined;
    for (const run of this.runs.filter((r) => !r.finished)) this.finish(run, stopped);
    // Each failure is in its run's report already; what Playwright wrote beside it repeats it, unredacted.
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
  }

  /** Writes the run's report folder and prints its summary (after its held lines). */
  private finish(run: RunState, stopped: string | undefined): void {
    const c = run.config;
    const failOn = failOnOf(c);
    const cases = run.cases.sort((a, b) => a.id.localeCompare(b.id));
    const started = run.started ?? this.started;
    const report = buildRunReport({
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
      failOn: failOn.level,
      flag: failOn.flag,
      deadlineMs: c.deadlineMs,
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      expectations: c.expectations?.file ?? null,
      stopped,
      errors: run.errors,
      cases,
    });
    const written = writeReportFolder(c.reportDir, report, c.secrets);
    redactFolder(join(c.reportDir, '.artifacts'), c.secrets);
    // A launched receiver's output, beside the report that quotes it: its last lines, redacted.
    if (written.receiver) {
      const log = written.receiver.log.map((line) => `${redact(line, c.secrets)}\n`).join('');
      writeFileSync(join(c.reportDir, 'receiver.log'), log);
    }
    run.finished = true;
    if (!this.streaming) process.stdout.write(`\n${run.held.splice(0).join('\n')}\n`);
    this.summary(run, written, stopped);
    if (process.env.GITHUB_ACTIONS === 'true') {
      for (const line of annotations(written, run.locations, PACKAGE_ROOT)) this.say(run, line);
    }
    writeJobSummary(redact(toMarkdown(written), c.secrets));
  }

  private summary(run: RunState, r: RunReport, stopped: string | undefined): void {
    const say = (line: string) => this.say(run, line);
    const s = r.summary;
    say('');
    say(
      `  ${s.passed} passed, ${s.failed} failed, ${s['not-assessed']} not assessed, ${s.skipped} skipped` +
        (s.error > 0 ? `, ${s.error} pushcheck error(s)` : ''),
    );
    const known = (k: CaseReport) => (r.gate.knownFailures.includes(k.id) ? ' (known failure)' : '');
    const head = (k: CaseReport) =>
      `${k.outcome === 'failed' ? 'FAILED' : 'ERROR'} ${k.level} ${k.id}: ${k.title}${known(k)}`;
    const details = (k: CaseReport, indent: string) => {
      say(`${indent}${k.reason ?? ''}`);
      if (k.expected !== undefined) say(`${indent}expected: ${k.expected}`);
      if (k.actual !== undefined) say(`${indent}actual:   ${k.actual}`);
      if (k.curl !== undefined) say(`${indent}${k.curl}`);
    };
    const { causes, alone } = failuresByCause(r.cases);
    for (const cause of causes) {
      say(`  ${headline(cause)}`);
      say(`    ${head(cause.simplest)}  (the simplest: ${simplestRequests(cause)})`);
      details(cause.simplest, '      ');
      for (const k of cause.others) say(`    ${head(k)}`);
    }
    for (const k of alone) {
      say(`  ${head(k)}`);
      details(k, '    ');
    }
    const listed = r.cases.filter((k) => k.outcome === 'failed' || k.outcome === 'error').map((k) => k.id);
    if (r.gate.fixed.length > 0) {
      say(
        `  listed as failing in ${r.gate.expectations} but now passing: ${r.gate.fixed.join(', ')}; tighten the file with \`pushcheck expectations update --report ${run.config.reportDir}\``,
      );
    }
    // What the document permits passed, with its finding said here (decisions/022).
    for (const k of r.cases) {
      if (k.finding === undefined) continue;
      say(`  FINDING ${k.level} ${k.id}: ${k.title} (passed: the document permits it)`);
      details({ ...k, reason: k.finding }, '    ');
    }
    const findings = securityFindingsOf(r.cases);
    if (findings.length > 0) {
      say(`  security findings (${findings.length}): forged, tampered or unauthenticated messages accepted`);
      for (const k of findings) {
        say(
          `    ! ${k.level} ${k.id}: ${k.title}${k.finding !== undefined ? ' (permitted by the document)' : ''}`,
        );
      }
    }
    // "CONFORMANT, WITH 4 SHOULD FAILURES": never the bare word of a clean pass (decisions/022).
    say(`  verdict: ${standingOf(r).label.toUpperCase()} (${withoutListed(r.verdictReason, listed)})`);
    // An interrupted run's exit code is the signal's (128 + N), which pushcheck's own last line names.
    const exit = stopped === INTERRUPTED ? '' : `, exit ${exitCodeOf(r.gate)}`;
    say(`  gate: ${r.gate.result.toUpperCase()} (${withoutListed(r.gate.reason, listed)})${exit}`);
    say(
      `  report: ${join(run.config.reportDir, 'index.html')} (and report.json, junit.xml, report.md, badge.svg)`,
    );
    say(`  open: ${openCommand(join(run.config.reportDir, 'index.html'))}`);
  }
}
