/**
 * Both directions of OneNET's retry policy: the platform emulator retries on the documented schedule (the
 * whole schedule, compressed, checked against the table), and the grader passes the reference sender and
 * catches every faulty sender with the case meant to catch it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  type FaultySenderName,
  faultySenderBehaviour,
  faultySenders,
} from '../../mocks/onenet/faulty-senders.ts';
import { senderRequirements } from '../../specs/onenet/sender-requirements.ts';
import { intervalTolerance, judgeIntervals } from '../../src/core/retry.ts';
import { type SenderBehaviour, sendMessages } from '../../src/protocols/onenet/send.ts';
import { listen, type Respond } from '../../src/protocols/onenet/listen.ts';
import { ONENET_MAX_ATTEMPTS, ONENET_RETRY } from '../../src/protocols/onenet/retry.ts';
import { AES_KEY, freePort, pushcheck, scratch, TOKEN, waitForPort } from '../helpers.ts';

const SCALE = 0.001;

// Timing is judged here: one test at a time, so that the tests do not load each other.
test.describe.configure({ mode: 'default' });

/** A receiver that answers every request with `status`, recording when each arrived and ended. */
async function recorder(status: number) {
  const seen: { startMs: number; endMs: number; id: string }[] = [];
  const t0 = performance.now();
  const server = http.createServer((req, res) => {
    const startMs = performance.now() - t0;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const id = (JSON.parse(body) as { id: string }).id;
      res.writeHead(status).end();
      res.on('finish', () => seen.push({ startMs, endMs: performance.now() - t0, id }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/onenet`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The emulator sends one push to `target`, retrying on the compressed schedule. */
function sendOne(target: string, seed: number) {
  return sendMessages({ target, token: TOKEN, count: 1, rate: 1, timeScale: SCALE, deadlineMs: 5000, seed });
}

test('the emulator makes all 17 attempts of a push never acked, on the schedule, with one id', async () => {
  const rx = await recorder(500);
  try {
    const started = performance.now();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const [sent] = await sendOne(rx.url, 3);
    const wallMs = performance.now() - started;
    lag.disable();
    const lagMs = lag.max / 1e6;
    expect(sent?.delivery.delivered).toBe(false);
    expect(rx.seen).toHaveLength(ONENET_MAX_ATTEMPTS);
    expect(new Set(rx.seen.map((s) => s.id)).size).toBe(1);
    // The emulator's own timing: each attempt starts its interval after the previous one started, or as soon
    // as it ended when it took longer; the error is how late its timer fired.
    const attempts = sent?.delivery.attempts ?? [];
    const errors = attempts.slice(1).map((a, i) => {
      const prev = attempts[i] as (typeof attempts)[number];
      const due = Math.max(prev.atMs + (ONENET_RETRY.intervalsMs[i] ?? 0) * SCALE, prev.atMs + prev.tookMs);
      return a.atMs - due;
    });
    // Never early, give or take a timer's 1 ms granularity and the rounding of the recorded times.
    for (const e of errors) expect(e).toBeGreaterThanOrEqual(-2);
    for (const e of errors) expect(e).toBeLessThanOrEqual(intervalTolerance(0, lagMs));
    // And as the receiver saw them arrive, judged as the grader judges a sender.
    expect(judgeIntervals(rx.seen, ONENET_RETRY, SCALE, lagMs).offAt).toBeUndefined();
    // 2 h 45 min 45 s compressed a thousand times: 9.945 s of intervals.
    expect(wallMs).toBeGreaterThan(9945);
    expect(wallMs).toBeLessThan(12_000 + 17 * lagMs);
    test.info().annotations.push({
      type: 'figures',
      description: `scale ${SCALE}: wall ${Math.round(wallMs)} ms; timer lateness max ${Math.max(...errors).toFixed(1)} ms; event-loop delay max ${lagMs.toFixed(1)} ms`,
    });
  } finally {
    await rx.close();
  }
});

test('the emulator stops at the first 200 and a wrong sender schedule is judged off', async () => {
  const rx = await recorder(200);
  try {
    const [sent] = await sendOne(rx.url, 4);
    expect(sent?.delivery.attempts).toHaveLength(1);
    expect(rx.seen).toHaveLength(1);
  } finally {
    await rx.close();
  }
  // The judge can fail: attempts 5 ms apart throughout are off the schedule from the 5th retry (120 ms).
  const even = Array.from({ length: 7 }, (_, i) => ({ startMs: i * 5, endMs: i * 5 + 1 }));
  expect(judgeIntervals(even, ONENET_RETRY, SCALE).offAt).toBe(5);
  // At scale 1, 5% of each interval: 5.2 s after a 5 s slot is fine, 5.3 s is not.
  const at = (ms: number) => [
    { startMs: 0, endMs: 10 },
    { startMs: ms, endMs: ms + 10 },
  ];
  expect(judgeIntervals(at(5200), ONENET_RETRY, 1).offAt).toBeUndefined();
  expect(judgeIntervals(at(5300), ONENET_RETRY, 1).offAt).toBe(1);
  // An attempt held 300 ms, past a 5 ms slot: retried as it ends is on time, 130 ms later is not.
  const held = (ms: number) => [
    { startMs: 0, endMs: 300 },
    { startMs: ms, endMs: ms + 1 },
  ];
  expect(judgeIntervals(held(302), ONENET_RETRY, SCALE).offAt).toBeUndefined();
  expect(judgeIntervals(held(430), ONENET_RETRY, SCALE).offAt).toBe(1);
});

interface Graded {
  failed: string[];
  outcomes: Record<string, string>;
  /** Why each failed case failed, for the assertion messages. */
  why: string;
}

/** Runs the grader in-process and the emulator (with `behaviour`) against it; returns the case outcomes. */
async function grade(
  behaviour: SenderBehaviour | undefined,
  respond: Respond,
  aesKey?: string,
  timeScale = SCALE,
): Promise<Graded> {
  let listening: (url: string) => void = () => undefined;
  const where = new Promise<string>((r) => {
    listening = r;
  });
  const graded = listen({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    aesKey,
    respond,
    timeScale,
    count: 3,
    durationMs: 40_000,
    holdMs: 1000,
    onListening: (url) => listening(url),
  });
  const url = await where;
  await sendMessages({
    target: url,
    token: TOKEN,
    aesKey,
    count: 3,
    rate: 50,
    timeScale,
    deadlineMs: 300,
    seed: 5,
    ...(behaviour ? { behaviour } : {}),
  });
  const { cases } = await graded;
  return {
    failed: cases.filter((c) => c.outcome === 'failed').map((c) => c.id),
    outcomes: Object.fromEntries(cases.map((c) => [c.id, c.outcome])),
    why: cases
      .filter((c) => c.outcome === 'failed')
      .map((c) => `${c.id}: expected ${c.expected}; actual ${c.actual}`)
      .join('\n'),
  };
}

test('the reference sender passes every case, plain and secure, with failures forced', async () => {
  const plain = await grade(undefined, { kind: 'fail-first', n: 5 });
  expect(plain.failed, plain.why).toEqual([]);
  const secure = await grade(undefined, { kind: 'fail-first', n: 5 }, AES_KEY);
  expect(secure.failed, secure.why).toEqual([]);
  const passed = Object.keys(senderRequirements).filter((id) => secure.outcomes[id] === 'passed');
  expect(passed.sort()).toEqual(Object.keys(senderRequirements).sort());
});

for (const kind of ['500', 'timeout'] as const) {
  test(`the reference sender passes the whole schedule against a grader that answers ${kind}`, async () => {
    const r = await grade(undefined, { kind });
    expect(r.failed, r.why).toEqual([]);
    expect(r.outcomes['onenet-sender.retry.attempts']).toBe('passed');
    expect(r.outcomes['onenet-sender.retry.schedule']).toBe('passed');
  });
}

test.describe('each faulty sender', () => {
  for (const [name, f] of Object.entries(faultySenders) as [
    FaultySenderName,
    (typeof faultySenders)[FaultySenderName],
  ][]) {
    test(`"${name}" is caught by ${f.caughtBy.join(' and ')}`, async () => {
      const respond: Respond = 'needsFullSchedule' in f ? { kind: '500' } : { kind: 'fail-first', n: 6 };
      // At 1/1000 the first six intervals are 5 to 180 ms: a wrong schedule then differs from the right one by
      // less than the tolerance (100 ms plus the event loop's delay) on a loaded machine. At 1/100 it is
      // 50 ms to 1.8 s, and a wrong one differs by more than a second.
      const scale = (f.caughtBy as readonly string[]).includes('onenet-sender.retry.schedule') ? 0.01 : SCALE;
      const aesKey = 'secureOnly' in f ? AES_KEY : undefined;
      const r = await grade(faultySenderBehaviour(name), respond, aesKey, scale);
      expect(r.failed.sort(), r.why).toEqual([...f.caughtBy].sort());
    });
  }

  test('every sender case is caught by some faulty sender', () => {
    const caught = new Set(Object.values(faultySenders).flatMap((f) => f.caughtBy));
    expect(Object.keys(senderRequirements).filter((id) => !caught.has(id as never))).toEqual([]);
  });
});

test('pushcheck listen and pushcheck send, from the command line: a report, exit codes, no secrets', async () => {
  const dir = scratch();
  const port = await freePort();
  const report = join(dir, 'report');
  const listening = pushcheck([
    'listen',
    'onenet',
    '--port',
    String(port),
    '--token',
    TOKEN,
    '--aes-key',
    AES_KEY,
    '--respond',
    'fail-first=2',
    '--time-scale',
    String(SCALE),
    '--count',
    '1',
    '--duration',
    '60',
    '--report',
    report,
  ]);
  await waitForPort(port, listening);
  const sent = await pushcheck([
    'send',
    'onenet',
    '--target',
    `http://127.0.0.1:${port}/onenet`,
    '--token',
    TOKEN,
    '--aes-key',
    AES_KEY,
    '--faulty',
    'sign-order',
    '--time-scale',
    String(SCALE),
  ]);
  expect(sent.code, sent.stdout + sent.stderr).toBe(0);
  expect(sent.stdout).toMatch(/delivered at attempt 3/);
  const graded = await listening;
  expect(graded.code, graded.stdout + graded.stderr).toBe(1);
  expect(graded.stdout).toMatch(/failed +MUST +onenet-sender\.sign\.valid/);
  expect(graded.stdout).toMatch(/the order is wrong/);
  for (const file of readdirSync(report)) {
    const text = readFileSync(join(report, file), 'utf8');
    expect(text, file).not.toContain(TOKEN);
    expect(text, file).not.toContain(AES_KEY);
  }
  expect(graded.stdout + sent.stdout).not.toContain(TOKEN);
});

test('bad options of send and listen are one-line usage errors', async () => {
  const cases: [string[], RegExp][] = [
    [['send', 'onenet', '--token', 't'], /--target URL is required/],
    [
      ['send', 'onenet', '--target', 'http://127.0.0.1:1/', '--token', 't', '--time-scale', '2'],
      /--time-scale must be/,
    ],
    [
      ['listen', 'onenet', '--token', 't', '--respond', 'sometimes'],
      /--respond must be ok, 500, timeout or fail-first=N/,
    ],
    [['send', 'mqtt'], /unknown profile "mqtt"/],
    [['listen'], /listen needs a profile/],
  ];
  for (const [args, message] of cases) {
    const r = await pushcheck(args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }
});
