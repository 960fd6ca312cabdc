/**
 * Pushes that fail the signature check (onenet.sign.forged-not-processed and its legacy twin; the legacy SDKs
 * for the legacy msg_signature): forged with another token, or altered after signing.
 */
import { fail } from '../../src/core/case.ts';
import {
  countAfterSentinel,
  type FamilyProfile,
  type FamilySender,
  idOf,
  type OneNetFamily,
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
      const seen = await countAfterSentinel(family, { target, sender, observe }, forged.marker);
      if (seen > 0) {
        fail(
          'a push signed with another token was processed',
          'the forged marker never recorded',
          `recorded ${seen} time(s)`,
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
      const seen = await countAfterSentinel(family, { target, sender, observe }, tampered.marker);
      if (seen > 0) {
        fail(
          'a push whose msg does not match its signature was processed',
          'the tampered marker never recorded',
          `recorded ${seen} time(s)`,
        );
      }
    },
  );
}
