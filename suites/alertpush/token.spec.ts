/**
 * The token endpoint (the vendor's KS-server-demo, headers_demo1.py): the box GETs it with a 5 s timeout every 600 s and
 * sends the plain-text body as its bearer token.
 */
import {
  describeResponse,
  expectStatus,
  expectWithin,
  fail,
  notAssessed,
  recordMetrics,
} from '../../src/core/case.ts';
import { TOKEN_DEADLINE_MS } from '../../src/protocols/alertpush/profile.ts';
import { bearerSyntaxProblem, tokenProblem } from '../../src/protocols/alertpush/token.ts';
import { accepted, conformance } from './fixtures.ts';

conformance('alertpush.token.within-5s', async ({ box }) => {
  const { exchange } = await box.fetchToken('token request, timed');
  recordMetrics({ tokenMs: exchange.timings.totalMs });
  expectWithin(exchange, TOKEN_DEADLINE_MS, `the token must come within ${TOKEN_DEADLINE_MS} ms (timeout=5)`);
  expectStatus(exchange, 200, 'the token script uses the body only when the status is 200');
});

conformance('alertpush.token.plain-text', async ({ box }) => {
  const { exchange, body } = await box.fetchToken('token request');
  if (body === undefined) {
    notAssessed(
      `no token came (${box.shown(describeResponse(exchange))}): alertpush.token.within-5s judges the endpoint`,
    );
  }
  const problem = tokenProblem(body);
  if (problem !== undefined) {
    fail(
      'the token endpoint\'s body is not a bare plain-text token: the box sends the whole body after "Bearer "',
      'the token alone as the body, e.g. 64 hex digits (the vendor answers secrets.token_hex(32)): no JSON, quotes, scheme, whitespace or newline',
      `${problem}; body ${box.shown(JSON.stringify(body.toString('utf8')))} (${body.length} bytes, Content-Type ${JSON.stringify(exchange.response?.headers['content-type'] ?? '')})`,
    );
  }
});

conformance('alertpush.token.bearer-syntax', async ({ box }) => {
  const token = await box.credential();
  if (token === undefined) throw new Error('a token-url run without a token: credential() decides that');
  const problem = bearerSyntaxProblem(token);
  if (problem !== undefined) {
    fail(
      'the token is not an RFC 6750 bearer token',
      'letters, digits, - . _ ~ + / and trailing = only',
      `a ${token.length}-character token with ${problem}`,
    );
  }
});

conformance('alertpush.token.earlier-still-valid', async ({ box }) => {
  const earlier = await box.credential();
  const later = await box.credential();
  if (earlier === undefined || later === undefined) throw new Error('a token-url run without a token');
  recordMetrics({ sameTokenReissued: String(earlier === later) });
  const withLater = await box.post(box.alerts.alert().json, 'alert with the newer token', {
    headers: { 'content-type': 'application/json', ...box.headers(later) },
  });
  if (!accepted(withLater)) {
    notAssessed(
      `an alert with the newest token was not accepted (${box.shown(describeResponse(withLater))}): alertpush.auth.fetched-token-accepted judges that`,
    );
  }
  const withEarlier = await box.post(box.alerts.alert().json, 'alert with the earlier token', {
    headers: { 'content-type': 'application/json', ...box.headers(earlier) },
  });
  if (!accepted(withEarlier)) {
    fail(
      'an alert carrying the token issued just before the newest one was refused',
      'a 2xx answer: the box keeps a fetched token for up to 600 s, whatever was issued since',
      box.shown(describeResponse(withEarlier)),
    );
  }
});
