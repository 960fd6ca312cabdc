/**
 * Ack timing (the OneNET HTTP push document §4 重推策略; the legacy SDKs): HTTP 200 within 5 s, measured to the last byte and
 * cut at 5 s.
 */
import { expectBurstOnTime, measureBurst } from '../../src/core/burst.ts';
import { expectStatus, expectWithin, recordMetrics } from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { type FamilyProfile, type FamilySender, idOf, type OneNetFamily } from './family.ts';

/** What the burst sends: how many pushes (the run's `--burst`), and push `i` of them. */
export interface Burst<S> {
  size(run: RunConfig): number;
  push(sender: S, i: number): { json: string };
}

/** Defines the ack-timing cases of `family`'s profile. */
export function ackCases<P extends FamilyProfile, Id extends string, S extends FamilySender>(
  family: OneNetFamily<P, Id, S>,
  burst: Burst<S>,
): void {
  family.conformance(
    idOf(family, { onenet: 'onenet.ack.within-5s', 'onenet-legacy': 'onenet-legacy.ack.within-5s' }),
    async ({ target, sender, run }) => {
      const res = await target.post(family.push(sender).json, 'genuine push, timed');
      recordMetrics({ ackMs: res.timings.totalMs });
      expectWithin(res, run.deadlineMs, `the ack must be complete within ${run.deadlineMs} ms`);
      expectStatus(res, 200, 'the ack must be HTTP 200');
    },
  );

  family.conformance(
    idOf(family, { onenet: 'onenet.ack.burst', 'onenet-legacy': 'onenet-legacy.ack.burst' }),
    async ({ target, sender, run }) => {
      const b = await measureBurst(burst.size(run), run.deadlineMs, (i, label) =>
        target.post(burst.push(sender, i).json, label),
      );
      recordMetrics(b.metrics);
      expectBurstOnTime(
        b,
        run.deadlineMs,
        'acked',
        (r) => `${r.error ?? `HTTP ${r.response?.status}`} after ${r.timings.totalMs} ms`,
      );
    },
  );
}
