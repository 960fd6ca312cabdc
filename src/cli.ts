/**
 * The `pushcheck` command. Exit codes: 0 conformant, 1 non-conformant, 2 could not run (bad usage, an
 * unreachable target, a run that could not complete). Errors are sentences for people, never stack traces.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type FaultyName, faulty, faultyBehaviour } from '../mocks/onenet/faulty.ts';
import { onenetHandlers, reference } from '../mocks/onenet/reference.ts';
import { serve } from '../mocks/serve.ts';
import { CONFIG_ENV, type RunConfig } from './core/config.ts';
import { loadSchemas, PACKAGE_ROOT, SpecError } from './core/schemas.ts';
import { PROFILES } from './profiles.ts';
import { AES_KEY_LENGTH } from './protocols/onenet/codec.ts';
import type { RunReport } from './report/reporter.ts';

export const EXIT = { conformant: 0, nonConformant: 1, couldNotRun: 2 } as const;

/** An error whose message is for the user; the CLI prints it and exits 2. */
export class UsageError extends Error {}

const VERSION = '0.1.0';
const DEMO_TOKEN = 'pushcheck-demo-token';

const HELP = `pushcheck ${VERSION}: conformance tests for the HTTP push protocols of IoT platforms and devices

Usage:
  pushcheck run --profile onenet --target URL --token TOKEN [options]
                                     play the platform against your receiver and write a report
  pushcheck demo [--report DIR]      run the whole suite against the built-in reference receivers
  pushcheck cases [--profile P] [--json]
                                     list the case catalogue (id, level, title, source)
  pushcheck serve onenet [--faulty NAME] [--port P] [--token T] [--aes-key K] [--observe-file F]
                                     serve a reference (or faulty) receiver to try things against

Options of run:
  --profile P          the protocol (onenet)
  --target URL         your receiver's URL, as configured on the platform
  --token TOKEN        the push instance's token (or env PUSHCHECK_TOKEN)
  --aes-key KEY        the 16-character key of a secure-mode instance (or env PUSHCHECK_AES_KEY)
  --observe-file PATH  a file your receiver appends what it processed to; cases that need to see
                       processing are not-assessed without it
  --report DIR         where report.json and junit.xml go (default reports/<profile>)
  --strict             SHOULD failures fail the run too
  --grep PATTERN       run only the cases whose id or title matches
  --seed N             reproduce a run's generated data (default: random, printed in the report)
  --burst N            concurrent pushes in the burst case (default 20)
  --observe-timeout MS how long processing may take to show in the observer (default 3000)

Exit codes: 0 conformant, 1 non-conformant, 2 could not run.`;

function fail(message: string): never {
  throw new UsageError(message);
}

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    return fail(`${(err as Error).message.replace(/\. To specify.*$/s, '')}. See \`pushcheck --help\`.`);
  }
}

function integer(
  value: string | undefined,
  name: string,
  fallback: number,
  min = 0,
  max = 2 ** 31 - 1,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    fail(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

function targetUrl(value: string | undefined): string {
  if (!value) fail('--target URL is required: the URL of your receiver, e.g. http://127.0.0.1:8080/onenet');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`--target "${value}" is not a URL; give one like http://127.0.0.1:8080/onenet`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`--target must be http:// or https://, got ${url.protocol}`);
  if (url.hash) fail('--target must not have a #fragment');
  return value;
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
      socket.end();
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

/** Runs a profile's suite in Playwright with `config`; resolves with the report it wrote. */
export async function runSuite(config: RunConfig): Promise<RunReport> {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = [
    cli,
    'test',
    '--config',
    join(PACKAGE_ROOT, 'playwright.config.ts'),
    '--project',
    config.profile,
  ];
  if (config.grep !== undefined) args.push('--grep', config.grep);
  // A run inside someone's Playwright worker must not inherit that worker's identity.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TEST_|PW_|PWTEST_|PLAYWRIGHT_)/.test(k)),
  );
  rmSync(join(config.reportDir, 'report.json'), { force: true });
  const code = await new Promise<number>((done) => {
    // Its own process group: a Ctrl-C reaches pushcheck alone, which passes exactly one SIGINT on, so that
    // Playwright stops gracefully and the reporter still writes an (incomplete) report.
    const child = spawn(process.execPath, args, {
      cwd: PACKAGE_ROOT,
      env: { ...env, [CONFIG_ENV]: JSON.stringify(config), FORCE_COLOR: '0' },
      // The IPC channel closes when pushcheck dies, however it dies: the reporter then stops the run.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    const stop = () => child.kill('SIGINT');
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const s of signals) process.on(s, stop);
    child.on('exit', (c) => {
      for (const s of signals) process.off(s, stop);
      done(c ?? 1);
    });
  });
  const file = join(config.reportDir, 'report.json');
  if (!existsSync(file)) {
    throw new UsageError(
      `the suite did not complete (Playwright exited ${code}) and wrote no report; see the output above`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as RunReport;
}

function exitCodeOf(report: RunReport): number {
  if (report.verdict === 'conformant') return EXIT.conformant;
  return report.verdict === 'non-conformant' ? EXIT.nonConformant : EXIT.couldNotRun;
}

function runTag(): string {
  return String(randomInt(10_000_000, 99_999_999));
}

async function cmdRun(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    profile: { type: 'string' },
    target: { type: 'string' },
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    'observe-file': { type: 'string' },
    report: { type: 'string' },
    strict: { type: 'boolean', default: false },
    grep: { type: 'string' },
    seed: { type: 'string' },
    burst: { type: 'string' },
    'observe-timeout': { type: 'string' },
  });
  if (positionals.length) fail(`unexpected argument "${positionals[0]}"; see \`pushcheck --help\``);
  const profile = values.profile as string | undefined;
  if (!profile) fail(`--profile is required: one of ${Object.keys(PROFILES).join(', ')}`);
  if (!PROFILES[profile])
    fail(`unknown profile "${profile}": known profiles are ${Object.keys(PROFILES).join(', ')}`);
  const target = targetUrl(values.target as string | undefined);
  const token = (values.token as string | undefined) ?? process.env.PUSHCHECK_TOKEN;
  if (!token) fail('--token is required (or set PUSHCHECK_TOKEN): the token of your push instance');
  const aesKey = (values['aes-key'] as string | undefined) ?? process.env.PUSHCHECK_AES_KEY;
  if (aesKey !== undefined && Buffer.byteLength(aesKey) !== AES_KEY_LENGTH) {
    fail(
      `--aes-key must be the ${AES_KEY_LENGTH}-character key the platform generated; got ${Buffer.byteLength(aesKey)} bytes`,
    );
  }
  const observeFile = values['observe-file'] as string | undefined;
  if (observeFile !== undefined && !existsSync(dirname(resolve(observeFile)))) {
    fail(`--observe-file ${observeFile}: its folder does not exist`);
  }
  if (observeFile !== undefined && existsSync(observeFile) && !statSync(observeFile).isFile()) {
    fail(`--observe-file ${observeFile} is not a file`);
  }
  const grep = values.grep as string | undefined;
  if (grep !== undefined) {
    try {
      new RegExp(grep);
    } catch {
      fail(`--grep "${grep}" is not a valid regular expression`);
    }
  }
  const config: RunConfig = {
    profile,
    target,
    token,
    ...(aesKey !== undefined ? { aesKey } : {}),
    ...(observeFile !== undefined ? { observeFile: resolve(observeFile) } : {}),
    seed: integer(values.seed as string | undefined, 'seed', randomInt(0, 2 ** 31)),
    runTag: runTag(),
    reportDir: resolve((values.report as string | undefined) ?? join('reports', profile)),
    strict: values.strict as boolean,
    ackDeadlineMs: 5000,
    observeTimeoutMs: integer(
      values['observe-timeout'] as string | undefined,
      'observe-timeout',
      3000,
      1,
      30_000,
    ),
    burst: integer(values.burst as string | undefined, 'burst', 20, 1, 500),
    ...(grep !== undefined ? { grep } : {}),
  };
  try {
    loadSchemas(profile);
  } catch (err) {
    if (err instanceof SpecError)
      fail(`the ${profile} spec is malformed: ${err.message}. Reinstall pushcheck, or fix the file`);
    throw err;
  }
  await reachable(target);
  return exitCodeOf(await runSuite(config));
}

async function cmdDemo(args: string[]): Promise<number> {
  const { values } = parse(args, { report: { type: 'string' } });
  const root = resolve((values.report as string | undefined) ?? join('reports', 'demo'));
  const scratch = mkdtempSync(join(tmpdir(), 'pushcheck-demo-'));
  const aesKey = 'Kq7+d/Ez3x=9Lm2W';
  const codes: number[] = [];
  try {
    for (const mode of ['plain', 'secure'] as const) {
      const observeFile = join(scratch, `${mode}.log`);
      const key = mode === 'secure' ? aesKey : undefined;
      const server = await serve(onenetHandlers({ token: DEMO_TOKEN, aesKey: key, observeFile }));
      try {
        console.log(`\n== OneNET reference receiver, ${mode} mode`);
        const report = await runSuite({
          profile: 'onenet',
          target: `${server.origin}/onenet`,
          token: DEMO_TOKEN,
          ...(key ? { aesKey: key } : {}),
          observeFile,
          seed: randomInt(0, 2 ** 31),
          runTag: runTag(),
          reportDir: join(root, `onenet-${mode}`),
          strict: true,
          ackDeadlineMs: 5000,
          observeTimeoutMs: 3000,
          burst: 20,
        });
        codes.push(exitCodeOf(report));
      } finally {
        await server.close();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\ndemo reports: ${join(root, 'onenet-plain')} and ${join(root, 'onenet-secure')}`);
  return Math.max(...codes);
}

function cmdCases(args: string[]): number {
  const { values } = parse(args, { profile: { type: 'string' }, json: { type: 'boolean', default: false } });
  const wanted = values.profile as string | undefined;
  if (wanted !== undefined && !PROFILES[wanted])
    fail(`unknown profile "${wanted}": known profiles are ${Object.keys(PROFILES).join(', ')}`);
  const rows = Object.entries(PROFILES)
    .filter(([name]) => wanted === undefined || name === wanted)
    .flatMap(([, p]) => Object.entries(p.registry).map(([id, r]) => ({ id, ...r })));
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

async function cmdServe(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    faulty: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    'observe-file': { type: 'string' },
  });
  const [profile] = positionals;
  if (profile !== 'onenet') fail('serve needs a profile: `pushcheck serve onenet`');
  const name = values.faulty as string | undefined;
  const catalogue = Object.entries(faulty).map(([n, f]) => `  ${n.padEnd(28)} ${f.defect}`);
  if (name === 'help') {
    console.log(`faulty OneNET receivers (each the reference with one defect):\n${catalogue.join('\n')}`);
    return 0;
  }
  if (name !== undefined && !(name in faulty)) {
    fail(`unknown faulty receiver "${name}"; known ones:\n${catalogue.join('\n')}`);
  }
  const aesKey = (values['aes-key'] as string | undefined) ?? process.env.PUSHCHECK_AES_KEY;
  if (aesKey !== undefined && Buffer.byteLength(aesKey) !== AES_KEY_LENGTH)
    fail(`--aes-key must be ${AES_KEY_LENGTH} bytes`);
  const token = (values.token as string | undefined) ?? process.env.PUSHCHECK_TOKEN ?? DEMO_TOKEN;
  const observeFile = values['observe-file'] as string | undefined;
  const behaviour = name ? faultyBehaviour(name as FaultyName) : reference;
  const server = await serve(
    onenetHandlers({ token, aesKey, observeFile: observeFile && resolve(observeFile) }, behaviour),
    {
      host: values.host as string,
      port: integer(values.port as string | undefined, 'port', 0),
    },
  );
  console.log(
    `${name ? `faulty receiver "${name}"` : 'reference receiver'} (onenet${aesKey ? ', secure mode' : ''}) at ${server.origin}/onenet`,
  );
  console.log(
    `token: ${token === DEMO_TOKEN ? DEMO_TOKEN : '(as given)'}${observeFile ? `; records processed messages in ${observeFile}` : ''}`,
  );
  console.log('Ctrl-C stops it.');
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  return 0;
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
      case '--version':
      case '-v':
        console.log(VERSION);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(HELP);
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
