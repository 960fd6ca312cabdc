/**
 * Independent OneNET Studio ("数据推送 → HTTP推送") receiver.
 *
 * Written from the vendor document only (实例验证 / 消息推送 / 重推策略 / 最佳实践),
 * as a reference "correct customer receiver" against which pushcheck's verdicts
 * can be cross-checked. Only `node:` built-ins are used.
 *
 * - GET  <path>?msg=&nonce=&signature=   verification: signature = Base64(MD5(token ‖ nonce ‖ msg));
 *        valid → 200 text/plain, body exactly `msg`; otherwise 400 (missing) / 403 (bad signature).
 * - POST <path>  JSON {msg, nonce, signature, time, id}: verify the signature over `msg` as received
 *        (ciphertext in secure mode), decrypt (AES-128-CBC/PKCS7, key = IV = 16-char key bytes),
 *        require JSON, de-duplicate on `id`, append one line with the msg text to `observeFile`, 200 `ok`.
 */
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IndependentReceiverOptions {
  token: string;
  aesKey?: string;
  observeFile: string;
  path?: string;
}

export interface RunningReceiver {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024; // 1 MiB accepted
const MAX_DRAIN_BYTES = 16 * 1024 * 1024; // beyond this an oversized upload is cut off
const MAX_REMEMBERED_IDS = 100_000;

type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large'; cutOff: boolean } | { kind: 'aborted' };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function computeSignature(token: string, nonce: string, msg: string): string {
  return createHash('md5')
    .update(Buffer.concat([Buffer.from(token, 'utf8'), Buffer.from(nonce, 'utf8'), Buffer.from(msg, 'utf8')]))
    .digest('base64');
}

function signatureMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Percent-decoding that does NOT turn `+` into a space; null on malformed input. */
function percentDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Raw query parsing: first occurrence of each name wins; values kept undecoded. */
function parseRawQuery(rawUrl: string): Map<string, string> {
  const params = new Map<string, string>();
  const q = rawUrl.indexOf('?');
  if (q < 0) return params;
  let query = rawUrl.slice(q + 1);
  const hash = query.indexOf('#');
  if (hash >= 0) query = query.slice(0, hash);
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    const name = percentDecode(rawName.replace(/\+/g, ' '));
    if (name === null || params.has(name)) continue;
    params.set(name, rawValue);
  }
  return params;
}

/**
 * Candidate decodings of a raw query value: literal `+` (RFC 3986) first, then the
 * form-encoding reading (`+` = space). Either may be what the platform signed.
 */
function valueCandidates(raw: string): string[] {
  const out: string[] = [];
  const literal = percentDecode(raw);
  if (literal !== null) out.push(literal);
  if (raw.includes('+')) {
    const form = percentDecode(raw.replace(/\+/g, ' '));
    if (form !== null && !out.includes(form)) out.push(form);
  }
  return out;
}

/** A Base64 signature never contains spaces: a space is a raw `+` that was form-decoded. */
function normalizeSignature(raw: string): string | null {
  const decoded = percentDecode(raw);
  if (decoded === null) return null;
  return decoded.replace(/ /g, '+').trim();
}

function pathnameOf(rawUrl: string): string {
  const end = rawUrl.search(/[?#]/);
  return end < 0 ? rawUrl : rawUrl.slice(0, end);
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(buf.length),
    'Cache-Control': 'no-store',
    ...extraHeaders,
  });
  res.end(buf);
}

function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let tooLarge = false;
    let settled = false;
    const settle = (r: BodyResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) {
      // Hopelessly large: answer without reading it.
      settle({ kind: 'too-large', cutOff: true });
      req.resume();
      return;
    }

    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > MAX_DRAIN_BYTES) {
        settle({ kind: 'too-large', cutOff: true });
        return;
      }
      if (received > MAX_BODY_BYTES) {
        // Keep reading (and discarding) so the client sees our 413 instead of a reset.
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      settle(tooLarge ? { kind: 'too-large', cutOff: false } : { kind: 'ok', body: Buffer.concat(chunks) });
    });
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) settle({ kind: 'aborted' });
    });
  });
}

interface PushBody {
  msg: string;
  nonce: string;
  signature: string;
  time: number;
  id: string;
}

function parsePushBody(body: Buffer): PushBody {
  let text: string;
  try {
    text = utf8Strict.decode(body);
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  const o = parsed as Record<string, unknown>;
  const { msg, nonce, signature, time, id } = o;
  if (typeof msg !== 'string') throw new HttpError(400, 'msg must be a string');
  if (typeof nonce !== 'string') throw new HttpError(400, 'nonce must be a string');
  if (typeof signature !== 'string') throw new HttpError(400, 'signature must be a string');
  if (typeof time !== 'number' || !Number.isFinite(time)) throw new HttpError(400, 'time must be a number');
  if (typeof id !== 'string') throw new HttpError(400, 'id must be a string');
  return { msg, nonce, signature, time, id };
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decryptMsg(ciphertextB64: string, key: Buffer): string {
  const compact = ciphertextB64.replace(/[\r\n]/g, '');
  if (compact === '' || !BASE64_RE.test(compact)) throw new HttpError(400, 'msg is not Base64 ciphertext');
  const ct = Buffer.from(compact, 'base64');
  if (ct.length === 0 || ct.length % 16 !== 0)
    throw new HttpError(400, 'ciphertext length is not a multiple of 16');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, key);
    decipher.setAutoPadding(true);
    plain = Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new HttpError(400, 'decryption failed');
  }
  try {
    return utf8Strict.decode(plain);
  } catch {
    throw new HttpError(400, 'decrypted msg is not valid UTF-8');
  }
}

export async function startIndependentReceiver(opts: IndependentReceiverOptions): Promise<RunningReceiver> {
  const basePath = opts.path ?? '/onenet';
  if (!basePath.startsWith('/')) throw new Error('path must start with "/"');
  if (typeof opts.token !== 'string' || opts.token === '') throw new Error('token is required');
  let aesKey: Buffer | undefined;
  if (opts.aesKey !== undefined) {
    aesKey = Buffer.from(opts.aesKey, 'utf8');
    if (aesKey.length !== 16)
      throw new Error('aesKey must be 16 bytes (the 16-character key from the console)');
  }
  const { token, observeFile } = opts;

  // Make sure the observe file exists (without truncating it).
  await appendFile(observeFile, '');

  /** id → time first processed; insertion-ordered so the oldest can be evicted. */
  const seen = new Map<string, number>();
  /** Serialises appends so lines never interleave and close() can wait for them. */
  let writeChain: Promise<void> = Promise.resolve();

  const appendLine = (line: string): Promise<void> => {
    const next = writeChain.then(() => appendFile(observeFile, `${line}\n`, 'utf8'));
    writeChain = next.catch(() => undefined);
    return next;
  };

  const handleGet = (req: IncomingMessage, res: ServerResponse): void => {
    const params = parseRawQuery(req.url ?? '');
    const rawMsg = params.get('msg');
    const rawNonce = params.get('nonce');
    const rawSig = params.get('signature');
    if (rawMsg === undefined || rawNonce === undefined || rawSig === undefined) {
      send(res, 400, 'missing msg, nonce or signature');
      return;
    }
    const signature = normalizeSignature(rawSig);
    if (signature === null || signature === '') {
      send(res, 403, 'invalid signature');
      return;
    }
    for (const nonce of valueCandidates(rawNonce)) {
      for (const msg of valueCandidates(rawMsg)) {
        if (signatureMatches(computeSignature(token, nonce, msg), signature)) {
          send(res, 200, msg);
          return;
        }
      }
    }
    send(res, 403, 'invalid signature');
  };

  const handlePost = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const result = await readBody(req);
    if (result.kind === 'aborted') {
      if (!req.socket.destroyed) req.socket.destroy();
      return;
    }
    if (result.kind === 'too-large') {
      send(res, 413, 'payload too large', { Connection: 'close' });
      return;
    }

    const push = parsePushBody(result.body);

    // Authenticate first: the signature covers msg exactly as sent (the ciphertext in secure mode).
    if (!signatureMatches(computeSignature(token, push.nonce, push.msg), push.signature)) {
      throw new HttpError(403, 'invalid signature');
    }

    const plaintext = aesKey === undefined ? push.msg : decryptMsg(push.msg, aesKey);
    try {
      JSON.parse(plaintext);
    } catch {
      throw new HttpError(400, 'msg is not JSON');
    }

    if (seen.has(push.id)) {
      send(res, 200, 'ok'); // redelivery: acknowledge, do not process again
      return;
    }
    seen.set(push.id, Date.now());
    if (seen.size > MAX_REMEMBERED_IDS) {
      const oldest = seen.keys().next();
      if (!oldest.done) seen.delete(oldest.value);
    }

    // Raw CR/LF can only be insignificant whitespace in valid JSON; keep the record on one line.
    const line = plaintext.replace(/\r\n|\r|\n/g, ' ');
    try {
      await appendLine(line);
    } catch {
      seen.delete(push.id); // not processed: let the platform's retry try again
      send(res, 500, 'processing failed');
      return;
    }
    send(res, 200, 'ok');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (pathnameOf(req.url ?? '/') !== basePath) {
      req.resume();
      send(res, 404, 'not found');
      return;
    }
    if (req.method === 'GET') {
      req.resume();
      handleGet(req, res);
      return;
    }
    if (req.method === 'POST') {
      await handlePost(req, res);
      return;
    }
    req.resume();
    send(res, 405, 'method not allowed', { Allow: 'GET, POST' });
  };

  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(req, res).catch((err: unknown) => {
      try {
        if (err instanceof HttpError) send(res, err.status, err.message);
        else send(res, 500, 'internal error');
      } catch {
        /* response already unusable */
      }
    });
  });
  server.on('clientError', (_err, socket) => {
    try {
      if (socket.writable)
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    } catch {
      /* ignore */
    }
  });
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => writeChain);
      return closing;
    },
  };
}
