/**
 * Ack timing (onenet.seed.md §4 重推策略; FACTS.md §1b): HTTP 200 within 5 s, measured to the last byte and
 * cut at 5 s.
 */
import { expectStatus, expectWithin, fail, percentile, recordMetrics } from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { type FamilySender, idOf, type OneNetFamily } from './family.ts';

/** What the burst sends: how many pushes (the run's `--burst`), and push `i` of them. */
export interface Burst<S> {
  size(run: RunConfig): number;
  push(sender: S, i: number): { json: string };
}

/** Defines the ack-timing cases of `family`'s profile. */
export function ackCases<P extends string, Id extends string, S extends FamilySender>(
  family: OneNetFamily<P, Id, S>,
  burst: Burst<S>,
): void {
  family.conformance(idOf(family, 'ack.within-5s'), async ({ target, sender, run }) => {
    const res = await target.post(family.push(sender).json, 'genuine push, timed');
    recordMetrics({ ackMs: res.timings.totalMs });
    expectWithin(res, run.deadlineMs, `the ack must be complete within ${run.deadlineMs} ms`);
    expectStatus(res, 200, 'the ack must be HTTP 200');
  });

  family.conformance(idOf(family, 'ack.burst'), async ({ target, sender, run }) => {
    const n = burst.size(run);
    const pushes = Array.from({ length: n }, (_, i) => burst.push(sender, i));
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
  });
}
