/** The same alarm delivered twice (retries are not documented), processed once. */
import { fail, notAssessed } from '../../src/core/case.ts';
import { describeTally } from '../../src/core/observer.ts';
import { conformance, genuineEvent, sentinelCalibration } from './fixtures.ts';

conformance('eye4.dedup.processed-once', async ({ eye4, sender, observe }) => {
  const { probe } = await genuineEvent(eye4, sender, 'first delivery');
  const first = await observe.settled(probe.marker);
  if (first < 1) {
    notAssessed(
      `the first delivery (marker ${probe.marker}) was never recorded, so a second recording cannot be looked for (eye4.alarm.processed covers processing)`,
    );
  }
  await eye4.alarm(probe, 'the same alarm again');
  const calibration = await sentinelCalibration(eye4, sender, observe);
  const after = await calibration.tally(probe.marker);
  if (after.times > 1) {
    fail(
      'a duplicated alarm was processed again',
      `processed once: as many records as one genuine alarm leaves (${after.perMessage})`,
      describeTally(after),
    );
  }
});
