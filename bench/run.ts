/**
 * `npm run bench`: on this machine, in one run, every figure of pushcheck's cost (issue 19), each beside its
 * target and its value before the work on it, with the load average at the start and the end:
 * - the floor: a one-test Playwright run of a trivial test, one worker (wall time, peak memory of its processes);
 * - one `pushcheck run --profile onenet` against a correct receiver (`pushcheck serve onenet`, with an observer),
 *   as a ratio to the floor, and which of its processes holds what at its peak;
 * - each profile's reference receivers (`pushcheck demo --profile P`), naming the cases that wait longest;
 * - a receiver that acks every push 6 s late, and one that accepts connections and never answers;
 * - `pushcheck demo` (the median of runs) and its peak memory;
 * - the burst generator's rate beside autocannon's against the same receiver (median of rounds);
 * - timing precision: acks after 4.90 s and 5.10 s against the 5 s deadline, and the latency error;
 * - `.ci/run`'s duration, which the bench cannot measure: `.ci/run` prints it itself.
 * Memory is the resident memory of the whole process tree (pushcheck, Playwright's runner and workers), sampled
 * from /proc every 50 ms; the receivers under test run in other processes and are not counted.
 * Options: --quick (leaves out the slow receivers and the timing precision), --runs N (floor, run and demo
 * repetitions; the figure is the median; default 3), --rounds N, --samples N, --seconds N, --load-rounds N.
 * Traffic goes to 127.0.0.1 only; every scenario is bounded, and stopped (and said so) at its bound.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile } from '../src/core/case.ts';
import { send } from '../src/core/http.ts';
import { burst } from './load.ts';
import { type Measured, measure, mib } from './proc.ts';
import { createRng } from '../src/core/rng.ts';
import { PROFILES } from '../src/profiles.ts';
import type { RunReport } from '../src/report/reporter.ts';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'pushcheck.js');
const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    samples: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '4' },
    'load-rounds': { type: 'string', default: '3' },
  },
});
const QUICK = opts.quick === true;
const RUNS = Math.max(1, Math.min(10, Number(opts.runs) || 1));
const ROUNDS = Math.min(100, Number(opts.rounds));
const SAMPLES = Math.min(10_000, Number(opts.samples));
const SECONDS = Math.min(60, Number(opts.seconds));
const LOAD_ROUNDS = Math.max(1, Math.min(10, Number(opts['load-rounds']) || 1));
const CONCURRENCY = 20;
/** How long the slow receivers' runs may take before the bench stops them (their targets are 45 s and 60 s). */
const SLOW_BOUND_MS = 100_000;
const TOKEN = 'bench-token';

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const sec = (n: number): string => `${(n / 1000).toFixed(2)} s`;
const line = (label: string, value: string, target = ''): void =>
  console.log(`  ${label.padEnd(46)} ${value.padEnd(30)} ${target}`);
const verdict = (ok: boolean, target: string): string => `${ok ? 'meets' : 'MISSES'} target ${target}`;

/** One figure of issue 19, for the summary at the end. */
interface Figure {
  name: string;
  now: string;
  target: string;
  before: string;
  met: boolean | undefined;
}
const figures: Figure[] = [];
function figure(name: string, now: string, target: string, before: string, met: boolean | undefined): void {
  figures.push({ name, now, target, before, met });
  const mark = met === undefined ? '' : met ? 'met' : 'MISSED';
  console.log(
    `  ${name.padEnd(44)} ${now.padEnd(26)} target ${target.padEnd(12)} was ${before.padEnd(14)} ${mark}`,
  );
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
};

/** A run of the pushcheck CLI, measured; stopped (SIGTERM, then SIGKILL) after `timeoutMs`. */
function pushcheck(args: readonly string[], timeoutMs = 120_000): Promise<Measured> {
  return measure(process.execPath, [CLI, ...args], { cwd: ROOT, timeoutMs });
}

/** The reports a run or a demo wrote under `dir`: `dir/report.json`, or one per receiver in its sub-folders. */
function reportsIn(dir: string): RunReport[] {
  const files = [join(dir, 'report.json'), ...readdirSync(dir).map((d) => join(dir, d, 'report.json'))];
  return files.filter((f) => existsSync(f)).map((f) => JSON.parse(readFileSync(f, 'utf8')) as RunReport);
}

/** Runs `body` with a fresh scratch folder, removed afterwards. */
async function inScratch<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-bench-'));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A reference receiver (`pushcheck serve P`) in its own process: its URL, and how to stop it. */
async function serve(profile: string, args: readonly string[]): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [CLI, 'serve', profile, '--port', '0', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((ok, ko) => {
    const timer = setTimeout(
      () => ko(new Error(`pushcheck serve ${profile} did not start within 30 s`)),
      30_000,
    );
    lines.on('line', (l) => {
      const found = /(http:\/\/127\.0\.0\.1:\d+\S*)/.exec(l)?.[1];
      if (found === undefined) return;
      clearTimeout(timer);
      ok(found);
    });
    child.once('exit', () => ko(new Error(`pushcheck serve ${profile} ended before it served`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/**
 * A loopback server in front of `upstream` that passes every request on and holds the answer to each POST for
 * `delayMs` (GETs are answered at once): the reference receiver, acking late.
 */
async function lateProxy(upstream: string, delayMs: number): Promise<{ url: string; close(): void }> {
  const up = new URL(upstream);
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = http.request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            const reply = () => {
              if (res.destroyed) return;
              res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
            };
            if (req.method !== 'POST') return reply();
            const timer = setTimeout(() => {
              timers.delete(timer);
              reply();
            }, delayMs);
            timers.add(timer);
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${up.pathname}`,
    close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A loopback port that accepts connections, reads what comes and never answers. */
async function silentPort(): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/onenet`,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/** The floor: Playwright's own cost here, one trivial JavaScript test in one worker. */
async function floorOnce(dir: string): Promise<Measured> {
  const index = pathToFileURL(createRequire(import.meta.url).resolve('@playwright/test')).href.replace(
    /index\.js$/,
    'index.mjs',
  );
  writeFileSync(
    join(dir, 'floor.spec.mjs'),
    `import { expect, test } from ${JSON.stringify(index)};\ntest('one plus one', () => expect(1 + 1).toBe(2));\n`,
  );
  writeFileSync(
    join(dir, 'playwright.config.mjs'),
    `export default ${JSON.stringify({ testDir: dir, workers: 1, reporter: 'dot', outputDir: join(dir, 'out') })};\n`,
  );
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  return measure(process.execPath, [cli, 'test', '--config', join(dir, 'playwright.config.mjs')], {
    cwd: dir,
    timeoutMs: 60_000,
  });
}

/** Each process's share at the peak, largest first: "worker 170, runner 143, pushcheck run 58 MiB". */
const breakdown = (m: Measured): string =>
  m.atPeak
    .filter((p) => p.rss >= 4 * 1024 ** 2)
    .map((p) => `${p.what} ${mib(p.rss)}`)
    .join(', ');

let floor: { wall: number; peak: number } | undefined;

async function floorAndRun(): Promise<void> {
  console.log(`\nthe floor, and one run against a correct OneNET receiver (median of ${RUNS}, in turn)`);
  await inScratch(async (dir) => {
    const observe = join(dir, 'observed.log');
    const receiver = await serve('onenet', ['--token', TOKEN, '--observe-file', observe]);
    try {
      const floors: Measured[] = [];
      const runs: Measured[] = [];
      // In turn, so that a change in the machine's load falls on both.
      for (let i = 0; i < RUNS; i++) {
        floors.push(await inScratch(floorOnce));
        runs.push(
          await pushcheck([
            ...['run', '--profile', 'onenet', '--target', receiver.url, '--token', TOKEN],
            ...['--observe-file', observe, '--report', join(dir, `run-${i}`)],
          ]),
        );
      }
      const wall = median(floors.map((m) => m.wallMs));
      const peak = median(floors.map((m) => m.peak));
      floor = { wall, peak };
      const bad = floors.find((m) => m.code !== 0);
      if (bad) console.log(`  the floor's Playwright run failed (exit ${bad.code}):\n${bad.stdout}`);
      figure('floor: wall time', sec(wall), '(reference)', '1.6 s', undefined);
      figure('floor: peak memory, all processes', mib(peak), '(reference)', '289 MiB', undefined);
      const runWall = median(runs.map((m) => m.wallMs));
      const runPeak = median(runs.map((m) => m.peak));
      const codes = [...new Set(runs.map((m) => m.code))].join(', ');
      figure(
        'run --profile onenet: wall time',
        `${sec(runWall)} = ${(runWall / wall).toFixed(2)}x`,
        '<= 1.25x',
        '2.7-3.5 s',
        runWall <= 1.25 * wall,
      );
      figure(
        'run --profile onenet: peak memory',
        `${mib(runPeak)} = ${(runPeak / peak).toFixed(2)}x`,
        '<= 1.25x',
        '454 MiB',
        runPeak <= 1.25 * peak,
      );
      line('  its exit code (0: conformant)', codes);
      const heaviest = [...runs].sort((a, b) => b.peak - a.peak)[0];
      if (heaviest) line('  at its peak', breakdown(heaviest));
      const floorHeaviest = [...floors].sort((a, b) => b.peak - a.peak)[0];
      if (floorHeaviest) line("  the floor's at its peak", breakdown(floorHeaviest));
      const report = reportsIn(join(dir, `run-${RUNS - 1}`))[0];
      if (report) {
        const inCases = report.cases.reduce((n, c) => n + c.durationMs, 0);
        line('  its cases, summed', `${sec(inCases)} of ${sec(runs[RUNS - 1]?.wallMs ?? 0)}`);
      }
    } finally {
      receiver.stop();
    }
  });
}

/** The cases of a report that take longest: where a run's time goes beyond start-up. */
function slowest(reports: readonly RunReport[], over = 1000): string {
  const slow = reports
    .flatMap((r) => r.cases)
    .filter((c) => c.durationMs >= over)
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, 3);
  return slow.length === 0 ? 'none over 1 s' : slow.map((c) => `${c.id} ${sec(c.durationMs)}`).join(', ');
}

async function profiles(): Promise<void> {
  console.log(`\neach profile against its reference receivers (pushcheck demo --profile P, once each)`);
  for (const name of Object.keys(PROFILES)) {
    await inScratch(async (dir) => {
      const m = await pushcheck(['demo', '--profile', name, '--report', dir]);
      const reports = reportsIn(dir);
      const ratio = floor ? ` = ${(m.wallMs / floor.wall).toFixed(2)}x` : '';
      const met = floor ? m.wallMs <= 1.25 * floor.wall : undefined;
      figure(
        `${name} (${reports.length} receivers): wall`,
        `${sec(m.wallMs)}${ratio}`,
        '<= 1.25x+wait',
        '-',
        met,
      );
      line(`  exit ${m.code}, peak ${mib(m.peak)}; cases waiting longest`, slowest(reports));
    });
  }
}

async function slowReceivers(): Promise<void> {
  console.log(
    `\nreceivers that are slow or silent (each stopped by the bench after ${SLOW_BOUND_MS / 1000} s)`,
  );
  await inScratch(async (dir) => {
    const observe = join(dir, 'observed.log');
    const receiver = await serve('onenet', ['--token', TOKEN, '--observe-file', observe]);
    const late = await lateProxy(receiver.url, 6000);
    try {
      const m = await pushcheck(
        [
          ...['run', '--profile', 'onenet', '--target', late.url, '--token', TOKEN],
          ...['--observe-file', observe, '--report', join(dir, 'late')],
        ],
        SLOW_BOUND_MS,
      );
      const stopped = m.stopped;
      figure(
        'acks every POST after 6 s: time to exit',
        stopped ? `> ${sec(SLOW_BOUND_MS)} (stopped)` : `${sec(m.wallMs)}, exit ${m.code}`,
        '<= 45 s, 1',
        '325 s, exit 1',
        !stopped && m.code === 1 && m.wallMs <= 45_000,
      );
      const report = reportsIn(join(dir, 'late'))[0];
      if (report) {
        const failed = report.cases
          .filter((c) => c.outcome === 'failed' && c.level === 'MUST')
          .map((c) => c.id);
        line('  MUST failed', failed.join(', ') || 'none');
        line('  cases waiting longest', slowest([report]));
      }
    } finally {
      late.close();
      receiver.stop();
    }
    const silent = await silentPort();
    try {
      const m = await pushcheck(
        [
          ...['run', '--profile', 'onenet', '--target', silent.url, '--token', TOKEN, '--no-preflight'],
          ...['--report', join(dir, 'silent')],
        ],
        SLOW_BOUND_MS,
      );
      const stopped = m.stopped;
      figure(
        'never answers (--no-preflight): time to exit',
        stopped ? `> ${sec(SLOW_BOUND_MS)} (stopped)` : `${sec(m.wallMs)}, exit ${m.code}`,
        '<= 60 s',
        '174-237 s',
        !stopped && m.wallMs <= 60_000,
      );
      const preflight = await pushcheck(
        [
          'run',
          '--profile',
          'onenet',
          '--target',
          silent.url,
          '--token',
          TOKEN,
          '--report',
          join(dir, 'pre'),
        ],
        SLOW_BOUND_MS,
      );
      line('  with the preflight', `${sec(preflight.wallMs)}, exit ${preflight.code}`);
    } finally {
      silent.close();
    }
  });
}

async function demo(): Promise<void> {
  console.log(
    `\ndemo: every profile against its reference receivers (pushcheck demo, as npm run demo after its build), ${RUNS} runs`,
  );
  const runs: { m: Measured; reports: RunReport[] }[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(
      await inScratch(async (dir) => {
        const m = await pushcheck(['demo', '--report', dir]);
        return { m, reports: reportsIn(dir) };
      }),
    );
  }
  const walls = runs.map((r) => r.m.wallMs);
  const wall = median(walls);
  const peak = Math.max(...runs.map((r) => r.m.peak));
  const codes = [...new Set(runs.map((r) => r.m.code))].join(', ');
  figure('demo: wall time, median', sec(wall), '<= 6 s', '8.2 s', wall <= 6000);
  figure(
    'demo: peak memory, the most of the runs',
    mib(peak),
    '<= 600 MiB',
    '860 MiB',
    peak <= 600 * 1024 ** 2,
  );
  line('  runs', `${walls.map(sec).join(', ')}; exit ${codes}`);
  const last = runs[runs.length - 1];
  if (last) {
    const cases = last.reports.flatMap((r) => r.cases);
    line('  receivers, cases', `${last.reports.length}, ${cases.length}`);
    line('  at its peak', breakdown(last.m));
    line('  cases waiting longest', slowest(last.reports));
  }
}

interface Receiver {
  url: string;
  stamps: Map<string, { arrived: number; answered: number }>;
  child: ChildProcess;
}

async function receiver(): Promise<Receiver> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'receiver.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stamps = new Map<string, { arrived: number; answered: number }>();
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((ok, ko) => {
    const timer = setTimeout(() => ko(new Error('the bench receiver did not start within 30 s')), 30_000);
    lines.on('line', (l) => {
      const v = JSON.parse(l) as { port?: number; id?: string; arrived: number; answered: number };
      if (v.port !== undefined) {
        clearTimeout(timer);
        ok(v.port);
      } else if (v.id !== undefined) stamps.set(v.id, { arrived: v.arrived, answered: v.answered });
    });
  });
  return { url: `http://127.0.0.1:${port}/bench`, stamps, child };
}

/** Waits until the receiver has printed `id`'s timestamps (they follow the answer by a moment). */
async function stampOf(r: Receiver, id: string): Promise<{ arrived: number; answered: number } | undefined> {
  for (let i = 0; i < 100 && !r.stamps.has(id); i++) await new Promise((ok) => setTimeout(ok, 10));
  return r.stamps.get(id);
}

async function timing(): Promise<void> {
  const deadline = PROFILES.onenet?.deadlineMs ?? 5000;
  console.log(
    `\ntiming: acks after 4.90 s and 5.10 s against the ${deadline / 1000} s deadline, and latency error`,
  );
  const r = await receiver();
  try {
    const errors: number[] = [];
    let right = 0;
    const total = ROUNDS * 2;
    for (let round = 0; round < ROUNDS; round++) {
      const [early, late] = await Promise.all(
        [4900, 5100].map((delay) =>
          send({
            method: 'POST',
            url: `${r.url}?delay=${delay}&id=t${round}-${delay}`,
            body: '{}',
            deadlineMs: deadline,
          }),
        ),
      );
      // The case's rule (onenet.ack.within-5s): a complete response within the deadline.
      const inTime = (ex: typeof early) =>
        ex !== undefined && ex.error === undefined && ex.timings.totalMs <= deadline;
      if (inTime(early)) right++;
      if (!inTime(late)) right++;
      const s = await stampOf(r, `t${round}-4900`);
      if (early && s) errors.push(early.timings.totalMs - (s.answered - s.arrived));
    }
    line('classified correctly', `${right} of ${total}`, verdict(right === total, 'every time'));
    for (let i = 0; i < SAMPLES; i++) {
      const id = `s${i}`;
      const ex = await send({
        method: 'POST',
        url: `${r.url}?delay=${i % 20}&id=${id}`,
        body: '{}',
        deadlineMs: deadline,
      });
      const s = await stampOf(r, id);
      if (ex.error === undefined && s) errors.push(ex.timings.totalMs - (s.answered - s.arrived));
    }
    const p99 = percentile(errors, 99);
    line(
      `latency error (${errors.length} acks)`,
      `p50 ${ms(percentile(errors, 50))}, p99 ${ms(p99)}, max ${ms(Math.max(...errors))}`,
      verdict(p99 < 10, '< 10 ms at p99'),
    );
  } finally {
    r.child.kill('SIGTERM');
  }
}

async function autocannon(url: string, body: string): Promise<number> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [bin, '-c', String(CONCURRENCY), '-d', String(SECONDS), '-m', 'POST'];
  args.push('-H', 'content-type=application/json', '-b', body, '--json', url);
  const out = await new Promise<string>((ok, ko) =>
    execFile(
      process.execPath,
      args,
      { maxBuffer: 1024 * 1024, timeout: (SECONDS + 60) * 1000 },
      (err, stdout) => (err ? ko(err) : ok(stdout)),
    ),
  );
  const result = JSON.parse(out) as { requests: { total: number }; non2xx: number; duration: number };
  return (result.requests.total - result.non2xx) / result.duration;
}

async function loadFigures(): Promise<void> {
  const profile = PROFILES.onenet;
  if (!profile?.fuzz) throw new Error('the onenet profile has no fuzz hook to generate pushes with');
  console.log(
    `\nload: signed OneNET pushes to a trivial receiver, ${CONCURRENCY} at a time, ${SECONDS} s each`,
  );
  const settings = profile.configure({ token: 'bench-token' }, {});
  const r = await receiver();
  try {
    const common = { hook: profile.fuzz, settings, target: r.url, runTag: '4242', seed: 1 };
    const run = (keepAlive: boolean) =>
      burst({
        ...common,
        concurrency: CONCURRENCY,
        durationMs: SECONDS * 1000,
        deadlineMs: profile.deadlineMs,
        keepAlive,
      });
    // autocannon sends one pre-built push over and over; pushcheck builds and signs every one.
    const sample = profile.fuzz.valid(settings, { runTag: '4242', rng: createRng(2, 'bench') });
    // Warm-up, not counted: the first message loads and compiles the schemas every push is checked against.
    await burst({
      ...common,
      concurrency: CONCURRENCY,
      durationMs: 1000,
      deadlineMs: profile.deadlineMs,
      keepAlive: true,
    });
    // Rounds alternate the two clients, so that a drift in the machine's load (another process waking) falls
    // on both; the figure is the median of the rounds' ratios.
    const ratios: number[] = [];
    for (let round = 1; round <= LOAD_ROUNDS; round++) {
      const kept = await run(true);
      const cannon = await autocannon(r.url, sample.body);
      ratios.push(kept.perSecond / cannon);
      line(
        `round ${round}: pushcheck (kept alive) / autocannon`,
        `${kept.perSecond.toFixed(0)} / ${cannon.toFixed(0)} = ${(kept.perSecond / cannon).toFixed(2)}x`,
      );
      // A push not acked is not counted in the rate; say why, so a low rate is never a silent one.
      for (const f of kept.failures) line(`  not acked: ${f.kind}`, `${f.count}`, f.example);
    }
    const fresh = await run(false);
    line('pushcheck, a connection per push', `${fresh.perSecond.toFixed(0)} pushes/s (${fresh.acked} acked)`);
    for (const f of fresh.failures) line(`  not acked: ${f.kind}`, `${f.count}`, f.example);
    const ratio = percentile(ratios, 50);
    figure(
      `burst generator / autocannon (median of ${ratios.length})`,
      `${ratio.toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
      '>= 1.0x',
      '0.96x',
      ratio >= 1.0,
    );
  } finally {
    r.child.kill('SIGTERM');
  }
}

// The figures depend on what else the machine runs: the load average goes with them.
const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
console.log(
  `pushcheck bench on ${process.platform}/${process.arch}, ${availableParallelism()} cores, Node ${process.version}` +
    `${QUICK ? ', --quick' : ''}\nload average at the start (1, 5, 15 min): ${load()}`,
);
await floorAndRun();
await profiles();
if (!QUICK) await slowReceivers();
await demo();
await loadFigures();
if (!QUICK) await timing();
console.log('\n.ci/run (the bench cannot run CI: .ci/run prints its own wall time before its counts)');
figure('.ci/run on a clean machine', 'measured by .ci/run', '<= 8 min', '10.5 min', undefined);

console.log(`\nsummary (load average at the end: ${load()})`);
for (const f of figures) {
  const mark = f.met === undefined ? '' : f.met ? 'met' : 'MISSED';
  console.log(
    `  ${mark.padEnd(7)}${f.name.padEnd(44)} ${f.now.padEnd(26)} target ${f.target.padEnd(12)} was ${f.before}`,
  );
}
if (QUICK) console.log('  (--quick: the late and silent receivers and the timing precision were left out)');
