/**
 * ekuiper.rule.data-reached (its source quotes the eKuiper HTTP Push source docs): an accepted object reaches the rule. Seen through pushcheck's own rule and REST sink (--ekuiper-api) or the
 * file the rule writes to (--observe-file).
 */
import { expectStatus, fail } from '../../src/core/case.ts';
import { conformance } from './fixtures.ts';

conformance('ekuiper.rule.data-reached', async ({ device, observe, observer }) => {
  const obj = device.object();
  const res = await device.push(obj.json, 'sensor object for the rule');
  expectStatus(res, 200, 'the object must be accepted before it can reach the rule');
  if ((await observe.count(obj.marker)) < 1) {
    fail(
      'the endpoint accepted the object but it never reached the rule',
      `marker ${obj.marker} (the object's deviceId) seen by ${observer?.where ?? 'the observer'}`,
      'the marker never appeared',
    );
  }
});
