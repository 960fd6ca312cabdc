/**
 * The platform emulator builds what the specs describe: every push and payload validates against
 * specs/onenet/schemas, the same seed gives the same data, and the validator does reject invalid pushes.
 */
import { createDecipheriv } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { createRng } from '../../src/core/rng.ts';
import { loadSchemas } from '../../src/core/schemas.ts';
import { decrypt, verifySignature } from '../../src/protocols/onenet/codec.ts';
import { MSG_KINDS } from '../../src/protocols/onenet/messages.ts';
import { OneNetSender } from '../../src/protocols/onenet/sender.ts';
import { AES_KEY, TOKEN } from '../helpers.ts';

const sender = (seed: number, aesKey?: string) =>
  new OneNetSender({ token: TOKEN, aesKey, runTag: '12345678', rng: createRng(seed, 'sender test') });

const schemas = loadSchemas('onenet');

for (const aesKey of [undefined, AES_KEY]) {
  test(`every payload type builds a valid, correctly signed push (${aesKey ? 'secure' : 'plain'} mode)`, () => {
    const s = sender(1, aesKey);
    for (const kind of MSG_KINDS) {
      const p = s.push(kind);
      expect(schemas.validator('push.json')(p.body), kind).toBe(true);
      expect(schemas.validator('msg.json')(JSON.parse(p.plaintext)), kind).toBe(true);
      expect(verifySignature(TOKEN, p.body.nonce, p.body.msg, p.body.signature)).toBe(true);
      const plaintext = aesKey ? decrypt(p.body.msg, aesKey) : p.body.msg;
      expect(plaintext).toBe(p.plaintext);
      // The marker starts inside the first AES block (at byte 15, after {"deviceName":"), so a wrong IV
      // garbles its first byte and the marker cannot be found in what a zero-IV receiver decrypts.
      expect(plaintext.indexOf(p.marker)).toBe(15);
      expect(plaintext.split(p.marker).length, 'the marker appears once').toBe(2);
      if (aesKey) {
        const d = createDecipheriv('aes-128-cbc', Buffer.from(aesKey), Buffer.alloc(16));
        const wrong = Buffer.concat([d.update(Buffer.from(p.body.msg, 'base64')), d.final()]).toString(
          'latin1',
        );
        expect(wrong).not.toContain(p.marker);
        expect(wrong).toContain(p.marker.slice(1));
      }
    }
  });
}

test('the same seed gives the same nonces and payloads; another seed does not', () => {
  const a = sender(42).verification({ signatureHas: '+/' });
  const b = sender(42).verification({ signatureHas: '+/' });
  const c = sender(43).verification({ signatureHas: '+/' });
  expect([a.msg, a.nonce]).toEqual([b.msg, b.nonce]);
  expect([a.msg, a.nonce]).not.toEqual([c.msg, c.nonce]);
  expect(a.signature).toMatch(/\+/);
  expect(a.signature).toMatch(/\//);
  expect(a.signature).toMatch(/==$/);
  expect(a.query('percent')).toContain('%2B');
  expect(a.query('raw')).toContain(`signature=${a.signature}`);
});

test('a tampered push carries a signature that does not match its msg; a forged one fails the real token', () => {
  const s = sender(3);
  const t = s.tampered('property');
  expect(verifySignature(TOKEN, t.body.nonce, t.body.msg, t.body.signature)).toBe(false);
  const f = s.push('property', { token: 'another-token' });
  expect(verifySignature(TOKEN, f.body.nonce, f.body.msg, f.body.signature)).toBe(false);
});

test('the schemas reject pushes a buggy sender would build', () => {
  const good = sender(5).push('lifeCycle').body;
  const validate = schemas.validator('push.json');
  expect(validate(good)).toBe(true);
  for (const bad of [
    { ...good, nonce: 'abcdefg' },
    { ...good, time: String(good.time) },
    { ...good, msg: { messageType: 'lifeCycle' } },
    { ...good, signature: good.signature.replace(/=+$/, '') },
    { msg: good.msg, nonce: good.nonce, time: good.time, id: good.id },
  ]) {
    expect(validate(bad), JSON.stringify(bad).slice(0, 80)).toBe(false);
  }
  expect(schemas.validator('msg.json')({ projectId: 'x', messageType: 'lifeCycle', data: {} })).toBe(false);
});
