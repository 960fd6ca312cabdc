/** The Playwright config of the profile-free probe suite (probe.case.ts); hook.test.ts runs it. */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: 'probe.case.ts',
  workers: 1,
  retries: 0,
  timeout: 20_000,
  globalTimeout: 60_000,
  reporter: [['json', { outputFile: process.env.PROBE_REPORT ?? 'probe-report.json' }]],
  outputDir: process.env.PROBE_OUTPUT ?? 'probe-results',
});
