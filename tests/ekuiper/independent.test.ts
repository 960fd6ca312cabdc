/**
 * Verdicts must hold on endpoints nobody here shaped: a plain node:http endpoint written from eKuiper's code alone
 * (tests/receivers/ekuiper-independent.ts) passes with --strict, as v2 with POST and as v1 with PUT.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/ekuiper/requirements.ts';
import { idsWith, pushcheck, scratch } from '../helpers.ts';
import { startIndependentEndpoint } from '../receivers/ekuiper-independent.ts';

for (const [version, method] of [
  [2, 'POST'],
  [1, 'PUT'],
] as const) {
  test(`an independent v${version} endpoint (${method}) passes with --strict`, async () => {
    const dir = scratch('pushcheck-ekuiper-');
    const observeFile = join(dir, 'rows.log');
    const endpoint = await startIndependentEndpoint({
      version,
      method,
      path: '/ingest/plant-7',
      observeFile,
    });
    try {
      const args = ['run', '--profile', 'ekuiper', '--target', endpoint.url, '--observe-file', observeFile];
      args.push('--method', method, '--ekuiper-version', String(version), '--strict');
      args.push('--report', join(dir, 'report'));
      const r = await pushcheck(args, join(dir, 'report'));
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(idsWith(r.report, 'failed')).toEqual([]);
      expect(r.report?.summary.passed).toBe(Object.keys(requirements).length);
    } finally {
      await endpoint.close();
    }
  });
}
