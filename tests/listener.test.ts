/** The listen commands' core: bodies read to a cap, and a listener that ends on its duration or on a stop. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { collectBody, Listener } from '../src/core/listener.ts';

test('a body is kept to the cap, across chunks, and its whole size is told', async () => {
  const got: { kept: string; size: number }[] = [];
  const server = http.createServer((req, res) => {
    collectBody(req, 10, (body, size) => {
      got.push({ kept: body.toString('utf8'), size });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    await fetch(url, { method: 'POST', body: '0123456789' });
    // Chunks of 6 bytes: the first fits, the second would pass the cap and is dropped with all that follows.
    const chunks = ['abcdef', 'ghijkl', 'mn'];
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.shift();
        if (next === undefined) c.close();
        else c.enqueue(new TextEncoder().encode(next));
      },
    });
    await fetch(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
  } finally {
    server.close();
  }
  expect(got[0]).toEqual({ kept: '0123456789', size: 10 });
  expect(got[1]?.size).toBe(14);
  expect(got[1]?.kept.length).toBeLessThanOrEqual(10);
  expect('abcdefghij'.startsWith(got[1]?.kept ?? 'x')).toBe(true);
});

test('a listener ends at its duration, or at once on a stop, and says where it listened', async () => {
  let at = '';
  const timed = new Listener({ host: '127.0.0.1', port: 0, durationMs: 300, onListening: (u) => (at = u) });
  const t = await timed.serve('/p', () => undefined);
  expect(at).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/p$/);
  expect(t.durationMs).toBeGreaterThanOrEqual(290);
  expect(t.lagMs).toBeGreaterThanOrEqual(0);

  const stopped = new Listener({ host: '127.0.0.1', port: 0, durationMs: 60_000, stop: Promise.resolve() });
  const s = await stopped.serve('/p', () => undefined);
  expect(s.durationMs).toBeLessThan(30_000);
});
