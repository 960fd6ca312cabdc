/** The burst cases' measurement: pushes sent at once over real HTTP, the late ones told apart, the figures. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { expectBurstOnTime, measureBurst } from '../src/core/burst.ts';
import { describeResponse } from '../src/core/case.ts';
import { type Exchange, send } from '../src/core/http.ts';

const N = 8;
/** Far above an answer on a loaded machine, far below the slow push's delay. */
const DEADLINE_MS = 2000;
const SLOW_MS = 3500;

/**
 * A receiver that answers nothing until all N pushes have arrived (so a burst sent one at a time would stall
 * until its fallback), then 200 to each, but 500 to /fail, a reset to /reset and a late 200 to /slow.
 */
async function receiver(): Promise<{ origin: string; arrivedTogether: () => boolean; close: () => void }> {
  const waiting: (() => void)[] = [];
  let together = false;
  const timers: NodeJS.Timeout[] = [];
  const releaseAll = () => {
    for (const answer of waiting.splice(0)) answer();
  };
  timers.push(setTimeout(releaseAll, 3000));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      waiting.push(() => {
        if (req.url === '/fail') res.writeHead(500).end('failed');
        else if (req.url === '/reset') req.socket.destroy();
        else if (req.url === '/slow') timers.push(setTimeout(() => res.writeHead(200).end('ok'), SLOW_MS));
        else res.writeHead(200).end('ok');
      });
      if (waiting.length === N) {
        together = true;
        releaseAll();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivedTogether: () => together,
    close: () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close();
    },
  };
}

const PATHS = ['/ok', '/fail', '/ok', '/reset', '/ok', '/slow', '/ok', '/ok'];

test('sends the pushes at once, and tells the late ones (error, not 200, too slow) from the rest', async () => {
  const r = await receiver();
  try {
    const b = await measureBurst(N, DEADLINE_MS, (i, label) =>
      send({ method: 'POST', url: `${r.origin}${PATHS[i]}`, body: '{}', deadlineMs: 10_000, label }),
    );
    expect(r.arrivedTogether()).toBe(true);
    expect(b.exchanges.map((e) => e.label)).toEqual(PATHS.map((_, i) => `burst push ${i + 1}/${N}`));
    expect(b.late.map((e) => e.request.url.replace(r.origin, '')).sort()).toEqual([
      '/fail',
      '/reset',
      '/slow',
    ]);
    const slow = b.exchanges[5] as Exchange;
    expect(slow.timings.totalMs).toBeGreaterThanOrEqual(SLOW_MS);
    expect(b.latencies).toEqual(b.exchanges.map((e) => e.timings.totalMs));
    expect(b.metrics.pushes).toBe(N);
    expect(b.metrics.maxMs).toBe(slow.timings.totalMs);
    expect(b.metrics.p50Ms).toBeLessThan(DEADLINE_MS);
    expect(b.metrics.p95Ms).toBe(slow.timings.totalMs);
    expect(() => expectBurstOnTime(b, DEADLINE_MS, 'acked', describeResponse)).toThrow(
      `3 of ${N} concurrent pushes were not acked with 200 within ${DEADLINE_MS} ms`,
    );
  } finally {
    r.close();
  }
});

/** An exchange as the HTTP helper records it, answered `status` after `totalMs`. */
function answered(label: string, status: number, totalMs: number): Exchange {
  return {
    label,
    request: { method: 'POST', url: 'http://127.0.0.1:9/x', headers: {}, body: '', bodyBytes: 0 },
    response: { status, headers: {}, body: 'ok', raw: Buffer.from('ok'), bodyBytes: 2, truncated: false },
    startedAt: new Date(0).toISOString(),
    timings: { totalMs },
    curl: '',
  };
}

test('the figures are the percentiles of the latencies, and a burst all on time passes', async () => {
  const ms = [40, 10, 30, 20, 50, 60, 70, 80, 90, 100];
  const b = await measureBurst(ms.length, 100, (i, label) =>
    Promise.resolve(answered(label, 200, ms[i] ?? 0)),
  );
  expect(b.metrics).toEqual({ pushes: 10, p50Ms: 50, p95Ms: 100, maxMs: 100 });
  expect(b.late).toEqual([]);
  expect(() => expectBurstOnTime(b, 100, 'accepted', describeResponse)).not.toThrow();
  const over = await measureBurst(2, 100, (i, label) => Promise.resolve(answered(label, 200, 100 + i)));
  expect(over.late.map((e) => e.label)).toEqual(['burst push 2/2']);
});

test('the failure names the first three late pushes with what came back', async () => {
  const b = await measureBurst(5, 100, (i, label) => Promise.resolve(answered(label, 503, 5 + i)));
  let message = '';
  try {
    expectBurstOnTime(b, 100, 'accepted', (e) => `HTTP ${e.response?.status}`);
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toContain('5 of 5 concurrent pushes were not accepted with 200 within 100 ms');
  expect(message).toContain('expected: all 5 accepted with HTTP 200 within 100 ms');
  expect(message).toContain(
    'actual:   burst push 1/5: HTTP 503; burst push 2/5: HTTP 503; burst push 3/5: HTTP 503',
  );
  expect(message).not.toContain('burst push 4/5');
});

test('a burst of no pushes is refused', async () => {
  await expect(measureBurst(0, 100, () => Promise.reject(new Error('not called')))).rejects.toThrow(
    /1 push or more/,
  );
});
