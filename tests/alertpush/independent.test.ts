/**
 * Verdicts must hold on servers nobody here shaped: a plain node:http alert server written from the vendor's
 * samples alone (tests/receivers/alertpush-independent.ts), answering 403 to bad tokens, passes with --strict.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/alertpush/requirements.ts';
import { idsWith, pushcheck, scratch } from '../helpers.ts';
import { startIndependentAlertServer } from '../receivers/alertpush-independent.ts';

test('an independent correct alert server passes with --strict (token script)', async () => {
  const dir = scratch('pushcheck-alertpush-');
  const observeFile = join(dir, 'processed.log');
  const imageDir = join(dir, 'images');
  mkdirSync(imageDir);
  const server = await startIndependentAlertServer({ observeFile, imageDir });
  try {
    const o = server.origin;
    const args = ['run', '--profile', 'alertpush', '--target', `${o}/alert`, '--token-url', `${o}/token`];
    // A short token interval: the interval case waits one, beside the others (decisions/023).
    args.push('--token-interval', '2');
    args.push('--video-target', `${o}/video`, '--image-dir', imageDir, '--observe-file', observeFile);
    args.push('--report', join(dir, 'report'), '--strict');
    const r = await pushcheck(args, join(dir, 'report'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(idsWith(r.report, 'failed')).toEqual([]);
    expect(idsWith(r.report, 'not-assessed')).toEqual([]);
    expect(idsWith(r.report, 'skipped')).toEqual(['alertpush.auth.fixed-token-accepted']);
    expect(r.report?.summary.passed).toBe(Object.keys(requirements).length - 1);
  } finally {
    await server.close();
  }
});
