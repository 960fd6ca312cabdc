/**
 * The burst generator: valid messages from a profile's fuzz hook, sent by `concurrency` senders in a loop
 * for `durationMs`, each through the HTTP helper (timed, bounded). `npm run bench` compares its rate with
 * autocannon's against the same receiver.
 */
import http from 'node:http';
import { type Exchange, send } from './http.ts';
import type { FuzzHook } from './profile.ts';
import { createRng } from './rng.ts';

export interface BurstOptions<S> {
  hook: FuzzHook<S>;
  settings: S;
  target: string;
  runTag: string;
  seed: number;
  concurrency: number;
  durationMs: number;
  deadlineMs: number;
  /** Reuse connections (as autocannon does) instead of opening one per message. */
  keepAlive: boolean;
  /** A hard cap on messages, whatever the rate. */
  maxMessages?: number;
}

export interface BurstResult {
  sent: number;
  acked: number;
  durationMs: number;
  /** Acked messages per second. */
  perSecond: number;
}

/** Sends valid messages as fast as `concurrency` senders can for `durationMs`; resolves with the counts. */
export async function burst<S>(opts: BurstOptions<S>): Promise<BurstResult> {
  const rng = createRng(opts.seed, 'burst');
  const agent = opts.keepAlive
    ? new http.Agent({ keepAlive: true, maxSockets: opts.concurrency })
    : undefined;
  const cap = opts.maxMessages ?? 10_000_000;
  let sent = 0;
  let acked = 0;
  const t0 = performance.now();
  const end = t0 + opts.durationMs;
  const sender = async (): Promise<void> => {
    while (performance.now() < end && sent < cap) {
      sent++;
      const m = opts.hook.valid(opts.settings, { runTag: opts.runTag, rng });
      const ex: Exchange = await send({
        method: m.method,
        url: `${opts.target}${m.path ?? ''}`,
        headers: m.headers,
        body: m.body,
        deadlineMs: opts.deadlineMs,
        ...(agent ? { agent } : {}),
      });
      if (opts.hook.acked(ex)) acked++;
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, sender));
  } finally {
    agent?.destroy();
  }
  const durationMs = performance.now() - t0;
  return { sent, acked, durationMs, perSecond: (acked * 1000) / durationMs };
}
