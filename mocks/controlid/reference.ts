/**
 * The reference Control iD push server as msw handlers: what a correct server does, with the pushcheck
 * provider-state hook. Each step is a field of {@link Behaviour}, so the faulty servers (faulty.ts) are this
 * server with one step replaced.
 */
import { appendFileSync } from 'node:fs';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { BadInputAnswers } from '../bad-input.ts';
import type { components } from '../../specs/controlid/generated/types.ts';
import { isInt64 } from '../../src/protocols/controlid/codec.ts';

type Command = components['schemas']['Command'];
type ProviderState = components['schemas']['ProviderState'];

export interface ServerOptions {
  /** The base path: the server answers `<path>/push` and `<path>/result`. */
  path?: string;
  /** Where the provider-state hook listens. */
  statePath?: string;
  /** Where results are recorded, one JSON line each. */
  observeFile?: string | undefined;
  /** The devices enrolled on the server (a real server knows its devices). */
  enrolled?: readonly string[];
}

export const DEFAULT_PATH = '/api';
export const DEFAULT_STATE_PATH = '/pushcheck/state';

/** A queued command and where it is in its transaction. */
export interface Queued {
  command: Command;
  /** Set when delivered: the uuid of the poll that took it (or a server-made one when the poll had none). */
  sentWith?: string;
}

/** The steps of serving; a faulty server replaces one. */
export interface Behaviour {
  /** Which queue a device id's polls and commands use. */
  queueKey(deviceId: string): string;
  /** The answer to a poll with nothing to do: the body (status 200). */
  idleBody: string;
  /** The answer to a poll from a device that is not enrolled and has nothing queued: 'idle', or a status. */
  unknownDevice: 'idle' | number;
  /** Which pending commands one poll delivers (the reference: the first). */
  pick(pending: readonly Queued[]): Queued[];
  /** The command as it goes on the wire. */
  encode(command: Command): Command;
  /** What a result does to the command it closes: the reference forgets it. */
  onResult: 'forget' | 'requeue';
  /** The body of the answer to a result (status 200). */
  resultBody: string;
  /** The status for a result body that is not a result. */
  malformedResultStatus: number;
  /** Whether results are recorded in the observe file. */
  records: boolean;
  /** Milliseconds before answering a poll. */
  pollDelayMs: number;
  /** Milliseconds of work per poll, one poll at a time (a single-threaded server). */
  pollWorkMs: number;
  /**
   * Forgets the undelivered commands of a device that has not polled for this long, at any request ("offline"
   * housekeeping); never when absent, as a correct server: a device is silent for a whole push_request_period.
   */
  idlePurgeMs?: number;
  /**
   * What the hook's reset does with `keep`: keeps those devices' commands; or, as hooks written before it,
   * ignores it (forgets all) or refuses a reset with params (400).
   */
  resetKeep: 'keeps' | 'ignores' | 'refuses';
  /**
   * Whether a result body that is not JSON throws out of the handler (a JSON.parse left unguarded) and takes the
   * server down: that request and every later one get a closed connection.
   */
  crashOnNotJson: boolean;
}

export const reference: Behaviour = {
  queueKey: (deviceId) => deviceId,
  idleBody: '',
  unknownDevice: 'idle',
  pick: (pending) => pending.slice(0, 1),
  encode: (command) => command,
  onResult: 'forget',
  resultBody: '',
  malformedResultStatus: 400,
  records: true,
  pollDelayMs: 0,
  pollWorkMs: 0,
  resetKeep: 'keeps',
  crashOnNotJson: false,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isResult(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (Array.isArray(value.transactions_results)) return true;
  return 'response' in value !== 'error' in value;
}

function isProviderState(value: unknown): value is ProviderState {
  if (!isObject(value)) return false;
  if (value.state === 'reset') {
    const keep = isObject(value.params) ? value.params.keep : undefined;
    return (
      value.params === undefined ||
      (Array.isArray(keep) && keep.every((id) => typeof id === 'string' && isInt64(id)))
    );
  }
  const p = value.params;
  return (
    value.state === 'command queued' &&
    isObject(p) &&
    typeof p.deviceId === 'string' &&
    isInt64(p.deviceId) &&
    isObject(p.command)
  );
}

/** The server's handlers; each call makes a server with its own queues. */
export function controlidHandlers(
  opts: ServerOptions = {},
  behaviour: Behaviour = reference,
): RequestHandler[] {
  const path = (opts.path ?? DEFAULT_PATH).replace(/\/+$/, '');
  const enrolled = new Set(opts.enrolled ?? []);
  const queues = new Map<string, Queued[]>();
  /** When each queue's device last polled, or had its first command queued if it never has. */
  const lastSeen = new Map<string, number>();
  let serverUuids = 0;
  const crash = new BadInputAnswers();
  let turn: Promise<unknown> = Promise.resolve();

  const queueOf = (deviceId: string): Queued[] => {
    const key = behaviour.queueKey(deviceId);
    let q = queues.get(key);
    if (!q) queues.set(key, (q = []));
    return q;
  };
  const deviceIdOf = (request: Request): string | undefined => {
    const id = new URL(request.url).searchParams.get('deviceId');
    return id !== null && isInt64(id) ? id : undefined;
  };

  function sweep(): void {
    const limit = behaviour.idlePurgeMs;
    if (limit === undefined) return;
    for (const [key, queue] of queues) {
      if (Date.now() - (lastSeen.get(key) ?? 0) <= limit) continue;
      queues.set(
        key,
        queue.filter((q) => q.sentWith !== undefined),
      );
    }
  }

  async function poll(request: Request): Promise<Response> {
    if (behaviour.pollWorkMs > 0) {
      const mine = turn.then(() => delay(behaviour.pollWorkMs));
      turn = mine;
      await mine;
    }
    if (behaviour.pollDelayMs > 0) await delay(behaviour.pollDelayMs);
    const deviceId = deviceIdOf(request);
    if (deviceId === undefined) return HttpResponse.text('deviceId must be an int64', { status: 400 });
    sweep();
    lastSeen.set(behaviour.queueKey(deviceId), Date.now());
    const queue = queueOf(deviceId);
    const pending = queue.filter((q) => q.sentWith === undefined);
    const picked = behaviour.pick(pending);
    if (picked.length === 0) {
      if (behaviour.unknownDevice !== 'idle' && !enrolled.has(deviceId) && queue.length === 0) {
        return HttpResponse.text('unknown device', { status: behaviour.unknownDevice });
      }
      return new HttpResponse(behaviour.idleBody, { status: 200 });
    }
    const uuid = new URL(request.url).searchParams.get('uuid') ?? `server-${++serverUuids}`;
    for (const q of picked) q.sentWith = uuid;
    const wire = picked.map((q) => behaviour.encode(q.command));
    return HttpResponse.json(wire.length === 1 ? wire[0] : wire);
  }

  async function result(request: Request): Promise<Response> {
    const deviceId = deviceIdOf(request);
    if (deviceId === undefined) return HttpResponse.text('deviceId must be an int64', { status: 400 });
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      if (behaviour.crashOnNotJson) return crash.answer('crash', 'the result is not JSON');
      return HttpResponse.text('the result is not JSON', { status: behaviour.malformedResultStatus });
    }
    if (!isResult(body)) {
      return HttpResponse.text('a result has response or error', { status: behaviour.malformedResultStatus });
    }
    const uuid = new URL(request.url).searchParams.get('uuid');
    let line: string;
    try {
      line = `${JSON.stringify({ deviceId, uuid, result: body })}\n`;
    } catch (err) {
      // Nested deeper than JSON.stringify can write (the fuzzer's deep arrays): it cannot be stored.
      if (!(err instanceof RangeError)) throw err;
      return HttpResponse.text('the result is nested too deeply to record', {
        status: behaviour.malformedResultStatus,
      });
    }
    const queue = queueOf(deviceId);
    const sent = queue.filter((q) => q.sentWith !== undefined);
    const closed = uuid === null ? sent.slice(0, 1) : sent.filter((q) => q.sentWith === uuid);
    for (const q of closed) {
      queue.splice(queue.indexOf(q), 1);
      if (behaviour.onResult === 'requeue') queue.push({ command: q.command });
    }
    if (behaviour.records && opts.observeFile !== undefined) {
      appendFileSync(opts.observeFile, line);
    }
    return new HttpResponse(behaviour.resultBody, { status: 200 });
  }

  async function state(request: Request): Promise<Response> {
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return HttpResponse.text('not JSON', { status: 400 });
    }
    if (!isProviderState(body)) return HttpResponse.text('unknown provider state', { status: 400 });
    if (body.state === 'reset' && body.params && behaviour.resetKeep === 'refuses') {
      return HttpResponse.text('a reset has no params', { status: 400 });
    }
    sweep();
    if (body.state === 'reset') {
      const kept = behaviour.resetKeep === 'keeps' ? (body.params?.keep ?? []) : [];
      const keep = new Set(kept.map((id) => behaviour.queueKey(id)));
      for (const key of queues.keys()) if (!keep.has(key)) queues.delete(key);
    } else {
      const key = behaviour.queueKey(body.params.deviceId);
      if (!lastSeen.has(key)) lastSeen.set(key, Date.now());
      queueOf(body.params.deviceId).push({ command: body.params.command });
    }
    return new HttpResponse(null, { status: 204 });
  }

  return [
    http.all('*', crash.whenCrashed),
    http.get(`${path}/push`, ({ request }) => poll(request)),
    http.post(`${path}/result`, ({ request }) => result(request)),
    http.post(opts.statePath ?? DEFAULT_STATE_PATH, ({ request }) => state(request)),
  ];
}
