/**
 * What a Control iD *device* must do in Push mode, for `pushcheck listen controlid`, which plays the push server
 * and grades a device under test (a real device, a simulator, a gateway speaking for devices). Beside the
 * server side (requirements.ts); quoted from the vendor document (specs/controlid/sources.ts), with a community
 * push server where the document is silent. Ids are stable forever.
 */
import type { Registry, Source } from '../../src/core/case.ts';
import { COMMUNITY_SERVER, PUSH_MODE } from './sources.ts';

const at = (section: string, quote?: string): Source => ({
  document: PUSH_MODE,
  section,
  ...(quote ? { quote } : {}),
});
const CHAIN =
  'After executing a command, the device posts its result, the server answers with an empty response that closes the Push transaction, and the device polls /push again, so that commands run in sequence.';

export const deviceRequirements = {
  'controlid-device.poll.device-id': {
    level: 'MUST',
    title: 'sends its int64 deviceId in the query string of every poll',
    text: 'Every poll is a GET /push whose parameters are all in the query string; deviceId (int 64) names the polling device. Decimal, within int64.',
    source: at(
      'Event: command searches on the server; GET /push Parameters',
      "deviceId (int 64): Device's ID which is making the request.",
    ),
  },
  'controlid-device.result.posted': {
    level: 'MUST',
    title: 'posts the result of every command it was given before it polls again',
    text: `${CHAIN} POST /result (community servers agree on /result beside /push). A poll that comes while a command's result is outstanding, or no result within the device's request timeout, breaks the transaction.`,
    source: {
      ...at(
        'Introduction to Push; Event: command result',
        'After the device executes the command read from the server, it sends a new request containing the response of the operation performed.',
      ),
      code: COMMUNITY_SERVER,
    },
  },
  'controlid-device.result.device-id': {
    level: 'MUST',
    title: 'sends its deviceId in the query string of every result',
    text: 'Every POST /result carries the deviceId of the device that posts it, in the query string.',
    source: at(
      'Event: command result; POST /result Parameters',
      'deviceId (int): The ID of the device which is making the request.',
    ),
  },
  'controlid-device.result.body': {
    level: 'MUST',
    title: 'posts a result body with response on success or error on failure',
    text: "The result body has response (the API's answer to the command) when the command succeeded, or error (what went wrong) when it failed, never both. The document's example sends response as an object; validated against schemas/result.json (or result-batch.json for the community batched form).",
    source: at(
      'Event: command result',
      'response (string): Contains the response given by the API with the push execution',
    ),
  },
  'controlid-device.result.uuid': {
    level: 'SHOULD',
    title: 'posts each result with the uuid of the poll that delivered its command',
    text: "One revision of the document lists uuid (“Identificador Único Universal”) among the poll's parameters; community servers store it with the command they hand out and match it on POST /result?deviceId=…&uuid=… . The vendor text pushcheck has does not require it, hence SHOULD.",
    source: { ...at('GET /push Parameters (uuid, in one revision of the document)'), code: COMMUNITY_SERVER },
    interpreted: true,
  },
  'controlid-device.chain.repoll': {
    level: 'MUST',
    title: 'polls again at once after each result',
    text: `${CHAIN} The device then issues another /push at once. “At once” is judged as: the next poll reaches the server within min(1 s, half the scaled period) of the answer to the result, plus the grader's own event-loop delay; the report states the figure.`,
    source: at(
      'Introduction to Push',
      'After each command is executed, the device will make a new /push request, allowing the execution of multiple commands in sequence.',
    ),
  },
  'controlid-device.poll.period': {
    level: 'SHOULD',
    title: 'waits push_request_period between idle polls',
    text: 'The device polls the server periodically for commands. The period is push_server.push_request_period, in seconds (community-reported default "60", not in the vendor document); the documents do not say it is measured from a poll\'s start or its end, so both are on time. Tolerance max(100 ms, 5% of the scaled period) plus the grader\'s event-loop delay (src/core/retry.ts, as for OneNET retries).',
    source: at(
      'Event: command searches on the server; push_server configuration (push_request_period)',
      'The device makes periodic requests to the server to check for any push from the server.',
    ),
    interpreted: true,
  },
} as const satisfies Registry;

/** A Control iD device-side case id. */
export type ControlIdDeviceCaseId = keyof typeof deviceRequirements;
