/**
 * Control iD fixtures on top of the shared ones. pushcheck plays the device, so the cases talk to the server
 * through device emulators rather than `target`:
 * - `settings`: the run's Control iD settings;
 * - `rng`: a random stream drawn from the run's seed and the case's title (`--seed` reproduces a case);
 * - `device`: an emulator polling as --device-id, every exchange in the case's wire log;
 * - `deviceAs(id)`: an emulator polling as another device id;
 * - `hook` (automatic): with --state-url, resets the server's queued commands before the case; undefined
 *   without it (the cases that need it are not assessed: profile.ts `check`), and undefined for a case that
 *   does not need it when the reset fails (one that needs it is then not assessed);
 * - `queue(deviceId, command)`: queues a command through the hook.
 */
import { requirements } from '../../specs/controlid/requirements.ts';
import { ANNOTATE, recordExchange } from '../../src/core/case.ts';
import { createRng, type Rng } from '../../src/core/rng.ts';
import { type StateHook, stateHeld, stateHook } from '../../src/core/state.ts';
import type { Command } from '../../src/protocols/controlid/codec.ts';
import { SimulatedDevice } from '../../src/protocols/controlid/device.ts';
import { DeviceEmulator } from '../../src/protocols/controlid/emulator.ts';
import type { ControlIdSettings } from '../../src/protocols/controlid/profile.ts';
import { defineConformance, test as core } from '../fixtures.ts';

export const test = core.extend<{
  settings: ControlIdSettings;
  rng: Rng;
  deviceAs: (deviceId: string, device?: SimulatedDevice) => DeviceEmulator;
  device: DeviceEmulator;
  hook: StateHook | undefined;
  queue: (deviceId: string, command: Command) => Promise<void>;
}>({
  settings: async ({ run }, use) => use(run.settings as ControlIdSettings),
  rng: async ({ run }, use, testInfo) => use(createRng(run.seed, testInfo.title)),
  deviceAs: async ({ run, settings, rng }, use) => {
    await use(
      (deviceId, device) =>
        new DeviceEmulator({
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
    async ({ settings, needs: _ }, use, testInfo) => {
      if (settings.stateUrl === undefined) return use(undefined);
      const hook = stateHook(settings.stateUrl, settings.requestTimeoutMs);
      const needed = testInfo.annotations.some(
        (a) => a.type === ANNOTATE.needs && (a.description ?? '').split(',').includes('state-hook'),
      );
      if (needed) await hook.set({ state: 'reset' });
      // A case that does not need the hook still starts from a reset server, but a broken hook does not stop it.
      else if (!stateHeld(await hook.request({ state: 'reset' }))) return use(undefined);
      await use(hook);
    },
    { auto: true },
  ],
  queue: async ({ hook }, use) => {
    await use(async (deviceId, command) => {
      if (!hook) throw new Error('queue used without a state hook: declare needs: ["state-hook"]');
      await hook.set({ state: 'command queued', params: { deviceId, command } });
    });
  },
});

/** `test(...conformance('controlid.<area>.<behaviour>', async ({ ... }) => { ... }))` */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(requirements);

export { expect } from '@playwright/test';
