/**
 * OneNET fixtures on top of the shared ones: `sender` plays the platform, with a random stream drawn from the
 * run's seed and the case's title, so `--seed` reproduces a case whatever order or shard it runs in.
 */

import { requirements } from '../../specs/onenet/requirements.ts';
import { describeResponse, notAssessed } from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { createRng } from '../../src/core/rng.ts';
import type { OneNetSettings } from '../../src/protocols/onenet/profile.ts';
import { OneNetSender } from '../../src/protocols/onenet/sender.ts';
import { defineConformance, type Observe, type Target, test as core } from '../fixtures.ts';

/** The OneNET settings of a run. */
export function settings(run: RunConfig): OneNetSettings {
  return run.settings as OneNetSettings;
}

export const test = core.extend<{ sender: OneNetSender }>({
  sender: async ({ run }, use, testInfo) => {
    await use(
      new OneNetSender({
        token: settings(run).token,
        aesKey: settings(run).aesKey,
        runTag: run.runTag,
        rng: createRng(run.seed, testInfo.title),
      }),
    );
  },
});

/** `test(...conformance('onenet.<area>.<behaviour>', async ({ ... }) => { ... }))` */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(requirements);

export { expect } from '@playwright/test';

/**
 * Sends a genuine push (the sentinel) and, once the receiver has recorded it, counts `marker`: the message
 * that must not have been processed (again). A sentinel that is not acked or never recorded leaves the case
 * not assessed, never passed.
 */
export async function countAfterSentinel(
  target: Target,
  sender: OneNetSender,
  observe: Observe,
  marker: string,
): Promise<number> {
  const sentinel = sender.push('property');
  const res = await target.post(sentinel.json, 'genuine push (sentinel)');
  if (res.error !== undefined || res.response?.status !== 200) {
    notAssessed(
      `the genuine sentinel push was not acked (${describeResponse(res)}), so nothing can be concluded`,
    );
  }
  return observe.countAfter(marker, sentinel.marker);
}
