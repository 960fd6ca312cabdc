/**
 * Polls with nothing to do: the server answers with an empty response (controlid.poll.idle-empty, which quotes the
 * Control iD Push mode document).
 */
import { describeResponse, fail, percentile, recordMetrics } from '../../src/core/case.ts';
import type { Rng } from '../../src/core/rng.ts';
import { describeAnswer, randomLargeId } from '../../src/protocols/controlid/codec.ts';
import type { Poll } from '../../src/protocols/controlid/sender.ts';
import { conformance } from './fixtures.ts';

const EMPTY = 'a 2xx with an empty body (a zero-length body; {} is read as empty too)';

/** `n` distinct random ids above 2^53, none of them `exclude`; bounded, though a clash is a 1-in-2^62 draw. */
function freshIds(rng: Rng, n: number, exclude: string): string[] {
  const ids = new Set<string>();
  for (let tries = 0; ids.size < n && tries < n * 10; tries++) {
    const id = randomLargeId(rng);
    if (id !== exclude) ids.add(id);
  }
  if (ids.size < n) throw new Error(`drew fewer than ${n} distinct device ids`);
  return [...ids];
}

function expectEmpty(poll: Poll, why: string): void {
  if (poll.answer.kind !== 'empty') {
    fail(why, EMPTY, `${describeResponse(poll.exchange)}: ${describeAnswer(poll.answer)}`);
  }
}

conformance('controlid.poll.idle-empty', async ({ device }) => {
  expectEmpty(await device.poll('idle poll'), 'a poll with nothing to do must get an empty response');
});

conformance('controlid.poll.idle-zero-length', async ({ device }) => {
  const poll = await device.poll('idle poll');
  const r = poll.exchange.response;
  if (poll.exchange.error !== undefined || r?.status !== 200 || r.bodyBytes !== 0) {
    fail(
      'the documented empty response is HTTP 200 with a zero-length body',
      'HTTP 200 with 0 bytes of body',
      describeResponse(poll.exchange),
    );
  }
});

conformance('controlid.poll.unknown-device-empty', async ({ deviceAs, settings, rng }) => {
  const [id = ''] = freshIds(rng, 1, settings.deviceId);
  const poll = await deviceAs(id).poll(`poll as device ${id}, never seen before`);
  expectEmpty(poll, 'a device the server does not know has nothing to do: an empty response');
});

conformance('controlid.poll.concurrent-devices', async ({ deviceAs, settings, rng }) => {
  const ids = freshIds(rng, settings.devices, settings.deviceId);
  const polls = await Promise.all(
    ids.map((id, i) => deviceAs(id).poll(`poll ${i + 1}/${settings.devices}, device ${id}`)),
  );
  const latencies = polls.map((p) => p.exchange.timings.totalMs);
  recordMetrics({
    devices: settings.devices,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: Math.max(...latencies),
  });
  const bad = polls.filter(
    (p) => p.answer.kind !== 'empty' || p.exchange.timings.totalMs > settings.requestTimeoutMs,
  );
  if (bad.length > 0) {
    fail(
      `${bad.length} of ${settings.devices} devices polling at once got no empty response within ${settings.requestTimeoutMs} ms`,
      `all ${settings.devices} answered with an empty response within ${settings.requestTimeoutMs} ms`,
      bad
        .slice(0, 3)
        .map((p) => `${p.exchange.label}: ${describeResponse(p.exchange)}`)
        .join('; '),
    );
  }
});
