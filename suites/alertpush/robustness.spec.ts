/**
 * Bad input, with a valid token so that it reaches the parser (the documents are silent: pushcheck's reading,
 * never above SHOULD): answered below 500, and the next genuine alert still accepted.
 */
import type { AlertPushCaseId } from '../../specs/alertpush/requirements.ts';
import { describeResponse, expectNoServerError, fail } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import { accepted, type Box, conformance } from './fixtures.ts';

interface BadInput {
  id: AlertPushCaseId;
  label: string;
  send(box: Box, token: string | undefined): Promise<Exchange>;
}

const headers = (box: Box, token: string | undefined) => ({
  'content-type': 'application/json',
  ...box.headers(token),
});

const BAD_INPUTS: BadInput[] = [
  {
    id: 'alertpush.robust.bad-json',
    label: 'a body that is not JSON (an alert cut short)',
    send: (box, token) =>
      box.post(box.alerts.alert().json.slice(0, 200), 'truncated alert JSON', {
        headers: headers(box, token),
      }),
  },
  {
    id: 'alertpush.robust.bad-base64',
    label: 'an alert whose image is not valid Base64 (its last character missing: bad padding)',
    send: (box, token) => {
      const alert = box.alerts.alert();
      const body = { ...alert.body, image: alert.body.image.slice(0, -1) };
      return box.post(JSON.stringify(body), 'alert with an image that is not Base64', {
        headers: headers(box, token),
      });
    },
  },
];

for (const input of BAD_INPUTS) {
  conformance(input.id, async ({ box }) => {
    const token = await box.credential();
    expectNoServerError(
      await input.send(box, token),
      `${input.label} must get a complete answer below 500, not a 5xx or a broken connection`,
    );
  });
}

conformance('alertpush.robust.survives-bad-input', async ({ box }) => {
  const token = await box.credential();
  for (const input of BAD_INPUTS) {
    await input.send(box, token);
    const res = await box.post(box.alerts.alert().json, `genuine alert after ${input.label}`, {
      headers: headers(box, token),
    });
    // A receiver that stopped accepting stays stopped: the first failure is the finding.
    if (!accepted(res)) {
      fail(
        `the receiver stopped accepting genuine alerts after ${input.label}`,
        'every genuine alert that follows bad input answered 2xx',
        box.shown(describeResponse(res)),
      );
    }
  }
});
