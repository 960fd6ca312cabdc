/**
 * Hostile receivers: servers that are wrong in the ways a conformance tool meets in the field, below the level
 * msw can express (no answer, a reset mid-response, bytes that are not HTTP, an endless body, a closed TLS
 * handshake). They speak raw TCP on 127.0.0.1 and are protocol-agnostic: every profile's suite must survive
 * them. Each one bounds its own loops, so a client that keeps reading still ends.
 */
import http from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface RunningHostile {
  /** The target URL (path `/hostile`; `https:` for the TLS receiver). */
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Bytes written to all connections so far: shows how much of an endless body a client took. */
  bytesWritten(): number;
  /** Requests that reached the other origin a redirect points to (0 unless the receiver redirects there). */
  offTargetRequests(): number;
  close(): Promise<void>;
}

export interface HostileReceiver {
  /** What it does, as a sentence fragment: "a receiver that never answers". */
  does: string;
  /** The words pushcheck must use in every failed case's reason. */
  reason: RegExp;
  /** Whether its failures only come at the request deadline (it hangs or trickles). */
  hangs: boolean;
}

/** At most this much of an endless or 1 GB body is ever written to one connection. */
export const BODY_CAP = 1024 ** 3;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

export const HOSTILE = {
  'never-answers': {
    does: 'reads the request and never answers',
    reason: /no complete response within \d+ ms/,
    hangs: true,
  },
  silent: {
    does: 'accepts the connection, reads nothing and says nothing',
    reason: /no complete response within \d+ ms/,
    hangs: true,
  },
  'reset-mid-response': {
    does: 'sends a 200 head and part of the body, then resets the connection',
    reason: /cut short|reset/,
    hangs: false,
  },
  'endless-body': {
    does: 'answers 200 with a chunked body that never ends',
    reason: /exceeded \d+ bytes; pushcheck stopped reading/,
    hangs: false,
  },
  'gigabyte-body': {
    does: 'answers 200 with a 1 GB body',
    reason: /exceeded \d+ bytes; pushcheck stopped reading/,
    hangs: false,
  },
  trickle: {
    does: 'answers 200, one byte a second',
    reason: /no complete response within \d+ ms \(\d+ bytes of response arrived/,
    hangs: true,
  },
  'not-http': {
    does: 'answers with bytes that are not HTTP',
    reason: /not valid HTTP/,
    hangs: false,
  },
  'bad-framing': {
    does: 'answers a status line with a Content-Length that is not a number',
    reason: /not valid HTTP/,
    hangs: false,
  },
  'endless-headers': {
    does: 'answers 200 with headers that never end',
    reason: /headers larger than 16 KiB/,
    hangs: false,
  },
  'redirect-loop': {
    does: 'redirects every request to itself',
    reason: /HTTP 307 redirecting to .* \(not followed/,
    hangs: false,
  },
  'redirect-off-target': {
    does: 'redirects every request to another origin',
    reason: /HTTP 307 redirecting to .* \(not followed/,
    hangs: false,
  },
  'tls-close': {
    does: 'closes the TLS handshake',
    reason: /TLS handshake/,
    hangs: false,
  },
} as const satisfies Record<string, HostileReceiver>;

export type HostileName = keyof typeof HOSTILE;

/** Writes `total` bytes (at most {@link BODY_CAP}) with backpressure; stops when the connection closes. */
function stream(socket: Socket, total: number, chunked: boolean): void {
  let sent = 0;
  const pump = (): void => {
    while (!socket.destroyed && sent < total) {
      const n = Math.min(CHUNK.length, total - sent);
      sent += n;
      const piece = CHUNK.subarray(0, n);
      const ok = chunked
        ? socket.write(Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece, Buffer.from('\r\n')]))
        : socket.write(piece);
      if (!ok) {
        socket.once('drain', pump);
        return;
      }
    }
    if (!socket.destroyed) socket.end(chunked ? '0\r\n\r\n' : '');
  };
  pump();
}

/** Writes `bytes` one a second; stops when the connection closes. */
function trickle(socket: Socket, bytes: Buffer): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= bytes.length) {
      clearInterval(timer);
      if (!socket.destroyed) socket.end();
      return;
    }
    socket.write(bytes.subarray(i, ++i));
  }, 1000);
  socket.once('close', () => clearInterval(timer));
}

/** How each receiver treats a connection, once the first request bytes arrived. */
function behave(name: HostileName, socket: Socket, self: string, other: string): void {
  const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`;
  switch (name) {
    case 'never-answers':
    case 'silent':
      return;
    case 'reset-mid-response':
      socket.write(head(['HTTP/1.1 200 OK', 'Content-Length: 100', 'Content-Type: text/plain']) + 'ok, but');
      setTimeout(() => socket.resetAndDestroy(), 20);
      return;
    case 'endless-body':
      socket.write(head(['HTTP/1.1 200 OK', 'Transfer-Encoding: chunked']));
      return stream(socket, BODY_CAP, true);
    case 'gigabyte-body':
      socket.write(head(['HTTP/1.1 200 OK', `Content-Length: ${1024 ** 3}`]));
      return stream(socket, 1024 ** 3, false);
    case 'trickle':
      return trickle(
        socket,
        Buffer.from(head(['HTTP/1.1 200 OK', 'Content-Length: 2', 'Connection: close']) + 'ok'),
      );
    case 'not-http':
      socket.end('SSH-2.0-OpenSSH_9.2\r\n\u0000\u0001garbage\r\n\r\n');
      return;
    case 'bad-framing':
      socket.end(head(['HTTP/1.1 200 OK', 'Content-Length: ten']) + 'ok');
      return;
    case 'endless-headers': {
      socket.write('HTTP/1.1 200 OK\r\n');
      let n = 0;
      // Bounded: a client that keeps reading headers gets 1 MiB of them, then the connection closes.
      const more = (): void => {
        while (!socket.destroyed && n < 32_768) {
          n++;
          if (!socket.write(`X-Padding-${n}: ${'y'.repeat(20)}\r\n`)) {
            socket.once('drain', more);
            return;
          }
        }
        if (!socket.destroyed) socket.end();
      };
      return more();
    }
    case 'redirect-loop':
    case 'redirect-off-target':
      socket.end(
        head([
          'HTTP/1.1 307 Temporary Redirect',
          `Location: ${name === 'redirect-loop' ? self : other}`,
          'Content-Length: 0',
          'Connection: close',
        ]),
      );
      return;
    case 'tls-close':
      // The first bytes of an https client are its ClientHello: closing now ends the handshake.
      socket.destroy();
      return;
  }
}

/** Starts the hostile receiver `name` on 127.0.0.1. */
export async function startHostile(name: HostileName): Promise<RunningHostile> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let closedBytes = 0;
  let offTarget = 0;
  // The origin a redirect points to: an ordinary server that would ack anything, were it ever reached.
  const elsewhere = http.createServer((_req, res) => {
    offTarget++;
    res.end('ok');
  });
  await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
  const other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/elsewhere`;
  let self = '';
  const server: Server = createServer({ pauseOnConnect: name === 'silent' }, (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
    if (name !== 'silent') socket.once('data', () => behave(name, socket, self, other));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  self = `${name === 'tls-close' ? 'https' : 'http'}://127.0.0.1:${port}/hostile`;
  return {
    url: self,
    connections: () => accepted,
    bytesWritten: () => [...sockets].reduce((n, s) => n + s.bytesWritten, closedBytes),
    offTargetRequests: () => offTarget,
    close: async () => {
      for (const s of sockets) s.destroy();
      elsewhere.closeAllConnections();
      await Promise.all([
        new Promise<void>((r) => server.close(() => r())),
        new Promise<void>((r) => elsewhere.close(() => r())),
      ]);
    },
  };
}
