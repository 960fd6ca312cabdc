/**
 * Legacy OneNET fixtures on top of the shared ones: `sender` plays the legacy platform, with a random stream
 * drawn from the run's seed and the case's title, so `--seed` reproduces a case whatever order it runs in.
 */
import { requirements } from '../../specs/onenet-legacy/requirements.ts';
import { describeResponse, notAssessed } from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { createRng } from '../../src/core/rng.ts';
import type { OneNetLegacySettings } from '../../src/protocols/onenet-legacy/profile.ts';
import { LegacySender } from '../../src/protocols/onenet-legacy/sender.ts';
import { defineConformance, type Observe, type Target, test as core } from '../fixtures.ts';

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

/** `test(...conformance('onenet-legacy.<area>.<behaviour>', async ({ ... }) => { ... }))` */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(requirements);

export { expect } from '@playwright/test';

/**
 * Sends a genuine datapoint push (the sentinel) and, once the receiver has recorded it, counts `marker`: the
 * message that must not have been processed (again). A sentinel that is not acked or never recorded leaves
 * the case not assessed, never passed.
 */
export async function countAfterSentinel(
  target: Target,
  sender: LegacySender,
  observe: Observe,
  marker: string,
): Promise<number> {
  const sentinel = sender.push('datapoint');
  const res = await target.post(sentinel.json, 'genuine push (sentinel)');
  if (res.error !== undefined || res.response?.status !== 200) {
    notAssessed(
      `the genuine sentinel push was not acked (${describeResponse(res)}), so nothing can be concluded`,
    );
  }
  return observe.countAfter(marker, sentinel.markers[0] ?? '');
}

/** The one marker of a single-message push that carries one. */
export function markerOf(push: { markers: string[] }): string {
  const [marker] = push.markers;
  if (marker === undefined) throw new Error('pushcheck built a push without a marker where one was needed');
  return marker;
}
