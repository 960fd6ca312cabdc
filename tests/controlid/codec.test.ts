/** The Control iD codec and simulated device, against the specs' schemas and hand-made cases. */
import { expect, test } from '@playwright/test';
import { loadSchemas } from '../../src/core/schemas.ts';
import { createRng } from '../../src/core/rng.ts';
import {
  commandDifference,
  isInt64,
  isStandardBase64,
  neighbours,
  randomLargeId,
  readPollAnswer,
} from '../../src/protocols/controlid/codec.ts';
import { SimulatedDevice } from '../../src/protocols/controlid/device.ts';

const schemas = loadSchemas('controlid');
const valid = (file: string, value: unknown) => schemas.validator(file)(value);

test('a poll answer is read as a device reads it', () => {
  expect(readPollAnswer(200, Buffer.alloc(0))).toEqual({ kind: 'empty', zeroLength: true });
  expect(readPollAnswer(200, Buffer.from('{}'))).toEqual({ kind: 'empty', zeroLength: false });
  expect(readPollAnswer(204, Buffer.alloc(0))).toEqual({ kind: 'empty', zeroLength: true });
  for (const body of ['null', '[]', ' ', '\n', 'OK', '"x"', '{"verb":']) {
    expect(readPollAnswer(200, Buffer.from(body)).kind, body).toBe('invalid');
  }
  expect(readPollAnswer(404, Buffer.alloc(0)).kind).toBe('invalid');
  expect(readPollAnswer(500, Buffer.from('{}')).kind).toBe('invalid');
  const cmd = readPollAnswer(200, Buffer.from('{"endpoint":"load_objects","body":{"object":"users"}}'));
  expect(cmd.kind).toBe('command');
  expect(readPollAnswer(200, Buffer.from('{"transactions":[{"transactionid":1}]}')).kind).toBe('batch');
});

test('standard Base64 only: padded, + and /, nothing around it', () => {
  expect(isStandardBase64('')).toBe(true);
  expect(isStandardBase64('+/+/')).toBe(true);
  expect(isStandardBase64('YQ==')).toBe(true);
  expect(isStandardBase64('YWI=')).toBe(true);
  for (const bad of ['YQ', 'YWI', '-_-_', 'YQ==\n', ' YQ==', 'Y Q==', 'YQ=', 'YQ===', 'Y===']) {
    expect(isStandardBase64(bad), bad).toBe(false);
  }
});

test('a command is the same command with defaults filled in and its body as object or JSON text', () => {
  const queued = { endpoint: 'load_objects', body: { object: 'users' } };
  expect(commandDifference(queued, { ...queued, verb: 'POST', contentType: 'application/json' })).toBe(
    undefined,
  );
  expect(commandDifference(queued, { endpoint: 'load_objects', body: '{"object":"users"}' })).toBe(undefined);
  expect(commandDifference(queued, { ...queued, verb: 'GET' })).toMatch(/verb GET/);
  expect(commandDifference(queued, { ...queued, endpoint: 'load_object' })).toMatch(/endpoint/);
  expect(commandDifference(queued, { ...queued, body: { object: 'cards' } })).toMatch(/body/);
  expect(commandDifference(queued, { ...queued, queryString: 'a=1' })).toMatch(/queryString/);
  const octet = { endpoint: 'user_set_image', contentType: 'application/octet-stream', body: 'YQ==' };
  expect(commandDifference(octet, { ...octet, body: 'YQ' })).toMatch(/body/);
  expect(commandDifference(octet, { ...octet, contentType: 'application/json' })).toMatch(/contentType/);
});

test('int64 ids stay exact; the large random ids are above 2^53', () => {
  expect(isInt64('9223372036854775807')).toBe(true);
  expect(isInt64('9223372036854775808')).toBe(false);
  expect(isInt64('-9223372036854775808')).toBe(true);
  for (const bad of ['', '01', '+1', '1.0', '1e3', ' 1', 'abc']) expect(isInt64(bad), bad).toBe(false);
  expect(neighbours('9007199254740993')).toEqual(['9007199254740992', '9007199254740994']);
  expect(neighbours('9223372036854775807')).toEqual(['9223372036854775806']);
  const rng = createRng(1, 'ids');
  for (let i = 0; i < 100; i++) {
    const id = randomLargeId(rng);
    expect(isInt64(id), id).toBe(true);
    expect(BigInt(id) > 2n ** 53n).toBe(true);
  }
});

test('the schemas accept the documented forms and refuse what a device cannot execute', () => {
  expect(valid('command.json', { verb: 'POST', endpoint: 'load_objects', body: { object: 'users' } })).toBe(
    true,
  );
  expect(valid('command.json', {})).toBe(true);
  expect(valid('command.json', { verb: 'post' })).toBe(false);
  expect(valid('command.json', { verb: 'PUT' })).toBe(false);
  expect(valid('command.json', { body: 42 })).toBe(false);
  expect(valid('command.json', { contentType: 'application/octet-stream', body: 'YQ==' })).toBe(true);
  expect(valid('command.json', { contentType: 'application/octet-stream', body: 'YQ' })).toBe(false);
  expect(valid('command.json', { contentType: 'application/octet-stream', body: { a: 1 } })).toBe(false);
  expect(valid('result.json', { response: { users: [] } })).toBe(true);
  expect(valid('result.json', { error: 'Table not found: doors' })).toBe(true);
  expect(valid('result.json', { response: {}, error: 'x' })).toBe(false);
  expect(valid('result.json', {})).toBe(false);
  expect(valid('provider-state.json', { state: 'reset' })).toBe(true);
  expect(
    valid('provider-state.json', {
      state: 'command queued',
      params: { deviceId: '9007199254740993', command: { endpoint: 'load_objects' } },
    }),
  ).toBe(true);
  expect(
    valid('provider-state.json', { state: 'command queued', params: { deviceId: 12, command: {} } }),
  ).toBe(false);
});

test('the simulated device executes the documented commands with realistic answers', () => {
  const device = new SimulatedDevice({ extraUsers: [{ registration: 'R9', name: 'pc123marker' }] });
  const users = device.execute({ endpoint: 'load_objects', body: { object: 'users' } });
  expect(valid('result.json', users)).toBe(true);
  expect(JSON.stringify(users)).toContain('Walter White');
  expect(JSON.stringify(users)).toContain('pc123marker');
  const created = device.execute({
    endpoint: 'create_objects.fcgi',
    body: JSON.stringify({ object: 'users', values: [{ name: 'Hank Schrader', registration: '2001' }] }),
  });
  expect(created).toEqual({ response: { ids: [5] } });
  expect(
    device.execute({ endpoint: 'destroy_objects', body: { object: 'users', where: { users: { id: 5 } } } }),
  ).toEqual({ response: { changes: 1 } });
  expect(device.execute({ endpoint: 'load_objects', body: { object: 'doors2' } })).toEqual({
    error: 'Table not found: doors2',
  });
  expect(device.execute({ endpoint: 'reboot_into_mars' })).toEqual({
    error: 'Endpoint not found: reboot_into_mars',
  });
  expect(
    device.execute({ endpoint: 'set_configuration', body: { push_server: { push_request_period: '5' } } }),
  ).toEqual({ response: {} });
  expect(
    device.execute({ endpoint: 'get_configuration', body: { push_server: ['push_request_period'] } }),
  ).toEqual({ response: { push_server: { push_request_period: '5' } } });
  expect(
    device.execute({
      endpoint: 'user_set_image',
      queryString: 'user_id=1&match=0',
      contentType: 'application/octet-stream',
      body: Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64'),
    }),
  ).toEqual({ response: { user_id: 1, bytes: 4 } });
  expect(device.execute({ endpoint: 'load_objects', body: '{"object":' })).toEqual({
    error: 'Invalid JSON in request body',
  });
});
