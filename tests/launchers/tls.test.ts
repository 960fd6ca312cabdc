/**
 * https:// targets: the reference receiver serves HTTPS with a certificate made at start with the openssl
 * command line; the suite passes against it with --ca (or --insecure), and without either says so in one
 * sentence before any case runs.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { onenetHandlers } from '../../mocks/onenet/reference.ts';
import { type RunningServer, serve } from '../../mocks/serve.ts';
import { selfSignedCertificate } from '../../src/core/tls.ts';
import { idsWith, pushcheck, scratch, TOKEN } from '../helpers.ts';

let server: RunningServer;
let certFile: string;
let observeFile: string;

test.beforeAll(async () => {
  const cert = selfSignedCertificate();
  certFile = cert.certFile;
  observeFile = join(scratch(), 'processed.log');
  server = await serve(onenetHandlers({ token: TOKEN, observeFile }), { tls: cert });
});
test.afterAll(async () => server.close());

const run = (extra: string[], dir?: string) =>
  pushcheck(
    ['run', '--profile', 'onenet', '--target', `${server.origin}/onenet`, '--token', TOKEN, ...extra],
    dir,
  );

test('the reference receiver over HTTPS passes every case with --ca and --strict', async () => {
  expect(server.origin).toMatch(/^https:\/\/127\.0\.0\.1:/);
  const dir = scratch();
  const r = await run(['--ca', certFile, '--observe-file', observeFile, '--strict', '--report', dir], dir);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(idsWith(r.report, 'failed')).toEqual([]);
  expect(r.report?.summary.passed).toBeGreaterThan(20);
});

test('an untrusted certificate is one sentence saying what to pass, before any case runs', async () => {
  const r = await run([]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /^pushcheck: the certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(\w+\): pass --ca FILE .* or --insecure/,
  );
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});

test('--insecure skips the certificate check', async () => {
  const dir = scratch();
  const r = await run(['--insecure', '--grep', 'onenet\\.(verify|push\\.processed)', '--report', dir], dir);
  expect(idsWith(r.report, 'passed').sort()).toEqual([
    'onenet.verify.echo-verbatim',
    'onenet.verify.forged-not-echoed',
    'onenet.verify.signature-percent-encoded',
    'onenet.verify.signature-raw',
  ]);
  // No observer: processed is not assessed, and the run is incomplete rather than passed.
  expect(idsWith(r.report, 'not-assessed')).toEqual(['onenet.push.processed']);
  expect(r.code).toBe(3);
});

test('--ca with a file that holds no certificate, or with a plain http target, is a usage error', async () => {
  const bad = await run(['--ca', join(import.meta.dirname, 'tls.test.ts')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/holds no PEM certificate/);
  const plain = await pushcheck([
    ...['run', '--profile', 'onenet', '--target', `${server.origin.replace('https:', 'http:')}/onenet`],
    ...['--token', TOKEN, '--insecure'],
  ]);
  expect(plain.code).toBe(2);
  expect(plain.stderr).toMatch(/--ca and --insecure are for https:\/\/ targets/);
});
