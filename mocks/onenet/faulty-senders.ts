/**
 * One-defect variants of the OneNET platform emulator, each named for its defect and for the grader case meant
 * to catch it: the mistakes people make when they write a sender (a gateway, a replay tool, an emulator).
 */
import type { OneNetSenderCaseId } from '../../specs/onenet/sender-requirements.ts';
import { sign } from '../../src/protocols/onenet/codec.ts';
import { referenceSender, type SenderBehaviour } from '../../src/protocols/onenet/send.ts';
import { ONENET_RETRY } from '../../src/protocols/onenet/retry.ts';

export interface FaultySender {
  defect: string;
  behaviour: Partial<SenderBehaviour>;
  caughtBy: readonly OneNetSenderCaseId[];
  /** The defect shows only in secure mode. */
  secureOnly?: boolean;
  /** It shows only when every attempt fails, so the whole schedule runs. */
  needsFullSchedule?: boolean;
}

export const faultySenders = {
  'sign-order': {
    defect: 'signs nonce ‖ token ‖ msg instead of token ‖ nonce ‖ msg',
    behaviour: { sign: (token, nonce, msg) => sign(nonce, token, msg) },
    caughtBy: ['onenet-sender.sign.valid'],
  },
  'url-encoded-signature': {
    defect: 'percent-encodes the signature inside the JSON body, as if it were a query parameter',
    behaviour: { sign: (token, nonce, msg) => encodeURIComponent(sign(token, nonce, msg)) },
    caughtBy: ['onenet-sender.body.schema', 'onenet-sender.sign.valid'],
  },
  'short-nonce': {
    defect: 'sends a 6-character nonce, of which receivers following the official sample read 8 bytes',
    behaviour: { nonceLength: 6 },
    caughtBy: ['onenet-sender.body.schema'],
  },
  'time-seconds': {
    defect: 'sends time in seconds',
    behaviour: { time: (now) => Math.floor(now / 1000) },
    caughtBy: ['onenet-sender.body.time-ms'],
  },
  'reused-id': {
    defect: 'gives every message the same id',
    behaviour: { reuseIds: true },
    caughtBy: ['onenet-sender.id.unique'],
  },
  'zero-iv': {
    defect: 'encrypts with a zero IV instead of the key',
    behaviour: { iv: () => Buffer.alloc(16) },
    caughtBy: ['onenet-sender.secure.decryptable'],
    secureOnly: true,
  },
  'no-retries': {
    defect: 'never retries a failed push',
    behaviour: { policy: { intervalsMs: [] } },
    caughtBy: ['onenet-sender.retry.retried'],
  },
  'fresh-id-per-retry': {
    defect: 'gives each retry a new message id',
    behaviour: { freshIdPerRetry: true },
    caughtBy: ['onenet-sender.retry.same-id'],
  },
  'fixed-interval': {
    defect: 'retries every 5 s instead of backing off',
    behaviour: { policy: { intervalsMs: ONENET_RETRY.intervalsMs.map(() => 5000) } },
    caughtBy: ['onenet-sender.retry.schedule'],
  },
  'extra-retry': {
    defect: 'retries a 17th time, an hour after the 16th',
    behaviour: { policy: { intervalsMs: [...ONENET_RETRY.intervalsMs, 3_600_000] } },
    caughtBy: ['onenet-sender.retry.attempts'],
    needsFullSchedule: true,
  },
} as const satisfies Record<string, FaultySender>;

export type FaultySenderName = keyof typeof faultySenders;

/** The reference sender with the named defect. */
export function faultySenderBehaviour(name: FaultySenderName): SenderBehaviour {
  return { ...referenceSender, ...faultySenders[name].behaviour };
}
