/**
 * Acceptance: what eKuiper's data server takes with 200 (lf-edge/ekuiper): a JSON object with the stream's method,
 * whatever its Content-Type, however large, however many at once.
 */
import { expectBurstOnTime, measureBurst } from '../../src/core/burst.ts';
import { describeResponse, expectBody, expectStatus, recordMetrics } from '../../src/core/case.ts';
import { largeObject } from '../../src/protocols/ekuiper/messages.ts';
import { conformance, settings } from './fixtures.ts';

/** "1 MB": a gateway's batch of readings. */
const LARGE_BYTES = 1024 * 1024;
/** Uploading 1 MiB may itself take seconds on a real link: that answer is not held to the 5 s deadline. */
const LARGE_DEADLINE_MS = 30_000;

conformance('ekuiper.push.object-accepted', async ({ device, run }) => {
  const res = await device.push(device.object().json, `sensor object, ${settings(run).method}`);
  expectStatus(res, 200, `a JSON object pushed with ${settings(run).method} must be accepted with HTTP 200`);
  expectBody(res, 'ok', 'eKuiper answers an accepted push with the body ok');
});

conformance('ekuiper.push.no-content-type', async ({ device }) => {
  for (const [label, headers] of [
    ['no Content-Type', {}],
    ['Content-Type text/plain', { 'content-type': 'text/plain' }],
  ] as const) {
    const res = await device.push(device.object().json, `sensor object, ${label}`, { headers });
    expectStatus(res, 200, `a JSON object sent with ${label} must be accepted: eKuiper does not check it`);
  }
});

conformance('ekuiper.push.large-body', async ({ device }) => {
  const { marker } = device.object();
  const body = largeObject(marker, device.rng, Date.now(), LARGE_BYTES);
  const res = await device.push(body, `1 MiB object (${body.length} bytes)`, {
    deadlineMs: LARGE_DEADLINE_MS,
  });
  recordMetrics({ bytes: body.length, ms: res.timings.totalMs });
  expectStatus(res, 200, 'a 1 MiB JSON object must be accepted: eKuiper sets no size limit');
});

conformance('ekuiper.push.burst', async ({ device, run }) => {
  const b = await measureBurst(settings(run).burst, run.deadlineMs, (_, label) =>
    device.push(device.object().json, label),
  );
  recordMetrics(b.metrics);
  expectBurstOnTime(b, run.deadlineMs, 'accepted', describeResponse);
});
