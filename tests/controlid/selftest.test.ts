/**
 * The Control iD suite's test of honesty: through the real CLI and real HTTP, it passes against the reference
 * push server and catches every faulty one with the case meant to catch it.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type FaultyName, faulty, faultyBehaviour } from '../../mocks/controlid/faulty.ts';
import {
  type Behaviour,
  controlidHandlers,
  DEFAULT_STATE_PATH,
  reference,
} from '../../mocks/controlid/reference.ts';
import { requirements } from '../../specs/controlid/requirements.ts';
import { DEFAULT_DEVICE_ID } from '../../src/protocols/controlid/profile.ts';
import {
  type CliResult,
  eachFaultyIsCaught,
  expectConformant,
  expectIncomplete,
  expectNotWritten,
  idsWith,
  runServed,
  scratch,
  type ServedRun,
} from '../helpers.ts';

type Id = keyof typeof requirements;
const ALL_IDS = Object.keys(requirements) as Id[];
const needing = (need: string) =>
  ALL_IDS.filter((id) => (requirements[id] as { needs?: readonly string[] }).needs?.includes(need));

interface RunOptions extends ServedRun {
  stateHook?: boolean | string;
}

/** Serves `behaviour` on loopback and runs `pushcheck run --profile controlid` against it. */
async function runAgainst(behaviour: Behaviour, opts: RunOptions = {}): Promise<CliResult & { dir: string }> {
  const dir = scratch('pushcheck-controlid-');
  const observeFile = join(dir, 'results.log');
  const hook =
    typeof opts.stateHook === 'string' ? opts.stateHook : `${DEFAULT_STATE_PATH}?key=s3cr3t-hook-key`;
  return runServed(
    controlidHandlers({ observeFile, enrolled: [DEFAULT_DEVICE_ID] }, behaviour),
    (origin) => [
      // A short push_request_period: the idle case waits one, beside the others (tests/controlid/idle.test.ts).
      ...['--profile', 'controlid', '--target', `${origin}/api`, '--seed', '11', '--period', '2'],
      ...(opts.stateHook !== false ? ['--state-url', `${origin}${hook}`] : []),
    ],
    { dir, observeFile },
    opts,
  );
}

test.describe('the reference push server', () => {
  test('passes every case with --strict, and the state hook key is never written', async () => {
    const r = await runAgainst(reference, { extra: ['--strict'] });
    expectConformant(r, ALL_IDS.length);
    expectNotWritten(r, 's3cr3t-hook-key');
  });

  test('without --state-url, the cases that need it are not assessed, and the run is incomplete', async () => {
    const r = await runAgainst(reference, { stateHook: false });
    expectIncomplete(r, 'controlid.command.delivered', needing('state-hook'));
    expect(idsWith(r.report, 'failed')).toEqual([]);
    expect(r.report?.cases.find((c) => c.outcome === 'not-assessed')?.reason).toContain('--state-url');
  });

  test('a state hook that refuses leaves only the cases that need it not assessed, saying what it answered', async () => {
    const r = await runAgainst(reference, { stateHook: '/no/such/hook' });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(idsWith(r.report, 'not-assessed').sort()).toEqual(needing('state-hook').sort());
    expect(idsWith(r.report, 'failed')).toEqual([]);
    const one = r.report?.cases.find((c) => c.id === 'controlid.command.delivered');
    expect(one?.reason).toMatch(/state hook .* "reset": HTTP 404/);
  });

  test('without an observer, only the processing case is not assessed, and a SHOULD does not make it incomplete', async () => {
    const r = await runAgainst(reference, { observe: false });
    expect(idsWith(r.report, 'not-assessed')).toEqual(['controlid.result.processed']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

test.describe('each faulty push server', () => {
  eachFaultyIsCaught({
    registry: requirements,
    faulty,
    argsFor: (_, f) => ('runWith' in f ? f.runWith : []),
    run: (name, _, extra, runner) => runAgainst(faultyBehaviour(name as FaultyName), { extra, runner }),
  });

  test('a SHOULD failure fails the run with --strict', async () => {
    const r = await runAgainst(faultyBehaviour('idle-json-object'), {
      extra: ['--strict', '--grep', 'controlid\\.poll'],
    });
    expect(idsWith(r.report, 'failed')).toEqual(['controlid.poll.idle-zero-length']);
    expect(r.code).toBe(1);
  });

  test('a slow poll is cut off at --request-timeout, not waited for', async () => {
    const r = await runAgainst(faultyBehaviour('slow-poll'), {
      extra: ['--request-timeout', '1000', '--grep', 'controlid\\.poll\\.idle-empty', '--no-preflight'],
    });
    const c = r.report?.cases.find((k) => k.id === 'controlid.poll.idle-empty');
    expect(c?.actual).toMatch(/no complete response within 1000 ms/);
    expect(c?.durationMs).toBeLessThan(1900);
    expect(r.report?.deadlineMs, 'the report states the deadline the run used').toBe(1000);
  });
});
