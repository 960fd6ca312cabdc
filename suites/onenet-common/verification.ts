/**
 * The verification GET (the OneNET HTTP push document §2 实例验证; the legacy SDKs: the legacy platform's is identical): the
 * receiver proves it holds the token by echoing msg.
 */
import { describeResponse, expectBody, expectStatus, fail } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import { type FamilyProfile, type FamilySender, idOf, modal, type OneNetFamily } from './family.ts';

/**
 * Whether the receiver accepted the verification: HTTP 200 with msg in the body. How exactly it echoed is
 * the echo-verbatim case's business, so that each defect fails the one case about it.
 */
function accepted(res: Exchange, msg: string): boolean {
  return res.error === undefined && res.response?.status === 200 && res.response.raw.includes(msg);
}

function expectAccepted(res: Exchange, msg: string, why: string): void {
  if (!accepted(res, msg)) fail(why, `HTTP 200 echoing msg ${JSON.stringify(msg)}`, describeResponse(res));
}

/** Defines the verification cases of `family`'s profile. */
export function verificationCases<P extends FamilyProfile, Id extends string, S extends FamilySender>(
  family: OneNetFamily<P, Id, S>,
): void {
  family.conformance(
    idOf(family, {
      onenet: 'onenet.verify.echo-verbatim',
      'onenet-legacy': 'onenet-legacy.verify.echo-verbatim',
    }),
    async ({ target, sender }) => {
      // A signature without + or / travels the same raw or encoded (but for its ==): only the echo is tested.
      const probe = sender.verification({ signatureLacks: '+/' });
      const res = await target.get(probe.query('raw'), 'genuine verification');
      expectStatus(res, 200, 'a genuine verification must be answered with 200');
      expectBody(res, probe.msg, 'the body must be msg byte for byte: no quotes, no newline, no other bytes');
    },
  );

  const percent = idOf(family, {
    onenet: 'onenet.verify.signature-percent-encoded',
    'onenet-legacy': 'onenet-legacy.verify.signature-percent-encoded',
  });
  family.conformance(percent, async ({ target, sender }) => {
    const probe = sender.verification({ signatureHas: '+/' });
    const res = await target.get(
      probe.query('percent'),
      `verification, signature ${probe.signature} as %2B %2F %3D`,
    );
    expectAccepted(
      res,
      probe.msg,
      `a genuine signature with +, / and = percent-encoded ${modal(family, percent)} be accepted`,
    );
  });

  family.conformance(
    idOf(family, {
      onenet: 'onenet.verify.signature-raw',
      'onenet-legacy': 'onenet-legacy.verify.signature-raw',
    }),
    async ({ target, sender }) => {
      const probe = sender.verification({ signatureHas: '+/' });
      const res = await target.get(
        probe.query('raw'),
        `verification, signature ${probe.signature} unencoded`,
      );
      expectAccepted(res, probe.msg, 'a genuine signature whose raw + arrives as a space must be accepted');
    },
  );

  family.conformance(
    idOf(family, {
      onenet: 'onenet.verify.forged-not-echoed',
      'onenet-legacy': 'onenet-legacy.verify.forged-not-echoed',
    }),
    async ({ target, sender }) => {
      const forged = sender.verification({ token: `${sender.marker()}-not-the-token`, signatureLacks: '+/' });
      const res = await target.get(forged.query('raw'), 'verification signed with another token');
      if (accepted(res, forged.msg)) {
        fail(
          'a verification whose signature does not match the token was accepted',
          'any answer but HTTP 200 echoing msg (403 is usual)',
          describeResponse(res),
        );
      }
    },
  );
}
