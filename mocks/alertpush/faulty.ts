/**
 * One-defect variants of the reference alert server, each named for its defect and for the cases meant to
 * catch it. These are the mistakes customers' servers make; the self-test shows the suite catches each one.
 */
import { randomBytes } from 'node:crypto';
import type { AlertPushCaseId } from '../../specs/alertpush/requirements.ts';
import { type AuthMode, type Behaviour, bearerToken, reference } from './reference.ts';

export interface FaultyReceiver {
  /** What is wrong, as a customer's code would have it. */
  defect: string;
  /** The step that differs from the reference. */
  behaviour: Partial<Behaviour>;
  /** The cases meant to catch it. */
  caughtBy: readonly AlertPushCaseId[];
  /** The authentication the defect shows in (default: a token script). */
  mode?: AuthMode;
  /** Why other cases fail too, where the defect is not confined to what `caughtBy` tests. */
  collateral?: string;
  /** Options the self-test runs it with, where the defaults would make it slow (a shorter token interval). */
  runWith?: readonly string[];
}

export const faulty = {
  'slow-token': {
    defect: "answers the token request after 6 s, past the box's 5 s timeout",
    behaviour: { tokenDelayMs: 6000 },
    caughtBy: ['alertpush.token.within-5s'],
    collateral: 'no case that needs a token can be assessed: the box never gets one',
  },
  'json-token': {
    defect: 'answers the token request with JSON, {"token": "…"}, instead of the bare token',
    behaviour: {
      tokenAnswer: (token) => ({ body: JSON.stringify({ token }), contentType: 'application/json' }),
    },
    caughtBy: ['alertpush.token.plain-text'],
  },
  'newline-token': {
    defect: 'answers the token request with the token and a newline (a println)',
    behaviour: { tokenAnswer: (token) => ({ body: `${token}\n`, contentType: 'text/plain' }) },
    caughtBy: ['alertpush.token.plain-text'],
  },
  'colon-token': {
    defect: 'issues home-made tokens with colons, "alerts:<expiry>:<hmac>", outside the bearer token syntax',
    behaviour: {
      issue: () => `alerts:${Math.floor(Date.now() / 1000) + 1200}:${randomBytes(16).toString('hex')}`,
    },
    caughtBy: ['alertpush.token.bearer-syntax'],
  },
  'latest-token-only': {
    defect: 'invalidates every earlier token when it issues a new one',
    behaviour: { keepsEarlierTokens: false },
    caughtBy: ['alertpush.token.earlier-still-valid'],
    collateral:
      'the other cases fetch tokens while the interval case waits, so the token it holds is invalidated too',
  },
  'short-lived-tokens': {
    defect:
      'issues tokens that expire after 2 s (a short-lived JWT), though the box sends each until its next refresh',
    behaviour: { tokenLifetimeMs: 2000 },
    caughtBy: ['alertpush.token.valid-for-interval'],
    // Its catching case alone, over an interval past the 2 s.
    runWith: ['--token-interval', '3', '--grep', 'valid-for-interval'],
  },
  'expects-raw-token': {
    defect: 'compares the whole authorization header with the token, forgetting the "Bearer " scheme',
    behaviour: { authorized: (header, valid) => header !== null && valid.includes(header) },
    caughtBy: ['alertpush.auth.fetched-token-accepted'],
    collateral:
      'every genuine alert is refused, so every case that sends one fails or cannot be assessed, and the bare token without a scheme is accepted',
  },
  'fixed-token-ignored': {
    defect: 'accepts only tokens from its token endpoint and ignores the configured fixed token',
    behaviour: { authorized: () => false },
    caughtBy: ['alertpush.auth.fixed-token-accepted'],
    mode: 'fixed',
    collateral: 'every genuine alert is refused, so every case that sends one fails or cannot be assessed',
  },
  'no-auth-check': {
    defect: 'accepts alerts without checking their token',
    behaviour: { authorized: () => true },
    caughtBy: [
      'alertpush.auth.missing-refused',
      'alertpush.auth.wrong-refused',
      'alertpush.auth.malformed-refused',
      'alertpush.auth.refused-not-processed',
    ],
  },
  'missing-header-allowed': {
    defect: 'checks the token only when an authorization header is present',
    behaviour: {
      authorized: (header, valid) => header === null || reference.authorized(header, valid),
    },
    caughtBy: ['alertpush.auth.missing-refused', 'alertpush.auth.refused-not-processed'],
  },
  'truncating-compare': {
    defect: "compares tokens only over the shorter one's length (a hand-rolled constant-time compare)",
    behaviour: {
      authorized(header, valid) {
        const token = bearerToken(header);
        if (token === undefined || token.length === 0) return false;
        return valid.some((t) => {
          let diff = 0;
          for (let i = 0; i < Math.min(t.length, token.length); i++)
            diff |= t.charCodeAt(i) ^ token.charCodeAt(i);
          return diff === 0;
        });
      },
    },
    caughtBy: ['alertpush.auth.wrong-refused'],
  },
  'contains-token-check': {
    defect: 'accepts any authorization header that contains a valid token, whatever surrounds it',
    behaviour: {
      authorized: (header, valid) => header !== null && valid.some((t) => header.includes(t)),
    },
    caughtBy: ['alertpush.auth.malformed-refused', 'alertpush.auth.refused-not-processed'],
  },
  'refuses-after-processing': {
    defect: 'stores the alert first and checks the token afterwards, so a refused alert is still processed',
    behaviour: { processBeforeAuth: true },
    caughtBy: ['alertpush.auth.refused-not-processed'],
  },
  'float-time-dropped': {
    defect:
      'saves the image and answers 200, then fails to store every alert whose alert_time is not a whole number of seconds',
    behaviour: { records: (alert) => Number.isInteger(alert.alert_time) },
    caughtBy: ['alertpush.alert.processed'],
  },
  'body-limit-100k': {
    defect: 'refuses bodies over 100 KB with 413 (a web server default), so full-HD frames never arrive',
    behaviour: { maxBodyBytes: 100 * 1024 },
    caughtBy: ['alertpush.alert.full-hd-accepted'],
  },
  'saves-base64-text': {
    defect: "saves the image's Base64 text as image.jpg instead of decoding it",
    behaviour: { saved: (_decoded, text) => Buffer.from(text, 'latin1') },
    caughtBy: ['alertpush.alert.image-decoded'],
  },
  'requires-json-type': {
    defect: 'refuses a body without Content-Type: application/json with 415',
    behaviour: { requiresJsonType: true },
    caughtBy: ['alertpush.alert.no-content-type-accepted'],
  },
  'no-video-route': {
    defect: 'serves the alert URL only: video alerts get 404',
    behaviour: { videoRoute: false },
    caughtBy: ['alertpush.video.accepted'],
  },
  'base64-500': {
    defect:
      'decodes the image without checking it (base64.b64decode raising): 500 on an image that is not Base64',
    behaviour: {
      decode(text) {
        const bytes = reference.decode(text);
        if (bytes === undefined) throw new Error('binascii.Error: Incorrect padding');
        return bytes;
      },
    },
    caughtBy: ['alertpush.robust.bad-base64'],
  },
  'crash-on-malformed': {
    defect: 'dies on a body that is not JSON: every later request gets a closed connection',
    behaviour: { badInput: (kind) => (kind === 'not-json' ? 'crash' : 400) },
    caughtBy: ['alertpush.robust.bad-json'],
    collateral:
      'a dead server, token endpoint included, fails or leaves unassessed every case that runs after it died',
  },
  'breaker-on-bad-image': {
    defect:
      'answers an image that is not Base64 with 400, then trips a breaker that refuses every alert with 503 for a minute',
    behaviour: { tripsOnBadImage: true },
    caughtBy: ['alertpush.robust.survives-bad-input'],
    collateral:
      'for that minute every alert is refused, whichever case sends it (the self-test runs the robust cases alone)',
  },
} as const satisfies Record<string, FaultyReceiver>;

export type FaultyName = keyof typeof faulty;

/** The reference behaviour with the defect of `name`. */
export function faultyBehaviour(name: FaultyName): Behaviour {
  return { ...reference, ...faulty[name].behaviour };
}
