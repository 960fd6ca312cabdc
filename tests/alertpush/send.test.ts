/**
 * `pushcheck send alertpush`: the edge box refreshes its token every 600 s (here compressed to 600 ms), each
 * alert carries the newest token, and no token is ever printed.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, test } from '@playwright/test';
import { judgeIntervals } from '../../src/core/retry.ts';
import { pushcheck } from '../helpers.ts';

const SCALE = 0.001;
const REFRESH_MS = 600_000;

/** A token endpoint issuing a fresh 64-hex token per GET (as the vendor's demo does) and an alert receiver. */
async function boxServer() {
  const t0 = performance.now();
  const issued: { token: string; startMs: number; endMs: number }[] = [];
  const alerts: { startMs: number; auth: string }[] = [];
  const server = http.createServer((req, res) => {
    const startMs = performance.now() - t0;
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.startsWith('/token')) {
        const token = randomBytes(32).toString('hex');
        res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
        res.on('finish', () => issued.push({ token, startMs, endMs: performance.now() - t0 }));
        return;
      }
      alerts.push({ startMs, auth: req.headers.authorization ?? '' });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, issued, alerts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** `pushcheck send alertpush` to the box at `origin`, fetching its tokens from `tokenPath` there, adding `more`. */
function sendTo(origin: string, tokenPath: string, more: string[] = []) {
  return pushcheck([
    'send',
    'alertpush',
    '--target',
    `${origin}/alert`,
    '--token-url',
    `${origin}${tokenPath}`,
    ...more,
  ]);
}

test('the box refreshes its token at the scaled 600 s, sends the newest token, and prints none', async () => {
  const box = await boxServer();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  try {
    const r = await sendTo(box.origin, '/token?arg1=xxx&arg2=xxx', [
      ...['--count', '8', '--rate', '5', '--time-scale', String(SCALE)],
    ]);
    lag.disable();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // 8 alerts over 1.4 s: the first token, then refreshes at 600 and 1200 ms.
    expect(box.issued.length).toBeGreaterThanOrEqual(3);
    expect(box.alerts).toHaveLength(8);
    // The judge's tolerance takes in both event loops' worst delay: the box's, which it prints, and ours.
    const boxLag = Number(/event-loop delay max (\d+) ms/.exec(r.stdout)?.[1]);
    expect(boxLag).toBeGreaterThanOrEqual(0);
    const j = judgeIntervals(
      box.issued,
      { intervalsMs: box.issued.slice(1).map(() => REFRESH_MS) },
      SCALE,
      lag.max / 1e6 + boxLag,
    );
    expect(j.offAt, JSON.stringify(box.issued.map((i) => Math.round(i.startMs)))).toBeUndefined();
    // Each alert carries the newest token the box could have had: issued before the alert arrived, and not
    // older than the one before the newest (a refresh may be answered while the alert is on its way).
    const index = (auth: string) => box.issued.findIndex((i) => `Bearer ${i.token}` === auth);
    const used = box.alerts.map((a) => index(a.auth));
    for (const [k, a] of box.alerts.entries()) {
      const newest = box.issued.filter((i) => i.endMs <= a.startMs).length - 1;
      expect(used[k], `alert ${k + 1}`).toBeGreaterThanOrEqual(Math.max(0, newest - 1));
      expect(used[k], `alert ${k + 1}`).toBeLessThanOrEqual(newest + 1);
    }
    expect([...used].sort((x, y) => x - y)).toEqual(used);
    expect(new Set(used).size).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toMatch(/token 2 fetched at \+\d+ ms in [\d.]+ ms: \[REDACTED\]/);
    expect(r.stdout).toMatch(
      /alert 8 \(id \w+\) at \+\d+ ms with token \d \(Bearer \[REDACTED\]\): HTTP 200/,
    );
    for (const { token } of box.issued) expect(r.stdout + r.stderr).not.toContain(token);
    test.info().annotations.push({
      type: 'figures',
      description: `token fetches at ${box.issued.map((i) => Math.round(i.startMs)).join(', ')} ms (every ${REFRESH_MS * SCALE} ms); worst interval error ${j.worstErrorMs} ms; event-loop delay ${Math.round(lag.max / 1e6)} ms here, ${boxLag} ms in the box`,
    });
  } finally {
    await box.close();
  }
});

test('without a usable first token the box stops before any alert, in one sentence, exit 2', async () => {
  const box = await boxServer();
  await box.close();
  const r = await sendTo(box.origin, '/token');
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/the token endpoint .* gave no usable token/);
  expect(r.stdout).not.toContain('alert 1');
});
