/** Ack timing (FACTS.md §1b): HTTP 200 within 5 s, measured to the last byte and cut at 5 s. */
import { expectStatus, expectWithin, fail, percentile, recordMetrics } from '../../src/core/case.ts';
import { conformance, settings, test } from './fixtures.ts';

test(
  ...conformance('onenet-legacy.ack.within-5s', async ({ target, sender, run }) => {
    const res = await target.post(sender.push('datapoint').json, 'genuine push, timed');
    recordMetrics({ ackMs: res.timings.totalMs });
    expectWithin(res, run.deadlineMs, `the ack must be complete within ${run.deadlineMs} ms`);
    expectStatus(res, 200, 'the ack must be HTTP 200');
  }),
);

test(
  ...conformance('onenet-legacy.ack.burst', async ({ target, sender, run }) => {
    const n = settings(run).burst;
    const pushes = Array.from({ length: n }, (_, i) => sender.push(i % 2 ? 'datapoint' : 'status'));
    const results = await Promise.all(pushes.map((p, i) => target.post(p.json, `burst push ${i + 1}/${n}`)));
    const latencies = results.map((r) => r.timings.totalMs);
    recordMetrics({
      pushes: n,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
    });
    const late = results.filter(
      (r) => r.error !== undefined || r.response?.status !== 200 || r.timings.totalMs > run.deadlineMs,
    );
    if (late.length > 0) {
      fail(
        `${late.length} of ${n} concurrent pushes were not acked with 200 within ${run.deadlineMs} ms`,
        `all ${n} acked with HTTP 200 within ${run.deadlineMs} ms`,
        late
          .slice(0, 3)
          .map((r) => `${r.label}: ${r.error ?? `HTTP ${r.response?.status}`} after ${r.timings.totalMs} ms`)
          .join('; '),
      );
    }
  }),
);
