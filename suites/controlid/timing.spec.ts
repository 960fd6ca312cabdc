/**
 * Timing (the push_server configuration): the device gives up on a request after push_request_timeout (default
 * 15000 ms, --request-timeout); every request is cut off there.
 */
import { expectWithin, fail, percentile, recordMetrics } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import type { Command } from '../../src/protocols/controlid/codec.ts';
import { conformance } from './fixtures.ts';

const FAST_MS = 1000;
const FAST_POLLS = 5;

conformance('controlid.timing.within-request-timeout', async ({ device, hook, queue, settings }) => {
  const timed: Exchange[] = [(await device.poll('idle poll, timed')).exchange];
  if (hook) {
    const command: Command = { verb: 'POST', endpoint: 'system_information' };
    await queue(settings.deviceId, command);
    const poll = await device.poll('poll with a command queued, timed');
    timed.push(poll.exchange);
    const result = await device.complete(poll, 'result, timed');
    if (result) timed.push(result);
  }
  recordMetrics(Object.fromEntries(timed.map((ex) => [ex.label, ex.timings.totalMs])));
  for (const ex of timed) {
    expectWithin(
      ex,
      settings.requestTimeoutMs,
      `the ${ex.label.replace(/, timed$/, '')} must be answered within the device's push_request_timeout`,
    );
  }
});

conformance('controlid.timing.fast', async ({ device }) => {
  const latencies: number[] = [];
  // Once more than half are slow, the median is decided.
  for (let i = 1; i <= FAST_POLLS && latencies.filter((ms) => ms > FAST_MS).length <= FAST_POLLS / 2; i++) {
    latencies.push((await device.poll(`idle poll ${i}/${FAST_POLLS}, timed`)).exchange.timings.totalMs);
  }
  const padded = [...latencies, ...Array<number>(FAST_POLLS - latencies.length).fill(Infinity)];
  const median = percentile(padded, 50);
  recordMetrics({ polls: latencies.length, medianMs: median, maxMs: Math.max(...latencies) });
  if (median > FAST_MS) {
    fail(
      `idle polls take too long in practice: the median of ${FAST_POLLS} is over ${FAST_MS} ms`,
      `a median within ${FAST_MS} ms`,
      `${latencies.map((ms) => `${ms} ms`).join(', ')}`,
    );
  }
});
