/**
 * Launchers start the receiver under test for the run and stop it afterwards, however the run ends: a local
 * process (`--receiver-cmd`) or a container (`--receiver-image`, through testcontainers). Both write the
 * receiver's stdout and stderr to one log file (which the `log` observer reads and the report quotes), wait
 * until it is ready, and say why, with its last log lines, when it never is.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Interrupted, UsageError } from './errors.ts';
import { reaper } from './reaper.ts';

/** How to start a receiver, and how to tell it is ready. */
export interface LaunchSpec {
  /** Variables the receiver gets (secrets among them: never printed). */
  env: Record<string, string>;
  /** Ready when a TCP connection to this port on 127.0.0.1 opens... */
  port: number;
  /** ...and, when given, when this URL answers a GET with a status below 500. */
  healthUrl?: string;
  /** How long it may take to become ready. */
  readyTimeoutMs: number;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** Aborted by a Ctrl-C: the launch stops what it started and fails. */
  signal?: AbortSignal;
}

/** A receiver a launcher started. */
export interface Launched {
  /** `process` or `container`. */
  readonly kind: string;
  /** What was started, for the report: the command or the image (and the container id). */
  readonly what: string;
  /** Milliseconds from the launch to ready. */
  readonly readyMs: number;
  readonly logFile: string;
  /** Stops it, and waits until it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

/** One way of starting a receiver. */
export interface Launcher {
  readonly kind: string;
  start(spec: LaunchSpec): Promise<Launched>;
}

/** How many of the receiver's last log lines an error or a report shows. */
export const TAIL_LINES = 40;

/** The last `n` lines of the log file, at most 64 KiB of them. */
export function logTail(file: string, n = TAIL_LINES): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .slice(-64 * 1024)
    .split('\n')
    .filter(Boolean)
    .slice(-n);
}

const POLL_MS = 100;

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.status < 500;
  } catch {
    return false;
  }
}

/**
 * Waits until the receiver is ready; throws a UsageError with its last log lines when it exits first
 * (`exited` says how) or is not ready within the spec's time.
 */
async function waitReady(spec: LaunchSpec, what: string, exited: () => string | undefined): Promise<void> {
  const deadline = performance.now() + spec.readyTimeoutMs;
  const tail = () => {
    const lines = logTail(spec.logFile);
    return lines.length ? `. Its last log lines:\n  ${lines.join('\n  ')}` : ' (it wrote no log)';
  };
  for (;;) {
    if (spec.signal?.aborted) {
      const by = (spec.signal.reason as NodeJS.Signals | undefined) ?? 'SIGINT';
      throw new Interrupted(
        by,
        `interrupted by ${by} while the receiver (${what}) was starting; it was stopped`,
      );
    }
    const gone = exited();
    if (gone !== undefined)
      throw new UsageError(`the receiver (${what}) ${gone} before it was ready${tail()}`);
    if ((await portOpen(spec.port)) && (spec.healthUrl === undefined || (await healthy(spec.healthUrl))))
      return;
    if (performance.now() >= deadline) {
      const on = spec.healthUrl ?? `port ${spec.port}`;
      throw new UsageError(
        `the receiver (${what}) was not ready on ${on} within ${spec.readyTimeoutMs} ms; check --receiver-port or --receiver-health, or give it longer with --receiver-timeout${tail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Stopped receivers' process groups, killed outright if pushcheck exits before stopping them. */
const live = new Set<number>();
process.on('exit', () => {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** How long a receiver gets to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 3000;

/** `--receiver-cmd`: the command runs in `sh -c`, in its own process group, stopped as a group. */
export function processLauncher(command: string): Launcher {
  return {
    kind: 'process',
    async start(spec) {
      const started = performance.now();
      const fd = openSync(spec.logFile, 'a');
      let child: ChildProcess;
      try {
        child = spawn('sh', ['-c', command], {
          env: { ...process.env, ...spec.env },
          stdio: ['ignore', fd, fd],
          detached: true,
        });
      } finally {
        closeSync(fd);
      }
      let exit: string | undefined;
      const unwatch = child.pid ? reaper.group(child.pid) : () => undefined;
      const exited = new Promise<void>((resolve) => {
        child.once('exit', (code, signal) => {
          exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          if (child.pid) live.delete(child.pid);
          resolve();
        });
        child.once('error', (err) => {
          exit = `could not start (${err.message})`;
          resolve();
        });
      });
      if (child.pid) live.add(child.pid);
      const stop = async () => {
        if (exit !== undefined || !child.pid) return;
        const group = -child.pid;
        const signal = (s: NodeJS.Signals) => {
          try {
            process.kill(group, s);
          } catch {
            // the group is gone
          }
        };
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
        // Whatever the shell left behind in its group goes too.
        signal('SIGKILL');
        unwatch();
      };
      try {
        await waitReady(spec, `command ${JSON.stringify(command)}`, () => exit);
      } catch (err) {
        await stop();
        throw err;
      }
      return {
        kind: 'process',
        what: command,
        readyMs: Math.round(performance.now() - started),
        logFile: spec.logFile,
        stop,
      };
    },
  };
}

/**
 * `--receiver-image`: a container started with testcontainers' GenericContainer, on the host's network (so
 * every request stays on 127.0.0.1), never pulled from a registry when the image is local, and removed when
 * stopped. Ryuk, testcontainers' reaper, is an image to pull: it is off, and pushcheck stops what it starts.
 */
export function containerLauncher(image: string): Launcher {
  return {
    kind: 'container',
    async start(spec) {
      process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
      const started = performance.now();
      let tc: typeof import('testcontainers');
      try {
        tc = await import('testcontainers');
      } catch (err) {
        throw new UsageError(
          `--receiver-image needs testcontainers, which did not load: ${(err as Error).message}`,
        );
      }
      const log = createWriteStream(spec.logFile, { flags: 'a' });
      // The log stream ends when the container stops: before it is ready, that means it exited.
      let exited: string | undefined;
      let container: Awaited<ReturnType<InstanceType<typeof tc.GenericContainer>['start']>>;
      try {
        container = await new tc.GenericContainer(image)
          .withNetworkMode('host')
          .withEnvironment(spec.env)
          .withPullPolicy(tc.PullPolicy.defaultPolicy())
          .withLogConsumer((stream) => {
            stream.on('end', () => {
              exited ??= 'exited';
            });
            stream.pipe(log, { end: false });
          })
          .withStartupTimeout(spec.readyTimeoutMs)
          .start();
      } catch (err) {
        log.end();
        const why = (err as Error).message.split('\n')[0] ?? '';
        throw new UsageError(
          /connect|ENOENT|socket/i.test(why)
            ? `--receiver-image needs a running Docker engine, and none answered (${why}); start dockerd, or use --receiver-cmd`
            : `the container of ${image} did not start: ${why}`,
        );
      }
      const what = `${image} (container ${container.getId().slice(0, 12)})`;
      const unwatch = reaper.container(container.getId());
      let state: 'running' | 'stopping' | 'stopped' = 'running';
      const stop = async () => {
        if (state !== 'running') return;
        state = 'stopping';
        try {
          await container.stop({ timeout: STOP_GRACE_MS, remove: true });
          unwatch();
        } finally {
          state = 'stopped';
          log.end();
        }
      };
      try {
        await waitReady(spec, `image ${image}`, () => exited);
      } catch (err) {
        await stop();
        throw err;
      }
      return {
        kind: 'container',
        what,
        readyMs: Math.round(performance.now() - started),
        logFile: spec.logFile,
        stop,
      };
    },
  };
}
