/** The one HTTP helper: exact request targets, hard deadlines, answers kept when the connection then closes. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { requestTarget, send } from '../src/core/http.ts';

test('the request target is what was written after the authority, raw + included', () => {
  const t = (raw: string) => requestTarget(raw, new URL(raw));
  expect(t('http://127.0.0.1:8080/onenet?signature=a+b/c==')).toBe('/onenet?signature=a+b/c==');
  expect(t('http://LOCALHOST/x?a=1')).toBe('/x?a=1');
  expect(t('http://h:80/p')).toBe('/p');
  expect(t('https://user:pw@h:443/p?q')).toBe('/p?q');
  expect(t('http://h')).toBe('/');
  expect(t('http://h/推送?a=b c')).toBe('/%E6%8E%A8%E9%80%81?a=b%20c');
});

test('a status that arrives before the receiver closes the connection is kept', async () => {
  // Sends a 413's head at once, then resets the connection while the client is still uploading.
  const server = http.createServer((req, res) => {
    res.writeHead(413, { connection: 'close', 'content-length': '100' });
    res.flushHeaders();
    setTimeout(() => req.socket.resetAndDestroy(), 50);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const ex = await send({
      method: 'POST',
      url: `http://127.0.0.1:${port}/`,
      body: Buffer.alloc(8 * 1024 * 1024, 120),
      deadlineMs: 5000,
    });
    expect(ex.response?.status).toBe(413);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a request that cannot be sent resolves with the reason instead of throwing', async () => {
  const ex = await send({
    method: 'GET',
    url: 'http://127.0.0.1:1/',
    headers: { 'bad header\n': 'x' },
    deadlineMs: 1000,
  });
  expect(ex.error).toMatch(/could not send this request/);
});
