/** The alertpush options' errors: one sentence for people, exit 2, no stack trace. */
import { expect, test } from '@playwright/test';
import { pushcheck } from '../helpers.ts';

const RUN = ['run', '--profile', 'alertpush', '--target', 'http://127.0.0.1:9/alert'];

const ERRORS: [string, string[], RegExp][] = [
  ['both token modes', ['--token-url', 'http://127.0.0.1:9/token', '--bearer', 'abc'], /not both/],
  ['a token URL that is not HTTP', ['--token-url', 'ftp://127.0.0.1/token'], /--token-url must be http/],
  ['a token URL that is not a URL', ['--token-url', 'token'], /--token-url "token" is not a URL/],
  ['a bearer with its scheme', ['--bearer', 'Bearer abc'], /--bearer must be the token alone/],
  ['a video URL that is not a URL', ['--video-target', '::'], /--video-target "::" is not a URL/],
  [
    'an image folder that does not exist',
    ['--image-dir', '/nonexistent/images'],
    /--image-dir .* is not a folder/,
  ],
  ['an option of another profile', ['--aes-key', '0123456789abcdef'], /aes-key/],
];

for (const [what, args, message] of ERRORS) {
  test(`${what} is a usage error in one sentence, exit 2`, async () => {
    const r = await pushcheck([...RUN, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
}

test('the catalogue lists the 19 alertpush cases', async () => {
  const r = await pushcheck(['cases', '--profile', 'alertpush', '--json']);
  expect(r.code).toBe(0);
  const rows = JSON.parse(r.stdout) as { id: string; level: string }[];
  expect(rows.map((c) => c.id).every((id) => id.startsWith('alertpush.'))).toBe(true);
  expect(rows).toHaveLength(19);
});
