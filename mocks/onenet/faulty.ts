/**
 * One-defect variants of the reference receiver, each named for its defect and for the case meant to catch
 * it. These are the mistakes customers make; the self-test shows the suite catches each one.
 */
import { createDecipheriv } from 'node:crypto';
import type { OneNetCaseId } from '../../specs/onenet/requirements.ts';
import { sign } from '../../src/protocols/onenet/codec.ts';
import { badInputFaults, verificationFaults } from '../onenet-common/faulty.ts';
import { formDecode } from '../onenet-common/verification.ts';
import { type Behaviour, reference } from './reference.ts';

export interface FaultyReceiver {
  /** What is wrong, as a customer's code would have it. */
  defect: string;
  /** The step that differs from the reference. */
  behaviour: Partial<Behaviour>;
  /** The cases meant to catch it. */
  caughtBy: readonly OneNetCaseId[];
  /** The defect shows only in secure mode. */
  secureOnly?: boolean;
  /** Why other cases fail too, where the defect is not confined to what `caughtBy` tests. */
  collateral?: string;
}

const verification = verificationFaults('onenet');
const badInput = badInputFaults('onenet', reference.badInput);

export const faulty = {
  'quoted-echo': {
    defect: 'returns msg as a JSON string, with quotes (a framework serializing the return value)',
    behaviour: { echo: (msg) => JSON.stringify(msg) },
    caughtBy: ['onenet.verify.echo-verbatim'],
  },
  'newline-echo': {
    defect: 'echoes msg followed by a newline',
    behaviour: { echo: (msg) => `${msg}\n` },
    caughtBy: ['onenet.verify.echo-verbatim'],
  },
  'plus-space': verification['plus-space'],
  'no-url-decode': verification['no-url-decode'],
  'doc-literal': {
    defect:
      'follows the document literally: URL-decodes the Base64 it computed (+ becomes a space), so only a raw signature matches',
    behaviour: {
      verifyQuery(token, query) {
        const q = formDecode(query);
        return (
          sign(token, q.get('nonce') ?? '', q.get('msg') ?? '').replaceAll('+', ' ') === q.get('signature')
        );
      },
    },
    caughtBy: ['onenet.verify.signature-percent-encoded'],
  },
  'echo-forged': verification['echo-forged'],
  'no-signature-check': {
    defect: 'processes pushes without checking their signature',
    behaviour: { verifyPush: () => true },
    caughtBy: ['onenet.sign.forged-not-processed', 'onenet.sign.tampered-not-processed'],
  },
  'forged-recorded-late': {
    defect:
      'checks signatures only to log forgeries to a slow audit store, then processes them anyway, from a queue: genuine pushes are recorded 250 ms after the ack, forged ones 700 ms after',
    behaviour: {
      verifyPush: () => true,
      recordDelayMs: (token, body) => (reference.verifyPush(token, body) ? 250 : 700),
    },
    // A fixed quarter-second settle after the sentinel misses the forgery; three times the sentinel's 250 ms does not.
    caughtBy: ['onenet.sign.forged-not-processed', 'onenet.sign.tampered-not-processed'],
  },
  'zero-iv': {
    defect: 'decrypts with a zero IV instead of the key bytes',
    behaviour: {
      decrypt(msg, key) {
        const d = createDecipheriv('aes-128-cbc', Buffer.from(key, 'utf8'), Buffer.alloc(16));
        return Buffer.concat([d.update(Buffer.from(msg, 'base64')), d.final()]).toString('utf8');
      },
    },
    caughtBy: ['onenet.secure.decrypted'],
    secureOnly: true,
    collateral: 'the garbled first block is not JSON, so every encrypted push is answered 400',
  },
  'slow-ack': {
    defect: 'acks pushes after 6 s, past the platform deadline',
    behaviour: { ackDelayMs: 6000 },
    caughtBy: ['onenet.ack.within-5s'],
    collateral: 'every push is acked late',
  },
  'no-dedup': {
    defect: 'processes a redelivered message id again',
    behaviour: { dedupe: false },
    caughtBy: ['onenet.dedup.processed-once'],
  },
  'redelivery-500': {
    defect: 'answers 500 to a message id it has already processed',
    behaviour: { redeliveryStatus: 500 },
    caughtBy: ['onenet.dedup.redelivery-acked'],
  },
  'crash-on-malformed': badInput['crash-on-malformed'],
  'unvalidated-500': badInput['unvalidated-500'],
  'oversize-500': {
    defect: 'answers a body over its size limit with 500 instead of 413',
    behaviour: { badInput: (kind) => (kind === 'too-large' ? 500 : reference.badInput(kind)) },
    caughtBy: ['onenet.robust.huge-body'],
  },
  'empty-500': badInput['empty-500'],
  'no-type-500': {
    defect: 'leaves a body without a JSON Content-Type unparsed, then fails with 500 on it',
    behaviour: { badInput: (kind) => (kind === 'no-content-type' ? 500 : reference.badInput(kind)) },
    caughtBy: ['onenet.robust.no-content-type'],
  },
  'ack-204': {
    defect: 'acks with 204 No Content, redeliveries too; the platform wants exactly 200',
    behaviour: { ackStatus: 204, redeliveryStatus: 204 },
    caughtBy: [
      'onenet.push.lifecycle-acked',
      'onenet.push.property-acked',
      'onenet.push.event-acked',
      'onenet.push.service-reply-acked',
      'onenet.push.scene-log-acked',
      'onenet.push.lbs-wifi-acked',
      'onenet.ack.within-5s',
      'onenet.retry.delivered',
    ],
    collateral: 'every ack is a 204, so every case that expects an ack fails',
  },
  'notify-only': {
    defect: 'knows only thing-model notify messages and answers 400 to the other types',
    behaviour: { handles: (payload) => payload.messageType === 'notify' },
    caughtBy: [
      'onenet.push.lifecycle-acked',
      'onenet.push.service-reply-acked',
      'onenet.push.scene-log-acked',
      'onenet.push.lbs-wifi-acked',
    ],
    collateral: 'the liveness probe of survives-bad-input is a lifeCycle push',
  },
  'form-decoded-post-signature': {
    defect:
      'form-decodes the signature of a push, so a + becomes a space; acks everything and drops what fails',
    behaviour: {
      verifyPush: (token, body) =>
        sign(token, body.nonce, body.msg) === new URLSearchParams(`s=${body.signature}`).get('s'),
      forgeryStatus: 200,
    },
    caughtBy: ['onenet.push.processed'],
    collateral: 'any other observed push whose signature draws a + is dropped too',
  },
  'retried-twice': {
    defect:
      'does not de-duplicate, and the ack of a first delivery fails after the database write (500): the platform retries, and the retry is processed again',
    behaviour: { failFirstAck: true, dedupe: false },
    caughtBy: ['onenet.retry.processed-once'],
    collateral: 'every first delivery is answered 500, so every case that expects a first ack fails',
  },
  'serial-slow': {
    defect: 'handles one push at a time, 400 ms each: a burst of 20 waits 8 s for the last ack',
    behaviour: { workMs: 400 },
    caughtBy: ['onenet.ack.burst'],
  },
} as const satisfies Record<string, FaultyReceiver>;

export type FaultyName = keyof typeof faulty;

/** The reference behaviour with the defect of `name`. */
export function faultyBehaviour(name: FaultyName): Behaviour {
  return { ...reference, ...faulty[name].behaviour };
}
