/**
 * One-defect variants of the reference push server, each named for its defect and for the case meant to
 * catch it: the mistakes people make writing a Control iD push server.
 */
import type { ControlIdCaseId } from '../../specs/controlid/requirements.ts';
import { contentTypeOf, OCTET_STREAM } from '../../src/protocols/controlid/codec.ts';
import { type Behaviour, reference } from './reference.ts';

export interface FaultyServer {
  /** What is wrong, as a server's code would have it. */
  defect: string;
  /** The step that differs from the reference. */
  behaviour: Partial<Behaviour>;
  /** The cases meant to catch it. */
  caughtBy: readonly ControlIdCaseId[];
  /** Why other cases fail too, where the defect is not confined to what `caughtBy` tests. */
  collateral?: string;
  /** Options the self-test runs it with, where the defaults would make it slow (a short request timeout). */
  runWith?: readonly string[];
}

export const faulty = {
  'idle-json-object': {
    defect: 'answers an idle poll with {} (res.json({})) instead of an empty body',
    behaviour: { idleBody: '{}' },
    caughtBy: ['controlid.poll.idle-zero-length'],
  },
  'idle-null': {
    defect: 'answers an idle poll with the JSON null of an absent command',
    behaviour: { idleBody: 'null' },
    caughtBy: ['controlid.poll.idle-empty'],
    collateral: 'every idle poll is answered null: the unknown-device poll and the 50 concurrent polls too',
  },
  'unknown-device-404': {
    defect: 'answers 404 to a device id it does not know instead of an empty response',
    behaviour: { unknownDevice: 404 },
    caughtBy: ['controlid.poll.unknown-device-empty'],
    collateral: 'the 50 concurrent devices are not enrolled either',
  },
  'result-body': {
    defect: 'answers a result with {"status":"ok"} instead of an empty body',
    behaviour: { resultBody: '{"status":"ok"}' },
    caughtBy: ['controlid.result.response-empty', 'controlid.result.error-empty'],
  },
  'requeue-after-result': {
    defect:
      'looks for the outcome under "result" instead of "response", takes every result for a failure and queues the command again',
    behaviour: { onResult: 'requeue' },
    caughtBy: ['controlid.command.not-redelivered'],
  },
  'global-queue': {
    defect: 'keeps one queue for all devices: whichever device polls first gets the next command',
    behaviour: { queueKey: () => 'all' },
    // The idle case's other device, polling while the idle one waits, takes its command.
    caughtBy: ['controlid.command.device-isolated', 'controlid.command.survives-idle-period'],
  },
  'device-id-as-double': {
    defect:
      'parses deviceId with Number(), so int64 ids above 2^53 that differ in the last digits share a queue',
    behaviour: { queueKey: (id) => String(Number(id)) },
    caughtBy: ['controlid.command.device-isolated'],
  },
  'lowercase-verb': {
    defect: 'sends the verb in lower case ("post"); the document allows GET or POST',
    behaviour: { encode: (c) => ({ ...c, verb: (c.verb ?? 'POST').toLowerCase() as 'POST' }) },
    caughtBy: ['controlid.command.delivered'],
  },
  'all-at-once': {
    defect: 'answers a poll with every queued command, as a JSON array, when more than one is queued',
    behaviour: { pick: (pending) => [...pending] },
    caughtBy: ['controlid.command.one-per-poll'],
  },
  'newest-first': {
    defect: 'delivers the most recently queued command first (a stack, not a queue)',
    behaviour: { pick: (pending) => pending.slice(-1) },
    caughtBy: ['controlid.command.in-order'],
  },
  'base64url-body': {
    defect: 're-encodes octet-stream bodies as unpadded base64url (- and _ instead of + and /)',
    behaviour: {
      encode: (c) =>
        contentTypeOf(c) === OCTET_STREAM && typeof c.body === 'string'
          ? { ...c, body: Buffer.from(c.body, 'base64').toString('base64url') }
          : c,
    },
    caughtBy: ['controlid.command.octet-stream-base64'],
  },
  'malformed-result-500': {
    defect:
      'trusts the result to be JSON with response or error: anything else ends in an exception and a 500',
    behaviour: { malformedResultStatus: 500 },
    caughtBy: ['controlid.result.malformed-no-5xx'],
  },
  'ignores-results': {
    defect: 'answers results correctly but never records what they say',
    behaviour: { records: false },
    caughtBy: ['controlid.result.processed'],
  },
  'slow-poll': {
    defect: 'answers every poll 1.5 s late, past a 1 s push_request_timeout',
    behaviour: { pollDelayMs: 1500 },
    caughtBy: ['controlid.timing.within-request-timeout'],
    collateral: 'every poll is cut off at the timeout',
    // Its catching case alone, so the self-test does not wait out every poll of the suite; and past the
    // preflight, which stops a run whose first poll gets no answer within the timeout.
    runWith: ['--request-timeout', '1000', '--grep', 'controlid\\.timing\\.within', '--no-preflight'],
  },
  sluggish: {
    defect: 'takes 1.2 s over every poll: within the timeout, but a chain of commands crawls',
    behaviour: { pollDelayMs: 1200 },
    caughtBy: ['controlid.timing.fast'],
    runWith: ['--grep', 'controlid\\.timing\\.fast'],
  },
  'serial-polls': {
    defect: 'answers one poll at a time, 100 ms each: the 50th of 50 concurrent devices waits 5 s',
    behaviour: { pollWorkMs: 100 },
    caughtBy: ['controlid.poll.concurrent-devices'],
    collateral:
      'while 50 devices poll at once every other poll queues behind them, and the idle case, which runs beside the others, may be cut at the request timeout',
    runWith: ['--request-timeout', '3000'],
  },
  'purges-idle-devices': {
    defect:
      'forgets the queued commands of a device that has not polled for 10 s ("offline" housekeeping), though devices poll once a period (60 s by default)',
    behaviour: { idlePurgeMs: 10_000 },
    caughtBy: ['controlid.command.survives-idle-period'],
    // Its catching case alone, over a period past its 10 s.
    runWith: ['--period', '12', '--grep', 'idle-period'],
  },
  'crash-on-malformed': {
    defect:
      'dies on a result body that is not JSON (an unguarded JSON.parse): every later poll and result gets a closed connection',
    behaviour: { crashOnNotJson: true },
    caughtBy: ['controlid.result.malformed-no-5xx'],
    collateral: 'a dead server fails every case that runs after it died',
  },
} as const satisfies Record<string, FaultyServer>;

export type FaultyName = keyof typeof faulty;

/** The reference behaviour with the defect of `name`. */
export function faultyBehaviour(name: FaultyName): Behaviour {
  return { ...reference, ...faulty[name].behaviour };
}
