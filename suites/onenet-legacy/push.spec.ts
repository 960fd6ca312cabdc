/**
 * Pushes of every documented message type, single and batched (the legacy SDKs), acked 200 and processed; the
 * signature is over the compact JSON of msg, slashes unescaped.
 */
import type { OneNetLegacyCaseId } from '../../specs/onenet-legacy/requirements.ts';
import { expectStatus, fail } from '../../src/core/case.ts';
import type { MessageKind } from '../../src/protocols/onenet-legacy/messages.ts';
import { conformance, markerOf } from './fixtures.ts';

const ACKED: [OneNetLegacyCaseId, MessageKind[], string][] = [
  ['onenet-legacy.push.datapoint-acked', ['datapoint'], 'datapoint (type 1)'],
  ['onenet-legacy.push.status-acked', ['status'], 'online/offline (type 2)'],
  ['onenet-legacy.push.cached-command-acked', ['cachedCommand'], 'cached command result (type 7)'],
  ['onenet-legacy.push.batch-acked', ['datapoint', 'status', 'cachedCommand'], 'batch of types 1, 2 and 7'],
];

for (const [id, kinds, what] of ACKED) {
  conformance(id, async ({ target, sender }) => {
    const push = sender.push(kinds);
    const res = await target.post(push.json, `genuine push: ${what}`);
    expectStatus(
      res,
      200,
      `a genuine ${what} push must be acked with HTTP 200, or the platform pushes it again`,
    );
  });
}

conformance('onenet-legacy.push.batch-processed', async ({ target, sender, observe }) => {
  const push = sender.push(['datapoint', 'cachedCommand', 'datapoint']);
  const res = await target.post(push.json, 'genuine batch of three messages');
  expectStatus(res, 200, 'a genuine batch must be acked with HTTP 200');
  const missing: string[] = [];
  for (const [i, marker] of push.markers.entries()) {
    if ((await observe.count(marker)) < 1) missing.push(`message ${i + 1} (marker ${marker})`);
  }
  if (missing.length > 0) {
    fail(
      'the receiver acked a batch but did not process every message in it',
      `all ${push.markers.length} markers recorded`,
      `not recorded: ${missing.join(', ')}`,
    );
  }
});

conformance('onenet-legacy.push.processed', async ({ target, sender, observe }) => {
  const push = sender.push('datapoint', { slashes: true, signatureHas: '+/' });
  const marker = markerOf(push);
  const res = await target.post(push.json, `genuine push, signature ${push.body.msg_signature}`);
  expectStatus(res, 200, 'a genuine push must be acked with HTTP 200');
  if ((await observe.count(marker)) < 1) {
    fail(
      'the receiver acked a genuine push but did not process it',
      `marker ${marker} recorded by the receiver`,
      'the marker never appeared: a genuine signature rejected? It is over the compact JSON of msg, slashes unescaped, compared as raw Base64 with + and /',
    );
  }
});
