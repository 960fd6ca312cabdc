/**
 * An independent Eye4 alarm receiver, written from the vendor document alone (the Eye4 alarm access document), on node:http
 * with no pushcheck code, so that pushcheck's verdicts can be cross-checked on a server nobody shaped to
 * them. It differs from the msw reference wherever the document leaves room:
 * - one URL for both callbacks, telling them apart by their members (`did` → alarm; a key → resource);
 * - the guid compared in constant time; 401 for a forgery, 204 (not 200) for everything it accepts;
 * - the fileid of a resource message read from `d009_id` first (the table's reading), then `key`/`Key`;
 * - alarms de-duplicated on did + fileid (or on the whole body for a reminder);
 * - the playback lookup made after answering, asynchronously, with userid and authkey in the body;
 * - processed alarms logged as plain text lines, not JSON.
 */
import { timingSafeEqual } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IndependentEye4Options {
  guid: string;
  observeFile: string;
  /** The Eye4 API base URL (pushcheck's mock in the tests). */
  apiBase: string;
}

export interface RunningReceiver {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function sameGuid(got: string | string[] | undefined, want: string): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(got);
  const b = Buffer.from(want);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export async function startIndependentEye4(opts: IndependentEye4Options): Promise<RunningReceiver> {
  const seen = new Set<string>();
  const knownFileids = new Set<string>();
  const pendingLookups = new Set<string>();

  const lookup = async (fileid: string): Promise<void> => {
    try {
      const res = await fetch(`${opts.apiBase}/push/fileid`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          userid: 'independent-user',
          authkey: 'independent-key',
          fileid,
          type: 'D009',
        }),
        signal: AbortSignal.timeout(2000),
      });
      const list = (await res.json()) as unknown;
      const n = Array.isArray(list) ? list.length : 0;
      await appendFile(opts.observeFile, `LOOKUP ${fileid} files=${n}${n === 0 ? ' (expired)' : ''}\n`);
    } catch {
      // The document promises nothing about the API's availability; a failed lookup is only logged.
      await appendFile(opts.observeFile, `LOOKUP ${fileid} failed\n`).catch(() => undefined);
    }
  };

  const onAlarm = async (body: Record<string, unknown>): Promise<number> => {
    const did = str(body.did);
    const action = str(body.action);
    let payload: unknown = body.payload;
    if (typeof payload === 'string') {
      try {
        payload = JSON.parse(payload);
      } catch {
        return 400;
      }
    }
    if (!did || !action || typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return 400;
    }
    const p = payload as Record<string, unknown>;
    const fileid = str(p.fileid);
    const key = fileid ? `${did}/${fileid}` : JSON.stringify(body);
    if (seen.has(key)) return 204;
    seen.add(key);
    await appendFile(opts.observeFile, `ALARM did=${did} action=${action} fileid=${fileid ?? '-'}\n`);
    if (fileid) {
      knownFileids.add(fileid);
      if (pendingLookups.delete(fileid)) void lookup(fileid);
    }
    return 204;
  };

  const onResource = (body: Record<string, unknown>): number => {
    const fileid = str(body.d009_id) ?? str(body.key) ?? str(body.Key);
    if (!fileid) return 400;
    if (knownFileids.has(fileid)) void lookup(fileid);
    else pendingLookups.add(fileid);
    return 204;
  };

  const server = createServer((req, res) => {
    const answer = (status: number): void => {
      res.writeHead(status).end();
    };
    void (async () => {
      if (req.method !== 'POST') return answer(405);
      const text = await readBody(req);
      if (text === undefined) return answer(413);
      if (!sameGuid(req.headers.guid, opts.guid)) return answer(401);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return answer(400);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer(400);
      const b = body as Record<string, unknown>;
      if ('did' in b) return answer(await onAlarm(b));
      return answer(onResource(b));
    })().catch(() => answer(500));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks/eye4`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
