/**
 * Verdicts must hold on servers nobody here shaped: a node:http push server written from the vendor document
 * alone, with at-least-once delivery (tests/receivers/controlid-independent.ts), passes with --strict.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/controlid/requirements.ts';
import { idsWith, pushcheck, scratch } from '../helpers.ts';
import { startIndependentPushServer } from '../receivers/controlid-independent.ts';

test('an independent correct push server passes every case with --strict', async () => {
  const dir = scratch('pushcheck-controlid-');
  const logFile = join(dir, 'results.log');
  const server = await startIndependentPushServer(logFile);
  try {
    const args = ['run', '--profile', 'controlid', '--target', server.base, '--state-url', server.stateUrl];
    args.push(
      '--device-id',
      '478435',
      '--observe-file',
      logFile,
      '--report',
      join(dir, 'report'),
      '--strict',
      '--period',
      '2',
    );
    const r = await pushcheck(args, join(dir, 'report'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(idsWith(r.report, 'failed')).toEqual([]);
    expect(idsWith(r.report, 'not-assessed')).toEqual([]);
    expect(r.report?.summary.passed).toBe(Object.keys(requirements).length);
  } finally {
    await server.close();
  }
});
