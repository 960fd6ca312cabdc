/**
 * Issue 20, point 1: every "processed once" and "not processed" case counts the observer's records against a
 * genuine message of its own (`observe.calibrate`, `Tally`). A receiver that writes two log lines per processed
 * message (mocks/double-log.ts around each profile's reference) passes every case with --strict; receivers
 * that truly process a message twice, or process what they must not, still fail, double-logged or not. All
 * the runs go in one batch: one Playwright start-up.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RequestHandler } from 'msw';
import { doubleLog } from '../mocks/double-log.ts';
import { faultyBehaviour as alertpushFaulty } from '../mocks/alertpush/faulty.ts';
import { alertpushHandlers, PATHS as ALERTPUSH_PATHS } from '../mocks/alertpush/reference.ts';
import { controlidHandlers, DEFAULT_STATE_PATH } from '../mocks/controlid/reference.ts';
import { httppushHandlers } from '../mocks/ekuiper/reference.ts';
import { faultyBehaviour as eye4Faulty } from '../mocks/eye4/faulty.ts';
import { eye4Handlers } from '../mocks/eye4/reference.ts';
import { faultyBehaviour as legacyFaulty } from '../mocks/onenet-legacy/faulty.ts';
import { legacyHandlers } from '../mocks/onenet-legacy/reference.ts';
import { faultyBehaviour as onenetFaulty } from '../mocks/onenet/faulty.ts';
import { onenetHandlers } from '../mocks/onenet/reference.ts';
import { type RunningServer, serve } from '../mocks/serve.ts';
import { describeTally, tally } from '../src/core/observer.ts';
import { PROFILES } from '../src/profiles.ts';
import { DEFAULT_DEVICE_ID } from '../src/protocols/controlid/profile.ts';
import { freePort } from '../src/protocols/eye4/profile.ts';
import {
  batchRun,
  type CliResult,
  casesPattern,
  idsWith,
  pushcheckBatch,
  scratch,
  TOKEN,
} from './helpers.ts';

const GUID = 'calibration-guid-5b2e';

/** A profile's receiver (the reference, or the faulty one named) recording into `file`, and its run's arguments. */
type Setup = (
  file: string,
  faulty?: string,
) => Promise<{ handlers: RequestHandler[]; args(o: string): string[] }>;

const SETUPS: Record<string, Setup> = {
  onenet: async (file, faulty) => ({
    handlers: onenetHandlers(
      { token: TOKEN, observeFile: file },
      ...(faulty ? [onenetFaulty(faulty as Parameters<typeof onenetFaulty>[0])] : []),
    ),
    args: (o) => ['--profile', 'onenet', '--target', `${o}/onenet`, '--token', TOKEN, '--burst', '5'],
  }),
  'onenet-legacy': async (file, faulty) => ({
    handlers: legacyHandlers(
      { token: TOKEN, observeFile: file },
      ...(faulty ? [legacyFaulty(faulty as Parameters<typeof legacyFaulty>[0])] : []),
    ),
    args: (o) => [
      ...['--profile', 'onenet-legacy', '--target', `${o}/onenet-legacy`, '--token', TOKEN],
      ...['--burst', '5'],
    ],
  }),
  eye4: async (file, faulty) => {
    const port = await freePort();
    return {
      handlers: eye4Handlers(
        { guid: GUID, observeFile: file, apiOrigin: `http://127.0.0.1:${port}` },
        ...(faulty ? [eye4Faulty(faulty as Parameters<typeof eye4Faulty>[0])] : []),
      ),
      args: (o) => [
        ...['--profile', 'eye4', '--guid', GUID, '--target', `${o}/eye4/alarm`],
        ...['--resource-target', `${o}/eye4/resource`, '--eye4-api-listen', `127.0.0.1:${port}`],
      ],
    };
  },
  alertpush: async (file, faulty) => {
    const imageDir = `${file}.images`;
    mkdirSync(imageDir);
    return {
      handlers: alertpushHandlers(
        { mode: 'token-url', observeFile: file, imageDir },
        ...(faulty ? [alertpushFaulty(faulty as Parameters<typeof alertpushFaulty>[0])] : []),
      ),
      args: (o) => [
        ...['--profile', 'alertpush', '--target', `${o}${ALERTPUSH_PATHS.alert}`],
        ...['--token-url', `${o}${ALERTPUSH_PATHS.token}?arg1=calibration&arg2=x`, '--token-interval', '2'],
        ...['--video-target', `${o}${ALERTPUSH_PATHS.video}`, '--image-dir', imageDir],
      ],
    };
  },
  controlid: async (file) => ({
    handlers: controlidHandlers({ observeFile: file, enrolled: [DEFAULT_DEVICE_ID] }),
    args: (o) => [
      ...['--profile', 'controlid', '--target', `${o}/api`],
      ...['--state-url', `${o}${DEFAULT_STATE_PATH}?key=calibration-hook-key`],
    ],
  }),
  ekuiper: async (file) => ({
    handlers: httppushHandlers({ method: 'POST', version: 2, observeFile: file }),
    args: (o) => ['--profile', 'ekuiper', '--target', `${o}/api/data`, '--method', 'POST'],
  }),
};

interface Run {
  name: string;
  profile: string;
  faulty?: string;
  /** Whether the receiver writes two lines per processed message. */
  double: boolean;
  /** Only these cases (a faulty receiver's), or every case with --strict. */
  cases?: readonly string[];
}

/** Receivers that process a message twice, and the case that catches each. */
const TWICE = [
  { profile: 'onenet', faulty: 'retried-twice', id: 'onenet.retry.processed-once' },
  { profile: 'onenet', faulty: 'no-dedup', id: 'onenet.dedup.processed-once' },
  { profile: 'onenet-legacy', faulty: 'no-dedup', id: 'onenet-legacy.dedup.processed-once' },
  { profile: 'eye4', faulty: 'no-dedup', id: 'eye4.dedup.processed-once' },
] as const;

/** Receivers that process what they must refuse, and the cases that catch each. */
const NOT_REFUSED = [
  {
    profile: 'onenet',
    faulty: 'no-signature-check',
    ids: ['onenet.sign.forged-not-processed', 'onenet.sign.tampered-not-processed'],
  },
  {
    profile: 'onenet-legacy',
    faulty: 'no-signature-check',
    ids: ['onenet-legacy.sign.forged-not-processed', 'onenet-legacy.sign.tampered-not-processed'],
  },
  {
    profile: 'eye4',
    faulty: 'no-guid-check',
    ids: ['eye4.guid.missing-not-processed', 'eye4.guid.wrong-not-processed'],
  },
  { profile: 'alertpush', faulty: 'refuses-after-processing', ids: ['alertpush.auth.refused-not-processed'] },
] as const;

const RUNS: Run[] = [
  ...Object.keys(SETUPS).map((profile) => ({ name: `${profile}-double`, profile, double: true })),
  ...TWICE.flatMap(({ profile, faulty, id }) =>
    [false, true].map((double) => ({
      name: `${profile}-${faulty}${double ? '-double' : ''}`,
      profile,
      faulty,
      double,
      cases: [id],
    })),
  ),
  ...NOT_REFUSED.map(({ profile, faulty, ids }) => ({
    name: `${profile}-${faulty}-double`,
    profile,
    faulty,
    double: true,
    cases: ids,
  })),
];

const results = new Map<string, CliResult & { observed: string }>();

test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  // One batch of 17 runs: a few minutes on a loaded machine.
  test.setTimeout(900_000);
  const dir = scratch('pushcheck-calibration-');
  const started: { server: RunningServer; close(): void; observeFile: string }[] = [];
  try {
    const batch = [];
    for (const run of RUNS) {
      const observeFile = join(dir, `${run.name}.log`);
      const log = run.double ? doubleLog(observeFile) : undefined;
      const setup = SETUPS[run.profile];
      if (!setup) throw new Error(`no setup for ${run.profile}`);
      const receiver = await setup(log?.receiverFile ?? observeFile, run.faulty);
      const server = await serve(receiver.handlers);
      started.push({ server, close: () => log?.close(), observeFile });
      const args = [...receiver.args(server.origin), '--seed', '20', '--observe-file', observeFile];
      args.push(...(run.cases ? ['--grep', casesPattern(run.cases)] : ['--strict']));
      batch.push(batchRun(run.name, args));
    }
    const { byName } = await pushcheckBatch(batch, 2);
    for (const [i, run] of RUNS.entries()) {
      const r = byName.get(run.name);
      const file = started[i]?.observeFile ?? '';
      if (r) results.set(run.name, { ...r, observed: readFileSync(file, 'latin1') });
    }
  } finally {
    for (const s of started) {
      s.close();
      await s.server.close();
    }
  }
});

/** The result of run `name`, which the batch must have given. */
function result(name: string): CliResult & { observed: string } {
  const r = results.get(name);
  if (!r) throw new Error(`the batch gave no result for ${name}`);
  return r;
}

/** The tallies a case recorded: its markers counted against the sentinel. */
function talliesOf(r: CliResult, id: string): { seen: number; perMessage: number }[] {
  const c = r.report?.cases.find((k) => k.id === id);
  return ((c?.observations ?? []) as { role?: string; seen: number; perMessage?: number }[])
    .filter((o) => o.role === 'counted against the sentinel')
    .map((o) => ({ seen: o.seen, perMessage: o.perMessage ?? 0 }));
}

test.describe('a receiver that writes two log lines per processed message', () => {
  for (const profile of Object.keys(SETUPS)) {
    test(`${profile}: passes every case with --strict`, () => {
      const r = result(`${profile}-double`);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.report?.verdict).toBe('conformant');
      expect(idsWith(r.report, 'failed')).toEqual([]);
      expect(idsWith(r.report, 'not-assessed')).toEqual([]);
      // Two lines for each message it processed: the wrapper did write twice.
      const parsed = r.observed.match(/^parsed: /gm)?.length ?? 0;
      expect(parsed).toBeGreaterThan(0);
      expect(r.observed.match(/^processed: /gm)?.length).toBe(parsed);
    });
  }

  test('onenet: the retry case counts two records as one processing (the code before issue 20 failed it)', () => {
    // Before the calibration (commit a114e1d), onenet.retry.processed-once counted raw records and failed this
    // receiver: "a push acked at attempt 1 was processed 2 times", "recorded 2 times over 1 attempts". The
    // other counting cases compared with a single delivery, or looked for none, and passed it.
    const r = result('onenet-double');
    expect(talliesOf(r, 'onenet.retry.processed-once')).toEqual([{ seen: 2, perMessage: 2 }]);
  });

  test('every counting case of every profile reads the records against its own sentinel', () => {
    // Every "processed once" and "not processed" case, by its id: a new one is held to the same rule.
    const counting = Object.keys(SETUPS).flatMap((profile) =>
      Object.keys(PROFILES[profile]?.registry ?? {}).filter((id) =>
        /\.(processed-once|[a-z-]+-not-processed)$/.test(id),
      ),
    );
    expect(counting.length).toBeGreaterThanOrEqual(11);
    for (const id of counting) {
      const r = result(`${id.split('.')[0]}-double`);
      const tallies = talliesOf(r, id);
      expect(tallies.length, id).toBeGreaterThan(0);
      for (const t of tallies) expect(t.perMessage, id).toBe(2);
    }
  });
});

test.describe('receivers that process a message twice still fail', () => {
  for (const { profile, faulty, id } of TWICE) {
    for (const double of [false, true]) {
      test(`${profile} "${faulty}"${double ? ', logging twice,' : ''} fails ${id}`, () => {
        const r = result(`${profile}-${faulty}${double ? '-double' : ''}`);
        expect(idsWith(r.report, 'failed'), r.stdout).toEqual([id]);
        const c = r.report?.cases.find((k) => k.id === id);
        const [records, leaves] = double ? [4, 2] : [2, 1];
        expect(c?.actual).toMatch(
          new RegExp(
            `^${records} records of marker \\S+ where one genuine message leaves ${leaves}: processed 2 times`,
          ),
        );
      });
    }
  }
});

test.describe('receivers that process what they must refuse still fail, logging twice', () => {
  for (const { profile, faulty, ids } of NOT_REFUSED) {
    test(`${profile} "${faulty}" fails ${ids.join(' and ')}`, () => {
      const r = result(`${profile}-${faulty}-double`);
      expect(idsWith(r.report, 'failed').sort(), r.stdout).toEqual([...ids].sort());
      for (const id of ids) {
        expect(r.report?.cases.find((k) => k.id === id)?.actual).toMatch(/leaves 2: processed 1 time\b/);
      }
    });
  }
});

test.describe('a tally', () => {
  test('is the records divided by what one genuine message leaves', () => {
    expect(tally('m', 4, 2).times).toBe(2);
    expect(tally('m', 2, 2).times).toBe(1);
    expect(tally('m', 0, 3).times).toBe(0);
    expect(tally('m', 3, 2).times).toBe(1.5);
    expect(tally('m', 1, 3).times).toBe(0.33);
  });

  test('says what was seen and what it means', () => {
    expect(describeTally(tally('pc1', 4, 2))).toBe(
      '4 records of marker pc1 where one genuine message leaves 2: processed 2 times',
    );
    expect(describeTally(tally('pc1', 1, 1))).toBe(
      '1 record of marker pc1 where one genuine message leaves 1: processed 1 time',
    );
  });

  test('needs a calibration of at least one record', () => {
    expect(() => tally('m', 1, 0)).toThrow(/at least one record/);
  });
});
