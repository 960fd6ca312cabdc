/**
 * Both directions of Control iD Push: `pushcheck send controlid` plays a device that polls on its period and
 * chains commands, and `pushcheck listen controlid` grades a device, passing the reference device and catching
 * every faulty device with the case meant to catch it. Periods are compressed: 100 s at scale 0.01 is 1 s.
 */
import { expect, test } from '@playwright/test';
import {
  type FaultyDeviceName,
  faultyDeviceBehaviour,
  faultyDevices,
} from '../../mocks/controlid/faulty-devices.ts';
import { faultyBehaviour } from '../../mocks/controlid/faulty.ts';
import { controlidHandlers, DEFAULT_STATE_PATH } from '../../mocks/controlid/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { deviceRequirements } from '../../specs/controlid/device-requirements.ts';
import type { DeviceBehaviour } from '../../src/protocols/controlid/sender.ts';
import { type DeviceListenOptions, listenDevice } from '../../src/protocols/controlid/listen.ts';
import { sendAsDevice } from '../../src/protocols/controlid/send.ts';
import type { CaseReport } from '../../src/report/model.ts';
import { freePort, idsWith, pushcheck, scratch, waitForPort } from '../helpers.ts';

// A period of 100 s at scale 0.01: 1 s, so that a loaded machine's event-loop delay does not blur the cases.
const PERIOD_S = 100;
const SCALE = 0.01;
const COUNT = 7;
const ALL = Object.keys(deviceRequirements);

// Timing is judged here: one test at a time, so that the tests do not load each other.
test.describe.configure({ mode: 'default' });

/** Starts the grader on a free port with the period of these tests; resolves with its URL once it listens. */
async function startGrader(
  opts: Omit<DeviceListenOptions, 'host' | 'port' | 'periodS' | 'onListening'>,
): Promise<{ base: string; graded: ReturnType<typeof listenDevice> }> {
  let url: (u: string) => void = () => undefined;
  const listening = new Promise<string>((r) => (url = r));
  const graded = listenDevice({ host: '127.0.0.1', port: 0, periodS: PERIOD_S, ...opts, onListening: url });
  return { base: await listening, graded };
}

/** The grader and a device in one process, on a free port; resolves with the graded cases. */
async function grade(behaviour?: DeviceBehaviour, timeScale = SCALE): Promise<CaseReport[]> {
  const { base, graded } = await startGrader({
    timeScale,
    chain: 2,
    count: COUNT,
    durationMs: 15_000,
    requestTimeoutMs: 2000,
  });
  await sendAsDevice({
    base,
    deviceId: '478435',
    requestTimeoutMs: 2000,
    periodS: PERIOD_S,
    timeScale,
    count: COUNT,
    durationMs: 15_000,
    ...(behaviour ? { behaviour } : {}),
  });
  return (await graded).cases;
}

test('the grader passes the reference device on every case, with the period and the re-poll measured', async () => {
  const cases = await grade();
  expect(idsWith({ cases } as never, 'passed').sort()).toEqual([...ALL].sort());
  const period = cases.find((c) => c.id === 'controlid-device.poll.period');
  expect(period?.metrics?.intervals).toBe(2);
  const repoll = cases.find((c) => c.id === 'controlid-device.chain.repoll');
  expect(repoll?.metrics?.repolls).toBe(4);
  test.info().annotations.push({
    type: 'figures',
    description: `scale ${SCALE}, period ${PERIOD_S * 1000 * SCALE} ms: worst period error ${String(period?.metrics?.worstPeriodErrorMs)} ms, worst re-poll gap ${String(repoll?.metrics?.worstGapMs)} ms, event-loop delay ${String(period?.metrics?.eventLoopLagMs)} ms`,
  });
});

for (const [name, f] of Object.entries(faultyDevices)) {
  test(`the grader catches the faulty device "${name}" (${f.defect})`, async () => {
    const cases = await grade(faultyDeviceBehaviour(name as FaultyDeviceName));
    const failed = idsWith({ cases } as never, 'failed');
    const why = cases.map((c) => `${c.id}: ${c.outcome} ${c.actual ?? c.reason ?? ''}`).join('\n');
    expect(failed.sort(), why).toEqual([...f.caughtBy].sort());
    const caught = cases.find((c) => c.id === f.caughtBy[0]);
    expect(caught?.expected).toBeTruthy();
    expect(caught?.actual).toBeTruthy();
  });
}

test('device case ids are controlid-device.<area>.<behaviour>; interpreted ones are never MUST; each quotes a source', () => {
  for (const [id, r] of Object.entries(deviceRequirements) as [
    string,
    (typeof deviceRequirements)[keyof typeof deviceRequirements],
  ][]) {
    expect(id).toMatch(/^controlid-device\.[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/);
    if ('interpreted' in r) expect(r.level, id).not.toBe('MUST');
    expect(r.text.length, id).toBeGreaterThan(20);
    expect(r.source.document.title.length, id).toBeGreaterThan(5);
  }
});

test('every device case is caught by some faulty device', () => {
  const caught = new Set(Object.values(faultyDevices).flatMap((f) => f.caughtBy));
  expect(ALL.filter((id) => !caught.has(id as never))).toEqual([]);
});

test('a period compressed below the timing tolerance is not assessed, not passed', async () => {
  // 100 s at 0.0005 is 50 ms, under the 100 ms floor: a device polling at once would look on time.
  const cases = await grade(undefined, 0.0005);
  const period = cases.find((c) => c.id === 'controlid-device.poll.period');
  expect(period?.outcome).toBe('not-assessed');
  expect(period?.reason).toMatch(/the scaled period, 50 ms, is within the timing tolerance/);
});

test('a result posted after the request timeout fails controlid-device.result.posted', async () => {
  const { base, graded } = await startGrader({
    timeScale: SCALE,
    chain: 1,
    count: 2,
    durationMs: 10_000,
    requestTimeoutMs: 300,
  });
  const poll = await fetch(`${base}/push?deviceId=478435&uuid=u-1`);
  expect(JSON.parse(await poll.text())).toHaveProperty('endpoint');
  await new Promise((r) => setTimeout(r, 600));
  await (
    await fetch(`${base}/result?deviceId=478435&uuid=u-1`, { method: 'POST', body: '{"response":{}}' })
  ).text();
  expect(await (await fetch(`${base}/push?deviceId=478435&uuid=u-2`)).text()).toBe('');
  const posted = (await graded).cases.find((c) => c.id === 'controlid-device.result.posted');
  expect(posted?.outcome).toBe('failed');
  expect(posted?.expected).toContain('within the request timeout, 300 ms');
});

test('a run with no device assesses nothing and says so', async () => {
  const { cases, requests } = await listenDevice({
    host: '127.0.0.1',
    port: 0,
    periodS: PERIOD_S,
    timeScale: SCALE,
    chain: 2,
    count: COUNT,
    durationMs: 300,
    requestTimeoutMs: 2000,
  });
  expect(requests).toBe(0);
  expect(idsWith({ cases } as never, 'not-assessed').sort()).toEqual([...ALL].sort());
  expect(cases[0]?.reason).toBe('the device sent nothing');
});

test('`listen controlid` grades `send controlid` on the command line: the reference device conforms', async () => {
  const port = await freePort();
  const scaled = ['--period', String(PERIOD_S), '--time-scale', String(SCALE), '--count', String(COUNT)];
  const dir = scratch('pushcheck-cid-listen-');
  const listening = pushcheck(
    ['listen', 'controlid', '--port', String(port), ...scaled, '--report', dir],
    dir,
  );
  await waitForPort(port, listening);
  const target = `http://127.0.0.1:${port}/api`;
  const sent = await pushcheck([
    'send',
    'controlid',
    '--target',
    target,
    ...scaled,
    '--request-timeout',
    '2000',
  ]);
  const graded = await listening;
  expect(sent.code, sent.stdout + sent.stderr).toBe(0);
  expect(sent.stdout).toMatch(/poll 1 at \+\d+ ms \(uuid [0-9a-f-]{36}\): the command .*, in [\d.]+ ms/);
  expect(sent.stdout).toMatch(/result of poll 1 posted at \+\d+ ms: empty response, in [\d.]+ ms/);
  expect(sent.stdout).toContain(`${COUNT} polls, 4 results posted, 0 answers a device cannot work with`);
  expect(graded.code, graded.stdout).toBe(0);
  expect(graded.stdout).toContain(`set the device's push_remote_address to ${target}`);
  expect(graded.report?.profile).toBe('controlid-device');
  expect(graded.report?.verdict).toBe('conformant');
  expect(idsWith(graded.report, 'passed').sort()).toEqual([...ALL].sort());
});

test('the device reports a push server whose answers a device cannot use', async () => {
  for (const [label, behaviour, problem] of [
    ['reference', undefined, undefined],
    ['idle-null', faultyBehaviour('idle-null'), 'poll 2: JSON null'],
    [
      'result-body',
      faultyBehaviour('result-body'),
      'result of poll 1: 15 bytes of body where the document expects an empty response',
    ],
  ] as const) {
    const server = await serve(controlidHandlers({ enrolled: ['478435'] }, behaviour));
    try {
      const res = await fetch(`${server.origin}${DEFAULT_STATE_PATH}`, {
        method: 'POST',
        body: JSON.stringify({
          state: 'command queued',
          params: { deviceId: '478435', command: { endpoint: 'load_objects', body: { object: 'users' } } },
        }),
      });
      expect(res.status).toBe(204);
      const played = await sendAsDevice({
        base: `${server.origin}/api`,
        deviceId: '478435',
        requestTimeoutMs: 2000,
        periodS: 1,
        timeScale: 0.1,
        count: 3,
        durationMs: 10_000,
      });
      expect(played.polls, label).toBe(3);
      expect(played.results, label).toBe(1);
      if (problem) expect(played.problems[0], label).toBe(problem);
      else expect(played.problems, label).toEqual([]);
    } finally {
      await server.close();
    }
  }
});

test('`send controlid` and `listen controlid` refuse bad input in one sentence, exit 2', async () => {
  const runs: Promise<{ r: Awaited<ReturnType<typeof pushcheck>>; message: RegExp }>[] = [];
  for (const [args, message] of [
    [['send', 'controlid'], /--target is required/],
    [
      ['send', 'controlid', '--target', 'http://127.0.0.1:9/api', '--period', '0'],
      /--period must be an integer from 1/,
    ],
    [
      ['send', 'controlid', '--target', 'http://127.0.0.1:9/api', '--faulty', 'nope'],
      /unknown faulty device "nope"/,
    ],
    [
      ['send', 'controlid', '--target', 'http://127.0.0.1:9/api'],
      /cannot poll http:\/\/127\.0\.0\.1:9\/api\/push/,
    ],
    [['listen', 'controlid', '--time-scale', '2'], /--time-scale must be a number above 0 and at most 1/],
  ] as const) {
    runs.push(pushcheck([...args]).then((r) => ({ r, message })));
  }
  // Started together: each is a process start-up, most of the time here.
  for (const { r, message } of await Promise.all(runs)) {
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
});
