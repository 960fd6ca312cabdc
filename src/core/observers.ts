/**
 * The observers a run can choose, one per run (src/core/observer.ts has the interface and the file reader):
 * - `file`: a file the receiver appends to;
 * - `log`: the launched receiver's stdout and stderr, which the launcher writes to a file;
 * - `http`: pushcheck listens, and the receiver (or a sink it has) POSTs what it processed;
 * - `command`: a command whose output shows what the receiver processed (a `psql -c` query), run each time
 *   a case looks for a marker.
 * The CLI turns options into an {@link ObserverSpec}; each Playwright worker builds the observer from it.
 * The `log` and `http` observers feed a file in the CLI process, because a worker is replaced after every
 * failed case while the receiver's output and its POSTs keep coming.
 */
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectBody } from './listener.ts';
import { FileObserver, type Observer } from './observer.ts';
import { UsageError, usage } from './errors.ts';

/** What a run observes with; survives JSON, so the CLI can hand it to the workers. */
export type ObserverSpec =
  | { kind: 'file'; path: string }
  | { kind: 'log'; path: string; receiver: string }
  | { kind: 'http'; path: string; listen: string }
  | { kind: 'command'; command: string; timeoutMs: number };

/** The observer of a run: `observer`, or the file of `observeFile`, or none. */
export function observerOf(run: { observer?: ObserverSpec; observeFile?: string }): ObserverSpec | undefined {
  if (run.observer) return run.observer;
  return run.observeFile !== undefined ? { kind: 'file', path: run.observeFile } : undefined;
}

/** One line for the report: which observer, looking where. */
export function describeObserver(spec: ObserverSpec): string {
  switch (spec.kind) {
    case 'file':
      return `file ${spec.path}`;
    case 'log':
      return `log of ${spec.receiver}`;
    case 'http':
      return `http POSTs to http://${spec.listen}`;
    case 'command':
      return `command ${spec.command}`;
  }
}

/** Builds the observer of `spec`, watching for the markers of the run tagged `runTag`. */
export async function createObserver(spec: ObserverSpec, runTag: string): Promise<Observer> {
  switch (spec.kind) {
    case 'file':
      return FileObserver.create(spec.path, runTag);
    case 'log':
      return FileObserver.create(spec.path, runTag, 'log', `the output of ${spec.receiver}`);
    case 'http':
      return FileObserver.create(spec.path, runTag, 'http', `POSTs to http://${spec.listen}`);
    case 'command':
      return new CommandObserver(spec.command, spec.timeoutMs);
  }
}

/** The most of a command's output searched: a query that returns more is cut (and says so). */
const MAX_OUTPUT = 8 * 1024 * 1024;

/**
 * Runs `command` in a shell and counts the marker in its standard output. Its output is a snapshot of what
 * the receiver has processed (rows in its database), so the count is the number of times the marker occurs
 * in the latest output. A command that fails or overruns its time limit is pushcheck's error to report,
 * never the receiver's failure.
 */
export class CommandObserver implements Observer {
  readonly kind = 'command';
  /** Each look starts a process: ask four times a second, not forty. */
  readonly pollMs = 250;

  constructor(
    readonly where: string,
    private readonly timeoutMs: number,
  ) {}

  async count(marker: string): Promise<number> {
    const out = await runCommand(this.where, this.timeoutMs);
    return out.split(marker).length - 1;
  }
}

/** Runs `command` with `sh -c`; resolves with its stdout, or rejects with one sentence saying why not. */
export function runCommand(command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
      reject(new Error(`the observe command did not finish within ${timeoutMs} ms: ${command}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (size < MAX_OUTPUT) out.push(d);
      size += d.length;
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`the observe command could not start: ${err.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(Buffer.concat(out).toString('latin1'));
        return;
      }
      // psql and most tools say what went wrong first, then where.
      const why = stderr.trim().split('\n')[0] ?? '';
      reject(new Error(`the observe command exited ${code}${why ? ` (${why})` : ''}: ${command}`));
    });
  });
}

/** Parses `--observe-http HOST:PORT`; only loopback, as every address pushcheck uses. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(value);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65_535) {
    usage(`--observe-http must be 127.0.0.1:PORT (or [::1]:PORT), where pushcheck listens; got "${value}"`);
  }
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

/** The largest POST the sink records; a larger one is answered 413. */
const MAX_POST = 1024 * 1024;

/**
 * Listens where `--observe-http` says and appends every POSTed body, one per line, to `file`, for the
 * workers' {@link FileObserver} to read. Answers 204, or 413 to a body over 1 MiB.
 */
export async function startHttpSink(
  listen: string,
  file: string,
): Promise<{ address: string; close(): Promise<void> }> {
  const { host, port } = parseListen(listen);
  const server = http.createServer((req, res) => {
    collectBody(req, MAX_POST, (body, size) => {
      if (req.method !== 'POST' && req.method !== 'PUT') {
        res.writeHead(405, { allow: 'POST, PUT' }).end();
        return;
      }
      if (size > MAX_POST) {
        res.writeHead(413).end();
        return;
      }
      appendFileSync(file, `${body.toString('latin1').replaceAll('\n', ' ')}\n`);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new UsageError(`--observe-http ${listen}: the port is in use; choose a free one`)
          : err,
      ),
    );
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    address: `${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
