/**
 * The HTTP helper against every hostile receiver: each exchange ends by its deadline with a reason a person
 * understands, never reads more than its limit, and never follows a redirect.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { HOSTILE, type HostileName, startHostile } from '../../mocks/hostile/receivers.ts';
import { describeResponse } from '../../src/core/case.ts';
import { RESPONSE_READ_LIMIT, send } from '../../src/core/http.ts';

const DEADLINE_MS = 3000;
/** How late an exchange may end on a shared, loaded machine (the receivers share this process). */
const SLACK_MS = 3000;

for (const [name, h] of Object.entries(HOSTILE)) {
  test(`a receiver that ${h.does}: the exchange ends by its deadline, with the reason`, async () => {
    const receiver = await startHostile(name as HostileName);
    try {
      for (const method of ['GET', 'POST'] as const) {
        const ex = await send({
          method,
          url: `${receiver.url}?probe=1`,
          ...(method === 'POST'
            ? { body: '{"msg":"x"}', headers: { 'content-type': 'application/json' } }
            : {}),
          deadlineMs: DEADLINE_MS,
        });
        const said = describeResponse(ex);
        expect(said).toMatch(h.reason);
        expect(said).not.toMatch(/\n\s+at /);
        expect(ex.timings.totalMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
        if (h.hangs) expect(ex.timings.totalMs).toBeGreaterThanOrEqual(DEADLINE_MS - 1);
        expect(ex.response?.raw.length ?? 0).toBeLessThanOrEqual(RESPONSE_READ_LIMIT);
        // A status the receiver did send is kept, so a redirect is reported as what it is.
        if (name.startsWith('redirect')) expect(ex.response?.status).toBe(307);
      }
      expect(receiver.offTargetRequests()).toBe(0);
      // One connection per request: a redirect was not followed, not even to the same URL.
      expect(receiver.connections()).toBe(2);
    } finally {
      await receiver.close();
    }
  });
}

test('an endless or 1 GB body: pushcheck takes little more than its read limit, then hangs up', async () => {
  for (const name of ['endless-body', 'gigabyte-body'] as const) {
    const receiver = await startHostile(name);
    try {
      const ex = await send({ method: 'GET', url: receiver.url, deadlineMs: 5000 });
      expect(ex.response?.truncated).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      // What the receiver could write: the read limit plus what socket buffers on both sides hold.
      expect(receiver.bytesWritten()).toBeLessThan(RESPONSE_READ_LIMIT + 16 * 1024 * 1024);
    } finally {
      await receiver.close();
    }
  }
});

test('with a keep-alive agent, complete exchanges share one connection; without one, each has its own', async () => {
  let connections = 0;
  const server = http.createServer((_req, res) => res.end('ok'));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < 3; i++)
      expect((await send({ method: 'GET', url, deadlineMs: 2000, agent })).response?.status).toBe(200);
    expect(connections).toBe(1);
    for (let i = 0; i < 2; i++) await send({ method: 'GET', url, deadlineMs: 2000 });
    expect(connections).toBe(3);
  } finally {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  }
});
