/**
 * The fixtures every profile's cases use, declared once with `test.extend`:
 * - `runIndex` (option): which of the process's runs the case belongs to; `defineConformance` sets it;
 * - `run`: that run's configuration;
 * - `target`: sends requests to the receiver under test and records each exchange in the case's wire log;
 * - `observer`: what the receiver processed, or undefined when the run has no observer (one per run and worker);
 * - `observe`: waits for markers through the observer and records what it saw;
 * - `state`: sets up a provider state through the run's `--state-url` hook, in the case's wire log.
 * - `needs` (automatic): a case that needs what the run lacks ends not-assessed or skipped before it starts.
 * - `decided` (automatic): a case whose precondition (`after`) found the receiver missing its deadline ends
 *   not assessed, blocked by it, before it sends anything; a case that fails at the deadline says so for the
 *   cases after it (src/core/decided.ts).
 * `defineConformance` turns a registry into the `conformance(id, body)` helper cases are written with.
 *
 * Every fixture here and in the profiles is test-scoped: Playwright gives one worker to tests whose worker
 * fixtures are the same, so one worker serves the cases of every run and every profile in turn, and a process checking twelve receivers starts two or four
 * workers rather than twelve (each costs about two seconds of CPU). What a run needs for longer than a case
 * is kept per worker with {@link perRun}.
 */
import {
  ANNOTATE,
  type Need,
  notApplicable,
  notAssessed,
  type Preconditioned,
  type Registry,
  recordExchange,
  recordObservation,
} from '../src/core/case.ts';
import {
  caseTimeoutMs,
  type RunConfig,
  readRunConfig,
  runConfigs,
  runLock,
  runTitle,
} from '../src/core/config.ts';
import { blockerOf, recordBlocked, recordLate } from '../src/core/decided.ts';
import { type Exchange, type OutgoingRequest, send } from '../src/core/http.ts';
import { type Observer, type Tally, tally, waitForCount } from '../src/core/observer.ts';
import { createObserver, observerOf } from '../src/core/observers.ts';
import { NO_STATE_HOOK, STATE_HOOK_NEED, stateHook } from '../src/core/state.ts';
import { PROFILES } from '../src/profiles.ts';
import { baseTest as base } from './base.ts';

export interface Target {
  /** GET the target with `query` appended (exactly as given). */
  get(query: string, label: string): Promise<Exchange>;
  /**
   * POST `body` to the target. `headers` replace the default JSON content type; `deadlineMs` replaces the
   * platform's ack deadline where the deadline is not what is tested (a 4 MiB upload).
   */
  post(
    body: string | Buffer,
    label: string,
    opts?: { headers?: Record<string, string>; deadlineMs?: number },
  ): Promise<Exchange>;
  /** Any request to the target, with `path` (a path and query) appended to it, recorded like the others. */
  send(
    req: Omit<OutgoingRequest, 'url' | 'deadlineMs'> & { path?: string; deadlineMs?: number },
  ): Promise<Exchange>;
}

export interface Observe {
  /** Waits until `marker` has appeared `atLeast` times (default 1); returns the count seen. */
  count(marker: string, atLeast?: number): Promise<number>;
  /** Waits until `marker` has appeared, then lets the receiver finish writing; returns the settled count. */
  settled(marker: string): Promise<number>;
  /**
   * Waits until `sentinel` (a genuine message delivered once, after the messages the case counts) has been
   * recorded and has settled, and returns the calibration it gives: what one processing leaves, against which
   * the case's markers are counted. Absence then means something, and a receiver that records a message twice
   * is not taken for one that processes it twice. When the sentinel never shows, the observer sees nothing and
   * the case is not assessed; `answered` says how the sentinel was answered, when the case counts on it
   * whatever the answer.
   */
  calibrate(sentinel: string, answered?: string): Promise<Calibration>;
}

/** The records one genuine message left in the observer (the sentinel's, settled), to count markers against. */
export interface Calibration {
  /** Counts `marker` now (the receiver has settled), against the sentinel's records. */
  tally(marker: string): Promise<Tally>;
}

export interface State {
  /** The run's hook (`--state-url`), or undefined without one: a case that needs a state is then not assessed. */
  readonly url: string | undefined;
  /**
   * Puts the receiver in state `name` (the profile's spec names its states and their params); resolves once
   * the hook answers 2xx. Any other answer, or none, ends the case as not assessed, with the answer.
   */
  set(name: string, params?: Record<string, unknown>): Promise<Exchange>;
  /** Asks for state `name` and resolves with the exchange whatever the answer, for a case that can do without. */
  request(name: string, params?: Record<string, unknown>): Promise<Exchange>;
}

/**
 * Once what was awaited is seen (a marker, or the sentinel), how long stragglers get before the count is taken:
 * SETTLE_FACTOR times as long as the receiver took to record it, and at least SETTLE_MIN_MS (four looks of a
 * file observer). A receiver that records at once settles in a tenth of a second; one that takes a second to
 * write its database gets three, where a fixed wait would give both the same (decisions/003).
 */
const SETTLE_MIN_MS = 100;
const SETTLE_FACTOR = 3;

/**
 * Notes, for the cases declared after this one, that `ex` got no complete answer by its deadline (cut there:
 * not refused, not garbled; the timer may fire a millisecond early). Should this case fail, they are decided.
 * The `target` fixture notes each exchange; a profile sending with its own client calls it too.
 */
export function noteIfLate(ex: Exchange, deadlineMs: number): void {
  if (ex.error !== undefined && ex.timings.totalMs >= deadlineMs - 1) {
    base.info().annotations.push({ type: ANNOTATE.late, description: ex.label });
  }
}

/** What a worker keeps for a run between its cases, by run index and name. */
const kept = new Map<string, Promise<unknown>>();

/**
 * The value `create` makes for run `runIndex` under `name`, made once per worker and kept for the run's later
 * cases in this worker, for as long as it lives. Only for what needs no closing and what a run may hold in
 * several workers at once (an observer reading a file): what must be one at a time, such as a port the
 * receiver calls, belongs to the case.
 */
export function perRun<T>(runIndex: number, name: string, create: () => Promise<T>): Promise<T> {
  const key = `${runIndex}:${name}`;
  let value = kept.get(key);
  if (!value) {
    value = create();
    kept.set(key, value);
    // A failed creation is not kept: the next case tries again, and reports its own failure.
    value.catch(() => kept.delete(key));
  }
  return value as Promise<T>;
}

export const test = base.extend<{
  runIndex: number;
  run: RunConfig;
  observer: Observer | undefined;
  target: Target;
  observe: Observe;
  state: State;
  needs: undefined;
  decided: undefined;
}>({
  runIndex: [0, { option: true }],
  run: async ({ runIndex }, use) => use(readRunConfig(runIndex)),
  observer: async ({ run, runIndex }, use) => {
    const spec = observerOf(run);
    await use(spec ? await perRun(runIndex, 'observer', () => createObserver(spec, run.runTag)) : undefined);
  },
  target: async ({ run }, use) => {
    const sendRecorded = async (req: OutgoingRequest): Promise<Exchange> => {
      const ex = await send(run.tls ? { ...req, tls: run.tls } : req);
      recordExchange(ex);
      noteIfLate(ex, req.deadlineMs);
      return ex;
    };
    await use({
      get: (query, label) =>
        sendRecorded({
          method: 'GET',
          url: `${run.target}${run.target.includes('?') ? '&' : '?'}${query}`,
          deadlineMs: run.deadlineMs,
          label,
        }),
      post: (body, label, opts = {}) =>
        sendRecorded({
          method: 'POST',
          url: run.target,
          headers: opts.headers ?? { 'content-type': 'application/json' },
          body,
          deadlineMs: opts.deadlineMs ?? run.deadlineMs,
          label,
        }),
      send: ({ path = '', ...req }) =>
        sendRecorded({ deadlineMs: run.deadlineMs, ...req, url: `${run.target}${path}` }),
    });
  },
  needs: [
    async ({ run, observer }, use, testInfo) => {
      // Written by defineConformance from the registry, whose needs the compiler has checked.
      const needs = (testInfo.annotations.find((a) => a.type === ANNOTATE.needs)?.description?.split(',') ??
        []) as Need[];
      // A case the receiver's configuration does not offer is skipped before one is found unassessable.
      const verdicts = needs.map((need) => PROFILES[run.profile]?.check?.(need, run.settings));
      for (const v of verdicts) if (v && 'skip' in v) notApplicable(v.skip);
      for (const v of verdicts) if (v && 'notAssessed' in v) notAssessed(v.notAssessed);
      if (needs.includes('observer') && !observer) {
        notAssessed(
          'needs an observer to see what the receiver processed: pass --observe-file PATH (or --observe-log, --observe-http or --observe-cmd)',
        );
      }
      if (needs.includes(STATE_HOOK_NEED) && run.stateUrl === undefined) notAssessed(NO_STATE_HOOK);
      await use(undefined);
    },
    { auto: true },
  ],
  decided: [
    async ({ run }, use, testInfo) => {
      const note = (type: string) => testInfo.annotations.find((a) => a.type === type)?.description;
      const id = note(ANNOTATE.id) ?? testInfo.title;
      const blocker = blockerOf(run.runTag, note(ANNOTATE.after)?.split(',') ?? []);
      if (blocker !== undefined) {
        recordBlocked(run.runTag, id, blocker);
        testInfo.annotations.push({ type: ANNOTATE.blockedBy, description: blocker });
        notAssessed(
          `blocked by ${blocker} (failed): the receiver gave no complete answer within the deadline there, so every request of this case would be cut at the same deadline`,
        );
      }
      await use(undefined);
      if (testInfo.status === 'failed' && note(ANNOTATE.late) !== undefined) recordLate(run.runTag, id);
    },
    { auto: true },
  ],
  state: async ({ run }, use) => {
    const hook =
      run.stateUrl === undefined
        ? undefined
        : stateHook(run.stateUrl, run.deadlineMs, recordExchange, run.tls);
    const ask = async (set: boolean, name: string, params?: Record<string, unknown>): Promise<Exchange> => {
      if (!hook) throw new Error(`state used without a hook: declare needs: ["${STATE_HOOK_NEED}"]`);
      const state = { state: name, ...(params ? { params } : {}) };
      return set ? hook.set(state) : hook.request(state);
    };
    await use({
      url: run.stateUrl,
      set: (name, params) => ask(true, name, params),
      request: (name, params) => ask(false, name, params),
    });
  },
  observe: async ({ run, observer }, use) => {
    const counted = async (
      marker: string,
      atLeast: number,
      role: string,
      extra: Record<string, number> = {},
    ): Promise<number> => {
      if (!observer) throw new Error('observe used without an observer: declare needs: ["observer"]');
      const n = await waitForCount(observer, marker, atLeast, run.observeTimeoutMs);
      recordObservation({ observer: observer.kind, where: observer.where, marker, role, seen: n, ...extra });
      return n;
    };
    /** Waits until `marker` is seen once; resolves with the count and, if seen, how long stragglers get. */
    const seen = async (marker: string, role: string): Promise<{ n: number; settleMs: number }> => {
      const started = performance.now();
      const n = await counted(marker, 1, role);
      const tookMs = performance.now() - started;
      const settleMs = Math.round(
        Math.min(run.observeTimeoutMs, Math.max(SETTLE_MIN_MS, SETTLE_FACTOR * tookMs)),
      );
      return { n, settleMs };
    };
    await use({
      count: (marker, atLeast = 1) => counted(marker, atLeast, 'expected'),
      async settled(marker) {
        const { n, settleMs } = await seen(marker, 'expected');
        if (n === 0) return 0;
        await new Promise((r) => setTimeout(r, settleMs));
        return counted(marker, 0, 'settled', { settleMs });
      },
      async calibrate(sentinel, answered) {
        const { n, settleMs } = await seen(sentinel, 'sentinel');
        if (n === 0) {
          const answer = answered === undefined ? '' : ` (sent once, it was answered ${answered})`;
          notAssessed(
            `the observer never recorded the genuine sentinel push (marker ${sentinel}) within ${run.observeTimeoutMs} ms${answer}, so the absence of another marker proves nothing: is the observer (${observer?.kind} ${observer?.where}) looking where your receiver records processed messages?`,
          );
        }
        await new Promise((r) => setTimeout(r, settleMs));
        const perMessage = Math.max(1, await counted(sentinel, 0, 'sentinel, settled', { settleMs }));
        return {
          tally: async (marker) =>
            tally(
              marker,
              await counted(marker, 0, 'counted against the sentinel', { perMessage }),
              perMessage,
            ),
        };
      },
    });
  },
});

export { expect } from '@playwright/test';

type Details = { annotation: { type: string; description: string }[] };

/** What `defineConformance` needs of a profile's `test`: registering a case, and a group per run. */
export interface CaseRegistrar<Body> {
  (title: string, details: Details, body: Body): void;
  describe(title: string, details: { lock: string }, callback: () => void): void;
  use(fixtures: { runIndex: number }): void;
}

/** `file:line` of the code that called the function calling this one, from a stack trace. */
function callerLocation(): string | undefined {
  // Four frames are all it needs: Playwright source-maps every frame of a stack, once per case registered.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 4;
  const stack = new Error().stack;
  Error.stackTraceLimit = limit;
  const frame = stack?.split('\n')[3] ?? '';
  const at = /\(?((?:file:\/\/)?\/[^()]+):(\d+):\d+\)?\s*$/.exec(frame);
  return at ? `${at[1]?.replace(/^file:\/\//, '')}:${at[2]}` : undefined;
}

/**
 * Returns `conformance(id, body)`, which registers the case `id` of `profile` with `test`, once per run of the
 * profile in this process (a demo has several). Each copy sits in a group titled by its run, with the run's
 * index as its `runIndex` and the run's lock, so that two cases never meet the same receiver at once, while
 * cases of other runs go on in other workers; `opts.lock` gives the cases it registers another lock of the
 * run's instead, for cases that wait on the receiver's clock beside the others (decisions/023). A run's `grep`
 * keeps only the cases whose title matches, and its deadline sets their time limit. The title is the id and
 * the requirement's title; the id, what the case needs, the run and where the case is written are annotated,
 * for the `needs` fixture and the reporter. `Body` is the case function type of the profile's `test`, so cases
 * see the profile's fixtures. Without runs (listing the cases), each case is registered once.
 */
export function defineConformance<Body, R extends Registry & Preconditioned<R> = Registry>(
  test: CaseRegistrar<Body>,
  profile: string,
  registry: R,
  opts: { lock?: (runIndex: number) => string } = {},
) {
  const lockOf = opts.lock ?? runLock;
  const runs = runConfigs();
  const slots = (runs ?? []).flatMap((run, index) =>
    run.profile === profile
      ? [{ run, index, grep: run.grep === undefined ? undefined : new RegExp(run.grep) }]
      : [],
  );
  return (id: keyof R & string, body: Body): void => {
    const req = registry[id];
    if (!req) throw new Error(`case ${id} has no requirement in the registry`);
    const annotation: Details['annotation'] = [{ type: ANNOTATE.id, description: id }];
    if (req.needs?.length) annotation.push({ type: ANNOTATE.needs, description: req.needs.join(',') });
    if (req.after?.length) annotation.push({ type: ANNOTATE.after, description: req.after.join(',') });
    if (req.permitted !== undefined)
      annotation.push({ type: ANNOTATE.permitted, description: req.permitted });
    const at = callerLocation();
    if (at !== undefined) annotation.push({ type: ANNOTATE.location, description: at });
    const title = `${id}: ${req.title}`;
    if (!runs) {
      test(title, { annotation }, body);
      return;
    }
    for (const { run, index, grep } of slots) {
      if (grep && !grep.test(title)) continue;
      test.describe(runTitle(runs, index), { lock: lockOf(index) }, () => {
        test.use({ runIndex: index });
        base.describe.configure({ timeout: caseTimeoutMs(run) });
        test(
          title,
          { annotation: [...annotation, { type: ANNOTATE.run, description: String(index) }] },
          body,
        );
      });
    }
  };
}
