/**
 * OneNET fixtures on top of the shared ones: `sender` plays the platform, with a random stream drawn from the
 * run's seed and the case's title, so `--seed` reproduces a case whatever order or shard it runs in; `family`
 * plugs the profile into the cases it shares with the legacy profile.
 */

import { type OneNetCaseId, requirements } from '../../specs/onenet/requirements.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { createRng } from '../../src/core/rng.ts';
import type { OneNetSettings } from '../../src/protocols/onenet/profile.ts';
import { OneNetSender } from '../../src/protocols/onenet/sender.ts';
import { defineConformance, test as core } from '../fixtures.ts';
import type { OneNetFamily } from '../onenet-common/family.ts';

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

/** `conformance('onenet.<area>.<behaviour>', async ({ ... }) => { ... })` registers a case. */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'onenet',
  requirements,
);

export { expect } from '@playwright/test';

/** OneNET Studio as the cases it shares with the legacy platform see it (suites/onenet-common/). */
export const family = {
  profile: 'onenet',
  registry: requirements,
  conformance,
  push: (sender, opts) => sender.push('property', opts),
  tampered: (sender) => sender.tampered('property'),
} satisfies OneNetFamily<'onenet', OneNetCaseId, OneNetSender>;
