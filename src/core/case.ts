/**
 * The case model: requirements, outcomes, and the checks a case uses to fail with expected and actual.
 * Everything a case records goes into Playwright's test info as attachments, which the reporter reads.
 */
import { test } from '@playwright/test';
import type { Exchange } from './http.ts';
import type { Source } from './source.ts';

export type { CodeReference, Source, SourceDocument } from './source.ts';

/** RFC 2119 levels, as Autobahn and h2spec grade them: MUST fails the run, SHOULD fails it with --strict. */
export type Level = 'MUST' | 'SHOULD' | 'MAY';

/**
 * What a case needs that a run may not have been given: one the core checks (`observer`: something that sees
 * what the receiver processed; `state-hook`: a provider-state hook), or one a profile's `check` judges. A closed
 * list, so that a misspelt need in a registry fails the type check instead of running a case without its
 * precondition; a profile with a new need adds it here.
 */
export type Need =
  | 'observer'
  | 'state-hook'
  // OneNET (Studio and legacy): a secure- or encrypted-mode key; a sender grader's run that failed acks.
  | 'aes-key'
  | 'failures'
  // alertpush: an authenticated receiver, a fixed bearer, a token script, a video target, an image folder.
  | 'auth'
  | 'bearer'
  | 'token-url'
  | 'video-target'
  | 'image-dir'
  // alertpush: the token refresh interval to hold a token for (minutes of real time, so asked for).
  | 'token-interval'
  // Eye4: the run's API mock, which the resource cases look a device's files up in.
  | 'eye4-api';

export interface Requirement {
  level: Level;
  /** A behaviour sentence with the receiver as subject: "echoes msg verbatim". */
  title: string;
  /** The requirement, quoted from the source, with an English gloss. */
  text: string;
  /** Where the requirement comes from: the vendor's public document, the section and the words it rests on. */
  source: Source;
  /**
   * True where the documents are silent and pushcheck decided; such cases are never above SHOULD, and their
   * source names the document or public code the decision follows.
   */
  interpreted?: boolean;
  /** What the case needs from the run. */
  needs?: readonly Need[];
  /**
   * Cases of the same registry that decide this one when the receiver misses its deadline there: this case
   * runs after them, and when one of them failed because no complete answer came within the deadline, every
   * request of this case would be cut at the same deadline, so it is not assessed, blocked by that case
   * (src/core/decided.ts). `defineConformance` checks the ids against the registry at compile time.
   */
  after?: readonly string[];
  /**
   * The case is about authenticity (a forged, tampered or unauthenticated message accepted; a replay): its
   * failure, or its permitted finding, is a security finding wherever a report shows it (decisions/022).
   */
  security?: true;
  /**
   * The vendor document's words that explicitly permit what the case looks for (decisions/022): the case never
   * fails; a receiver that does what the document permits passes, with a finding (a security finding when
   * `security`).
   */
  permitted?: string;
}

/** A profile's requirements, keyed by stable case id `<profile>.<area>.<behaviour>`. */
export type Registry = Readonly<Record<string, Requirement>>;

/** A registry whose every `after` names a case of its own: a misspelt precondition fails the type check. */
export type Preconditioned<R> = {
  readonly [K in keyof R]: Requirement & { readonly after?: readonly (keyof R & string)[] };
};

/**
 * `error` is pushcheck's own failure (a bug, a case past its time limit): never graded against the receiver,
 * it makes the run incomplete.
 */
export type Outcome = 'passed' | 'failed' | 'not-assessed' | 'skipped' | 'error';

/** Attachment names shared by the fixtures, the checks and the reporter. */
export const ATTACH = {
  exchange: 'pushcheck.exchange',
  verdict: 'pushcheck.verdict',
  metrics: 'pushcheck.metrics',
  observation: 'pushcheck.observation',
} as const;
export const ANNOTATE = {
  id: 'pushcheck.id',
  needs: 'pushcheck.needs',
  /** The case's preconditions (`Requirement.after`), comma-separated. */
  after: 'pushcheck.after',
  /** The precondition whose failure blocked the case. */
  blockedBy: 'pushcheck.blocked-by',
  /** A request of the case was cut at its deadline: should the case fail, the cases after it are decided. */
  late: 'pushcheck.late',
  notAssessed: 'pushcheck.not-assessed',
  notApplicable: 'pushcheck.not-applicable',
  /** The index of the run a case belongs to, among the runs of one Playwright process. */
  run: 'pushcheck.run',
  /** Where the case is written (`file:line`): Playwright's own location is where `conformance` registers it. */
  location: 'pushcheck.location',
  /** The requirement's `permitted`: `fail()` then ends the case with a finding instead of a failure. */
  permitted: 'pushcheck.permitted',
  /** What a permitted case found (its `fail()` message). */
  finding: 'pushcheck.finding',
} as const;

function attachJson(name: string, value: unknown): void {
  test.info().attachments.push({
    name,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify(value)),
  });
}

/** Records an exchange in the case's wire log (without the raw response buffer). */
export function recordExchange(exchange: Exchange): void {
  const { response, ...rest } = exchange;
  attachJson(ATTACH.exchange, response ? { ...rest, response: { ...response, raw: undefined } } : rest);
}

/** Records figures a case measured (latencies, counts) for the report. */
export function recordMetrics(metrics: Record<string, number | string>): void {
  attachJson(ATTACH.metrics, metrics);
}

/** Records what the observer saw, so a reader can tell which observer assessed the case and how. */
export function recordObservation(observation: Record<string, unknown>): void {
  attachJson(ATTACH.observation, observation);
}

/**
 * Fails the case with what was expected and what happened. A case whose requirement the document explicitly
 * permits to go the other way (`permitted`) is never failed: it ends with a finding, which the reporter shows as
 * "passed, with a finding" (decisions/022); Playwright's own reporters see it skipped, with the reason.
 */
export function fail(message: string, expected: string, actual: string): never {
  attachJson(ATTACH.verdict, { message, expected, actual });
  const info = test.info();
  const permitted = info.annotations.find((a) => a.type === ANNOTATE.permitted)?.description;
  if (permitted !== undefined) {
    info.annotations.push({ type: ANNOTATE.finding, description: message });
    test.skip(true, `a finding, not a failure: the document permits it ("${permitted}"): ${message}`);
  }
  throw new Error(`${message}\n  expected: ${expected}\n  actual:   ${actual}`);
}

/** Ends the case as not assessed: the run lacks something the case needs. */
export function notAssessed(reason: string): never {
  test.info().annotations.push({ type: ANNOTATE.notAssessed, description: reason });
  test.skip(true, reason);
  throw new Error('unreachable');
}

/** Ends the case as skipped: the receiver's configuration does not offer what the case tests. */
export function notApplicable(reason: string): never {
  test.info().annotations.push({ type: ANNOTATE.notApplicable, description: reason });
  test.skip(true, reason);
  throw new Error('unreachable');
}

/** A one-line description of what came back, for "actual". */
export function describeResponse(ex: Exchange): string {
  if (ex.error !== undefined) return `no usable response: ${ex.error} (after ${ex.timings.totalMs} ms)`;
  const r = ex.response;
  if (!r) return 'no response';
  const body = r.bodyBytes === 0 ? 'an empty body' : `body ${clipped(r.body, r.bodyBytes)}`;
  const location = r.headers.location;
  // The platform posts to the configured URL only, so pushcheck follows no redirect (decisions/009).
  const redirect =
    r.status >= 300 && r.status < 400 && location !== undefined
      ? ` redirecting to ${JSON.stringify(location)} (not followed: the ack must come from the configured URL)`
      : '';
  return `HTTP ${r.status}${redirect} with ${body} after ${ex.timings.totalMs} ms`;
}

/** How many characters of a body a failure's one-line "actual" quotes; the wire log keeps the rest. */
export const ACTUAL_BODY_CHARS = 200;

/** `text` quoted as JSON, cut to {@link ACTUAL_BODY_CHARS} characters with its size and where the rest is. */
export function clipped(text: string, bytes: number = Buffer.byteLength(text)): string {
  if (text.length <= ACTUAL_BODY_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, ACTUAL_BODY_CHARS))}… (${bytes} bytes; the whole body is in the case's wire log)`;
}

/** The status must be exactly `status` and the response complete. */
export function expectStatus(ex: Exchange, status: number, why: string): void {
  if (ex.error !== undefined || ex.response?.status !== status) {
    fail(why, `HTTP ${status}`, describeResponse(ex));
  }
}

/** The body must equal `expected` byte for byte. */
export function expectBody(ex: Exchange, expected: string, why: string): void {
  const raw = ex.response?.raw;
  if (!raw?.equals(Buffer.from(expected, 'utf8'))) {
    fail(
      why,
      `body ${JSON.stringify(expected)} (${Buffer.byteLength(expected)} bytes)`,
      describeResponse(ex),
    );
  }
}

/** The response must be complete within `ms` of the request start. */
export function expectWithin(ex: Exchange, ms: number, why: string): void {
  if (ex.error !== undefined || ex.timings.totalMs > ms) {
    fail(why, `a complete response within ${ms} ms`, describeResponse(ex));
  }
}

/**
 * A server error or a broken connection: what a receiver must never answer to bad input. A status below 500
 * that arrived before the connection closed counts as an answer (a 413, then a close, is how many servers
 * refuse a large body).
 */
export function expectNoServerError(ex: Exchange, why: string): void {
  const status = ex.response?.status;
  if (status === undefined || status >= 500) {
    fail(why, 'any answer below 500 (400 or 413 are usual)', describeResponse(ex));
  }
}

/** Percentile (nearest rank) of a non-empty list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
