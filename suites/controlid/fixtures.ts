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
 *
 * The idle case (idle-period.spec.ts) runs beside the others on device ids of its own ({@link idleDevices}) and
 * sends no reset: while its run has it, every other case's reset asks the hook to keep those devices' commands
 * (`keep`), proves once per worker that the hook does ({@link KeepProbe}), and logs when it was sent
 * ({@link resetLog}), so that a command lost in the gap is blamed on the server only when no reset could have
 * taken it (decisions/023).
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import { requirements } from '../../specs/controlid/requirements.ts';
import { ANNOTATE, recordExchange, type Registry } from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { createRng, type Rng } from '../../src/core/rng.ts';
import { STATE_HOOK_NEED, stateHeld } from '../../src/core/state.ts';
import { type Command, isSameCommand, randomLargeId } from '../../src/protocols/controlid/codec.ts';
import { SimulatedDevice } from '../../src/protocols/controlid/device.ts';
import { DeviceSender } from '../../src/protocols/controlid/sender.ts';
import { type ControlIdSettings, controlidProfile } from '../../src/protocols/controlid/profile.ts';
import { defineConformance, test as core } from '../fixtures.ts';

/** The cases that wait a period on the server's clock, beside the others (idle-period.spec.ts). */
const BESIDE: readonly string[] = controlidProfile.besideCases ?? [];

/** The devices of a run's idle case: the idle one, one polling meanwhile, and the keep probe's. */
export interface IdleDevices {
  idle: string;
  other: string;
  probe: string;
}

/**
 * The idle case's devices, drawn from the run's tag so that every worker knows them without asking, and no
 * earlier run's leftovers share them.
 */
export function idleDevices(run: Pick<RunConfig, 'seed' | 'runTag'>): IdleDevices {
  const rng = createRng(run.seed, `controlid idle devices ${run.runTag}`);
  return { idle: randomLargeId(rng), other: randomLargeId(rng), probe: randomLargeId(rng) };
}

/** Whether the run has the idle case (its --grep may leave it out). */
function hasIdleCase(run: Pick<RunConfig, 'grep'>): boolean {
  const grep = run.grep === undefined ? undefined : new RegExp(run.grep);
  return BESIDE.some((id) => !grep || grep.test(`${id}: ${(requirements as Registry)[id]?.title ?? ''}`));
}

/** The keep probe's command: a harmless read, never delivered unless the probe device polls. */
const PROBE: Command = {
  verb: 'POST',
  endpoint: 'load_objects',
  body: { object: 'devices' },
  contentType: 'application/json',
};

/** What this worker's keep probe found, by run index. */
const probed = new Map<number, KeepProbe>();

/**
 * What a worker found when it asked the hook to keep a device's commands over a reset: `kept` when the probe
 * device's command survived, `forgotten` when it did not, `unknown` when the probe could not tell (its command
 * was not delivered for another reason).
 */
export type KeepProbe = 'kept' | 'forgotten' | 'unknown';

/** One reset another case sent while the run had the idle case: when (epoch ms), and what its worker's probe found. */
export interface LoggedReset {
  sentAt: number;
  answeredAt: number;
  keep: KeepProbe;
}

/**
 * Where the run's resets are logged, one JSON line each: a file every worker of the run can append to and the
 * idle case read (Playwright's output folder, which it clears before each run).
 */
export function resetLog(testInfo: TestInfo, run: Pick<RunConfig, 'runTag'>): string {
  return join(testInfo.project.outputDir, `controlid-resets-${run.runTag}.jsonl`);
}

/** The resets logged for the run so far. */
export function loggedResets(file: string): LoggedReset[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LoggedReset);
}

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
    async ({ state, run, runIndex, deviceAs, needs: _ }, use, testInfo) => {
      if (state.url === undefined) return use(false);
      // The idle case runs beside the others: a reset of its own would take their queued commands.
      if (testInfo.annotations.some((a) => a.type === ANNOTATE.id && BESIDE.includes(a.description ?? ''))) {
        return use(true);
      }
      const needed = testInfo.annotations.some(
        (a) => a.type === ANNOTATE.needs && (a.description ?? '').split(',').includes(STATE_HOOK_NEED),
      );
      const devices = hasIdleCase(run) ? idleDevices(run) : undefined;
      const params = devices ? { keep: [devices.idle, devices.other, devices.probe] } : undefined;
      // Once per worker and run, a command queued for the probe device before a reset shows whether it keeps.
      const probing = devices !== undefined && !probed.has(runIndex);
      if (probing) {
        const queued = await state.request('command queued', { deviceId: devices.probe, command: PROBE });
        if (!stateHeld(queued)) probed.set(runIndex, 'unknown');
      }
      const sentAt = Date.now();
      let reset = await state.request('reset', params);
      // A hook written before `keep` may refuse params: the plain reset, whose effect the probe then shows.
      if (params && !stateHeld(reset)) reset = await state.request('reset');
      if (!stateHeld(reset)) {
        if (needed) await state.set('reset');
        // A case that does not need the hook still starts from a reset server, but a broken hook does not stop it.
        return use(false);
      }
      const answeredAt = Date.now();
      if (devices) {
        if (!probed.has(runIndex)) {
          const prober = deviceAs(devices.probe);
          const poll = await prober.poll(`poll as device ${devices.probe}: did the reset keep its command?`);
          const kept = poll.answer.kind === 'command' && isSameCommand(PROBE, poll.answer.command);
          probed.set(runIndex, kept ? 'kept' : 'forgotten');
          await prober.complete(poll, 'result of the keep probe');
        }
        const line: LoggedReset = { sentAt, answeredAt, keep: probed.get(runIndex) ?? 'unknown' };
        mkdirSync(testInfo.project.outputDir, { recursive: true });
        appendFileSync(resetLog(testInfo, run), `${JSON.stringify(line)}\n`);
      }
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
