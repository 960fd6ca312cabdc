/**
 * OneNET fixtures on top of the shared ones: `sender` plays the platform, with a random stream drawn from the
 * run's seed and the case's title, so `--seed` reproduces a case whatever order or shard it runs in.
 */

import { requirements } from '../../specs/onenet/requirements.ts';
import { createRng } from '../../src/core/rng.ts';
import { OneNetSender } from '../../src/protocols/onenet/sender.ts';
import { test as core, defineConformance } from '../fixtures.ts';

export const test = core.extend<{ sender: OneNetSender }>({
  sender: async ({ run }, use, testInfo) => {
    await use(
      new OneNetSender({
        token: run.token,
        aesKey: run.aesKey,
        runTag: run.runTag,
        rng: createRng(run.seed, testInfo.title),
      }),
    );
  },
});

/** `test(...conformance('onenet.<area>.<behaviour>', async ({ ... }) => { ... }))` */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(requirements);

export { expect } from '@playwright/test';
