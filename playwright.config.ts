/**
 * `pushcheck run` and `pushcheck demo` pass their runs in PUSHCHECK_CONFIG, or over the IPC channel once their
 * receivers are up (`receiveRuns`). They make one project, `conformance`,
 * of the suites of their profiles: each case is registered once per run of its profile, under the run's lock
 * (suites/fixtures.ts `defineConformance`), so a run's cases go one at a time while other runs' cases go on
 * in the other workers, and every worker serves every run. Without runs: a project per profile (for listing
 * the cases) and `self`, pushcheck's own tests (`npm test`).
 */
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { defineConfig } from '@playwright/test';
import {
  artifactsScratch,
  CASE_TIMEOUT_MS,
  type RunConfig,
  runConfigs,
  WORKERS_ENV,
} from './src/core/config.ts';
import { receiveRuns } from './src/core/playwright.ts';
import { STATE_HOOK_NEED } from './src/core/state.ts';
import { PROFILES } from './src/profiles.ts';

// Started before its runs were known, the runner loaded Playwright meanwhile; now it waits for them.
await receiveRuns();
const runs = runConfigs();
const profiles = [...new Set(runs?.map((r) => r.profile))];
// `.ts` from source, `.js` compiled (dist/playwright.config.js, beside the compiled suites and reporter).
const ext = extname(import.meta.filename);

/**
 * Whether a run has a case that waits on the receiver's clock beside its other cases (Control iD's idle period,
 * decisions/020) and can run it: such a run adds a worker, which that case holds while it waits.
 */
function waitsBeside(run: RunConfig): boolean {
  const profile = PROFILES[run.profile];
  const grep = run.grep === undefined ? undefined : new RegExp(run.grep);
  return (profile?.besideCases ?? []).some((id) => {
    const req = profile?.registry[id];
    if (grep && !grep.test(`${id}: ${req?.title ?? ''}`)) return false;
    return (req?.needs ?? []).every((need) =>
      need === STATE_HOOK_NEED ? run.stateUrl !== undefined : !profile?.check?.(need, run.settings),
    );
  });
}

export default defineConfig({
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The self-tests run the compiled CLI (bin/pushcheck.js): bring dist/ up to date first, whatever test file runs.
  ...(!runs && ext === '.ts' ? { globalSetup: './scripts/build.js' } : {}),
  reporter: runs ? [[`./src/report/reporter${ext}`]] : process.env.CI ? [['list'], ['github']] : [['list']],
  outputDir: join(tmpdir(), 'pushcheck-self-test-results'),
  projects: runs
    ? [
        {
          name: 'conformance',
          testDir: 'suites',
          testMatch: new RegExp(`[\\/](${profiles.join('|')})[\\/][^\\/]+\\.spec\\${ext}$`),
          // Each case is a job of its own; the runs' locks keep each receiver's cases one at a time.
          fullyParallel: true,
          timeout: CASE_TIMEOUT_MS,
          // A conformance run never writes into the package: one run's artifacts go beside its report, several
          // runs' into a scratch folder the reporter removes.
          outputDir: artifactsScratch(runs) ?? join(runs[0]?.reportDir ?? '.', '.artifacts'),
        },
      ]
    : [
        ...Object.keys(PROFILES).map((name) => ({
          name,
          testDir: `suites/${name}`,
          testMatch: `**/*.spec${ext}`,
          timeout: CASE_TIMEOUT_MS,
        })),
        { name: 'self', testDir: 'tests', testMatch: '**/*.test.ts', fullyParallel: true, timeout: 180_000 },
      ],
  // Runs against different receivers may overlap (the demo's do): their cases mostly wait on the network.
  workers: runs
    ? Math.max(1, Math.min(runs.length, Number(process.env[WORKERS_ENV] ?? 1) || 1)) +
      runs.filter(waitsBeside).length
    : // The self-tests mostly wait on deadlines and child processes: on 2 cores, 3 workers took the suite from
      // 10.6 to 7.5 minutes in one sitting, with the same results.
      3,
  // The self-test runs the real CLI some two hundred times; CI allows 90 minutes in all.
  globalTimeout: runs ? 20 * 60_000 : 60 * 60_000,
});
