/**
 * The preflight: before any case, pushcheck sends the receiver the request its platform (or device) sends
 * first (the profile's `firstRequest`) and tells a wrong target from a non-conformant receiver. An answer of
 * 404, bytes that are not HTTP, or nothing at all within the request's deadline means the run would only
 * measure the wrong thing: it ends at once with one sentence saying what was seen and what to check. Any
 * other answer (200, 500, a wrong body, a reset) lets the run go on: judging it is the cases' job. Silence is
 * measured against the platform's own deadline, after which the platform gives up on the request as a failed
 * delivery: a receiver that answers only later is stopped too, and `--no-preflight` gives it its full report.
 *
 * The request goes out over a raw connection, not through the HTTP helper (http.ts): to say what a port that
 * does not speak HTTP sent, the preflight needs the first bytes themselves, which an HTTP parser discards.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { RunConfig } from './config.ts';
import { redact } from './config.ts';
import { usage } from './errors.ts';
import { requestTarget, type TlsOptions } from './http.ts';
import type { FirstRequest, Profile } from './profile.ts';
import { createRng } from './rng.ts';

/** What the receiver did with the first request, as far as the preflight needs to know. */
export type FirstAnswer =
  /** A status line arrived. */
  | { kind: 'status'; status: number }
  /** The first bytes cannot begin an HTTP status line. */
  | { kind: 'not-http'; bytes: Buffer }
  /** The connection was accepted and nothing came back before the deadline. */
  | { kind: 'silent' }
  /** The connection was refused. */
  | { kind: 'refused' }
  /** Anything else: the start of a status line cut off, a close or reset, a TLS failure (checked later). */
  | { kind: 'other'; why: string };

/** How much of the answer is kept: a status line fits, and the sentence quotes far less. */
const KEPT_BYTES = 1024;
/** How many of the first bytes the sentence quotes. */
const QUOTED_BYTES = 32;

/** Status lines as they begin: `D` stands for a digit. HTTP/1.x, and the bare major version some servers send. */
const STATUS_TEMPLATES = ['HTTP/D.D DDD', 'HTTP/D DDD'];
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})([ \r\n]|$)/;

/** Whether `text` is the start of a status line that more bytes could complete. */
function mayBecomeStatusLine(text: string): boolean {
  return STATUS_TEMPLATES.some(
    (t) =>
      text.length < t.length && [...text].every((c, i) => (t[i] === 'D' ? c >= '0' && c <= '9' : c === t[i])),
  );
}

/** What `bytes`, the answer so far, shows; undefined while more bytes could change it. */
export function classify(bytes: Buffer): FirstAnswer | undefined {
  const text = bytes.subarray(0, 64).toString('latin1');
  const status = STATUS_LINE.exec(text);
  // Three digits and the end of the bytes so far: a fourth digit may follow, which would make it no status.
  if (status && status[2] !== '') return { kind: 'status', status: Number(status[1]) };
  if (status || mayBecomeStatusLine(text)) return undefined;
  return { kind: 'not-http', bytes };
}

/** What `bytes` show once no more will come (the deadline passed, or the receiver closed the connection). */
export function classifyFinal(bytes: Buffer): FirstAnswer {
  if (bytes.length === 0) return { kind: 'other', why: 'no answer before the connection closed' };
  const status = STATUS_LINE.exec(bytes.subarray(0, 64).toString('latin1'));
  if (status) return { kind: 'status', status: Number(status[1]) };
  return classify(bytes) ?? { kind: 'other', why: 'the start of a status line, then nothing more' };
}

/** The request's bytes as a platform's HTTP/1.1 client writes them, on a connection of its own. */
function requestBytes(req: FirstRequest, url: URL): Buffer {
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string> = { host: url.host, ...(req.headers ?? {}) };
  const named = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (body !== undefined && !named('content-length')) headers['content-length'] = String(body.length);
  if (url.username && !named('authorization')) {
    const basic = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }
  headers.connection = 'close';
  const head = [
    `${req.method} ${requestTarget(req.url, url)} HTTP/1.1`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  return body === undefined
    ? Buffer.from(head, 'latin1')
    : Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Sends `req` and resolves with what came back, at the latest at its deadline; never rejects. */
export function sendFirst(req: FirstRequest, tlsOptions?: TlsOptions): Promise<FirstAnswer> {
  const url = new URL(req.url);
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (secure ? 443 : 80));
  const bytes = requestBytes(req, url);
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    let settled = false;
    const socket = secure
      ? tls.connect({
          host,
          port,
          ...(net.isIP(host) ? {} : { servername: host }),
          ...(tlsOptions?.ca !== undefined ? { ca: tlsOptions.ca } : {}),
          rejectUnauthorized: tlsOptions?.insecure !== true,
        })
      : net.connect({ host, port });
    const done = (answer: FirstAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Not end(): a receiver that never reads would keep a half-closed socket, and pushcheck, alive.
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(
      () => done(got.length === 0 ? { kind: 'silent' } : classifyFinal(got)),
      req.deadlineMs,
    );
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      if (got.length < KEPT_BYTES) got = Buffer.concat([got, chunk]).subarray(0, KEPT_BYTES);
      const answer = classify(got);
      if (answer) done(answer);
    });
    socket.once('end', () => done(classifyFinal(got)));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (got.length > 0) return done(classifyFinal(got));
      done(err.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'other', why: err.message });
    });
  });
}

/** `bytes` as printable text: escapes for control and non-ASCII bytes, cut after {@link QUOTED_BYTES}. */
export function printable(bytes: Buffer): string {
  const escapes: Record<number, string> = { 9: '\\t', 10: '\\n', 13: '\\r', 34: '\\"', 92: '\\\\' };
  const shown = [...bytes.subarray(0, QUOTED_BYTES)]
    .map(
      (b) =>
        escapes[b] ??
        (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`),
    )
    .join('');
  return bytes.length > QUOTED_BYTES ? `${shown}…` : shown;
}

const ANYWAY = '(--no-preflight runs the cases anyway)';

/** The sentence that ends the run for `answer`, or undefined when the answer lets the run go on. */
export function verdict(req: FirstRequest, answer: FirstAnswer): string | undefined {
  const url = new URL(req.url);
  const where = `${url.origin}${url.pathname}`;
  switch (answer.kind) {
    case 'status':
      if (answer.status !== 404) return undefined;
      return `${where} answered 404 to ${req.what}: ${req.hint ?? `is the path in ${req.option} right?`} ${ANYWAY}`;
    case 'not-http':
      return `${where} answered ${req.what} with bytes that are not HTTP ("${printable(answer.bytes)}"): is this port your receiver's HTTP port? ${ANYWAY}`;
    case 'silent':
      return `${where} accepted the connection but sent nothing within ${req.deadlineMs} ms of ${req.what}: is the receiver stuck or slower than the platform's deadline, or is this port not its HTTP port? ${ANYWAY}`;
    case 'refused':
      return `cannot reach ${url.origin}: connection refused. Is the receiver running, and is ${req.option} right?`;
    case 'other':
      return undefined;
  }
}

/**
 * Sends the profile's first request for `run` and throws a `UsageError` (exit 2, one sentence, secrets
 * redacted) when the answer shows a wrong target; resolves otherwise, and at once for a profile without one.
 *
 * Why it leaves the cases' view unchanged: its values are drawn from a stream of the run's seed that no case
 * draws from (each case's stream is named by its title), and whatever it carries that a receiver could record
 * is marked with the run's own marker convention (`newMarker(runTag)`) but is a fresh marker no case waits
 * for, so an observer counting a case's marker never counts it.
 */
export async function preflightTarget(profile: Profile, run: RunConfig): Promise<void> {
  if (!profile.firstRequest) return;
  const req = await profile.firstRequest(run.target, run.settings, {
    runTag: run.runTag,
    rng: createRng(run.seed, 'pushcheck preflight'),
    deadlineMs: run.deadlineMs,
  });
  const sentence = verdict(req, await sendFirst(req, run.tls));
  if (sentence !== undefined) usage(redact(sentence, run.secrets));
}
