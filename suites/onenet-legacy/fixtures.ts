/**
 * Legacy OneNET fixtures on top of the shared ones: `sender` plays the legacy platform, with a random stream
 * drawn from the run's seed and the case's title, so `--seed` reproduces a case whatever order it runs in;
 * `family` plugs the profile into the cases it shares with OneNET Studio.
 */
import { type OneNetLegacyCaseId, requirements } from '../../specs/onenet-legacy/requirements.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { createRng } from '../../src/core/rng.ts';
import type { OneNetLegacySettings } from '../../src/protocols/onenet-legacy/profile.ts';
import { type LegacyPushProbe, LegacySender } from '../../src/protocols/onenet-legacy/sender.ts';
import { defineConformance, test as core } from '../fixtures.ts';
import type { OneNetFamily } from '../onenet-common/family.ts';

/** The legacy OneNET settings of a run. */
export function settings(run: RunConfig): OneNetLegacySettings {
  return run.settings as OneNetLegacySettings;
}

export const test = core.extend<{ sender: LegacySender }>({
  sender: async ({ run }, use, testInfo) => {
    await use(
      new LegacySender({
        token: settings(run).token,
        encodingAesKey: settings(run).encodingAesKey,
        runTag: run.runTag,
        rng: createRng(run.seed, testInfo.title),
      }),
    );
  },
});

/** `conformance('onenet-legacy.<area>.<behaviour>', async ({ ... }) => { ... })` registers a case. */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'onenet-legacy',
  requirements,
);

export { expect } from '@playwright/test';

/** The one marker of a single-message push that carries one. */
export function markerOf(push: { markers: string[] }): string {
  const [marker] = push.markers;
  if (marker === undefined) throw new Error('pushcheck built a push without a marker where one was needed');
  return marker;
}

/** The legacy platform as the cases it shares with OneNET Studio see it (suites/onenet-common/): a datapoint
 * is what it pushes by default. */
export const family = {
  profile: 'onenet-legacy',
  registry: requirements,
  conformance,
  push: (sender, opts) => withMarker(sender.push('datapoint', opts)),
  tampered: (sender) => withMarker(sender.tampered('datapoint')),
} satisfies OneNetFamily<'onenet-legacy', OneNetLegacyCaseId, LegacySender>;

function withMarker(push: LegacyPushProbe): { json: string; marker: string } {
  return { json: push.json, marker: markerOf(push) };
}
