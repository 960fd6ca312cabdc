/**
 * Eye4 fixtures on top of the shared ones:
 * - `api` (automatic): pushcheck's Eye4 API mock, served at --eye4-api-listen during each case, or undefined
 *   when the run has none. Per case, not per run: a run's cases may go to several workers in turn, and only
 *   one of them can hold the port;
 * - `sender`: plays the Eye4 system, with a random stream drawn from the run's seed and the case's title;
 * - `eye4`: sends alarm and resource callbacks to their URLs, recorded in the case's wire log, and makes
 *   every recording they announce known to the API mock;
 * - `lookups`: what the receiver asked the API mock, since a point in time.
 */
import type { Eye4ApiState, LookupCall } from '../../mocks/eye4/api.ts';
import type { RunningServer } from '../../mocks/serve.ts';
import { requirements } from '../../specs/eye4/requirements.ts';
import {
  describeResponse,
  fail,
  notAssessed,
  recordExchange,
  recordObservation,
} from '../../src/core/case.ts';
import type { RunConfig } from '../../src/core/config.ts';
import { curlLine, type Exchange, is2xx, send } from '../../src/core/http.ts';
import { POLL_MS } from '../../src/core/observer.ts';
import { createRng } from '../../src/core/rng.ts';
import type { Eye4Settings } from '../../src/protocols/eye4/profile.ts';
import {
  type AlarmProbe,
  Eye4Sender,
  GUID_HEADER,
  type GuidChoice,
} from '../../src/protocols/eye4/sender.ts';
import { type Calibration, defineConformance, type Observe, test as core } from '../fixtures.ts';

/** The Eye4 settings of a run. */
export function settings(run: RunConfig): Eye4Settings {
  return run.settings as Eye4Settings;
}

export interface ApiMock {
  state: Eye4ApiState;
  origin: string;
}

export interface Eye4Wire {
  /** POSTs an alarm (a probe, or any body) to the alarm URL with the guid as chosen (genuine by default). */
  alarm(body: AlarmProbe | string, label: string, guid?: GuidChoice): Promise<Exchange>;
  /** POSTs a resource message (or any body) to the resource URL, with the genuine guid. */
  resource(body: string, label: string): Promise<Exchange>;
}

export interface Lookups {
  /** The API mock's clock, to pass to `since`. */
  now(): number;
  /** The calls received at or after `at`. */
  since(at: number): readonly LookupCall[];
  /**
   * Waits, up to the observe timeout, for a call at or after `at` that names `fileid`; returns it, or undefined.
   * Records what it saw in the case's observations.
   */
  waitFor(fileid: string, at: number): Promise<LookupCall | undefined>;
}

/** How long a port that the previous worker's API mock held may take to be released. */
const LISTEN_TRIES = 40;
const LISTEN_RETRY_MS = 50;

async function startApi(host: string, port: number): Promise<{ state: Eye4ApiState; server: RunningServer }> {
  // Loaded when a case first needs the mock: msw (and the GraphQL it brings) costs Playwright's runner, which
  // only lists the cases, a quarter of a second.
  const [{ eye4ApiHandlers, Eye4ApiState }, { serve }] = await Promise.all([
    import('../../mocks/eye4/api.ts'),
    import('../../mocks/serve.ts'),
  ]);
  const state = new Eye4ApiState();
  for (let i = 1; ; i++) {
    try {
      return { state, server: await serve(eye4ApiHandlers(state), { host, port }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || i >= LISTEN_TRIES) {
        throw new Error(
          `pushcheck could not serve its Eye4 API mock on ${host}:${port}: ${(err as Error).message}. Choose a free port for --eye4-api-listen`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, LISTEN_RETRY_MS));
    }
  }
}

/** The exchange as recorded when its guid was forged: the guid header hidden, in the log and the curl line. */
function hideGuid(
  ex: Exchange,
  url: string,
  body: string,
  deadlineMs: number,
  headers: Record<string, string>,
): Exchange {
  const hidden = '[REDACTED: a forged guid]';
  const hide = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k, k.toLowerCase() === GUID_HEADER ? hidden : v]));
  return {
    ...ex,
    request: { ...ex.request, headers: hide(ex.request.headers) },
    curl: curlLine({ method: 'POST', url, headers: hide(headers), body, deadlineMs }),
  };
}

/** A lookup call in words, without its body (which may carry the receiver's authkey). */
export function describeCall(c: LookupCall): string {
  const what =
    c.fileid !== undefined || c.type !== undefined
      ? `fileid ${JSON.stringify(c.fileid ?? null)}, type ${JSON.stringify(c.type ?? null)}`
      : `a body the API could not read (${c.contentType || 'no Content-Type'}, ${c.body.length} bytes)`;
  return `${what} → HTTP ${c.status}${c.files !== undefined ? `, ${c.files} file(s)` : ''}`;
}

export const test = core.extend<{
  api: ApiMock | undefined;
  sender: Eye4Sender;
  eye4: Eye4Wire;
  lookups: Lookups;
}>({
  api: [
    async ({ run }, use) => {
      const listen = settings(run).apiListen;
      if (listen === undefined) return use(undefined);
      const { state, server } = await startApi(listen.host, listen.port);
      await use({ state, origin: server.origin });
      await server.close();
    },
    { auto: true },
  ],
  sender: async ({ run, api }, use, testInfo) => {
    await use(
      new Eye4Sender({
        guid: settings(run).guid,
        runTag: run.runTag,
        rng: createRng(run.seed, testInfo.title),
        fileOrigin: api?.origin ?? 'http://127.0.0.1',
      }),
    );
  },
  eye4: async ({ run, sender, api }, use) => {
    const post = async (url: string, body: string, label: string, guid: GuidChoice): Promise<Exchange> => {
      const headers = sender.headers(guid);
      const ex = await send({ method: 'POST', url, headers, body, deadlineMs: run.deadlineMs, label });
      // A forged guid is the account's with one change: as much a secret as the guid itself.
      recordExchange(guid.kind === 'value' ? hideGuid(ex, url, body, run.deadlineMs, headers) : ex);
      return ex;
    };
    await use({
      alarm(body, label, guid = { kind: 'genuine' }) {
        if (typeof body !== 'string' && body.fileid !== undefined) api?.state.know(body.fileid);
        return post(run.target, typeof body === 'string' ? body : body.json, label, guid);
      },
      resource: (body, label) =>
        post(settings(run).resourceTarget ?? run.target, body, label, { kind: 'genuine' }),
    });
  },
  lookups: async ({ run, api }, use) => {
    const state = (): Eye4ApiState => {
      if (!api) throw new Error('lookups used without the API mock: declare needs: ["eye4-api"]');
      return api.state;
    };
    await use({
      now: () => state().now(),
      since: (at) =>
        state()
          .calls()
          .filter((c) => c.at >= at),
      async waitFor(fileid, at) {
        const deadline = performance.now() + run.observeTimeoutMs;
        for (;;) {
          const calls = state()
            .calls()
            .filter((c) => c.at >= at);
          const hit = calls.find((c) => c.fileid === fileid);
          if (hit || performance.now() >= deadline) {
            recordObservation({
              observer: 'eye4-api',
              where: api?.origin,
              fileid,
              role: 'lookup expected',
              seen: calls.map(describeCall),
            });
            return hit;
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
      },
    });
  },
});

/** `conformance('eye4.<area>.<behaviour>', async ({ ... }) => { ... })` registers a case. */
export const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'eye4',
  requirements,
);

/** The answer must be a complete 2xx (within the deadline the helper cut it at). */
export function expect2xx(ex: Exchange, why: string): void {
  if (!is2xx(ex)) fail(why, 'a complete 2xx answer within the deadline', describeResponse(ex));
}

/** A genuine alarm with a recording and its resource message: the event every observed case builds on. */
export async function genuineEvent(
  eye4: Eye4Wire,
  sender: Eye4Sender,
  label: string,
): Promise<{ probe: AlarmProbe; alarm: Exchange; resource: Exchange }> {
  const probe = sender.alarm();
  const alarm = await eye4.alarm(probe, `${label}: alarm`);
  const resource = await eye4.resource(
    sender.resource(probe.fileid ?? '').json,
    `${label}: resource message`,
  );
  return { probe, alarm, resource };
}

/**
 * Sends a genuine alarm and its resource message (the sentinel) once, after the alarms the case counts, and
 * resolves with the calibration the alarm's record gives: the markers of the alarms that must not have been
 * processed (again) are counted against it. A sentinel that is not acked or never recorded leaves the case not
 * assessed, never passed.
 */
export async function sentinelCalibration(
  eye4: Eye4Wire,
  sender: Eye4Sender,
  observe: Observe,
): Promise<Calibration> {
  const sentinel = await genuineEvent(eye4, sender, 'genuine sentinel');
  if (!is2xx(sentinel.alarm)) {
    notAssessed(
      `the genuine sentinel alarm was not acked (${describeResponse(sentinel.alarm)}), so nothing can be concluded`,
    );
  }
  return observe.calibrate(sentinel.probe.marker);
}

export { expect } from '@playwright/test';
