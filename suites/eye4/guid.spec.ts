/** The fixed guid header (the Eye4 alarm access document §V.3): alarms without it, or with another value, are forgeries. */
import { fail } from '../../src/core/case.ts';
import { describeTally } from '../../src/core/observer.ts';
import { conformance, sentinelCalibration, settings } from './fixtures.ts';

conformance('eye4.guid.missing-not-processed', async ({ eye4, sender, observe }) => {
  const forged = sender.alarm();
  await eye4.alarm(forged, 'alarm without the guid header', { kind: 'missing' });
  const calibration = await sentinelCalibration(eye4, sender, observe);
  const counted = await calibration.tally(forged.marker);
  if (counted.seen > 0) {
    fail(
      'an alarm without the guid header was processed',
      `the alarm (did containing ${forged.marker}) never recorded`,
      describeTally(counted),
    );
  }
});

/** Guids that are not the account's, though close to it: comparisons by prefix or by length let them by. */
function wrongGuids(guid: string): [string, string][] {
  const last = guid.at(-1) ?? '';
  return [
    ['one character changed', `${guid.slice(0, -1)}${last === 'a' ? 'b' : 'a'}`],
    ['the last character missing', guid.slice(0, -1)],
    ['one character more', `${guid}0`],
  ];
}

conformance('eye4.guid.wrong-not-processed', async ({ run, eye4, sender, observe }) => {
  const forged: [string, string][] = [];
  for (const [how, value] of wrongGuids(settings(run).guid)) {
    const probe = sender.alarm();
    await eye4.alarm(probe, `alarm whose guid has ${how}`, { kind: 'value', value });
    forged.push([how, probe.marker]);
  }
  const calibration = await sentinelCalibration(eye4, sender, observe);
  const processed: string[] = [];
  for (const [how, marker] of forged) {
    const counted = await calibration.tally(marker);
    if (counted.seen > 0) processed.push(`the guid with ${how} (${describeTally(counted)})`);
  }
  if (processed.length > 0) {
    fail(
      'an alarm with a wrong guid was processed',
      'none of the three forged alarms recorded',
      processed.join('; '),
    );
  }
});
