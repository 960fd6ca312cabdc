/**
 * The token interval case (alertpush.token.valid-for-interval): a server whose tokens expire before the box's
 * refresh interval fails it, the reference (tokens live two intervals) passes it, and it waits its interval
 * beside the run's other cases. The interval is short (2 s) so that the test is; the faulty tokens live 1 s.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { alertpushHandlers, type Behaviour, PATHS, reference } from '../../mocks/alertpush/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { requirements } from '../../specs/alertpush/requirements.ts';
import { type CliResult, idsWith, pushcheck, scratch } from '../helpers.ts';

const ID = 'alertpush.token.valid-for-interval';
const INTERVAL_S = 2;

async function runAgainst(behaviour: Behaviour, extra: string[] = []): Promise<CliResult> {
  const dir = scratch('pushcheck-alertpush-interval-');
  const observeFile = join(dir, 'processed.log');
  const server = await serve(alertpushHandlers({ mode: 'token-url', observeFile }, behaviour));
  try {
    const o = server.origin;
    return await pushcheck(
      [
        ...[
          'run',
          '--profile',
          'alertpush',
          '--target',
          `${o}${PATHS.alert}`,
          '--token-url',
          `${o}${PATHS.token}`,
        ],
        ...['--report', join(dir, 'report'), '--seed', '3', '--observe-file', observeFile],
        ...['--token-interval', String(INTERVAL_S), ...extra],
      ],
      join(dir, 'report'),
    );
  } finally {
    await server.close();
  }
}

const caseOf = (r: CliResult) => r.report?.cases.find((c) => c.id === ID);

test('the requirement is a SHOULD, interpreted, quoting the refresh interval', () => {
  expect(requirements[ID].level).toBe('SHOULD');
  expect(requirements[ID].interpreted).toBe(true);
  expect(requirements[ID].text).toContain('interval = 60 * 10');
});

test('the reference passes, after a whole interval, while the other cases run beside it', async () => {
  const r = await runAgainst(reference, ['--strict']);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const c = caseOf(r);
  expect(c?.outcome).toBe('passed');
  const metrics = (c as { metrics?: Record<string, number> } | undefined)?.metrics;
  expect(metrics?.tokenHeldMs).toBeGreaterThanOrEqual(INTERVAL_S * 1000);
  expect(metrics?.intervalMs).toBe(INTERVAL_S * 1000);
  const startedAt = (w: unknown) => Date.parse((w as { startedAt: string }).startedAt);
  const [from = 0, ...rest] = (c?.wire ?? []).map(startedAt);
  const to = rest.at(-1) ?? 0;
  const others = (r.report?.cases ?? [])
    .filter((k) => k.id !== ID)
    .flatMap((k) => (k.wire ?? []).map(startedAt));
  // Not after it: had the interval case held the run's lock, every other request would come after its end. (How
  // much they overlap depends on when the run's extra worker starts, which a busy machine delays.)
  expect(from).toBeGreaterThan(0);
  expect(others.filter((t) => t < to).length).toBeGreaterThan(0);
});

test('a server whose tokens expire before the interval fails it', async () => {
  const r = await runAgainst({ ...reference, tokenLifetimeMs: 1000 }, ['--strict']);
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(idsWith(r.report, 'failed')).toContain(ID);
  expect(caseOf(r)?.actual).toMatch(/401/);
  expect(r.stdout).toContain(`FAILED SHOULD ${ID}`);
});

test('--token-interval is checked and listed in the help', async () => {
  const bad = await pushcheck([
    'run',
    '--profile',
    'alertpush',
    '--target',
    'http://127.0.0.1:1/alert',
    '--token-interval',
    '601',
  ]);
  expect(bad.code).toBe(2);
  expect(bad.stderr + bad.stdout).toMatch(/--token-interval must be an integer from 1 to 600/);
  const help = await pushcheck(['run', '--profile', 'alertpush', '--help']);
  expect(help.stdout).toMatch(
    /--token-interval S +the token script's refresh interval \(600 in the vendor's script\)/,
  );
});
