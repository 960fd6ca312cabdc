/**
 * The alertpush suite's own test of honesty: through the real CLI and real HTTP, it passes against the
 * reference alert server in each authentication mode, and catches every faulty server with the case meant to
 * catch it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type FaultyName, faulty, faultyBehaviour } from '../../mocks/alertpush/faulty.ts';
import {
  type AuthMode,
  type Behaviour,
  alertpushHandlers,
  PATHS,
  reference,
} from '../../mocks/alertpush/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { requirements } from '../../specs/alertpush/requirements.ts';
import { type CliResult, eachFaultyIsCaught, idsWith, pushcheck, scratch, type Runner } from '../helpers.ts';

const BEARER = 'selftest-fixed-bearer-4d1c9a';
/** A token URL query value long enough to be treated as a credential. */
const TOKEN_QUERY_SECRET = 'selftest-api-key-77f0';

const ALL_IDS = Object.keys(requirements);
const needing = (need: string) =>
  Object.entries(requirements)
    .filter(([, r]) => (r as { needs?: readonly string[] }).needs?.includes(need))
    .map(([id]) => id);

interface RunOptions {
  /** Runs pushcheck (default: at once; a batch's part in the faulty-receiver loop). */
  runner?: Runner;
  mode?: AuthMode;
  observe?: boolean;
  images?: boolean;
  video?: boolean;
  extra?: string[];
}

/** Serves `behaviour` on loopback and runs `pushcheck run --profile alertpush` against it. */
async function runAgainst(
  behaviour: Behaviour,
  opts: RunOptions = {},
): Promise<CliResult & { dir: string; issued: string[] }> {
  const dir = scratch('pushcheck-alertpush-');
  const observeFile = join(dir, 'processed.log');
  const imageDir = join(dir, 'images');
  mkdirSync(imageDir);
  const mode = opts.mode ?? 'token-url';
  const issued: string[] = [];
  // Every token the server issues, to show that none reaches the report.
  const watched: Behaviour = {
    ...behaviour,
    issue: () => {
      const t = behaviour.issue();
      issued.push(t);
      return t;
    },
  };
  const server = await serve(
    alertpushHandlers(
      { mode, bearer: mode === 'fixed' ? BEARER : undefined, observeFile, imageDir },
      watched,
    ),
  );
  try {
    const o = server.origin;
    const args = ['run', '--profile', 'alertpush', '--target', `${o}${PATHS.alert}`];
    args.push('--report', join(dir, 'report'), '--seed', '7', '--observe-timeout', '1500');
    // A short token interval: the interval case waits one, beside the others (decisions/023).
    args.push('--token-interval', '2');
    if (mode === 'token-url')
      args.push('--token-url', `${o}${PATHS.token}?arg1=${TOKEN_QUERY_SECRET}&arg2=x`);
    if (mode === 'fixed') args.push('--bearer', BEARER);
    if (opts.video !== false) args.push('--video-target', `${o}${PATHS.video}`);
    if (opts.images !== false) args.push('--image-dir', imageDir);
    if (opts.observe !== false) args.push('--observe-file', observeFile);
    args.push(...(opts.extra ?? []));
    return { ...(await (opts.runner ?? pushcheck)(args, join(dir, 'report'))), dir, issued };
  } finally {
    await server.close();
  }
}

function expectNoSecrets(r: CliResult & { dir: string; issued: string[] }, secrets: string[]): void {
  const outputs = [
    readFileSync(join(r.dir, 'report', 'report.json'), 'utf8'),
    readFileSync(join(r.dir, 'report', 'junit.xml'), 'utf8'),
    r.stdout + r.stderr,
  ];
  for (const text of outputs) for (const s of secrets) expect(text).not.toContain(s);
}

test.describe('the reference alert server', () => {
  test('passes every case with --strict in token-script mode, and never writes a fetched token', async () => {
    const r = await runAgainst(reference, { extra: ['--strict'] });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.report?.verdict).toBe('conformant');
    expect(idsWith(r.report, 'failed')).toEqual([]);
    expect(idsWith(r.report, 'skipped').sort()).toEqual(needing('bearer').sort());
    expect(r.report?.summary.passed).toBe(ALL_IDS.length - needing('bearer').length);
    expect(r.issued.length).toBeGreaterThan(5);
    expectNoSecrets(r, [...r.issued, TOKEN_QUERY_SECRET]);
  });

  test('passes every case with --strict in fixed-token mode, and never writes the bearer', async () => {
    const r = await runAgainst(reference, { mode: 'fixed', extra: ['--strict'] });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(idsWith(r.report, 'skipped').sort()).toEqual(needing('token-url').sort());
    expect(r.report?.summary.passed).toBe(ALL_IDS.length - needing('token-url').length);
    expectNoSecrets(r, [BEARER]);
  });

  test('without a token, the auth and token cases are skipped; without video, the video case', async () => {
    const r = await runAgainst(reference, { mode: 'none', video: false, extra: ['--strict'] });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const skipped = new Set([
      ...needing('auth'),
      ...needing('token-url'),
      ...needing('bearer'),
      ...needing('video-target'),
    ]);
    expect(idsWith(r.report, 'skipped').sort()).toEqual([...skipped].sort());
    expect(r.report?.summary.passed).toBe(ALL_IDS.length - skipped.size);
  });

  test('without an observer or an image folder, those cases are not assessed, and the run is incomplete', async () => {
    const r = await runAgainst(reference, { observe: false, images: false });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.report?.verdict).toBe('incomplete');
    expect(r.report?.verdictReason).toContain('alertpush.alert.processed');
    expect(idsWith(r.report, 'not-assessed').sort()).toEqual(
      [...needing('observer'), ...needing('image-dir')].sort(),
    );
    expect(r.report?.cases.find((c) => c.id === 'alertpush.alert.image-decoded')?.reason).toContain(
      '--image-dir',
    );
  });
});

test.describe('each faulty alert server', () => {
  eachFaultyIsCaught({
    registry: requirements,
    faulty,
    // The breaker, once tripped, refuses every alert for a minute: it is judged on the whole robustness area.
    // The slow token endpoint gives the first request no answer within 5 s, which the preflight stops.
    argsFor: (name, f) =>
      name === 'breaker-on-bad-image'
        ? ['--grep', 'alertpush\\.robust']
        : name === 'slow-token'
          ? ['--no-preflight']
          : 'runWith' in f
            ? [...f.runWith]
            : [],
    curl: false,
    run: (name, f, extra, runner) =>
      runAgainst(faultyBehaviour(name as FaultyName), {
        mode: 'mode' in f ? f.mode : 'token-url',
        extra,
        runner,
      }),
    also: (r) => expectNoSecrets(r, [...r.issued, BEARER, TOKEN_QUERY_SECRET]),
  });

  test('the slow token endpoint is cut off at the 5 s timeout, not waited for', async () => {
    const r = await runAgainst(faultyBehaviour('slow-token'), {
      extra: ['--grep', 'alertpush\\.token\\.within-5s', '--no-preflight'],
    });
    const c = r.report?.cases.find((k) => k.id === 'alertpush.token.within-5s');
    expect(c?.actual).toMatch(/no complete response within 5000 ms/);
    expect(c?.durationMs).toBeLessThan(5900);
  });

  test('a SHOULD failure fails the run with --strict', async () => {
    const r = await runAgainst(faultyBehaviour('latest-token-only'), {
      // Not the interval case: beside the others, its token fetches can make this server refuse their tokens.
      extra: ['--strict', '--grep', 'alertpush\\.token\\.(?!valid-for-interval)'],
    });
    expect(idsWith(r.report, 'failed')).toEqual(['alertpush.token.earlier-still-valid']);
    expect(r.code).toBe(1);
  });
});
