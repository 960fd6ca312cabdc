/**
 * eKuiper fixtures on top of the shared ones:
 * - `ruleSink`: with --ekuiper-api, the server the rule's REST sink posts each row to;
 * - `provisioned` (automatic): with --ekuiper-api, the stream and the rule created before the case and removed
 *   after it (eKuiper routes the endpoint only while a rule reads the stream). Per case, not per run: a run's
 *   cases may go to several workers in turn, and two streams must never claim one endpoint;
 * - `observer`: the rule's sink with --ekuiper-api, else the file observer the run's cases share in a worker;
 * - `device`: plays a device pushing with the stream's method, with data drawn from the run's seed and the
 *   case's title, so `--seed` reproduces a case whatever order it runs in.
 */
import { requirements } from '../../specs/ekuiper/requirements.ts';
import { recordExchange } from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { type Exchange, type OutgoingRequest, send } from '../../src/core/http.ts';
import { FileObserver, newMarker } from '../../src/core/observer.ts';
import { createRng, type Rng } from '../../src/core/rng.ts';
import { endpointRouted, type Provisioned, provision } from '../../src/protocols/ekuiper/api.ts';
import { deviceObject, type PushObject } from '../../src/protocols/ekuiper/messages.ts';
import type { EkuiperSettings } from '../../src/protocols/ekuiper/profile.ts';
import { RuleSink } from '../../src/protocols/ekuiper/sink.ts';
import { defineConformance, perRun, test as core } from '../fixtures.ts';

/** The eKuiper settings of a run. */
export function settings(run: RunConfig): EkuiperSettings {
  return run.settings as EkuiperSettings;
}

/** How long eKuiper may take to route the endpoint once the rule is created. */
const ROUTE_TIMEOUT_MS = 10_000;

/** A device pushing to the endpoint under test. */
export interface Device {
  rng: Rng;
  /** A fresh sensor object whose `deviceId` is a new marker. */
  object(): { marker: string; body: PushObject; json: string };
  /** Sends `body` with the stream's method (or `method`) to the target (or `url`), JSON by default. */
  push(
    body: string | undefined,
    label: string,
    opts?: {
      headers?: Record<string, string>;
      method?: OutgoingRequest['method'];
      url?: string;
      deadlineMs?: number;
    },
  ): Promise<Exchange>;
}

/** Makes each case's stream and rule names unique, across the workers of a run too. */
let provisionings = 0;

export const test = core.extend<{
  ruleSink: RuleSink | undefined;
  provisioned: Provisioned | undefined;
  device: Device;
}>({
  ruleSink: async ({ run }, use) => {
    if (settings(run).api === undefined) return use(undefined);
    const sink = await RuleSink.start();
    await use(sink);
    await sink.close();
  },
  provisioned: [
    async ({ run, ruleSink }, use) => {
      const s = settings(run);
      if (s.api === undefined || ruleSink === undefined) return use(undefined);
      const created = await provision({
        api: s.api,
        token: s.apiToken,
        target: run.target,
        method: s.method,
        // A run's cases may go to several workers, one at a time: each case makes its own stream and rule.
        suffix: `${run.runTag}_${process.pid}_${++provisionings}`,
        sinkUrl: ruleSink.url,
      });
      if (!(await endpointRouted(run.target, ROUTE_TIMEOUT_MS))) {
        const problems = await created.teardown();
        throw new Error(
          `eKuiper accepted the stream and the rule, but ${run.target} still answers 404 after ${ROUTE_TIMEOUT_MS} ms: is --target the data server (port 10081 by default) of the eKuiper behind --ekuiper-api?${problems.length ? ` Cleaning up also failed: ${problems.join('; ')}` : ''}`,
        );
      }
      await use(created);
      const problems = await created.teardown();
      if (problems.length > 0) {
        throw new Error(
          `pushcheck could not remove its stream and rule ${created.rule} from eKuiper: ${problems.join('; ')}`,
        );
      }
    },
    { auto: true },
  ],
  observer: async ({ run, runIndex, ruleSink }, use) =>
    use(
      ruleSink ??
        (run.observeFile
          ? await perRun(runIndex, 'observer', () => FileObserver.create(run.observeFile ?? '', run.runTag))
          : undefined),
    ),
  device: async ({ run }, use, testInfo) => {
    const rng = createRng(run.seed, testInfo.title);
    await use({
      rng,
      object() {
        const marker = newMarker(run.runTag, rng);
        const body = deviceObject(marker, rng, Date.now());
        return { marker, body, json: JSON.stringify(body) };
      },
      async push(body, label, opts = {}) {
        const ex = await send({
          method: opts.method ?? settings(run).method,
          url: opts.url ?? run.target,
          headers: opts.headers ?? (body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(body !== undefined ? { body } : {}),
          deadlineMs: opts.deadlineMs ?? run.deadlineMs,
          label,
        });
        recordExchange(ex);
        return ex;
      },
    });
  },
});

/** `conformance('ekuiper.<area>.<behaviour>', async ({ ... }) => { ... })` registers a case. */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'ekuiper',
  requirements,
);

export { expect } from '@playwright/test';
