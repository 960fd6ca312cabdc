/**
 * What a run sets up around the suite, for every profile: the receiver it launches (`--receiver-cmd`,
 * `--receiver-image`), the observer it watches with (`--observe-file|log|http|cmd`) and TLS (`--ca`,
 * `--insecure`). The CLI validates these options, calls {@link setUpRun} before the suite and `close()` after
 * it, however the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LaunchedReceiver, RunConfig } from './config.ts';
import { integerOption, stringOption, usage } from './errors.ts';
import { containerLauncher, type Launched, type Launcher, processLauncher } from './launchers.ts';
import { type ObserverSpec, startHttpSink } from './observers.ts';
import type { OptionSpec, OptionValues } from './profile.ts';
import { checkTls, tlsOptions } from './tls.ts';
import { reaper } from './reaper.ts';

/** The options of `run` this module handles (added to the common ones). */
export const SETUP_OPTIONS: OptionSpec = {
  'receiver-cmd': { type: 'string' },
  'receiver-image': { type: 'string' },
  'receiver-env': { type: 'string', multiple: true },
  'receiver-port': { type: 'string' },
  'receiver-path': { type: 'string' },
  'receiver-health': { type: 'string' },
  'receiver-timeout': { type: 'string' },
  'observe-log': { type: 'boolean', default: false },
  'observe-http': { type: 'string' },
  'observe-cmd': { type: 'string' },
  'observe-cmd-timeout': { type: 'string' },
  ca: { type: 'string' },
  insecure: { type: 'boolean', default: false },
};

export const SETUP_HELP = `Launching the receiver (it is stopped at the end, however the run ends):
  --receiver-cmd "CMD"     start it as a local process (sh -c CMD)
  --receiver-image IMAGE   start it as a container (testcontainers; host network; a local image)
  --receiver-env K=V       a variable for it (repeatable); K alone passes pushcheck's own $K. Values of K
                           alone, and of names with TOKEN, KEY, SECRET, PASS, AUTH or GUID, are secrets
  --receiver-port N        the port it listens on (default: the --target's, or a free one); it gets PORT=N
  --receiver-path PATH     without --target, the target is http://127.0.0.1:N PATH (default /)
  --receiver-health URL    ready once this URL (or path) answers below 500; by default, once the port opens
  --receiver-timeout MS    how long it may take to be ready (default 30000)
Observing what it processed (one observer per run):
  --observe-file PATH      a file it appends to
  --observe-log            the launched receiver's stdout and stderr
  --observe-http H:PORT    pushcheck listens there; the receiver (or its sink) POSTs what it processed
  --observe-cmd "CMD"      a command whose output lists what it processed (e.g. psql -c "select ...")
  --observe-cmd-timeout MS the command's time limit (default 10000)
HTTPS targets:
  --ca FILE                trust the CA certificate(s) in FILE (PEM)
  --insecure               do not check the certificate`;

/** Names of environment variables whose values are secrets. */
const SECRET_NAME = /TOKEN|KEY|SECRET|PASS|AUTH|GUID|CREDENTIAL/i;

/** The receiver's variables from `--receiver-env`, and which of their values are secret. */
export function receiverEnv(
  entries: readonly string[],
  env: NodeJS.ProcessEnv,
): { vars: Record<string, string>; secrets: string[] } {
  const vars: Record<string, string> = {};
  const secrets: string[] = [];
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      usage(`--receiver-env "${name}" is not a variable name; give NAME=VALUE, or NAME to pass $NAME on`);
    }
    const value = eq < 0 ? env[name] : entry.slice(eq + 1);
    if (value === undefined)
      usage(`--receiver-env ${name}: pushcheck's environment has no ${name} to pass on`);
    vars[name] = value;
    if ((eq < 0 || SECRET_NAME.test(name)) && value.length > 0) secrets.push(value);
  }
  return { vars, secrets };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** What {@link setUpRun} adds to the run. */
export interface RunSetup {
  /** The target: as given, or derived from the launched receiver. */
  target: string;
  /** Fields of the run configuration. */
  config: Pick<RunConfig, 'observer' | 'tls' | 'receiver'>;
  /** Secrets beyond the profile's (from --receiver-env). */
  secrets: string[];
  /** Checks the target answers TLS when it is https:// (after the TCP check). */
  checkTls(): Promise<void>;
  /** Stops the receiver and the HTTP sink, and removes scratch files. Safe to call twice. */
  close(): Promise<void>;
  /**
   * Stops the launched receiver and starts it again, ready: the fuzzer's way to try a smaller input against a
   * receiver that an input killed. Absent when pushcheck launched no receiver.
   */
  restart?(): Promise<void>;
}

/**
 * Validates the options, starts the HTTP sink and the receiver, and waits for the receiver to be ready.
 * `target` is the validated --target, if given; `observeFile` the --observe-file, if given.
 */
export async function setUpRun(
  values: OptionValues,
  opts: { target: string | undefined; observeFile: string | undefined; env: NodeJS.ProcessEnv },
): Promise<RunSetup> {
  const cmd = stringOption(values['receiver-cmd']);
  const image = stringOption(values['receiver-image']);
  if (cmd !== undefined && image !== undefined) usage('give --receiver-cmd or --receiver-image, not both');
  const launcher: Launcher | undefined =
    cmd !== undefined ? processLauncher(cmd) : image !== undefined ? containerLauncher(image) : undefined;
  const envList = (values['receiver-env'] as string[] | undefined) ?? [];
  for (const name of [
    'receiver-env',
    'receiver-port',
    'receiver-path',
    'receiver-health',
    'receiver-timeout',
  ]) {
    const v = values[name];
    if (!launcher && v !== undefined && !(Array.isArray(v) && v.length === 0)) {
      usage(`--${name} is for a receiver pushcheck launches: add --receiver-cmd or --receiver-image`);
    }
  }
  const tls = tlsOptions(stringOption(values.ca), values.insecure === true);

  const observeLog = values['observe-log'] === true;
  const observeHttp = stringOption(values['observe-http']);
  const observeCmd = stringOption(values['observe-cmd']);
  const chosen = [
    opts.observeFile !== undefined,
    observeLog,
    observeHttp !== undefined,
    observeCmd !== undefined,
  ];
  if (chosen.filter(Boolean).length > 1) {
    usage(
      'one observer per run: give only one of --observe-file, --observe-log, --observe-http, --observe-cmd',
    );
  }
  if (observeLog && !launcher) {
    usage(
      '--observe-log reads the output of a receiver pushcheck launches: add --receiver-cmd or --receiver-image',
    );
  }
  if (values['observe-cmd-timeout'] !== undefined && observeCmd === undefined) {
    usage('--observe-cmd-timeout goes with --observe-cmd');
  }
  const cmdTimeout = integerOption(
    values['observe-cmd-timeout'],
    'observe-cmd-timeout',
    10_000,
    100,
    120_000,
  );

  const { vars, secrets } = receiverEnv(envList, opts.env);
  const given = opts.target === undefined ? undefined : new URL(opts.target);
  const port = launcher
    ? integerOption(
        values['receiver-port'],
        'receiver-port',
        given ? Number(given.port || (given.protocol === 'https:' ? 443 : 80)) : await freePort(),
        1,
        65_535,
      )
    : 0;
  const path = stringOption(values['receiver-path']) ?? '/';
  if (!path.startsWith('/')) usage(`--receiver-path must start with /, got "${path}"`);
  if (given && values['receiver-path'] !== undefined)
    usage('--receiver-path is for a derived target: drop it or --target');
  if (!given && !launcher) {
    usage('--target URL is required: the URL of your receiver, e.g. http://127.0.0.1:8080/onenet');
  }
  const target = opts.target ?? `${tls ? 'https' : 'http'}://127.0.0.1:${port}${path}`;
  const health = stringOption(values['receiver-health']);
  let healthUrl: string | undefined;
  if (health !== undefined) {
    try {
      healthUrl = new URL(health, target).href;
    } catch {
      usage(`--receiver-health "${health}" is neither a URL nor a path`);
    }
  }
  const readyTimeoutMs = integerOption(values['receiver-timeout'], 'receiver-timeout', 30_000, 100, 600_000);

  const scratch = mkdtempSync(join(tmpdir(), 'pushcheck-run-'));
  const unwatch = reaper.path(scratch);
  let sink: Awaited<ReturnType<typeof startHttpSink>> | undefined;
  let launched: Launched | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await launched?.stop();
    await sink?.close();
    rmSync(scratch, { recursive: true, force: true });
    unwatch();
  };
  // A Ctrl-C while the receiver starts must not leave it running: the launch stops it and fails.
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => abort.abort(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  try {
    let observer: ObserverSpec | undefined;
    if (observeHttp !== undefined) {
      const file = join(scratch, 'http-observed.log');
      sink = await startHttpSink(observeHttp, file);
      observer = { kind: 'http', path: file, listen: sink.address };
    }
    let receiver: LaunchedReceiver | undefined;
    let restart: (() => Promise<void>) | undefined;
    if (launcher) {
      const logFile = join(scratch, 'receiver.log');
      const spec = {
        env: { PORT: String(port), ...vars },
        port,
        ...(healthUrl !== undefined ? { healthUrl } : {}),
        readyTimeoutMs,
        logFile,
      };
      launched = await launcher.start({ ...spec, signal: abort.signal });
      restart = async () => {
        if (closed) return;
        await launched?.stop();
        launched = await launcher.start(spec);
      };
      receiver = { kind: launched.kind, what: launched.what, readyMs: launched.readyMs, logFile };
      if (observeLog)
        observer = { kind: 'log', path: logFile, receiver: `${launched.kind} ${launched.what}` };
    }
    if (observeCmd !== undefined) observer = { kind: 'command', command: observeCmd, timeoutMs: cmdTimeout };
    return {
      target,
      config: {
        ...(observer ? { observer } : {}),
        ...(tls ? { tls } : {}),
        ...(receiver ? { receiver } : {}),
      },
      secrets,
      checkTls: () => checkTls(target, tls),
      close,
      ...(restart ? { restart } : {}),
    };
  } catch (err) {
    await close();
    throw err;
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}
