/** The same alarm delivered twice (retries are not documented), processed once. */
import { fail, notAssessed } from '../../src/core/case.ts';
import { conformance, countAfterSentinel, genuineEvent } from './fixtures.ts';

conformance('eye4.dedup.processed-once', async ({ eye4, sender, observe }) => {
  const { probe } = await genuineEvent(eye4, sender, 'first delivery');
  const first = await observe.settled(probe.marker);
  if (first < 1) {
    notAssessed(
      `the first delivery (marker ${probe.marker}) was never recorded, so a second recording cannot be looked for (eye4.alarm.processed covers processing)`,
    );
  }
  await eye4.alarm(probe, 'the same alarm again');
  const after = await countAfterSentinel(eye4, sender, observe, probe.marker);
  if (after > first) {
    fail(
      'a duplicated alarm was processed again',
      `the alarm recorded ${first} time(s), as after the first delivery`,
      `recorded ${after} time(s)`,
    );
  }
});
