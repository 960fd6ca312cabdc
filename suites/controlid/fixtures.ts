/**
 * Control iD fixtures on top of the shared ones. pushcheck plays the device, so the cases talk to the server
 * through device emulators rather than `target`:
 * - `settings`: the run's Control iD settings;
 * - `rng`: a random stream drawn from the run's seed and the case's title (`--seed` reproduces a case);
 * - `device`: a device sender polling as --device-id, every exchange in the case's wire log;
 * - `deviceAs(id)`: a device sender polling as another device id;
 * - `hook` (automatic): with --state-url, asks the core `state` hook for Control iD's "reset" state (no
 *   queued commands) before the case, and is true when the reset held. A case that needs the hook is not
 *   assessed when the reset fails (and, by the core `needs`, without --state-url); one that does not carries
 *   on with `hook` false;
 * - `queue(deviceId, command)`: queues a command through the hook (the "command queued" state).
 */
import { requirements } from '../../specs/controlid/requirements.ts';
import { ANNOTATE, recordExchange } from '../../src/core/case.ts';
import { createRng, type Rng } from '../../src/core/rng.ts';
import { STATE_HOOK_NEED, stateHeld } from '../../src/core/state.ts';
import type { Command } from '../../src/protocols/controlid/codec.ts';
import { SimulatedDevice } from '../../src/protocols/controlid/device.ts';
import { DeviceSender } from '../../src/protocols/controlid/sender.ts';
import type { ControlIdSettings } from '../../src/protocols/controlid/profile.ts';
import { defineConformance, test as core } from '../fixtures.ts';

export const test = core.extend<{
  settings: ControlIdSettings;
  rng: Rng;
  deviceAs: (deviceId: string, device?: SimulatedDevice) => DeviceSender;
  device: DeviceSender;
  hook: boolean;
  queue: (deviceId: string, command: Command) => Promise<void>;
}>({
  settings: async ({ run }, use) => use(run.settings as ControlIdSettings),
  rng: async ({ run }, use, testInfo) => use(createRng(run.seed, testInfo.title)),
  deviceAs: async ({ run, settings, rng }, use) => {
    await use(
      (deviceId, device) =>
        new DeviceSender({
          base: run.target,
          deviceId,
          requestTimeoutMs: settings.requestTimeoutMs,
          rng,
          onExchange: recordExchange,
          ...(device ? { device } : {}),
        }),
    );
  },
  device: async ({ deviceAs, settings }, use) => use(deviceAs(settings.deviceId)),
  hook: [
    async ({ state, needs: _ }, use, testInfo) => {
      if (state.url === undefined) return use(false);
      const needed = testInfo.annotations.some(
        (a) => a.type === ANNOTATE.needs && (a.description ?? '').split(',').includes(STATE_HOOK_NEED),
      );
      if (needed) await state.set('reset');
      // A case that does not need the hook still starts from a reset server, but a broken hook does not stop it.
      else if (!stateHeld(await state.request('reset'))) return use(false);
      await use(true);
    },
    { auto: true },
  ],
  queue: async ({ state, hook: _ }, use) => {
    await use(async (deviceId, command) => {
      await state.set('command queued', { deviceId, command });
    });
  },
});

/** `conformance('controlid.<area>.<behaviour>', async ({ ... }) => { ... })` registers a case. */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'controlid',
  requirements,
);

export { expect } from '@playwright/test';
