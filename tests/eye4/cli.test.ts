/** `pushcheck run --profile eye4` refuses bad options with one sentence and exit code 2. */
import { type AddressInfo, createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { eye4Handlers } from '../../mocks/eye4/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { listenOption } from '../../src/protocols/eye4/profile.ts';
import { pushcheck } from '../helpers.ts';

const BASE = ['run', '--profile', 'eye4', '--target', 'http://127.0.0.1:9/eye4/alarm'];

const BAD: [string, string[], RegExp][] = [
  ['no guid', [], /--guid is required/],
  ['a guid with a space', ['--guid', 'a b'], /--guid must be/],
  [
    'a resource target that is not a URL',
    ['--guid', 'g', '--resource-target', 'nope'],
    /--resource-target "nope" is not a URL/,
  ],
  [
    'an API address without a port',
    ['--guid', 'g', '--eye4-api-listen', '127.0.0.1'],
    /--eye4-api-listen must be HOST:PORT/,
  ],
  [
    'an API address with a host name',
    ['--guid', 'g', '--eye4-api-listen', 'api.eye4.cn:80'],
    /--eye4-api-listen must be HOST:PORT/,
  ],
  ['an OneNET option', ['--guid', 'g', '--token', 't'], /token/],
];

for (const [what, args, message] of BAD) {
  test(`${what} is a usage error`, async () => {
    const r = await pushcheck([...BASE, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
}

test('--eye4-api-listen takes IPv4, IPv6 and localhost', () => {
  expect(listenOption('127.0.0.1:8091')).toEqual({ host: '127.0.0.1', port: 8091 });
  expect(listenOption('[::1]:8091')).toEqual({ host: '::1', port: 8091 });
  expect(listenOption('localhost:1')).toEqual({ host: 'localhost', port: 1 });
});

test('an unreachable --resource-target, or a busy --eye4-api-listen port, stops the run before any case', async () => {
  const server = await serve(eye4Handlers({ guid: 'g' }));
  const busy = createServer();
  await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok));
  try {
    const target = ['run', '--profile', 'eye4', '--guid', 'g', '--target', `${server.origin}/eye4/alarm`];
    const unreachable = await pushcheck([...target, '--resource-target', 'http://127.0.0.1:9/eye4/resource']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
    expect(unreachable.stdout).not.toMatch(/eye4\.[a-z]+\./);
    const port = (busy.address() as AddressInfo).port;
    const taken = await pushcheck([...target, '--eye4-api-listen', `127.0.0.1:${port}`]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(
      new RegExp(`--eye4-api-listen 127\\.0\\.0\\.1:${port}: .*the port is in use`),
    );
    expect(taken.stderr.trim().split('\n')).toHaveLength(1);
    expect(taken.stdout).not.toMatch(/eye4\.[a-z]+\./);
  } finally {
    await Promise.all([server.close(), new Promise((ok) => busy.close(ok))]);
  }
});
