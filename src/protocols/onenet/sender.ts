/**
 * The OneNET platform's side of the wire: builds verification probes and pushes as the platform does, signed
 * (and in secure mode encrypted) with the run's secrets, each carrying a unique marker. Everything it builds
 * is validated against specs/onenet/schemas: an invalid push is a pushcheck bug, never a receiver's fault.
 */

import type { components } from '../../../specs/onenet/generated/types.ts';
import { newMarker } from '../../core/observer.ts';
import type { FirstRequest } from '../../core/profile.ts';
import type { Rng } from '../../core/rng.ts';
import { formatErrors, loadSchemas, type SchemaSet } from '../../core/schemas.ts';
import { encrypt, NONCE_LENGTH, sign } from './codec.ts';
import { buildMsg, type Msg, type MsgKind } from './messages.ts';

export type Push = components['schemas']['Push'];

/** How the verification query carries the signature: percent-encoded, or raw as a careless client sends it. */
export type QueryEncoding = 'percent' | 'raw';

/**
 * The preflight's request for both OneNET profiles: the platform verifies a URL before it pushes to it. A
 * verification carries no message, so no observer can count it; its msg and nonce are fresh, as every
 * verification's are.
 */
export function verificationRequest(
  target: string,
  probe: Pick<VerificationProbe, 'query'>,
  deadlineMs: number,
): FirstRequest {
  return {
    what: 'the verification GET',
    option: '--target',
    method: 'GET',
    url: `${target}${target.includes('?') ? '&' : '?'}${probe.query('percent')}`,
    deadlineMs,
  };
}

export interface VerificationProbe {
  msg: string;
  nonce: string;
  signature: string;
  /** The query string (without `?`). */
  query(encoding: QueryEncoding): string;
}

export interface PushProbe {
  kind: MsgKind;
  /** Unique to this message; found where the receiver records what it processed. */
  marker: string;
  /** The decoded msg (before encryption). */
  payload: Msg;
  plaintext: string;
  body: Push;
  /** The body as sent. */
  json: string;
}

export interface PushOptions {
  /** Characters the signature must contain (`+`, `/`): the nonce is searched until it does. */
  signatureHas?: string;
  /** Characters the signature must not contain. */
  signatureLacks?: string;
  /** Sign with this token instead of the run's (a forgery). */
  token?: string;
}

export interface SenderOptions {
  token: string;
  aesKey?: string | undefined;
  /** Digits unique to the run, prefixed to message ids and markers. */
  runTag: string;
  rng: Rng;
}

/** Bound on the nonce search; the chance that 2,000 nonces give no signature with both + and / is < 1e-70. */
const NONCE_TRIES = 2000;

let schemas: SchemaSet | undefined;

function validate(file: string, value: unknown): void {
  schemas ??= loadSchemas('onenet');
  if (schemas.quickValidator(file)(value)) return;
  const check = schemas.validator(file);
  if (!check(value)) {
    throw new Error(`pushcheck built an invalid OneNET ${file}: ${formatErrors(check.errors)}`);
  }
}

export class OneNetSender {
  constructor(private readonly opts: SenderOptions) {}

  /** A fresh marker, unique to one message of this run. */
  marker(): string {
    return newMarker(this.opts.runTag, this.opts.rng);
  }

  /** A nonce whose signature over `msg` contains every character of `has` and none of `lacks`. */
  nonceFor(token: string, msg: string, opts: PushOptions = {}): string {
    return this.signed(token, msg, opts).nonce;
  }

  /** {@link nonceFor} with the signature it found, so a push is signed once, not twice. */
  private signed(
    token: string,
    msg: string,
    { signatureHas: has = '', signatureLacks: lacks = '' }: PushOptions,
  ): { nonce: string; signature: string } {
    for (let i = 0; i < NONCE_TRIES; i++) {
      const nonce = this.opts.rng.string(NONCE_LENGTH);
      const signature = sign(token, nonce, msg);
      if ([...has].every((c) => signature.includes(c)) && ![...lacks].some((c) => signature.includes(c))) {
        return { nonce, signature };
      }
    }
    throw new Error(
      `no nonce in ${NONCE_TRIES} gave a signature with ${JSON.stringify(has)} and without ${JSON.stringify(lacks)}`,
    );
  }

  /** A verification GET as the platform sends it: a random msg, an 8-character nonce, a valid signature. */
  verification(opts: PushOptions = {}): VerificationProbe {
    const token = opts.token ?? this.opts.token;
    const msg = this.opts.rng.string(8 + this.opts.rng.int(24));
    const nonce = this.nonceFor(token, msg, opts);
    const signature = sign(token, nonce, msg);
    validate('verification.json', { msg, nonce, signature });
    return {
      msg,
      nonce,
      signature,
      query: (encoding) =>
        `msg=${encodeURIComponent(msg)}&nonce=${encodeURIComponent(nonce)}&signature=${
          encoding === 'percent' ? encodeURIComponent(signature) : signature
        }`,
    };
  }

  /** A genuine push of `kind` (a forgery when `opts.token` is another token). */
  push(kind: MsgKind, opts: PushOptions = {}): PushProbe {
    const marker = this.marker();
    const payload = buildMsg(kind, marker, this.opts.rng, Date.now());
    validate('msg.json', payload);
    const plaintext = JSON.stringify(payload);
    const msg = this.opts.aesKey === undefined ? plaintext : encrypt(plaintext, this.opts.aesKey);
    const { nonce, signature } = this.signed(opts.token ?? this.opts.token, msg, opts);
    const body: Push = {
      msg,
      nonce,
      signature,
      time: Date.now(),
      id: `${this.opts.runTag}${this.opts.rng.string(8, '0123456789')}`,
    };
    validate('push.json', body);
    return { kind, marker, payload, plaintext, body, json: JSON.stringify(body) };
  }

  /** A push whose msg was replaced after signing: the signature belongs to another message. */
  tampered(kind: MsgKind): PushProbe {
    const signed = this.push(kind);
    const altered = this.push(kind);
    const body: Push = { ...altered.body, signature: signed.body.signature, nonce: signed.body.nonce };
    return { ...altered, body, json: JSON.stringify(body) };
  }
}
