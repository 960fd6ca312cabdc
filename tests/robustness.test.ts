/**
 * However pushcheck ends, nothing of it is left: a normal end, Ctrl-C, SIGTERM, a SIGKILL of the CLI, a crash
 * of Playwright's runner. Each run gets an environment marker, which every process it starts inherits (the
 * runner, its workers, the launched receiver, the watchdog), and a temporary folder of its own: afterwards no
 * process carries the marker and the folder is empty. And every bad path a user can give ends in one sentence
 * and exit 2 before anything starts.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunReport } from '../src/report/model.ts';
import {
  lockFolder,
  onenetArgs,
  pushcheck,
  type Running,
  scratch,
  startPushcheck,
  underWay,
} from './helpers.ts';

/** A receiver that echoes the verification GET and never answers a push: a run against it goes on and on. */
const SLOW_RECEIVER = `
const http = require('node:http');
http.createServer((req, res) => {
  if (req.method === 'GET') return res.end(new URL(req.url, 'http://x').searchParams.get('msg') ?? '');
  req.resume();
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

/** The pids of live processes whose environment holds `marker`. */
function processesMarked(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/** The command line of process `pid`. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Waits up to `ms` for no process to carry `marker`; returns those still there. */
async function settled(marker: string, ms: number): Promise<string[]> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (processesMarked(marker).length === 0) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return processesMarked(marker).map((p) => `${p}: ${commandLine(p)}`);
}

interface Started extends Running {
  marker: string;
  tmp: string;
}

/** `pushcheck ARGS` with its own marker and TMPDIR. */
function start(args: string[]): Started {
  const marker = `PUSHCHECK_TEST_MARK=${randomUUID()}`;
  const tmp = scratch('pushcheck-tmpdir-');
  const [name, value] = marker.split('=') as [string, string];
  return { ...startPushcheck(args, { [name]: value, TMPDIR: tmp }), marker, tmp };
}

/** A run against the slow receiver, launched by pushcheck itself (so that its process must go too). */
function startSlowRun(): Started & { report: string } {
  const dir = scratch();
  const script = join(dir, 'slow-receiver.cjs');
  writeFileSync(script, SLOW_RECEIVER);
  const report = join(dir, 'report');
  const run = start(
    onenetArgs([
      '--receiver-cmd',
      `${process.execPath} ${script}`,
      '--receiver-path',
      '/onenet',
      '--report',
      report,
    ]),
  );
  return { ...run, report };
}

/**
 * The compile caches of tsx and Playwright, which they keep in the temporary folder on purpose, to be reused by
 * every later run: not a run's leftovers.
 */
const CACHES = /^(playwright-transform-cache|tsx)-\d+$/;

/** Nothing of the run is left: no process, nothing in its temporary folder. */
async function nothingLeft(run: Started): Promise<void> {
  expect(await settled(run.marker, 10_000)).toEqual([]);
  expect(readdirSync(run.tmp).filter((f) => !CACHES.test(f))).toEqual([]);
}

test('a demo that ends normally leaves no process and nothing in the temporary folder', async () => {
  const run = start(['demo', '--profile', 'onenet', '--report', join(scratch(), 'demo')]);
  expect(await run.exited, run.out()).toBe(0);
  await nothingLeft(run);
});

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} stops a run under way: exit ${code}, one sentence, an incomplete report, nothing left`, async () => {
    const run = startSlowRun();
    await underWay(run.out);
    const sent = performance.now();
    run.child.kill(signal);
    expect(await run.exited, run.out()).toBe(code);
    expect(performance.now() - sent).toBeLessThan(15_000);
    expect(run.out()).toContain(
      `pushcheck: interrupted by ${signal}; the report in ${run.report} is incomplete`,
    );
    expect(run.out()).not.toMatch(/\n\s+at /);
    // The gate line names no exit code of its own: the signal's is pushcheck's, which its last line says.
    expect(run.out()).toMatch(/gate: INCOMPLETE \(the run was interrupted\)\n/);
    const report = JSON.parse(readFileSync(join(run.report, 'report.json'), 'utf8')) as RunReport;
    expect(report.verdict).toBe('incomplete');
    // A case under way is not assessed because of the interruption, never "skipped" as if not offered (the
    // signal may also fall between two cases: then no case was under way).
    for (const c of report.cases.filter((k) => k.reason === 'the run was interrupted')) {
      expect(c.outcome).toBe('not-assessed');
    }
    for (const c of report.cases.filter((k) => k.outcome === 'skipped')) {
      expect(c.reason, `${c.id} is skipped with a reason`).toMatch(/secure mode only/);
    }
    await nothingLeft(run);
  });
}

test('a pushcheck killed outright leaves no process (runner, workers, receiver) and no temporary file', async () => {
  const run = startSlowRun();
  await underWay(run.out);
  // The runner, at least one worker, the launched receiver and the watchdog are all there to be cleaned up.
  const before = processesMarked(run.marker).map(commandLine);
  expect(before.some((c) => c.includes('slow-receiver.cjs'))).toBe(true);
  expect(before.some((c) => / test --config /.test(c))).toBe(true);
  run.child.kill('SIGKILL');
  await run.exited;
  await nothingLeft(run);
});

test('a crash of the runner ends the run with one sentence and exit 2, and nothing is left', async () => {
  const run = startSlowRun();
  await underWay(run.out);
  const runner = processesMarked(run.marker).find((p) => / test --config /.test(commandLine(p)));
  expect(runner).toBeDefined();
  process.kill(runner as number, 'SIGKILL');
  expect(await run.exited, run.out()).toBe(2);
  const errors = run
    .out()
    .split('\n')
    .filter((l) => l.startsWith('pushcheck: '));
  expect(errors).toEqual([expect.stringMatching(/^pushcheck: the suite did not complete/)]);
  expect(run.out()).not.toMatch(/\n\s+at /);
  await nothingLeft(run);
});

test('every output path is checked before anything starts: one sentence, exit 2, within seconds', async () => {
  const dir = scratch();
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  // A live receiver: the run would start, were the path not checked first.
  const receiver = createServer((req, res) => {
    res.end(new URL(req.url ?? '/', 'http://x').searchParams.get('msg') ?? '');
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/onenet`;
  // A folder nobody may write in (lockFolder: the immutable attribute for root).
  const locked = join(dir, 'locked');
  mkdirSync(locked);
  const unlock = lockFolder(locked);
  const bad: [string, RegExp][] = [
    [join(locked, 'report'), /cannot write in .*locked: permission denied; choose another path$/],
    ['/proc/nope', /^pushcheck: --report \/proc\/nope: cannot write in \/proc: /],
    [join(file, 'sub'), /cannot write a folder there: .*a-file is a file; choose another path$/],
    [file, /cannot write a folder there: it is a file; choose another path$/],
  ];
  try {
    for (const [report, message] of bad) {
      const r = await pushcheck(onenetArgs(['--target', target, '--report', report]));
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stdout).toBe('');
      // Node's start-up on a loaded machine is most of it.
      expect(r.ms).toBeLessThan(5_000);
    }
  } finally {
    receiver.close();
    unlock();
  }
  const merge = await pushcheck(['report', 'merge', dir, '--out', file]);
  expect(merge.code).toBe(2);
  expect(merge.stderr.trim()).toBe(
    `pushcheck: --out ${file}: cannot write a folder there: it is a file; choose another path`,
  );
});
