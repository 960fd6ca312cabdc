/**
 * `pushcheck send controlid`: a device in Push mode over time. It polls every push_request_period (compressed by
 * the time scale), executes each command it is given, posts the result with the poll's uuid and polls again at
 * once, so commands chain; it judges what the server answers as a device must read it.
 */
import type { Exchange } from '../../core/http.ts';
import type { Rng } from '../../core/rng.ts';
import { describeAnswer } from './codec.ts';
import { type DeviceBehaviour, DeviceSender } from './sender.ts';

export interface DeviceSendOptions {
  /** The push server's base URL (push_remote_address). */
  base: string;
  deviceId: string;
  requestTimeoutMs: number;
  /** push_request_period, in seconds at scale 1. */
  periodS: number;
  /** Compresses the period (0.01 turns 60 s into 600 ms); request timeouts are not scaled. */
  timeScale: number;
  /** Polls to make in all. */
  count: number;
  /** Ends after this long whatever happens. */
  durationMs: number;
  rng?: Rng;
  behaviour?: DeviceBehaviour;
  log?: (line: string) => void;
  /** Resolves to end early (Ctrl-C). */
  stop?: Promise<void>;
}

export interface DeviceSendResult {
  polls: number;
  results: number;
  /** What the server did that a device cannot work with, one sentence each. */
  problems: string[];
  /** The first poll got no response at all: the server is not there. */
  unreachable?: string;
}

/** Waits `ms`, or less when `stop` resolves first; leaves no timer behind. */
function pause(ms: number, stop: Promise<void>): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, Math.max(0, ms));
    void stop.then(() => {
      clearTimeout(timer);
      done();
    });
  });
}

/** Why an answer to a result is not the empty response the document expects, or undefined when it is. */
function resultAnswerProblem(ex: Exchange): string | undefined {
  if (!ex.response) return `no answer (${ex.error ?? 'no response'})`;
  const { status, bodyBytes } = ex.response;
  if (status < 200 || status > 299) return `HTTP ${status}`;
  if (bodyBytes > 0) return `${bodyBytes} bytes of body where the document expects an empty response`;
  return undefined;
}

/** Plays the device until `count` polls, the duration or `stop`; resolves with what happened. */
export async function sendAsDevice(opts: DeviceSendOptions): Promise<DeviceSendResult> {
  const device = new DeviceSender({
    base: opts.base,
    deviceId: opts.deviceId,
    requestTimeoutMs: opts.requestTimeoutMs,
    ...(opts.rng ? { rng: opts.rng } : {}),
    ...(opts.behaviour ? { behaviour: opts.behaviour } : {}),
  });
  const b = device.behaviour;
  const log = opts.log ?? (() => undefined);
  let stopped = false;
  const stop = (opts.stop ?? new Promise<void>(() => undefined)).then(() => {
    stopped = true;
  });
  const origin = performance.now();
  const at = () => Math.round(performance.now() - origin);
  const end = origin + opts.durationMs;
  const periodMs = opts.periodS * 1000 * opts.timeScale * b.periodFactor;
  const out: DeviceSendResult = { polls: 0, results: 0, problems: [] };
  while (out.polls < opts.count && !stopped && performance.now() < end) {
    const started = performance.now();
    const poll = await device.poll();
    out.polls++;
    log(
      `poll ${out.polls} at +${at()} ms (uuid ${poll.uuid}): ${describeAnswer(poll.answer)}, in ${poll.exchange.timings.totalMs} ms`,
    );
    if (out.polls === 1 && !poll.exchange.response) {
      out.unreachable = poll.exchange.error ?? 'no response';
      return out;
    }
    if (poll.answer.kind === 'invalid') out.problems.push(`poll ${out.polls}: ${poll.answer.why}`);
    const result = await device.complete(poll);
    if (result) {
      out.results++;
      const problem = resultAnswerProblem(result);
      log(
        `  result of poll ${out.polls} posted at +${at()} ms: ${problem ?? 'empty response'}, in ${result.timings.totalMs} ms`,
      );
      if (problem) out.problems.push(`result of poll ${out.polls}: ${problem}`);
      // The result closed the transaction: the next poll comes at once, so that commands chain.
      if (b.repollsAfterResult) continue;
    }
    if (out.polls < opts.count) await pause(Math.min(started + periodMs, end) - performance.now(), stop);
  }
  return out;
}
