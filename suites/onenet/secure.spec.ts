/** Secure mode (安全模式): AES-128-CBC, PKCS7, the 16-character key as both key and IV. */
import { expectStatus, fail } from '../../src/core/case.ts';
import { conformance } from './fixtures.ts';

conformance('onenet.secure.decrypted', async ({ target, sender, observe }) => {
  // The marker opens the plaintext, inside the first AES block: a wrong IV garbles exactly that block.
  const push = sender.push('property');
  const res = await target.post(push.json, 'encrypted push');
  expectStatus(res, 200, 'an encrypted genuine push must be acked with HTTP 200');
  if ((await observe.count(push.marker)) < 1) {
    fail(
      'the receiver did not record the decrypted content of an encrypted push',
      `marker ${push.marker} (in the first 16-byte block of the plaintext) recorded`,
      'the marker never appeared: a wrong IV (the key bytes are the IV) or no decryption',
    );
  }
});
