/** Redelivery (FACTS.md §1b: no 200, “否则会重发”): the platform pushes the same body again. */
import { expectStatus, fail, notAssessed } from '../../src/core/case.ts';
import { conformance, countAfterSentinel, markerOf, test } from './fixtures.ts';

test(
  ...conformance('onenet-legacy.dedup.redelivery-acked', async ({ target, sender }) => {
    const push = sender.push('datapoint');
    expectStatus(
      await target.post(push.json, 'first delivery'),
      200,
      'the first delivery must be acked with 200',
    );
    expectStatus(
      await target.post(push.json, 'redelivery, same body'),
      200,
      'a redelivery must be acked with 200 too',
    );
  }),
);

test(
  ...conformance('onenet-legacy.dedup.processed-once', async ({ target, sender, observe }) => {
    const push = sender.push('datapoint');
    const marker = markerOf(push);
    await target.post(push.json, 'first delivery');
    const first = await observe.settled(marker);
    if (first < 1) {
      notAssessed(
        `the first delivery (marker ${marker}) was never recorded, so a second recording cannot be looked for (onenet-legacy.push.processed covers processing)`,
      );
    }
    await target.post(push.json, 'redelivery, same body');
    const after = await countAfterSentinel(target, sender, observe, marker);
    if (after > first) {
      fail(
        'a redelivered push was processed again',
        `marker recorded ${first} time(s), as after the first delivery`,
        `recorded ${after} time(s)`,
      );
    }
  }),
);
