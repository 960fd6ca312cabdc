/**
 * The legacy OneNET platform's side of the wire: pushes as the platform builds them ({msg, msg_signature,
 * nonce}, or {enc_msg, msg_signature, nonce} with an EncodingAESKey), single or batched, each message that
 * can carry one with a unique marker. The verification GET is Studio's, so Studio's sender builds it.
 * Everything built is validated against specs/onenet-legacy/schemas: an invalid push is a pushcheck bug.
 */
import type { components } from '../../../specs/onenet-legacy/generated/types.ts';
import { newMarker } from '../../core/observer.ts';
import type { Rng } from '../../core/rng.ts';
import { formatErrors, loadSchemas, type SchemaSet } from '../../core/schemas.ts';
import { OneNetSender, type PushOptions, type VerificationProbe } from '../onenet/sender.ts';
import { compactJson, encryptMsg, RANDOM_PREFIX_BYTES, sign } from './codec.ts';
import { type BuildOptions, buildMessage, type Message, type MessageKind } from './messages.ts';

export type PlainPush = components['schemas']['Push'];
export type EncryptedPush = components['schemas']['EncryptedPush'];

export interface LegacyPushProbe {
  /** The kinds of the messages, in order (one unless batched). */
  kinds: MessageKind[];
  /** The markers the messages carry, in order (an online/offline message carries none). */
  markers: string[];
  /** The msg: one message, or an array of them when batched. */
  msg: Message | Message[];
  /** The JSON text of msg: what is signed in plain mode, and what enc_msg decrypts to. */
  msgText: string;
  body: PlainPush | EncryptedPush;
  /** The body as sent. */
  json: string;
}

export interface LegacyPushOptions extends PushOptions, BuildOptions {
  /** Send the messages as a batch (msg is an array), even a batch of one. */
  batch?: boolean;
}

export interface LegacySenderOptions {
  token: string;
  /** Encrypted mode when set: the 43-character EncodingAESKey. */
  encodingAesKey?: string | undefined;
  runTag: string;
  rng: Rng;
}

let schemas: SchemaSet | undefined;

function validate(file: string, value: unknown): void {
  schemas ??= loadSchemas('onenet-legacy');
  const check = schemas.validator(file);
  if (!check(value)) {
    throw new Error(`pushcheck built an invalid legacy OneNET ${file}: ${formatErrors(check.errors)}`);
  }
}

export class LegacySender {
  private readonly studio: OneNetSender;

  constructor(private readonly opts: LegacySenderOptions) {
    this.studio = new OneNetSender({ token: opts.token, runTag: opts.runTag, rng: opts.rng });
  }

  /** Whether the run's pushes are encrypted (the run has an EncodingAESKey). */
  get encrypted(): boolean {
    return this.opts.encodingAesKey !== undefined;
  }

  /** A fresh marker, unique to one message of this run. */
  marker(): string {
    return newMarker(this.opts.runTag, this.opts.rng);
  }

  /** A verification GET as the platform sends it (the legacy SDKs: identical to Studio's). */
  verification(opts: PushOptions = {}): VerificationProbe {
    const probe = this.studio.verification(opts);
    validate('verification.json', { msg: probe.msg, nonce: probe.nonce, signature: probe.signature });
    return probe;
  }

  /**
   * A genuine push of one message of `kinds` (or a batch of several), signed with the run's token (a forgery
   * when `opts.token` is another), encrypted when the run has an EncodingAESKey.
   */
  push(kinds: MessageKind | MessageKind[], opts: LegacyPushOptions = {}): LegacyPushProbe {
    const list = Array.isArray(kinds) ? kinds : [kinds];
    const now = Date.now();
    const built = list.map((kind) => buildMessage(kind, this.marker(), this.opts.rng, now, opts));
    const messages = built.map((b) => b.message);
    for (const m of messages) validate('message.json', m);
    const msg = opts.batch || list.length > 1 ? messages : (messages[0] as Message);
    const msgText = compactJson(msg);
    const token = opts.token ?? this.opts.token;
    const markers = built.flatMap((b) => (b.marker === undefined ? [] : [b.marker]));
    if (this.opts.encodingAesKey === undefined) {
      const nonce = this.studio.nonceFor(token, msgText, opts);
      const body: PlainPush = { msg, msg_signature: sign(token, nonce, msgText), nonce };
      validate('push.json', body);
      return { kinds: list, markers, msg, msgText, body, json: JSON.stringify(body) };
    }
    const random = Buffer.from(Array.from({ length: RANDOM_PREFIX_BYTES }, () => this.opts.rng.int(256)));
    const encMsg = encryptMsg(msgText, this.opts.encodingAesKey, random);
    const nonce = this.studio.nonceFor(token, encMsg, opts);
    const body: EncryptedPush = { enc_msg: encMsg, msg_signature: sign(token, nonce, encMsg), nonce };
    validate('push-encrypted.json', body);
    return { kinds: list, markers, msg, msgText, body, json: JSON.stringify(body) };
  }

  /** A push whose msg (or enc_msg) was replaced after signing: the signature belongs to another message. */
  tampered(kind: MessageKind): LegacyPushProbe {
    const signed = this.push(kind);
    const altered = this.push(kind);
    const body = { ...altered.body, msg_signature: signed.body.msg_signature, nonce: signed.body.nonce };
    return { ...altered, body, json: JSON.stringify(body) };
  }
}
