/**
 * Starting Playwright's runner and handing it the runs: the one place that spawns it, speaks to it over IPC
 * ({@link receiveRuns} is the runner's side, called by playwright.config.ts) and stops it, so that none of its processes outlives
 * pushcheck, however either of them ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifactsScratch, CONFIG_ENV, type RunConfig, WORKERS_ENV } from './config.ts';
import { Interrupted, UsageError } from './errors.ts';
import { decidedDir, forgetDecided } from './decided.ts';
import { reaper } from './reaper.ts';
import { PLAYWRIGHT_CONFIG } from './package.ts';
import { PACKAGE_ROOT } from './schemas.ts';
import type { RunReport } from '../report/reporter.ts';

/**
 * CONFIG_ENV's value when the runs come later, over the IPC channel: pushcheck starts Playwright first, and
 * starts its receivers while Playwright loads ({@link startPlaywright}).
 */
export const CONFIG_BY_IPC = 'ipc';

/** The message that hands the runs to Playwright's runner, once it has said it is ready for them. */
export interface RunsMessage {
  type: 'pushcheck-runs';
  /** CONFIG_ENV's and WORKERS_ENV's values. */
  configs: string;
  workers: string;
}

/**
 * In a Playwright runner started with {@link CONFIG_BY_IPC}: waits for pushcheck's {@link RunsMessage} and puts
 * the runs in the environment, where the config and the reporter read them and whence the workers inherit them.
 * If pushcheck goes before sending them, the runner ends: there is nothing to run. Elsewhere, returns at once.
 */
export async function receiveRuns(): Promise<void> {
  if (process.env[CONFIG_ENV] !== CONFIG_BY_IPC) return;
  if (!process.send) throw new Error(`${CONFIG_ENV}=${CONFIG_BY_IPC} needs an IPC channel to pushcheck`);
  const gone = () => process.exit(2);
  if (!process.connected) gone();
  const message = await new Promise<RunsMessage>((resolve) => {
    const take = (m: unknown) => {
      if ((m as RunsMessage | undefined)?.type !== 'pushcheck-runs') return;
      process.off('message', take);
      process.off('disconnect', gone);
      resolve(m as RunsMessage);
    };
    process.on('message', take);
    process.once('disconnect', gone);
    // Asked for once listening: a message sent before a child listens may be lost (nodejs/node#41134).
    process.send?.({ type: 'pushcheck-ready' });
  });
  process.env[CONFIG_ENV] = message.configs;
  process.env[WORKERS_ENV] = message.workers;
  // From now on, pushcheck gone means nobody to report to: stop the run (the reporter still writes what it has).
  process.once('disconnect', () => process.kill(process.pid, 'SIGINT'));
}

/** The environment of a child pushcheck starts, without the identity of a Playwright worker it may run in. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^(TEST_|PW_|PWTEST_|PLAYWRIGHT_)/.test(k)));
}

/** Playwright's runner, started before its runs are known: {@link runSuites} hands them over IPC. */
export interface StartedPlaywright {
  child: ChildProcess;
  /** Resolves with its exit code, once its whole process group is gone. */
  exited: Promise<number>;
  /** Resolves once it waits for its runs (`receiveRuns`). */
  ready: Promise<void>;
  /** Stops it and every worker it started, at once. */
  kill(): void;
}

/** How long the runner may take to stop after a Ctrl-C before its process group is killed. */
const STOP_GRACE_MS = 10_000;

/**
 * Node's flags for the runner, which its workers inherit (Playwright forks them with the runner's flags). A
 * young generation of at most 1 MiB per semi-space, not 16: the runner and each worker then hold some 10 to 30
 * MiB less at their peak (a run's processes about 40 MiB in all), for some 5 to 8% more CPU time in the demo.
 */
export const RUNNER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Starts Playwright's runner on pushcheck's config, to wait for its runs ({@link receiveRuns}): loading
 * Playwright takes its runner a second or so, which pushcheck spends starting receivers meanwhile.
 */
export function startPlaywright(shard?: string): StartedPlaywright {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = [...RUNNER_NODE_FLAGS, cli, 'test', '--config', PLAYWRIGHT_CONFIG];
  if (shard !== undefined) args.push('--shard', shard);
  // Its own process group: a Ctrl-C reaches pushcheck alone, which passes exactly one SIGINT on, so that
  // Playwright stops gracefully and the reporter still writes an (incomplete) report.
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    env: { ...childEnv(), [CONFIG_ENV]: CONFIG_BY_IPC, FORCE_COLOR: '0' },
    // The IPC channel carries the runs, and closes when pushcheck dies: the runner then stops (the reporter
    // stops a run under way; a runner still waiting for its runs exits). The watchdog covers the rest.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const unwatch = child.pid ? reaper.group(child.pid) : () => undefined;
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  };
  const exited = new Promise<number>((done) =>
    child.once('exit', (c) => {
      // A worker or a receiver the runner started must not outlive it, even when the runner crashed.
      killGroup();
      unwatch();
      done(c ?? 1);
    }),
  );
  const ready = new Promise<void>((done) => {
    const take = (m: unknown) => {
      if ((m as { type?: string } | undefined)?.type !== 'pushcheck-ready') return;
      child.off('message', take);
      done();
    };
    child.on('message', take);
  });
  return { child, exited, ready, kill: killGroup };
}

/**
 * Runs each config's suite against its target in one Playwright process, `parallel` runs at a time; resolves
 * with the reports they wrote, in order. `started` is a runner {@link startPlaywright} started earlier (never
 * with a shard), else one is started now. A signal stops the runner (gracefully, then by force after
 * {@link STOP_GRACE_MS} or a second signal) and throws {@link Interrupted} once it is gone.
 */
export async function runSuites(
  configs: readonly RunConfig[],
  parallel = 1,
  started?: StartedPlaywright,
): Promise<RunReport[]> {
  const shard = configs.length === 1 ? configs[0]?.shard : undefined;
  if (started && shard !== undefined)
    throw new Error('a shard is a Playwright argument: start Playwright with it');
  for (const c of configs) rmSync(join(c.reportDir, 'report.json'), { force: true });
  const playwright = started ?? startPlaywright(shard);
  const scratch = artifactsScratch(configs);
  const unwatchScratch = scratch === undefined ? () => undefined : reaper.path(scratch);
  // What each run's cases decided, for the cases after them (src/core/decided.ts): gone with the run.
  const unwatchDecided = configs.map((c) => reaper.path(decidedDir(c.runTag)));
  const runs: RunsMessage = {
    type: 'pushcheck-runs',
    configs: JSON.stringify(configs),
    workers: String(parallel),
  };
  // Sent once the runner listens; a runner that is gone cannot take them, and its exit code, below, says so.
  void playwright.ready.then(() => playwright.child.send(runs, () => undefined));
  let interrupted: NodeJS.Signals | undefined;
  let force: NodeJS.Timeout | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (interrupted !== undefined) return playwright.kill();
    interrupted = signal;
    playwright.child.kill('SIGINT');
    force = setTimeout(() => playwright.kill(), STOP_GRACE_MS);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, stop);
  let code: number;
  try {
    code = await playwright.exited;
  } finally {
    clearTimeout(force);
    for (const s of signals) process.off(s, stop);
    // Playwright writes its last-run file there after the reporter has cleared it.
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    unwatchScratch();
    for (const c of configs) forgetDecided(c.runTag);
    for (const unwatch of unwatchDecided) unwatch();
  }
  if (interrupted !== undefined) {
    const written = configs.filter((c) => existsSync(join(c.reportDir, 'report.json')));
    const where = written.length > 0 ? `; the report in ${written[0]?.reportDir} is incomplete` : '';
    throw new Interrupted(interrupted, `interrupted by ${interrupted}${where}`);
  }
  return configs.map((config) => {
    const file = join(config.reportDir, 'report.json');
    if (!existsSync(file)) {
      throw new UsageError(
        `the suite did not complete (Playwright exited ${code}) and wrote no report; see the output above`,
      );
    }
    return JSON.parse(readFileSync(file, 'utf8')) as RunReport;
  });
}
