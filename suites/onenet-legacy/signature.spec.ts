/** Pushes that fail the signature check (FACTS.md §1b): forged with another token, or altered after signing. */
import { fail } from '../../src/core/case.ts';
import { conformance, countAfterSentinel, markerOf, test } from './fixtures.ts';

test(
  ...conformance('onenet-legacy.sign.forged-not-processed', async ({ target, sender, observe }) => {
    const forged = sender.push('datapoint', { token: `${sender.marker()}-not-the-token` });
    await target.post(forged.json, 'push signed with another token');
    const seen = await countAfterSentinel(target, sender, observe, markerOf(forged));
    if (seen > 0) {
      fail(
        'a push signed with another token was processed',
        'the forged marker never recorded',
        `recorded ${seen} time(s)`,
      );
    }
  }),
);

test(
  ...conformance('onenet-legacy.sign.tampered-not-processed', async ({ target, sender, observe }) => {
    const tampered = sender.tampered('datapoint');
    await target.post(tampered.json, 'push whose msg was replaced after signing');
    const seen = await countAfterSentinel(target, sender, observe, markerOf(tampered));
    if (seen > 0) {
      fail(
        'a push whose msg does not match its signature was processed',
        'the tampered marker never recorded',
        `recorded ${seen} time(s)`,
      );
    }
  }),
);
