/**
 * Delivering commands (the Control iD Push mode document “Command's return to the device”): commands queued through the
 * provider-state hook must reach the device they are for, one per poll, with valid fields, and once.
 */
import { describeResponse, fail, notAssessed } from '../../src/core/case.ts';
import type { Rng } from '../../src/core/rng.ts';
import { formatErrors, loadSchemas } from '../../src/core/schemas.ts';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import {
  type Command,
  commandDifference,
  describeAnswer,
  isSameCommand,
  isStandardBase64,
  neighbours,
  OCTET_STREAM,
  randomLargeId,
} from '../../src/protocols/controlid/codec.ts';
import type { DeviceSender, Poll } from '../../src/protocols/controlid/sender.ts';
import { conformance } from './fixtures.ts';

/** The command schema's validator, compiled when a case first needs it (Playwright's runner only lists cases). */
let commandValidator: ValidateFunction | undefined;
function validCommand(command: unknown): boolean {
  commandValidator ??= loadSchemas('controlid').validator('command.json');
  return commandValidator(command);
}

/** Three commands an integrator sends in a row: enrol a user, give them a card, read the users back. */
function threeCommands(rng: Rng): Command[] {
  const registration = `pc-${rng.string(8)}`;
  return [
    {
      verb: 'POST',
      endpoint: 'create_objects',
      body: { object: 'users', values: [{ name: 'Gustavo Fring', registration }] },
      contentType: 'application/json',
    },
    {
      verb: 'POST',
      endpoint: 'create_objects',
      body: JSON.stringify({ object: 'cards', values: [{ value: 1_000_000 + rng.int(1e6), user_id: 4 }] }),
      contentType: 'application/json',
    },
    {
      verb: 'POST',
      endpoint: 'load_objects',
      body: { object: 'users', where: { users: { registration } } },
      contentType: 'application/json',
    },
  ];
}

/** Which of `queued` `delivered` is (by endpoint and body), or -1. */
function whichOf(queued: readonly Command[], delivered: Command): number {
  return queued.findIndex((q) => isSameCommand(q, delivered));
}

/** Polls once, and when that delivered something, executes it and posts the result. */
async function turn(device: DeviceSender, label: string): Promise<Poll> {
  const poll = await device.poll(label);
  await device.complete(poll, `result of ${label}`);
  return poll;
}

conformance('controlid.command.delivered', async ({ device, queue, settings }) => {
  const queued: Command = {
    verb: 'POST',
    endpoint: 'load_objects',
    body: { object: 'users', where: { users: { registration: '1002' } } },
    contentType: 'application/json',
    queryString: 'mode=671',
  };
  await queue(settings.deviceId, queued);
  const poll = await device.poll('poll with a command queued');
  const { answer } = poll;
  if (answer.kind !== 'command') {
    fail(
      'the queued command must be delivered on the next poll, as one command object',
      `the command ${JSON.stringify(queued)}`,
      `${describeResponse(poll.exchange)}: ${describeAnswer(answer)}`,
    );
  }
  if (!validCommand(answer.command)) {
    fail(
      'the command delivered has invalid fields (verb is GET or POST; body a string or an object)',
      'a command valid against specs/controlid/schemas/command.json',
      `${JSON.stringify(answer.command)}: ${formatErrors(commandValidator?.errors)}`,
    );
  }
  const difference = commandDifference(queued, answer.command);
  if (difference !== undefined) {
    fail('the command delivered is not the one queued', JSON.stringify(queued), difference);
  }
  await device.complete(poll);
});

conformance('controlid.command.one-per-poll', async ({ device, queue, settings, rng }) => {
  const queued = threeCommands(rng);
  for (const c of queued) await queue(settings.deviceId, c);
  const seen = new Set<number>();
  for (let i = 1; i <= queued.length; i++) {
    const poll = await turn(device, `poll ${i} of ${queued.length}, commands queued`);
    if (poll.answer.kind !== 'command') {
      fail(
        `poll ${i} must deliver one of the queued commands as a single command object`,
        `one command per poll: ${queued.length} commands in ${queued.length} polls`,
        `${describeResponse(poll.exchange)}: ${describeAnswer(poll.answer)}`,
      );
    }
    const which = whichOf(queued, poll.answer.command);
    if (which < 0) {
      fail(
        `poll ${i} delivered a command that was not queued`,
        `one of ${JSON.stringify(queued)}`,
        JSON.stringify(poll.answer.command),
      );
    }
    seen.add(which);
  }
  if (seen.size < queued.length) {
    fail(
      `only ${seen.size} of the ${queued.length} queued commands were delivered in ${queued.length} polls`,
      'each queued command delivered once, one per poll',
      `delivered commands ${[...seen].map((n) => n + 1).join(', ')}`,
    );
  }
});

conformance('controlid.command.in-order', async ({ device, queue, settings, rng }) => {
  const queued = threeCommands(rng);
  for (const c of queued) await queue(settings.deviceId, c);
  const order: number[] = [];
  for (let i = 1; i <= queued.length; i++) {
    const poll = await turn(device, `poll ${i} of ${queued.length}, commands queued`);
    const which = poll.answer.kind === 'command' ? whichOf(queued, poll.answer.command) : -1;
    if (which < 0) {
      notAssessed(
        `poll ${i} did not deliver one of the queued commands (${describeAnswer(poll.answer)}), so their order cannot be judged: see controlid.command.one-per-poll`,
      );
    }
    order.push(which + 1);
  }
  if (order.join() !== '1,2,3') {
    fail(
      'commands must be delivered in the order they were queued',
      'commands 1, 2, 3 (create the user, give them a card, read them back)',
      `commands ${order.join(', ')}`,
    );
  }
});

conformance('controlid.command.device-isolated', async ({ deviceAs, queue, settings, rng }) => {
  // The configured device, and one above 2^53 when it is not, where a double loses the last digits.
  const owners = [settings.deviceId];
  if (BigInt(settings.deviceId) <= 2n ** 53n) owners.push(randomLargeId(rng));
  for (const owner of owners) {
    const command: Command = {
      verb: 'POST',
      endpoint: 'destroy_objects',
      body: { object: 'users', where: { users: { id: 3 } } },
      contentType: 'application/json',
    };
    await queue(owner, command);
    for (const other of neighbours(owner)) {
      const poll = await deviceAs(other).poll(`poll as device ${other}, a neighbour of ${owner}`);
      if (poll.answer.kind === 'command' || poll.answer.kind === 'batch') {
        fail(
          `a command queued for device ${owner} was delivered to device ${other}`,
          `no command for device ${other} (an empty response)`,
          describeAnswer(poll.answer),
        );
      }
    }
    const own = await deviceAs(owner).poll(`poll as device ${owner}, the command's own`);
    if (own.answer.kind !== 'command' || !isSameCommand(command, own.answer.command)) {
      notAssessed(
        `the command queued for device ${owner} did not reach that device either (${describeAnswer(own.answer)}), so keeping it from the others proves nothing: see controlid.command.delivered`,
      );
    }
    await deviceAs(owner).complete(own);
  }
});

conformance('controlid.command.not-redelivered', async ({ device, queue, settings }) => {
  const command: Command = {
    verb: 'POST',
    endpoint: 'set_configuration',
    body: { push_server: { push_request_period: '30' } },
    contentType: 'application/json',
  };
  await queue(settings.deviceId, command);
  const first = await device.poll('poll with a command queued');
  if (first.answer.kind !== 'command' || !isSameCommand(command, first.answer.command)) {
    notAssessed(
      `the queued command was not delivered (${describeAnswer(first.answer)}), so its redelivery cannot be judged: see controlid.command.delivered`,
    );
  }
  const result = await device.complete(first, 'result, closing the transaction');
  if (result?.error !== undefined || (result?.response?.status ?? 0) >= 300) {
    notAssessed(
      `the result was not accepted (${result ? describeResponse(result) : 'not sent'}), so the transaction may still be open: see controlid.result.response-empty`,
    );
  }
  for (let i = 1; i <= 2; i++) {
    const again = await device.poll(`poll ${i} after the result`);
    if (again.answer.kind === 'command' && isSameCommand(command, again.answer.command)) {
      fail(
        'a command whose result was posted must not be delivered again',
        'an empty response: the result closed the transaction',
        `poll ${i} after the result: ${describeAnswer(again.answer)}`,
      );
    }
  }
});

/** Bytes whose standard Base64 has +, / and padding, so that any other alphabet or dropped padding shows. */
function awkwardBytes(rng: Rng): Buffer {
  for (let tries = 0; tries < 1000; tries++) {
    const bytes = Buffer.from(Array.from({ length: 40 + rng.int(3) * 3 + 1 }, () => rng.int(256)));
    const b64 = bytes.toString('base64');
    if (b64.includes('+') && b64.includes('/') && b64.endsWith('=')) return bytes;
  }
  throw new Error('no bytes with +, / and = in their Base64 in 1000 tries');
}

conformance('controlid.command.octet-stream-base64', async ({ device, queue, settings, rng }) => {
  // A JPEG's first bytes, then random ones: a user's photo, as user_set_image takes it.
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), awkwardBytes(rng)]);
  const command: Command = {
    verb: 'POST',
    endpoint: 'user_set_image',
    queryString: 'user_id=1&match=0',
    contentType: OCTET_STREAM,
    body: bytes.toString('base64'),
  };
  await queue(settings.deviceId, command);
  const poll = await device.poll('poll with an octet-stream command queued');
  if (poll.answer.kind !== 'command' || poll.answer.command.endpoint !== command.endpoint) {
    notAssessed(
      `the queued octet-stream command was not delivered (${describeAnswer(poll.answer)}): see controlid.command.delivered`,
    );
  }
  const body = poll.answer.command.body;
  if (typeof body !== 'string' || !isStandardBase64(body)) {
    fail(
      'an application/octet-stream body must be a single string of standard Base64',
      `${JSON.stringify(command.body)} (+ and /, = padding)`,
      JSON.stringify(body),
    );
  }
  if (!Buffer.from(body, 'base64').equals(bytes)) {
    fail('the Base64 body does not decode to the bytes queued', String(command.body), body);
  }
  await device.complete(poll);
});
