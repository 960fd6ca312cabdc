/**
 * OneNET Studio HTTP push codec: the signature and the AES-128-CBC secure mode, as the vendor's Java sample
 * does them (the OneNET HTTP push document §5 最佳实践; its §5 samples).
 */
import { createCipheriv, createDecipheriv, createHash, hash, timingSafeEqual } from 'node:crypto';

/** Length of the nonce in bytes: the vendor's Java sample copies exactly 8 bytes of it. */
export const NONCE_LENGTH = 8;
/** Length of the secure-mode key: "由系统生成16位长度的加密密钥". */
export const AES_KEY_LENGTH = 16;

const edgeSurrogate = (s: string): boolean =>
  s.length > 0 && (isSurrogate(s.charCodeAt(0)) || isSurrogate(s.charCodeAt(s.length - 1)));
const isSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;

/** signature = Base64(MD5(token ‖ nonce ‖ msg)), each as UTF-8 bytes; standard Base64 with `+`, `/`, `=`. */
export function sign(token: string, nonce: string, msg: string): string {
  // The joined text hashed at once is the same bytes, at half the cost (a burst signs thousands a second),
  // unless a lone surrogate sits at a seam: joined, two halves would pair up into one character.
  if (!edgeSurrogate(token) && !edgeSurrogate(nonce) && !edgeSurrogate(msg)) {
    return hash('md5', token + nonce + msg, 'base64');
  }
  return createHash('md5').update(token, 'utf8').update(nonce, 'utf8').update(msg, 'utf8').digest('base64');
}

/**
 * Undoes what transport does to a Base64 signature: percent-encoding (`%2B`, `%2F`, `%3D`) and form decoding,
 * which turns a raw `+` into a space (the legacy SDKs: the vendor's SDK maps space back to `+`).
 */
export function normalizeSignature(received: string): string {
  let s = received;
  if (s.includes('%')) {
    try {
      s = decodeURIComponent(s);
    } catch {
      return s;
    }
  }
  return s.replaceAll(' ', '+');
}

/** True when `received` (raw, percent-encoded or with `+` turned into space) is the signature of the message. */
export function verifySignature(token: string, nonce: string, msg: string, received: string): boolean {
  const expected = Buffer.from(sign(token, nonce, msg), 'utf8');
  const actual = Buffer.from(normalizeSignature(received), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function keyBytes(key: string): Buffer {
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length !== AES_KEY_LENGTH) {
    throw new Error(`the AES key must be ${AES_KEY_LENGTH} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** AES-128-CBC, PKCS7, the key's bytes as key and IV; returns Base64 (the secure-mode `msg`). */
export function encrypt(plaintext: string, key: string, iv: Buffer = keyBytes(key)): string {
  const cipher = createCipheriv('aes-128-cbc', keyBytes(key), iv);
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Inverse of {@link encrypt}; throws on a key of the wrong length, non-Base64 input, bad padding or bad UTF-8. */
export function decrypt(ciphertext: string, key: string, iv: Buffer = keyBytes(key)): string {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0 || bytes.toString('base64') !== ciphertext) {
    throw new Error('the ciphertext is not Base64 of whole 16-byte blocks');
  }
  const decipher = createDecipheriv('aes-128-cbc', keyBytes(key), iv);
  return strictUtf8.decode(Buffer.concat([decipher.update(bytes), decipher.final()]));
}
