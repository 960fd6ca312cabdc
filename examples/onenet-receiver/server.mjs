// A small OneNET Studio HTTP push receiver, written the way an application team writes one: plain Node.js,
// configured by environment variables. pushcheck's tests start it as a process and as a container.
//
//   ONENET_TOKEN   the push instance's token (required)
//   ONENET_AES_KEY the 16-character key of a secure-mode (安全模式) instance, if any
//   PORT, HOST     where to listen (default 8080 on 127.0.0.1)
//   DATABASE_URL   a PostgreSQL URL: each processed message is stored in the table `processed`
//   PROCESSED_URL  a URL each processed message is POSTed to (a webhook relay, a sink)
//
// Every processed message is also logged on stdout, one line each.
/* global process, console, Buffer, URL, fetch */
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

const token = process.env.ONENET_TOKEN;
if (!token) {
  console.error('ONENET_TOKEN is not set');
  process.exit(1);
}
const aesKey = process.env.ONENET_AES_KEY;
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const MAX_BODY = 1024 * 1024;
const seen = new Set();

let db;
if (process.env.DATABASE_URL) {
  const { default: pg } = await import('pg');
  db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  await db.query('CREATE TABLE IF NOT EXISTS processed (id text, msg text, at timestamptz DEFAULT now())');
}

function signatureOk(nonce, msg, signature) {
  const expected = createHash('md5')
    .update(token + nonce + msg, 'utf8')
    .digest();
  // The platform sends the Base64 raw, so a `+` may arrive as a space once the query is form-decoded.
  const received = Buffer.from(String(signature).replaceAll(' ', '+'), 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function decrypt(msg) {
  const key = Buffer.from(aesKey, 'utf8');
  const decipher = createDecipheriv('aes-128-cbc', key, key);
  return Buffer.concat([decipher.update(Buffer.from(msg, 'base64')), decipher.final()]).toString('utf8');
}

async function record(id, plaintext) {
  console.log(`processed id=${id} msg=${plaintext}`);
  if (db) await db.query('INSERT INTO processed (id, msg) VALUES ($1, $2)', [id, plaintext]);
  if (process.env.PROCESSED_URL) {
    await fetch(process.env.PROCESSED_URL, { method: 'POST', body: JSON.stringify({ id, msg: plaintext }) });
  }
}

async function onPush(body) {
  let push;
  try {
    push = JSON.parse(body);
  } catch {
    return [400, 'not JSON'];
  }
  const { msg, nonce, signature, id, time } = push ?? {};
  if (![msg, nonce, signature, id].every((v) => typeof v === 'string') || typeof time !== 'number') {
    return [400, 'msg, nonce, signature, id and time are required'];
  }
  if (!signatureOk(nonce, msg, signature)) return [403, 'bad signature'];
  if (seen.has(id)) return [200, 'ok'];
  let plaintext;
  try {
    plaintext = aesKey ? decrypt(msg) : msg;
    JSON.parse(plaintext);
  } catch {
    return [400, 'msg is not what it should be'];
  }
  seen.add(id);
  await record(id, plaintext);
  return [200, 'ok'];
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://receiver');
  if (req.method === 'GET') {
    const msg = url.searchParams.get('msg');
    const nonce = url.searchParams.get('nonce');
    const signature = url.searchParams.get('signature');
    if (msg === null || nonce === null || signature === null || !signatureOk(nonce, msg, signature)) {
      res.writeHead(403).end('bad signature');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(msg);
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on('end', async () => {
    if (size > MAX_BODY) return res.writeHead(413).end('too large');
    if (size === 0) return res.writeHead(400).end('empty body');
    try {
      const [status, text] = await onPush(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    } catch (err) {
      console.error(`failed: ${err.message}`);
      res.writeHead(500).end('internal error');
    }
  });
});

server.listen(port, host, () => console.log(`onenet receiver listening on http://${host}:${port}/`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    db?.end();
    process.exit(0);
  });
}
