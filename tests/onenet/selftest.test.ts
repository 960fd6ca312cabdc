/**
 * The suite's own test of honesty: through the real CLI and real HTTP, it passes against the reference
 * receiver and catches every faulty receiver with the case meant to catch it.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type FaultyName, faulty, faultyBehaviour } from '../../mocks/onenet/faulty.ts';
import { type Behaviour, onenetHandlers, reference } from '../../mocks/onenet/reference.ts';
import { requirements } from '../../specs/onenet/requirements.ts';
import {
  AES_KEY,
  casesNeeding,
  type CliResult,
  eachFaultyIsCaught,
  idsWith,
  referenceIsConformant,
  runServed,
  scratch,
  type ServedRun,
  TOKEN,
} from '../helpers.ts';

const needing = (need: string) => casesNeeding(requirements, need);

interface RunOptions extends ServedRun {
  aesKey?: string;
}

/** Serves `behaviour` on loopback and runs `pushcheck run` against it. */
async function runAgainst(behaviour: Behaviour, opts: RunOptions = {}): Promise<CliResult & { dir: string }> {
  const dir = scratch();
  const observeFile = join(dir, 'processed.log');
  const handlers = onenetHandlers({ token: TOKEN, aesKey: opts.aesKey, observeFile }, behaviour);
  return runServed(
    handlers,
    (origin) => [
      ...['--profile', 'onenet', '--target', `${origin}/onenet`, '--token', TOKEN, '--seed', '7'],
      ...(opts.aesKey ? ['--aes-key', opts.aesKey] : []),
    ],
    { dir, observeFile },
    opts,
  );
}

test.describe('the reference receiver', () => {
  referenceIsConformant({
    profile: 'onenet',
    registry: requirements,
    mode: 'secure mode',
    key: AES_KEY,
    run: ({ key, ...opts }) => runAgainst(reference, { ...opts, ...(key ? { aesKey: key } : {}) }),
  });
});

test('an observer that sees nothing fails "processed" and leaves the absence checks not assessed', async () => {
  // The receiver records into one file; pushcheck watches another, which stays empty.
  const r = await runAgainst(reference, {
    observe: false,
    extra: ['--observe-file', join(scratch(), 'elsewhere.log')],
  });
  expect(idsWith(r.report, 'failed')).toEqual(['onenet.push.processed']);
  // Every other case that needs an observer looks for an absence (or a second recording) after a sentinel.
  const absence = needing('observer').filter(
    (id) => id !== 'onenet.push.processed' && !needing('aes-key').includes(id),
  );
  expect(absence.length).toBeGreaterThanOrEqual(4);
  expect(idsWith(r.report, 'not-assessed').sort()).toEqual(absence.sort());
  expect(r.report?.cases.find((c) => c.id === 'onenet.sign.forged-not-processed')?.reason).toMatch(
    /never recorded the genuine sentinel/,
  );
  expect(r.code).toBe(1);
});

test.describe('each faulty receiver', () => {
  eachFaultyIsCaught({
    registry: requirements,
    faulty,
    run: (name, f, extra, runner) =>
      runAgainst(faultyBehaviour(name as FaultyName), {
        ...('secureOnly' in f && f.secureOnly ? { aesKey: AES_KEY } : {}),
        extra,
        runner,
      }),
  });

  test('a SHOULD failure fails the run with --strict', async () => {
    const r = await runAgainst(faultyBehaviour('no-type-500'), {
      extra: ['--strict', '--grep', 'onenet\\.robust\\.no-content-type'],
    });
    expect(idsWith(r.report, 'failed')).toEqual(['onenet.robust.no-content-type']);
    expect(r.code).toBe(1);
    expect(r.report?.verdictReason).toMatch(/SHOULD.*--strict/);
  });

  test('the slow ack is cut off at the 5 s deadline, not waited for', async () => {
    const r = await runAgainst(faultyBehaviour('slow-ack'), {
      extra: ['--grep', 'onenet\\.ack\\.within-5s'],
    });
    const c = r.report?.cases.find((k) => k.id === 'onenet.ack.within-5s');
    expect(c?.actual).toMatch(/no complete response within 5000 ms/);
    // The request itself is cut at the deadline (the receiver acks at 6 s); the case's duration would add its
    // set-up, which a loaded machine stretches.
    const timed = c?.wire.at(-1);
    expect(timed?.status).toBeUndefined();
    expect(timed?.totalMs).toBeGreaterThanOrEqual(5000);
    expect(timed?.totalMs).toBeLessThan(5900);
  });
});
