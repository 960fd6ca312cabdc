/**
 * One-defect variants of the reference Eye4 receiver, each named for its defect and for the cases meant to
 * catch it. These are the mistakes an integrator makes; the self-test shows the suite catches each one.
 */
import type { Eye4CaseId } from '../../specs/eye4/requirements.ts';
import { type Behaviour, reference } from './reference.ts';

export interface FaultyReceiver {
  /** What is wrong, as a customer's code would have it. */
  defect: string;
  /** The step that differs from the reference. */
  behaviour: Partial<Behaviour>;
  /** The cases meant to catch it. */
  caughtBy: readonly Eye4CaseId[];
  /** The defect shows only when the receiver looks recordings up (the run serves the Eye4 API mock). */
  needsApi?: boolean;
  /** Why other cases fail too, where the defect is not confined to what `caughtBy` tests. */
  collateral?: string;
}

export const faulty = {
  'slow-ack': {
    defect: 'answers each alarm after 6 s (it fetches the cover image before answering)',
    behaviour: { ackDelayMs: 6000 },
    caughtBy: ['eye4.alarm.acked'],
    collateral: 'every alarm is answered late, so every case that sends one is cut off at the deadline',
  },
  'never-records': {
    defect: 'acks every alarm but never hands it on (its processing queue is never drained)',
    behaviour: { records: false },
    caughtBy: ['eye4.alarm.processed'],
    collateral: 'nothing is ever recorded, so every case that looks at processing fails or is not assessed',
  },
  'guid-optional': {
    defect: 'checks the guid only when the header is present',
    behaviour: { guidAccepted: (header, guid) => header === null || header === guid },
    caughtBy: ['eye4.guid.missing-not-processed'],
  },
  'guid-prefix': {
    defect: 'accepts any guid header that starts with the account guid',
    behaviour: { guidAccepted: (header, guid) => header !== null && header.startsWith(guid) },
    caughtBy: ['eye4.guid.wrong-not-processed'],
  },
  'no-guid-check': {
    defect: 'processes every alarm without looking at the guid header',
    behaviour: { guidAccepted: () => true },
    caughtBy: ['eye4.guid.missing-not-processed', 'eye4.guid.wrong-not-processed'],
  },
  'fileid-required': {
    defect: 'refuses alarms whose payload has no fileid (400), so low-battery reminders are lost',
    behaviour: { requiresFileid: true },
    caughtBy: ['eye4.alarm.low-battery-accepted'],
  },
  'dedup-on-fileid': {
    defect:
      'de-duplicates alarms on payload.fileid alone, so every reminder after the first looks like a repeat',
    behaviour: { alarmKey: (_alarm, payload) => String(payload.fileid) },
    caughtBy: ['eye4.alarm.low-battery-accepted'],
  },
  'object-payload-only': {
    defect: 'binds payload to an object type, so a payload sent as JSON text is refused (400)',
    behaviour: {
      payload: (raw) =>
        typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? reference.payload(raw) : undefined,
    },
    caughtBy: ['eye4.payload.as-string'],
  },
  'no-dedup': {
    defect: 'processes the same alarm again when it comes twice',
    behaviour: { dedupe: false },
    caughtBy: ['eye4.dedup.processed-once'],
  },
  'waits-for-resource': {
    defect: 'records an alarm with a recording only once its resource message has come',
    behaviour: { waitForResource: true },
    caughtBy: ['eye4.resource.never-arrives'],
  },
  'unknown-resource-500': {
    defect: 'answers 500 to a resource message whose alarm it has not seen',
    behaviour: { unknownResourceStatus: 500 },
    caughtBy: ['eye4.resource.unknown-fileid', 'eye4.resource.before-alarm'],
  },
  'shared-seen': {
    defect:
      'keeps one "seen" set for alarm and resource fileids, so an alarm whose resource message came first is dropped as a repeat',
    behaviour: { sharedSeen: true },
    caughtBy: ['eye4.resource.before-alarm'],
  },
  'capital-key-only': {
    defect: 'reads the fileid of a resource message from "Key" only, so one spelt "key" is refused',
    behaviour: {
      resourceFileid: (body) => (typeof body.Key === 'string' && body.Key !== '' ? body.Key : undefined),
    },
    caughtBy: ['eye4.resource.key-either-case'],
    needsApi: true,
  },
  'lookup-d005': {
    defect: 'looks doorbell recordings up as alarm cloud storage (type D005), so it never finds them',
    behaviour: {
      lookupRequest: (fileid, extra) => ({
        body: JSON.stringify({ fileid, type: 'D005', ...extra }),
        type: 'application/json; charset=utf-8',
      }),
    },
    caughtBy: ['eye4.lookup.fileid-and-type'],
    needsApi: true,
  },
  'lookup-form-body': {
    defect: 'sends the lookup as a form (fileid=…&type=D009) instead of JSON',
    behaviour: {
      lookupRequest: (fileid) => ({
        body: new URLSearchParams({ fileid, type: 'D009' }).toString(),
        type: 'application/x-www-form-urlencoded',
      }),
    },
    caughtBy: ['eye4.lookup.fileid-and-type'],
    needsApi: true,
    collateral: 'no lookup names a fileid the API can read, so the cases observed through lookups fail too',
  },
  'expired-crash': {
    defect: 'reads the first file of the lookup without checking, so an expired recording ([]) gets a 500',
    behaviour: { expiredStatus: 500 },
    caughtBy: ['eye4.lookup.expired-handled'],
    needsApi: true,
  },
  'payload-parse-unguarded': {
    defect: 'parses a payload given as text without catching the error, so text that is not JSON is a 500',
    behaviour: {
      payload: (raw) => reference.payload(typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw),
    },
    caughtBy: ['eye4.robust.malformed-alarm'],
  },
  'resource-key-unguarded': {
    defect: 'calls (body.Key ?? body.key).trim() on every resource message, so one without a key is a 500',
    behaviour: {
      resourceFileid: (body) => ((body.Key ?? body.key) as string).trim(),
    },
    caughtBy: ['eye4.robust.malformed-resource'],
  },
  'crash-on-malformed': {
    defect:
      'dies on an alarm body that is not JSON (an unguarded JSON.parse): every later request gets a closed connection',
    behaviour: { crashOnNotJson: true },
    caughtBy: ['eye4.robust.malformed-alarm'],
    collateral: 'a dead receiver fails every case that runs after it died',
  },
} as const satisfies Record<string, FaultyReceiver>;

export type FaultyName = keyof typeof faulty;

/** The reference behaviour with the defect of `name`. */
export function faultyBehaviour(name: FaultyName): Behaviour {
  return { ...reference, ...faulty[name].behaviour };
}
