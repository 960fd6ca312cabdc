/** The playback lookup (the Eye4 alarm access document §4), observed through pushcheck's Eye4 API mock. */
import { describeResponse, expectNoServerError, fail, notAssessed } from '../../src/core/case.ts';
import { DOORBELL_STORAGE } from '../../src/protocols/eye4/sender.ts';
import { conformance, describeCall, expect2xx } from './fixtures.ts';

conformance('eye4.lookup.fileid-and-type', async ({ eye4, sender, lookups }) => {
  const at = lookups.now();
  const probe = sender.alarm();
  const fileid = probe.fileid ?? '';
  await eye4.alarm(probe, 'genuine doorbell alarm');
  await eye4.resource(sender.resource(fileid).json, 'its resource message');
  const call = await lookups.waitFor(fileid, at);
  if (!call) {
    const calls = lookups.since(at);
    fail(
      "the receiver did not look the alarm's recording up",
      `POST /push/fileid with {"fileid": "${fileid}", "type": "${DOORBELL_STORAGE}"}`,
      calls.length === 0
        ? 'no call to the Eye4 API within the observe timeout'
        : `calls, none naming that fileid: ${calls.map(describeCall).join('; ')}`,
    );
  }
  const named = lookups.since(at).filter((c) => c.fileid === fileid);
  if (!named.some((c) => c.type === DOORBELL_STORAGE)) {
    fail(
      'the lookup of a doorbell recording did not ask for doorbell cloud storage',
      `type "${DOORBELL_STORAGE}" (D005 is alarm cloud storage)`,
      named.map(describeCall).join('; '),
    );
  }
});

conformance('eye4.lookup.expired-handled', async ({ eye4, sender, lookups, api }) => {
  const at = lookups.now();
  const expired = sender.alarm();
  const fileid = expired.fileid ?? '';
  api?.state.register(fileid, { storage: DOORBELL_STORAGE, state: 'expired' });
  await eye4.alarm(expired, 'genuine alarm whose recording has expired');
  expectNoServerError(
    await eye4.resource(sender.resource(fileid).json, 'its resource message (the lookup will return [])'),
    'a resource message whose recording has expired must get an answer below 500',
  );
  if (!(await lookups.waitFor(fileid, at))) {
    notAssessed(
      `the receiver never looked the expired recording up, so its handling of [] was not exercised (eye4.lookup.fileid-and-type covers the lookup)`,
    );
  }
  const next = sender.alarm();
  const nextAt = lookups.now();
  expect2xx(
    await eye4.alarm(next, 'the next genuine alarm'),
    'after an expired recording, the next genuine alarm must still be answered with a 2xx',
  );
  const res = await eye4.resource(sender.resource(next.fileid ?? '').json, 'its resource message');
  expectNoServerError(
    res,
    'after an expired recording, the next resource message must get an answer below 500',
  );
  if (!(await lookups.waitFor(next.fileid ?? '', nextAt))) {
    fail(
      'after an expired recording, the receiver stopped looking recordings up',
      `a lookup of the next alarm's fileid ${next.fileid ?? ''}`,
      `none within the observe timeout (its resource message got ${describeResponse(res)})`,
    );
  }
});
