/**
 * One project per profile (the conformance suites, driven by `pushcheck run`, which passes the run in
 * PUSHCHECK_CONFIG) and `self`, pushcheck's own tests (`npm test`).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CONFIG_ENV, type RunConfig } from './src/core/config.ts';
import { PROFILES } from './src/profiles.ts';

const raw = process.env[CONFIG_ENV];
const run = raw ? (JSON.parse(raw) as RunConfig) : undefined;

export default defineConfig({
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: run ? [['./src/report/reporter.ts']] : process.env.CI ? [['list'], ['github']] : [['list']],
  // A conformance run never writes into the package: its artifacts go beside its report.
  outputDir: run ? join(run.reportDir, '.artifacts') : join(tmpdir(), 'pushcheck-self-test-results'),
  projects: [
    ...Object.keys(PROFILES).map((name) => ({
      name,
      testDir: `suites/${name}`,
      testMatch: '**/*.spec.ts',
      fullyParallel: false,
      // Per case: the worst is several requests each cut off at the 5 s deadline.
      timeout: 90_000,
    })),
    { name: 'self', testDir: 'tests', testMatch: '**/*.test.ts', fullyParallel: true, timeout: 180_000 },
  ],
  // Cases against one receiver run one at a time, so that no case's timing is another's load.
  workers: run ? 1 : 2,
  // The self-test runs the real CLI some two hundred times; CI allows 90 minutes in all.
  globalTimeout: run ? 20 * 60_000 : 60 * 60_000,
});
