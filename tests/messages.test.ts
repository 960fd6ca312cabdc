/**
 * Messages that say what happened (issue 20 point 6), each against a receiver that provokes it: a run of one
 * OneNET generation against a receiver of the other, a mistyped encrypted push, an error page several
 * kilobytes long, a launched receiver's log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ERROR_PAGE_BYTES, verboseErrorHandlers } from '../mocks/messages/verbose-errors.ts';
import { faultyBehaviour } from '../mocks/onenet-legacy/faulty.ts';
import { legacyHandlers, reference as legacyReference } from '../mocks/onenet-legacy/reference.ts';
import { onenetHandlers } from '../mocks/onenet/reference.ts';
import { ACTUAL_BODY_CHARS } from '../src/core/case.ts';
import { pushcheck, ROOT, runServed, scratch, TOKEN } from './helpers.ts';
import { ENCODING_AES_KEY } from './onenet-legacy/helpers.ts';
import { only } from './report/helpers.ts';

const HINT =
  /pushcheck: this receiver acks pushes of the (older OneNET|OneNET Studio) generation and not of the [^:]+: try --profile (onenet-legacy|onenet)\n/;

function files() {
  const dir = scratch('pushcheck-messages-');
  return { dir, observeFile: join(dir, 'processed.log') };
}

test('a run of one OneNET generation against a receiver of the other says which profile to try', async () => {
  const f = files();
  const legacy = legacyHandlers({ token: TOKEN, observeFile: f.observeFile }, legacyReference);
  const studio = onenetHandlers({ token: TOKEN, observeFile: f.observeFile });
  const args = (profile: string, path: string) => (origin: string) => [
    ...['--profile', profile, '--target', `${origin}${path}`, '--token', TOKEN],
    ...['--grep', only([`${profile}.push.property-acked`, `${profile}.push.datapoint-acked`])],
  ];
  const studioOnLegacy = await runServed(legacy, args('onenet', '/onenet-legacy'), f, {});
  expect(studioOnLegacy.stderr).toMatch(HINT);
  expect(studioOnLegacy.stderr).toContain('try --profile onenet-legacy');
  const legacyOnStudio = await runServed(studio, args('onenet-legacy', '/onenet'), f, {});
  expect(legacyOnStudio.stderr).toContain('try --profile onenet\n');
  // Against a receiver of its own generation, not a word.
  const own = await runServed(legacy, args('onenet-legacy', '/onenet-legacy'), f, {});
  expect(own.code, own.stdout + own.stderr).toBe(0);
  expect(own.stderr).not.toMatch(HINT);
  // --no-preflight sends nothing before the cases.
  const unprobed = await runServed(legacy, args('onenet', '/onenet-legacy'), f, {
    extra: ['--no-preflight'],
  });
  expect(unprobed.stderr).not.toMatch(HINT);
});

test('in encrypted mode, the wrong-types case names what it sent: enc_msg as an object', async () => {
  const f = files();
  const handlers = legacyHandlers(
    { token: TOKEN, encodingAesKey: ENCODING_AES_KEY, observeFile: f.observeFile },
    faultyBehaviour('unvalidated-500'),
  );
  const r = await runServed(
    handlers,
    (origin) => [
      ...['--profile', 'onenet-legacy', '--target', `${origin}/onenet-legacy`, '--token', TOKEN],
      ...['--aes-key', ENCODING_AES_KEY, '--grep', only(['onenet-legacy.robust.wrong-types'])],
    ],
    f,
    {},
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.report?.cases[0]?.outcome).toBe('failed');
  expect(r.stdout).toContain(
    'a push whose enc_msg is an object and nonce a number must get a complete answer',
  );
  expect(r.stdout).not.toContain('msg is a string');
});

test('a failure quotes the start of a long body, with its size and where the rest is', async () => {
  const f = files();
  const r = await runServed(
    verboseErrorHandlers(TOKEN),
    (origin) => [
      ...['--profile', 'onenet', '--target', `${origin}/onenet`, '--token', TOKEN],
      ...['--grep', only(['onenet.push.property-acked'])],
    ],
    f,
    { observe: false },
  );
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const actual = r.stdout.split('\n').find((l) => l.trim().startsWith('actual:'));
  expect(actual).toContain(`(${ERROR_PAGE_BYTES} bytes; the whole body is in the case's wire log)`);
  expect(actual!.length).toBeLessThan(ACTUAL_BODY_CHARS + 150);
  const failed = r.report?.cases.find((c) => c.id === 'onenet.push.property-acked');
  expect(failed?.actual).toBe(actual!.trim().replace(/^actual:\s+/, ''));
  // The wire log keeps what the one line cut.
  const exchanges = (failed?.exchanges ?? []) as { response?: { status: number; body: string } }[];
  const logged = exchanges.find((e) => e.response?.status === 500)?.response?.body ?? '';
  expect(logged.length).toBeGreaterThan(ACTUAL_BODY_CHARS * 10);
});

test('a launched receiver leaves receiver.log, redacted, beside the report', async () => {
  const dir = scratch('pushcheck-messages-');
  const report = join(dir, 'report');
  const serveCmd = `exec '${process.execPath}' '${join(ROOT, 'bin', 'pushcheck.js')}' serve onenet --port $PORT --token ${TOKEN}`;
  const r = await pushcheck(
    [
      ...['run', '--profile', 'onenet', '--token', TOKEN, '--report', report],
      ...['--receiver-cmd', `echo "receiver starts with token ${TOKEN}"; ${serveCmd}`],
      ...['--receiver-path', '/onenet', '--grep', only(['onenet.push.property-acked'])],
    ],
    report,
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const file = join(report, 'receiver.log');
  expect(existsSync(file)).toBe(true);
  const log = readFileSync(file, 'utf8');
  expect(log).toContain('receiver starts with token');
  expect(log).toContain('reference receiver (onenet)');
  expect(log).not.toContain(TOKEN);
});
