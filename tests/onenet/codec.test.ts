/**
 * The OneNET codec against vectors made by an independent implementation (scripts/onenet-vectors.sh, openssl),
 * and cross-checked against the `openssl` command line on seeded random inputs at test time.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { decrypt, encrypt, sign, verifySignature } from '../../src/protocols/onenet/codec.ts';
import { unlessThrown } from '../helpers.ts';

type Vector =
  | { kind: 'sign'; description: string; token: string; nonce: string; msg: string; signature: string }
  | {
      kind: 'verify';
      description: string;
      token: string;
      nonce: string;
      msg: string;
      signature: string;
      expected: boolean;
    }
  | { kind: 'aes'; description: string; key: string; plaintext: string; ciphertext: string }
  | { kind: 'decrypt'; description: string; key: string; ciphertext: string; expect: 'throws' }
  | {
      kind: 'decrypt';
      description: string;
      key: string;
      ciphertext: string;
      expect: 'mismatch';
      plaintext: string;
    };

const vectorDir = join(import.meta.dirname, '../../src/protocols/onenet/vectors');

function load(group: 'positive' | 'negative'): [string, Vector][] {
  const dir = join(vectorDir, group);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [
      `${group}/${f.slice(0, -'.json'.length)}`,
      JSON.parse(readFileSync(join(dir, f), 'utf8')) as Vector,
    ]);
}

const positive = load('positive');
const negative = load('negative');

test('the vector set is complete', () => {
  const count = (vs: [string, Vector][], kind: Vector['kind']) =>
    vs.filter(([, v]) => v.kind === kind).length;
  expect(count(positive, 'sign')).toBeGreaterThanOrEqual(8);
  expect(count(positive, 'aes')).toBeGreaterThanOrEqual(6);
  expect(count(positive, 'verify')).toBeGreaterThanOrEqual(2);
  expect(count(negative, 'verify')).toBeGreaterThanOrEqual(6);
  expect(count(negative, 'decrypt')).toBeGreaterThanOrEqual(5);
  expect(count(positive, 'decrypt') + count(negative, 'sign') + count(negative, 'aes')).toBe(0);
});

for (const [name, v] of positive) {
  test(name, () => {
    switch (v.kind) {
      case 'sign':
        expect(sign(v.token, v.nonce, v.msg)).toBe(v.signature);
        expect(verifySignature(v.token, v.nonce, v.msg, v.signature)).toBe(true);
        break;
      case 'verify':
        expect(verifySignature(v.token, v.nonce, v.msg, v.signature)).toBe(v.expected);
        break;
      case 'aes':
        expect(encrypt(v.plaintext, v.key)).toBe(v.ciphertext);
        expect(decrypt(v.ciphertext, v.key)).toBe(v.plaintext);
        break;
      case 'decrypt':
        throw new Error('decrypt vectors are negative only');
    }
  });
}

for (const [name, v] of negative) {
  test(name, () => {
    switch (v.kind) {
      case 'verify':
        expect(v.expected).toBe(false);
        expect(verifySignature(v.token, v.nonce, v.msg, v.signature)).toBe(false);
        break;
      case 'decrypt':
        if (v.expect === 'throws') {
          expect(() => decrypt(v.ciphertext, v.key)).toThrow();
        } else {
          expect(unlessThrown(() => decrypt(v.ciphertext, v.key))).not.toBe(v.plaintext);
        }
        break;
      default:
        throw new Error(`no negative ${v.kind} vectors expected`);
    }
  });
}

test('the assertions can fail: every positive vector is rejected once mutated', () => {
  for (const [name, v] of positive) {
    if (v.kind === 'sign') {
      expect(verifySignature(v.token, v.nonce, `${v.msg}.`, v.signature), name).toBe(false);
      expect(sign(`${v.token}x`, v.nonce, v.msg), name).not.toBe(v.signature);
    } else if (v.kind === 'verify') {
      expect(verifySignature(`${v.token}x`, v.nonce, v.msg, v.signature), name).toBe(false);
    } else if (v.kind === 'aes') {
      expect(decrypt(encrypt(`${v.plaintext}.`, v.key), v.key), name).not.toBe(v.plaintext);
      const otherKey = (v.key.startsWith('A') ? 'B' : 'A') + v.key.slice(1);
      expect(encrypt(v.plaintext, otherKey), name).not.toBe(v.ciphertext);
    }
  }
});

// --- cross-check against openssl on seeded random inputs ---------------------------------------------------------

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MSG_CHARS = [...`${ALNUM} {}[]":,.\\/+=-_%&\n\t温湿度传感器状态在线é€😀`];

function randomString(
  rand: () => number,
  alphabet: readonly string[] | string,
  min: number,
  max: number,
): string {
  const chars = [...alphabet];
  const len = min + Math.floor(rand() * (max - min + 1));
  return Array.from({ length: len }, () => chars[Math.floor(rand() * chars.length)] ?? '').join('');
}

function opensslSign(token: string, nonce: string, msg: string): string {
  const digest = execFileSync('openssl', ['dgst', '-md5', '-binary'], {
    input: Buffer.from(token + nonce + msg, 'utf8'),
  });
  return execFileSync('openssl', ['base64', '-A'], { input: digest, encoding: 'utf8' }).trim();
}

function opensslEncrypt(plaintext: string, key: string): string {
  const hex = Buffer.from(key, 'utf8').toString('hex');
  return execFileSync('openssl', ['enc', '-aes-128-cbc', '-K', hex, '-iv', hex, '-base64', '-A'], {
    input: Buffer.from(plaintext, 'utf8'),
    encoding: 'utf8',
  }).trim();
}

const SEED = 0x0e7e7;
const ROUNDS = 25;

test(`sign and encrypt agree with openssl on ${ROUNDS} seeded random inputs (seed ${SEED})`, () => {
  const rand = prng(SEED);
  for (let i = 0; i < ROUNDS; i++) {
    const token = randomString(rand, ALNUM, 6, 32);
    const nonce = randomString(rand, ALNUM, 8, 8);
    const msg = randomString(rand, MSG_CHARS, 0, 300);
    const key = randomString(rand, ALNUM, 16, 16);
    const label = `round ${i}: ${JSON.stringify({ token, nonce, msg, key })}`;

    const signature = sign(token, nonce, msg);
    expect(signature, label).toBe(opensslSign(token, nonce, msg));
    expect(verifySignature(token, nonce, msg, signature), label).toBe(true);
    expect(verifySignature(token, nonce, msg, encodeURIComponent(signature)), label).toBe(true);

    const ciphertext = encrypt(msg, key);
    expect(ciphertext, label).toBe(opensslEncrypt(msg, key));
    expect(decrypt(ciphertext, key), label).toBe(msg);
  }
});

test('sign hashes token, nonce and msg each as UTF-8, even with a lone surrogate at a seam', () => {
  const separately = (token: string, nonce: string, msg: string): string =>
    createHash('md5')
      .update(Buffer.from(token, 'utf8'))
      .update(Buffer.from(nonce, 'utf8'))
      .update(Buffer.from(msg, 'utf8'))
      .digest('base64');
  // Joined first, the halves at a seam would pair up into one four-byte character.
  for (const [token, nonce, msg] of [
    ['tok\ud800', '\udc00nonce', 'msg'],
    ['token', 'nonce\ud83d', '\ude00msg'],
    ['token', 'abcdefgh', '{"deviceName":"温度","unit":"℃"}'],
  ] as const) {
    expect(sign(token, nonce, msg)).toBe(separately(token, nonce, msg));
  }
});
