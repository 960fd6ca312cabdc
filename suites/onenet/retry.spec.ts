/**
 * Retries (the OneNET HTTP push document §4 重推策略): pushcheck delivers a push as the platform does, retrying it on the
 * documented schedule (compressed by --retry-time-scale) until it is acked with 200, each attempt cut at 5 s.
 */
import { describeResponse, fail, notAssessed, recordMetrics } from '../../src/core/case.ts';
import { describeTally } from '../../src/core/observer.ts';
import { type Delivery, deliver } from '../../src/core/retry.ts';
import { ONENET_MAX_ATTEMPTS, ONENET_RETRY } from '../../src/protocols/onenet/retry.ts';
import type { PushProbe } from '../../src/protocols/onenet/sender.ts';
import type { Target } from '../fixtures.ts';
import { conformance, settings, test } from './fixtures.ts';

/** Delivers `push` with the platform's retries; records the attempts. */
async function deliverWithRetries(target: Target, push: PushProbe, scale: number): Promise<Delivery> {
  // Every attempt may take the whole deadline: the case gets that, the compressed intervals and a margin.
  const worstMs = ONENET_MAX_ATTEMPTS * 5000 + 3_600_000 * 2.75 * scale + 10_000;
  test.setTimeout(Math.max(test.info().timeout, worstMs));
  const delivery = await deliver(
    async (n) => {
      const ex = await target.post(push.json, `attempt ${n}, id ${push.body.id}`);
      return { ok: ex.error === undefined && ex.response?.status === 200, summary: describeResponse(ex) };
    },
    ONENET_RETRY,
    scale,
  );
  return delivery;
}

conformance('onenet.retry.delivered', async ({ target, sender, run }) => {
  const d = await deliverWithRetries(target, sender.push('property'), settings(run).retryScale);
  recordMetrics({ attempts: d.attempts.length, retryTimeScale: settings(run).retryScale });
  if (!d.delivered) {
    fail(
      `no attempt was acked with 200: the platform drops the message after ${ONENET_MAX_ATTEMPTS} attempts`,
      `HTTP 200 within 5 s at one of the ${ONENET_MAX_ATTEMPTS} attempts`,
      `${d.attempts.length} attempts; the last: ${d.attempts.at(-1)?.summary ?? 'none'}`,
    );
  }
});

conformance('onenet.retry.processed-once', async ({ target, sender, observe, run }) => {
  const scale = settings(run).retryScale;
  const push = sender.push('property');
  const d = await deliverWithRetries(target, push, scale);
  recordMetrics({ attempts: d.attempts.length, retryTimeScale: scale });
  if (!d.delivered) notAssessed('the push was never acked (onenet.retry.delivered covers that)');
  // The sentinel is one attempt, whatever its answer: what one processing leaves. Retried, it would be
  // processed as often as the push by a receiver that processes retries again, and hide the defect.
  const sentinel = sender.push('property');
  const answer = await target.post(sentinel.json, 'genuine push, one attempt (sentinel)');
  const calibration = await observe.calibrate(sentinel.marker, describeResponse(answer));
  const counted = await calibration.tally(push.marker);
  if (counted.seen === 0) {
    notAssessed(
      `the push (marker ${push.marker}) was acked but never recorded (onenet.push.processed covers processing)`,
    );
  }
  if (counted.times > 1) {
    fail(
      `a push acked at attempt ${d.attempts.length} was processed ${counted.times} times`,
      'processed once (as many records as one genuine push leaves), whatever the number of attempts',
      `${describeTally(counted)}, over ${d.attempts.length} attempts (${d.attempts.map((a) => a.summary).join('; ')})`,
    );
  }
});
