/** Pushes that fail the signature check (onenet.seed.md §3: signature 用以校验推送客户端身份合法性). */
import { fail } from '../../src/core/case.ts';
import { conformance, countAfterSentinel, test } from './fixtures.ts';

test(
  ...conformance('onenet.sign.forged-not-processed', async ({ target, sender, observe }) => {
    const forged = sender.push('property', { token: `${sender.marker()}-not-the-token` });
    await target.post(forged.json, 'push signed with another token');
    const seen = await countAfterSentinel(target, sender, observe, forged.marker);
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
  ...conformance('onenet.sign.tampered-not-processed', async ({ target, sender, observe }) => {
    const tampered = sender.tampered('property');
    await target.post(tampered.json, 'push whose msg was replaced after signing');
    const seen = await countAfterSentinel(target, sender, observe, tampered.marker);
    if (seen > 0) {
      fail(
        'a push whose msg does not match its signature was processed',
        'the tampered marker never recorded',
        `recorded ${seen} time(s)`,
      );
    }
  }),
);
