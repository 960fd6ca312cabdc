/**
 * `pushcheck run` and `pushcheck demo` pass their runs in PUSHCHECK_CONFIG: each run is a project of its own (its
 * profile's suite against its target), its cases one at a time, and several runs go side by side, one worker
 * each. Without runs: a project per profile (for listing the cases) and `self`, pushcheck's own tests (`npm test`).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { projectName, runConfigs, WORKERS_ENV } from './src/core/config.ts';
import { PROFILES } from './src/profiles.ts';

const runs = runConfigs();
// Per case: the worst is several requests each cut off at the deadline (5 s for OneNET).
const CASE_TIMEOUT = 90_000;

export default defineConfig({
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: runs ? [['./src/report/reporter.ts']] : process.env.CI ? [['list'], ['github']] : [['list']],
  outputDir: join(tmpdir(), 'pushcheck-self-test-results'),
  projects: runs
    ? runs.map((run, i) => ({
        name: projectName(runs, i),
        testDir: `suites/${run.profile}`,
        testMatch: '**/*.spec.ts',
        ...(run.grep !== undefined ? { grep: new RegExp(run.grep) } : {}),
        // A conformance run never writes into the package: its artifacts go beside its report.
        outputDir: join(run.reportDir, '.artifacts'),
        fullyParallel: false,
        // Cases against one receiver run one at a time, so that no case's timing is another's load.
        workers: 1,
        // A longer deadline (Control iD's --request-timeout) gets the same number of cut-off requests.
        timeout: Math.max(CASE_TIMEOUT, 6 * run.deadlineMs),
        metadata: { runIndex: i },
      }))
    : [
        ...Object.keys(PROFILES).map((name) => ({
          name,
          testDir: `suites/${name}`,
          testMatch: '**/*.spec.ts',
          timeout: CASE_TIMEOUT,
        })),
        { name: 'self', testDir: 'tests', testMatch: '**/*.test.ts', fullyParallel: true, timeout: 180_000 },
      ],
  // Runs against different receivers may overlap (the demo's do): their cases mostly wait on the network.
  workers: runs ? Math.max(1, Math.min(runs.length, Number(process.env[WORKERS_ENV] ?? 1) || 1)) : 2,
  // The self-test runs the real CLI some two hundred times; CI allows 90 minutes in all.
  globalTimeout: runs ? 20 * 60_000 : 60 * 60_000,
});
