/**
 * The reference Eye4 receiver (the customer's server) as msw handlers: what a correct server does with alarm
 * and resource callbacks, including the playback lookup it makes against the Eye4 API. Each step is a field
 * of {@link Behaviour}, so that the faulty receivers (faulty.ts) are this receiver with one step replaced.
 */
import { appendFileSync } from 'node:fs';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { BadInputAnswers } from '../bad-input.ts';
import type { components } from '../../specs/eye4/generated/types.ts';

type Alarm = components['schemas']['Alarm'];
type AlarmPayload = components['schemas']['AlarmPayload'];
type LookupRequest = components['schemas']['LookupRequest'];
type LookupResponse = components['schemas']['LookupResponse'];

export interface ReceiverOptions {
  /** The fixed guid of the account; a request without it is not processed. */
  guid: string;
  /** Where processed alarms (one JSON line each, with their did) and resource messages are recorded. */
  observeFile?: string | undefined;
  /** The Eye4 API the receiver looks recordings up in (pushcheck's mock); no lookups when absent. */
  apiOrigin?: string | undefined;
  /** Sent in every lookup body when set (the table lists them beside fileid and type). */
  userid?: string | undefined;
  authkey?: string | undefined;
  alarmPath?: string;
  resourcePath?: string;
}

/** The receiver's paths, unless told otherwise: alarms and resource messages on separate interfaces (§V.1). */
export const ALARM_PATH = '/eye4/alarm';
export const RESOURCE_PATH = '/eye4/resource';

/** How long a lookup may take before the receiver gives up on it. */
const LOOKUP_TIMEOUT_MS = 3000;

/** The steps of receiving; a faulty receiver replaces one. */
export interface Behaviour {
  /** Whether a request's guid header (null when absent) is the account's. */
  guidAccepted(header: string | null, guid: string): boolean;
  /** The decoded payload of an alarm (object or JSON text), or undefined when it is not one. */
  payload(raw: unknown): AlarmPayload | undefined;
  /** Whether an alarm without a fileid is refused. */
  requiresFileid: boolean;
  /** What identifies an alarm for de-duplication. */
  alarmKey(alarm: Alarm, payload: AlarmPayload): string;
  /** Whether a second alarm with a key already seen is skipped. */
  dedupe: boolean;
  /** Whether an alarm with a recording is recorded only once its resource message has come. */
  waitForResource: boolean;
  /** Whether resource messages' fileids go into the alarms' de-duplication memory (a shared "seen" set). */
  sharedSeen: boolean;
  /** The fileid a resource message announces, or undefined when it names none. */
  resourceFileid(body: Record<string, unknown>): string | undefined;
  /** The answer to a resource message for a fileid no alarm has announced. */
  unknownResourceStatus: number;
  /** The lookup request's body and Content-Type for `fileid`. */
  lookupRequest(fileid: string, extra: { userid?: string; authkey?: string }): { body: string; type: string };
  /** The answer to a resource message whose lookup listed no files (expired). */
  expiredStatus: number;
  /** Whether processed alarms are recorded at all (a receiver whose queue is never drained does not). */
  records: boolean;
  /** Milliseconds before answering an alarm. */
  ackDelayMs: number;
  /**
   * Whether a body that is not JSON throws out of the handler (a JSON.parse left unguarded) and takes the
   * server down: that request and every later one get a closed connection.
   */
  crashOnNotJson: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const reference: Behaviour = {
  guidAccepted: (header, guid) => header === guid,
  payload(raw) {
    let value: unknown = raw;
    if (typeof raw === 'string') {
      try {
        value = JSON.parse(raw);
      } catch {
        return undefined;
      }
    }
    if (!isObject(value)) return undefined;
    if (value.fileid !== undefined && (typeof value.fileid !== 'string' || value.fileid === ''))
      return undefined;
    return value as AlarmPayload;
  },
  requiresFileid: false,
  // A recording's fileid is unique; an alarm without one is identified by everything it says.
  alarmKey: (alarm, payload) =>
    payload.fileid ?? JSON.stringify([alarm.did, alarm.action, alarm.type, payload.electricity ?? null]),
  dedupe: true,
  waitForResource: false,
  sharedSeen: false,
  resourceFileid(body) {
    for (const name of ['key', 'Key', 'd009_id']) {
      const v = body[name];
      if (typeof v === 'string' && v.length > 0) return v;
    }
    return undefined;
  },
  unknownResourceStatus: 200,
  lookupRequest: (fileid, extra) => ({
    body: JSON.stringify({ fileid, type: 'D009', ...extra } satisfies LookupRequest),
    type: 'application/json; charset=utf-8',
  }),
  expiredStatus: 200,
  records: true,
  ackDelayMs: 0,
  crashOnNotJson: false,
};

function isAlarm(v: unknown): v is Alarm {
  return (
    isObject(v) &&
    typeof v.type === 'string' &&
    typeof v.action === 'string' &&
    typeof v.did === 'string' &&
    v.did.length > 0 &&
    (typeof v.payload === 'string' || isObject(v.payload))
  );
}

/** The receiver's handlers; each call makes a receiver with its own memory. */
export function eye4Handlers(opts: ReceiverOptions, behaviour: Behaviour = reference): RequestHandler[] {
  const alarmPath = opts.alarmPath ?? ALARM_PATH;
  const resourcePath = opts.resourcePath ?? RESOURCE_PATH;
  /** De-duplication memory of alarms. */
  const seen = new Set<string>();
  /** Alarms with a recording, by fileid, and whether they were recorded yet. */
  const alarms = new Map<string, { did: string; action: string; recorded: boolean }>();
  /** Resource messages that came before their alarm. */
  const early = new Set<string>();
  const crash = new BadInputAnswers();

  const log = (entry: Record<string, unknown>): void => {
    if (opts.observeFile !== undefined) appendFileSync(opts.observeFile, `${JSON.stringify(entry)}\n`);
  };
  const recordAlarm = (did: string, action: string, fileid: string | undefined): void => {
    if (behaviour.records) log({ kind: 'alarm', did, action, fileid: fileid ?? null });
  };

  /** Looks `fileid` up; undefined when there is no API to ask or it did not answer with a list. */
  async function lookup(fileid: string): Promise<LookupResponse | undefined> {
    if (opts.apiOrigin === undefined) return undefined;
    const extra = {
      ...(opts.userid !== undefined ? { userid: opts.userid } : {}),
      ...(opts.authkey !== undefined ? { authkey: opts.authkey } : {}),
    };
    const req = behaviour.lookupRequest(fileid, extra);
    try {
      const res = await fetch(`${opts.apiOrigin}/push/fileid`, {
        method: 'POST',
        headers: { 'content-type': req.type },
        body: req.body,
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      });
      const files: unknown = await res.json();
      if (!res.ok || !Array.isArray(files)) return undefined;
      log({ kind: 'lookup', fileid, files: files.length });
      return files as LookupResponse;
    } catch {
      return undefined;
    }
  }

  /** Reads a JSON body; a Response when the body is empty or not JSON. */
  async function readJson(request: Request): Promise<unknown> {
    const text = await request.text();
    if (text.length === 0) return HttpResponse.text('empty body', { status: 400 });
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return behaviour.crashOnNotJson
        ? crash.answer('crash', 'body is not JSON')
        : HttpResponse.text('body is not JSON', { status: 400 });
    }
  }

  async function receiveAlarm(request: Request): Promise<Response> {
    if (!behaviour.guidAccepted(request.headers.get('guid'), opts.guid)) {
      return HttpResponse.text('unknown sender', { status: 403 });
    }
    const body = await readJson(request);
    if (body instanceof Response) return body;
    if (!isAlarm(body))
      return HttpResponse.text('type, action, did and payload are required', { status: 400 });
    const payload = behaviour.payload(body.payload);
    if (payload === undefined) return HttpResponse.text('payload is not an object', { status: 400 });
    const fileid = payload.fileid;
    if (fileid === undefined && behaviour.requiresFileid) {
      return HttpResponse.text('payload.fileid is required', { status: 400 });
    }
    if (behaviour.ackDelayMs > 0) await delay(behaviour.ackDelayMs);
    let key: string;
    try {
      key = behaviour.alarmKey(body, payload);
    } catch (err) {
      // A payload nested deeper than JSON.stringify can write (the fuzzer's deep arrays) has no key.
      if (!(err instanceof RangeError)) throw err;
      return HttpResponse.text('payload is nested too deeply', { status: 400 });
    }
    if (behaviour.dedupe && seen.has(key)) return HttpResponse.text('ok (duplicate)');
    seen.add(key);
    if (fileid === undefined) {
      recordAlarm(body.did, body.action, undefined);
      return HttpResponse.text('ok');
    }
    const ready = early.delete(fileid);
    const recorded = !behaviour.waitForResource || ready;
    alarms.set(fileid, { did: body.did, action: body.action, recorded });
    if (recorded) recordAlarm(body.did, body.action, fileid);
    // The recording was announced before its alarm: it can be fetched now.
    if (ready) await lookup(fileid);
    return HttpResponse.text('ok');
  }

  async function receiveResource(request: Request): Promise<Response> {
    if (!behaviour.guidAccepted(request.headers.get('guid'), opts.guid)) {
      return HttpResponse.text('unknown sender', { status: 403 });
    }
    const body = await readJson(request);
    if (body instanceof Response) return body;
    if (!isObject(body)) return HttpResponse.text('body must be an object', { status: 400 });
    const fileid = behaviour.resourceFileid(body);
    if (fileid === undefined) return HttpResponse.text('key (or Key) is required', { status: 400 });
    log({ kind: 'resource', fileid });
    if (behaviour.sharedSeen) seen.add(fileid);
    const alarm = alarms.get(fileid);
    if (!alarm) {
      if (behaviour.unknownResourceStatus !== 200) {
        return HttpResponse.text('no such alarm', { status: behaviour.unknownResourceStatus });
      }
      early.add(fileid);
      return HttpResponse.text('ok (alarm not seen yet)');
    }
    if (!alarm.recorded) {
      alarm.recorded = true;
      recordAlarm(alarm.did, alarm.action, fileid);
    }
    const files = await lookup(fileid);
    if (files?.length === 0 && behaviour.expiredStatus !== 200) {
      return HttpResponse.text('recording has no files', { status: behaviour.expiredStatus });
    }
    return HttpResponse.text('ok');
  }

  return [
    http.all('*', crash.whenCrashed),
    http.post(alarmPath, ({ request }) => receiveAlarm(request)),
    http.post(resourcePath, ({ request }) => receiveResource(request)),
  ];
}
