/**
 * A platform's retry policy, played and judged: {@link deliver} sends one message and retries it on the
 * policy's schedule until it is acked or the schedule runs out; {@link judgeIntervals} checks the attempts a
 * sender under test made against the same schedule.
 *
 * The schedule can be compressed (`scale`, 0.001 runs OneNET's 2 h 45 min in about 10 s) so that it can be
 * tested; the ack deadline is not scaled by it, since the receiver's answer takes real time whatever the clock.
 */

/** Intervals, in ms at scale 1, between an attempt's start and the next one's. */
export interface RetryPolicy {
  /** One entry per retry: the attempts are `intervalsMs.length + 1` at most. */
  intervalsMs: readonly number[];
}

/** What became of one attempt. */
export interface AttemptResult {
  /** The attempt was acked as the platform requires (e.g. HTTP 200 within the deadline). */
  ok: boolean;
  /** One line: "HTTP 500 in 3 ms", "no response within 5000 ms". */
  summary: string;
}

export interface Attempt extends AttemptResult {
  /** 1 for the first delivery. */
  n: number;
  /** Milliseconds from the first attempt's start to this one's. */
  atMs: number;
  /** Milliseconds this attempt took. */
  tookMs: number;
}

export interface Delivery {
  attempts: Attempt[];
  /** Some attempt was acked; otherwise the platform gives up and the message is dropped. */
  delivered: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Sends with `attempt` until it is acked or every retry of `policy` has been made. Attempt n+1 starts its
 * interval (scaled) after attempt n started, and never before attempt n has ended: a platform does not send a
 * message twice at once. Time is measured from one origin, so that timer lateness does not accumulate.
 */
export async function deliver(
  attempt: (n: number) => Promise<AttemptResult>,
  policy: RetryPolicy,
  scale: number,
  onAttempt?: (a: Attempt) => void,
): Promise<Delivery> {
  const origin = performance.now();
  const attempts: Attempt[] = [];
  let dueMs = 0;
  for (let n = 1; n <= policy.intervalsMs.length + 1; n++) {
    await sleep(origin + dueMs - performance.now());
    const start = performance.now();
    const result = await attempt(n);
    const done: Attempt = {
      n,
      atMs: Math.round((start - origin) * 10) / 10,
      tookMs: Math.round(performance.now() - start),
      ...result,
    };
    attempts.push(done);
    onAttempt?.(done);
    if (result.ok) return { attempts, delivered: true };
    dueMs = start - origin + (policy.intervalsMs[n - 1] ?? 0) * scale;
  }
  return { attempts, delivered: false };
}

/**
 * How far an observed interval may be from the schedule: the figure the reports state. The floor covers timer
 * lateness on a quiet machine; `lagMs`, the worst event-loop delay the judge itself suffered while it watched
 * (a starved process sees requests late), is added, since no judgement can be finer than the judge's clock.
 * At scale 0.001 the first retries (5 to 60 ms) are therefore judged only coarsely.
 */
export function intervalTolerance(expectedMs: number, lagMs = 0): number {
  return Math.max(100, expectedMs * 0.05) + lagMs;
}

/** When an attempt arrived and when it ended (answered, or given up by the sender), in ms from one origin. */
export interface ObservedAttempt {
  startMs: number;
  endMs: number;
}

export interface IntervalJudgement {
  /** The retry (1 for the first retry) whose interval is off the schedule, if any. */
  offAt?: number;
  expectedMs?: number;
  /** From the previous attempt's start. */
  observedMs?: number;
  /** The largest deviation among the intervals that were on schedule. */
  worstErrorMs: number;
}

/**
 * Checks observed attempts (first attempt first) against the scaled schedule. The document gives each interval
 * "与上次间隔时间" (from the previous attempt) without saying from its start or its end, so either reading is on
 * schedule when it is within the tolerance; read from the start, a retry is due no earlier than the end of the
 * attempt it retries, which is how pushcheck's own emulator schedules them.
 */
export function judgeIntervals(
  attempts: readonly ObservedAttempt[],
  policy: RetryPolicy,
  scale: number,
  lagMs = 0,
): IntervalJudgement {
  let worst = 0;
  // Attempts past the last retry are off the policy altogether: not a matter of intervals.
  for (let i = 1; i < Math.min(attempts.length, policy.intervalsMs.length + 1); i++) {
    const prev = attempts[i - 1] as ObservedAttempt;
    const cur = attempts[i] as ObservedAttempt;
    const expected = (policy.intervalsMs[i - 1] ?? Number.NaN) * scale;
    // Counted from the start, a retry still cannot begin before the attempt it retries has ended (an attempt
    // held past its interval is retried as soon as the sender gives up on it); or counted from the end.
    const fromStart = Math.max(prev.startMs + expected, prev.endMs);
    const error = Math.min(Math.abs(cur.startMs - fromStart), Math.abs(cur.startMs - prev.endMs - expected));
    if (!(error <= intervalTolerance(expected, lagMs))) {
      return {
        offAt: i,
        expectedMs: Math.round(expected * 10) / 10,
        observedMs: Math.round((cur.startMs - prev.startMs) * 10) / 10,
        worstErrorMs: worst,
      };
    }
    worst = Math.max(worst, Math.round(error * 10) / 10);
  }
  return { worstErrorMs: worst };
}
