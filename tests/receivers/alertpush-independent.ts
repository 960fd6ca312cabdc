/**
 * An independent alert server for the edge box ("DataPush → Alarm → HTTP"), written from the vendor's samples
 * as the vendor's KS-server-demo describes them, in the shape of the Python demo (main.py, alert.py) but with its gaps closed:
 * only `node:` built-ins, no msw, nothing shared with mocks/alertpush.
 *
 * - GET  /token: a fresh token_hex(32) as text/plain, remembered for 20 minutes.
 * - POST /alert, /video: `authorization` must be "Bearer " and a remembered token (or the fixed one), else 403;
 *   the raw body is parsed whatever its Content-Type; image/video Base64-decoded strictly; the image saved as
 *   <n>.jpg in imageDir; a text line "alert <id>" appended to observeFile; 200 {"code": 0}.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readLimited } from './read-body.ts';

export interface IndependentAlertServerOptions {
  /** Fixed-token mode when set; token-script mode otherwise. */
  bearer?: string;
  observeFile: string;
  imageDir: string;
}

export interface RunningAlertServer {
  origin: string;
  close(): Promise<void>;
}

const LIMIT = 32 * 1024 * 1024;
const LIFETIME_MS = 20 * 60_000;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function strictBase64(text: unknown): Buffer | undefined {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
    return undefined;
  return Buffer.from(text, 'base64');
}

export async function startIndependentAlertServer(
  opts: IndependentAlertServerOptions,
): Promise<RunningAlertServer> {
  const tokens = new Map<string, number>();
  let saved = 0;

  const authorised = (header: string | undefined): boolean => {
    if (header === undefined || !header.startsWith('Bearer ')) return false;
    const token = header.slice('Bearer '.length);
    if (opts.bearer !== undefined) return token === opts.bearer;
    const at = tokens.get(token);
    return at !== undefined && Date.now() - at < LIFETIME_MS;
  };

  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/token' && opts.bearer === undefined) {
        const token = randomBytes(32).toString('hex');
        tokens.set(token, Date.now());
        res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
        return;
      }
      if (req.method !== 'POST' || (path !== '/alert' && path !== '/video')) {
        reply(res, 404, { code: 404 });
        return;
      }
      if (!authorised(req.headers.authorization)) {
        reply(res, 403, { code: 403, msg: 'forbidden' });
        return;
      }
      const raw = await readLimited(req, LIMIT);
      if (raw === undefined) {
        reply(res, 413, { code: 413 });
        return;
      }
      let alert: Record<string, unknown>;
      try {
        alert = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        reply(res, 400, { code: 400, msg: 'invalid json' });
        return;
      }
      if (typeof alert !== 'object' || alert === null || typeof alert.id !== 'string') {
        reply(res, 400, { code: 400, msg: 'no id' });
        return;
      }
      const media = strictBase64(path === '/alert' ? alert.image : alert.video);
      if (media === undefined) {
        reply(res, 400, { code: 400, msg: 'bad base64' });
        return;
      }
      if (path === '/alert') await writeFile(join(opts.imageDir, `${++saved}.jpg`), media);
      await appendFile(opts.observeFile, `${path.slice(1)} ${alert.id}\n`);
      reply(res, 200, { code: 0 });
    } catch {
      if (!res.headersSent) reply(res, 500, { code: 500 });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
