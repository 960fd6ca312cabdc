/**
 * The device emulator against the reference push server over real HTTP: idle polls, a chain of commands
 * queued through the provider-state hook, uuid correlation, and what the server records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { controlidHandlers, DEFAULT_STATE_PATH, reference } from '../../mocks/controlid/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { createRng } from '../../src/core/rng.ts';
import { stateHook } from '../../src/core/state.ts';
import { DeviceSender, endpointUrl } from '../../src/protocols/controlid/sender.ts';
import { scratch } from '../helpers.ts';

const DEVICE = '9007199254740993';

test('the push and result URLs are built under the base path', () => {
  expect(endpointUrl('http://h:1/api', 'push', 'deviceId=1')).toBe('http://h:1/api/push?deviceId=1');
  expect(endpointUrl('http://h:1/api/', 'result', 'deviceId=1')).toBe('http://h:1/api/result?deviceId=1');
  expect(endpointUrl('http://h:1', 'push', 'deviceId=1')).toBe('http://h:1/push?deviceId=1');
});

test('the emulator drains a chain of queued commands, one result per command, with the poll uuid', async () => {
  const observeFile = join(scratch(), 'results.log');
  const server = await serve(controlidHandlers({ observeFile, enrolled: [DEVICE] }));
  try {
    const hook = stateHook(`${server.origin}${DEFAULT_STATE_PATH}`, 2000, () => {});
    await hook.set({ state: 'reset' });
    const commands = [
      { verb: 'POST', endpoint: 'load_objects', body: { object: 'users' }, contentType: 'application/json' },
      { endpoint: 'create_objects', body: JSON.stringify({ object: 'groups', values: [{ name: 'Night' }] }) },
      { endpoint: 'destroy_objects', body: { object: 'doors2' } },
    ];
    for (const command of commands) {
      await hook.set({ state: 'command queued', params: { deviceId: DEVICE, command } });
    }
    const emulator = new DeviceSender({
      base: `${server.origin}/api`,
      deviceId: DEVICE,
      requestTimeoutMs: 2000,
      rng: createRng(3, 'emulator'),
    });
    const lines: string[] = [];
    const polls = await emulator.cycle(10, (l) => lines.push(l));
    expect(polls.map((p) => p.answer.kind)).toEqual(['command', 'command', 'command', 'empty']);
    const recorded = readFileSync(observeFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { uuid: string; result: Record<string, unknown> });
    expect(recorded.map((r) => r.uuid)).toEqual(polls.slice(0, 3).map((p) => p.uuid));
    expect(JSON.stringify(recorded[0]?.result)).toContain('Walter White');
    expect(recorded[1]?.result).toEqual({ response: { ids: [3] } });
    expect(recorded[2]?.result).toEqual({ error: 'Table not found: doors2' });
    expect(lines.join('\n')).toMatch(/an empty response/);
  } finally {
    await server.close();
  }
});

test('a cycle is bounded when the server never stops handing out commands', async () => {
  const server = await serve(
    controlidHandlers(
      {},
      {
        ...reference,
        onResult: 'requeue',
      },
    ),
  );
  try {
    const hook = stateHook(`${server.origin}${DEFAULT_STATE_PATH}`, 2000, () => {});
    await hook.set({
      state: 'command queued',
      params: { deviceId: '7', command: { endpoint: 'system_information' } },
    });
    const emulator = new DeviceSender({
      base: `${server.origin}/api`,
      deviceId: '7',
      requestTimeoutMs: 2000,
    });
    const polls = await emulator.cycle(4);
    expect(polls).toHaveLength(5);
    expect(polls.every((p) => p.answer.kind === 'command')).toBe(true);
  } finally {
    await server.close();
  }
});
