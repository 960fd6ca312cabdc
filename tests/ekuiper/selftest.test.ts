/**
 * The eKuiper suite's test of honesty: through the real CLI and real HTTP, it passes against the reference
 * endpoint (both generations, both methods) and against the mock eKuiper through its REST API, and catches every
 * faulty endpoint with the case meant to catch it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { serveEkuiper } from '../../mocks/ekuiper/ekuiper.ts';
import { type FaultyEndpoint, type FaultyName, faulty, faultyBehaviour } from '../../mocks/ekuiper/faulty.ts';
import { type Behaviour, httppushHandlers, reference } from '../../mocks/ekuiper/reference.ts';
import { requirements } from '../../specs/ekuiper/requirements.ts';
import type { EkuiperVersion, PushMethod } from '../../src/protocols/ekuiper/messages.ts';
import {
  type CliResult,
  eachFaultyIsCaught,
  expectConformant,
  idsWith,
  pushcheck,
  runServed,
  scratch,
  type ServedRun,
} from '../helpers.ts';

const ALL_IDS = Object.keys(requirements);
const OBSERVED = Object.entries(requirements)
  .filter(([, r]) => (r as { needs?: readonly string[] }).needs?.includes('observer'))
  .map(([id]) => id);

interface RunOptions extends ServedRun {
  method?: PushMethod;
  version?: EkuiperVersion;
}

/** Serves `behaviour` as a standalone endpoint on loopback and runs `pushcheck run` against it. */
async function runAgainst(behaviour: Behaviour, opts: RunOptions = {}): Promise<CliResult & { dir: string }> {
  const dir = scratch('pushcheck-ekuiper-');
  const observeFile = join(dir, 'rows.log');
  const { method = 'POST', version = 2 } = opts;
  return runServed(
    httppushHandlers({ method, version, observeFile }, behaviour),
    (origin) => [
      ...['--profile', 'ekuiper', '--target', `${origin}/api/data`, '--seed', '7', '--method', method],
      ...['--ekuiper-version', String(version), '--observe-timeout', '1500'],
    ],
    { dir, observeFile },
    opts,
  );
}

/**
 * Runs `pushcheck run` against the data endpoint `target`, setting up its stream and rule through the REST API
 * `api`, adding `more`; with `dir`, reports there and reads the report.
 */
function runWithApi(
  target: string,
  api: string,
  more: string[] = [],
  dir?: string,
  env: NodeJS.ProcessEnv = {},
) {
  const args = ['run', '--profile', 'ekuiper', '--target', target, '--ekuiper-api', api, ...more];
  return pushcheck(dir ? [...args, '--report', dir] : args, dir, env);
}

test.describe('the reference endpoint', () => {
  for (const [version, method] of [
    [2, 'POST'],
    [1, 'PUT'],
  ] as const) {
    test(`v${version}, ${method}: passes every case with --strict`, async () => {
      const r = await runAgainst(reference, { version, method, extra: ['--strict'] });
      expectConformant(r, ALL_IDS.length);
      expect(r.stdout).toMatch(/verdict: CONFORMANT/);
    });
  }

  test('without an observer, data-reached is not assessed and the run is incomplete', async () => {
    const r = await runAgainst(reference, { observe: false });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.report?.verdict).toBe('incomplete');
    expect(idsWith(r.report, 'not-assessed')).toEqual(OBSERVED);
    expect(idsWith(r.report, 'passed').length).toBe(ALL_IDS.length - OBSERVED.length);
    const reason = r.report?.cases.find((c) => c.id === OBSERVED[0])?.reason ?? '';
    expect(reason).toContain('--ekuiper-api URL');
    expect(reason).toContain('--observe-file PATH');
  });
});

test.describe('the mock eKuiper, through its REST API', () => {
  test('passes every case with --strict (PUT, with a token), and pushcheck removes its stream, rule and key', async () => {
    const token = 'ekuiper-api-token-7f3a';
    const ek = await serveEkuiper({ token });
    const dir = scratch('pushcheck-ekuiper-api-');
    try {
      const target = `${ek.data.origin}/factory/line1`;
      const r = await runWithApi(target, ek.api.origin, ['--method', 'PUT', '--strict'], dir, {
        PUSHCHECK_EKUIPER_TOKEN: token,
      });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.report?.summary.passed).toBe(ALL_IDS.length);
      const streams = ek.state.accepted.filter((a) => a.startsWith('CREATE STREAM'));
      expect(streams.length).toBeGreaterThan(0);
      for (const sql of streams) {
        expect(sql).toMatch(
          /^CREATE STREAM pushcheck_\w+\(\) WITH \(DATASOURCE="\/factory\/line1", FORMAT="json", TYPE="httppush", CONF_KEY="pushcheck_\w+"\)$/,
        );
      }
      expect([ek.state.streams.size, ek.state.rules.size, ek.state.confKeys.size]).toEqual([0, 0, 0]);
      const observed = r.report?.cases.find((c) => c.id === 'ekuiper.rule.data-reached');
      expect(JSON.stringify(observed)).toContain('ekuiper-rest-sink');
      for (const text of [r.stdout, r.stderr, readFileSync(join(dir, 'report.json'), 'utf8')]) {
        expect(text).not.toContain(token);
      }
    } finally {
      await ek.close();
    }
  });

  test('catches an eKuiper whose rule never gets the data, with data-reached', async () => {
    const ek = await serveEkuiper({ behaviour: faultyBehaviour('acked-not-forwarded') });
    const dir = scratch('pushcheck-ekuiper-api-');
    try {
      const r = await runWithApi(
        `${ek.data.origin}/api/data`,
        ek.api.origin,
        ['--observe-timeout', '1500'],
        dir,
      );
      expect(idsWith(r.report, 'failed')).toEqual(['ekuiper.rule.data-reached']);
      expect(r.code).toBe(1);
      expect([ek.state.streams.size, ek.state.rules.size]).toEqual([0, 0]);
    } finally {
      await ek.close();
    }
  });

  test('an unreachable REST API is one sentence and exit 2, before any case runs', async () => {
    const r = await runWithApi('http://127.0.0.1:9/api/data', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^pushcheck: cannot reach http:\/\/127\.0\.0\.1:9: connection refused\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

test.describe('each faulty endpoint', () => {
  eachFaultyIsCaught({
    registry: requirements,
    faulty: faulty as Record<FaultyName, FaultyEndpoint>,
    run: (name, f, extra, runner) =>
      runAgainst(faultyBehaviour(name as FaultyName), { ...f.runWith, extra, runner }),
  });

  test('a SHOULD failure fails the run only with --strict', async () => {
    const plain = await runAgainst(faultyBehaviour('size-limit-64k'));
    expect(idsWith(plain.report, 'failed')).toEqual(['ekuiper.push.large-body']);
    expect(plain.code).toBe(0);
    const strict = await runAgainst(faultyBehaviour('size-limit-64k'), {
      extra: ['--strict', '--grep', 'ekuiper\\.push\\.large-body'],
    });
    expect(strict.code).toBe(1);
  });
});
