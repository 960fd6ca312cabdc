/**
 * The Control iD Push requirements: one entry per case, quoted from the vendor document (Access API, Push mode;
 * specs/controlid/sources.ts) or following a community push server where it is silent. pushcheck plays the
 * device; the system under test is the push server. Ids are stable forever.
 */
import type { Registry, Source } from '../../src/core/case.ts';
import { COMMUNITY_SERVER, PUSH_MODE } from './sources.ts';

const at = (section: string, quote?: string): Source => ({
  document: PUSH_MODE,
  section,
  ...(quote ? { quote } : {}),
});
const EMPTY_QUOTE =
  'When there is no command to be executed by the device, the server must send an empty response.';
const RESULT_QUOTE =
  'After the device executes the command read from the server, it sends a new request containing the response of the operation performed. An empty response is expected to this request, which closes the Push transaction.';
const TIMEOUT_SOURCE: Source = {
  document: PUSH_MODE,
  section: 'push_server configuration (push_request_timeout; its default is not in the document)',
};
const EMPTY =
  'When the device has no command to execute, the server answers its poll with an empty response, which means there is nothing to perform.';
const RESULT_EMPTY =
  'After executing a command, the device posts its result; an empty answer to the result ends the Push transaction.';
const RESULT_LEVEL =
  'The document says an empty response "is expected" here, where an idle poll\'s "must" be empty, and states no harm in another answer (the transaction closes either way: controlid.command.not-redelivered checks it), hence SHOULD (decisions/022).';
const IDLE_READING =
  'Graded as a device reads it (the community server cited in the source): a zero-length body is the documented empty response; `{}` is what a community server (starseg/star-condomine) answers when idle and devices work with it, so it passes here and fails only controlid.poll.idle-zero-length; `null`, `[]`, whitespace or text are neither, and no public source says a device takes them for "no command". Any 2xx status: no source says what a device does with another.';
const PERIOD =
  'The device polls periodically: push_server.push_request_period (s) — community docs report the default "60" (the community server cited in the source); the vendor document gives no figure.';
const TIMEOUT =
  'push_server.push_request_timeout (ms) — community docs report the default "15000" (the community server cited in the source): the device gives up on a request after it.';

export const requirements = {
  'controlid.poll.idle-empty': {
    level: 'MUST',
    title: 'answers an idle poll with an empty response',
    text: `${EMPTY} ${IDLE_READING}`,
    source: { ...at('Introduction to Push', EMPTY_QUOTE), code: COMMUNITY_SERVER },
  },
  'controlid.poll.idle-zero-length': {
    level: 'SHOULD',
    title: 'answers an idle poll with 200 and a zero-length body',
    text: `${EMPTY} The documented empty response is a body of zero bytes (community servers: \`emptyResponse()\` = "" with status 200). \`{}\` works with devices in the field (the community server cited in the source) but is not empty, hence SHOULD.`,
    source: at('Introduction to Push', EMPTY_QUOTE),
  },
  'controlid.poll.unknown-device-empty': {
    level: 'MUST',
    title: 'answers a poll from a device id it has never seen with an empty response',
    text: `${EMPTY} A device the server does not know has no command to execute; deviceId is an “int 64”, and pushcheck uses one above 2^53. ${IDLE_READING}`,
    source: at('Introduction to Push; GET /push Parameters', EMPTY_QUOTE),
  },
  'controlid.poll.concurrent-devices': {
    level: 'SHOULD',
    title: 'answers 50 devices polling at once, each within the request timeout',
    text: `Each device polls on its own schedule (push_request_period), so polls from many devices meet. The documents give no number: pushcheck sends 50 at once, from distinct device ids, and expects each answered with an empty response within the request timeout. ${TIMEOUT}`,
    source: TIMEOUT_SOURCE,
    interpreted: true,
  },
  'controlid.command.delivered': {
    level: 'MUST',
    title: 'delivers a queued command on the next poll, with valid fields equal to those queued',
    text: 'When a command is queued for the polling device, the server answers with that command and its parameters. Fields: verb “GET or POST”, endpoint, body (“a single string … in base64 format” for application/octet-stream), contentType, queryString; validated against schemas/command.json and compared with the command queued through the state hook (defaults filled in; an object body may travel as JSON text).',
    source: {
      ...at(
        "Command's return to the device",
        'Otherwise, the server must answer the command to be performed and the corresponding parameters.',
      ),
      code: COMMUNITY_SERVER,
    },
    needs: ['state-hook'],
  },
  'controlid.command.one-per-poll': {
    level: 'MUST',
    title: 'delivers queued commands one per poll',
    text: 'The server answers one command per poll, and the device polls again after each command, so queued commands run in sequence. Three queued commands are each delivered, as a single command object, within three poll-and-result turns.',
    source: at(
      'Introduction to Push',
      'After each command is executed, the device will make a new /push request, allowing the execution of multiple commands in sequence.',
    ),
    needs: ['state-hook'],
  },
  'controlid.command.in-order': {
    level: 'SHOULD',
    title: 'delivers queued commands in the order they were queued',
    text: 'The document chains commands (one after another, a poll for each) but does not say in which order; commands such as create-then-modify only work in the order they were queued, so pushcheck expects first queued, first delivered.',
    source: at(
      'Introduction to Push (silent on order)',
      'allowing the execution of multiple commands in sequence',
    ),
    interpreted: true,
    needs: ['state-hook'],
  },
  'controlid.command.device-isolated': {
    level: 'MUST',
    title: 'never delivers a command queued for one device to another',
    text: "The poll's deviceId (an int 64) is the only thing that tells the server which device polls, so a command is delivered to the device it is for. Polls from the neighbouring ids (one below, one above: indistinguishable as doubles above 2^53) must not receive it; the device itself then must.",
    source: at(
      'Event: command searches on the server; Parameters',
      "deviceId (int 64): Device's ID which is making the request.",
    ),
    needs: ['state-hook'],
  },
  'controlid.command.not-redelivered': {
    level: 'MUST',
    title: 'does not deliver a command again after its result',
    text: `${RESULT_EMPTY} Once the result has closed the transaction, the next poll must not hand out the same command again.`,
    source: at('Introduction to Push; Event: command result', RESULT_QUOTE),
    needs: ['state-hook'],
  },
  'controlid.command.survives-idle-period': {
    level: 'MUST',
    title:
      "delivers a command queued while its device is idle at the device's next poll, a full period later",
    text: `${PERIOD} A command queued between two polls waits a whole period for the device, so a server that forgets the commands of a device it has not heard from for less than that loses them ("offline" housekeeping). pushcheck polls as a fresh device, queues a command for it, lets other devices poll meanwhile and the device not at all for --period seconds, then polls as the device: the command must be delivered. The gap is a case's own; it runs beside the other cases on device ids of its own, and the report gives its length.`,
    source: {
      ...at(
        'Introduction to Push; Event: command searches on the server',
        'In communication through Push, the device proactively searches for commands to be executed through HTTP requests periodically sent to the external server it is configured for. […] Otherwise, the server must answer the command to be performed and the corresponding parameters.',
      ),
      code: COMMUNITY_SERVER,
    },
    needs: ['state-hook'],
  },
  'controlid.command.octet-stream-base64': {
    level: 'MUST',
    title: 'delivers an application/octet-stream command body as the standard Base64 of the same bytes',
    text: 'An application/octet-stream command body travels as one string, the Base64 of its bytes: standard Base64 (RFC 4648 §4, + and /, = padding); the bytes pushcheck queued are chosen so that their Base64 has +, / and padding.',
    source: at(
      "Command's return to the device (contentType)",
      'If the contentType is application/octet-stream, the body content must be sent in a single string representing this content in base64 format.',
    ),
    needs: ['state-hook'],
  },
  'controlid.result.response-empty': {
    level: 'SHOULD',
    title: 'answers a result with a response with an empty 2xx response',
    text: `${RESULT_EMPTY} The result carries “response (string): Contains the response given by the API with the push execution” (an object, as in the document's example). Zero bytes of body, any 2xx. ${RESULT_LEVEL}`,
    source: at('Event: command result', RESULT_QUOTE),
    needs: ['state-hook'],
  },
  'controlid.result.error-empty': {
    level: 'SHOULD',
    title: 'answers a result with an error with an empty 2xx response',
    text: `${RESULT_EMPTY} “error (string): Specifies the error that occurred during the push execution. Note that this parameter only exists if an error occurs.” Zero bytes of body, any 2xx. ${RESULT_LEVEL}`,
    source: at('Event: command result', RESULT_QUOTE),
    needs: ['state-hook'],
  },
  'controlid.result.malformed-no-5xx': {
    level: 'MAY',
    title: 'answers malformed results without a server error or a dropped connection',
    text: 'The document does not say what a server does with a result it cannot read. pushcheck sends a truncated JSON body, an empty body and JSON with neither response nor error, and expects each to get a complete answer below 500 (400 is usual).',
    source: at('Event: command result (silent on a result the server cannot read)'),
    interpreted: true,
  },
  'controlid.result.processed': {
    level: 'SHOULD',
    title: 'processes the result of a command it delivered',
    text: 'The device posts the result of the command it executed. The document does not say what a server does with it; pushcheck expects a server that asked a device for its users to record the answer. The simulated device holds a user whose name is a unique marker; the marker must show in --observe-file once the result is posted.',
    source: at(
      'Event: command result',
      'This request contains the result of the command executed on the device.',
    ),
    interpreted: true,
    needs: ['state-hook', 'observer'],
  },
  'controlid.timing.within-request-timeout': {
    level: 'MUST',
    title: 'answers polls and results within the device request timeout',
    text: `${TIMEOUT} Measured to the last byte and cut off at the timeout (--request-timeout): an idle poll, and with the state hook also a poll that delivers a command and the result that follows.`,
    source: { ...TIMEOUT_SOURCE, quote: EMPTY_QUOTE },
  },
  'controlid.timing.fast': {
    level: 'MAY',
    title: 'answers idle polls within 1 s in practice (median of 5)',
    text: 'Every command in a chain costs a poll and a result, and devices in the field poll every few seconds (push_request_period "5" in a community configuration). The documents set no figure; pushcheck expects the median of 5 idle polls within 1000 ms.',
    source: TIMEOUT_SOURCE,
    interpreted: true,
  },
} as const satisfies Registry;

/** A Control iD case id. */
export type ControlIdCaseId = keyof typeof requirements;
