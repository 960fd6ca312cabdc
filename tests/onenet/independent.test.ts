/**
 * Verdicts must hold on receivers nobody here shaped: a plain node:http receiver, written from the vendor's
 * documents alone (tests/receivers/onenet-independent.ts), passes with --strict.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/onenet/requirements.ts';
import { AES_KEY, idsWith, pushcheck, scratch, TOKEN } from '../helpers.ts';
import { startIndependentReceiver } from '../receivers/onenet-independent.ts';

for (const aesKey of [undefined, AES_KEY]) {
  test(`an independent correct receiver passes with --strict (${aesKey ? 'secure' : 'plain'} mode)`, async () => {
    const dir = scratch();
    const observeFile = join(dir, 'processed.log');
    const receiver = await startIndependentReceiver({
      token: TOKEN,
      observeFile,
      ...(aesKey ? { aesKey } : {}),
    });
    try {
      const args = ['run', '--profile', 'onenet', '--target', receiver.url, '--observe-file', observeFile];
      args.push('--report', join(dir, 'report'), '--strict');
      if (aesKey) args.push('--aes-key', aesKey);
      // The token comes from the environment here, as a CI secret would.
      const r = await pushcheck(args, join(dir, 'report'), { PUSHCHECK_TOKEN: TOKEN });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(idsWith(r.report, 'failed')).toEqual([]);
      expect(idsWith(r.report, 'not-assessed')).toEqual([]);
      const skipped = aesKey ? 0 : 1;
      expect(r.report?.summary.passed).toBe(Object.keys(requirements).length - skipped);
    } finally {
      await receiver.close();
    }
  });
}
