/**
 * The one HTTP helper every case goes through. It sends exactly the bytes it is given (the request target is
 * not normalized, so a raw `+` stays raw), records the exchange and its timings, never waits past its
 * deadline, never buffers more of a response than it can show, and never follows a redirect (a 3xx is the
 * receiver's answer, recorded as it is: decisions/009).
 *
 * Built on node:http rather than Playwright's request context: a conformance verdict needs the exact request
 * bytes, the time to the last response byte, a hard cut-off and the raw connection errors (decisions/001).
 */
import http from 'node:http';
import https from 'node:https';

/** How much of each body a recorded exchange keeps, and how much of a response is read at most. */
export const BODY_PREVIEW_BYTES = 4096;
export const RESPONSE_READ_LIMIT = 1024 * 1024;

export interface OutgoingRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** Absolute URL; its path and query are sent exactly as written. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The response must be complete within this many milliseconds of the request start. */
  deadlineMs: number;
  /** A short label for the wire log ("genuine push", "forged verification"). */
  label?: string;
  /** Reuse connections through this agent; by default each request opens its own, as a platform's may. */
  agent?: http.Agent;
  /** For https:// targets: the CA to trust (`--ca`), or no certificate check at all (`--insecure`). */
  tls?: TlsOptions;
}

/** How an https:// target's certificate is checked; by default against Node's own CA list. */
export interface TlsOptions {
  /** PEM certificates to trust, in place of the default list. */
  ca?: string;
  /** Accept any certificate. */
  insecure?: boolean;
  /** The --ca file, for the curl line. */
  caFile?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** UTF-8 preview of the body (at most {@link BODY_PREVIEW_BYTES}). */
  body: string;
  /** The body bytes read (all of them when `truncated` is false). */
  raw: Buffer;
  bodyBytes: number;
  truncated: boolean;
}

export interface Exchange {
  label: string;
  request: RecordedRequest;
  response?: RecordedResponse;
  /** Why no complete response came: a timeout, a reset, a refused connection, a protocol error. */
  error?: string;
  startedAt: string;
  /** Milliseconds from the request start to the response headers and to its last byte (or to the error). */
  timings: { headersMs?: number; totalMs: number };
  curl: string;
}

/** Whether the exchange ended with a complete 2xx answer. */
export function is2xx(ex: Exchange): boolean {
  const status = ex.response?.status;
  return ex.error === undefined && status !== undefined && status >= 200 && status < 300;
}

function preview(body: string | Buffer | undefined): { text: string; bytes: number } {
  if (body === undefined) return { text: '', bytes: 0 };
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const text = buf.subarray(0, BODY_PREVIEW_BYTES).toString('utf8');
  return {
    text: buf.length > BODY_PREVIEW_BYTES ? `${text}… (${buf.length} bytes in all)` : text,
    bytes: buf.length,
  };
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** A `curl` command line that sends the same request (bodies over the preview size are elided). */
export function curlLine(req: OutgoingRequest): string {
  const parts = [
    'curl',
    '-sS',
    '-i',
    '-X',
    req.method,
    '--max-time',
    String(Math.ceil(req.deadlineMs / 1000)),
  ];
  for (const [k, v] of Object.entries(req.headers ?? {})) parts.push('-H', shellQuote(`${k}: ${v}`));
  if (req.body !== undefined) {
    const { text, bytes } = preview(req.body);
    if (bytes > BODY_PREVIEW_BYTES) parts.push('--data-binary', `@body.bin  # ${bytes} bytes, not shown`);
    else parts.push('--data-binary', shellQuote(text));
  }
  if (req.tls?.insecure) parts.push('--insecure');
  else if (req.tls?.caFile !== undefined) parts.push('--cacert', shellQuote(req.tls.caFile));
  parts.push('--path-as-is', shellQuote(req.url));
  return parts.join(' ');
}

/** A connection or parse error in words (shared with the bench's burst client, bench/wire.ts). */
export function describeError(err: NodeJS.ErrnoException): string {
  // Node reports a TLS handshake the receiver closed as a reset with this message.
  if (/before secure TLS connection was established/.test(err.message)) {
    return 'the receiver closed the connection during the TLS handshake';
  }
  if (err.code?.startsWith('ERR_SSL_') || err.code === 'EPROTO') {
    return `the TLS handshake failed (${err.code})`;
  }
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens at the target)';
    case 'ECONNRESET':
      return 'connection reset by the receiver';
    case 'EPIPE':
      return 'the receiver closed the connection while the request was being sent';
    case 'ENOTFOUND':
      return 'the target host name does not resolve';
    case 'HPE_HEADER_OVERFLOW':
      return 'the receiver sent response headers larger than 16 KiB (pushcheck stopped reading them)';
    default:
      // Every llhttp parse error: a status line, header or framing that is not HTTP/1.1.
      if (err.code?.startsWith('HPE_')) {
        return `the receiver answered with something that is not valid HTTP (${err.code})`;
      }
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}

/**
 * The request target as written after the authority, so a raw `+` stays raw; where what is written cannot go
 * on the wire as it is (spaces, non-ASCII), the WHATWG-normalized path and query instead.
 */
export function requestTarget(raw: string, url: URL): string {
  const written = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*([^#]*)/i.exec(raw)?.[1] ?? '';
  const target = written.startsWith('/') ? written : `/${written}`;
  return /^[\x21-\x7e]*$/.test(target) ? target : `${url.pathname}${url.search}`;
}

/** Sends one request and resolves with the recorded exchange; it never rejects. */
export function send(req: OutgoingRequest): Promise<Exchange> {
  const url = new URL(req.url);
  const { text, bytes } = preview(req.body);
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (req.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(bytes);
  }
  const rawTarget = requestTarget(req.url, url);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const elapsed = (): number => Math.round((performance.now() - t0) * 10) / 10;
  const exchange: Exchange = {
    label: req.label ?? `${req.method} ${url.pathname}`,
    request: { method: req.method, url: req.url, headers, body: text, bodyBytes: bytes },
    startedAt,
    timings: { totalMs: 0 },
    curl: curlLine(req),
  };

  return new Promise((resolve) => {
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      exchange.timings.totalMs = elapsed();
      if (error !== undefined) exchange.error = error;
      resolve(exchange);
      // A complete exchange on a kept-alive connection leaves the socket to its agent; anything else ends it.
      if (error !== undefined || req.agent === undefined) request.destroy();
    };
    const lib = url.protocol === 'https:' ? https : http;
    let request: http.ClientRequest;
    try {
      request = lib.request({
        method: req.method,
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (url.protocol === 'https:' ? 443 : 80),
        path: rawTarget,
        headers,
        agent: req.agent ?? false,
        ...(url.protocol === 'https:' && req.tls?.ca !== undefined ? { ca: req.tls.ca } : {}),
        ...(url.protocol === 'https:' && req.tls?.insecure ? { rejectUnauthorized: false } : {}),
        ...(url.username
          ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
          : {}),
      });
    } catch (err) {
      exchange.error = `pushcheck could not send this request: ${(err as Error).message}`;
      exchange.timings.totalMs = elapsed();
      resolve(exchange);
      return;
    }
    // Whatever the receiver sends, or fails to send, the exchange ends at the deadline: a trickle of one
    // byte a second never extends it.
    const timer = setTimeout(() => {
      const got = exchange.response
        ? `HTTP ${exchange.response.status} arrived after ${exchange.timings.headersMs} ms, then ${exchange.response.bodyBytes} body bytes`
        : `${request.socket?.bytesRead ?? 0} bytes of response arrived, not a complete response head`;
      finish(`no complete response within ${req.deadlineMs} ms (${got}; cut off at the deadline)`);
    }, req.deadlineMs);
    request.on('response', (res) => {
      exchange.timings.headersMs = elapsed();
      const chunks: Buffer[] = [];
      let read = 0;
      let truncated = false;
      // Recorded at once and again as the body comes, so a status survives a connection closed after it.
      const record = (): void => {
        const raw = Buffer.concat(chunks);
        exchange.response = {
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(
            Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
          ),
          body: preview(raw).text,
          raw,
          bodyBytes: read,
          truncated,
        };
      };
      record();
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // Keeps the deadline message's byte count current without copying the body on every chunk.
        if (exchange.response) exchange.response.bodyBytes = read;
        if (read > RESPONSE_READ_LIMIT) {
          truncated = true;
          record();
          finish(`the response body exceeded ${RESPONSE_READ_LIMIT} bytes; pushcheck stopped reading it`);
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        record();
        finish();
      });
      res.on('error', (err: NodeJS.ErrnoException) => {
        record();
        finish(`the response was cut short: ${describeError(err)}`);
      });
    });
    request.on('error', (err: NodeJS.ErrnoException) => finish(describeError(err)));
    request.end(req.body);
  });
}
