/**
 * `pushcheck demo`: the suites against the built-in reference receivers, all in one Playwright process. The
 * runner loads while the specs are checked and the receivers start, and gets its runs once they are up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from '../core/args.ts';
import type { RunConfig } from '../core/config.ts';
import { integerOption, stringOption, usage } from '../core/errors.ts';
import { runSuites, startPlaywright } from '../core/playwright.ts';
import { reaper } from '../core/reaper.ts';
import { PROFILES } from '../profiles.ts';
import { standingOf } from '../report/model.ts';
import { checkSpec, exitCodeOfReport, outputDir, profileNamed, runConfigOf } from './common.ts';

/**
 * How many Playwright workers the demo's receivers share: one per core, at least two (on 2 cores, a third worker
 * costs more in start-up than it wins back from the cases' waits: decisions/009).
 */
const DEMO_PARALLEL = Math.max(2, availableParallelism());

/** `pushcheck demo …`: resolves with the worst exit code of its runs. */
export async function cmdDemo(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { report: { type: 'string' }, profile: { type: 'string' }, parallel: { type: 'string' } },
    'pushcheck demo',
  );
  if (positionals.length) usage(`unexpected argument "${positionals[0]}"; see \`pushcheck demo --help\``);
  const parallel = integerOption(values.parallel, 'parallel', DEMO_PARALLEL, 1, 64);
  const only = stringOption(values.profile);
  const profiles =
    only === undefined ? Object.values(PROFILES) : [profileNamed(only, '--profile needs a name')];
  const root = outputDir(stringOption(values.report) ?? join('reports', 'demo'), '--report');
  const scratch = mkdtempSync(join(tmpdir(), 'pushcheck-demo-'));
  const unwatch = reaper.path(scratch);
  const started: { close(): Promise<void> }[] = [];
  // A malformed spec or a receiver that does not start ends the demo before the runner gets any run (finally).
  const playwright = startPlaywright();
  try {
    const configs: RunConfig[] = [];
    for (const profile of profiles) {
      checkSpec(profile.name);
      const targets = await profile.demo(scratch);
      started.push(...targets);
      for (const t of targets) {
        configs.push(
          runConfigOf(profile, {
            label: t.label,
            target: t.target,
            settings: t.settings,
            reportDir: join(root, t.label),
            strict: true,
            ...(t.observeFile !== undefined ? { observeFile: t.observeFile } : {}),
            ...(t.stateUrl !== undefined ? { stateUrl: t.stateUrl } : {}),
          }),
        );
      }
    }
    console.log(`demo: ${configs.length} reference receivers of ${profiles.length} profile(s), side by side`);
    const reports = await runSuites(configs, parallel, playwright);
    console.log(
      `\ndemo reports:\n${reports.map((r, i) => `  ${configs[i]?.reportDir}: ${standingOf(r).label}`).join('\n')}`,
    );
    return Math.max(...reports.map(exitCodeOfReport));
  } finally {
    // Stops a Playwright that never got its runs, its workers with it; one that ran has exited.
    playwright.kill();
    await Promise.all(started.map((t) => t.close()));
    rmSync(scratch, { recursive: true, force: true });
    unwatch();
  }
}
