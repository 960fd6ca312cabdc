/** The alarm payload as the table types it (a string) rather than as the example shows it (an object). */
import { fail } from '../../src/core/case.ts';
import { conformance } from './fixtures.ts';

conformance('eye4.payload.as-string', async ({ eye4, sender, observe }) => {
  const probe = sender.alarm({ payloadForm: 'string' });
  await eye4.alarm(probe, 'genuine alarm, payload as JSON text');
  await eye4.resource(sender.resource(probe.fileid ?? '').json, 'its resource message');
  if ((await observe.count(probe.marker)) < 1) {
    fail(
      'an alarm whose payload is JSON text was not processed',
      `the alarm (did containing ${probe.marker}) recorded, as one with an object payload is`,
      'never recorded within the observe timeout',
    );
  }
});
