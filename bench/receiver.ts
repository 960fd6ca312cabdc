/**
 * The benchmark's receiver, in its own process so that its clock and event loop are not pushcheck's. It acks
 * every request with 200 after `?delay=MS` (default 0) and, for requests with `?id=`, prints one JSON line:
 * when the request arrived (its head parsed) and when the last byte of the answer was handed to the kernel,
 * both in epoch milliseconds with microsecond resolution.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const now = (): number => performance.timeOrigin + performance.now();

const server = http.createServer((req, res) => {
  const arrived = now();
  const url = new URL(req.url ?? '/', 'http://x');
  const delay = Number(url.searchParams.get('delay') ?? 0);
  const id = url.searchParams.get('id');
  req.resume();
  req.on('end', () => {
    setTimeout(() => {
      res.end('ok', () => {
        if (id !== null) process.stdout.write(`${JSON.stringify({ id, arrived, answered: now() })}\n`);
      });
    }, delay);
  });
});
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
// Bounded: the bench stops it, and it stops itself after ten minutes whatever happens.
setTimeout(() => process.exit(0), 600_000).unref();
process.on('SIGTERM', () => process.exit(0));
