/**
 * Legacy OneNET HTTP push codec (the legacy SDKs): the signature over the compact JSON of msg, and the
 * EncodingAESKey encryption (AES-256-CBC, IV = the key's first 16 bytes, a random 16-byte prefix and a 4-byte
 * length before msg). The MD5/Base64 signature itself is Studio's: it is imported, not copied.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { sign, verifySignature } from '../onenet/codec.ts';

export { NONCE_LENGTH, sign, verifySignature } from '../onenet/codec.ts';

/** Length of the EncodingAESKey the console shows: Base64 of 32 bytes without its trailing `=`. */
export const ENCODING_AES_KEY_LENGTH = 43;
/** Bytes of random prefix before the length and msg in the plaintext. */
export const RANDOM_PREFIX_BYTES = 16;
/** Bytes of the big-endian msg length that follows the random prefix. */
export const LENGTH_BYTES = 4;

const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

/**
 * The compact JSON text of msg, as the platform signs it: no whitespace, slashes not escaped (PHP SDK
 * `json_encode($msg, JSON_UNESCAPED_SLASHES)`, Java SDK org.json `toString()`), which is what
 * `JSON.stringify` writes.
 */
export function compactJson(msg: unknown): string {
  return JSON.stringify(msg);
}

/** msg_signature of a plain-mode push: Base64(MD5(token ‖ nonce ‖ compact JSON of msg)). */
export function signMsg(token: string, nonce: string, msg: unknown): string {
  return sign(token, nonce, compactJson(msg));
}

/** True when `encodingAesKey` has the form the console gives: 43 characters of standard Base64. */
export function isEncodingAesKey(encodingAesKey: string): boolean {
  return ENCODING_AES_KEY.test(encodingAesKey);
}

/** The AES-256 key: Base64Decode(EncodingAESKey + "="), 32 bytes. Throws on a key of the wrong form. */
export function deriveKey(encodingAesKey: string): Buffer {
  if (!isEncodingAesKey(encodingAesKey)) {
    throw new Error(
      `the EncodingAESKey must be ${ENCODING_AES_KEY_LENGTH} characters of Base64 (A-Z, a-z, 0-9, +, /)`,
    );
  }
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** The IV: the first 16 bytes of the key. */
export function deriveIv(key: Buffer): Buffer {
  return key.subarray(0, 16);
}

/**
 * enc_msg: Base64(AES-256-CBC-PKCS7(16 random bytes ‖ uint32 big-endian byte length of msg ‖ msg)), where msg
 * is the JSON text of the message (or batch). `random` replaces the random prefix (test vectors).
 */
export function encryptMsg(
  msgText: string,
  encodingAesKey: string,
  random: Buffer = randomBytes(RANDOM_PREFIX_BYTES),
): string {
  if (random.length !== RANDOM_PREFIX_BYTES)
    throw new Error(`the prefix must be ${RANDOM_PREFIX_BYTES} bytes`);
  const key = deriveKey(encodingAesKey);
  const body = Buffer.from(msgText, 'utf8');
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(body.length);
  const cipher = createCipheriv('aes-256-cbc', key, deriveIv(key));
  return Buffer.concat([cipher.update(Buffer.concat([random, length, body])), cipher.final()]).toString(
    'base64',
  );
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The decrypted plaintext, prefix and length included (for receivers and tests that inspect it). */
export function decryptRaw(encMsg: string, encodingAesKey: string): Buffer {
  const bytes = Buffer.from(encMsg, 'base64');
  if (bytes.length === 0 || bytes.length % 16 !== 0 || bytes.toString('base64') !== encMsg) {
    throw new Error('enc_msg is not Base64 of whole 16-byte blocks');
  }
  const key = deriveKey(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, deriveIv(key));
  return Buffer.concat([decipher.update(bytes), decipher.final()]);
}

/**
 * Inverse of {@link encryptMsg}: the msg text. Throws on a malformed key, non-Base64 input, bad padding, a
 * length that does not match what follows the prefix, or bad UTF-8.
 */
export function decryptMsg(encMsg: string, encodingAesKey: string): string {
  const plain = decryptRaw(encMsg, encodingAesKey);
  const head = RANDOM_PREFIX_BYTES + LENGTH_BYTES;
  if (plain.length < head) throw new Error('the plaintext is shorter than its prefix and length');
  const length = plain.readUInt32BE(RANDOM_PREFIX_BYTES);
  if (length !== plain.length - head) {
    throw new Error(`the plaintext says msg is ${length} bytes, but ${plain.length - head} follow`);
  }
  return strictUtf8.decode(plain.subarray(head));
}

/** Whether `received` is the msg_signature of a plain-mode push of `msg` (raw Base64, as the SDKs compare). */
export function verifyMsgSignature(token: string, nonce: string, msg: unknown, received: string): boolean {
  return verifySignature(token, nonce, compactJson(msg), received);
}
