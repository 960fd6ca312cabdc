/**
 * Verdicts must hold on receivers nobody here shaped: a plain node:http legacy receiver written from the public sources
 * §1b alone (independent-receiver.ts) passes with --strict, plain and encrypted.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/onenet-legacy/requirements.ts';
import { idsWith, pushcheck, scratch, TOKEN } from '../helpers.ts';
import { ENCODING_AES_KEY } from './helpers.ts';
import { startLegacyReceiver } from './independent-receiver.ts';

for (const encodingAesKey of [undefined, ENCODING_AES_KEY]) {
  test(`an independent legacy receiver passes with --strict (${encodingAesKey ? 'encrypted' : 'plain'} mode)`, async () => {
    const dir = scratch('pushcheck-legacy-independent-');
    const observeFile = join(dir, 'processed.log');
    const receiver = await startLegacyReceiver({
      token: TOKEN,
      observeFile,
      ...(encodingAesKey ? { encodingAesKey } : {}),
    });
    try {
      const args = [
        'run',
        '--profile',
        'onenet-legacy',
        '--target',
        receiver.url,
        '--observe-file',
        observeFile,
      ];
      args.push('--report', join(dir, 'report'), '--strict', '--burst', '5', '--observe-timeout', '1000');
      if (encodingAesKey) args.push('--aes-key', encodingAesKey);
      const r = await pushcheck(args, join(dir, 'report'), { PUSHCHECK_TOKEN: TOKEN });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(idsWith(r.report, 'failed')).toEqual([]);
      expect(idsWith(r.report, 'not-assessed')).toEqual([]);
      expect(r.report?.summary.passed).toBe(Object.keys(requirements).length - (encodingAesKey ? 0 : 1));
    } finally {
      await receiver.close();
    }
  });
}
