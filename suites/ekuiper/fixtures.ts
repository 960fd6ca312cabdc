/**
 * eKuiper fixtures on top of the shared ones:
 * - `ruleSink` (worker): with --ekuiper-api, the server the rule's REST sink posts each row to;
 * - `provisioned` (worker, automatic): with --ekuiper-api, the stream and the rule created before the first case
 *   and removed after the last (eKuiper routes the endpoint only while a rule reads the stream);
 * - `observer` (worker): the rule's sink with --ekuiper-api, else the shared file observer;
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
import { defineConformance, test as core } from '../fixtures.ts';

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

export const test = core.extend<
  { device: Device },
  { ruleSink: RuleSink | undefined; provisioned: Provisioned | undefined }
>({
  ruleSink: [
    async ({ run }, use) => {
      if (settings(run).api === undefined) return use(undefined);
      const sink = await RuleSink.start();
      await use(sink);
      await sink.close();
    },
    { scope: 'worker' },
  ],
  provisioned: [
    async ({ run, ruleSink }, use, workerInfo) => {
      const s = settings(run);
      if (s.api === undefined || ruleSink === undefined) return use(undefined);
      const created = await provision({
        api: s.api,
        token: s.apiToken,
        target: run.target,
        method: s.method,
        // Playwright starts a new worker after a failed case: each worker makes its own stream and rule.
        suffix: `${run.runTag}_${workerInfo.workerIndex}`,
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
    { scope: 'worker', auto: true },
  ],
  observer: [
    async ({ run, ruleSink }, use) =>
      use(ruleSink ?? (run.observeFile ? await FileObserver.create(run.observeFile, run.runTag) : undefined)),
    { scope: 'worker' },
  ],
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

/** `test(...conformance('ekuiper.<area>.<behaviour>', async ({ ... }) => { ... }))` */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(requirements);

export { expect } from '@playwright/test';
