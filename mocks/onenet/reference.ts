/**
 * The reference OneNET Studio receiver as msw handlers: what a correct application server does. Each step is
 * a field of {@link Behaviour}, so that the faulty receivers (faulty.ts) are this receiver with one step
 * replaced.
 */
import { appendFileSync } from 'node:fs';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import type { components } from '../../specs/onenet/generated/types.ts';
import { decrypt, verifySignature } from '../../src/protocols/onenet/codec.ts';

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

/** The steps of receiving; a faulty receiver replaces one. */
export interface Behaviour {
  /** The verification response body for a genuine `msg`. */
  echo(msg: string): string;
  /** Whether a verification query's signature is genuine (`query` is the raw query string). */
  verifyQuery(token: string, query: string): boolean;
  /** Whether a push's signature is genuine. */
  verifyPush(token: string, body: Push): boolean;
  /** Secure mode: the plaintext of `msg`. */
  decrypt(msg: string, key: string): string;
  /** Milliseconds to wait before answering a push. */
  ackDelayMs: number;
  /** Whether a message id already processed is skipped. */
  dedupe: boolean;
  /** The answer to a redelivered id. */
  redeliveryStatus: number;
  /** What a body that is not a push does to the receiver: answer 400, or die. */
  onMalformed: 'reject' | 'crash';
}

/** Splits a raw query string as a form decoder does (`+` is a space), keeping the first value of each name. */
export function formDecode(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query)) if (!out.has(k)) out.set(k, v);
  return out;
}

export const reference: Behaviour = {
  echo: (msg) => msg,
  verifyQuery(token, query) {
    const q = formDecode(query);
    const [msg, nonce, signature] = [q.get('msg'), q.get('nonce'), q.get('signature')];
    return msg !== undefined && nonce !== undefined && signature !== undefined
      ? verifySignature(token, nonce, msg, signature)
      : false;
  },
  verifyPush: (token, body) => verifySignature(token, body.nonce, body.msg, body.signature),
  decrypt: (msg, key) => decrypt(msg, key),
  ackDelayMs: 0,
  dedupe: true,
  redeliveryStatus: 200,
  onMalformed: 'reject',
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
  let crashed = false;

  const malformed = (why: string): Response => {
    if (behaviour.onMalformed === 'crash') {
      crashed = true;
      return HttpResponse.error();
    }
    return HttpResponse.text(why, { status: 400 });
  };

  return [
    http.all(`${path}`, () => (crashed ? HttpResponse.error() : undefined)),
    http.get(path, ({ request }) => {
      const query = new URL(request.url).search.slice(1);
      const msg = formDecode(query).get('msg');
      if (msg === undefined || !behaviour.verifyQuery(opts.token, query)) {
        return HttpResponse.text('signature check failed', { status: 403 });
      }
      return new HttpResponse(behaviour.echo(msg), {
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }),
    http.post(path, async ({ request }) => {
      let body: unknown;
      try {
        body = JSON.parse(await request.text());
      } catch {
        return malformed('body is not JSON');
      }
      if (!isPush(body))
        return malformed('body is not a push: msg, nonce, signature, time and id are required');
      if (behaviour.ackDelayMs > 0) await delay(behaviour.ackDelayMs);
      if (!behaviour.verifyPush(opts.token, body)) {
        return HttpResponse.text('signature check failed', { status: 403 });
      }
      if (seen.has(body.id)) {
        return behaviour.dedupe || behaviour.redeliveryStatus !== 200
          ? HttpResponse.text('ok (already processed)', { status: behaviour.redeliveryStatus })
          : process(body);
      }
      return process(body);
    }),
  ];

  function process(body: Push): Response {
    let plaintext = body.msg;
    try {
      if (opts.aesKey !== undefined) plaintext = behaviour.decrypt(body.msg, opts.aesKey);
      JSON.parse(plaintext);
    } catch {
      return HttpResponse.text('msg does not decrypt to JSON', { status: 400 });
    }
    seen.add(body.id);
    if (opts.observeFile !== undefined) {
      appendFileSync(opts.observeFile, `${JSON.stringify({ id: body.id, msg: plaintext })}\n`);
    }
    return HttpResponse.text('ok');
  }
}
