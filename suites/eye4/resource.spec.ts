/**
 * Resource messages (the Eye4 alarm access document §3, §V.2): understood in either spelling of the key, and tolerated when
 * they never come, come for an unknown fileid, or come before their alarm.
 */
import { describeResponse, expectNoServerError, fail, notAssessed } from '../../src/core/case.ts';
import { conformance, expect2xx } from './fixtures.ts';

conformance('eye4.resource.key-either-case', async ({ eye4, sender, lookups }) => {
  for (const keyName of ['key', 'Key'] as const) {
    const probe = sender.alarm();
    const fileid = probe.fileid ?? '';
    await eye4.alarm(probe, `genuine alarm (its resource message will spell "${keyName}")`);
    const before = lookups.since(0).filter((c) => c.fileid === fileid).length;
    const at = lookups.now();
    const res = await eye4.resource(
      sender.resource(fileid, keyName).json,
      `resource message with "${keyName}"`,
    );
    const call = await lookups.waitFor(fileid, at);
    if (call) continue;
    if (before > 0) {
      notAssessed(
        'the receiver looked the recording up on the alarm, before its resource message: how it reads the resource message cannot be seen through the lookup',
      );
    }
    fail(
      `a resource message spelling the fileid "${keyName}" was not understood`,
      `a lookup of fileid ${fileid} after the resource message`,
      `no lookup of it within the observe timeout; the resource message got ${describeResponse(res)}`,
    );
  }
});

conformance('eye4.resource.never-arrives', async ({ eye4, sender, observe }) => {
  const probe = sender.alarm();
  await eye4.alarm(probe, 'genuine alarm whose resource message never comes');
  if ((await observe.count(probe.marker)) < 1) {
    fail(
      'an alarm whose resource message never came was not processed',
      `the alarm (did containing ${probe.marker}) recorded without waiting for its resource message`,
      'never recorded within the observe timeout',
    );
  }
});

conformance('eye4.resource.unknown-fileid', async ({ eye4, sender }) => {
  expectNoServerError(
    await eye4.resource(
      sender.resource(sender.fileid()).json,
      'resource message for a fileid no alarm named',
    ),
    'a resource message whose alarm was lost must get an answer below 500',
  );
  expect2xx(
    await eye4.alarm(sender.alarm(), 'genuine alarm after it'),
    'the next genuine alarm must still be answered with a 2xx',
  );
});

conformance('eye4.resource.before-alarm', async ({ eye4, sender, observe }) => {
  const probe = sender.alarm();
  expectNoServerError(
    await eye4.resource(sender.resource(probe.fileid ?? '').json, 'resource message, before its alarm'),
    'a resource message that comes before its alarm must get an answer below 500',
  );
  await eye4.alarm(probe, 'its alarm, after it');
  if ((await observe.count(probe.marker)) < 1) {
    fail(
      'an alarm whose resource message came first was not processed',
      `the alarm (did containing ${probe.marker}) recorded`,
      'never recorded within the observe timeout',
    );
  }
});
