/**
 * Serves any set of msw handlers over real HTTP on loopback, so that the suite always talks real HTTP to the
 * reference and faulty receivers. A handler's `HttpResponse.error()` becomes a destroyed connection, as msw
 * documents it: a network error.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export interface ServeOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Bodies larger than this are refused with 413 without being buffered. */
  maxBodyBytes?: number;
  /** Serve HTTPS with this PEM key and certificate (src/core/tls.ts makes one). */
  tls?: { key: string; cert: string };
}

export interface RunningServer {
  /** The origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/** A safety cap of the adapter; receivers set their own, smaller limits. */
export const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

/** Past this, even a body being discarded is cut off by closing the connection. */
const DISCARD_LIMIT = 64 * 1024 * 1024;

/** Reads the body; one over `max` is read to its end and discarded, so the client sees the 413, not a reset. */
async function readBody(req: http.IncomingMessage, max: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DISCARD_LIMIT) req.socket.destroy();
    if (size <= max) chunks.push(chunk);
  }
  return size > max ? 'too-large' : Buffer.concat(chunks);
}

/** Starts serving `handlers`; resolves once listening. */
export async function serve(handlers: RequestHandler[], opts: ServeOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const max = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let origin = '';
  const listener: http.RequestListener = async (req, res) => {
    try {
      const body = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(req, max);
      if (body === 'too-large') {
        res.writeHead(413).end('body too large');
        return;
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      const request = new Request(new URL(req.url ?? '/', origin), {
        method: req.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
      const response = await getResponse(handlers, request, { baseUrl: origin });
      if (!response) {
        res.writeHead(404).end();
        return;
      }
      if (response.type === 'error') {
        req.socket.destroy();
        return;
      }
      const out = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(out);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    }
  };
  const server = opts.tls ? https.createServer(opts.tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  origin = `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
