/**
 * The Eye4 alarm-callback requirements: one entry per case, quoted from the vendor document (cited by title,
 * publisher and date in specs/eye4/sources.ts: no public URL for it was found). The document says nothing about
 * the answer a customer server gives, its timing or the platform's retries, so every case about answers is
 * interpreted and at most SHOULD. Ids are stable forever.
 */
import type { Registry, Source } from '../../src/core/case.ts';
import { ALARM_ACCESS } from './sources.ts';

const at = (section: string, quote?: string): Source => ({
  document: ALARM_ACCESS,
  section,
  ...(quote ? { quote } : {}),
});
const NO_ANSWER_SPEC =
  'The document does not say what the customer server answers (status or body), how fast, or whether the platform retries';
const GUID =
  'For HTTP requests from the Eye4 system, the header will have a fixed guid field. The user can judge this field to prevent forged alarm messages.';
const GUID_RULE =
  'Every HTTP request from the Eye4 system carries the fixed guid header, by which the receiver tells a genuine alarm from a forged one.';
const TOLERANCE_RULE =
  'Resource messages may be lost on the network, and the receiver must tolerate a resource that never arrives.';
const TOLERANCE =
  'Resource messages are not guaranteed to arrive 100% of the time. The accessing party needs to be fault-tolerant to handle potential loss of resource files due to network issues.';
const LOOKUP =
  'The receiver gets the download address with the fileid: POST /push/fileid on api.eye4.cn, body {"fileid": "…", "type": "D009"}, where type names the storage (D005 alarm cloud storage, D009 doorbell cloud storage)';

export const requirements = {
  'eye4.alarm.acked': {
    level: 'MAY',
    title: 'acks a genuine alarm with a 2xx within 5 s',
    text: `When a device triggers an alarm, the Eye4 system notifies the customer's server at once. ${NO_ANSWER_SPEC}: pushcheck expects a 2xx within 5 s, as the platforms it knows require, so that an unknown retry policy is never triggered.`,
    source: at(
      '1. Flow Chart',
      "The Eye4 System sends an asynchronous notification to the customer's server.",
    ),
    interpreted: true,
  },
  'eye4.alarm.processed': {
    level: 'MUST',
    title: 'processes a genuine alarm, in the documented shape, with its guid',
    text: 'The customer\'s server receives the alarm by asynchronous notification; the first notification is the alarm message itself: {"type": "doorbell", "action": "100", "did": …, "payload": {"electricity", "fileid", "cover"}}. An alarm carrying the fixed guid header is genuine and is what the receiver exists to process.',
    source: at(
      '1. Flow Chart; 2. Example of an Alarm Message Structure; V.3',
      "The Eye4 System sends an asynchronous notification to the customer's server.",
    ),
    needs: ['observer'],
  },
  'eye4.alarm.low-battery-accepted': {
    level: 'SHOULD',
    title: 'processes low-battery alarms that carry no fileid, each one',
    text: "action: “101: Low power reminder.” A reminder announces no recording, so its payload has no fileid (pushcheck's reading: the document shows only the motion example). Two reminders from two devices are two alarms: a receiver that de-duplicates on fileid must not merge them.",
    source: at('2. Example of an Alarm Message Structure (action)', '`101`: Low power reminder.'),
    interpreted: true,
    needs: ['observer'],
  },
  'eye4.guid.missing-not-processed': {
    level: 'SHOULD',
    security: true,
    title: 'does not process an alarm without the guid header',
    text: `${GUID_RULE} The document lets the user judge the guid (“can”), which is the only defence it offers against forged alarms, hence SHOULD.`,
    source: at('V. Matters Needing Attention, 3', GUID),
    interpreted: true,
    needs: ['observer'],
  },
  'eye4.guid.wrong-not-processed': {
    level: 'SHOULD',
    security: true,
    title: 'does not process an alarm whose guid is wrong, truncated or extended',
    text: `${GUID_RULE} The guid is fixed: an alarm whose guid differs in one character, lacks its last character or has one more is forged.`,
    source: at('V. Matters Needing Attention, 3', GUID),
    interpreted: true,
    needs: ['observer'],
  },
  'eye4.payload.as-string': {
    level: 'SHOULD',
    title: 'processes an alarm whose payload is JSON text rather than an object',
    text: 'payload is data the device defines; the table types payload as a string while the example shows an object ; a receiver should understand both. The object form is the documented example, tested by eye4.alarm.processed.',
    source: at(
      '2. Example of an Alarm Message Structure (parameter table)',
      'Custom data, defined by the device side.',
    ),
    interpreted: true,
    needs: ['observer'],
  },
  'eye4.resource.key-either-case': {
    level: 'SHOULD',
    title: 'understands a resource message whether its fileid comes as key or as Key',
    text: 'The structure shows {"Key": "<--fileid-->", // from the alarm message …}, the table names the field key; the public copies disagree. A receiver that reads one spelling loses the recordings announced with the other. Observed through the playback lookup that follows a resource message.',
    source: at('3. Example of the Resource Message Structure', 'The uploaded resource file name.'),
    interpreted: true,
    needs: ['eye4-api'],
  },
  'eye4.resource.never-arrives': {
    level: 'MUST',
    title: 'processes an alarm whose resource message never arrives',
    text: `${TOLERANCE_RULE} An alarm whose video never announces itself is still an alarm: it is processed without waiting for its resource message.`,
    source: at('V. Matters Needing Attention, 2', TOLERANCE),
    needs: ['observer'],
  },
  'eye4.resource.unknown-fileid': {
    level: 'SHOULD',
    title: 'answers a resource message for an unknown fileid without a server error',
    text: `${TOLERANCE_RULE} A resource message whose alarm was lost is the mirror case: pushcheck expects an answer below 500 and the next genuine alarm acked.`,
    source: at('V. Matters Needing Attention, 2', TOLERANCE),
    interpreted: true,
  },
  'eye4.resource.before-alarm': {
    level: 'SHOULD',
    title: 'tolerates a resource message that arrives before its alarm',
    text: `The alarm is “the first” message and the resource message follows the upload (§2), but two callbacks travel independently; ${TOLERANCE_RULE} pushcheck expects the early resource message answered below 500 and its alarm, arriving next, processed.`,
    source: at('2. Example of an Alarm Message Structure; V. Matters Needing Attention, 2', TOLERANCE),
    interpreted: true,
    needs: ['observer'],
  },
  'eye4.lookup.fileid-and-type': {
    level: 'MUST',
    title: "looks the recording up with the alarm's fileid and type D009",
    text: `${LOOKUP}. For a doorbell alarm the recording is in doorbell cloud storage, D009 (the example), and the fileid is the alarm's payload.fileid, unchanged. Assessed when the receiver fetches playback addresses from pushcheck's Eye4 API mock (--eye4-api-listen).`,
    source: at(
      '4. Get the Resource Playback Address',
      'Resource type (`D005`: Alarm cloud storage, `D009`: Doorbell cloud storage).',
    ),
    needs: ['eye4-api'],
  },
  'eye4.lookup.expired-handled': {
    level: 'SHOULD',
    title: 'handles an expired recording, for which the lookup returns []',
    text: 'For an expired resource (30 days by default) the lookup returns an empty array. The document does not say what the receiver does then; pushcheck expects the resource message answered below 500 and the next alarm and its lookup handled as usual.',
    source: at(
      '4. Get the Resource Playback Address (Error Handling); V.4',
      'If the resource has expired (default is 30 days), the API returns an empty `[]` array.',
    ),
    interpreted: true,
    needs: ['eye4-api'],
  },
  'eye4.dedup.processed-once': {
    level: 'MAY',
    title: 'processes a duplicated alarm once',
    text: `${NO_ANSWER_SPEC}. A platform that retries resends the same alarm; the fileid “is uniquely labeled”, so the same alarm twice is one event.`,
    source: at(
      '1. Flow Chart (silent on retries); 4 (fileid)',
      'Unique identifier of the cloud storage resource.',
    ),
    interpreted: true,
    needs: ['observer'],
  },
  'eye4.robust.malformed-alarm': {
    level: 'MAY',
    title: 'answers malformed alarm bodies without a server error',
    text: 'The document is silent on bad input; an alarm body that is not JSON, is empty, lacks did, has a number for action, an array for payload, or payload text that is not JSON gets any complete answer below 500 (400 is usual), never a 5xx or a dropped connection.',
    source: at('2. Example of an Alarm Message Structure (silent on bad input)'),
    interpreted: true,
  },
  'eye4.robust.malformed-resource': {
    level: 'MAY',
    title: 'answers malformed resource bodies without a server error',
    text: 'The document is silent on bad input; a resource body that is not JSON, names no file (no key, Key or d009_id), or has a number for the key gets any complete answer below 500 (400 is usual), never a 5xx or a dropped connection.',
    source: at('3. Example of the Resource Message Structure (silent on bad input)'),
    interpreted: true,
  },
} as const satisfies Registry;

/** An Eye4 case id. */
export type Eye4CaseId = keyof typeof requirements;
