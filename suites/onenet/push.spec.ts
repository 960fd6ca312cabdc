/** Pushes of every documented payload type (the OneNET HTTP push document §3 消息推送), acked 200 and processed. */

import type { OneNetCaseId } from '../../specs/onenet/requirements.ts';
import { expectStatus, fail } from '../../src/core/case.ts';
import type { MsgKind } from '../../src/protocols/onenet/messages.ts';
import { conformance } from './fixtures.ts';

const ACKED: [OneNetCaseId, MsgKind][] = [
  ['onenet.push.lifecycle-acked', 'lifeCycle'],
  ['onenet.push.property-acked', 'property'],
  ['onenet.push.event-acked', 'event'],
  ['onenet.push.service-reply-acked', 'serviceReply'],
  ['onenet.push.scene-log-acked', 'sceneLog'],
  ['onenet.push.lbs-wifi-acked', 'lbsAndWifi'],
];

for (const [id, kind] of ACKED) {
  conformance(id, async ({ target, sender }) => {
    const push = sender.push(kind);
    const res = await target.post(push.json, `genuine ${kind} push`);
    expectStatus(res, 200, `a genuine ${kind} push must be acked with HTTP 200, or the platform retries it`);
  });
}

conformance('onenet.push.processed', async ({ target, sender, observe }) => {
  const push = sender.push('property', { signatureHas: '+/' });
  const res = await target.post(push.json, `genuine push, signature ${push.body.signature}`);
  expectStatus(res, 200, 'a genuine push must be acked with HTTP 200');
  if ((await observe.count(push.marker)) < 1) {
    fail(
      'the receiver acked a genuine push but did not process it',
      `marker ${push.marker} recorded by the receiver`,
      'the marker never appeared (a genuine signature with + and / rejected?)',
    );
  }
});
