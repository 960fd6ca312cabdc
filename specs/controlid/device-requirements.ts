/**
 * What a Control iD *device* must do in Push mode, for `pushcheck listen controlid`, which plays the push server
 * and grades a device under test (a real device, a simulator, a gateway speaking for devices). Beside the
 * server side (requirements.ts); quoted from controlid.seed.md and FACTS.md §2. Ids are stable forever.
 */
import type { Registry } from '../../src/core/case.ts';

const SEED = 'controlid.seed.md';
const CHAIN =
  '“After the device executes the command read from the server, it sends a new request containing the response of the operation performed. An empty response is expected to this request, which closes the Push transaction. After each command is executed, the device will make a new /push request, allowing the execution of multiple commands in sequence.”';

export const deviceRequirements = {
  'controlid-device.poll.device-id': {
    level: 'MUST',
    title: 'sends its int64 deviceId in the query string of every poll',
    text: "“The HTTP method used is the GET and all parameters are sent through the query string. GET /push Parameters — deviceId (int 64): Device's ID which is making the request.” Decimal, within int64.",
    source: `${SEED} “Event: command searches on the server”; FACTS.md §2`,
  },
  'controlid-device.result.posted': {
    level: 'MUST',
    title: 'posts the result of every command it was given before it polls again',
    text: `${CHAIN} POST /result (FACTS.md §2: community servers and simulators agree on /result beside /push). A poll that comes while a command's result is outstanding, or no result within the device's request timeout, breaks the transaction.`,
    source: `${SEED} “Introduction to Push”, “Event: command result”; FACTS.md §2`,
  },
  'controlid-device.result.device-id': {
    level: 'MUST',
    title: 'sends its deviceId in the query string of every result',
    text: '“POST /result Parameters — deviceId (int): The ID of the device which is making the request. (This parameter is sent in the query string)”',
    source: `${SEED} “Event: command result”`,
  },
  'controlid-device.result.body': {
    level: 'MUST',
    title: 'posts a result body with response on success or error on failure',
    text: "“response (string): Contains the response given by the API with the push execution … present only if no error occurs during the operation. error (string): Specifies the error that occurred during the push execution … only exists if an error occurs.” The document's example sends response as an object; validated against schemas/result.json (or result-batch.json for the community batched form).",
    source: `${SEED} “Event: command result”; FACTS.md §2 (batches)`,
  },
  'controlid-device.result.uuid': {
    level: 'SHOULD',
    title: 'posts each result with the uuid of the poll that delivered its command',
    text: "One revision of the document lists uuid (“Identificador Único Universal”) among the poll's parameters; community servers store it with the command they hand out and match it on POST /result?deviceId=…&uuid=… (FACTS.md §2). The vendor text pushcheck has does not require it, hence SHOULD.",
    source: 'FACTS.md §2 (uuid); pushcheck (interpreted)',
    interpreted: true,
  },
  'controlid-device.chain.repoll': {
    level: 'MUST',
    title: 'polls again at once after each result',
    text: `${CHAIN} FACTS.md §2: “the device then immediately issues another /push”. “At once” is judged as: the next poll reaches the server within min(1 s, half the scaled period) of the answer to the result, plus the grader's own event-loop delay; the report states the figure.`,
    source: `${SEED} “Introduction to Push”; FACTS.md §2`,
  },
  'controlid-device.poll.period': {
    level: 'SHOULD',
    title: 'waits push_request_period between idle polls',
    text: '“The device makes periodic requests to the server to check for any push from the server.” The period is push_server.push_request_period, in seconds (community docs: default "60", FACTS.md §2); the documents do not say it is measured from a poll\'s start or its end, so both are on time. Tolerance max(100 ms, 5% of the scaled period) plus the grader\'s event-loop delay (src/core/retry.ts, as for OneNET retries).',
    source: `${SEED} “Event: command searches on the server”; FACTS.md §2 (push_server); pushcheck (interpreted)`,
    interpreted: true,
  },
} as const satisfies Registry;

/** A Control iD device-side case id. */
export type ControlIdDeviceCaseId = keyof typeof deviceRequirements;
