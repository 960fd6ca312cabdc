/**
 * The legacy profile's test of honesty: through the real CLI and real HTTP, the suite passes against the
 * reference receiver (plain and encrypted, with --strict) and catches every faulty receiver with the case meant
 * to catch it. Runs are kept short: a burst of 5 (20 only where the burst is what is tested) and a 1 s
 * observer timeout (the reference records synchronously).
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type FaultyName, faulty, faultyBehaviour } from '../../mocks/onenet-legacy/faulty.ts';
import { type Behaviour, legacyHandlers, reference } from '../../mocks/onenet-legacy/reference.ts';
import { type OneNetLegacyCaseId, requirements } from '../../specs/onenet-legacy/requirements.ts';
import {
  type CliResult,
  eachFaultyIsCaught,
  pushcheck,
  referenceIsConformant,
  runServed,
  scratch,
  type ServedRun,
  TOKEN,
} from '../helpers.ts';
import { ENCODING_AES_KEY } from './helpers.ts';

const PROFILE = 'onenet-legacy';
const ALL_IDS = Object.keys(requirements) as OneNetLegacyCaseId[];

interface RunOptions extends ServedRun {
  encodingAesKey?: string;
}

/** Serves `behaviour` on loopback and runs `pushcheck run --profile onenet-legacy` against it. */
async function runAgainst(behaviour: Behaviour, opts: RunOptions = {}): Promise<CliResult & { dir: string }> {
  const dir = scratch('pushcheck-legacy-');
  const observeFile = join(dir, 'processed.log');
  const handlers = legacyHandlers(
    { token: TOKEN, encodingAesKey: opts.encodingAesKey, observeFile },
    behaviour,
  );
  return runServed(
    handlers,
    (origin) => [
      ...['--profile', PROFILE, '--target', `${origin}/onenet-legacy`, '--token', TOKEN],
      ...['--seed', '11', '--observe-timeout', '1000'],
      ...(opts.extra?.includes('--burst') ? [] : ['--burst', '5']),
      ...(opts.encodingAesKey ? ['--aes-key', opts.encodingAesKey] : []),
    ],
    { dir, observeFile },
    opts,
  );
}

test.describe('the reference legacy receiver', () => {
  referenceIsConformant({
    profile: PROFILE,
    registry: requirements,
    mode: 'encrypted mode',
    key: ENCODING_AES_KEY,
    run: ({ key, ...opts }) => runAgainst(reference, { ...opts, ...(key ? { encodingAesKey: key } : {}) }),
  });
});

test.describe('each faulty legacy receiver', () => {
  // One full CLI run each: seconds on an idle machine, but a shared one can stretch a run past a minute.
  test.setTimeout(300_000);
  eachFaultyIsCaught({
    registry: requirements,
    faulty,
    // The burst is what serial-slow gets wrong: it gets the full 20, not the short runs' 5.
    argsFor: (name) => (name === 'serial-slow' ? ['--burst', '20'] : []),
    run: (name, f, extra, runner) =>
      runAgainst(faultyBehaviour(name as FaultyName), {
        ...('secureOnly' in f && f.secureOnly ? { encodingAesKey: ENCODING_AES_KEY } : {}),
        extra,
        runner,
      }),
  });
});

test.describe('the legacy options', () => {
  for (const [what, args, message] of [
    ['a 44-character key', ['--aes-key', `${ENCODING_AES_KEY}=`], /43-character EncodingAESKey/],
    ['a Studio-style 16-character key', ['--aes-key', 'a+B/c=D4e5F6g7H8'], /43-character EncodingAESKey/],
    ['no token', [], /--token is required/],
  ] as const) {
    test(`${what} is a usage error: one sentence, exit 2`, async () => {
      const token = what === 'no token' ? [] : ['--token', TOKEN];
      const r = await pushcheck(
        ['run', '--profile', PROFILE, '--target', 'http://127.0.0.1:9/x', ...token, ...args],
        undefined,
        { PUSHCHECK_TOKEN: '', PUSHCHECK_AES_KEY: '' },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain(ENCODING_AES_KEY);
    });
  }

  test('the catalogue lists the 22 legacy cases', async () => {
    const r = await pushcheck(['cases', '--profile', PROFILE, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((c) => c.id).sort()).toEqual([...ALL_IDS].sort());
  });
});
