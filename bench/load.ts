/**
 * The burst generator: valid messages from a profile's fuzz hook, each freshly built and signed, sent by
 * `concurrency` connections with one request in flight each, for `durationMs`. It talks through the burst
 * client (wire.ts), which bounds every request as the HTTP helper does; each answer is judged by the profile's
 * own ack rule, and every push that is not acked is counted with its reason. `npm run bench` compares its
 * rate with autocannon's against the same receiver (decisions/016).
 */
import { describeResponse } from '../src/core/case.ts';
import { BODY_PREVIEW_BYTES, curlLine, type Exchange, requestTarget } from '../src/core/http.ts';
import type { FuzzHook, FuzzMessage } from '../src/core/profile.ts';
import { createRng } from '../src/core/rng.ts';
import { WireConnection, type WireOutcome, wireTarget } from './wire.ts';

export interface BurstOptions<S> {
  hook: FuzzHook<S>;
  settings: S;
  /** A loopback http:// URL: the generator sends nowhere else. */
  target: string;
  runTag: string;
  seed: number;
  concurrency: number;
  durationMs: number;
  deadlineMs: number;
  /** Reuse connections (as autocannon does) instead of opening one per message. */
  keepAlive: boolean;
  /** A hard cap on messages, whatever the rate. */
  maxMessages?: number;
  /** At most this many response body bytes are read per push (default 1 MiB). */
  bodyLimit?: number;
}

/** Pushes that were not acked, of one kind. */
export interface BurstFailure {
  /** "HTTP 500", "deadline", "ECONNRESET", "not HTTP", "body too large" … */
  kind: string;
  count: number;
  /** The first of them, in full: what was expected to be an ack and what came. */
  example: string;
}

export interface BurstResult {
  sent: number;
  acked: number;
  durationMs: number;
  /** Acked messages per second. */
  perSecond: number;
  /** Every push that was not acked, by kind, most frequent first. */
  failures: BurstFailure[];
}

/** The outcome as the exchange the profile's ack rule reads; the wire log's curl line is built only if read. */
function exchangeOf(m: FuzzMessage, url: string, o: WireOutcome, started: number): Exchange {
  const ex: Exchange = {
    label: 'burst push',
    request: {
      method: m.method,
      url,
      headers: m.headers,
      body: m.body.length > BODY_PREVIEW_BYTES ? `${m.body.slice(0, BODY_PREVIEW_BYTES)}…` : m.body,
      bodyBytes: Buffer.byteLength(m.body, 'utf8'),
    },
    get startedAt() {
      return new Date(started).toISOString();
    },
    timings:
      o.headersMs === undefined ? { totalMs: o.totalMs } : { headersMs: o.headersMs, totalMs: o.totalMs },
    get curl() {
      return curlLine({ method: m.method, url, headers: m.headers, body: m.body, deadlineMs: 0 });
    },
  };
  if (o.response) {
    const raw = o.response.body;
    ex.response = {
      status: o.response.status,
      headers: o.response.headers,
      body: raw.subarray(0, BODY_PREVIEW_BYTES).toString('utf8'),
      raw,
      bodyBytes: raw.length,
      truncated: o.kind === 'body too large',
    };
  }
  if (o.error !== undefined) ex.error = o.error;
  return ex;
}

/** Sends valid messages as fast as `concurrency` connections can for `durationMs`; resolves with the counts. */
export async function burst<S>(opts: BurstOptions<S>): Promise<BurstResult> {
  const target = wireTarget(opts.target);
  const rng = createRng(opts.seed, 'burst');
  const cap = opts.maxMessages ?? 10_000_000;
  const connections = Array.from(
    { length: opts.concurrency },
    () =>
      new WireConnection(target, {
        keepAlive: opts.keepAlive,
        deadlineMs: opts.deadlineMs,
        ...(opts.bodyLimit === undefined ? {} : { bodyLimit: opts.bodyLimit }),
      }),
  );
  // Most hooks add no path: the target's request line is then worked out once.
  const basePath = requestTarget(opts.target, new URL(opts.target));
  const failures = new Map<string, BurstFailure>();
  let sent = 0;
  let acked = 0;
  const t0 = performance.now();
  const end = t0 + opts.durationMs;
  const more = (): boolean => performance.now() < end && sent < cap;
  const build = (): FuzzMessage => opts.hook.valid(opts.settings, { runTag: opts.runTag, rng });
  // Each connection builds and signs its next push while the current one is in flight, after the answers that
  // arrived together have all been followed by their next request: the receiver gets requests in batches,
  // as it does from a client that builds nothing, and the building overlaps its work. Every push is still
  // built and signed for itself, inside the measured time; one is sent only as its predecessor is answered.
  const afterThisTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const sender = async (connection: WireConnection): Promise<void> => {
    let m = more() ? build() : undefined;
    while (m !== undefined && more()) {
      sent++;
      const url = m.path === undefined ? opts.target : `${opts.target}${m.path}`;
      const path = m.path === undefined ? basePath : requestTarget(url, new URL(url));
      const started = performance.timeOrigin + performance.now();
      const answer = connection.request({ method: m.method, path, headers: m.headers, body: m.body });
      const current = m;
      await afterThisTurn();
      m = more() ? build() : undefined;
      const outcome = await answer;
      const ex = exchangeOf(current, url, outcome, started);
      if (opts.hook.acked(ex)) {
        acked++;
        continue;
      }
      const kind = outcome.kind ?? `HTTP ${outcome.response?.status ?? '?'}`;
      const seen = failures.get(kind);
      if (seen) seen.count++;
      else failures.set(kind, { kind, count: 1, example: describeResponse(ex) });
    }
  };
  try {
    await Promise.all(connections.map(sender));
  } finally {
    for (const c of connections) c.close();
  }
  const durationMs = performance.now() - t0;
  return {
    sent,
    acked,
    durationMs,
    perSecond: (acked * 1000) / durationMs,
    failures: [...failures.values()].sort((a, b) => b.count - a.count),
  };
}
