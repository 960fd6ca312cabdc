/**
 * The burst client (bench/wire.ts) and the burst generator (bench/load.ts): correct against good
 * servers (framing by length, chunks or close; interim answers; keep-alive and a connection per push), bounded
 * against bad ones (each hostile receiver fails the request with the reason the HTTP helper gives, by its
 * deadline, within its read limits), and the generator's pushes acked by the OneNET reference receiver, which
 * checks their signatures.
 */
import http from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { expect, test } from '@playwright/test';
import { HOSTILE, type HostileName, startHostile } from '../mocks/hostile/receivers.ts';
import { faultyBehaviour } from '../mocks/onenet/faulty.ts';
import { onenetHandlers, reference } from '../mocks/onenet/reference.ts';
import { serve } from '../mocks/serve.ts';
import { UsageError } from '../src/core/errors.ts';
import { RESPONSE_READ_LIMIT } from '../src/core/http.ts';
import { burst } from '../bench/load.ts';
import { PROFILES } from '../src/profiles.ts';
import { WireConnection, type WireOutcome, type WireRequest, wireTarget } from '../bench/wire.ts';
import { TOKEN } from './helpers.ts';

const DEADLINE_MS = 1000;
/** How late a request may end on a shared, loaded machine. */
const SLACK_MS = 3000;
const PUSH: WireRequest = {
  method: 'POST',
  path: '/p?x=1',
  headers: { 'content-type': 'application/json' },
  body: '{"msg":"温度"}',
};

/** A TCP server that answers every request (read up to its blank line and Content-Length) with `answer`. */
async function rawServer(
  answer: (socket: Socket, n: number) => void,
): Promise<{ server: Server; url: string; connections: () => number; requests: string[] }> {
  let connections = 0;
  const requests: string[] = [];
  const server = createServer((socket) => {
    connections++;
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.toString('latin1', 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        requests.push(pending.toString('utf8', 0, end + 4 + length));
        pending = pending.subarray(end + 4 + length);
        answer(socket, requests.length);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/p`,
    connections: () => connections,
    requests,
  };
}

/** One request to a server that answers it with `answer`. */
async function once(answer: (socket: Socket) => void): Promise<WireOutcome> {
  const s = await rawServer((socket) => answer(socket));
  const c = new WireConnection(wireTarget(s.url), { keepAlive: true, deadlineMs: DEADLINE_MS });
  try {
    return await c.request(PUSH);
  } finally {
    c.close();
    s.server.close();
  }
}

const bodyOf = (o: WireOutcome): string => o.response?.body.toString('utf8') ?? '';

test('sends the request as written, and reads a response framed by Content-Length, chunks or the close', async () => {
  const s = await rawServer((socket, n) => {
    if (n === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\nx-a: 2\r\n\r\nhel');
    if (n === 1) setTimeout(() => socket.write('lo'), 20);
    if (n === 2)
      socket.write(
        'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n',
      );
    if (n === 3) socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n');
    if (n === 4) socket.write('HTTP/1.1 200 OK\nContent-Length: 2\n\nok');
    if (n === 5) socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end');
  });
  const c = new WireConnection(wireTarget(s.url), { keepAlive: true, deadlineMs: DEADLINE_MS });
  try {
    const results: WireOutcome[] = [];
    for (let i = 0; i < 5; i++) results.push(await c.request(PUSH));
    const [length, chunked, interim, bareLf, close] = results;
    expect(length?.error).toBeUndefined();
    expect(length?.response?.status).toBe(200);
    expect(bodyOf(length!)).toBe('hello');
    expect(length?.response?.headers['x-a']).toBe('1, 2');
    expect(chunked?.response?.status).toBe(201);
    expect(bodyOf(chunked!)).toBe('abcde');
    expect(interim?.response?.status).toBe(204);
    expect(bodyOf(interim!)).toBe('');
    expect(bareLf?.response?.status).toBe(200);
    expect(bodyOf(bareLf!)).toBe('ok');
    expect(close?.error).toBeUndefined();
    expect(bodyOf(close!)).toBe('until the end');
    // Four answers on one kept-alive connection; the HTTP/1.0 one was the last on it.
    expect(s.connections()).toBe(1);
    const body = Buffer.from(PUSH.body, 'utf8');
    expect(s.requests[0]).toBe(
      `POST /p?x=1 HTTP/1.1\r\nHost: ${new URL(s.url).host}\r\ncontent-type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${PUSH.body}`,
    );
  } finally {
    c.close();
    s.server.close();
  }
});

test('keeps a connection alive across requests, or opens one per request with Connection: close', async () => {
  let connections = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(req.headers.connection ?? 'none'));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const target = wireTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  try {
    const kept = new WireConnection(target, { keepAlive: true, deadlineMs: DEADLINE_MS });
    for (let i = 0; i < 5; i++) expect((await kept.request(PUSH)).response?.status).toBe(200);
    kept.close();
    expect(connections).toBe(1);
    const fresh = new WireConnection(target, { keepAlive: false, deadlineMs: DEADLINE_MS });
    for (let i = 0; i < 3; i++) expect(bodyOf(await fresh.request(PUSH))).toBe('close');
    fresh.close();
    expect(connections).toBe(4);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a connection the server closed while idle, or that sent bytes past a response, is not used again', async () => {
  const s = await rawServer((socket, n) => {
    if (n === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokSURPLUS');
    if (n === 2)
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', () =>
        setTimeout(() => socket.end(), 10),
      );
    if (n === 3) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
  });
  const c = new WireConnection(wireTarget(s.url), { keepAlive: true, deadlineMs: DEADLINE_MS });
  try {
    expect(bodyOf(await c.request(PUSH))).toBe('ok');
    expect(bodyOf(await c.request(PUSH))).toBe('ok');
    await new Promise((r) => setTimeout(r, 100));
    const third = await c.request(PUSH);
    expect(third.error).toBeUndefined();
    expect(s.connections()).toBe(3);
  } finally {
    c.close();
    s.server.close();
  }
});

test('malformed answers fail the request with what was wrong, and the connection is dropped', async () => {
  const cases: [string, RegExp][] = [
    ['HTTP/1.1 2000 OK\r\n\r\n', /not valid HTTP \(status line "HTTP\/1.1 2000 OK"\)/],
    ['HTTP/1.1 200 OK\r\nbad header\r\n\r\n', /not valid HTTP \(header line "bad header"\)/],
    [
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok',
      /not valid HTTP \(Content-Length "2, 3"\)/,
    ],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /not valid HTTP \(a chunk size "zz"\)/],
    [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX\r\n',
      /a chunk did not end where its size said/,
    ],
    [
      'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort',
      /cut short: the receiver closed the connection after 5 of 10 body bytes/,
    ],
    ['', /closed the connection without answering/],
  ];
  for (const [answer, reason] of cases) {
    const o = await once((socket) => socket.end(answer));
    expect(o.error, JSON.stringify(answer)).toMatch(reason);
    expect(o.totalMs).toBeLessThan(DEADLINE_MS);
  }
});

test('a chunked body over the limit is cut as soon as a chunk size passes it', async () => {
  const s = await rawServer((socket) =>
    socket.write(
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(64).toString(16)}\r\n${'a'.repeat(64)}\r\n${(64).toString(16)}\r\n`,
    ),
  );
  const c = new WireConnection(wireTarget(s.url), {
    keepAlive: true,
    deadlineMs: DEADLINE_MS,
    bodyLimit: 100,
  });
  try {
    const o = await c.request(PUSH);
    expect(o.error).toMatch(/the response body exceeded 100 bytes; pushcheck stopped reading it/);
    expect(o.response?.status).toBe(200);
    expect(o.response?.body.length).toBe(64);
  } finally {
    c.close();
    s.server.close();
  }
});

for (const [name, h] of Object.entries(HOSTILE)) {
  if (name === 'tls-close') continue;
  test(`a receiver that ${h.does}: the burst client fails the request by its deadline, with the helper's reason`, async () => {
    const receiver = await startHostile(name as HostileName);
    // Those that hang cost a deadline each, so theirs is short; the others get the HTTP helper test's 3 s, as
    // some take a while to write what they write on a loaded machine.
    const deadlineMs = h.hangs ? DEADLINE_MS : 3000;
    const c = new WireConnection(wireTarget(receiver.url), { keepAlive: true, deadlineMs });
    try {
      for (let i = 0; i < 2; i++) {
        const o = await c.request(PUSH);
        if (name.startsWith('redirect')) {
          // A redirect is the receiver's answer, kept as it is (the generator's ack rule then refuses it).
          expect(o.error).toBeUndefined();
          expect(o.response?.status).toBe(307);
          expect(o.response?.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(hostile|elsewhere)$/);
        } else expect(o.error).toMatch(h.reason);
        expect(o.totalMs).toBeLessThan(deadlineMs + SLACK_MS);
        if (h.hangs) expect(o.totalMs).toBeGreaterThanOrEqual(deadlineMs - 1);
        expect(o.response?.body.length ?? 0).toBeLessThanOrEqual(RESPONSE_READ_LIMIT);
      }
      expect(receiver.offTargetRequests()).toBe(0);
      // A failed request never leaves its connection for the next one; a redirect is an answer, not followed.
      expect(receiver.connections()).toBe(2);
    } finally {
      c.close();
      await receiver.close();
    }
  });
}

test('an endless or 1 GB body: the burst client takes little more than its read limit, then hangs up', async () => {
  for (const name of ['endless-body', 'gigabyte-body'] as const) {
    const receiver = await startHostile(name);
    const c = new WireConnection(wireTarget(receiver.url), { keepAlive: true, deadlineMs: 5000 });
    try {
      const o = await c.request(PUSH);
      expect(o.error).toMatch(/exceeded \d+ bytes/);
      await new Promise((r) => setTimeout(r, 200));
      expect(receiver.bytesWritten()).toBeLessThan(RESPONSE_READ_LIMIT + 16 * 1024 * 1024);
    } finally {
      c.close();
      await receiver.close();
    }
  }
});

test('refuses targets off this host and https, in one sentence', () => {
  for (const url of [
    'http://example.com/x',
    'https://127.0.0.1:8443/x',
    'http://10.0.0.1/x',
    'not a url',
    'http://127.0.0.1:0/x',
  ]) {
    expect(() => wireTarget(url)).toThrow(UsageError);
  }
  expect(() => wireTarget('http://example.com/x')).toThrow(/sends plain HTTP to this host only/);
  expect(wireTarget('http://[::1]:8080/x')).toEqual({ host: '::1', port: 8080, authority: '[::1]:8080' });
});

const onenet = PROFILES.onenet;
const hook = onenet?.fuzz;

test('the generator: every signed push is acked by the reference receiver, which checks each signature', async () => {
  if (!onenet || !hook) throw new Error('the onenet profile has no fuzz hook');
  const server = await serve(onenetHandlers({ token: TOKEN }, reference));
  try {
    const settings = onenet.configure({ token: TOKEN }, {});
    const common = {
      hook,
      settings,
      target: `${server.origin}/onenet`,
      runTag: '77',
      seed: 3,
      concurrency: 4,
      deadlineMs: 5000,
    };
    for (const keepAlive of [true, false]) {
      const r = await burst({ ...common, durationMs: 10_000, keepAlive, maxMessages: 60 });
      expect(r.failures).toEqual([]);
      expect(r.sent).toBe(60);
      expect(r.acked).toBe(60);
      expect(r.perSecond).toBeGreaterThan(0);
    }
    // Signed with another token, the same pushes are refused: the acks above were earned.
    const forged = await burst({
      ...common,
      settings: onenet.configure({ token: 'another-token' }, {}),
      durationMs: 10_000,
      keepAlive: true,
      maxMessages: 20,
    });
    expect(forged.acked).toBe(0);
    expect(forged.failures.map((f) => [f.kind, f.count])).toEqual([
      [expect.stringMatching(/^HTTP 4\d\d$/), 20],
    ]);
  } finally {
    await server.close();
  }
});

test('the generator counts what a receiver did instead of acking, with the reason, and stops on time', async () => {
  if (!onenet || !hook) throw new Error('the onenet profile has no fuzz hook');
  const settings = onenet.configure({ token: TOKEN }, {});
  const server = await serve(onenetHandlers({ token: TOKEN }, faultyBehaviour('ack-204')));
  const reset = await startHostile('reset-mid-response');
  const hangs = await startHostile('never-answers');
  try {
    const common = { hook, settings, runTag: '77', seed: 3, concurrency: 3, keepAlive: true };
    const noContent = await burst({
      ...common,
      target: `${server.origin}/onenet`,
      durationMs: 10_000,
      deadlineMs: 5000,
      maxMessages: 30,
    });
    expect(noContent.acked).toBe(0);
    expect(noContent.failures).toEqual([
      { kind: 'HTTP 204', count: 30, example: expect.stringMatching(/^HTTP 204 with an empty body/) },
    ]);
    const cut = await burst({
      ...common,
      target: reset.url,
      durationMs: 10_000,
      deadlineMs: 5000,
      maxMessages: 9,
    });
    expect(cut.acked).toBe(0);
    expect(cut.failures.reduce((n, f) => n + f.count, 0)).toBe(9);
    for (const f of cut.failures) expect(f.example).toMatch(HOSTILE['reset-mid-response'].reason);
    const t0 = performance.now();
    const hung = await burst({ ...common, target: hangs.url, durationMs: 300, deadlineMs: 800 });
    expect(performance.now() - t0).toBeLessThan(300 + 800 + SLACK_MS);
    expect(hung.sent).toBe(3);
    expect(hung.failures).toEqual([
      { kind: 'deadline', count: 3, example: expect.stringMatching(/no complete response within 800 ms/) },
    ]);
  } finally {
    await Promise.all([server.close(), reset.close(), hangs.close()]);
  }
});

test('the generator refuses a target off this host before sending anything', async () => {
  if (!onenet || !hook) throw new Error('the onenet profile has no fuzz hook');
  const settings = onenet.configure({ token: TOKEN }, {});
  const run = burst({
    hook,
    settings,
    target: 'http://192.0.2.1/onenet',
    runTag: '77',
    seed: 1,
    concurrency: 1,
    durationMs: 100,
    deadlineMs: 100,
    keepAlive: true,
  });
  await expect(run).rejects.toThrow(UsageError);
});
