/**
 * The idle case (controlid.command.survives-idle-period): a push server that forgets the commands of a device
 * idle for less than a push_request_period fails it at MUST, the reference passes it, and it waits its period
 * beside the run's other cases rather than after them. The periods are short (2 s) so that the test is; the
 * purging server forgets after 1 s, as the forgot after 10 s of a 60 s period.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import {
  type Behaviour,
  controlidHandlers,
  DEFAULT_STATE_PATH,
  reference,
} from '../../mocks/controlid/reference.ts';
import { requirements } from '../../specs/controlid/requirements.ts';
import { DEFAULT_DEVICE_ID } from '../../src/protocols/controlid/profile.ts';
import type { RunReport } from '../../src/report/reporter.ts';
import { type CliResult, idsWith, pushcheck, runServed, scratch } from '../helpers.ts';

const ID = 'controlid.command.survives-idle-period';
const PERIOD_S = 2;
const purging: Behaviour = { ...reference, idlePurgeMs: 1000 };

async function runAgainst(behaviour: Behaviour, extra: string[] = []): Promise<CliResult & { dir: string }> {
  const dir = scratch('pushcheck-controlid-idle-');
  const observeFile = join(dir, 'results.log');
  return runServed(
    controlidHandlers({ observeFile, enrolled: [DEFAULT_DEVICE_ID] }, behaviour),
    (origin) => [
      ...['--profile', 'controlid', '--target', `${origin}/api`, '--seed', '5'],
      ...['--state-url', `${origin}${DEFAULT_STATE_PATH}`, '--period', String(PERIOD_S)],
    ],
    { dir, observeFile },
    { extra },
  );
}

type Case = NonNullable<RunReport['cases']>[number];
const caseOf = (r: CliResult, id = ID): Case | undefined => r.report?.cases.find((c) => c.id === id);
const times = (c: Case | undefined): number[] =>
  (c?.wire ?? []).map((w) => Date.parse((w as { startedAt: string }).startedAt));

test('the requirement is a MUST that quotes the document on periodic polls and command delivery', () => {
  expect(requirements[ID].level).toBe('MUST');
  expect(requirements[ID].source.quote).toContain('periodically sent');
  expect(requirements[ID].source.quote).toContain('the server must answer the command');
});

test('the reference passes, after a full period, while the other cases run beside it', async () => {
  const r = await runAgainst(reference);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(idsWith(r.report, 'failed')).toEqual([]);
  const idle = caseOf(r);
  expect(idle?.outcome).toBe('passed');
  // The report names the wait: one period, measured from the device's last poll to its next.
  const metrics = (idle as { metrics?: Record<string, number> } | undefined)?.metrics;
  expect(metrics?.idleGapMs).toBeGreaterThanOrEqual(PERIOD_S * 1000);
  expect(metrics?.periodMs).toBe(PERIOD_S * 1000);
  expect(metrics?.otherDevicePolls).toBeGreaterThan(0);
  expect(r.stdout).toMatch(new RegExp(`${ID.replace(/\./g, '\\.')} .*idleGap \\d+ ms`));
  // Beside, not after: had the idle case held the run's lock, every other request would come after its end.
  // (How much they overlap depends on when the run's extra worker starts, which a busy machine delays.)
  const to = times(idle).at(-1) ?? 0;
  const others = (r.report?.cases ?? []).filter((c) => c.id !== ID).flatMap(times);
  expect(to).toBeGreaterThan(0);
  expect(others.filter((t) => t < to).length).toBeGreaterThan(0);
  // And their resets were proven to keep the idle devices' commands.
  const labels = (r.report?.cases ?? []).flatMap((c) => (c.wire ?? []).map((w) => String(w.label)));
  expect(labels.some((l) => l.includes('did the reset keep its command?'))).toBe(true);
});

test('a server that forgets the commands of devices idle for half a period fails it at MUST', async () => {
  // The case alone: in a full run, the other cases' resets fall in its gap, and on a busy machine this server
  // (1 s) also purges the command the hook's keep-probe queued, so the case cannot tell the hook from the
  // server and is, rightly, not assessed. The registry's server (10 s, --period 12) is run alone too.
  const r = await runAgainst(purging, ['--grep', 'idle-period']);
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const c = caseOf(r);
  expect(idsWith(r.report, 'failed'), `${c?.outcome}: ${c?.reason}`).toContain(ID);
  expect(c?.level).toBe('MUST');
  expect(c?.actual).toMatch(/empty/);
  expect(c?.expected).toContain('a period of 2 s');
  expect(r.stdout).toContain(`FAILED MUST ${ID}`);
});

for (const resetKeep of ['ignores', 'refuses'] as const) {
  test(`a hook that ${resetKeep} "keep" never fails a correct server, and leaves the other cases as they were`, async () => {
    const r = await runAgainst({ ...reference, resetKeep });
    const c = caseOf(r);
    // A second gap, once the other cases are done, or not assessed: never failed.
    expect(['passed', 'not-assessed'], r.stdout).toContain(c?.outcome);
    expect(idsWith(r.report, 'failed')).toEqual([]);
    const others = (r.report?.cases ?? []).filter((k) => k.id !== ID);
    expect(others.filter((k) => k.outcome !== 'passed').map((k) => k.id)).toEqual([]);
  });
}

test('with such a hook, a purging server is still caught, by the case alone', async () => {
  const r = await runAgainst({ ...purging, resetKeep: 'ignores' }, ['--grep', 'idle-period']);
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(idsWith(r.report, 'failed')).toEqual([ID]);
});

test('--period is checked and listed in the help', async () => {
  const bad = await pushcheck([
    'run',
    '--profile',
    'controlid',
    '--target',
    'http://127.0.0.1:1/api',
    '--period',
    '0',
  ]);
  expect(bad.code).toBe(2);
  expect(bad.stderr + bad.stdout).toMatch(/--period must be an integer from 1 to 600/);
  const help = await pushcheck(['run', '--profile', 'controlid', '--help']);
  expect(help.stdout).toMatch(/--period S +the device's push_request_period \(default 60\)/);
});
