/**
 * Alerts as the box sends them (the vendor's KS-server-demo): realistic bodies with real JPEGs, processed once received, the
 * image decoded exactly, whatever the Content-Type.
 */
import { describeResponse, fail, notAssessed, recordMetrics } from '../../src/core/case.ts';
import { findImage } from '../../src/protocols/alertpush/images.ts';
import { accepted, conformance, expectAccepted, settings, UPLOAD_DEADLINE_MS } from './fixtures.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

conformance('alertpush.alert.processed', async ({ box, observe }) => {
  const token = await box.credential();
  const alert = box.alerts.alert('medium');
  const res = await box.post(alert.json, 'authorised alert', {
    headers: { ...JSON_TYPE, ...box.headers(token) },
  });
  if (!accepted(res)) {
    notAssessed(
      `the alert was not accepted (${box.shown(describeResponse(res))}), so its processing cannot be looked for; the acceptance cases judge that`,
    );
  }
  const seen = await observe.count(alert.marker);
  if (seen < 1) {
    fail(
      'an alert answered 2xx never showed up where the receiver records processed alerts',
      `the alert id ${alert.body.id} (marker ${alert.marker}) recorded`,
      'not recorded within the observe timeout',
    );
  }
});

conformance('alertpush.alert.full-hd-accepted', async ({ box }) => {
  const token = await box.credential();
  const alert = box.alerts.alert('fullHd');
  recordMetrics({ jpegBytes: alert.jpeg.length, bodyBytes: Buffer.byteLength(alert.json) });
  const res = await box.post(
    alert.json,
    `alert with a 1920×1080 JPEG (${Buffer.byteLength(alert.json)} bytes)`,
    {
      headers: { ...JSON_TYPE, ...box.headers(token) },
      deadlineMs: UPLOAD_DEADLINE_MS,
    },
  );
  expectAccepted(box, res, 'a realistic alert carrying a full-HD frame must be received');
});

conformance('alertpush.alert.image-decoded', async ({ box, run }) => {
  const dir = settings(run).imageDir;
  if (dir === undefined) throw new Error('image-decoded without --image-dir: the profile check decides that');
  const token = await box.credential();
  const alert = box.alerts.alert('medium');
  const since = Date.now();
  const res = await box.post(alert.json, 'authorised alert', {
    headers: { ...JSON_TYPE, ...box.headers(token) },
  });
  if (!accepted(res)) {
    notAssessed(
      `the alert was not accepted (${box.shown(describeResponse(res))}), so no image can be looked for`,
    );
  }
  const search = await findImage(dir, alert.jpeg, since, run.observeTimeoutMs);
  recordMetrics({ jpegBytes: alert.jpeg.length, filesLooked: search.looked });
  if (search.found === undefined) {
    fail(
      'no file in the image folder holds the decoded JPEG',
      `a file of exactly the ${alert.jpeg.length} JPEG bytes (starting FF D8 FF) in ${dir}`,
      search.recent.length === 0
        ? `no file changed in ${dir} within the observe timeout`
        : `files changed meanwhile: ${search.recent.map((f) => `${f.name} (${f.bytes} bytes)`).join(', ')}`,
    );
  }
});

conformance('alertpush.alert.no-content-type-accepted', async ({ box }) => {
  const token = await box.credential();
  const res = await box.post(box.alerts.alert().json, 'alert without Content-Type', {
    headers: box.headers(token),
  });
  expectAccepted(
    box,
    res,
    "an alert must be received whatever its Content-Type says, as the vendor's server reads the raw body",
  );
});
