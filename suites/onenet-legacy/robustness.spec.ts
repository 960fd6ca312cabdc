/**
 * Bad input (the documents are silent: pushcheck's interpretation, never above SHOULD), and whether the
 * receiver still acks the next genuine push after each kind.
 */
import type { OneNetLegacyCaseId } from '../../specs/onenet-legacy/requirements.ts';
import { describeResponse, expectNoServerError, fail } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import type { LegacySender } from '../../src/protocols/onenet-legacy/sender.ts';
import type { Target } from '../fixtures.ts';
import { conformance, test } from './fixtures.ts';

interface BadInput {
  id: OneNetLegacyCaseId;
  label: string;
  send(target: Target, sender: LegacySender): Promise<Exchange>;
}

/** The body of a genuine push as an object, whatever the mode. */
function bodyOf(sender: LegacySender): Record<string, unknown> {
  return { ...sender.push('datapoint').body };
}

const BAD_INPUTS: BadInput[] = [
  {
    id: 'onenet-legacy.robust.bad-json',
    label: 'a body that is not JSON',
    send: (t, s) => t.post(s.push('datapoint').json.slice(0, 40), 'truncated JSON body'),
  },
  {
    id: 'onenet-legacy.robust.missing-fields',
    label: 'a push without msg_signature and nonce',
    send: (t, s) => {
      const rest = Object.entries(bodyOf(s)).filter(([k]) => k !== 'msg_signature' && k !== 'nonce');
      return t.post(JSON.stringify(Object.fromEntries(rest)), 'push without msg_signature and nonce');
    },
  },
  {
    id: 'onenet-legacy.robust.wrong-types',
    label: 'a push whose msg is a string and nonce a number',
    send: (t, s) => {
      const p = s.push('datapoint');
      // Plain: msg as JSON text, as OneNET Studio sends it; encrypted: enc_msg wrapped in an object.
      const body: Record<string, unknown> = { ...p.body };
      const wrong =
        'enc_msg' in body ? { ...body, enc_msg: { enc_msg: body.enc_msg } } : { ...body, msg: p.msgText };
      return t.post(
        JSON.stringify({ ...wrong, nonce: 12345678 }),
        'push with msg mistyped and a numeric nonce',
      );
    },
  },
  {
    id: 'onenet-legacy.robust.empty-body',
    label: 'an empty POST',
    send: (t) => t.post('', 'empty POST'),
  },
];

for (const input of BAD_INPUTS) {
  test(
    ...conformance(input.id, async ({ target, sender }) => {
      expectNoServerError(
        await input.send(target, sender),
        `${input.label} must get a complete answer below 500, not a 5xx or a broken connection`,
      );
    }),
  );
}

test(
  ...conformance('onenet-legacy.robust.survives-bad-input', async ({ target, sender }) => {
    for (const input of BAD_INPUTS) {
      await input.send(target, sender);
      const res = await target.post(sender.push('datapoint').json, `genuine push after ${input.label}`);
      // A receiver that stopped acking stays stopped: the first failure is the finding.
      if (res.error !== undefined || res.response?.status !== 200) {
        fail(
          `the receiver stopped acking genuine pushes after ${input.label}`,
          'every genuine push that follows bad input acked with HTTP 200',
          describeResponse(res),
        );
      }
    }
  }),
);
