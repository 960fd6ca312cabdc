/**
 * `pushcheck run`: one run from its options, or every run of a config file. Each run is validated, its output
 * folder checked, its receiver launched if asked and found answering, before Playwright gets any of them.
 */
import { existsSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { parseOptions } from '../core/args.ts';
import { type RunConfig, redact } from '../core/config.ts';
import { findConfigFile, planRuns } from '../core/config-file.ts';
import { EXIT, integerOption, stringOption, UsageError, usage } from '../core/errors.ts';
import { runSuites, startPlaywright } from '../core/playwright.ts';
import { preflightTarget } from '../core/preflight.ts';
import type { OptionSpec, Profile } from '../core/profile.ts';
import { SETUP_OPTIONS, setUpRun } from '../core/run-setup.ts';
import { stateUrlOption } from '../core/state-url.ts';
import { httpUrlOption } from '../core/url.ts';
import { REPORT_RUN_OPTIONS, reportRunConfig } from '../report/options.ts';
import type { RunReport } from '../report/reporter.ts';
import { checkSpec, exitCodeOfReport, outputDir, peek, profileNamed, runConfigOf } from './common.ts';

/** Options every `run` takes, whatever the profile. */
const COMMON_RUN_OPTIONS: OptionSpec = {
  profile: { type: 'string' },
  target: { type: 'string' },
  'observe-file': { type: 'string' },
  'state-url': { type: 'string' },
  report: { type: 'string' },
  strict: { type: 'boolean', default: false },
  grep: { type: 'string' },
  seed: { type: 'string' },
  'observe-timeout': { type: 'string' },
  fuzz: { type: 'string' },
  'no-preflight': { type: 'boolean', default: false },
  ...REPORT_RUN_OPTIONS,
};

function targetUrl(value: string | undefined): string {
  if (!value) usage('--target URL is required: the URL of your receiver, e.g. http://127.0.0.1:8080/onenet');
  return httpUrlOption(value, 'target', 'give one like http://127.0.0.1:8080/onenet');
}

/** Resolves when a TCP connection to the target opens; throws a UsageError saying why it did not. */
async function reachable(target: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(target);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((ok, ko) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      ko(new UsageError(`cannot reach ${url.origin}: no answer to a connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      // Not end(): against a receiver that never reads, a half-closed socket would keep pushcheck alive.
      socket.destroy();
      ok();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        err.code === 'ECONNREFUSED'
          ? 'connection refused'
          : err.code === 'ENOTFOUND'
            ? 'unknown host'
            : err.message;
      ko(
        new UsageError(`cannot reach ${url.origin}: ${why}. Is the receiver running, and is --target right?`),
      );
    });
  });
}

/** Whether `pushcheck run` arguments launch the receiver under test. */
function launchesReceiver(args: readonly string[]): boolean {
  return peek(args, 'receiver-cmd') !== undefined || peek(args, 'receiver-image') !== undefined;
}

/**
 * `pushcheck run` with no flags, or `--config FILE [--parallel N]`: every run of the config file. The runs against
 * given targets share one Playwright process, `--parallel` of them at a time (default 1); a run that launches its
 * receiver goes alone, afterwards, so that two launched receivers never contend for one port, and so does a run
 * with `--shard`.
 */
async function cmdRunConfig(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    { config: { type: 'string' }, parallel: { type: 'string' } },
    'pushcheck run',
  );
  if (positionals.length) usage(`unexpected argument "${positionals[0]}"; see \`pushcheck run --help\``);
  const path = stringOption(values.config) ?? findConfigFile(process.cwd());
  if (path === undefined) {
    return usage(
      'run needs --profile and --target, or a pushcheck.config.json (or .ts) in this folder (`pushcheck init` writes one); see `pushcheck run --help`',
    );
  }
  const parallel = integerOption(values.parallel, 'parallel', 1, 1, 64);
  const runs = await planRuns(resolve(path), process.env);
  // A sharded run is a part of Playwright's own split, which applies to a whole process: it too goes alone.
  const alone = (r: { args: string[] }) => launchesReceiver(r.args) || peek(r.args, 'shard') !== undefined;
  const together = runs.filter((r) => !alone(r));
  const codes: number[] = [];
  if (together.length > 0) {
    const prepared: PreparedRun[] = [];
    // Playwright loads while the runs are prepared, as for a single run.
    const playwright = startPlaywright();
    try {
      for (const run of together) prepared.push(await prepareRun(run.args, run.secrets));
      const reports = await runSuites(
        prepared.map((p) => p.config),
        parallel,
        playwright,
      );
      for (const [i, p] of prepared.entries()) codes.push(await afterSuite(p, reports[i] as RunReport));
    } finally {
      playwright.kill();
      await Promise.all(prepared.map((p) => p.setup.close()));
    }
  }
  for (const run of runs.filter(alone)) {
    console.log(`\n== ${run.name}`);
    codes.push(await cmdRun(run.args, run.secrets));
  }
  return Math.max(...codes);
}

/** A run validated, its receiver launched if asked, and found reachable: ready for its suite. */
interface PreparedRun {
  profile: Profile;
  config: RunConfig;
  setup: Awaited<ReturnType<typeof setUpRun>>;
  fuzz: number | undefined;
}

/**
 * Validates `pushcheck run` arguments into a run config, launches the receiver if asked (from then on the
 * caller must `setup.close()` it however the run ends), and checks the target answers.
 */
async function prepareRun(args: string[], extraSecrets: readonly string[]): Promise<PreparedRun> {
  const profile = profileNamed(peek(args, 'profile'), '--profile is required');
  const { values, positionals } = parseOptions(
    args,
    { ...COMMON_RUN_OPTIONS, ...SETUP_OPTIONS, ...profile.options },
    `pushcheck run --profile ${profile.name}`,
  );
  if (positionals.length) usage(`unexpected argument "${positionals[0]}"; see \`pushcheck run --help\``);
  const launches = values['receiver-cmd'] !== undefined || values['receiver-image'] !== undefined;
  const given = stringOption(values.target);
  const target = given === undefined && launches ? undefined : targetUrl(given);
  const settings = profile.configure(values, process.env);
  const stateUrl = stateUrlOption(stringOption(values['state-url']));
  const observeFile = stringOption(values['observe-file']);
  if (observeFile !== undefined && !existsSync(dirname(resolve(observeFile)))) {
    usage(`--observe-file ${observeFile}: its folder does not exist`);
  }
  if (observeFile !== undefined && existsSync(observeFile) && !statSync(observeFile).isFile()) {
    usage(`--observe-file ${observeFile} is not a file`);
  }
  const grep = stringOption(values.grep);
  if (grep !== undefined) {
    try {
      new RegExp(grep);
    } catch {
      usage(`--grep "${grep}" is not a valid regular expression`);
    }
  }
  const seed = values.seed === undefined ? undefined : integerOption(values.seed, 'seed', 0);
  const reportDir = outputDir(stringOption(values.report) ?? join('reports', profile.name), '--report');
  const observeTimeoutMs = integerOption(values['observe-timeout'], 'observe-timeout', 3000, 1, 30_000);
  const reporting = reportRunConfig(values);
  const fuzz = values.fuzz === undefined ? undefined : integerOption(values.fuzz, 'fuzz', 0, 1, 100_000);
  checkSpec(profile.name);
  if (stateUrl !== undefined) checkSpec('provider-state');
  // Launches the receiver, if asked: from here on, it is stopped however the run ends.
  const setup = await setUpRun(values, { target, observeFile, env: process.env });
  try {
    const config: RunConfig = {
      ...runConfigOf(profile, {
        target: setup.target,
        settings,
        reportDir,
        strict: values.strict === true,
        ...(observeFile !== undefined ? { observeFile: resolve(observeFile) } : {}),
        ...(stateUrl !== undefined ? { stateUrl } : {}),
        ...(seed !== undefined ? { seed } : {}),
        observeTimeoutMs,
        secrets: [...setup.secrets, ...extraSecrets],
      }),
      ...setup.config,
      ...(grep !== undefined ? { grep } : {}),
      ...reporting,
    };
    for (const url of [profile.probe?.(setup.target, settings) ?? setup.target].flat()) await reachable(url);
    if (!values['no-preflight']) {
      await preflightTarget(profile, config);
      const lookalike = await profile.lookalike?.(config, settings);
      if (lookalike !== undefined) console.error(`pushcheck: ${redact(lookalike, config.secrets)}`);
    }
    await profile.preflight?.(settings);
    await setup.checkTls();
    return { profile, config, setup, fuzz };
  } catch (err) {
    await setup.close();
    throw err;
  }
}

/** The run's exit code, once its suite has reported; runs the fuzzer after it when asked. */
async function afterSuite({ profile, config, setup, fuzz }: PreparedRun, report: RunReport): Promise<number> {
  const code = exitCodeOfReport(report);
  if (fuzz === undefined) return code;
  // Loaded here: the fuzzer pulls in fast-check and the case model (Playwright), which no other command needs.
  const { fuzzLines, runFuzz } = await import('../fuzz/run.ts');
  const fuzzed = await runFuzz({
    ...config,
    hook: profile.fuzz,
    inputs: fuzz,
    ...(setup.restart ? { restart: setup.restart } : {}),
  });
  for (const line of fuzzLines(fuzzed)) console.log(line);
  // Asked for and not run (what the receiver needs first could not be set up): a passing run lacks an
  // assessment it was asked for; a failing one stays failed.
  if (fuzzed.notRun !== undefined) return code === EXIT.conformant ? EXIT.incomplete : code;
  // Answers to malformed input are SHOULD requirements (decisions/004): a finding fails only a strict run.
  return fuzzed.finding && config.strict ? Math.max(code, EXIT.nonConformant) : code;
}

/** `pushcheck run …`: resolves with the exit code. */
export async function cmdRun(args: string[], extraSecrets: readonly string[] = []): Promise<number> {
  if (args.length === 0 || args[0] === '--config' || args[0]?.startsWith('--config=')) {
    return cmdRunConfig(args);
  }
  // Playwright's runner loads (a second or so) while the run is validated, its receiver launched and its target
  // checked. A sharded run starts it afterwards: the shard is an argument of the runner's command line.
  const playwright = peek(args, 'shard') === undefined ? startPlaywright() : undefined;
  try {
    const prepared = await prepareRun(args, extraSecrets);
    try {
      const [report] = await runSuites([prepared.config], 1, playwright);
      return await afterSuite(prepared, report as RunReport);
    } finally {
      await prepared.setup.close();
    }
  } finally {
    // Stops a runner that never got its run (the run was refused, or its receiver did not start).
    playwright?.kill();
  }
}
