/**
 * Control iD Push on the wire: how a device reads the answer to a poll, what counts as an empty response,
 * when two commands are the same command, standard Base64, and int64 device ids kept exact (as text and
 * BigInt, never as a double).
 */
import { isDeepStrictEqual } from 'node:util';
import type { components } from '../../../specs/controlid/generated/types.ts';
import type { Rng } from '../../core/rng.ts';

export type Command = components['schemas']['Command'];
export type CommandBatch = components['schemas']['CommandBatch'];
export type ResultBody = components['schemas']['Result'];
export type ResultBatch = components['schemas']['ResultBatch'];
export type ProviderState = components['schemas']['ProviderState'];

/** `push_request_timeout`'s default (reported by the community; not in the vendor document): the device gives up on a request after it. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
/** `push_request_period`'s default, in seconds: how long an idle device waits before polling again. */
export const DEFAULT_REQUEST_PERIOD_S = 60;
/** The documented defaults of a command's optional fields. */
export const DEFAULT_VERB = 'POST';
export const DEFAULT_CONTENT_TYPE = 'application/json';
export const OCTET_STREAM = 'application/octet-stream';

/**
 * What a device makes of the answer to a poll:
 * - `empty`: nothing to do. A zero-length body is the documented "empty response"; `{}` is what a community
 *   server sends when idle and devices work with it , so a device reads it as empty too;
 *   `zeroLength` says which it was.
 * - `command` / `batch`: something to execute.
 * - `invalid`: anything else (`null`, `[]`, text, a non-2xx status): no command a device can execute.
 */
export type PollAnswer =
  | { kind: 'empty'; zeroLength: boolean }
  | { kind: 'command'; command: Command }
  | { kind: 'batch'; batch: CommandBatch }
  | { kind: 'invalid'; why: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a poll's answer (status and body bytes) as a device does. */
export function readPollAnswer(status: number, body: Buffer): PollAnswer {
  if (status < 200 || status > 299) return { kind: 'invalid', why: `HTTP ${status}` };
  if (body.length === 0) return { kind: 'empty', zeroLength: true };
  const text = body.toString('utf8');
  if (text.trim() === '') return { kind: 'invalid', why: `a body of ${body.length} whitespace bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', why: 'a body that is not JSON' };
  }
  if (!isObject(value)) return { kind: 'invalid', why: `JSON ${JSON.stringify(value)?.slice(0, 60)}` };
  if (Object.keys(value).length === 0) return { kind: 'empty', zeroLength: false };
  if (Array.isArray(value.transactions)) return { kind: 'batch', batch: value as CommandBatch };
  return { kind: 'command', command: value as Command };
}

/** One line for a report: what the device understood. */
export function describeAnswer(answer: PollAnswer): string {
  switch (answer.kind) {
    case 'empty':
      return answer.zeroLength ? 'an empty response (no command)' : '{} (read as no command)';
    case 'command':
      return `the command ${JSON.stringify(answer.command).slice(0, 300)}`;
    case 'batch':
      return `a batch of ${answer.batch.transactions.length} commands`;
    case 'invalid':
      return `no usable answer: ${answer.why}`;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `text` is standard Base64 (RFC 4648 §4: `+` and `/`, padded with `=`), with nothing around it. */
export function isStandardBase64(text: string): boolean {
  return BASE64.test(text);
}

/** The content type of a command, lower-cased and without parameters; the documented default when absent. */
export function contentTypeOf(command: Pick<Command, 'contentType'>): string {
  return (command.contentType ?? DEFAULT_CONTENT_TYPE).split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The command's body as the device's API gets it: an object stays an object, JSON text is parsed. */
function bodyValue(command: Command): unknown {
  const body = command.body;
  if (typeof body !== 'string' || contentTypeOf(command) === OCTET_STREAM) return body;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * Why `delivered` is not the command that was `queued`, or undefined when it is the same command: the same
 * endpoint, verb, content type (defaults filled in), query string and body (an object may travel as JSON
 * text, as the document types body as a string; a Base64 body must be the same text).
 */
export function commandDifference(queued: Command, delivered: Command): string | undefined {
  if (delivered.endpoint !== queued.endpoint) {
    return `endpoint ${JSON.stringify(delivered.endpoint)} instead of ${JSON.stringify(queued.endpoint)}`;
  }
  const verb = (c: Command) => c.verb ?? DEFAULT_VERB;
  if (verb(delivered) !== verb(queued)) return `verb ${verb(delivered)} instead of ${verb(queued)}`;
  if (contentTypeOf(delivered) !== contentTypeOf(queued)) {
    return `contentType ${contentTypeOf(delivered)} instead of ${contentTypeOf(queued)}`;
  }
  if ((delivered.queryString ?? '') !== (queued.queryString ?? '')) {
    return `queryString ${JSON.stringify(delivered.queryString)} instead of ${JSON.stringify(queued.queryString)}`;
  }
  if (!isDeepStrictEqual(bodyValue(delivered), bodyValue(queued))) {
    return `body ${JSON.stringify(delivered.body)?.slice(0, 200)} instead of ${JSON.stringify(queued.body)?.slice(0, 200)}`;
  }
  return undefined;
}

/**
 * Whether `delivered` is recognisably `queued` (the same endpoint and body), whatever else is wrong with it:
 * cases that track which command came use this, and leave the exact fields to controlid.command.delivered.
 */
export function isSameCommand(queued: Command, delivered: Command): boolean {
  return delivered.endpoint === queued.endpoint && isDeepStrictEqual(bodyValue(delivered), bodyValue(queued));
}

/** int64 bounds, as BigInt. */
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Whether `text` is a decimal int64, written as a device writes it (no sign but `-`, no leading zeros). */
export function isInt64(text: string): boolean {
  if (!/^(?:0|-?[1-9][0-9]{0,18})$/.test(text)) return false;
  const n = BigInt(text);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** The ids next to `id` (one below, one above), within int64. */
export function neighbours(id: string): string[] {
  const n = BigInt(id);
  return [n - 1n, n + 1n].filter((m) => m >= INT64_MIN && m <= INT64_MAX).map(String);
}

/**
 * A random positive int64 above 2^53, where a double cannot tell neighbours apart: a device id no server
 * has heard of, and one that a server parsing ids as numbers mangles.
 */
export function randomLargeId(rng: Rng): string {
  const high = BigInt(rng.int(2 ** 30)) << 32n;
  const low = BigInt(rng.int(2 ** 32));
  return String(2n ** 53n + ((high | low) % (INT64_MAX - 2n ** 53n)));
}
