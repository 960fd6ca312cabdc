/**
 * Bodies that are not a JSON object. eKuiper v2 does not look at the body over HTTP: it answers `200 ok` and the
 * rule's decoder fails later. v1 decodes first and answers `400 Fail to decode data: …` (lf-edge/ekuiper). Neither
 * answers 5xx; `--ekuiper-version` says which generation the endpoint claims to be.
 */
import { describeResponse, fail } from '../../src/core/case.ts';
import type { Exchange } from '../../src/core/http.ts';
import { type BadBody, malformedBodies, nonObjectBodies } from '../../src/protocols/ekuiper/messages.ts';
import { conformance, type Device, settings } from './fixtures.ts';

const DECODE_ERROR = 'Fail to decode data: ';

/** Why `res` is not what generation `version` answers, or undefined when it is. */
function mismatch(res: Exchange, version: 1 | 2): string | undefined {
  const status = res.response?.status;
  if (res.error !== undefined || status === undefined) return describeResponse(res);
  if (version === 2) return status === 200 ? undefined : describeResponse(res);
  const body = res.response?.body ?? '';
  return status === 400 && body.startsWith(DECODE_ERROR) ? undefined : describeResponse(res);
}

async function sendAll(device: Device, version: 1 | 2, bodies: BadBody[], what: string): Promise<void> {
  const wrong: string[] = [];
  for (const bad of bodies) {
    const res = await device.push(bad.body, bad.label);
    const why = mismatch(res, version);
    if (why !== undefined) wrong.push(`${bad.label}: ${why}`);
  }
  if (wrong.length > 0) {
    fail(
      `${what} must be answered as eKuiper v${version} answers it`,
      version === 2
        ? 'HTTP 200 to each (v2 accepts any body; decoding fails later, in the rule)'
        : `HTTP 400 with a body starting "${DECODE_ERROR}" to each (v1 decodes into a JSON object)`,
      wrong.join('; '),
    );
  }
}

conformance('ekuiper.decode.malformed-json', async ({ device, run }) => {
  await sendAll(device, settings(run).version, malformedBodies(device.object().body), 'malformed JSON');
});

conformance('ekuiper.decode.non-object-json', async ({ device, run }) => {
  await sendAll(
    device,
    settings(run).version,
    nonObjectBodies(device.object().body),
    'JSON that is not an object',
  );
});
