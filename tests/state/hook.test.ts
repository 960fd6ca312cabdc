/**
 * Provider states as a core mechanism, shown without any profile: a tiny suite of core fixtures only
 * (probe.case.ts) runs in a Playwright of its own against a hook this test serves. Without --state-url the case
 * that needs a state is not assessed, saying to pass one; with a hook it POSTs the state, valid against the
 * shared schema, and records the exchange in the case's wire log; a hook that refuses leaves it not assessed
 * with the answer.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { controlidHandlers, DEFAULT_PATH, DEFAULT_STATE_PATH } from '../../mocks/controlid/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { ATTACH, ANNOTATE } from '../../src/core/case.ts';
import { CONFIG_ENV, type RunConfig } from '../../src/core/config.ts';
import { formatErrors, loadSchemas } from '../../src/core/schemas.ts';
import { DEFAULT_DEVICE_ID } from '../../src/protocols/controlid/profile.ts';
import { cleanEnv, onenetRun, pushcheck, ROOT, scratch } from '../helpers.ts';
import { PROBE_STATE } from './probe-state.ts';

const validState = loadSchemas('provider-state').validator('provider-state.json');

interface Hook {
  url: string;
  bodies: unknown[];
  close(): Promise<void>;
}

/** A hook on loopback that records each body and answers `status`. */
async function serveHook(status: number): Promise<Hook> {
  const bodies: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/state`,
    bodies,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

interface ProbeCase {
  status: string;
  notAssessed?: string;
  exchanges: { label: string; url: string; status?: number }[];
}

/** Runs the probe suite with `stateUrl` (or none); returns its cases by id. */
async function runProbe(stateUrl: string | undefined): Promise<Record<string, ProbeCase>> {
  const dir = scratch('pushcheck-state-');
  const config: RunConfig = {
    profile: 'probe',
    target: 'http://127.0.0.1:9/unused',
    settings: {},
    secrets: [],
    ...(stateUrl !== undefined ? { stateUrl } : {}),
    seed: 1,
    runTag: '12345678',
    reportDir: dir,
    strict: false,
    deadlineMs: 2000,
    observeTimeoutMs: 500,
  };
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const report = join(dir, 'probe.json');
  await new Promise<void>((done) => {
    execFile(
      process.execPath,
      [cli, 'test', '--config', join(ROOT, 'tests', 'state', 'probe.config.ts')],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: cleanEnv({
          [CONFIG_ENV]: JSON.stringify(config),
          PROBE_REPORT: report,
          PROBE_OUTPUT: join(dir, 'out'),
        }),
      },
      () => done(),
    );
  });
  type Attachment = { name: string; body?: string };
  type JsonTest = {
    annotations: { type: string; description?: string }[];
    results: { status: string; attachments: Attachment[] }[];
  };
  type JsonSuite = { specs: { title: string; tests: JsonTest[] }[]; suites?: JsonSuite[] };
  const json = JSON.parse(readFileSync(report, 'utf8')) as { suites: JsonSuite[] };
  const cases: Record<string, ProbeCase> = {};
  const walk = (suite: JsonSuite): void => {
    for (const spec of suite.specs) {
      const t = spec.tests[0];
      const result = t?.results[0];
      if (!t || !result) continue;
      cases[spec.title.split(':')[0] ?? spec.title] = {
        status: result.status,
        ...((d) => (d !== undefined ? { notAssessed: d } : {}))(
          t.annotations.find((a) => a.type === ANNOTATE.notAssessed)?.description,
        ),
        exchanges: result.attachments
          .filter((a) => a.name === ATTACH.exchange && a.body !== undefined)
          .map((a) => {
            const ex = JSON.parse(Buffer.from(a.body ?? '', 'base64').toString('utf8')) as {
              label: string;
              request: { url: string };
              response?: { status: number };
            };
            return {
              label: ex.label,
              url: ex.request.url,
              ...(ex.response ? { status: ex.response.status } : {}),
            };
          }),
      };
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of json.suites) walk(suite);
  return cases;
}

/**
 * Serves a hook that answers `status`, runs the probe suite (given the hook's URL when `given`), checks its cases
 * and the hook with `check`, and closes the hook.
 */
async function withHook(
  status: number,
  given: boolean,
  check: (cases: Record<string, ProbeCase>, hook: Hook) => void,
): Promise<void> {
  const hook = await serveHook(status);
  try {
    check(await runProbe(given ? hook.url : undefined), hook);
  } finally {
    await hook.close();
  }
}

test('without --state-url, a case that needs a state is not assessed, saying to pass one; the others run', async () => {
  await withHook(204, false, (cases, hook) => {
    expect(cases['probe.state.set']?.status).toBe('skipped');
    expect(cases['probe.state.set']?.notAssessed).toMatch(/pass --state-url URL/);
    expect(cases['probe.state.undeclared']?.status).toBe('passed');
    expect(hook.bodies).toEqual([]);
  });
});

test('with a hook, the state is POSTed in the shared envelope and the exchange is in the wire log', async () => {
  await withHook(204, true, (cases, hook) => {
    expect(cases['probe.state.set']?.status).toBe('passed');
    expect(cases['probe.state.set']?.notAssessed).toBeUndefined();
    expect(hook.bodies[0]).toEqual(PROBE_STATE);
    for (const body of hook.bodies) expect(validState(body), formatErrors(validState.errors)).toBe(true);
    expect(cases['probe.state.set']?.exchanges).toEqual([
      { label: `provider state "${PROBE_STATE.state}"`, url: hook.url, status: 204 },
    ]);
  });
});

test('a hook that refuses leaves the case that needs it not assessed, with its answer', async () => {
  await withHook(500, true, (cases) => {
    expect(cases['probe.state.set']?.status).toBe('skipped');
    expect(cases['probe.state.set']?.notAssessed).toMatch(
      /did not set up the state "sensor registered": HTTP 500/,
    );
    expect(cases['probe.state.undeclared']?.status).toBe('passed');
  });
});

test('the shared schema takes any named state and refuses what is not one', () => {
  expect(validState({ state: 'reset' })).toBe(true);
  expect(validState({ state: 'command queued', params: { deviceId: '1', command: {} } })).toBe(true);
  expect(validState({ state: '' })).toBe(false);
  expect(validState({ params: {} })).toBe(false);
  expect(validState({ state: 'x', params: 'not an object' })).toBe(false);
  expect(validState({ state: 'x', extra: 1 })).toBe(false);
});

test('--state-url is an option of every profile, checked like --target', async () => {
  const r = await pushcheck(
    onenetRun('http://127.0.0.1:1/onenet', ['--state-url', 'ftp://127.0.0.1/state'], 'probe-token'),
  );
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe('pushcheck: --state-url must be http:// or https://, got ftp:');
});

test('a config file takes "state-url"; the key in its query is never written or printed', async () => {
  const dir = scratch('pushcheck-state-config-');
  const server = await serve(controlidHandlers({ enrolled: [DEFAULT_DEVICE_ID] }));
  try {
    const file = join(dir, 'pushcheck.config.json');
    const options = {
      target: `${server.origin}${DEFAULT_PATH}`,
      'state-url': `${server.origin}${DEFAULT_STATE_PATH}?key=cfg-hook-key-4242`,
      grep: 'controlid\\.command\\.delivered',
      report: join(dir, 'report'),
    };
    writeFileSync(file, JSON.stringify({ runs: [{ name: 'hooked', profile: 'controlid', options }] }));
    const r = await pushcheck(['run', '--config', file], join(dir, 'report'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.report?.cases.map((c) => [c.id, c.outcome])).toEqual([
      ['controlid.command.delivered', 'passed'],
    ]);
    expect(readFileSync(join(dir, 'report', 'report.json'), 'utf8')).toContain('provider state');
    for (const f of ['report.json', 'junit.xml', 'report.md']) {
      expect(readFileSync(join(dir, 'report', f), 'utf8')).not.toContain('cfg-hook-key-4242');
    }
    expect(r.stdout + r.stderr).not.toContain('cfg-hook-key-4242');
  } finally {
    await server.close();
  }
});
