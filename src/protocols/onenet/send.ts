/**
 * The OneNET Studio platform as a sender (`pushcheck send onenet`): pushes realistic messages to a receiver
 * with the platform's real retry policy, each retry the same message with the same id. Each step of building
 * and retrying is a field of {@link SenderBehaviour}, so that the faulty senders the grader is tested with
 * (mocks/onenet/faulty-senders.ts) are this sender with one step replaced.
 */
import { type Delivery, deliver, type RetryPolicy } from '../../core/retry.ts';
import { createRng, type Rng } from '../../core/rng.ts';
import { send } from '../../core/http.ts';
import { AES_KEY_LENGTH, encrypt, NONCE_LENGTH, sign } from './codec.ts';
import { buildMsg, MSG_KINDS, type MsgKind } from './messages.ts';
import { ONENET_RETRY } from './retry.ts';
import type { Push } from './sender.ts';

/** The steps of sending; a faulty sender replaces one. */
export interface SenderBehaviour {
  sign(token: string, nonce: string, msg: string): string;
  nonceLength: number;
  /** The `time` field for a push built at `nowMs`. */
  time(nowMs: number): number;
  /** Secure mode: the IV for `key`. */
  iv(key: string): Buffer;
  /** Whether a retry gets a new id (and nonce). */
  freshIdPerRetry: boolean;
  /** The retry schedule it follows. */
  policy: RetryPolicy;
  /** Whether two messages may share an id. */
  reuseIds: boolean;
}

export const referenceSender: SenderBehaviour = {
  sign,
  nonceLength: NONCE_LENGTH,
  time: (now) => now,
  iv: (key) => Buffer.from(key, 'utf8'),
  freshIdPerRetry: false,
  policy: ONENET_RETRY,
  reuseIds: false,
};

export interface SendOptions {
  target: string;
  token: string;
  aesKey?: string | undefined;
  /** Messages to send (default 1). */
  count: number;
  /** New messages per second (default 1); their deliveries overlap. */
  rate: number;
  /** Compresses the retry schedule: 0.001 runs its 2 h 45 min in about 10 s. */
  timeScale: number;
  /** The ack deadline of each attempt (the platform's 5 s; not scaled). */
  deadlineMs: number;
  seed: number;
  behaviour?: SenderBehaviour;
  /** One line per attempt and per delivery. */
  log?: (line: string) => void;
}

export interface SentMessage {
  id: string;
  kind: MsgKind;
  delivery: Delivery;
}

/** One message's content, fixed for all its attempts: the msg (encrypted in secure mode) and its time. */
function content(opts: SendOptions, b: SenderBehaviour, rng: Rng, kind: MsgKind): Pick<Push, 'msg' | 'time'> {
  const now = Date.now();
  const plaintext = JSON.stringify(buildMsg(kind, `pcsend${rng.string(10, '0123456789')}`, rng, now));
  const msg = opts.aesKey === undefined ? plaintext : encrypt(plaintext, opts.aesKey, b.iv(opts.aesKey));
  return { msg, time: b.time(now) };
}

/** Sends `count` messages at `rate` per second, each retried on the schedule until acked; resolves when all end. */
export async function sendMessages(opts: SendOptions): Promise<SentMessage[]> {
  const b = opts.behaviour ?? referenceSender;
  if (opts.aesKey !== undefined && Buffer.byteLength(opts.aesKey) !== AES_KEY_LENGTH) {
    throw new Error(`the AES key must be ${AES_KEY_LENGTH} bytes`);
  }
  const rng = createRng(opts.seed, 'pushcheck send onenet');
  const prefix = rng.string(6, '0123456789');
  let next = 0;
  const newId = () => (b.reuseIds ? `${prefix}0` : `${prefix}${next++}`);
  const log = opts.log ?? (() => undefined);
  const one = async (i: number): Promise<SentMessage> => {
    const kind = MSG_KINDS[i % MSG_KINDS.length] as MsgKind;
    const firstId = newId();
    const { msg, time } = content(opts, b, rng, kind);
    const delivery = await deliver(
      async (n) => {
        const nonce = rng.string(b.nonceLength);
        const id = n > 1 && b.freshIdPerRetry ? newId() : firstId;
        const body: Push = { msg, nonce, signature: b.sign(opts.token, nonce, msg), time, id };
        const ex = await send({
          method: 'POST',
          url: opts.target,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          deadlineMs: opts.deadlineMs,
          label: `push ${id} attempt ${n}`,
        });
        const status = ex.response?.status;
        const ok = ex.error === undefined && status === 200;
        const summary =
          ex.error !== undefined
            ? `${ex.error} after ${ex.timings.totalMs} ms`
            : `HTTP ${status} in ${ex.timings.totalMs} ms`;
        return { ok, summary };
      },
      b.policy,
      opts.timeScale,
      (a) => log(`  message ${firstId} (${kind}) attempt ${a.n} at +${a.atMs} ms: ${a.summary}`),
    );
    const n = delivery.attempts.length;
    log(
      delivery.delivered
        ? `message ${firstId} (${kind}): delivered at attempt ${n}`
        : `message ${firstId} (${kind}): DROPPED after ${n} attempts: the platform gives up here`,
    );
    return { id: firstId, kind, delivery };
  };
  const started = performance.now();
  const runs: Promise<SentMessage>[] = [];
  for (let i = 0; i < opts.count; i++) {
    const wait = started + (i * 1000) / opts.rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    runs.push(one(i));
  }
  return Promise.all(runs);
}
