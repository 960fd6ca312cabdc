/**
 * One-defect variants of the reference receiver, each named for its defect and for the case meant to catch
 * it. These are the mistakes customers make; the self-test shows the suite catches each one.
 */
import { createDecipheriv } from 'node:crypto';
import type { OneNetCaseId } from '../../specs/onenet/requirements.ts';
import { sign } from '../../src/protocols/onenet/codec.ts';
import { type Behaviour, formDecode, reference } from './reference.ts';

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

/** Splits a raw query string on `&` and `=` without decoding anything. */
function rawSplit(query: string): Map<string, string> {
  return new Map(query.split('&').map((kv) => [kv.split('=')[0] ?? '', kv.slice(kv.indexOf('=') + 1)]));
}

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
  'plus-space': {
    defect: 'compares the form-decoded signature directly, so a raw + that became a space never matches',
    behaviour: {
      verifyQuery(token, query) {
        const q = formDecode(query);
        return sign(token, q.get('nonce') ?? '', q.get('msg') ?? '') === q.get('signature');
      },
    },
    caughtBy: ['onenet.verify.signature-raw'],
  },
  'no-url-decode': {
    defect: 'reads the query without URL decoding, so %2B, %2F and %3D never match',
    behaviour: {
      verifyQuery(token, query) {
        const q = rawSplit(query);
        return sign(token, q.get('nonce') ?? '', q.get('msg') ?? '') === q.get('signature');
      },
    },
    caughtBy: ['onenet.verify.signature-percent-encoded'],
    collateral:
      'every signature ends in == (%3D%3D when encoded), so every percent-encoded verification fails',
  },
  'echo-forged': {
    defect: 'echoes every verification without checking its signature',
    behaviour: { verifyQuery: () => true },
    caughtBy: ['onenet.verify.forged-not-echoed'],
  },
  'no-signature-check': {
    defect: 'processes pushes without checking their signature',
    behaviour: { verifyPush: () => true },
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
  'crash-on-malformed': {
    defect: 'dies on a body that is not JSON: every later request gets a closed connection',
    behaviour: { onMalformed: 'crash' },
    caughtBy: ['onenet.robust.bad-json', 'onenet.robust.survives-bad-input'],
    collateral: 'a dead receiver fails every case that runs after it died',
  },
} as const satisfies Record<string, FaultyReceiver>;

export type FaultyName = keyof typeof faulty;

/** The reference behaviour with the defect of `name`. */
export function faultyBehaviour(name: FaultyName): Behaviour {
  return { ...reference, ...faulty[name].behaviour };
}
