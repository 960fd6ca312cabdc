/** Alarm callbacks (the Eye4 alarm access document §2): the first message of an alarm event, acked and processed. */
import { fail } from '../../src/core/case.ts';
import { ACTION } from '../../src/protocols/eye4/sender.ts';
import { conformance, expect2xx, genuineEvent } from './fixtures.ts';

conformance('eye4.alarm.acked', async ({ eye4, sender }) => {
  const res = await eye4.alarm(sender.alarm(), 'genuine alarm');
  expect2xx(res, 'a genuine alarm must be answered with a 2xx within 5 s');
});

conformance('eye4.alarm.processed', async ({ eye4, sender, observe }) => {
  const { probe } = await genuineEvent(eye4, sender, 'genuine event');
  if ((await observe.count(probe.marker)) < 1) {
    fail(
      'a genuine alarm was not processed',
      `the alarm's did (containing ${probe.marker}) recorded by the receiver`,
      'never recorded within the observe timeout',
    );
  }
});

conformance('eye4.alarm.low-battery-accepted', async ({ eye4, sender, observe }) => {
  // Two devices, two reminders, neither with a recording.
  const reminders = [
    sender.alarm({ action: ACTION.lowBattery }),
    sender.alarm({ action: ACTION.lowBattery }),
  ];
  for (const [i, r] of reminders.entries()) {
    expect2xx(
      await eye4.alarm(r, `low-battery reminder ${i + 1}, no fileid`),
      'a low-battery reminder without a fileid must be answered with a 2xx',
    );
  }
  for (const [i, r] of reminders.entries()) {
    if ((await observe.count(r.marker)) < 1) {
      fail(
        `low-battery reminder ${i + 1} of 2 was not processed`,
        `both reminders recorded (dids containing ${reminders.map((x) => x.marker).join(' and ')})`,
        `reminder ${i + 1} (${r.marker}) never recorded within the observe timeout`,
      );
    }
  }
});
