/**
 * HPKE's AES-128-GCM AEAD (RFC 9180 §7.3, id 0x0001) on Node's OpenSSL cipher (`node:crypto`), for
 * the `hpke` library's `CipherSuite`, which takes any object implementing its `AEAD` interface (its
 * documented extension point). No cryptography is written here: the cipher, the tag computation
 * and its constant-time check are OpenSSL's; this adapter only lays out `ciphertext ‖ tag` as HPKE
 * does. Why not the library's WebCrypto AEAD: each open imported the key and ran the decryption as
 * a WebCrypto job on the thread pool; here it is one synchronous call (≈ 0.1 ms less CPU per
 * 9.4 KB open, `docs/private-aggregation.md` "Measured").
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { AEADFactory } from 'hpke';

const ALGORITHM = 'aes-128-gcm';
const NK = 16;
const NN = 12;
const NT = 16;
/** AES-GCM's plaintext limit per invocation (RFC 9180 §7.3 / NIST SP 800-38D). */
const P_MAX = 2 ** 36 - 31;

function checkSizes(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== NK)
    throw new RangeError(`An AES-128-GCM key is ${NK} bytes, not ${key.length}.`);
  if (nonce.length !== NN) throw new RangeError(`A nonce is ${NN} bytes, not ${nonce.length}.`);
}

/** `f()` as a promise: a throw becomes a rejection, as from the library's own async AEADs. */
const settle = <T>(f: () => T): Promise<T> => new Promise((resolve) => resolve(f()));

export const AEAD_AES_128_GCM_NODE: AEADFactory = () => ({
  id: 0x0001,
  type: 'AEAD',
  name: 'AES-128-GCM',
  Nk: NK,
  Nn: NN,
  Nt: NT,
  Seal: (key, nonce, aad, pt) =>
    settle(() => {
      checkSizes(key, nonce);
      if (pt.byteLength > P_MAX) throw new RangeError('"pt" exceeds P_MAX');
      const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: NT });
      cipher.setAAD(aad);
      const out = new Uint8Array(pt.length + NT);
      const body = cipher.update(pt);
      out.set(body);
      out.set(cipher.final(), body.length);
      out.set(cipher.getAuthTag(), pt.length);
      return out;
    }),
  Open: (key, nonce, aad, ct) =>
    settle(() => {
      checkSizes(key, nonce);
      if (ct.length < NT) throw new RangeError(`A ciphertext is at least the ${NT}-byte tag.`);
      const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: NT });
      decipher.setAAD(aad);
      decipher.setAuthTag(ct.subarray(ct.length - NT));
      const out = new Uint8Array(ct.length - NT);
      const body = decipher.update(ct.subarray(0, ct.length - NT));
      out.set(body);
      // Throws if the tag does not verify: the unverified plaintext in `out` is never returned.
      out.set(decipher.final(), body.length);
      return out;
    }),
});
