/**
 * `--receiver-cmd`: pushcheck starts the receiver as a local process, derives the target from it, captures
 * its output into the report (secrets redacted), and stops it however the run ends.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { idsWith, onenetArgs, pushcheck, scratch, startPushcheck, TOKEN, waitUntil } from '../helpers.ts';
import { EXAMPLE_SERVER, freePort, listening } from './support.ts';

const DB_PASSWORD = 'not-for-your-eyes-4711';

test('a receiver started as a process passes with the log observer, and is stopped afterwards', async () => {
  const dir = scratch();
  const port = await freePort();
  const r = await pushcheck(
    onenetArgs([
      '--strict',
      '--report',
      dir,
      // The receiver prints a secret it was given: the report must not.
      '--receiver-cmd',
      `echo "db password: $DB_PASSWORD"; exec node ${EXAMPLE_SERVER}`,
      '--receiver-env',
      `ONENET_TOKEN=${TOKEN}`,
      '--receiver-env',
      `DB_PASSWORD=${DB_PASSWORD}`,
      '--receiver-port',
      String(port),
      '--receiver-path',
      '/onenet',
      '--observe-log',
    ]),
    dir,
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.report?.target).toBe(`http://127.0.0.1:${port}/onenet`);
  expect(r.report?.observer).toMatch(/^log of process /);
  const observed = (r.report?.cases ?? []).filter((c) => c.observations?.length);
  expect(observed.map((c) => c.id)).toContain('onenet.push.processed');
  for (const c of observed) expect(c.assessedBy).toBe('log');
  expect(r.stdout).toMatch(/onenet\.push\.processed .*\[log observer\]/);
  const receiver = r.report?.receiver;
  expect(receiver?.launcher).toBe('process');
  expect(receiver?.log.join('\n')).toContain(`listening on http://127.0.0.1:${port}/`);
  expect(receiver?.log.join('\n')).toContain('db password: [REDACTED]');
  expect(JSON.stringify(r.report) + r.stdout + r.stderr).not.toContain(DB_PASSWORD);
  expect(await listening(port), 'the receiver is stopped after the run').toBe(false);
});

test('a receiver that never becomes ready: one sentence with its last log lines, and it is stopped', async () => {
  const port = await freePort();
  const dir = scratch();
  const marker = join(dir, 'still-running');
  const r = await pushcheck(
    onenetArgs([
      '--receiver-cmd',
      `echo "starting on the wrong port"; sleep 30 && touch ${marker}`,
      '--receiver-port',
      String(port),
      '--receiver-timeout',
      '1500',
    ]),
  );
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`was not ready on port ${port} within 1500 ms`));
  expect(r.stderr).toContain('starting on the wrong port');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.ms, 'bounded by --receiver-timeout, plus start-up').toBeLessThan(30_000);
  // Had the shell survived pushcheck, it would create the marker after its sleep; the sleep was killed too.
  const ps = await new Promise<string>((done) =>
    spawn('ps', ['-eo', 'args'], { stdio: ['ignore', 'pipe', 'ignore'] }).stdout.on('data', (d: Buffer) =>
      done(d.toString()),
    ),
  );
  expect(ps).not.toContain(marker);
});

test('a receiver that exits before it is ready: the exit code and its last words', async () => {
  const r = await pushcheck(onenetArgs(['--receiver-cmd', 'echo "ONENET_TOKEN is not set" >&2; exit 3']));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /exited with code 3 before it was ready\. Its last log lines:\n\s+ONENET_TOKEN is not set/,
  );
});

test('Ctrl-C during a run stops the launched receiver, with an incomplete report', async () => {
  const dir = scratch();
  const port = await freePort();
  const run = startPushcheck([
    ...onenetArgs(['--report', dir]),
    ...['--receiver-cmd', `node ${EXAMPLE_SERVER}`, '--receiver-env', `ONENET_TOKEN=${TOKEN}`],
    ...['--receiver-port', String(port), '--observe-log'],
  ]);
  if (await waitUntil(() => /✓/.test(run.stdout()))) run.child.kill('SIGINT');
  const code = await run.exited;
  const out = run.stdout();
  expect(code, out).toBe(130);
  expect(await listening(port), 'the receiver is stopped').toBe(false);
});

test('options that need a launcher, or one observer only, are usage errors', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['--target', 'http://127.0.0.1:9/x', '--observe-log'],
      /--observe-log reads the output of a receiver pushcheck launches/,
    ],
    [
      ['--target', 'http://127.0.0.1:9/x', '--receiver-env', 'A=1'],
      /--receiver-env is for a receiver pushcheck launches/,
    ],
    [['--receiver-cmd', 'true', '--receiver-image', 'x'], /not both/],
    [['--receiver-cmd', 'true', '--observe-log', '--observe-cmd', 'true'], /one observer per run/],
    [['--receiver-cmd', 'true', '--receiver-env', 'NOT_IN_ENV_42'], /has no NOT_IN_ENV_42 to pass on/],
    [
      ['--target', 'http://127.0.0.1:9/x', '--observe-http', '10.0.0.1:80'],
      /--observe-http must be 127\.0\.0\.1:PORT/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await pushcheck(onenetArgs(args));
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
});

test('without --target or a launcher, run still asks for the target', async () => {
  const r = await pushcheck(onenetArgs([]));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--target URL is required/);
  expect(idsWith(r.report, 'passed')).toEqual([]);
});
