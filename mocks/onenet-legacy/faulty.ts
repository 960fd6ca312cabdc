/**
 * One-defect variants of the reference legacy receiver, each named for its defect and for the cases meant to
 * catch it: the mistakes made when porting a Studio receiver to the legacy platform, or an SDK to a new stack.
 */
import { createDecipheriv } from 'node:crypto';
import type { OneNetLegacyCaseId } from '../../specs/onenet-legacy/requirements.ts';
import {
  decryptRaw,
  deriveIv,
  deriveKey,
  LENGTH_BYTES,
  RANDOM_PREFIX_BYTES,
  sign,
} from '../../src/protocols/onenet-legacy/codec.ts';
import { badInputFaults, verificationFaults } from '../onenet-common/faulty.ts';
import { type Behaviour, reference } from './reference.ts';

export interface FaultyReceiver {
  /** What is wrong, as a customer's code would have it. */
  defect: string;
  /** The step that differs from the reference. */
  behaviour: Partial<Behaviour>;
  /** The cases meant to catch it. */
  caughtBy: readonly OneNetLegacyCaseId[];
  /** The defect shows only in encrypted mode. */
  secureOnly?: boolean;
  /** Why other cases fail too, where the defect is not confined to what `caughtBy` tests. */
  collateral?: string;
}

const verification = verificationFaults('onenet-legacy');
const badInput = badInputFaults('onenet-legacy', reference.badInput);

/** Acks every push and drops those whose signature fails: a receiver that never lets the platform retry. */
const DROP_SILENTLY = 200;

/** The msg of `encMsg` decrypted with a cipher, key and IV a defect chose: what follows the 20-byte prefix. */
function decryptWith(cipher: 'aes-128-cbc' | 'aes-256-cbc', key: Buffer, iv: Buffer, encMsg: string): string {
  const d = createDecipheriv(cipher, key, iv);
  const plain = Buffer.concat([d.update(Buffer.from(encMsg, 'base64')), d.final()]);
  return plain.subarray(RANDOM_PREFIX_BYTES + LENGTH_BYTES).toString('utf8');
}

export const faulty = {
  'quoted-echo': {
    defect: 'returns msg as a JSON string, with quotes (the Node.js demo warns of frameworks that do)',
    behaviour: { echo: (msg) => JSON.stringify(msg) },
    caughtBy: ['onenet-legacy.verify.echo-verbatim'],
  },
  'plus-space': verification['plus-space'],
  'no-url-decode': verification['no-url-decode'],
  'echo-forged': verification['echo-forged'],
  'pretty-json-signature': {
    defect:
      'computes msg_signature over the pretty-printed JSON of msg, so no genuine plain push verifies; acks everything and drops what fails',
    behaviour: {
      verifyPlain: (token, body) =>
        sign(token, body.nonce, JSON.stringify(body.msg, null, 2)) === body.msg_signature,
      forgeryStatus: DROP_SILENTLY,
    },
    caughtBy: ['onenet-legacy.push.processed', 'onenet-legacy.push.batch-processed'],
    collateral:
      'no plain push is ever processed, so the cases that need a genuine push recorded first are not assessed',
  },
  'escaped-slash-signature': {
    defect:
      "computes msg_signature over JSON with slashes escaped as \\/ (PHP's json_encode without JSON_UNESCAPED_SLASHES); acks everything and drops what fails",
    behaviour: {
      verifyPlain: (token, body) =>
        sign(token, body.nonce, JSON.stringify(body.msg).replaceAll('/', '\\/')) === body.msg_signature,
      forgeryStatus: DROP_SILENTLY,
    },
    caughtBy: ['onenet-legacy.push.processed'],
  },
  'object-only': {
    defect: 'expects msg to be one object and answers 400 to a batch (an array)',
    behaviour: { messagesOf: (msg) => (Array.isArray(msg) ? undefined : [msg]) },
    caughtBy: ['onenet-legacy.push.batch-acked', 'onenet-legacy.push.batch-processed'],
  },
  'first-of-batch': {
    defect: 'takes msg[0] of a batch and ignores the rest',
    behaviour: { messagesOf: (msg) => (Array.isArray(msg) ? msg.slice(0, 1) : [msg]) },
    caughtBy: ['onenet-legacy.push.batch-processed'],
  },
  'datapoint-only': {
    defect: 'knows only datapoints (type 1) and answers 400 to the other types',
    behaviour: { handles: (message) => message.type === 1 },
    caughtBy: [
      'onenet-legacy.push.status-acked',
      'onenet-legacy.push.cached-command-acked',
      'onenet-legacy.push.batch-acked',
    ],
    collateral:
      'a batch holds every type and the burst alternates datapoints with online/offline messages, so both are refused too',
  },
  'ack-204': {
    defect: 'acks with 204 No Content; the platform wants exactly 200',
    behaviour: { ackStatus: 204 },
    caughtBy: [
      'onenet-legacy.push.datapoint-acked',
      'onenet-legacy.push.status-acked',
      'onenet-legacy.push.cached-command-acked',
      'onenet-legacy.push.batch-acked',
      'onenet-legacy.ack.within-5s',
    ],
    collateral: 'every ack is a 204, so every case that expects an ack fails',
  },
  'slow-ack': {
    defect: 'acks pushes after 6 s, past the platform deadline',
    behaviour: { ackDelayMs: 6000 },
    caughtBy: ['onenet-legacy.ack.within-5s'],
    collateral: 'every push is acked late',
  },
  'serial-slow': {
    defect: 'handles one push at a time, 400 ms each: a burst of 20 waits 8 s for the last ack',
    behaviour: { workMs: 400 },
    caughtBy: ['onenet-legacy.ack.burst'],
  },
  'no-signature-check': {
    defect: 'processes pushes without checking msg_signature',
    behaviour: { verifyPlain: () => true, verifyEncrypted: () => true },
    caughtBy: ['onenet-legacy.sign.forged-not-processed', 'onenet-legacy.sign.tampered-not-processed'],
  },
  'prefix-not-stripped': {
    defect: 'decrypts enc_msg but parses the whole plaintext, random prefix and length included',
    behaviour: { decrypt: (encMsg, key) => decryptRaw(encMsg, key).toString('utf8') },
    caughtBy: ['onenet-legacy.secure.decrypted'],
    secureOnly: true,
    collateral: 'no encrypted push parses, so every encrypted push is answered 400',
  },
  'utf8-key': {
    defect:
      'uses the EncodingAESKey text itself as the key (its first 32 characters as bytes) instead of Base64-decoding it',
    behaviour: {
      decrypt(encMsg, encodingAesKey) {
        const key = Buffer.from(encodingAesKey.slice(0, 32), 'utf8');
        return decryptWith('aes-256-cbc', key, key.subarray(0, 16), encMsg);
      },
    },
    caughtBy: ['onenet-legacy.secure.decrypted'],
    secureOnly: true,
    collateral: 'no encrypted push decrypts, so every encrypted push is answered 400',
  },
  'aes-128': {
    defect: 'decrypts with AES-128-CBC and the first 16 key bytes, as OneNET Studio does',
    behaviour: {
      decrypt(encMsg, encodingAesKey) {
        const key = deriveKey(encodingAesKey).subarray(0, 16);
        return decryptWith('aes-128-cbc', key, deriveIv(key), encMsg);
      },
    },
    caughtBy: ['onenet-legacy.secure.decrypted'],
    secureOnly: true,
    collateral: 'no encrypted push decrypts, so every encrypted push is answered 400',
  },
  'no-dedup': {
    defect: 'processes a redelivered push again',
    behaviour: { dedupe: false },
    caughtBy: ['onenet-legacy.dedup.processed-once'],
  },
  'redelivery-500': {
    defect: 'answers 500 to a push it has already processed',
    behaviour: { redeliveryStatus: 500 },
    caughtBy: ['onenet-legacy.dedup.redelivery-acked'],
  },
  'crash-on-malformed': badInput['crash-on-malformed'],
  'unvalidated-500': badInput['unvalidated-500'],
  'empty-500': badInput['empty-500'],
} as const satisfies Record<string, FaultyReceiver>;

export type FaultyName = keyof typeof faulty;

/** The reference behaviour with the defect of `name`. */
export function faultyBehaviour(name: FaultyName): Behaviour {
  return { ...reference, ...faulty[name].behaviour };
}
