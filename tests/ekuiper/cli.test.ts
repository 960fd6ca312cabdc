/** The eKuiper options of `pushcheck run`: every mistake is one sentence and exit 2, never a stack trace. */
import { expect, test } from '@playwright/test';
import { pushcheck } from '../helpers.ts';

const RUN = ['run', '--profile', 'ekuiper', '--target', 'http://127.0.0.1:9/api/data'];

for (const [args, message] of [
  [['--method', 'GET'], /--method must be POST or PUT \(eKuiper routes only these\), got "GET"/],
  [['--ekuiper-version', '3'], /--ekuiper-version must be 1 or 2, got "3"/],
  [['--ekuiper-api', 'localhost 9081'], /--ekuiper-api "localhost 9081" is not a URL/],
  [['--ekuiper-api', 'ftp://127.0.0.1:9081'], /--ekuiper-api must be http:\/\/ or https:\/\//],
  [['--ekuiper-token', 't0k3n-value'], /--ekuiper-token is for the REST API: give --ekuiper-api URL too/],
  [
    ['--ekuiper-api', 'http://127.0.0.1:9081', '--observe-file', '/tmp/x.log'],
    /give --ekuiper-api or --observe-file, not both/,
  ],
  [['--burst', '0'], /--burst must be an integer from 1 to 500/],
  [['--token', 'x'], /unknown option "--token"/],
] as const) {
  test(`${args.join(' ')}: ${message.source.slice(0, 40)}…`, async () => {
    const r = await pushcheck([...RUN, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('t0k3n-value');
  });
}

test('cases --profile ekuiper lists the nine cases', async () => {
  const r = await pushcheck(['cases', '--profile', 'ekuiper']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/9 cases/);
  expect(r.stdout).toContain('ekuiper.rule.data-reached');
});

test('serve ekuiper --faulty help lists the faulty endpoints', async () => {
  const r = await pushcheck(['serve', 'ekuiper', '--faulty', 'help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('put-configured-post-routed');
});
