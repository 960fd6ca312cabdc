/** Every bad input gets a sentence saying what is wrong and what to do, exit code 2, and no stack trace. */

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { requirements } from '../specs/onenet/requirements.ts';
import { pushcheck, ROOT, TOKEN } from './helpers.ts';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const RUN = ['run', '--profile', 'onenet', '--token', TOKEN];

const BAD: [string, string[], RegExp][] = [
  [
    'an unknown flag',
    [...RUN, '--target', 'http://127.0.0.1:1/x', '--colour'],
    /unknown option "--colour" for pushcheck run --profile onenet\. See `pushcheck run --profile onenet --help`/,
  ],
  [
    'a misspelt option',
    [...RUN, '--target', 'http://127.0.0.1:1/x', '--tokn', 'x'],
    /unknown option "--tokn" .*Did you mean "--token"\?/,
  ],
  ['a misspelt command', ['rn', '--profile', 'onenet'], /unknown command "rn"\. Did you mean "run"\?/],
  [
    'a misspelt profile',
    ['run', '--profile', 'onent', '--target', 'http://127.0.0.1:1/'],
    /unknown profile "onent": .*Did you mean "onenet"\?/,
  ],
  [
    'a misspelt faulty receiver',
    ['serve', 'onenet', '--faulty', 'quoted-eco'],
    /Did you mean "quoted-echo"\?/,
  ],
  [
    'a misspelt serve option',
    ['serve', 'onenet', '--prot', '1'],
    /unknown option "--prot".*Did you mean "--port"\?/,
  ],
  ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
  [
    'an unknown profile',
    ['run', '--profile', 'mqtt', '--target', 'http://127.0.0.1:1/'],
    /unknown profile "mqtt": known profiles are onenet/,
  ],
  ['a missing target', RUN, /--target URL is required/],
  ['a target that is not a URL', [...RUN, '--target', 'localhost:8080'], /not a URL|must be http/],
  [
    'a missing token',
    ['run', '--profile', 'onenet', '--target', 'http://127.0.0.1:1/'],
    /--token is required \(or set PUSHCHECK_TOKEN\)/,
  ],
  [
    'an AES key of the wrong length',
    [...RUN, '--target', 'http://127.0.0.1:1/', '--aes-key', 'short'],
    /16-character key.*got 5 bytes/,
  ],
  [
    'a seed that is not a number',
    [...RUN, '--target', 'http://127.0.0.1:1/', '--seed', 'abc'],
    /--seed must be an integer/,
  ],
  [
    'an invalid --grep',
    [...RUN, '--target', 'http://127.0.0.1:1/', '--grep', '('],
    /not a valid regular expression/,
  ],
  [
    'an observe file in a missing folder',
    [...RUN, '--target', 'http://127.0.0.1:1/', '--observe-file', '/nonexistent/dir/x.log'],
    /its folder does not exist/,
  ],
  [
    'an unknown faulty receiver',
    ['serve', 'onenet', '--faulty', 'nope'],
    /unknown faulty receiver "nope"\. Known ones:\n\s+quoted-echo/,
  ],
];

for (const [what, args, message] of BAD) {
  test(`${what} exits 2 with a message`, async () => {
    const r = await pushcheck(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toMatch(/report it/);
    // One sentence; only the faulty receivers' catalogue follows its sentence on lines of its own.
    if (!/Known ones/.test(r.stderr)) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
}

test('an unreachable target exits 2 at once, saying so', async () => {
  const port = await closedPort();
  const r = await pushcheck([...RUN, '--target', `http://127.0.0.1:${port}/onenet`]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    `cannot reach http://127.0.0.1:${port}: connection refused. Is the receiver running`,
  );
  // No suite ran: nothing was sent, and it ended well before a single case could have (a busy machine
  // takes seconds only to start node and load the TypeScript).
  expect(r.stdout).not.toMatch(/onenet\.[a-z]+\./);
  expect(r.ms).toBeLessThan(15_000);
});

test('`cases` lists the whole catalogue with levels and sources', async () => {
  const r = await pushcheck(['cases', '--profile', 'onenet', '--json']);
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.stdout) as {
    id: string;
    level: string;
    source: { document: { title: string; url?: string }; section?: string };
  }[];
  expect(rows.map((x) => x.id)).toEqual(Object.keys(requirements));
  for (const row of rows) {
    expect(row.source.document.title.length, row.id).toBeGreaterThan(0);
    expect(row.source.document.url, row.id).toMatch(/^https:\/\//);
  }
  // The text listing shows the document's URL beside the citation.
  const text = await pushcheck(['cases', '--profile', 'onenet']);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(
    'OneNET 数据推送 · HTTP推送, 2. 实例验证 https://open.iot.10086.cn/doc/iot_platform/book/application-develop/push/http_push.html]',
  );
});

test('--help documents the exit codes; no command is a usage error', async () => {
  const help = await pushcheck(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/Exit codes: 0 conformant, 1 non-conformant, 2 could not run .*3 incomplete/s);
  expect((await pushcheck([])).code).toBe(2);
});

test('every command answers --help with its own options, and --version with the package version', async () => {
  const asks: [string[], RegExp][] = [
    [
      ['run', '--help'],
      /--target URL[\s\S]*--receiver-cmd[\s\S]*--fail-on[\s\S]*Options of run --profile eye4/,
    ],
    [['run', '--profile', 'onenet', '--help'], /--aes-key/],
    [['demo', '--help'], /pushcheck demo \[--profile P\]/],
    [['cases', '-h'], /pushcheck cases \[--profile P\] \[--json\]/],
    [['serve', 'onenet', '--help'], /--faulty help lists its faulty receivers/],
    [['send', 'onenet', '--help'], /pushcheck send onenet --target URL --token TOKEN/],
    [['listen', 'onenet', '--help'], /pushcheck listen onenet/],
    [['report', 'merge', '--help'], /pushcheck report merge DIR… --out SITE/],
    [['expectations', '--help'], /pushcheck expectations update --report DIR…/],
    [['emulate', 'controlid', '--help'], /pushcheck emulate controlid --target URL/],
  ];
  for (const [args, text] of asks) {
    const r = await pushcheck(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    expect(r.stdout, args.join(' ')).toMatch(text);
  }
  // `run --profile onenet --help` shows OneNET's options, not every profile's.
  expect((await pushcheck(['run', '--profile', 'onenet', '--help'])).stdout).not.toMatch(/--profile eye4/);
  const version = await pushcheck(['--version']);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(version.stdout.trim()).toBe(pkg.version);
});
