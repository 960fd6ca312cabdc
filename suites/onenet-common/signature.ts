/**
 * Pushes that fail the signature check (onenet.sign.forged-not-processed and its legacy twin; the legacy SDKs
 * for the legacy msg_signature): forged with another token, or altered after signing.
 */
import { fail } from '../../src/core/case.ts';
import { describeTally } from '../../src/core/observer.ts';
import {
  type FamilyProfile,
  type FamilySender,
  idOf,
  type OneNetFamily,
  sentinelCalibration,
} from './family.ts';

/** Defines the signature cases of `family`'s profile. */
export function signatureCases<P extends FamilyProfile, Id extends string, S extends FamilySender>(
  family: OneNetFamily<P, Id, S>,
): void {
  family.conformance(
    idOf(family, {
      onenet: 'onenet.sign.forged-not-processed',
      'onenet-legacy': 'onenet-legacy.sign.forged-not-processed',
    }),
    async ({ target, sender, observe }) => {
      const forged = family.push(sender, { token: `${sender.marker()}-not-the-token` });
      await target.post(forged.json, 'push signed with another token');
      const calibration = await sentinelCalibration(family, { target, sender, observe });
      const counted = await calibration.tally(forged.marker);
      if (counted.seen > 0) {
        fail(
          'a push signed with another token was processed',
          'the forged marker never recorded',
          describeTally(counted),
        );
      }
    },
  );

  family.conformance(
    idOf(family, {
      onenet: 'onenet.sign.tampered-not-processed',
      'onenet-legacy': 'onenet-legacy.sign.tampered-not-processed',
    }),
    async ({ target, sender, observe }) => {
      const tampered = family.tampered(sender);
      await target.post(tampered.json, 'push whose msg was replaced after signing');
      const calibration = await sentinelCalibration(family, { target, sender, observe });
      const counted = await calibration.tally(tampered.marker);
      if (counted.seen > 0) {
        fail(
          'a push whose msg does not match its signature was processed',
          'the tampered marker never recorded',
          describeTally(counted),
        );
      }
    },
  );
}
