/** Redelivery (onenet.seed.md §4): the platform pushes a message again, same id, when the ack failed. */
import { expectStatus, fail, notAssessed } from '../../src/core/case.ts';
import { conformance, countAfterSentinel, test } from './fixtures.ts';

test(
  ...conformance('onenet.dedup.redelivery-acked', async ({ target, sender }) => {
    const push = sender.push('property');
    expectStatus(
      await target.post(push.json, 'first delivery'),
      200,
      'the first delivery must be acked with 200',
    );
    expectStatus(
      await target.post(push.json, 'redelivery, same id'),
      200,
      'a redelivery must be acked with 200 too',
    );
  }),
);

test(
  ...conformance('onenet.dedup.processed-once', async ({ target, sender, observe }) => {
    const push = sender.push('property');
    await target.post(push.json, 'first delivery');
    const first = await observe.settled(push.marker);
    if (first < 1) {
      notAssessed(
        `the first delivery (marker ${push.marker}) was never recorded, so a second recording cannot be looked for (onenet.push.processed covers processing)`,
      );
    }
    await target.post(push.json, 'redelivery, same id');
    const after = await countAfterSentinel(target, sender, observe, push.marker);
    if (after > first) {
      fail(
        'a redelivered message id was processed again',
        `marker recorded ${first} time(s), as after the first delivery`,
        `recorded ${after} time(s)`,
      );
    }
  }),
);
