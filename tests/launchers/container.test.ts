/**
 * `--receiver-image` end to end, and the config file: the example receiver's image is built locally (no
 * registry), and `pushcheck run` with no flags, in a copy of examples/onenet-receiver, runs its config: the
 * suite against the receiver as a process and as a container, each with the log observer. The report carries
 * the container's log, and the container is gone afterwards.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunReport } from '../../src/report/reporter.ts';
import { pushcheck, scratch, startPushcheck, TOKEN, underWay, waitUntil } from '../helpers.ts';
import {
  buildExampleImage,
  containersOf,
  dockerAvailable,
  EXAMPLE,
  EXAMPLE_IMAGE,
  freePort,
  listening,
  requireService,
} from './support.ts';

/** A OneNET run against a container of the example's image, given the token it checks. */
const IMAGE_RUN = [
  ...['run', '--profile', 'onenet', '--token', TOKEN, '--receiver-image', EXAMPLE_IMAGE],
  ...['--receiver-env', `ONENET_TOKEN=${TOKEN}`],
];

const report = (dir: string, name: string) =>
  JSON.parse(readFileSync(join(dir, 'reports', name, 'report.json'), 'utf8')) as RunReport;

test.describe('in a container', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    requireService(await dockerAvailable(), 'Docker (docker info)');
    await buildExampleImage();
  });

  test('the example config runs the suite against the receiver as a process and as a container', async () => {
    // Two whole suites, one of them behind a container start.
    test.setTimeout(360_000);
    const dir = scratch();
    cpSync(EXAMPLE, dir, { recursive: true });
    const before = await containersOf(EXAMPLE_IMAGE);
    const r = await pushcheck(['run'], undefined, { ONENET_TOKEN: TOKEN }, dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('== example-process');
    expect(r.stdout).toContain('== example-container');
    for (const name of ['example-process', 'example-container']) {
      const rep = report(dir, name);
      expect(rep.verdict, name).toBe('conformant');
      expect(rep.strict).toBe(true);
      expect(rep.observer).toMatch(/^log of /);
      expect(rep.cases.find((c) => c.id === 'onenet.push.processed')?.assessedBy).toBe('log');
    }
    const container = report(dir, 'example-container');
    expect(container.receiver?.launcher).toBe('container');
    expect(container.receiver?.what).toMatch(/^pushcheck\/onenet-example:local \(container [0-9a-f]{12}\)$/);
    const log = container.receiver?.log.join('\n') ?? '';
    expect(log).toMatch(/onenet receiver listening on http:\/\/127\.0\.0\.1:\d+\//);
    expect(log).toMatch(/processed id=\d+ msg=\{"deviceName":"pc/);
    expect(JSON.stringify(container) + r.stdout + r.stderr).not.toContain(TOKEN);
    expect(await containersOf(EXAMPLE_IMAGE), 'the container is gone').toEqual(before);
    // Start to verdict: the container's launch, readiness and the whole suite.
    const figures = `container ready in ${container.receiver?.readyMs} ms; suite ${container.durationMs} ms`;
    test.info().annotations.push({ type: 'container start to verdict', description: figures });
    console.log(`container start to verdict: ${figures}`);
  });

  test('a container that never becomes ready: its last log lines, and it is removed', async () => {
    const port = await freePort();
    const elsewhere = await freePort();
    const before = await containersOf(EXAMPLE_IMAGE);
    const r = await pushcheck([
      ...IMAGE_RUN,
      ...['--receiver-env', `PORT=${elsewhere}`],
      ...['--receiver-port', String(port), '--receiver-timeout', '3000'],
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`was not ready on port ${port} within 3000 ms`));
    expect(r.stderr).toContain(`onenet receiver listening on http://127.0.0.1:${elsewhere}/`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await containersOf(EXAMPLE_IMAGE), 'the container is gone').toEqual(before);
    expect(await listening(elsewhere)).toBe(false);
  });

  test('Ctrl-C while the container starts stops and removes it', async () => {
    const before = await containersOf(EXAMPLE_IMAGE);
    const port = await freePort();
    const run = startPushcheck([
      ...IMAGE_RUN,
      // It listens elsewhere, so it is still "starting" when the Ctrl-C comes.
      ...['--receiver-env', `PORT=${await freePort()}`, '--receiver-port', String(port)],
      ...['--receiver-timeout', '120000'],
    ]);
    await waitUntil(async () => (await containersOf(EXAMPLE_IMAGE)).length !== before.length, 60_000, 500);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toMatch(
      /interrupted by SIGINT while the receiver \(image pushcheck\/onenet-example:local\) was starting; it was stopped/,
    );
    expect(await containersOf(EXAMPLE_IMAGE), 'the container is gone').toEqual(before);
  });

  test('a pushcheck killed outright during a run: its watchdog removes the container', async () => {
    const before = await containersOf(EXAMPLE_IMAGE);
    const port = await freePort();
    const run = startPushcheck([
      ...IMAGE_RUN,
      ...['--receiver-port', String(port), '--receiver-path', '/onenet', '--report', scratch()],
    ]);
    // Under way: the container answers, and a case has ended.
    await underWay(run.stdout);
    expect((await containersOf(EXAMPLE_IMAGE)).length).toBe(before.length + 1);
    run.child.kill('SIGKILL');
    await run.exited;
    let left = await containersOf(EXAMPLE_IMAGE);
    for (let i = 0; i < 60 && left.length > before.length; i++) {
      await new Promise((r) => setTimeout(r, 500));
      left = await containersOf(EXAMPLE_IMAGE);
    }
    expect(left, 'the container is gone').toEqual(before);
  });
});

test.describe('the config file', () => {
  test('a .ts config runs; a secret it reads from the environment never shows', async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'pushcheck.config.ts'),
      `export default {
  runs: [{
    name: 'verify-only',
    profile: 'onenet',
    options: {
      'receiver-cmd': ${JSON.stringify(`node ${join(EXAMPLE, 'server.mjs')}`)},
      'receiver-env': { ONENET_TOKEN: { env: 'MY_TOKEN' } },
      token: { env: 'MY_TOKEN' },
      grep: 'onenet\\\\.verify',
    },
  }],
};\n`,
    );
    const r = await pushcheck(['run'], undefined, { MY_TOKEN: 'tok-from-env-31337' }, dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rep = report(dir, 'verify-only');
    expect(rep.summary.passed).toBe(4);
    expect(readFileSync(join(dir, 'reports', 'verify-only', 'report.json'), 'utf8')).not.toContain('31337');
    expect(r.stdout + r.stderr).not.toContain('31337');
  });

  test('a variable the config needs but the environment lacks is one sentence', async () => {
    const dir = scratch();
    cpSync(EXAMPLE, dir, { recursive: true });
    const r = await pushcheck(['run', '--config', join(dir, 'pushcheck.config.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /run 1: "receiver-env.ONENET_TOKEN" reads the environment variable ONENET_TOKEN, which is not set/,
    );
  });

  test('run with no flags and no config file says what it needs', async () => {
    const r = await pushcheck(['run'], undefined, {}, scratch());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/run needs --profile and --target, or a pushcheck\.config\.json/);
  });
});
