/**
 * Alertpush fixtures on top of the shared ones: `box` plays the edge box. It fetches tokens as the box's token
 * script does, posts alerts and video alerts to their URLs, and keeps every token it fetched out of the wire log
 * and the failure messages (they are secrets the run learns as it goes, so the profile cannot list them).
 */
import { requirements } from '../../specs/alertpush/requirements.ts';
import { describeResponse, fail, notAssessed, recordExchange } from '../../src/core/case.ts';
import { type RunConfig, redact, redactDeep } from '../../src/core/config.ts';
import { type Exchange, is2xx, type OutgoingRequest, send } from '../../src/core/http.ts';
import { createRng } from '../../src/core/rng.ts';
import { EdgeBox } from '../../src/protocols/alertpush/messages.ts';
import { cameraFrames } from '../../src/protocols/alertpush/media.ts';
import { type AlertPushSettings, TOKEN_DEADLINE_MS } from '../../src/protocols/alertpush/profile.ts';
import { bearer, tokenProblem } from '../../src/protocols/alertpush/token.ts';
import { defineConformance, noteIfLate, test as core } from '../fixtures.ts';

/** The alertpush settings of a run. */
export function settings(run: RunConfig): AlertPushSettings {
  return run.settings as AlertPushSettings;
}

/**
 * How long an alert may take to be answered. The box's alert timeout is not documented (the vendor's KS-server-demo); pushcheck
 * allows twice its token timeout, and 30 s for a full-HD upload (decisions/014).
 */
export const ALERT_DEADLINE_MS = 10_000;
export const UPLOAD_DEADLINE_MS = 30_000;

export interface TokenFetch {
  exchange: Exchange;
  /** The body, when the endpoint answered 200 in time. */
  body?: Buffer;
}

export interface Box {
  /** The alerts and video alerts of this case, from the run's seed. */
  alerts: EdgeBox;
  /** One GET of the token URL, as the token script sends it, cut off at 5 s. */
  fetchToken(label: string): Promise<TokenFetch>;
  /**
   * The credential the box would send: a freshly fetched token (token script), the fixed token, or none.
   * When the token endpoint gives nothing usable the case is not assessed: the token cases judge that.
   */
  credential(): Promise<string | undefined>;
  /** The headers the box sends with `token` (none without one). */
  headers(token: string | undefined): Record<string, string>;
  /** POSTs to the alert URL (or `to`); `headers` replace the default JSON content type. */
  post(
    body: string,
    label: string,
    opts?: { headers?: Record<string, string>; to?: string; deadlineMs?: number },
  ): Promise<Exchange>;
  /** `text` with every secret of the run, fetched tokens included, redacted. */
  shown(text: string): string;
}

export const test = core.extend<{ box: Box }>({
  box: async ({ run }, use, testInfo) => {
    const s = settings(run);
    const learned: string[] = [];
    const secrets = (): string[] => [...run.secrets, ...learned];
    const recorded = async (req: OutgoingRequest): Promise<Exchange> => {
      const ex = await send(req);
      recordRedacted(ex, secrets());
      return ex;
    };
    const box: Box = {
      // The camera's frames are drawn once per worker and size: each alert's bytes differ by their comment.
      alerts: new EdgeBox(run.runTag, createRng(run.seed, testInfo.title), cameraFrames),
      async fetchToken(label) {
        if (s.tokenUrl === undefined) throw new Error('fetchToken used without --token-url: declare needs');
        // Recorded only once the token in it is known, so that the wire log never shows it.
        const ex = await send({ method: 'GET', url: s.tokenUrl, deadlineMs: TOKEN_DEADLINE_MS, label });
        noteIfLate(ex, TOKEN_DEADLINE_MS);
        const body = ex.error === undefined && ex.response?.status === 200 ? ex.response.raw : undefined;
        if (body !== undefined && body.length > 0) {
          const text = body.toString('utf8');
          learned.push(text, text.trim());
          for (const v of Object.values(jsonStrings(text))) learned.push(v);
        }
        recordRedacted(ex, secrets());
        return body === undefined ? { exchange: ex } : { exchange: ex, body };
      },
      async credential() {
        if (s.auth === 'fixed') return s.bearer;
        if (s.auth === 'none') return undefined;
        const { exchange, body } = await box.fetchToken('token request (get_headers_url)');
        if (body === undefined) {
          notAssessed(
            `the token endpoint gave no token (${box.shown(describeResponse(exchange))}), so the box could send no alert with one; alertpush.token.within-5s judges the endpoint`,
          );
        }
        const problem = tokenProblem(body);
        if (problem !== undefined) {
          notAssessed(
            `the token endpoint's answer is not a token the box can use (${problem}); alertpush.token.plain-text judges it`,
          );
        }
        return body.toString('latin1');
      },
      headers: (token) => (token === undefined ? {} : bearer(token)),
      post: (body, label, opts = {}) =>
        recorded({
          method: 'POST',
          url: opts.to ?? run.target,
          headers: opts.headers ?? { 'content-type': 'application/json' },
          body,
          deadlineMs: opts.deadlineMs ?? ALERT_DEADLINE_MS,
          label,
        }),
      shown: (text) => redact(text, secrets()),
    };
    await use(box);
  },
});

/** Records `ex` in the wire log with `secrets` redacted (the raw bytes are never recorded). */
function recordRedacted(ex: Exchange, secrets: readonly string[]): void {
  const { response, ...rest } = ex;
  const clean = redactDeep(rest, secrets);
  if (!response) {
    recordExchange(clean);
    return;
  }
  const { raw, ...head } = response;
  recordExchange({ ...clean, response: { ...redactDeep(head, secrets), raw } });
}

/** Every string value of a JSON object body (a token wrapped in JSON is a secret too). */
function jsonStrings(text: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'string') return { value: v };
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(
        Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    }
  } catch {
    // Not JSON: the body itself was learned.
  }
  return {};
}

/** `conformance('alertpush.<area>.<behaviour>', async ({ ... }) => { ... })` registers a case. */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'alertpush',
  requirements,
);

export { expect } from '@playwright/test';

/** Whether an alert was received: any 2xx, complete (the vendor's servers answer 200). */
export const accepted = is2xx;

/** The alert must be received. */
export function expectAccepted(box: Box, ex: Exchange, why: string): void {
  if (!accepted(ex))
    fail(why, "a complete 2xx answer (the vendor's servers answer 200)", box.shown(describeResponse(ex)));
}

/** The alert must be refused as unauthorised. */
export function expectRefused(box: Box, ex: Exchange, why: string): void {
  const status = ex.response?.status;
  if (ex.error !== undefined || (status !== 401 && status !== 403)) {
    fail(why, 'HTTP 401 (or 403), the alert not processed', box.shown(describeResponse(ex)));
  }
}
