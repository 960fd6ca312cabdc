/**
 * The bearer token on every alert (the vendor README (KS-server-demo), headers): the fetched or fixed token is accepted;
 * anything else is refused with 401/403 and not processed (pushcheck's reading: the documents are silent).
 */
import { describeResponse, fail, notAssessed } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import { describeTally } from '../../src/core/observer.ts';
import { accepted, type Box, conformance, expectAccepted, expectRefused } from './fixtures.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

/** A token of the same length and alphabet that was never issued. */
function forged(box: Box, token: string): string {
  const seen = [...new Set(token)].join('');
  const alphabet = seen.length > 1 ? seen : '0123456789abcdef';
  for (let i = 0; i < 10; i++) {
    const candidate = box.alerts.random(Math.max(1, token.length), alphabet);
    if (candidate !== token) return candidate;
  }
  return `${token}0`;
}

/** The token with its last character replaced by another of its alphabet. */
function lastChanged(token: string): string {
  const last = token.slice(-1);
  const pool = /[0-9]/.test(last)
    ? '0123456789'
    : /[a-f]/.test(last)
      ? 'abcdef'
      : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const other = [...pool].find((c) => c !== last) ?? 'x';
  return token.slice(0, -1) + other;
}

async function sendAll(
  box: Box,
  probes: { label: string; headers: Record<string, string> }[],
): Promise<{ label: string; ex: Exchange }[]> {
  const out: { label: string; ex: Exchange }[] = [];
  for (const p of probes) {
    out.push({
      label: p.label,
      ex: await box.post(box.alerts.alert().json, p.label, { headers: { ...JSON_TYPE, ...p.headers } }),
    });
  }
  return out;
}

function expectAllRefused(box: Box, results: { label: string; ex: Exchange }[], what: string): void {
  const letIn = results.filter((r) => r.ex.response?.status !== 401 && r.ex.response?.status !== 403);
  if (letIn.length > 0) {
    fail(
      `${letIn.length} of ${results.length} alerts with ${what} were not refused with 401/403`,
      'HTTP 401 (or 403) to each',
      letIn.map((r) => `${r.label}: ${box.shown(describeResponse(r.ex))}`).join('; '),
    );
  }
}

conformance('alertpush.auth.fetched-token-accepted', async ({ box }) => {
  const token = await box.credential();
  const res = await box.post(box.alerts.alert().json, 'alert with the fetched token', {
    headers: { ...JSON_TYPE, ...box.headers(token) },
  });
  expectAccepted(box, res, 'an alert carrying "Bearer <the token just fetched>" must be received');
});

conformance('alertpush.auth.fixed-token-accepted', async ({ box }) => {
  const token = await box.credential();
  const res = await box.post(box.alerts.alert().json, 'alert with the fixed token', {
    headers: { ...JSON_TYPE, ...box.headers(token) },
  });
  expectAccepted(box, res, 'an alert carrying "Bearer <the fixed token>" must be received');
});

conformance('alertpush.auth.missing-refused', async ({ box }) => {
  const res = await box.post(box.alerts.alert().json, 'alert without authorization', {
    headers: JSON_TYPE,
  });
  expectRefused(box, res, 'an alert without an authorization header must be refused');
});

conformance('alertpush.auth.wrong-refused', async ({ box }) => {
  const token = (await box.credential()) ?? '';
  const results = await sendAll(box, [
    {
      label: 'alert with a token never issued',
      headers: { authorization: `Bearer ${forged(box, token)}` },
    },
    {
      label: 'alert with the token, last character changed',
      headers: { authorization: `Bearer ${lastChanged(token)}` },
    },
    {
      label: 'alert with the token cut to half its length',
      headers: { authorization: `Bearer ${token.slice(0, Math.max(1, Math.floor(token.length / 2)))}` },
    },
  ]);
  expectAllRefused(box, results, 'tokens that were never issued');
});

conformance('alertpush.auth.malformed-refused', async ({ box }) => {
  const token = (await box.credential()) ?? '';
  const results = await sendAll(box, [
    { label: 'the token without the Bearer scheme', headers: { authorization: token } },
    { label: 'the token under the Basic scheme', headers: { authorization: `Basic ${token}` } },
    { label: 'Bearer, the token, then more text', headers: { authorization: `Bearer ${token} ${token}` } },
    { label: 'Bearer with no token', headers: { authorization: 'Bearer' } },
  ]);
  expectAllRefused(box, results, 'an authorization header that is not "Bearer <token>"');
});

conformance('alertpush.auth.refused-not-processed', async ({ box, observe }) => {
  const token = (await box.credential()) ?? '';
  const refusedAlerts = [
    { label: 'alert without authorization', headers: {} },
    {
      label: 'alert with the token, last character changed',
      headers: { authorization: `Bearer ${lastChanged(token)}` },
    },
    { label: 'alert with the token under the Basic scheme', headers: { authorization: `Basic ${token}` } },
  ].map((p) => ({ ...p, alert: box.alerts.alert() }));
  for (const p of refusedAlerts) {
    await box.post(p.alert.json, p.label, { headers: { ...JSON_TYPE, ...p.headers } });
  }
  const sentinel = box.alerts.alert();
  const res = await box.post(sentinel.json, 'genuine alert (sentinel)', {
    headers: { ...JSON_TYPE, ...box.headers(token) },
  });
  if (!accepted(res)) {
    notAssessed(
      `the genuine sentinel alert was not accepted (${box.shown(describeResponse(res))}), so nothing can be concluded`,
    );
  }
  const calibration = await observe.calibrate(sentinel.marker);
  const processed: string[] = [];
  for (const p of refusedAlerts) {
    const counted = await calibration.tally(p.alert.marker);
    if (counted.seen > 0) processed.push(`${p.label}: ${describeTally(counted)}`);
  }
  if (processed.length > 0) {
    fail(
      `${processed.length} of ${refusedAlerts.length} alerts with no valid token were processed`,
      'none of them recorded (a refused alert leaves no trace)',
      processed.join('; '),
    );
  }
});
