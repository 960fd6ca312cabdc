/**
 * Receivers that hang, reset connections or answer with garbage: every case fails with a reason a person
 * understands, the run ends within its bound, and the exit code says non-conformant.
 */

import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { idsWith, pushcheck, scratch, spawnRun, TOKEN } from './helpers.ts';

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

const HOSTILE = [
  { name: 'never answers', reason: /no complete response within \d+ ms/, onData: () => {} },
  { name: 'resets every connection', reason: /reset/, onData: (s: Socket) => s.resetAndDestroy() },
  {
    name: 'answers with bytes that are not HTTP',
    reason: /not HTTP/,
    onData: (s: Socket) => s.end('SSH-2.0-OpenSSH_9.2\r\n\u0000\u0001garbage\r\n\r\n'),
  },
];

for (const h of HOSTILE) {
  test(`a receiver that ${h.name} fails every assessed case, with the reason`, async () => {
    test.setTimeout(300_000);
    const { url, server } = await tcp(h.onData);
    try {
      const dir = scratch();
      const r = await pushcheck(
        ['run', '--profile', 'onenet', '--target', url, '--token', TOKEN, '--report', dir],
        dir,
      );
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const assessed = (r.report?.cases ?? []).filter(
        (c) => c.outcome === 'passed' || c.outcome === 'failed',
      );
      // A hung or broken receiver cannot echo or ack; only "do not echo a forgery" can pass against it.
      expect(idsWith(r.report, 'passed')).toEqual(['onenet.verify.forged-not-echoed']);
      for (const c of assessed.filter((k) => k.outcome === 'failed'))
        expect(c.actual ?? c.reason).toMatch(h.reason);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      test.info().annotations.push({ type: 'wall time', description: `${r.ms} ms` });
      // The bound: every request is cut at the 5 s deadline; no case waits for more than its requests.
      expect(r.ms).toBeLessThan(240_000);
    } finally {
      server.close();
    }
  });
}

test('Ctrl-C stops a run against a hung receiver at once, with an incomplete report and exit code 2', async () => {
  const { url, server } = await tcp(() => {});
  try {
    const dir = scratch();
    const child = spawnRun(url, dir);
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    // Interrupt once the first case is under way.
    for (let i = 0; i < 200 && !out.includes('pushcheck onenet'); i++)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));
    const sent = performance.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(performance.now() - sent).toBeLessThan(10_000);
    expect(code).toBe(2);
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
    const child = spawnRun(url, scratch());
    for (let i = 0; i < 200 && connections() < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(connections()).toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 3000));
    const after = connections();
    // A run still going would open a connection at least every 5 s (the deadline of each hung request).
    await new Promise((r) => setTimeout(r, 7000));
    expect(connections()).toBe(after);
  } finally {
    server.close();
  }
});
