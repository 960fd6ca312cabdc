/**
 * The legacy platform emulator builds what the specs describe: every push validates against
 * specs/onenet-legacy/schemas, is correctly signed and (encrypted mode) decrypts to its msg; markers sit where
 * a receiver records them; the same seed gives the same data.
 */
import { expect, test } from '@playwright/test';
import { createRng } from '../../src/core/rng.ts';
import { loadSchemas } from '../../src/core/schemas.ts';
import { decryptMsg, verifyMsgSignature, verifySignature } from '../../src/protocols/onenet-legacy/codec.ts';
import { MESSAGE_KINDS } from '../../src/protocols/onenet-legacy/messages.ts';
import { LegacySender } from '../../src/protocols/onenet-legacy/sender.ts';
import { TOKEN } from '../helpers.ts';
import { ENCODING_AES_KEY } from './helpers.ts';

const sender = (seed: number, encodingAesKey?: string) =>
  new LegacySender({
    token: TOKEN,
    encodingAesKey,
    runTag: '12345678',
    rng: createRng(seed, 'legacy sender'),
  });

const schemas = loadSchemas('onenet-legacy');

test('every message type, and a batch, builds a valid, correctly signed plain push', () => {
  const s = sender(1);
  for (const kinds of [...MESSAGE_KINDS.map((k) => [k]), [...MESSAGE_KINDS]]) {
    const p = s.push(kinds);
    expect(schemas.validator('push.json')(p.body), kinds.join()).toBe(true);
    const body = JSON.parse(p.json) as { msg: unknown; msg_signature: string; nonce: string };
    expect(verifyMsgSignature(TOKEN, body.nonce, body.msg, body.msg_signature)).toBe(true);
    // The body carries msg in the compact form it was signed in: re-serializing gives the signed bytes.
    expect(p.json).toContain(`"msg":${p.msgText}`);
    expect(Array.isArray(body.msg)).toBe(kinds.length > 1);
    for (const m of p.markers) expect(p.msgText.split(m).length, 'each marker once').toBe(2);
  }
  expect(s.push('status').markers).toEqual([]);
  expect(s.push('datapoint').markers).toHaveLength(1);
  expect(s.push(['datapoint', 'cachedCommand', 'datapoint']).markers).toHaveLength(3);
});

test('encrypted mode: enc_msg decrypts to the msg text and the signature covers enc_msg as sent', () => {
  const s = sender(2, ENCODING_AES_KEY);
  for (const kinds of [['datapoint'], [...MESSAGE_KINDS]] as const) {
    const p = s.push([...kinds]);
    expect(schemas.validator('push-encrypted.json')(p.body)).toBe(true);
    const body = p.body as { enc_msg: string; msg_signature: string; nonce: string };
    expect(decryptMsg(body.enc_msg, ENCODING_AES_KEY)).toBe(p.msgText);
    expect(verifySignature(TOKEN, body.nonce, body.enc_msg, body.msg_signature)).toBe(true);
    expect(p.json).not.toContain(p.markers[0]);
  }
});

test('a slash option puts slashes in the signed msg; the nonce search finds + and / in the signature', () => {
  const p = sender(3).push('datapoint', { slashes: true, signatureHas: '+/' });
  expect(p.msgText).toContain('/');
  expect(p.body.msg_signature).toMatch(/\+/);
  expect(p.body.msg_signature).toMatch(/\//);
});

test('forged and tampered pushes fail the real token; the same seed reproduces a push', () => {
  const s = sender(4);
  const forged = s.push('datapoint', { token: 'another-token' });
  const f = JSON.parse(forged.json) as { msg: unknown; msg_signature: string; nonce: string };
  expect(verifyMsgSignature(TOKEN, f.nonce, f.msg, f.msg_signature)).toBe(false);
  const t = JSON.parse(s.tampered('datapoint').json) as typeof f;
  expect(verifyMsgSignature(TOKEN, t.nonce, t.msg, t.msg_signature)).toBe(false);
  const a = sender(9).push('datapoint');
  const b = sender(9).push('datapoint');
  expect(a.body.nonce).toBe(b.body.nonce);
  expect(a.markers).toEqual(b.markers);
});

test('the schemas reject pushes a buggy sender would build', () => {
  const good = sender(5).push('datapoint').body as { msg: unknown; msg_signature: string; nonce: string };
  const validate = schemas.validator('push.json');
  expect(validate(good)).toBe(true);
  for (const bad of [
    { ...good, nonce: 'abcdefg' },
    { ...good, msg: JSON.stringify(good.msg) },
    { ...good, msg: [] },
    { ...good, msg_signature: good.msg_signature.replace(/=+$/, '') },
    { ...good, signature: good.msg_signature },
    { msg: good.msg, nonce: good.nonce },
  ]) {
    expect(validate(bad), JSON.stringify(bad).slice(0, 80)).toBe(false);
  }
  expect(schemas.validator('message.json')({ type: 3, dev_id: 1 })).toBe(false);
  expect(schemas.validator('message.json')({ type: 2, dev_id: 1, status: 2, login_type: 7, at: 1 })).toBe(
    false,
  );
});
