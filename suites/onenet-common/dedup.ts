/**
 * Redelivery (the OneNET HTTP push document §4; the legacy SDKs: without a 200, “否则会重发”): the platform pushes a message
 * again when the ack failed.
 */
import { expectStatus, fail, notAssessed } from '../../src/core/case.ts';
import { describeTally } from '../../src/core/observer.ts';
import {
  type FamilyProfile,
  type FamilySender,
  idOf,
  type OneNetFamily,
  sentinelCalibration,
} from './family.ts';

/** How the profile's platform redelivers, in the words of the wire log and of a failure. */
export interface Redelivery {
  /** What stays the same in a redelivery: "same id". */
  same: string;
  /** What was processed again: "a redelivered message id". */
  redelivered: string;
}

/** Defines the redelivery cases of `family`'s profile. */
export function dedupCases<P extends FamilyProfile, Id extends string, S extends FamilySender>(
  family: OneNetFamily<P, Id, S>,
  redelivery: Redelivery,
): void {
  family.conformance(
    idOf(family, {
      onenet: 'onenet.dedup.redelivery-acked',
      'onenet-legacy': 'onenet-legacy.dedup.redelivery-acked',
    }),
    async ({ target, sender }) => {
      const push = family.push(sender);
      expectStatus(
        await target.post(push.json, 'first delivery'),
        200,
        'the first delivery must be acked with 200',
      );
      expectStatus(
        await target.post(push.json, `redelivery, ${redelivery.same}`),
        200,
        'a redelivery must be acked with 200 too',
      );
    },
  );

  family.conformance(
    idOf(family, {
      onenet: 'onenet.dedup.processed-once',
      'onenet-legacy': 'onenet-legacy.dedup.processed-once',
    }),
    async ({ target, sender, observe }) => {
      const push = family.push(sender);
      await target.post(push.json, 'first delivery');
      const first = await observe.settled(push.marker);
      if (first < 1) {
        notAssessed(
          `the first delivery (marker ${push.marker}) was never recorded, so a second recording cannot be looked for (${family.profile}.push.processed covers processing)`,
        );
      }
      await target.post(push.json, `redelivery, ${redelivery.same}`);
      const calibration = await sentinelCalibration(family, { target, sender, observe });
      const after = await calibration.tally(push.marker);
      if (after.times > 1) {
        fail(
          `${redelivery.redelivered} was processed again`,
          `processed once: as many records as one genuine push leaves (${after.perMessage})`,
          describeTally(after),
        );
      }
    },
  );
}
