/**
 * The reference alert server as msw handlers: what a correct customer server for the edge box does, with its
 * token endpoint. Each step is a field of {@link Behaviour}, so that the faulty servers (faulty.ts) are this one
 * with one step replaced.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { BadInputAnswers } from '../bad-input.ts';
import type { components } from '../../specs/alertpush/generated/types.ts';

type Alert = components['schemas']['Alert'];
type VideoAlert = components['schemas']['VideoAlert'];

/** How the box authenticates: a token script, a fixed token, or none (the vendor's plain http-server). */
export type AuthMode = 'token-url' | 'fixed' | 'none';

export interface ReceiverOptions {
  mode: AuthMode;
  /** The fixed token (mode `fixed`). */
  bearer?: string | undefined;
  /** Where processed alerts are recorded, one JSON line each. */
  observeFile?: string | undefined;
  /** Where decoded images and clips are saved, one file per alert named after its id. */
  imageDir?: string | undefined;
}

/** The paths the receiver answers on, as in the vendor's demo servers. */
export const PATHS = { alert: '/alert', video: '/video', token: '/token' } as const;

/** The kinds of bad input a receiver meets. */
export type BadInput = 'not-json' | 'not-an-alert';

/** The largest alert body the reference accepts: a full-HD frame is a few hundred KB, a clip a few MB. */
export const MAX_ALERT_BYTES = 16 * 1024 * 1024;

/** How long an issued token stays valid: two of the box's 600 s refresh intervals. */
export const TOKEN_LIFETIME_MS = 2 * 600_000;
/** Tokens remembered at most (the oldest are forgotten first). */
const MAX_TOKENS = 1000;

/** The steps of receiving; a faulty receiver replaces one. */
export interface Behaviour {
  /** A new token. */
  issue(): string;
  /** The token endpoint's answer carrying `token`. */
  tokenAnswer(token: string): { body: string; contentType: string };
  /** Milliseconds before the token endpoint answers. */
  tokenDelayMs: number;
  /** Whether tokens issued before the latest one stay valid (for their lifetime). */
  keepsEarlierTokens: boolean;
  /** How long an issued token stays valid. */
  tokenLifetimeMs: number;
  /** Whether the authorization header (null when absent) carries one of the `valid` tokens. */
  authorized(header: string | null, valid: readonly string[]): boolean;
  /** The status of a refusal. */
  refusalStatus: number;
  /** Whether the alert is processed before its token is checked. */
  processBeforeAuth: boolean;
  /** Bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** Whether a body without a JSON Content-Type is refused with 415. */
  requiresJsonType: boolean;
  /** The image or clip's bytes; undefined when the text is not Base64 (answered 400). May throw (a 500). */
  decode(base64: string): Buffer | undefined;
  /** What is saved of an image or clip: its decoded bytes, given its Base64 `text` too. */
  saved(decoded: Buffer, text: string): Buffer;
  /** Whether an accepted alert is recorded (processed). */
  records(alert: { alert_time: number }): boolean;
  /** Whether an image that is not Base64 trips a breaker that refuses every alert with 503 for a minute. */
  tripsOnBadImage: boolean;
  /** Whether the video URL is served. */
  videoRoute: boolean;
  /** The answer to bad input: a status, or `crash` (later requests get a closed connection). */
  badInput(kind: BadInput): number | 'crash';
}

/** Standard Base64 with padding, as Python's base64.b64encode writes it. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The credential of a well-formed `Bearer <token>` header (the scheme is case-insensitive, RFC 9110 §11.1). */
export function bearerToken(header: string | null): string | undefined {
  return header === null ? undefined : /^Bearer +(\S+)$/i.exec(header)?.[1];
}

export const reference: Behaviour = {
  issue: () => randomBytes(32).toString('hex'),
  tokenAnswer: (token) => ({ body: token, contentType: 'text/plain; charset=utf-8' }),
  tokenDelayMs: 0,
  keepsEarlierTokens: true,
  tokenLifetimeMs: TOKEN_LIFETIME_MS,
  authorized(header, valid) {
    const token = bearerToken(header);
    return token !== undefined && valid.includes(token);
  },
  refusalStatus: 401,
  processBeforeAuth: false,
  maxBodyBytes: MAX_ALERT_BYTES,
  requiresJsonType: false,
  decode: (text) => (BASE64.test(text) ? Buffer.from(text, 'base64') : undefined),
  saved: (decoded) => decoded,
  records: () => true,
  tripsOnBadImage: false,
  videoRoute: true,
  badInput: () => 400,
};

const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);
const RIFF = Buffer.from('RIFF', 'latin1');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAlertLike(v: Record<string, unknown>): boolean {
  return (
    typeof v.id === 'string' &&
    v.id.length > 0 &&
    typeof v.alert_time === 'number' &&
    isObject(v.device) &&
    isObject(v.source) &&
    isObject(v.alg) &&
    typeof v.hazard_level === 'string'
  );
}

function isAlert(v: unknown): v is Alert {
  return isObject(v) && isAlertLike(v) && typeof v.image === 'string' && isObject(v.reserved_data);
}

function isVideoAlert(v: unknown): v is VideoAlert {
  return isObject(v) && isAlertLike(v) && typeof v.video === 'string';
}

/** A file name made of the id's safe characters, so an id never walks out of the image folder. */
function fileName(id: string, ext: string): string {
  return `${id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100) || 'alert'}.${ext}`;
}

/** The receiver's handlers; each call makes a receiver with its own tokens. */
export function alertpushHandlers(opts: ReceiverOptions, behaviour: Behaviour = reference): RequestHandler[] {
  const issued: { token: string; at: number }[] = [];
  const crash = new BadInputAnswers();
  /** Until when (epoch ms) a tripped breaker refuses alerts. */
  let brokenUntil = 0;

  const validTokens = (): string[] => {
    if (opts.mode === 'fixed') return opts.bearer !== undefined ? [opts.bearer] : [];
    const now = Date.now();
    const live = issued.filter((t) => now - t.at < behaviour.tokenLifetimeMs);
    return (behaviour.keepsEarlierTokens ? live : live.slice(-1)).map((t) => t.token);
  };

  const refused = (): Response =>
    HttpResponse.json(
      { error: 'invalid_token' },
      {
        status: behaviour.refusalStatus,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      },
    );

  const badInput = (kind: BadInput, why: string): Response => crash.answer(behaviour.badInput(kind), why);

  function save(name: string, bytes: Buffer): void {
    if (opts.imageDir === undefined) return;
    mkdirSync(opts.imageDir, { recursive: true });
    writeFileSync(join(opts.imageDir, name), bytes);
  }

  function record(line: Record<string, unknown>): void {
    if (opts.observeFile !== undefined) appendFileSync(opts.observeFile, `${JSON.stringify(line)}\n`);
  }

  async function receive(request: Request, kind: 'alert' | 'video'): Promise<Response> {
    const authorized =
      opts.mode === 'none' || behaviour.authorized(request.headers.get('authorization'), validTokens());
    if (!authorized && !behaviour.processBeforeAuth) return refused();
    if (Date.now() < brokenUntil) return HttpResponse.text('temporarily unavailable', { status: 503 });
    if (Number(request.headers.get('content-length') ?? 0) > behaviour.maxBodyBytes) {
      return HttpResponse.text('body too large', { status: 413 });
    }
    if (behaviour.requiresJsonType && !(request.headers.get('content-type') ?? '').includes('json')) {
      return HttpResponse.text('Content-Type must be application/json', { status: 415 });
    }
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return badInput('not-json', 'body is not JSON');
    }
    if (kind === 'alert' ? !isAlert(body) : !isVideoAlert(body)) {
      return badInput('not-an-alert', `not ${kind === 'alert' ? 'an alert' : 'a video alert'}`);
    }
    const alert = body as Alert | VideoAlert;
    // As the vendor's Flask demo does, the answer is the alert without its (large) evidence; one nested
    // deeper than JSON.stringify can write (the fuzzer's deep arrays) is refused before anything is kept.
    let echo: string;
    try {
      echo = JSON.stringify(
        Object.fromEntries(Object.entries(alert).filter(([k]) => k !== 'image' && k !== 'video')),
      );
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return badInput('not-an-alert', `the ${kind} is nested too deeply`);
    }
    const text = 'image' in alert ? alert.image : alert.video;
    const bytes = behaviour.decode(text);
    if (bytes === undefined) {
      if (behaviour.tripsOnBadImage) brokenUntil = Date.now() + 60_000;
      return HttpResponse.text(`${kind === 'alert' ? 'image' : 'video'} is not Base64`, { status: 400 });
    }
    if (kind === 'alert' && !bytes.subarray(0, 3).equals(JPEG_SOI)) {
      return HttpResponse.text('image is not a JPEG', { status: 400 });
    }
    if (kind === 'video' && !bytes.subarray(0, 4).equals(RIFF)) {
      return HttpResponse.text('video is not a RIFF clip', { status: 400 });
    }
    save(fileName(alert.id, kind === 'alert' ? 'jpg' : 'avi'), behaviour.saved(bytes, text));
    if (behaviour.records(alert)) {
      record({ kind, id: alert.id, alert_time: alert.alert_time, alg: alert.alg.name, bytes: bytes.length });
    }
    if (!authorized) return refused();
    return new HttpResponse(echo, { headers: { 'content-type': 'application/json' } });
  }

  const handlers: RequestHandler[] = [
    http.all('*', crash.whenCrashed),
    http.post(PATHS.alert, ({ request }) => receive(request, 'alert')),
  ];
  if (behaviour.videoRoute) handlers.push(http.post(PATHS.video, ({ request }) => receive(request, 'video')));
  if (opts.mode === 'token-url') {
    handlers.push(
      http.get(PATHS.token, async () => {
        if (behaviour.tokenDelayMs > 0) await delay(behaviour.tokenDelayMs);
        const token = behaviour.issue();
        issued.push({ token, at: Date.now() });
        if (issued.length > MAX_TOKENS) issued.shift();
        const { body, contentType } = behaviour.tokenAnswer(token);
        return new HttpResponse(body, { headers: { 'content-type': contentType } });
      }),
    );
  }
  return handlers;
}
