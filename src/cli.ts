/**
 * The `pushcheck` command. Exit codes: 0 conformant, 1 non-conformant, 2 could not run (bad usage, an
 * unreachable target, a run that could not complete). Errors are sentences for people, never stack traces.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CONFIG_BY_IPC, CONFIG_ENV, type RunConfig, type RunsMessage, targetSecrets } from './core/config.ts';
import { findConfigFile, planRuns } from './core/config-file.ts';
import { SETUP_HELP, SETUP_OPTIONS, setUpRun } from './core/run-setup.ts';
import { checkSchemas, PACKAGE_ROOT, SpecError } from './core/schemas.ts';
import { PACKAGE_VERSION, PLAYWRIGHT_CONFIG } from './core/package.ts';
import { stateUrlOption, stateUrlSecrets } from './core/state-url.ts';
import { integerOption, stringOption, UsageError, usage } from './core/errors.ts';
import { httpUrlOption } from './core/url.ts';
import { selfSignedCertificate } from './core/tls.ts';
import type { OptionSpec, Profile } from './core/profile.ts';
import { PROFILE_NAMES, PROFILES } from './profiles.ts';
import { cmdExpectations, cmdReport, REPORT_COMMANDS_HELP } from './report/commands.ts';
import { exitCodeOf as gateExitCode } from './report/model.ts';
import { REPORT_RUN_HELP, REPORT_RUN_OPTIONS, reportRunConfig } from './report/options.ts';
import { EMULATE_HELP, emulateCommand } from './protocols/controlid/emulate.ts';
import type { RunReport } from './report/reporter.ts';

export const EXIT = { conformant: 0, nonConformant: 1, couldNotRun: 2 } as const;

export { UsageError };

const VERSION = PACKAGE_VERSION;

function help(): string {
  const profiles = Object.values(PROFILES)
    .map((p) => `Options of run --profile ${p.name} (${p.summary}):\n${p.help}`)
    .join('\n\n');
  const directions = Object.values(PROFILES)
    .flatMap((p) => [p.send?.help, p.listen?.help])
    .filter((h) => h !== undefined)
    .join('\n');
  return `pushcheck ${VERSION}: conformance tests for the HTTP push protocols of IoT platforms and devices

Usage:
  pushcheck run --profile P --target URL [options]
                                     play the platform against your receiver and write a report
  pushcheck run [--config FILE] [--parallel N]
                                     every run of the config file (default: pushcheck.config.ts or .json),
                                     in one Playwright process, N runs side by side (default 1)
  pushcheck demo [--profile P] [--report DIR] [--parallel N]
                                     run the suites against the built-in reference receivers, N side by
                                     side (default: the number of CPU cores)
  pushcheck cases [--profile P] [--json]
                                     list the case catalogue (id, level, title, source)
  pushcheck serve P [--faulty NAME|help] [--port N] [--host H] [options]
                                     serve a reference (or faulty) receiver to try things against
  pushcheck send P --target URL [options]
                                     play the platform (the sender) against a receiver, with its retries
  pushcheck listen P [options]       play the receiver and grade the sender that pushes to it
${REPORT_COMMANDS_HELP}
${EMULATE_HELP}

Profiles: ${PROFILE_NAMES}

Options of run, for every profile:
  --profile P          the protocol
  --target URL         your receiver's URL, as configured on the platform
  --observe-file PATH  a file your receiver appends what it processed to; cases that need to see
                       processing are not-assessed without it
  --state-url URL      your receiver's provider-state hook: pushcheck POSTs {"state": …, "params": …}
                       there to set up a case (specs/provider-state/openapi.yaml); the cases that need
                       a state are not assessed without it
  --report DIR         where the report goes: index.html, report.json, junit.xml, report.md,
                       badge.svg (default reports/<profile>)
  --strict             SHOULD failures fail the run too
  --grep PATTERN       run only the cases whose id or title matches
  --seed N             reproduce a run's generated data (default: random, printed in the report)
  --observe-timeout MS how long processing may take to show in the observer (default 3000)
  --fuzz N             after the cases, N malformed inputs, each followed by a valid message that must
                       still be acked; a failure is shrunk and shown with its curl line (--strict: it
                       fails the run)

${SETUP_HELP}
${REPORT_RUN_HELP}

${profiles}

${directions}

Exit codes: 0 conformant, 1 non-conformant, 2 could not run.`;
}

function fail(message: string): never {
  return usage(message);
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    return fail(`${(err as Error).message.replace(/\. To specify.*$/s, '')}. See \`pushcheck --help\`.`);
  }
}

function targetUrl(value: string | undefined): string {
  if (!value) fail('--target URL is required: the URL of your receiver, e.g. http://127.0.0.1:8080/onenet');
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

/** Playwright's runner, started before its runs are known: {@link runSuites} hands them over IPC. */
export interface StartedPlaywright {
  child: ChildProcess;
  /** Resolves with its exit code. */
  exited: Promise<number>;
  /** Resolves once it waits for its runs (`receiveRuns`). */
  ready: Promise<void>;
  /** Stops it and every worker it started, at once: for a run that never began. */
  kill(): void;
}

/**
 * Starts Playwright's runner on pushcheck's config, to wait for its runs (`receiveRuns` in src/core/config.ts):
 * loading Playwright takes its runner a second or so, which pushcheck spends starting receivers meanwhile.
 */
export function startPlaywright(shard?: string): StartedPlaywright {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = [cli, 'test', '--config', PLAYWRIGHT_CONFIG];
  if (shard !== undefined) args.push('--shard', shard);
  // A run inside someone's Playwright worker must not inherit that worker's identity.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PWTEST_|PLAYWRIGHT_)/.test(k)),
  );
  // Its own process group: a Ctrl-C reaches pushcheck alone, which passes exactly one SIGINT on, so that
  // Playwright stops gracefully and the reporter still writes an (incomplete) report.
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    env: { ...env, [CONFIG_ENV]: CONFIG_BY_IPC, FORCE_COLOR: '0' },
    // The IPC channel carries the runs, and closes when pushcheck dies, however it dies: the runner then
    // stops (the reporter stops a run under way; a runner still waiting for its runs exits).
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const exited = new Promise<number>((done) => child.once('exit', (c) => done(c ?? 1)));
  const ready = new Promise<void>((done) => {
    const take = (m: unknown) => {
      if ((m as { type?: string } | undefined)?.type !== 'pushcheck-ready') return;
      child.off('message', take);
      done();
    };
    child.on('message', take);
  });
  return {
    child,
    exited,
    ready,
    kill() {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    },
  };
}

/**
 * Runs each config's suite against its target in one Playwright process (a project per run), `parallel` runs
 * at a time; resolves with the reports they wrote, in order. `started` is a runner {@link startPlaywright}
 * started earlier (never with a shard), else one is started now.
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
  const runs: RunsMessage = {
    type: 'pushcheck-runs',
    configs: JSON.stringify(configs),
    workers: String(parallel),
  };
  // Sent once the runner listens; a runner that is gone cannot take them, and its exit code, below, says so.
  void playwright.ready.then(() => playwright.child.send(runs, () => undefined));
  const stop = () => playwright.child.kill('SIGINT');
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, stop);
  const code = await playwright.exited;
  for (const s of signals) process.off(s, stop);
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

/** Runs a profile's suite in Playwright with `config`; resolves with the report it wrote. */
export async function runSuite(config: RunConfig): Promise<RunReport> {
  const [report] = await runSuites([config]);
  return report as RunReport;
}

/** The gate's exit code: 0 pass, 1 a new failure at a --fail-on level, 2 incomplete. */
function exitCodeOf(report: RunReport): number {
  return gateExitCode(report.gate);
}

function runTag(): string {
  return String(randomInt(10_000_000, 99_999_999));
}

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
  ...REPORT_RUN_OPTIONS,
};

/** The profile called `name`; `missing` says what to do when no name was given. */
function profileNamed(name: string | undefined, missing: string): Profile {
  if (!name) return usage(`${missing}: one of ${PROFILE_NAMES}`);
  const profile = PROFILES[name];
  if (!profile) return usage(`unknown profile "${name}": known profiles are ${PROFILE_NAMES}`);
  return profile;
}

/** The value of `--name` anywhere in `args`, before the options are known (they depend on the profile). */
function peek(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const arg = args[i] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1];
}

function checkSpec(profile: string): void {
  try {
    checkSchemas(profile);
  } catch (err) {
    if (err instanceof SpecError)
      usage(`the ${profile} spec is malformed: ${err.message}. Reinstall pushcheck, or fix the file`);
    throw err;
  }
}

/** Whether `pushcheck run` arguments launch the receiver under test. */
function launchesReceiver(args: readonly string[]): boolean {
  return peek([...args], 'receiver-cmd') !== undefined || peek([...args], 'receiver-image') !== undefined;
}

/**
 * `pushcheck run` with no flags, or `--config FILE [--parallel N]`: every run of the config file. The runs against
 * given targets share one Playwright process, `--parallel` of them at a time (default 1); a run that launches its
 * receiver goes alone, afterwards, so that two launched receivers never contend for one port, and so does a run
 * with `--shard`.
 */
async function cmdRunConfig(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    config: { type: 'string' },
    parallel: { type: 'string' },
  });
  if (positionals.length) fail(`unexpected argument "${positionals[0]}"; see \`pushcheck --help\``);
  const path = stringOption(values.config) ?? findConfigFile(process.cwd());
  if (path === undefined) {
    return fail(
      'run needs --profile and --target, or a pushcheck.config.json (or .ts) in this folder; see `pushcheck --help`',
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
    try {
      for (const run of together) prepared.push(await prepareRun(run.args, run.secrets));
      const reports = await runSuites(
        prepared.map((p) => p.config),
        parallel,
      );
      for (const [i, p] of prepared.entries()) codes.push(await afterSuite(p, reports[i] as RunReport));
    } finally {
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
  const { values, positionals } = parse(args, {
    ...COMMON_RUN_OPTIONS,
    ...SETUP_OPTIONS,
    ...profile.options,
  });
  if (positionals.length) fail(`unexpected argument "${positionals[0]}"; see \`pushcheck --help\``);
  const launches = values['receiver-cmd'] !== undefined || values['receiver-image'] !== undefined;
  const given = stringOption(values.target);
  const target = given === undefined && launches ? undefined : targetUrl(given);
  const settings = profile.configure(values, process.env);
  const stateUrl = stateUrlOption(stringOption(values['state-url']));
  const observeFile = stringOption(values['observe-file']);
  if (observeFile !== undefined && !existsSync(dirname(resolve(observeFile)))) {
    fail(`--observe-file ${observeFile}: its folder does not exist`);
  }
  if (observeFile !== undefined && existsSync(observeFile) && !statSync(observeFile).isFile()) {
    fail(`--observe-file ${observeFile} is not a file`);
  }
  const grep = stringOption(values.grep);
  if (grep !== undefined) {
    try {
      new RegExp(grep);
    } catch {
      fail(`--grep "${grep}" is not a valid regular expression`);
    }
  }
  const mode = profile.mode?.(settings);
  const base = {
    profile: profile.name,
    settings,
    ...(mode !== undefined ? { mode } : {}),
    ...(observeFile !== undefined ? { observeFile: resolve(observeFile) } : {}),
    ...(stateUrl !== undefined ? { stateUrl } : {}),
    seed: integerOption(values.seed, 'seed', randomInt(0, 2 ** 31)),
    runTag: runTag(),
    reportDir: resolve(stringOption(values.report) ?? join('reports', profile.name)),
    strict: values.strict === true,
    deadlineMs: profile.deadlineOf?.(settings) ?? profile.deadlineMs,
    observeTimeoutMs: integerOption(values['observe-timeout'], 'observe-timeout', 3000, 1, 30_000),
    ...(grep !== undefined ? { grep } : {}),
    ...reportRunConfig(values),
  };
  const fuzz = values.fuzz === undefined ? undefined : integerOption(values.fuzz, 'fuzz', 0, 1, 100_000);
  if (fuzz !== undefined && !profile.fuzz)
    fail(`the ${profile.name} profile has no fuzzer yet; run without --fuzz`);
  checkSpec(profile.name);
  if (stateUrl !== undefined) checkSpec('provider-state');
  // Launches the receiver, if asked: from here on, it is stopped however the run ends.
  const setup = await setUpRun(values, { target, observeFile, env: process.env });
  try {
    const config: RunConfig = {
      ...base,
      target: setup.target,
      ...setup.config,
      secrets: [
        ...profile.secrets(settings),
        ...stateUrlSecrets(stateUrl),
        ...setup.secrets,
        ...extraSecrets,
        ...targetSecrets(setup.target),
      ].filter((s) => s.length > 0),
    };
    for (const url of [profile.probe?.(setup.target, settings) ?? setup.target].flat()) await reachable(url);
    await profile.preflight?.(settings);
    await setup.checkTls();
    return { profile, config, setup, fuzz };
  } catch (err) {
    await setup.close();
    throw err;
  }
}

/** The run's exit code, once its suite has reported; runs the fuzzer after it when asked. */
async function afterSuite({ profile, config, fuzz }: PreparedRun, report: RunReport): Promise<number> {
  const code = exitCodeOf(report);
  if (fuzz === undefined || !profile.fuzz) return code;
  // Loaded here: the fuzzer pulls in fast-check and the case model (Playwright), which no other command needs.
  const { fuzzLines, runFuzz } = await import('./fuzz/run.ts');
  const fuzzed = await runFuzz({ ...config, hook: profile.fuzz, inputs: fuzz });
  for (const line of fuzzLines(fuzzed)) console.log(line);
  // Answers to malformed input are SHOULD requirements (decisions/004): a finding fails only a strict run.
  return fuzzed.finding && config.strict ? Math.max(code, EXIT.nonConformant) : code;
}

async function cmdRun(args: string[], extraSecrets: readonly string[] = []): Promise<number> {
  if (args.length === 0 || args[0] === '--config' || args[0]?.startsWith('--config=')) {
    return cmdRunConfig(args);
  }
  const prepared = await prepareRun(args, extraSecrets);
  try {
    return await afterSuite(prepared, await runSuite(prepared.config));
  } finally {
    await prepared.setup.close();
  }
}

/**
 * How many Playwright workers the demo's receivers share: one per core, at least two (measured on 2 cores,
 * runs interleaved: 2 workers took 9.99 to 10.17 s, 3 took 10.29 to 10.40 s; each worker's start-up costs
 * some 1.3 s of CPU, more than a third worker wins back from the cases' waits).
 */
const DEMO_PARALLEL = Math.max(2, availableParallelism());

async function cmdDemo(args: string[]): Promise<number> {
  const { values } = parse(args, {
    report: { type: 'string' },
    profile: { type: 'string' },
    parallel: { type: 'string' },
  });
  const parallel = integerOption(values.parallel, 'parallel', DEMO_PARALLEL, 1, 64);
  const only = stringOption(values.profile);
  const profiles =
    only === undefined ? Object.values(PROFILES) : [profileNamed(only, '--profile needs a name')];
  const root = resolve(stringOption(values.report) ?? join('reports', 'demo'));
  const scratch = mkdtempSync(join(tmpdir(), 'pushcheck-demo-'));
  const started: { close(): Promise<void> }[] = [];
  // Playwright loads while the specs are checked and the reference receivers start; it gets its runs once they
  // are up. A malformed spec or a receiver that does not start ends the demo before then (see finally).
  const playwright = startPlaywright();
  try {
    const configs: RunConfig[] = [];
    for (const profile of profiles) {
      checkSpec(profile.name);
      const targets = await profile.demo(scratch);
      started.push(...targets);
      for (const t of targets) {
        const mode = profile.mode?.(t.settings);
        configs.push({
          profile: profile.name,
          label: t.label,
          target: t.target,
          settings: t.settings,
          secrets: [...profile.secrets(t.settings), ...stateUrlSecrets(t.stateUrl)],
          ...(mode !== undefined ? { mode } : {}),
          ...(t.observeFile !== undefined ? { observeFile: t.observeFile } : {}),
          ...(t.stateUrl !== undefined ? { stateUrl: t.stateUrl } : {}),
          seed: randomInt(0, 2 ** 31),
          runTag: runTag(),
          reportDir: join(root, t.label),
          strict: true,
          deadlineMs: profile.deadlineOf?.(t.settings) ?? profile.deadlineMs,
          observeTimeoutMs: 3000,
        });
      }
    }
    console.log(`demo: ${configs.length} reference receivers of ${profiles.length} profile(s), side by side`);
    const reports = await runSuites(configs, parallel, playwright);
    console.log(
      `\ndemo reports:\n${reports.map((r, i) => `  ${configs[i]?.reportDir}: ${r.verdict}`).join('\n')}`,
    );
    return Math.max(...reports.map(exitCodeOf));
  } finally {
    // Stops a Playwright that never got its runs, its workers with it; one that ran has exited.
    playwright.kill();
    await Promise.all(started.map((t) => t.close()));
    rmSync(scratch, { recursive: true, force: true });
  }
}

function cmdCases(args: string[]): number {
  const { values } = parse(args, { profile: { type: 'string' }, json: { type: 'boolean', default: false } });
  const wanted = stringOption(values.profile);
  const profiles =
    wanted === undefined ? Object.values(PROFILES) : [profileNamed(wanted, '--profile needs a name')];
  const rows = profiles.flatMap((p) => Object.entries(p.registry).map(([id, r]) => ({ id, ...r })));
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    console.log(
      `${r.id.padEnd(width)}  ${r.level.padEnd(6)} ${r.interpreted ? '*' : ' '} ${r.title}  [${r.source}]`,
    );
  }
  console.log(`\n${rows.length} cases; * = interpreted (the documents are silent; never above SHOULD)`);
  return 0;
}

/** A certificate made now for `serve --https`; says where its CA file is (what `run --ca` takes). */
function httpsCertificate(): { key: string; cert: string } {
  const { key, cert, certFile } = selfSignedCertificate();
  console.log(`HTTPS with a certificate made now: pass --ca ${certFile} to pushcheck run`);
  return { key, cert };
}

async function cmdServe(args: string[]): Promise<number> {
  const profile = profileNamed(
    args[0]?.startsWith('-') ? undefined : args[0],
    'serve needs a profile, as in `pushcheck serve onenet`',
  );
  const { values, positionals } = parse(args.slice(1), {
    faulty: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    https: { type: 'boolean', default: false },
    ...profile.serveOptions,
  });
  if (positionals.length) fail(`unexpected argument "${positionals[0]}"; see \`pushcheck --help\``);
  const name = stringOption(values.faulty);
  const faulty = await profile.faulty();
  const catalogue = Object.entries(faulty).map(([n, f]) => `  ${n.padEnd(28)} ${f.defect}`);
  if (name === 'help') {
    console.log(
      `faulty ${profile.name} receivers (each the reference with one defect):\n${catalogue.join('\n')}`,
    );
    return 0;
  }
  if (name !== undefined && !(name in faulty)) {
    fail(`unknown faulty receiver "${name}"; known ones:\n${catalogue.join('\n')}`);
  }
  const served = await profile.serve({
    ...(name !== undefined ? { faulty: name } : {}),
    host: stringOption(values.host) ?? '127.0.0.1',
    port: integerOption(values.port, 'port', 0, 0, 65_535),
    values,
    ...(values.https === true ? { tls: httpsCertificate() } : {}),
  });
  for (const line of [...served.lines, 'Ctrl-C stops it.']) console.log(line);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await served.close();
  return 0;
}

/** `pushcheck send <profile>` and `pushcheck listen <profile>`, where the profile has them. */
async function cmdDirection(command: 'send' | 'listen', args: string[]): Promise<number> {
  const name = args[0]?.startsWith('-') ? undefined : args[0];
  const profile = profileNamed(name, `${command} needs a profile, as in \`pushcheck ${command} onenet\``);
  const cmd = profile[command];
  if (!cmd) fail(`the ${profile.name} profile has no \`${command}\` yet`);
  const { values, positionals } = parse(args.slice(1), cmd.options);
  if (positionals.length) fail(`unexpected argument "${positionals[0]}"; see \`pushcheck --help\``);
  return cmd.run(values);
}

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await cmdRun(rest);
      case 'demo':
        return await cmdDemo(rest);
      case 'cases':
        return cmdCases(rest);
      case 'serve':
        return await cmdServe(rest);
      case 'send':
      case 'listen':
        return await cmdDirection(command, rest);
      case 'report':
        return await cmdReport(rest);
      case 'expectations':
        return await cmdExpectations(rest);
      case 'emulate':
        return await emulateCommand(rest);
      case '--version':
      case '-v':
        console.log(VERSION);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(help());
        return command === undefined ? EXIT.couldNotRun : 0;
      default:
        return fail(`unknown command "${command}"; see \`pushcheck --help\``);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`pushcheck: ${err.message}`);
    } else {
      console.error(`pushcheck: internal error: ${(err as Error).message}. Please report it.`);
    }
    return EXIT.couldNotRun;
  }
}
