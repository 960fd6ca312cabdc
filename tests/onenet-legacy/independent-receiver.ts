/**
 * An independent legacy OneNET receiver, written from the legacy SDKs alone with `node:` built-ins only (no
 * pushcheck code), as a customer would write one, so that pushcheck's verdicts can be cross-checked on a
 * receiver its reference did not shape.
 *
 * - GET  ?msg=&nonce=&signature=  Base64(MD5(token ‖ nonce ‖ msg)) compared with the signature, a space taken
 *        back to `+` (the Java SDK's checkToken); valid → 200 with msg, else 403.
 * - POST {msg|enc_msg, msg_signature, nonce}: the signature over JSON.stringify(msg) (plain) or enc_msg (encrypted);
 *        enc_msg decrypted with AES-256-CBC, key = Base64(EncodingAESKey + "="), IV = key[0..16), msg read from
 *        offset 20 for the length at offset 16; every message of msg appended as a line; a body seen before is
 *        acked and skipped; anything malformed → 400.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LegacyReceiverOptions {
  token: string;
  encodingAesKey?: string;
  observeFile: string;
}

const md5Base64 = (text: string) => createHash('md5').update(text, 'utf8').digest('base64');

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1024 * 1024) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function decrypt(encMsg: string, encodingAesKey: string): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const plain = Buffer.concat([decipher.update(Buffer.from(encMsg, 'base64')), decipher.final()]);
  const length = plain.readUInt32BE(16);
  return plain.subarray(20, 20 + length).toString('utf8');
}

/** Starts the receiver on 127.0.0.1; resolves with its URL and a way to stop it. */
export async function startLegacyReceiver(
  opts: LegacyReceiverOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const seen = new Set<string>();
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'GET') {
      const msg = url.searchParams.get('msg');
      const nonce = url.searchParams.get('nonce');
      const signature = url.searchParams.get('signature')?.replaceAll(' ', '+');
      if (msg === null || nonce === null || signature !== md5Base64(opts.token + nonce + msg)) {
        return reply(403, 'forbidden');
      }
      return reply(200, msg);
    }
    if (req.method !== 'POST') return reply(405, 'method not allowed');
    const text = await readBody(req);
    if (text === undefined) return reply(413, 'too large');
    let body: { msg?: unknown; enc_msg?: unknown; msg_signature?: unknown; nonce?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return reply(400, 'not json');
    }
    if (typeof body !== 'object' || body === null) return reply(400, 'not an object');
    const { msg_signature: signature, nonce } = body;
    if (typeof signature !== 'string' || typeof nonce !== 'string') return reply(400, 'missing fields');
    let signed: string;
    let messages: unknown;
    if (opts.encodingAesKey !== undefined) {
      if (typeof body.enc_msg !== 'string') return reply(400, 'enc_msg missing');
      signed = body.enc_msg;
    } else {
      if (typeof body.msg !== 'object' || body.msg === null) return reply(400, 'msg missing');
      signed = JSON.stringify(body.msg);
      messages = body.msg;
    }
    if (md5Base64(opts.token + nonce + signed) !== signature) return reply(403, 'bad signature');
    const digest = createHash('sha256').update(text).digest('hex');
    if (seen.has(digest)) return reply(200, 'duplicate');
    if (opts.encodingAesKey !== undefined) {
      try {
        messages = JSON.parse(decrypt(signed, opts.encodingAesKey));
      } catch {
        return reply(400, 'cannot decrypt');
      }
    }
    seen.add(digest);
    const list = Array.isArray(messages) ? messages : [messages];
    appendFileSync(opts.observeFile, list.map((m) => `${JSON.stringify(m)}\n`).join(''));
    return reply(200, 'ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/push`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
