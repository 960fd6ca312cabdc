/**
 * Results: the server answers a result with an empty response, and so ends the Push transaction
 * (controlid.result.response-empty, which quotes the Control iD Push mode document).
 */
import { describeResponse, expectNoServerError, fail, notAssessed } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import { newMarker } from '../../src/core/observer.ts';
import { type Command, describeAnswer } from '../../src/protocols/controlid/codec.ts';
import { SimulatedDevice } from '../../src/protocols/controlid/device.ts';
import type { DeviceSender } from '../../src/protocols/controlid/sender.ts';
import { conformance } from './fixtures.ts';

/** Has `device` poll for `command` (queued by the caller) and post its result; undefined when not delivered. */
async function deliverAndAnswer(device: DeviceSender, command: Command): Promise<Exchange> {
  const poll = await device.poll('poll with a command queued');
  if (poll.answer.kind !== 'command' || poll.answer.command.endpoint !== command.endpoint) {
    notAssessed(
      `the queued command was not delivered (${describeAnswer(poll.answer)}), so no genuine result can be posted: see controlid.command.delivered`,
    );
  }
  const result = await device.complete(poll, 'result');
  if (!result) throw new Error('a delivered command produced no result');
  return result;
}

function expectEmptyAnswer(ex: Exchange, what: string): void {
  const r = ex.response;
  if (ex.error !== undefined || !r || r.status < 200 || r.status > 299 || r.bodyBytes !== 0) {
    fail(
      `${what} must be answered with an empty response`,
      'a 2xx with a zero-length body',
      describeResponse(ex),
    );
  }
}

conformance('controlid.result.response-empty', async ({ device, queue, settings }) => {
  const command: Command = { verb: 'POST', endpoint: 'load_objects', body: { object: 'users' } };
  await queue(settings.deviceId, command);
  const result = await deliverAndAnswer(device, command);
  if (!result.request.body.startsWith('{"response"')) throw new Error('the device did not answer a response');
  expectEmptyAnswer(result, 'a result with a response');
});

conformance('controlid.result.error-empty', async ({ device, queue, settings }) => {
  // A table this device does not have: its API answers with an error.
  const command: Command = { verb: 'POST', endpoint: 'load_objects', body: { object: 'doors2' } };
  await queue(settings.deviceId, command);
  const result = await deliverAndAnswer(device, command);
  if (!result.request.body.startsWith('{"error"')) throw new Error('the device did not answer an error');
  expectEmptyAnswer(result, 'a result with an error');
});

conformance('controlid.result.malformed-no-5xx', async ({ device }) => {
  const poll = await device.poll('idle poll, for a uuid');
  const bodies: [string, string][] = [
    ['{"response": {"users": [{"id": 1, "name": "Wal', 'truncated JSON'],
    ['', 'an empty body'],
    ['{"status": 1, "users": []}', 'JSON with neither response nor error'],
  ];
  for (const [body, label] of bodies) {
    expectNoServerError(
      await device.postResult(poll.uuid, body, `result: ${label}`),
      `a result with ${label} must get a complete answer below 500, not a 5xx or a dropped connection`,
    );
  }
});

conformance('controlid.result.processed', async ({ deviceAs, queue, settings, run, rng, observe }) => {
  const marker = newMarker(run.runTag, rng);
  const device = deviceAs(
    settings.deviceId,
    new SimulatedDevice({ extraUsers: [{ registration: marker, name: marker }] }),
  );
  const command: Command = {
    verb: 'POST',
    endpoint: 'load_objects',
    body: { object: 'users', where: { users: { registration: marker } } },
  };
  await queue(settings.deviceId, command);
  const result = await deliverAndAnswer(device, command);
  if (result.error !== undefined || (result.response?.status ?? 500) >= 300) {
    notAssessed(
      `the result was not accepted (${describeResponse(result)}): see controlid.result.response-empty`,
    );
  }
  if ((await observe.count(marker)) < 1) {
    fail(
      'the result of a command the server delivered must be processed',
      `the marker ${marker} (the name of the user the device answered with) in the observer within ${run.observeTimeoutMs} ms`,
      'the observer never saw it',
    );
  }
});
