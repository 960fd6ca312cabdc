/**
 * The Eye4 suite's test of honesty: through the real CLI and real HTTP, it passes against the reference
 * receiver and catches every faulty receiver with the case meant to catch it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type FaultyName, faulty, faultyBehaviour } from '../../mocks/eye4/faulty.ts';
import { reference } from '../../mocks/eye4/reference.ts';
import { requirements } from '../../specs/eye4/requirements.ts';
import {
  eachFaultyIsCaught,
  expectConformant,
  expectIncomplete,
  expectNotWritten,
  idsWith,
  scratch,
} from '../helpers.ts';
import { GUID, runEye4 } from './helpers.ts';

const ALL_IDS = Object.keys(requirements);
const needing = (need: string): string[] =>
  Object.entries(requirements)
    .filter(([, r]) => (r as { needs?: readonly string[] }).needs?.includes(need))
    .map(([id]) => id);

test.describe('the reference Eye4 receiver', () => {
  test('passes every case with --strict, its lookups observed through the API mock; the guid is never written', async () => {
    const r = await runEye4(reference, { extra: ['--strict'] });
    expectConformant(r, ALL_IDS.length);
    expectNotWritten(r, GUID);
    expect(r.stdout).toMatch(/verdict: CONFORMANT/);
  });

  test('on one URL and without the API mock, passes with --strict; the lookup cases are skipped', async () => {
    const r = await runEye4(reference, { api: false, oneUrl: true, extra: ['--strict'] });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(idsWith(r.report, 'skipped').sort()).toEqual(needing('eye4-api').sort());
    expect(r.report?.summary.passed).toBe(ALL_IDS.length - needing('eye4-api').length);
    const skipped = r.report?.cases.find((c) => c.outcome === 'skipped');
    expect(skipped?.reason).toContain('--eye4-api-listen');
  });

  test('without an observer, the cases that need one are not assessed, and the run is incomplete', async () => {
    const r = await runEye4(reference, { observe: false });
    expectIncomplete(r, 'eye4.alarm.processed', needing('observer'));
  });
});

test('an observer that sees nothing fails "processed" and leaves the absence checks not assessed', async () => {
  const r = await runEye4(reference, {
    observe: false,
    extra: [
      '--observe-file',
      join(scratch(), 'elsewhere.log'),
      '--grep',
      'eye4\\.(alarm\\.processed|guid|dedup)',
    ],
  });
  expect(idsWith(r.report, 'failed')).toEqual(['eye4.alarm.processed']);
  expect(idsWith(r.report, 'not-assessed').sort()).toEqual([
    'eye4.dedup.processed-once',
    'eye4.guid.missing-not-processed',
    'eye4.guid.wrong-not-processed',
  ]);
  expect(r.code).toBe(1);
});

test.describe('each faulty Eye4 receiver', () => {
  eachFaultyIsCaught({
    registry: requirements,
    faulty,
    // Its alarms are answered after the deadline, the first one too, which the preflight stops.
    argsFor: (name) => (name === 'slow-ack' ? ['--no-preflight'] : []),
    run: (name, _, extra, runner) => runEye4(faultyBehaviour(name as FaultyName), { extra, runner }),
    also(r) {
      // Nor any forged guid, which is the account's with one character changed, missing or added.
      const written = readFileSync(join(r.dir, 'report', 'report.json'), 'utf8') + r.stdout + r.stderr;
      expect(written).not.toContain(GUID.slice(0, -1));
    },
  });

  test('a SHOULD failure fails the run with --strict', async () => {
    const r = await runEye4(faultyBehaviour('guid-optional'), {
      extra: ['--strict', '--grep', 'eye4\\.guid'],
    });
    expect(idsWith(r.report, 'failed')).toEqual(['eye4.guid.missing-not-processed']);
    expect(r.code).toBe(1);
  });
});
