/** Video alerts (the vendor's KS-server-demo, the Java demo's POST /video): an alert carrying a Base64 clip. */
import { recordMetrics } from '../../src/core/case.ts';
import { conformance, expectAccepted, settings, UPLOAD_DEADLINE_MS } from './fixtures.ts';

conformance('alertpush.video.accepted', async ({ box, run }) => {
  const to = settings(run).videoTarget;
  if (to === undefined) throw new Error('video without --video-target: the profile check decides that');
  const token = await box.credential();
  const alert = box.alerts.videoAlert();
  recordMetrics({ clipBytes: alert.clip.length });
  const res = await box.post(alert.json, `video alert (${alert.clip.length}-byte MJPEG AVI)`, {
    to,
    headers: { 'content-type': 'application/json', ...box.headers(token) },
    deadlineMs: UPLOAD_DEADLINE_MS,
  });
  expectAccepted(box, res, 'a video alert must be received at the video URL');
});
