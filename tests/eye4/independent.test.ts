/**
 * Verdicts must hold on servers nobody here shaped: a node:http Eye4 receiver written from the vendor
 * document alone (tests/receivers/eye4-independent.ts), on one URL, answering 204, looking recordings up
 * asynchronously, passes with --strict.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/eye4/requirements.ts';
import { freePort } from '../../src/protocols/eye4/profile.ts';
import { idsWith, pushcheck, scratch } from '../helpers.ts';
import { startIndependentEye4 } from '../receivers/eye4-independent.ts';
import { GUID } from './helpers.ts';

test('an independent correct Eye4 receiver passes with --strict', async () => {
  const dir = scratch('pushcheck-eye4-');
  const observeFile = join(dir, 'alarms.log');
  const port = await freePort();
  const receiver = await startIndependentEye4({
    guid: GUID,
    observeFile,
    apiBase: `http://127.0.0.1:${port}`,
  });
  try {
    const args = ['run', '--profile', 'eye4', '--target', receiver.url, '--observe-file', observeFile];
    args.push('--eye4-api-listen', `127.0.0.1:${port}`, '--report', join(dir, 'report'), '--strict');
    // The guid comes from the environment here, as a CI secret would.
    const r = await pushcheck(args, join(dir, 'report'), { PUSHCHECK_EYE4_GUID: GUID });
    expect(idsWith(r.report, 'failed'), r.stdout).toEqual([]);
    expect(idsWith(r.report, 'not-assessed')).toEqual([]);
    expect(r.report?.summary.passed).toBe(Object.keys(requirements).length);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  } finally {
    await receiver.close();
  }
});
