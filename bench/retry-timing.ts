/**
 * How precisely pushcheck keeps OneNET's retry schedule, at scale 0.001 (the whole schedule) and at scale 1
 * (the first two retries, 15 s), against a loopback receiver that answers 500: per retry, how far the arrival
 * was from the schedule, and the event-loop delay over the run. `npx tsx bench/retry-timing.ts`
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sendMessages } from '../src/protocols/onenet/send.ts';
import { ONENET_RETRY } from '../src/protocols/onenet/retry.ts';

async function measure(scale: number, retries: number): Promise<void> {
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(performance.now());
    req.resume();
    req.on('end', () => res.writeHead(arrivals.length > retries ? 200 : 500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const t0 = performance.now();
  await sendMessages({
    target: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    token: 'bench-token',
    count: 1,
    rate: 1,
    timeScale: scale,
    deadlineMs: 5000,
    seed: 1,
  });
  const wall = performance.now() - t0;
  lag.disable();
  server.close();
  const errors = arrivals
    .slice(1)
    .map((t, i) => Math.abs(t - (arrivals[i] ?? 0) - (ONENET_RETRY.intervalsMs[i] ?? 0) * scale));
  const sorted = [...errors].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  console.log(
    `scale ${scale}: ${arrivals.length} attempts in ${(wall / 1000).toFixed(3)} s; interval error vs the table ` +
      `p50 ${p(0.5).toFixed(2)} ms, max ${p(1).toFixed(2)} ms; event-loop delay max ${(lag.max / 1e6).toFixed(1)} ms`,
  );
}

await measure(0.001, ONENET_RETRY.intervalsMs.length);
await measure(1, 2);
