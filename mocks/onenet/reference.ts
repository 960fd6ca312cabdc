/**
 * The reference OneNET Studio receiver as msw handlers: what a correct application server does. Each step is
 * a field of {@link Behaviour}, so that the faulty receivers (faulty.ts) are this receiver with one step
 * replaced.
 */
import { appendFileSync } from 'node:fs';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { BadInputAnswers } from '../bad-input.ts';
import type { components } from '../../specs/onenet/generated/types.ts';
import { decrypt, verifySignature } from '../../src/protocols/onenet/codec.ts';
import {
  referenceVerification,
  type VerificationBehaviour,
  verificationHandler,
} from '../onenet-common/verification.ts';

type Push = components['schemas']['Push'];

export interface ReceiverOptions {
  token: string;
  /** Secure mode when set. */
  aesKey?: string | undefined;
  /** Where processed messages are recorded, one JSON line each. */
  observeFile?: string | undefined;
  /** The path the receiver answers on. */
  path?: string;
}

/** The kinds of bad input a receiver meets. */
export type BadInput = 'not-json' | 'not-a-push' | 'too-large' | 'empty' | 'no-content-type';

/** The largest push body the reference accepts. */
export const MAX_PUSH_BYTES = 1024 * 1024;

/** The steps of receiving (the verification GET's among them); a faulty receiver replaces one. */
export interface Behaviour extends VerificationBehaviour {
  /** Whether a push's signature is genuine. */
  verifyPush(token: string, body: Push): boolean;
  /** The status for a push whose signature is not genuine (it is never processed). */
  forgeryStatus: number;
  /** Secure mode: the plaintext of `msg`. */
  decrypt(msg: string, key: string): string;
  /** Whether the receiver handles a decoded payload (a narrow receiver knows only some message types). */
  handles(payload: { messageType?: unknown }): boolean;
  /** The status of an ack. */
  ackStatus: number;
  /** Whether the ack of a message's first delivery fails (500) after the message was processed. */
  failFirstAck: boolean;
  /** Milliseconds before answering any push. */
  ackDelayMs: number;
  /** Milliseconds of work per push, one push at a time (a single-threaded receiver). */
  workMs: number;
  /**
   * Milliseconds between the ack and the record of a processed push (0: recorded before the ack): a receiver
   * that hands pushes to a queue and writes them later.
   */
  recordDelayMs(token: string, body: Push): number;
  /** Whether a message id already processed is skipped. */
  dedupe: boolean;
  /** The answer to a redelivered id. */
  redeliveryStatus: number;
  /** The answer to bad input: a status, `crash` (later requests get a closed connection) or `accept`. */
  badInput(kind: BadInput): number | 'crash' | 'accept';
}

const BAD_INPUT_STATUS: Record<BadInput, number | 'accept'> = {
  'not-json': 400,
  'not-a-push': 400,
  'too-large': 413,
  empty: 400,
  // OneNET does not document the Content-Type of a push: the body is parsed whatever it says.
  'no-content-type': 'accept',
};

export const reference: Behaviour = {
  ...referenceVerification,
  verifyPush: (token, body) => verifySignature(token, body.nonce, body.msg, body.signature),
  forgeryStatus: 403,
  decrypt: (msg, key) => decrypt(msg, key),
  handles: () => true,
  ackStatus: 200,
  failFirstAck: false,
  ackDelayMs: 0,
  workMs: 0,
  recordDelayMs: () => 0,
  dedupe: true,
  redeliveryStatus: 200,
  badInput: (kind) => BAD_INPUT_STATUS[kind],
};

function isPush(value: unknown): value is Push {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.msg === 'string' &&
    typeof v.nonce === 'string' &&
    typeof v.signature === 'string' &&
    typeof v.time === 'number' &&
    typeof v.id === 'string'
  );
}

/** The receiver's handlers; each call makes a receiver with its own memory of processed ids. */
export function onenetHandlers(opts: ReceiverOptions, behaviour: Behaviour = reference): RequestHandler[] {
  const path = opts.path ?? '/onenet';
  const seen = new Set<string>();
  const crash = new BadInputAnswers();
  let queue: Promise<unknown> = Promise.resolve();

  /** The answer to bad input of `kind`, or undefined when the receiver goes on as usual. */
  const bad = (kind: BadInput, why: string): Response | undefined => {
    const answer = behaviour.badInput(kind);
    return answer === 'accept' ? undefined : crash.answer(answer, why);
  };

  function process(body: Push): Response {
    let plaintext = body.msg;
    let payload: { messageType?: unknown };
    try {
      if (opts.aesKey !== undefined) plaintext = behaviour.decrypt(body.msg, opts.aesKey);
      payload = JSON.parse(plaintext) as { messageType?: unknown };
    } catch {
      return HttpResponse.text('msg does not decrypt to JSON', { status: 400 });
    }
    if (!behaviour.handles(payload)) return HttpResponse.text('unsupported message type', { status: 400 });
    const first = !seen.has(body.id);
    seen.add(body.id);
    const observeFile = opts.observeFile;
    if (observeFile !== undefined) {
      const record = () =>
        appendFileSync(observeFile, `${JSON.stringify({ id: body.id, msg: plaintext })}\n`);
      const later = behaviour.recordDelayMs(opts.token, body);
      if (later === 0) record();
      else
        setTimeout(() => {
          try {
            record();
          } catch {
            // The run may be over and its file gone: a late record is then lost, as the receiver's would be.
          }
        }, later).unref();
    }
    if (first && behaviour.failFirstAck) return HttpResponse.text('ack failed', { status: 500 });
    return new HttpResponse(behaviour.ackStatus === 204 ? null : 'ok', { status: behaviour.ackStatus });
  }

  async function receive(request: Request): Promise<Response> {
    const size = Number(request.headers.get('content-length') ?? 0);
    if (size > MAX_PUSH_BYTES) return bad('too-large', 'body too large') ?? HttpResponse.text('ok');
    const text = await request.text();
    if (text.length === 0) return bad('empty', 'empty body') ?? HttpResponse.text('ok');
    if (!(request.headers.get('content-type') ?? '').includes('json')) {
      const answer = bad('no-content-type', 'Content-Type must be application/json');
      if (answer) return answer;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return bad('not-json', 'body is not JSON') ?? HttpResponse.text('ok');
    }
    if (!isPush(body)) {
      return bad('not-a-push', 'msg, nonce, signature, time and id are required') ?? HttpResponse.text('ok');
    }
    if (behaviour.workMs > 0) {
      const turn = queue.then(() => delay(behaviour.workMs));
      queue = turn;
      await turn;
    }
    if (behaviour.ackDelayMs > 0) await delay(behaviour.ackDelayMs);
    if (!behaviour.verifyPush(opts.token, body)) {
      return HttpResponse.text('signature check failed', { status: behaviour.forgeryStatus });
    }
    if (seen.has(body.id)) {
      if (!behaviour.dedupe && behaviour.redeliveryStatus === 200) return process(body);
      return HttpResponse.text('ok (already processed)', { status: behaviour.redeliveryStatus });
    }
    return process(body);
  }

  return [
    http.all(path, crash.whenCrashed),
    verificationHandler(path, opts.token, behaviour),
    http.post(path, ({ request }) => receive(request)),
  ];
}
