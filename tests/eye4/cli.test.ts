/** `pushcheck run --profile eye4` refuses bad options with one sentence and exit code 2. */
import { expect, test } from '@playwright/test';
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
