/** What makes a token endpoint's answer unusable to the box, and what the bearer syntax allows. */
import { expect, test } from '@playwright/test';
import { bearerSyntaxProblem, tokenProblem } from '../../src/protocols/alertpush/token.ts';

const HEX = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

test('bare tokens are usable: hex, alphanumerics, digits only, Base64 with padding', () => {
  for (const t of [HEX, 'Ab3dE6gH9jK2mN5p', '1234567890', 'eyJhbGciOiJIUzI1NiJ9.e30.abc-_~+/==']) {
    expect(tokenProblem(Buffer.from(t)), t).toBeUndefined();
  }
});

test('answers the box cannot use as they are', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    [`${HEX}\n`, /ends with a line break/],
    [`${HEX}\r\n`, /ends with a line break/],
    [`ab\ncd`, /has a line break/],
    [`${HEX} `, /whitespace/],
    [`\t${HEX}`, /whitespace/],
    [JSON.stringify({ token: HEX }), /is JSON/],
    [JSON.stringify([HEX]), /is JSON/],
    ['{token: abc}', /looks like JSON/],
    [JSON.stringify(HEX), /quotes/],
    [`'${HEX}'`, /quotes/],
    [`Bearer ${HEX}`, /Bearer Bearer/],
    ['ab\u0000cd', /control/],
    ['x'.repeat(9000), /too long/],
  ];
  for (const [body, why] of cases) expect(tokenProblem(Buffer.from(body)), JSON.stringify(body)).toMatch(why);
});

test('the RFC 6750 b64token syntax', () => {
  expect(bearerSyntaxProblem(HEX)).toBeUndefined();
  expect(bearerSyntaxProblem('a.b-c_d~e+f/g==')).toBeUndefined();
  expect(bearerSyntaxProblem('alerts:1700000000:abc')).toMatch(/":"/);
  expect(bearerSyntaxProblem('tok en')).toMatch(/" "/);
  expect(bearerSyntaxProblem('令牌')).toMatch(/"令"/);
  expect(bearerSyntaxProblem('ab=cd')).toMatch(/padding/);
});
