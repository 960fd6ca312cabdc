/** Shared by pushcheck's own tests: run the real CLI as a user would, and read what it wrote. */
import {
  type ChildProcess,
  type ChildProcessByStdio,
  execFile,
  execFileSync,
  spawn,
} from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RequestHandler } from 'msw';
import { serve } from '../mocks/serve.ts';
import { childEnv } from '../src/core/playwright.ts';
import { exitCodeOf as gateExitCode } from '../src/report/model.ts';
import type { RunReport } from '../src/report/reporter.ts';

export const ROOT = join(import.meta.dirname, '..');
export const TOKEN = 'selftest-token-9';
/** A key whose characters include +, / and =, as a platform-generated key may. */
export const AES_KEY = 'a+B/c=D4e5F6g7H8';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  report?: RunReport;
}

/**
 * Makes `dir` a folder nobody may write in, and returns the function that undoes it. Root ignores mode bits but
 * not the immutable attribute; anyone else gets a read-only folder. (Running as another user instead would
 * need that user to read the clone, which CI's folder need not allow.)
 */
export function lockFolder(dir: string): () => void {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', dir]);
    return () => execFileSync('chattr', ['-i', dir]);
  }
  chmodSync(dir, 0o555);
  return () => chmodSync(dir, 0o755);
}

/** A fresh temporary folder. */
export function scratch(prefix = 'pushcheck-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** This process's environment as pushcheck gives it a child (no Playwright worker's variables), plus `extra`. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...childEnv(), ...extra };
}

/** Whether something accepts connections on 127.0.0.1:`port` now. */
export function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      done(true);
    });
    socket.on('error', () => done(false));
  });
}

/** A loopback port nothing listens on now, chosen by the system (a random one may be in use). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Resolves once something accepts connections on 127.0.0.1:`port`; throws after 30 s, or at once if `starter`
 * (the process that should listen: a child, or a {@link pushcheck} run not awaited) ends first.
 */
export async function waitForPort(port: number, starter?: ChildProcess | Promise<CliResult>): Promise<void> {
  let ended: string | undefined;
  if (starter instanceof Promise) {
    void starter.then((r) => (ended = `it ended (exit ${r.code}) before listening on ${port}: ${r.stderr}`));
  }
  for (let i = 0; i < 300; i++) {
    if (starter && !(starter instanceof Promise) && starter.exitCode !== null)
      ended = `it exited (${starter.exitCode}) before listening on ${port}`;
    if (ended !== undefined) throw new Error(ended);
    if (await listening(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port} after 30 s`);
}

/** `pushcheck run` arguments for a OneNET run with `token`, followed by `more` (its target or its launcher). */
export function onenetArgs(more: readonly string[], token = TOKEN): string[] {
  return ['run', '--profile', 'onenet', '--token', token, ...more];
}

/** `pushcheck run` arguments for a OneNET run against `target` with `token`, followed by `more`. */
export function onenetRun(target: string, more: readonly string[] = [], token = TOKEN): string[] {
  return ['run', '--profile', 'onenet', '--target', target, '--token', token, ...more];
}

/** A `pushcheck` child process and what it has written so far. */
export interface Running {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** Both streams, in the order their chunks came. */
  out(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** Starts `pushcheck ...args` as a child process, with `env` added to the clean environment, for tests that signal it. */
export function startPushcheck(args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'pushcheck.js'), ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = { stdout: '', stderr: '', out: '' };
  for (const stream of ['stdout', 'stderr'] as const)
    child[stream].on('data', (d: Buffer) => {
      text[stream] += d.toString();
      text.out += d.toString();
    });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => text.stdout, stderr: () => text.stderr, out: () => text.out, exited };
}

/**
 * Starts `pushcheck run` against `target` as a child process, for tests that signal it. The targets of those
 * tests hang, which the preflight would stop the run for: `--no-preflight` lets the cases start.
 */
export function spawnRun(target: string, reportDir: string): Running {
  return startPushcheck(onenetRun(target, ['--report', reportDir, '--no-preflight']));
}

/** Checks `done` every `everyMs` until it holds, for at most `ms`; resolves with whether it held. */
export async function waitUntil(
  done: () => boolean | Promise<boolean>,
  ms = 60_000,
  everyMs = 50,
): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += everyMs) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return done();
}

/** A OneNET case id, as the reporter prints each case it runs. */
const ONENET_CASE = /onenet\.[a-z-]+\./;

/** Waits (up to 60 s) until a run's first case is under way: `output` shows a case id. */
export async function underWay(output: () => string): Promise<void> {
  await waitUntil(() => ONENET_CASE.test(output()));
  expect(output()).toMatch(ONENET_CASE);
}

/**
 * Runs `pushcheck ...args` in a child process (in `cwd`, if given); reads DIR/report.json when `reportDir` is
 * given.
 */
export async function pushcheck(
  args: string[],
  reportDir?: string,
  env: NodeJS.ProcessEnv = {},
  cwd?: string,
): Promise<CliResult> {
  const started = performance.now();
  const result = await new Promise<Omit<CliResult, 'ms'>>((done) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'pushcheck.js'), ...args],
      { env: cleanEnv(env), maxBuffer: 16 * 1024 * 1024, timeout: 600_000, ...(cwd ? { cwd } : {}) },
      (err, stdout, stderr) => {
        const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0;
        done({ code, stdout, stderr });
      },
    );
  });
  const file = reportDir && join(reportDir, 'report.json');
  const report = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunReport) : undefined;
  return { ...result, ms: Math.round(performance.now() - started), ...(report ? { report } : {}) };
}

/** The ids of the cases of `report` with outcome `outcome`. */
export function idsWith(report: RunReport | undefined, outcome: string): string[] {
  return (report?.cases ?? []).filter((c) => c.outcome === outcome).map((c) => c.id);
}

/** The ids of the cases of `registry` that need `need` (an observer, a key, a state hook). */
export function casesNeeding(registry: Readonly<Record<string, object>>, need: string): string[] {
  return Object.entries(registry)
    .filter(([, r]) => (r as { needs?: readonly string[] }).needs?.includes(need))
    .map(([id]) => id);
}

/** How a self-test runs pushcheck against a receiver it serves. */
export interface ServedRun {
  /** Runs pushcheck (default: at once; a batch's part in the faulty-receiver loop). */
  runner?: Runner;
  /** Whether pushcheck watches the file the receiver records into (default true). */
  observe?: boolean;
  extra?: readonly string[];
}

/**
 * Serves `handlers` on loopback and runs `pushcheck run` with `args(origin)` against it, then `--report
 * DIR/report` and `opts.extra`, and `--observe-file FILE` unless `opts.observe` is false; the receiver serves
 * until the run ends.
 */
export async function runServed(
  handlers: RequestHandler[],
  args: (origin: string) => string[],
  files: { dir: string; observeFile: string },
  opts: ServedRun,
): Promise<CliResult & { dir: string }> {
  const report = join(files.dir, 'report');
  const server = await serve(handlers);
  try {
    const all = ['run', ...args(server.origin), '--report', report, ...(opts.extra ?? [])];
    if (opts.observe !== false) all.push('--observe-file', files.observeFile);
    return { ...(await (opts.runner ?? pushcheck)(all, report)), dir: files.dir };
  } finally {
    await server.close();
  }
}

/** The run exited 0 with a conformant verdict, `passed` cases passed. */
export function expectConformant(r: CliResult, passed: number): void {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.report?.verdict).toBe('conformant');
  expect(r.report?.summary.passed).toBe(passed);
}

/** The run exited 3, incomplete for want of `because` (a case its reason names), with exactly `notAssessed` not assessed. */
export function expectIncomplete(r: CliResult, because: string, notAssessed: readonly string[]): void {
  expect(r.code, r.stdout + r.stderr).toBe(3);
  expect(r.report?.verdict).toBe('incomplete');
  expect(r.report?.verdictReason).toContain(because);
  expect(idsWith(r.report, 'not-assessed').sort()).toEqual([...notAssessed].sort());
}

/** What `f` returns, or undefined when it throws (a decryption that throws rejects its input too). */
export function unlessThrown<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * Starts a receiver written apart from pushcheck with `start` (given the file it records each processed message
 * in) and runs `pushcheck run --profile PROFILE` against it with --strict, that file observed, and `more`; the
 * token comes from the environment, as a CI secret would. The receiver is closed afterwards.
 */
export async function runIndependent(
  profile: string,
  start: (observeFile: string) => Promise<{ url: string; close(): Promise<void> }>,
  more: readonly string[],
): Promise<CliResult> {
  const dir = scratch();
  const observeFile = join(dir, 'processed.log');
  const receiver = await start(observeFile);
  try {
    const args = ['run', '--profile', profile, '--target', receiver.url, '--observe-file', observeFile];
    args.push('--report', join(dir, 'report'), '--strict', ...more);
    return await pushcheck(args, join(dir, 'report'), { PUSHCHECK_TOKEN: TOKEN });
  } finally {
    await receiver.close();
  }
}

/** `secret` stands nowhere a run wrote: not in report.json or junit.xml of `r.dir`/report, nor in the output. */
export function expectNotWritten(r: CliResult & { dir: string }, secret: string): void {
  for (const file of ['report.json', 'junit.xml']) {
    expect(readFileSync(join(r.dir, 'report', file), 'utf8')).not.toContain(secret);
  }
  expect(r.stdout + r.stderr).not.toContain(secret);
}

/** How a profile's self-test runs pushcheck against its reference receiver, plain or with its key. */
export interface ReferenceRuns {
  /** The profile, as its case ids begin. */
  profile: string;
  registry: Readonly<Record<string, object>>;
  /** The mode the key turns on, as the report names it ("secure mode"). */
  mode: string;
  /** The key that turns it on: a secret no report or output may show. */
  key: string;
  /** Serves the reference receiver (with `key`, in its mode) and runs `pushcheck run` against it. */
  run(opts: { key?: string; observe?: boolean; extra?: string[] }): Promise<CliResult & { dir: string }>;
}

/**
 * Declares the reference receiver's tests: conformant with --strict without the key (the cases that need it
 * skipped) and with it (never writing the secrets), and incomplete without an observer, whose cases are then
 * not assessed.
 */
export function referenceIsConformant(ref: ReferenceRuns): void {
  const all = Object.keys(ref.registry);
  const needing = (need: string) => casesNeeding(ref.registry, need);
  const word = ref.mode.replace(/ mode$/, '');
  test(`passes every case with --strict in plain mode; ${word}-mode cases are skipped`, async () => {
    const r = await ref.run({ extra: ['--strict'] });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.report?.verdict).toBe('conformant');
    expect(idsWith(r.report, 'failed')).toEqual([]);
    expect(idsWith(r.report, 'skipped').sort()).toEqual(needing('aes-key').sort());
    expect(r.report?.summary.passed).toBe(all.length - needing('aes-key').length);
    expect(r.stdout).toMatch(/verdict: CONFORMANT/);
  });

  test(`passes every case with --strict in ${word} mode, and never writes the secrets`, async () => {
    const r = await ref.run({ key: ref.key, extra: ['--strict'] });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.report?.summary.passed).toBe(all.length);
    expect(r.report?.mode).toBe(ref.mode);
    expectNotWritten(r, ref.key);
    expectNotWritten(r, TOKEN);
  });

  test('without an observer, the cases that need one are not assessed, and the run is incomplete', async () => {
    const r = await ref.run({ observe: false });
    const expected = needing('observer').filter((id) => !needing('aes-key').includes(id));
    expectIncomplete(r, `${ref.profile}.push.processed`, expected);
    const one = r.report?.cases.find((c) => c.outcome === 'not-assessed');
    expect(one?.reason).toContain('--observe-file');
  });
}

/** A faulty receiver as the self-tests read it from a profile's `faulty` map. */
export interface FaultyEntry {
  /** The cases meant to catch it. */
  caughtBy: readonly string[];
  /** Why other cases fail too; absent when the defect fails only `caughtBy`. */
  collateral?: string;
}

/** How a profile's self-test runs pushcheck against each of its faulty receivers. */
export interface FaultyLoop<F extends FaultyEntry, R extends CliResult> {
  /** The profile's requirements: the level of each failed case decides the exit code. */
  registry: Readonly<Record<string, { level: string }>>;
  faulty: Readonly<Record<string, F>>;
  /**
   * Serves faulty receiver `name` on loopback and runs `pushcheck run` against it with `runner`, adding `args`;
   * keeps serving until `runner` resolves.
   */
  run(name: string, f: F, args: string[], runner: Runner): Promise<R>;
  /**
   * The receiver's own arguments (the configuration its defect shows under, or a `--grep` that replaces the
   * one on its catching cases).
   */
  argsFor?(name: string, f: F): readonly string[];
  /** Whether each failure must carry a `curl` line (default true). */
  curl?: boolean;
  /** What else each run must show (that no secret was written). */
  also?(r: R, name: string, f: F): void;
}

/** A `--grep` pattern matching exactly the cases `ids` (a case's title is `<id>: <requirement title>`). */
export function casesPattern(ids: readonly string[]): string {
  return `(${ids.map((id) => id.replaceAll('.', '\\.')).join('|')}):`;
}

/** Runs `pushcheck ...args`, reading the report in `reportDir`: {@link pushcheck} itself, or a batch's part. */
export type Runner = (args: string[], reportDir?: string) => Promise<CliResult>;

/**
 * Gathers the `pushcheck run` of each of `names` and runs them all in one {@link pushcheckBatch} once every name
 * has asked or dropped out (its caller failed before asking); each caller then gets its own part.
 */
class DeferredBatch {
  private readonly asked = new Map<
    string,
    { args: string[]; done: (r: CliResult) => void; fail: (e: unknown) => void }
  >();
  private readonly pending: Set<string>;
  private started = false;

  constructor(
    names: readonly string[],
    private readonly parallel: number,
  ) {
    this.pending = new Set(names);
  }

  runner(name: string): Runner {
    return (args) =>
      new Promise<CliResult>((done, fail) => {
        this.asked.set(name, { args: args[0] === 'run' ? args.slice(1) : args, done, fail });
        this.pending.delete(name);
        this.flush();
      });
  }

  drop(name: string): void {
    this.pending.delete(name);
    this.flush();
  }

  private flush(): void {
    if (this.started || this.pending.size > 0 || this.asked.size === 0) return;
    this.started = true;
    const asked = [...this.asked];
    pushcheckBatch(
      asked.map(([name, a]) => batchRun(name, a.args)),
      this.parallel,
    ).then(
      ({ byName, all }) => {
        for (const [name, a] of asked) {
          const r = byName.get(name);
          if (r?.report) a.done(r);
          else {
            const why = `pushcheck exited ${all.code}: ${all.stderr.slice(-3000)}${all.stdout.slice(-3000)}`;
            a.fail(new Error(`the batch wrote no report for ${name}; ${why}`));
          }
        }
      },
      (err: unknown) => {
        for (const [, a] of asked) a.fail(err);
      },
    );
  }
}

/** How long one profile's batch of faulty receivers may take, on a loaded CI machine. */
const BATCH_TIMEOUT_MS = 15 * 60_000;

/**
 * Declares one test per faulty receiver: pushcheck, run against it through the CLI, fails each case of its
 * `caughtBy`, exits 1 exactly when one of them is a MUST, and says what was expected, what happened and how to
 * reproduce it. A one-defect receiver gets the whole suite, which must fail only its cases. A receiver with
 * `collateral` fails many cases by design (each failure costs the run a fresh Playwright worker) and the test
 * asserts nothing of them, so it runs only its catching cases.
 *
 * The runs against all the receivers are one `pushcheck run --config` (one Playwright start-up, two receivers
 * side by side, as two test workers would), made before the first test; each test then reads its receiver's
 * report, exit code and output block.
 */
export function eachFaultyIsCaught<F extends FaultyEntry, R extends CliResult>(loop: FaultyLoop<F, R>): void {
  const entries = Object.entries(loop.faulty);
  // Its own group, so that the batch and the order apply to these tests alone.
  test.describe(() => {
    let results = new Map<string, Promise<R>>();
    test.describe.configure({ mode: 'default' });
    test.beforeAll(async () => {
      test.setTimeout(BATCH_TIMEOUT_MS);
      const batch = new DeferredBatch(
        entries.map(([name]) => name),
        2,
      );
      results = new Map(
        entries.map(([name, f]) => {
          const args = [...(loop.argsFor?.(name, f) ?? [])];
          if (f.collateral !== undefined && !args.includes('--grep'))
            args.push('--grep', casesPattern(f.caughtBy));
          const run = loop.run(name, f, args, batch.runner(name));
          run.catch(() => batch.drop(name));
          return [name, run] as const;
        }),
      );
      await Promise.allSettled(results.values());
    });
    for (const [name, f] of entries) {
      test(`"${name}" is caught by ${f.caughtBy.join(' and ')}`, async () => {
        const r = await (results.get(name) as Promise<R>);
        const failed = idsWith(r.report, 'failed');
        // A case the document permits to go either way catches its defect as a finding, not a failure.
        const found = (r.report?.cases ?? []).filter((c) => c.finding !== undefined).map((c) => c.id);
        const caught = [...failed, ...found];
        for (const id of f.caughtBy) expect(caught, r.stdout).toContain(id);
        if (f.collateral === undefined) {
          expect(caught.sort(), 'a one-defect receiver fails only its cases').toEqual([...f.caughtBy].sort());
        }
        const must = failed.some((id) => loop.registry[id]?.level === 'MUST');
        expect(r.code, r.stdout + r.stderr).toBe(must ? 1 : 0);
        const c = r.report?.cases.find((k) => k.id === f.caughtBy[0]);
        expect(c?.expected, 'a failure says what was expected').toBeTruthy();
        expect(c?.actual, 'and what happened').toBeTruthy();
        if (loop.curl !== false) expect(c?.curl, 'and how to reproduce it').toMatch(/^curl /);
        expect(r.stdout).toContain(`${c?.finding !== undefined ? 'FINDING' : 'FAILED'} ${c?.level} ${c?.id}`);
        loop.also?.(r, name, f);
      });
    }
  });
}

/** One run of {@link pushcheckBatch}: `pushcheck run` options by their long names, as in a config file. */
export interface BatchRun {
  name: string;
  profile: string;
  options: Record<string, string | true | string[]>;
}

/** `pushcheck run` arguments (`--profile P --target URL --flag ...`) as a config file's run. */
export function batchRun(name: string, args: readonly string[]): BatchRun {
  const options: BatchRun['options'] = {};
  for (let i = 0; i < args.length; i++) {
    const key = args[i]?.replace(/^--/, '') ?? '';
    const next = args[i + 1];
    const value = next === undefined || next.startsWith('--') ? true : (i++, next);
    const had = options[key];
    options[key] =
      had === undefined || value === true ? value : [...(Array.isArray(had) ? had : [String(had)]), value];
  }
  const { profile, ...rest } = options;
  if (typeof profile !== 'string') throw new Error(`batchRun ${name}: no --profile in ${args.join(' ')}`);
  return { name, profile, options: rest };
}

/**
 * Runs every run in one `pushcheck run --config` (one Playwright start-up for them all, `parallel` side by
 * side) and returns, by name, what a separate `pushcheck run` would have given: its report, the exit code its
 * gate stands for, and its own block of the output.
 */
export async function pushcheckBatch(
  runs: readonly BatchRun[],
  parallel = 2,
): Promise<{ all: CliResult; byName: Map<string, CliResult> }> {
  const dir = scratch('pushcheck-batch-');
  const config = {
    runs: runs.map((r) => ({
      name: r.name,
      profile: r.profile,
      options: { report: join(dir, r.name), label: r.name, ...r.options },
    })),
  };
  const file = join(dir, 'pushcheck.config.json');
  writeFileSync(file, JSON.stringify(config));
  const all = await pushcheck(['run', '--config', file, '--parallel', String(parallel)]);
  const byName = new Map<string, CliResult>();
  for (const r of config.runs) {
    const reportFile = join(r.options.report as string, 'report.json');
    const report = existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport)
      : undefined;
    const header = `pushcheck ${r.profile} [${r.name}] `;
    const start = all.stdout.indexOf(header);
    const next = start < 0 ? -1 : all.stdout.indexOf('\npushcheck ', start + 1);
    const block = start < 0 ? '' : all.stdout.slice(start, next < 0 ? undefined : next);
    byName.set(r.name, {
      code: report ? gateExitCode(report.gate) : all.code,
      stdout: block,
      stderr: all.stderr,
      ms: all.ms,
      ...(report ? { report } : {}),
    });
  }
  return { all, byName };
}
