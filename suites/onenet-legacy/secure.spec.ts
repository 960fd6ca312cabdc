/** Encrypted mode (the legacy SDKs): AES-256-CBC with the EncodingAESKey, a random prefix and a length. */
import { expectStatus, fail } from '../../src/core/case.ts';
import { conformance, markerOf } from './fixtures.ts';

conformance('onenet-legacy.secure.decrypted', async ({ target, sender, observe }) => {
  // The marker is in the msg, after the 16 random bytes and the length: only a receiver that derives the
  // key, decrypts and strips those 20 bytes can parse the message it is in.
  const push = sender.push('datapoint');
  const marker = markerOf(push);
  const res = await target.post(push.json, 'encrypted push (enc_msg)');
  expectStatus(res, 200, 'an encrypted genuine push must be acked with HTTP 200');
  if ((await observe.count(marker)) < 1) {
    fail(
      'the receiver did not record the decrypted content of an encrypted push',
      `marker ${marker} (inside the decrypted msg) recorded`,
      'the marker never appeared: the key not Base64-decoded from EncodingAESKey + "=", AES-128 instead of AES-256, or the 16-byte prefix and 4-byte length left in front of msg',
    );
  }
});
