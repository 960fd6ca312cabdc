/** Pushes that fail the signature check (onenet.seed.md §3: signature 用以校验推送客户端身份合法性). */
import { fail } from '../../src/core/case.ts';
import { conformance, test } from './fixtures.ts';

test(
  ...conformance('onenet.sign.forged-not-processed', async ({ target, sender, observe }) => {
    const forged = sender.push('property', { token: `${sender.marker()}-not-the-token` });
    await target.post(forged.json, 'push signed with another token');
    const sentinel = sender.push('property');
    await target.post(sentinel.json, 'genuine push (sentinel)');
    const seen = await observe.countAfter(forged.marker, sentinel.marker);
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
    const sentinel = sender.push('property');
    await target.post(sentinel.json, 'genuine push (sentinel)');
    const seen = await observe.countAfter(tampered.marker, sentinel.marker);
    if (seen > 0) {
      fail(
        'a push whose msg does not match its signature was processed',
        'the tampered marker never recorded',
        `recorded ${seen} time(s)`,
      );
    }
  }),
);
