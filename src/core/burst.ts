/**
 * The burst cases' measurement, written once: N pushes sent at once through the case's own sender, each held to
 * the run's deadline and to HTTP 200, with the latency figures every burst case reports. The conformance
 * cases go through `src/core/http.ts` (a wire log per push); the bench's rate is bench/load.ts's `burst()`.
 */
import { fail, percentile } from './case.ts';
import type { Exchange } from './http.ts';

/** What a burst showed. */
export interface BurstMeasure {
  /** Every push's exchange, in the order they were made. */
  exchanges: Exchange[];
  /** Each push's time to the last byte of its answer (or to its error), ms, in the same order. */
  latencies: number[];
  /** The pushes not answered HTTP 200 within the deadline: an error, another status, or too slow. */
  late: Exchange[];
  /** The figures a burst case records. */
  metrics: { pushes: number; p50Ms: number; p95Ms: number; maxMs: number };
}

/**
 * Sends `n` pushes at once, push `i` through `send(i, label)`, and waits for every answer (each bounded by the
 * sender's own deadline). A push is late when it failed, was answered other than 200, or took longer than
 * `deadlineMs` to its last byte.
 */
export async function measureBurst(
  n: number,
  deadlineMs: number,
  send: (i: number, label: string) => Promise<Exchange>,
): Promise<BurstMeasure> {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a burst is 1 push or more, not ${n}`);
  const exchanges = await Promise.all(
    Array.from({ length: n }, (_, i) => send(i, `burst push ${i + 1}/${n}`)),
  );
  const latencies = exchanges.map((e) => e.timings.totalMs);
  const late = exchanges.filter(
    (e) => e.error !== undefined || e.response?.status !== 200 || e.timings.totalMs > deadlineMs,
  );
  return {
    exchanges,
    latencies,
    late,
    metrics: {
      pushes: n,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
    },
  };
}

/**
 * Fails the case when a push of the burst was late, naming the first three: "3 of 20 concurrent pushes were
 * not acked with 200 within 5000 ms". `done` is what the receiver does to a push ("acked", "accepted"),
 * `describe` what came back for one push.
 */
export function expectBurstOnTime(
  b: BurstMeasure,
  deadlineMs: number,
  done: string,
  describe: (e: Exchange) => string,
): void {
  const n = b.exchanges.length;
  if (b.late.length === 0) return;
  fail(
    `${b.late.length} of ${n} concurrent pushes were not ${done} with 200 within ${deadlineMs} ms`,
    `all ${n} ${done} with HTTP 200 within ${deadlineMs} ms`,
    b.late
      .slice(0, 3)
      .map((e) => `${e.label}: ${describe(e)}`)
      .join('; '),
  );
}
