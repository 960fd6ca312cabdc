/**
 * The burst generator's HTTP/1.1 client: one TCP connection to a loopback target, one request in flight. The
 * request goes out as one write; the response is parsed just enough to judge it (status line, headers,
 * a body framed by Content-Length, chunked coding or the connection's end) and kept up to a limit.
 *
 * It bounds what the HTTP helper (http.ts) bounds: each request ends at its deadline whatever arrives, a head
 * over 16 KiB, a body over the limit, bytes that are not HTTP, a reset or a close: each ends the request with
 * its reason, never a throw or a hang, and the connection is dropped. Why not node:http here: in a burst its
 * per-request machinery (agent, ClientRequest, IncomingMessage streams) cost more than building and signing
 * the push itself (decisions/016).
 */
import net from 'node:net';
import { describeError, RESPONSE_READ_LIMIT } from '../src/core/http.ts';
import { usage } from '../src/core/errors.ts';

/** Response heads (and chunked trailers) are read up to this size, as Node's own parser does. */
export const HEAD_LIMIT = 16 * 1024;

/** A loopback HTTP origin. */
export interface WireTarget {
  host: string;
  port: number;
  /** The Host header's value. */
  authority: string;
}

export interface WireRequest {
  method: string;
  /** The request target (path and query), sent exactly as written. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface WireResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The body bytes read: all of them unless `error` says the limit was passed. */
  body: Buffer;
}

/** What one request came to. `response` is there whenever a head arrived, even if the body then failed. */
export interface WireOutcome {
  response?: WireResponse;
  /** Why no complete response came; undefined when one did. */
  error?: string;
  /** A short, stable name for the kind of failure, to count failures by. */
  kind?: string;
  requestBytes: number;
  /** Milliseconds from the request start to the end of the response head, and to the end (or the failure). */
  headersMs?: number;
  totalMs: number;
}

export interface WireOptions {
  /** Keep the connection for the next request when the response allows it; otherwise one connection each. */
  keepAlive: boolean;
  /** Each request ends this many milliseconds after it started, complete or not. */
  deadlineMs: number;
  /** At most this many body bytes are read (default: the HTTP helper's limit, 1 MiB). */
  bodyLimit?: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: .*)?$/;
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|localhost)$/i;

/** The loopback origin of `url`; anything else is refused: a burst is a load test, never sent off this host. */
export function wireTarget(url: string): WireTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return usage(`the burst target "${url}" is not a URL; give one like http://127.0.0.1:8080/path`);
  }
  if (u.protocol !== 'http:' || !LOOPBACK.test(u.hostname)) {
    return usage(
      `the burst generator sends plain HTTP to this host only (127.0.0.1, ::1 or localhost), not to ${u.protocol}//${u.host}; give a loopback http:// target`,
    );
  }
  const port = Number(u.port || 80);
  if (port === 0) return usage(`the burst target "${url}" has port 0; give the port the receiver listens on`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port, authority: u.host };
}

type Phase = 'idle' | 'head' | 'length' | 'close' | 'size' | 'chunk' | 'chunk-end' | 'trailer';

interface Pending {
  resolve(outcome: WireOutcome): void;
  t0: number;
  requestBytes: number;
}

/** One connection slot of a burst: requests are sent one after another, each answered or failed in turn. */
export class WireConnection {
  private socket: net.Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending: Pending | undefined;
  private phase: Phase = 'idle';
  /** A response head split across reads, until its end arrives. */
  private partial: Buffer | undefined;
  /** Head bytes of this response, interim (1xx) heads and trailers included. */
  private headBytes = 0;
  private bytesIn = 0;
  private status = 0;
  private headers: Record<string, string> = {};
  private headersMs: number | undefined;
  /** Bytes still due of the body (Content-Length) or of the current chunk. */
  private remaining = 0;
  private chunks: Buffer[] = [];
  private bodyBytes = 0;
  /** The chunk-size or trailer line read so far. */
  private line = '';
  private reusable = false;
  private readonly bodyLimit: number;

  constructor(
    private readonly target: WireTarget,
    private readonly opts: WireOptions,
  ) {
    this.bodyLimit = opts.bodyLimit ?? RESPONSE_READ_LIMIT;
  }

  /** Sends `req` and resolves when its response is complete or has failed; it never rejects. */
  request(req: WireRequest): Promise<WireOutcome> {
    return new Promise((resolve) => {
      const t0 = performance.now();
      if (this.pending) {
        resolve({
          error: 'pushcheck sent a request on a busy connection',
          kind: 'pushcheck',
          requestBytes: 0,
          totalMs: 0,
        });
        return;
      }
      const head = this.head(req);
      if (typeof head !== 'string') {
        resolve({ ...head, requestBytes: 0, totalMs: 0 });
        return;
      }
      const bodyBytes = Buffer.byteLength(req.body, 'utf8');
      const wire = `${head}Content-Length: ${bodyBytes}\r\n\r\n${req.body}`;
      // The head is ASCII (checked above), so its length in characters is its length in bytes.
      this.pending = { resolve, t0, requestBytes: wire.length - req.body.length + bodyBytes };
      this.phase = 'head';
      this.headBytes = 0;
      this.bytesIn = 0;
      this.status = 0;
      this.headers = {};
      this.headersMs = undefined;
      this.chunks = [];
      this.bodyBytes = 0;
      this.line = '';
      if (this.timer) this.timer.refresh();
      else this.timer = setTimeout(() => this.deadline(), this.opts.deadlineMs);
      if (!this.socket?.writable) this.drop();
      (this.socket ?? this.open()).write(wire, 'utf8');
    });
  }

  /** Ends the connection and its timer; a request still waiting fails. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.fail('closed', 'pushcheck closed the connection (the burst ended)');
    this.drop();
  }

  /** The request line and headers, without Content-Length; or why they cannot be sent. */
  private head(req: WireRequest): string | { error: string; kind: string } {
    if (!TOKEN.test(req.method) || !/^[\x21-\x7e]+$/.test(req.path)) {
      return {
        error: `pushcheck could not send this request: "${req.method} ${req.path}" is not a request line`,
        kind: 'pushcheck',
      };
    }
    let head = `${req.method} ${req.path} HTTP/1.1\r\nHost: ${this.target.authority}\r\n`;
    for (const name in req.headers) {
      const value = req.headers[name] ?? '';
      const lower = name.toLowerCase();
      // The client frames the request itself: one Content-Length, the connection's own persistence.
      if (lower === 'content-length' || lower === 'host' || lower === 'connection') continue;
      if (!TOKEN.test(name) || !/^[\t\x20-\x7e]*$/.test(value)) {
        return {
          error: `pushcheck could not send this request: header ${JSON.stringify(name)} is not a valid header line`,
          kind: 'pushcheck',
        };
      }
      head += `${name}: ${value}\r\n`;
    }
    return this.opts.keepAlive ? head : `${head}Connection: close\r\n`;
  }

  private open(): net.Socket {
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (socket === this.socket) this.data(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (socket !== this.socket) return;
      const inBody = this.phase !== 'head' && this.phase !== 'idle';
      this.fail(
        err.code ?? 'socket error',
        inBody ? `the response was cut short: ${describeError(err)}` : describeError(err),
      );
      this.drop();
    });
    // The receiver's FIN ends the connection for pushcheck too (no half-open sockets): a body read to the end
    // of the connection is complete, anything else is cut short, and no later request is written into it.
    socket.on('end', () => {
      if (socket !== this.socket) return;
      this.closed();
      socket.destroy();
    });
    socket.on('close', () => {
      if (socket === this.socket) this.closed();
    });
    this.socket = socket;
    return socket;
  }

  /** Forgets the socket and destroys it: the next request opens a new connection. */
  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }

  private elapsed(): number {
    return this.pending ? Math.round((performance.now() - this.pending.t0) * 10) / 10 : 0;
  }

  private response(): WireResponse {
    const body = this.chunks.length === 1 && this.chunks[0] ? this.chunks[0] : Buffer.concat(this.chunks);
    return { status: this.status, headers: this.headers, body };
  }

  private settle(response: WireResponse | undefined, error?: string, kind?: string): void {
    const p = this.pending;
    if (!p) return;
    const done: WireOutcome = { requestBytes: p.requestBytes, totalMs: this.elapsed() };
    if (response) done.response = response;
    if (error !== undefined) done.error = error;
    if (kind !== undefined) done.kind = kind;
    if (this.headersMs !== undefined) done.headersMs = this.headersMs;
    this.pending = undefined;
    this.phase = 'idle';
    this.partial = undefined;
    p.resolve(done);
  }

  /** The request failed; the connection cannot be trusted with another. */
  private fail(kind: string, error: string): void {
    if (!this.pending) return;
    this.settle(this.headersMs === undefined ? undefined : this.response(), error, kind);
    this.drop();
  }

  private complete(): void {
    this.settle(this.response());
    if (!this.reusable) this.drop();
  }

  private deadline(): void {
    if (!this.pending) return;
    const got =
      this.headersMs === undefined
        ? `${this.bytesIn} bytes of response arrived, not a complete response head`
        : `HTTP ${this.status} arrived after ${this.headersMs} ms, then ${this.bodyBytes} body bytes`;
    this.fail(
      'deadline',
      `no complete response within ${this.opts.deadlineMs} ms (${got}; cut off at the deadline)`,
    );
  }

  private closed(): void {
    this.socket = undefined;
    if (!this.pending) return;
    if (this.phase === 'close') return this.complete();
    if (this.headersMs !== undefined) {
      const due = this.phase === 'length' ? ` of ${this.bodyBytes + this.remaining}` : '';
      return this.fail(
        'cut short',
        `the response was cut short: the receiver closed the connection after ${this.bodyBytes}${due} body bytes`,
      );
    }
    this.fail(
      'closed',
      this.bytesIn === 0
        ? 'the receiver closed the connection without answering'
        : `the receiver closed the connection after ${this.bytesIn} bytes, before a complete response head`,
    );
  }

  private data(chunk: Buffer): void {
    // Bytes no request asked for: whatever they are, the next response on this connection could not be told
    // from them.
    if (!this.pending) return this.drop();
    this.bytesIn += chunk.length;
    let buf = chunk;
    let i = 0;
    while (this.pending && i < buf.length) {
      switch (this.phase) {
        case 'head': {
          const from = this.partial ? Math.max(0, this.partial.length - 2) : 0;
          const data = this.partial ? Buffer.concat([this.partial, buf.subarray(i)]) : buf.subarray(i);
          const prefix = Math.min(data.length, 5);
          if (data.toString('latin1', 0, prefix) !== 'HTTP/'.slice(0, prefix)) {
            return this.fail(
              'not HTTP',
              `the receiver answered with something that is not valid HTTP (it began ${JSON.stringify(data.toString('latin1', 0, 16))})`,
            );
          }
          const end = headEnd(data, from);
          if (end < 0 || this.headBytes + end > HEAD_LIMIT) {
            if (end < 0 && this.headBytes + data.length <= HEAD_LIMIT) {
              this.partial = data;
              return;
            }
            return this.fail(
              'head too large',
              'the receiver sent response headers larger than 16 KiB (pushcheck stopped reading them)',
            );
          }
          this.partial = undefined;
          this.headBytes += end;
          const bad = this.parseHead(data.toString('latin1', 0, end));
          if (bad !== undefined)
            return this.fail(
              'not HTTP',
              `the receiver answered with something that is not valid HTTP (${bad})`,
            );
          buf = data;
          i = end;
          break;
        }
        case 'length':
        case 'chunk': {
          const n = Math.min(this.remaining, buf.length - i);
          this.chunks.push(buf.subarray(i, i + n));
          this.bodyBytes += n;
          this.remaining -= n;
          i += n;
          if (this.remaining > 0) break;
          if (this.phase === 'chunk') this.phase = 'chunk-end';
          else this.complete();
          break;
        }
        case 'close': {
          this.chunks.push(buf.subarray(i));
          this.bodyBytes += buf.length - i;
          i = buf.length;
          if (this.bodyBytes > this.bodyLimit) return this.overLimit();
          break;
        }
        case 'size':
        case 'chunk-end':
        case 'trailer': {
          const nl = buf.indexOf(10, i);
          this.line += buf.toString('latin1', i, nl < 0 ? buf.length : nl);
          i = nl < 0 ? buf.length : nl + 1;
          if (this.line.length > 1024)
            return this.fail(
              'not HTTP',
              'the receiver sent a chunked body line over 1 KiB, which is not valid HTTP',
            );
          if (nl < 0) break;
          const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
          this.line = '';
          const bad = this.chunkLine(line);
          if (bad !== undefined)
            return this.fail(
              'not HTTP',
              `the receiver answered with something that is not valid HTTP (${bad})`,
            );
          break;
        }
        case 'idle':
          return;
      }
    }
    // Bytes past the end of the response: the connection's framing is off, so it is not used again.
    if (i < buf.length) this.drop();
  }

  /** Takes a chunk-size line, the line ending a chunk, or a trailer line; returns what is wrong, if anything. */
  private chunkLine(line: string): string | undefined {
    if (this.phase === 'chunk-end') {
      if (line !== '') return 'a chunk did not end where its size said';
      this.phase = 'size';
      return undefined;
    }
    if (this.phase === 'trailer') {
      this.headBytes += line.length + 2;
      if (this.headBytes > HEAD_LIMIT) return 'trailers over 16 KiB';
      if (line === '') this.complete();
      return undefined;
    }
    const size = /^([0-9a-fA-F]{1,8})[ \t]*(?:;.*)?$/.exec(line)?.[1];
    if (size === undefined) return `a chunk size ${JSON.stringify(line.slice(0, 40))}`;
    const n = parseInt(size, 16);
    if (n === 0) this.phase = 'trailer';
    else if (this.bodyBytes + n > this.bodyLimit) this.overLimit();
    else {
      this.remaining = n;
      this.phase = 'chunk';
    }
    return undefined;
  }

  private overLimit(detail = ''): void {
    this.fail(
      'body too large',
      `the response body exceeded ${this.bodyLimit} bytes; pushcheck stopped reading it${detail}`,
    );
  }

  /** Reads a response head and sets the body's framing (RFC 9112 §6.3); returns what is wrong, if anything. */
  private parseHead(text: string): string | undefined {
    // Line by line with indexOf rather than split and per-line regexes: this runs once per push.
    const firstNl = text.indexOf('\n');
    const first = text.slice(0, lineStop(text, firstNl));
    const status = STATUS_LINE.exec(first);
    if (!status) return `status line ${JSON.stringify(first.slice(0, 60))}`;
    const headers: Record<string, string> = {};
    for (
      let start = firstNl + 1, nl = text.indexOf('\n', start);
      nl >= 0;
      start = nl + 1, nl = text.indexOf('\n', start)
    ) {
      const stop = lineStop(text, nl);
      if (stop <= start) continue;
      const colon = text.indexOf(':', start);
      const name = colon > start && colon < stop ? text.slice(start, colon) : '';
      if (!TOKEN.test(name))
        return `header line ${JSON.stringify(text.slice(start, Math.min(stop, start + 60)))}`;
      const key = name.toLowerCase();
      const value = text.slice(colon + 1, stop).trim();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    this.status = Number(status[2]);
    this.headers = headers;
    this.headersMs = this.elapsed();
    const connection = headers.connection?.toLowerCase() ?? '';
    this.reusable =
      this.opts.keepAlive &&
      (status[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection));
    if (this.status < 200) {
      // An interim answer (100 Continue, 103 Early Hints): the final one follows. After 101 the connection
      // speaks another protocol, which no push asked for: that answer is final.
      if (this.status !== 101) {
        this.headersMs = undefined;
        return undefined;
      }
      this.reusable = false;
      this.complete();
      return undefined;
    }
    if (this.status === 204 || this.status === 304) {
      this.complete();
      return undefined;
    }
    const te = headers['transfer-encoding'];
    if (te !== undefined) {
      // Chunked last: chunked framing. Anything else: the body runs to the connection's end.
      if (/(^|,)\s*chunked\s*$/i.test(te)) {
        this.phase = 'size';
        // With both headers the message is suspect (a smuggling pattern): it is read, then not trusted further.
        if (headers['content-length'] !== undefined) this.reusable = false;
      } else {
        this.phase = 'close';
        this.reusable = false;
      }
      return undefined;
    }
    const cl = headers['content-length'];
    if (cl !== undefined) {
      const values = new Set(cl.split(',').map((v) => v.trim()));
      const only = values.size === 1 ? [...values][0] : undefined;
      if (only === undefined || !/^\d{1,15}$/.test(only))
        return `Content-Length ${JSON.stringify(cl.slice(0, 40))}`;
      this.remaining = Number(only);
      if (this.remaining > this.bodyLimit) {
        this.overLimit(` (its Content-Length was ${this.remaining})`);
        return undefined;
      }
      if (this.remaining === 0) this.complete();
      else this.phase = 'length';
      return undefined;
    }
    this.phase = 'close';
    this.reusable = false;
    return undefined;
  }
}

/** Where the line ending at the LF at `nl` stops, without its CR. */
function lineStop(text: string, nl: number): number {
  return text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/** The index just past the blank line ending a head (CRLF or bare LF line ends), or -1. */
function headEnd(data: Buffer, from: number): number {
  for (let nl = data.indexOf(10, from); nl >= 0; nl = data.indexOf(10, nl + 1)) {
    if (data[nl + 1] === 10) return nl + 2;
    if (data[nl + 1] === 13 && data[nl + 2] === 10) return nl + 3;
  }
  return -1;
}
