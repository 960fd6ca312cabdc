/**
 * The reference legacy OneNET receiver as msw handlers: what a correct application server does (the legacy SDKs).
 * Each step is a field of {@link Behaviour}, so that the faulty receivers (faulty.ts) are this receiver with
 * one step replaced. The verification GET is Studio's: mocks/onenet-common/verification.ts answers it.
 */
import { appendFileSync } from 'node:fs';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { BadInputAnswers } from '../bad-input.ts';
import type { components } from '../../specs/onenet-legacy/generated/types.ts';
import { decryptMsg, verifyMsgSignature, verifySignature } from '../../src/protocols/onenet-legacy/codec.ts';
import {
  referenceVerification,
  type VerificationBehaviour,
  verificationHandler,
} from '../onenet-common/verification.ts';

type PlainPush = components['schemas']['Push'];
type EncryptedPush = components['schemas']['EncryptedPush'];
export type AnyPush = PlainPush | EncryptedPush;

export interface ReceiverOptions {
  token: string;
  /** Encrypted mode when set: the 43-character EncodingAESKey. */
  encodingAesKey?: string | undefined;
  /** Where processed messages are recorded, one JSON line per message. */
  observeFile?: string | undefined;
  /** The path the receiver answers on. */
  path?: string;
}

/** The kinds of bad input a receiver meets. */
export type BadInput = 'not-json' | 'not-a-push' | 'too-large' | 'empty';

/** The largest push body the reference accepts. */
export const MAX_PUSH_BYTES = 1024 * 1024;

/** The steps of receiving (the verification GET's, Studio's, among them); a faulty receiver replaces one. */
export interface Behaviour extends VerificationBehaviour {
  /** Whether a plain push's msg_signature is genuine: over the compact JSON of msg. */
  verifyPlain(token: string, body: PlainPush): boolean;
  /** Whether an encrypted push's msg_signature is genuine: over enc_msg as sent. */
  verifyEncrypted(token: string, body: EncryptedPush): boolean;
  /** The status for a push whose signature is not genuine (it is never processed). */
  forgeryStatus: number;
  /** Encrypted mode: the msg text enc_msg carries. */
  decrypt(encMsg: string, encodingAesKey: string): string;
  /** The messages of a msg, which is one message or a batch; undefined when the receiver cannot take it. */
  messagesOf(msg: unknown): unknown[] | undefined;
  /** Whether the receiver handles a message (a narrow receiver knows only some types). */
  handles(message: { type?: unknown }): boolean;
  /** The status of an ack. */
  ackStatus: number;
  /** Milliseconds before answering any push. */
  ackDelayMs: number;
  /** Milliseconds of work per push, one push at a time (a single-threaded receiver). */
  workMs: number;
  /** Whether a push already processed (the same body again) is skipped. */
  dedupe: boolean;
  /** The answer to a redelivered push. */
  redeliveryStatus: number;
  /** The answer to bad input: a status, or `crash` (later requests get a closed connection). */
  badInput(kind: BadInput): number | 'crash';
}

const BAD_INPUT_STATUS: Record<BadInput, number> = {
  'not-json': 400,
  'not-a-push': 400,
  'too-large': 413,
  empty: 400,
};

export const reference: Behaviour = {
  ...referenceVerification,
  verifyPlain: (token, body) => verifyMsgSignature(token, body.nonce, body.msg, body.msg_signature),
  verifyEncrypted: (token, body) => verifySignature(token, body.nonce, body.enc_msg, body.msg_signature),
  forgeryStatus: 403,
  decrypt: (encMsg, key) => decryptMsg(encMsg, key),
  messagesOf: (msg) => (Array.isArray(msg) ? msg : [msg]),
  handles: () => true,
  ackStatus: 200,
  ackDelayMs: 0,
  workMs: 0,
  dedupe: true,
  redeliveryStatus: 200,
  badInput: (kind) => BAD_INPUT_STATUS[kind],
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The plain push the body is, in a receiver configured for plain mode. */
function isPlainPush(v: unknown): v is PlainPush {
  return (
    isObject(v) &&
    (isObject(v.msg) || Array.isArray(v.msg)) &&
    typeof v.msg_signature === 'string' &&
    typeof v.nonce === 'string'
  );
}

/** The encrypted push the body is, in a receiver configured with an EncodingAESKey. */
function isEncryptedPush(v: unknown): v is EncryptedPush {
  return (
    isObject(v) &&
    typeof v.enc_msg === 'string' &&
    typeof v.msg_signature === 'string' &&
    typeof v.nonce === 'string'
  );
}

/** The receiver's handlers; each call makes a receiver with its own memory of processed pushes. */
export function legacyHandlers(opts: ReceiverOptions, behaviour: Behaviour = reference): RequestHandler[] {
  const path = opts.path ?? '/onenet-legacy';
  const seen = new Set<string>();
  const crash = new BadInputAnswers();
  let queue: Promise<unknown> = Promise.resolve();

  const bad = (kind: BadInput, why: string): Response => crash.answer(behaviour.badInput(kind), why);

  /** Decrypts (encrypted mode), then records every message of msg. */
  function process(body: AnyPush): Response {
    let msg: unknown;
    try {
      msg =
        'enc_msg' in body ? JSON.parse(behaviour.decrypt(body.enc_msg, opts.encodingAesKey ?? '')) : body.msg;
    } catch {
      return HttpResponse.text('enc_msg does not decrypt to JSON', { status: 400 });
    }
    const messages = behaviour.messagesOf(msg);
    if (!messages || !messages.every((m) => isObject(m) && behaviour.handles(m))) {
      return HttpResponse.text('unsupported message', { status: 400 });
    }
    seen.add(`${body.nonce}:${body.msg_signature}`);
    if (opts.observeFile !== undefined) {
      const lines = messages.map((m) => `${JSON.stringify({ msg: m })}\n`).join('');
      appendFileSync(opts.observeFile, lines);
    }
    return new HttpResponse(behaviour.ackStatus === 204 ? null : 'ok', { status: behaviour.ackStatus });
  }

  async function receive(request: Request): Promise<Response> {
    const size = Number(request.headers.get('content-length') ?? 0);
    if (size > MAX_PUSH_BYTES) return bad('too-large', 'body too large');
    const text = await request.text();
    if (text.length === 0) return bad('empty', 'empty body');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return bad('not-json', 'body is not JSON');
    }
    const encrypted = opts.encodingAesKey !== undefined;
    if (encrypted ? !isEncryptedPush(body) : !isPlainPush(body)) {
      return bad(
        'not-a-push',
        encrypted
          ? 'enc_msg, msg_signature and nonce are required'
          : 'msg, msg_signature and nonce are required',
      );
    }
    const push = body as AnyPush;
    if (behaviour.workMs > 0) {
      const turn = queue.then(() => delay(behaviour.workMs));
      queue = turn;
      await turn;
    }
    if (behaviour.ackDelayMs > 0) await delay(behaviour.ackDelayMs);
    let genuine: boolean;
    try {
      genuine =
        'enc_msg' in push
          ? behaviour.verifyEncrypted(opts.token, push)
          : behaviour.verifyPlain(opts.token, push);
    } catch (err) {
      // A msg nested deeper than JSON.stringify can write has no compact JSON to verify (PHP's json_encode
      // gives up at depth 512 likewise): bad input, not a server error.
      if (!(err instanceof RangeError)) throw err;
      return bad('not-a-push', 'msg is nested too deeply to verify');
    }
    if (!genuine) return HttpResponse.text('signature check failed', { status: behaviour.forgeryStatus });
    if (seen.has(`${push.nonce}:${push.msg_signature}`)) {
      if (!behaviour.dedupe && behaviour.redeliveryStatus === 200) return process(push);
      return HttpResponse.text('ok (already processed)', { status: behaviour.redeliveryStatus });
    }
    return process(push);
  }

  return [
    http.all(path, crash.whenCrashed),
    verificationHandler(path, opts.token, behaviour),
    http.post(path, ({ request }) => receive(request)),
  ];
}
