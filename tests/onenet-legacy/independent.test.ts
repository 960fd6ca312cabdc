/**
 * Verdicts must hold on receivers nobody here shaped: a plain node:http legacy receiver written from the public sources
 * §1b alone (independent-receiver.ts) passes with --strict, plain and encrypted.
 */
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/onenet-legacy/requirements.ts';
import { idsWith, runIndependent, TOKEN } from '../helpers.ts';
import { ENCODING_AES_KEY } from './helpers.ts';
import { startLegacyReceiver } from './independent-receiver.ts';

for (const encodingAesKey of [undefined, ENCODING_AES_KEY]) {
  test(`an independent legacy receiver passes with --strict (${encodingAesKey ? 'encrypted' : 'plain'} mode)`, async () => {
    const r = await runIndependent(
      'onenet-legacy',
      (observeFile) =>
        startLegacyReceiver({ token: TOKEN, observeFile, ...(encodingAesKey ? { encodingAesKey } : {}) }),
      [
        ...['--burst', '5', '--observe-timeout', '1000'],
        ...(encodingAesKey ? ['--aes-key', encodingAesKey] : []),
      ],
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(idsWith(r.report, 'failed')).toEqual([]);
    expect(idsWith(r.report, 'not-assessed')).toEqual([]);
    expect(r.report?.summary.passed).toBe(Object.keys(requirements).length - (encodingAesKey ? 0 : 1));
  });
}
