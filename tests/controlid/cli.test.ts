/**
 * The controlid profile on the command line: `pushcheck emulate controlid` against the reference push server,
 * `cases`, and every bad input answered with one sentence and exit code 2.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { controlidHandlers, DEFAULT_STATE_PATH } from '../../mocks/controlid/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { requirements } from '../../specs/controlid/requirements.ts';
import { pushcheck, scratch } from '../helpers.ts';

test('`pushcheck emulate controlid` plays a device against the reference server: commands, results, then idle', async () => {
  const observeFile = join(scratch('pushcheck-controlid-'), 'results.log');
  const server = await serve(controlidHandlers({ observeFile }));
  try {
    for (const command of [
      { endpoint: 'load_objects', body: { object: 'users' } },
      {
        endpoint: 'modify_objects',
        body: { object: 'users', values: { name: 'W. White' }, where: { users: { id: 1 } } },
      },
    ]) {
      const res = await fetch(`${server.origin}${DEFAULT_STATE_PATH}`, {
        method: 'POST',
        body: JSON.stringify({ state: 'command queued', params: { deviceId: '478435', command } }),
      });
      expect(res.status).toBe(204);
    }
    const args = ['emulate', 'controlid', '--target', `${server.origin}/api`, '--device-id', '478435'];
    const r = await pushcheck([...args, '--polls', '2', '--period', '0', '--request-timeout', '2000']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`device 478435 polling ${server.origin}/api/push`);
    expect(r.stdout).toMatch(
      /the command \{"endpoint":"load_objects"[\s\S]*Walter White[\s\S]*-> HTTP 200 with 0 bytes/,
    );
    expect(r.stdout).toMatch(/"changes":1/);
    expect(r.stdout.match(/an empty response \(no command\)/g)).toHaveLength(2);
    const recorded = readFileSync(observeFile, 'utf8').trim().split('\n');
    expect(recorded).toHaveLength(2);
  } finally {
    await server.close();
  }
});

test('`cases --profile controlid` lists the Control iD catalogue', async () => {
  const r = await pushcheck(['cases', '--profile', 'controlid', '--json']);
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.stdout) as { id: string }[];
  expect(rows.map((x) => x.id)).toEqual(Object.keys(requirements));
});

const RUN = ['run', '--profile', 'controlid'];
const BAD: [string, string[], RegExp][] = [
  [
    'a device id that is not an int64',
    [...RUN, '--target', 'http://127.0.0.1:1/api', '--device-id', '12x'],
    /--device-id must be a device's int64 id/,
  ],
  [
    'a device id past int64',
    [...RUN, '--target', 'http://127.0.0.1:1/api', '--device-id', '9223372036854775808'],
    /--device-id must be/,
  ],
  [
    'a target ending in /push',
    [...RUN, '--target', 'http://127.0.0.1:1/api/push'],
    /base URL the device appends \/push/,
  ],
  ['a target with a query', [...RUN, '--target', 'http://127.0.0.1:1/api?x=1'], /without \?query/],
  [
    'a state URL that is not a URL',
    [...RUN, '--target', 'http://127.0.0.1:1/api', '--state-url', 'hook'],
    /--state-url "hook" is not a URL/,
  ],
  [
    'a request timeout too small',
    [...RUN, '--target', 'http://127.0.0.1:1/api', '--request-timeout', '5'],
    /--request-timeout must be an integer from 100/,
  ],
  [
    'an OneNET flag on controlid',
    [...RUN, '--target', 'http://127.0.0.1:1/api', '--token', 't'],
    /unknown option "--token"/,
  ],
  [
    'emulate without a profile',
    ['emulate', '--target', 'http://127.0.0.1:1/api'],
    /pushcheck emulate controlid --target URL/,
  ],
  ['emulate without a target', ['emulate', 'controlid'], /--target is required/],
  [
    'emulate with an unknown flag',
    ['emulate', 'controlid', '--target', 'http://127.0.0.1:1/api', '--fast'],
    /unknown option "--fast"/,
  ],
  [
    'emulate against nothing',
    ['emulate', 'controlid', '--target', 'http://127.0.0.1:1/api'],
    /cannot poll http:\/\/127.0.0.1:1\/api\/push: connection refused/,
  ],
  [
    'an unknown faulty server',
    ['serve', 'controlid', '--faulty', 'nope'],
    /unknown faulty receiver "nope"\. Known ones:\n\s+idle-json-object/,
  ],
];

for (const [what, args, message] of BAD) {
  test(`${what} exits 2 with a message`, async () => {
    const r = await pushcheck(args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
}
