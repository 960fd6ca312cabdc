/**
 * The fuzzer: its mutations do what they say, it is reproducible from the seed, it finds nothing on the
 * reference receiver, and on receivers that break under malformed input it finds the defect, shrinks it, and
 * gives the bytes and a curl line that reproduce it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { type FaultyName, faultyBehaviour } from '../../mocks/onenet/faulty.ts';
import { type Behaviour, onenetHandlers, reference } from '../../mocks/onenet/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { send } from '../../src/core/http.ts';
import { createRng } from '../../src/core/rng.ts';
import { applyMutation, mutation, type Mutation } from '../../src/fuzz/mutations.ts';
import { type FuzzReport, runFuzz } from '../../src/fuzz/run.ts';
import { type OneNetSettings, onenetProfile } from '../../src/protocols/onenet/profile.ts';
import { onenetRun, pushcheck, scratch, TOKEN } from '../helpers.ts';

const SETTINGS: OneNetSettings = { token: TOKEN, burst: 1, retryScale: 0.001 };
const hook = onenetProfile.fuzz;
if (!hook) throw new Error('the onenet profile has no fuzz hook');
const base = () => hook.valid(SETTINGS, { runTag: '1234', rng: createRng(1, 'fuzz-test') });

test('each mutation does what it says to a valid push', () => {
  const b = base();
  const obj = JSON.parse(b.body) as Record<string, unknown>;
  const keys = Object.keys(obj);
  const apply = (m: Mutation) => applyMutation(b, m);
  const parse = (buf: Buffer) => JSON.parse(buf.toString('utf8')) as Record<string, unknown>;

  expect(Object.keys(parse(apply({ kind: 'missing', field: 0 }).body))).toEqual(keys.slice(1));
  const wrong = parse(apply({ kind: 'wrong-type', field: 0, type: 0 }).body);
  expect(typeof wrong[keys[0] ?? '']).not.toBe(typeof obj[keys[0] ?? '']);
  expect(parse(apply({ kind: 'extra', key: 'zz', value: [1] }).body).zz).toEqual([1]);
  expect(parse(apply({ kind: 'huge-string', field: 1, length: 5000 }).body)[keys[1] ?? '']).toHaveLength(
    5000,
  );
  const deep = apply({ kind: 'deep-nesting', field: 0, depth: 1000 }).body.toString();
  expect(deep).toContain(`${'['.repeat(1000)}${']'.repeat(1000)}`);
  for (let bytes = 0; bytes < 5; bytes++) {
    const bad = apply({ kind: 'invalid-utf8', field: 0, bytes }).body;
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bad)).toThrow();
  }
  const noType = apply({ kind: 'content-type', value: 1 });
  expect(Object.keys(noType.headers).map((h) => h.toLowerCase())).not.toContain('content-type');
  expect(noType.body.toString()).toBe(b.body);
  expect(apply({ kind: 'content-type', value: 0 }).headers['content-type']).toBe('text/plain');
  expect(apply({ kind: 'truncated', keep: 10 }).body.toString()).toBe(b.body.slice(0, 10));
  const dup = apply({ kind: 'duplicate-key', field: 0, value: 7 }).body.toString();
  expect(dup.split(JSON.stringify(keys[0])).length - 1).toBe(2);
  expect(parse(Buffer.from(dup))[keys[0] ?? '']).toBe(7);
});

test('the inputs are reproducible from the seed', () => {
  const draw = (seed: number) =>
    fc.sample(mutation, { seed, numRuns: 30 }).map((m) => applyMutation(base(), m).what);
  expect(draw(11)).toEqual(draw(11));
  expect(draw(11)).not.toEqual(draw(12));
});

async function fuzz(behaviour: Behaviour, inputs: number): Promise<FuzzReport> {
  const dir = scratch();
  const server = await serve(onenetHandlers({ token: TOKEN }, behaviour));
  try {
    return await runFuzz({
      hook: hook as NonNullable<typeof onenetProfile.fuzz> as never,
      settings: SETTINGS,
      target: `${server.origin}/onenet`,
      seed: 5,
      runTag: '5555',
      inputs,
      deadlineMs: 5000,
      reportDir: dir,
      secrets: [TOKEN],
    });
  } finally {
    await server.close();
  }
}

test('the reference receiver survives every input, and acks after each', async () => {
  const r = await fuzz(reference, 60);
  expect(r.finding).toBeNull();
  expect(r.ran).toBe(60);
});

const CAUGHT: { faulty: FaultyName; failure: RegExp }[] = [
  { faulty: 'unvalidated-500', failure: /HTTP 500/ },
  { faulty: 'no-type-500', failure: /HTTP 500/ },
  { faulty: 'crash-on-malformed', failure: /not acked|reset|closed/ },
];

for (const c of CAUGHT) {
  test(`a receiver that ${c.faulty} is caught, shrunk, and reproducible from the written bytes`, async () => {
    const r = await fuzz(faultyBehaviour(c.faulty), 100);
    const f = r.finding;
    expect(f, JSON.stringify(r)).not.toBeNull();
    if (!f) return;
    expect(f.failure).toMatch(c.failure);
    expect(f.curl).toContain(`--data-binary @'${f.bodyFile}'`);
    expect(f.curl).not.toContain(TOKEN);
    expect(readFileSync(f.bodyFile).length).toBe(f.bodyBytes);
    // Shrunk: the smallest inputs are small, whatever the first failing input was.
    expect(f.bodyBytes).toBeLessThan(4096);
    if (c.faulty !== 'crash-on-malformed') {
      // The written bytes alone reproduce it on a fresh receiver with the same defect.
      const server = await serve(onenetHandlers({ token: TOKEN }, faultyBehaviour(c.faulty)));
      try {
        const headers = Object.fromEntries(
          [...f.curl.matchAll(/-H '([^:']+): ?([^']*)'/g)]
            .filter((m) => m[2])
            .map((m) => [m[1] ?? '', m[2] ?? '']),
        );
        const ex = await send({
          method: 'POST',
          url: `${server.origin}/onenet`,
          headers,
          body: readFileSync(f.bodyFile),
          deadlineMs: 5000,
        });
        expect(ex.response?.status).toBe(500);
      } finally {
        await server.close();
      }
    }
  });
}

test('--fuzz through the CLI: a finding is printed with its curl line and fails a --strict run', async () => {
  const dir = scratch();
  const server = await serve(onenetHandlers({ token: TOKEN }, faultyBehaviour('unvalidated-500')));
  try {
    const args = ['run', '--profile', 'onenet', '--target', `${server.origin}/onenet`, '--token', TOKEN];
    args.push('--report', dir, '--grep', 'onenet.ack.within-5s', '--fuzz', '40', '--seed', '9', '--strict');
    const r = await pushcheck(args, dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.report?.verdict).toBe('conformant');
    expect(r.stdout).toMatch(/fuzz: FAILED after \d+ of 40 inputs/);
    expect(r.stdout).toMatch(/reproduce: curl .*--data-binary @/);
    expect(r.stdout).not.toContain(TOKEN);
    expect(existsSync(join(dir, 'fuzz.json'))).toBe(true);
  } finally {
    await server.close();
  }
});

test('--fuzz must be a positive count, and is refused in a sentence', async () => {
  const r = await pushcheck(onenetRun('http://127.0.0.1:1/x', ['--fuzz', '0'], 't'));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^pushcheck: --fuzz must be an integer from 1 to 100000, got "0"\n$/);
});
