/**
 * pushcheck against every hostile receiver, through the real CLI: every case run fails with the receiver's
 * fault in words, each case ends within its bound, and the exit code says non-conformant. Each receiver gets
 * the cases that show its effect on both kinds of exchange (the verification GET, a push); a receiver that
 * only hangs gets the push alone, since each of its cases just waits out the same deadline. A run of one case
 * per area, against a receiver that answers with bytes that are not HTTP, shows that every area is affected
 * (a full run fails every assessed case the same way, about a second each on an idle machine). (Against a
 * receiver that sends a status and then resets, the robustness cases pass: they judge the status that arrived,
 * as a 413 followed by a close is how many servers refuse a body.) The bounds are on each
 * case's own duration: a run's start-up depends on the machine's load, not on the receiver.
 */

import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HOSTILE, type HostileName, startHostile } from '../../mocks/hostile/receivers.ts';
import { idsWith, onenetRun, pushcheck, scratch, spawnRun, waitUntil } from '../helpers.ts';

/** The platform deadline of OneNET, the profile these runs use. */
const DEADLINE_MS = 5000;
/** Scheduling on a shared, loaded machine: how far past its requests' deadlines a case may end. */
const SLACK_MS = 5000;
const EVERY_KIND = 'onenet\\.(verify\\.echo-verbatim|ack\\.within-5s)';
const ONE_PUSH = 'onenet\\.ack\\.within-5s';

/**
 * Runs the OneNET cases matching `grep` against the receiver at `target`, reporting to `dir`. The preflight
 * would stop the runs against the silent and not-HTTP receivers: the cases are tested here.
 */
function runAgainst(target: string, grep: string, dir: string) {
  return pushcheck(onenetRun(target, ['--report', dir, '--grep', grep, '--no-preflight']), dir);
}

for (const [name, h] of Object.entries(HOSTILE)) {
  test(`a receiver that ${h.does} fails the cases run against it, with the reason, within the bound`, async () => {
    const receiver = await startHostile(name as HostileName);
    try {
      const dir = scratch();
      const grep = h.hangs ? ONE_PUSH : EVERY_KIND;
      const r = await runAgainst(receiver.url, grep, dir);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      if (name === 'tls-close') {
        // The handshake is checked before any case runs, as reachability is: the run could not start.
        expect(r.code, r.stdout + r.stderr).toBe(2);
        expect(r.stderr).toMatch(/no TLS handshake with https:\/\/127\.0\.0\.1:\d+ .*is it serving HTTPS\?/);
        expect(r.report).toBeUndefined();
        return;
      }
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.report?.verdict).toBe('non-conformant');
      const cases = r.report?.cases ?? [];
      expect(cases.length).toBe(h.hangs ? 1 : 2);
      for (const c of cases) {
        expect(c.outcome, c.id).toBe('failed');
        expect(c.actual ?? c.reason, c.id).toMatch(h.reason);
      }
      expect(receiver.offTargetRequests()).toBe(0);
      test.info().annotations.push({ type: 'wall time', description: `${r.ms} ms` });
      // A hung case costs one deadline (its one request is cut there); any other fails before the deadline.
      for (const c of cases)
        expect(c.durationMs, c.id).toBeLessThan(h.hangs ? DEADLINE_MS + SLACK_MS : DEADLINE_MS);
    } finally {
      await receiver.close();
    }
  });
}

/** One case of each area a run without observer assesses, beyond the two every receiver above gets. */
const ONE_PER_AREA = [
  'onenet.verify.signature-raw',
  'onenet.push.event-acked',
  'onenet.ack.burst',
  'onenet.dedup.redelivery-acked',
  'onenet.robust.huge-body',
  'onenet.robust.survives-bad-input',
];

test('a receiver that answers with bytes that are not HTTP fails a case of every area, each before the deadline', async () => {
  test.setTimeout(600_000);
  const receiver = await startHostile('not-http');
  try {
    const dir = scratch();
    const grep = ONE_PER_AREA.map((id) => id.replaceAll('.', '\\.')).join('|');
    const r = await runAgainst(receiver.url, grep, dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(idsWith(r.report, 'failed').sort()).toEqual([...ONE_PER_AREA].sort());
    for (const c of r.report?.cases ?? []) {
      expect(c.actual ?? c.reason, c.id).toMatch(HOSTILE['not-http'].reason);
      expect(c.durationMs, c.id).toBeLessThan(DEADLINE_MS);
    }
    test.info().annotations.push({ type: 'wall time', description: `${r.ms} ms` });
  } finally {
    await receiver.close();
  }
});

/** A TCP server that treats every connection with `onData`; `connections()` counts those it accepted. */
async function tcp(
  onData: (socket: Socket) => void,
): Promise<{ url: string; server: Server; connections: () => number }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => onData(socket));
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/onenet`, server, connections: () => accepted };
}

test('Ctrl-C stops a run against a hung receiver at once, with an incomplete report and exit code 130', async () => {
  const { url, server } = await tcp(() => {});
  try {
    const dir = scratch();
    const run = spawnRun(url, dir);
    // Interrupt once the first case is under way.
    await waitUntil(() => run.stdout().includes('pushcheck onenet'));
    await new Promise((r) => setTimeout(r, 1000));
    const sent = performance.now();
    run.child.kill('SIGINT');
    const code = await run.exited;
    expect(performance.now() - sent).toBeLessThan(10_000);
    expect(code).toBe(130);
    const report = join(dir, 'report.json');
    expect(existsSync(report)).toBe(true);
    expect(JSON.parse(readFileSync(report, 'utf8')).verdict).toBe('incomplete');
  } finally {
    server.close();
  }
});

test('a pushcheck killed outright takes its Playwright run down with it: no traffic after', async () => {
  const { url, server, connections } = await tcp(() => {});
  try {
    const run = spawnRun(url, scratch());
    await waitUntil(() => connections() >= 2);
    expect(connections()).toBeGreaterThanOrEqual(2);
    run.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 3000));
    const after = connections();
    // A run still going would open a connection at least every 5 s (the deadline of each hung request).
    await new Promise((r) => setTimeout(r, 7000));
    expect(connections()).toBe(after);
  } finally {
    server.close();
  }
});
