/**
 * Bad input (the documents are silent: pushcheck's interpretation, never above SHOULD), and whether the
 * receiver still acks the next genuine push after each kind.
 */
import type { OneNetLegacyCaseId } from '../../specs/onenet-legacy/requirements.ts';
import type { LegacySender } from '../../src/protocols/onenet-legacy/sender.ts';
import { type BadInput, robustnessCases } from '../onenet-common/robustness.ts';
import { family } from './fixtures.ts';

/** The body of a genuine push as an object, whatever the mode. */
function bodyOf(sender: LegacySender): Record<string, unknown> {
  return { ...sender.push('datapoint').body };
}

const BAD_INPUTS: BadInput<OneNetLegacyCaseId, LegacySender>[] = [
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
    label: (s) =>
      s.encrypted
        ? 'a push whose enc_msg is an object and nonce a number'
        : 'a push whose msg is a string and nonce a number',
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

robustnessCases(family, BAD_INPUTS, (sender) => sender.push('datapoint'));
