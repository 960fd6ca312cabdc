/**
 * Verdicts must hold on receivers nobody here shaped: a plain node:http receiver, written from the vendor's
 * documents alone (tests/receivers/onenet-independent.ts), passes with --strict.
 */
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/onenet/requirements.ts';
import { AES_KEY, idsWith, runIndependent, TOKEN } from '../helpers.ts';
import { startIndependentReceiver } from '../receivers/onenet-independent.ts';

for (const aesKey of [undefined, AES_KEY]) {
  test(`an independent correct receiver passes with --strict (${aesKey ? 'secure' : 'plain'} mode)`, async () => {
    const r = await runIndependent(
      'onenet',
      (observeFile) => startIndependentReceiver({ token: TOKEN, observeFile, ...(aesKey ? { aesKey } : {}) }),
      aesKey ? ['--aes-key', aesKey] : [],
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(idsWith(r.report, 'failed')).toEqual([]);
    expect(idsWith(r.report, 'not-assessed')).toEqual([]);
    const skipped = aesKey ? 0 : 1;
    expect(r.report?.summary.passed).toBe(Object.keys(requirements).length - skipped);
  });
}
