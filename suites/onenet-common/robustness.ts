/**
 * Bad input (the documents are silent: pushcheck's interpretation, never above SHOULD): each kind gets a
 * complete answer below 500, and the receiver still acks the next genuine push after each kind.
 */
import { describeResponse, expectNoServerError, fail } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import type { Target } from '../fixtures.ts';
import { type FamilyProfile, type FamilySender, idOf, type OneNetFamily } from './family.ts';

/** Whether a genuine push got the ack: a complete HTTP 200. */
function acked(res: Exchange): boolean {
  return res.error === undefined && res.response?.status === 200;
}

/** One kind of bad input: its case, its name in sentences (which may depend on the run's mode), and how to send it. */
export interface BadInput<Id extends string, S> {
  id: Id;
  label: string | ((sender: S) => string);
  send(target: Target, sender: S): Promise<Exchange>;
}

function labelOf<S>(input: BadInput<string, S>, sender: S): string {
  return typeof input.label === 'string' ? input.label : input.label(sender);
}

/**
 * Defines a case per bad input of the profile, and the case that the receiver survives them all: after each,
 * `genuine` (a push the profile's receivers must ack) must still be acked.
 */
export function robustnessCases<P extends FamilyProfile, Id extends string, S extends FamilySender>(
  family: OneNetFamily<P, NoInfer<Id>, S>,
  badInputs: readonly BadInput<Id, S>[],
  genuine: (sender: S) => { json: string },
): void {
  for (const input of badInputs) {
    family.conformance(input.id, async ({ target, sender }) => {
      expectNoServerError(
        await input.send(target, sender),
        `${labelOf(input, sender)} must get a complete answer below 500, not a 5xx or a broken connection`,
      );
    });
  }

  family.conformance(
    idOf(family, {
      onenet: 'onenet.robust.survives-bad-input',
      'onenet-legacy': 'onenet-legacy.robust.survives-bad-input',
    }),
    async ({ target, sender }) => {
      // Not judged: it tells "bad input broke the receiver" from "the receiver acks no genuine push at all".
      const before = await target.post(genuine(sender).json, 'genuine push before any bad input');
      for (const input of badInputs) {
        const label = labelOf(input, sender);
        await input.send(target, sender);
        const res = await target.post(genuine(sender).json, `genuine push after ${label}`);
        // A receiver that stopped acking stays stopped: the first failure is the finding.
        if (!acked(res)) {
          fail(
            acked(before)
              ? `the receiver stopped acking genuine pushes after ${label}`
              : `the receiver acked no genuine push, neither one sent before any bad input nor the one after ${label}: its acks fail whatever the input (see the cases that ack a push)`,
            'every genuine push that follows bad input acked with HTTP 200',
            acked(before)
              ? describeResponse(res)
              : `${describeResponse(res)}; before any bad input: ${describeResponse(before)}`,
          );
        }
      }
    },
  );
}
