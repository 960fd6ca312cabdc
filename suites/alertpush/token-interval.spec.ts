/**
 * A token held for the box's whole refresh interval (alertpush.token.valid-for-interval): the box sends the token
 * it fetched until its next refresh, 600 s later in headers_demo.py. The wait is the server's clock, which
 * cannot be compressed, so the case holds a lock of its own and runs beside the run's other cases, in a worker
 * the run adds for it (decisions/023).
 */
import { describeResponse, fail, notAssessed, recordMetrics } from '../../src/core/case.ts';
import { caseTimeoutMs, runLock } from '../../src/core/config.ts';
import type { AlertPushSettings } from '../../src/protocols/alertpush/profile.ts';
import { requirements } from '../../specs/alertpush/requirements.ts';
import { defineConformance } from '../fixtures.ts';
import { accepted, test } from './fixtures.ts';

const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'alertpush',
  requirements,
  { lock: (runIndex) => `${runLock(runIndex)}-beside` },
);

conformance('alertpush.token.valid-for-interval', async ({ box, run }, testInfo) => {
  // Set: the case needs 'token-interval', which the profile grants only when --token-interval was given.
  const tokenIntervalS = (run.settings as AlertPushSettings).tokenIntervalS ?? 0;
  const intervalMs = tokenIntervalS * 1000;
  // The interval is the case's own wait; the usual limit covers the requests around it.
  testInfo.setTimeout(intervalMs + caseTimeoutMs(run));
  const held = await box.credential();
  const fetchedAt = Date.now();
  await new Promise((r) => setTimeout(r, intervalMs));
  const heldMs = Date.now() - fetchedAt;
  // What the case cost: a token-url run lasts at least this long, whatever the other cases take.
  recordMetrics({ tokenHeldMs: heldMs, intervalMs });
  const withHeld = await box.post(
    box.alerts.alert().json,
    `alert with the token fetched ${tokenIntervalS} s ago`,
    {
      headers: { 'content-type': 'application/json', ...box.headers(held) },
    },
  );
  if (accepted(withHeld)) return;
  const fresh = await box.credential();
  const withFresh = await box.post(box.alerts.alert().json, 'alert with a token fetched now', {
    headers: { 'content-type': 'application/json', ...box.headers(fresh) },
  });
  if (!accepted(withFresh)) {
    notAssessed(
      `an alert with a token fetched just now was not accepted either (${box.shown(describeResponse(withFresh))}): alertpush.auth.fetched-token-accepted judges that`,
    );
  }
  fail(
    `an alert carrying a token fetched ${Math.round(heldMs / 100) / 10} s earlier was refused, though one with a fresh token was accepted`,
    `a 2xx answer: the box sends the token it fetched until its next refresh, ${tokenIntervalS} s later (interval); other cases fetched tokens meanwhile, so see alertpush.token.earlier-still-valid if it fails too`,
    box.shown(describeResponse(withHeld)),
  );
});
