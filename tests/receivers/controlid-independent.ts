/**
 * An independent Control iD push server, written from the vendor document (the Control iD Push mode document) and the
 * pushcheck state-hook contract alone, with only `node:` built-ins, to cross-check pushcheck's verdicts on a
 * server its mocks did not shape. Its design differs from the reference on purpose:
 *
 * - delivery is at-least-once: a command stays in flight until a result names its uuid, and a device that
 *   polls again without posting one gets it again (the reference forgets a command once delivered);
 * - device ids are kept as the text the device sent, commands as the JSON text they were queued with;
 * - idle polls and results get `200` with no body and no Content-Type; a result it cannot read gets `400`;
 * - it logs every result it reads as `<deviceId> <uuid> <the result JSON>` to a file.
 */
import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readLimited } from './read-body.ts';

export interface IndependentServer {
  /** The base URL (push_remote_address). */
  base: string;
  stateUrl: string;
  close(): Promise<void>;
}

interface Entry {
  json: string;
  uuid?: string;
}

const MAX_BODY = 256 * 1024;

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  return (await readLimited(req, MAX_BODY))?.toString('utf8');
}

/** Starts the server on loopback; results are logged to `logFile`. */
export async function startIndependentPushServer(logFile: string): Promise<IndependentServer> {
  const queues = new Map<string, Entry[]>();
  const queueOf = (id: string) => {
    if (!queues.has(id)) queues.set(id, []);
    return queues.get(id) as Entry[];
  };
  const empty = (res: ServerResponse, status = 200) => {
    res.writeHead(status, { 'content-length': '0' });
    res.end();
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const deviceId = url.searchParams.get('deviceId') ?? '';
      const uuid = url.searchParams.get('uuid') ?? undefined;
      if (req.method === 'GET' && url.pathname === '/cid/push') {
        if (!/^-?\d+$/.test(deviceId)) return empty(res, 400);
        const next = queueOf(deviceId)[0];
        if (!next) return empty(res);
        if (uuid !== undefined) next.uuid = uuid;
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(next.json);
      }
      if (req.method === 'POST' && url.pathname === '/cid/result') {
        const text = await readBody(req);
        let result: unknown;
        try {
          result = text ? JSON.parse(text) : undefined;
        } catch {
          result = undefined;
        }
        const r = result as { response?: unknown; error?: unknown } | undefined;
        if (!r || typeof r !== 'object' || (r.response === undefined && typeof r.error !== 'string')) {
          res.writeHead(400, { 'content-type': 'text/plain' });
          return res.end('result must be JSON with response or error');
        }
        const queue = queueOf(deviceId);
        const at = queue.findIndex((e) => e.uuid !== undefined && e.uuid === uuid);
        if (at >= 0) queue.splice(at, 1);
        await appendFile(logFile, `${deviceId} ${uuid ?? '-'} ${JSON.stringify(result)}\n`);
        return empty(res);
      }
      if (req.method === 'POST' && url.pathname === '/hooks/provider-state') {
        const state = JSON.parse((await readBody(req)) ?? '') as {
          state?: string;
          params?: { deviceId?: string; command?: unknown; keep?: string[] };
        };
        if (state.state === 'reset') {
          for (const id of queues.keys()) if (!state.params?.keep?.includes(id)) queues.delete(id);
        } else if (state.state === 'command queued' && typeof state.params?.deviceId === 'string') {
          queueOf(state.params.deviceId).push({ json: JSON.stringify(state.params.command) });
        } else return empty(res, 422);
        return empty(res);
      }
      return empty(res, 404);
    } catch {
      return empty(res, 400);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/cid`,
    stateUrl: `http://127.0.0.1:${port}/hooks/provider-state`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
