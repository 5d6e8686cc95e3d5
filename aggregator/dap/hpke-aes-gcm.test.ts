/**
 * The OpenSSL AES-128-GCM AEAD gives the same bytes as the `hpke` library's own WebCrypto one and
 * refuses anything altered (the suite-level interop with the client's hpke-js is in hpke.test.ts
 * and client-interop.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { AEAD_AES_128_GCM } from 'hpke';
import { describe, expect, it } from 'vitest';
import { AEAD_AES_128_GCM_NODE } from './hpke-aes-gcm.ts';

const ours = AEAD_AES_128_GCM_NODE();
const library = AEAD_AES_128_GCM();
const key = randomBytes(16);
const nonce = randomBytes(12);
const aad = randomBytes(40);

describe('AES-128-GCM on node:crypto for hpke', () => {
  it('has the identifiers and sizes of the library’s AES-128-GCM', () => {
    expect([ours.id, ours.name, ours.Nk, ours.Nn, ours.Nt]).toEqual([
      library.id,
      library.name,
      library.Nk,
      library.Nn,
      library.Nt,
    ]);
  });

  it.each([0, 1, 16, 9_400])(
    'seals %i bytes to the library’s bytes, and each opens the other’s',
    async (length) => {
      const pt = new Uint8Array(length).map((_, i) => (i * 7) % 256);
      const sealed = await ours.Seal(key, nonce, aad, pt);
      expect(sealed).toEqual(await library.Seal(key, nonce, aad, pt));
      await expect(library.Open(key, nonce, aad, sealed)).resolves.toEqual(pt);
      await expect(ours.Open(key, nonce, aad, sealed)).resolves.toEqual(pt);
    },
  );

  it('opens a ciphertext given as a view into a larger buffer', async () => {
    const pt = randomBytes(100);
    const sealed = await library.Seal(key, nonce, aad, pt);
    const larger = new Uint8Array(sealed.length + 9);
    larger.set(sealed, 5);
    const view = larger.subarray(5, 5 + sealed.length);
    expect(Buffer.from(await ours.Open(key, nonce, aad, view)).equals(pt)).toBe(true);
  });

  it('refuses an altered ciphertext, tag, AAD, nonce or key, and a ciphertext shorter than a tag', async () => {
    const pt = randomBytes(64);
    const sealed = await ours.Seal(key, nonce, aad, pt);
    const flip = (bytes: Uint8Array, at: number) => {
      const copy = Uint8Array.from(bytes);
      copy[at]! ^= 1;
      return copy;
    };
    await expect(ours.Open(key, nonce, aad, flip(sealed, 0))).rejects.toThrow();
    await expect(ours.Open(key, nonce, aad, flip(sealed, sealed.length - 1))).rejects.toThrow();
    await expect(ours.Open(key, nonce, flip(aad, 3), sealed)).rejects.toThrow();
    await expect(ours.Open(key, flip(nonce, 0), aad, sealed)).rejects.toThrow();
    await expect(ours.Open(flip(key, 0), nonce, aad, sealed)).rejects.toThrow();
    await expect(ours.Open(key, nonce, aad, sealed.subarray(0, 15))).rejects.toThrow(RangeError);
    await expect(
      ours.Open(key, nonce, aad, sealed.subarray(0, sealed.length - 1)),
    ).rejects.toThrow();
  });

  it('refuses keys and nonces of the wrong size', async () => {
    await expect(ours.Seal(randomBytes(32), nonce, aad, randomBytes(8))).rejects.toThrow(
      RangeError,
    );
    await expect(ours.Open(key, randomBytes(16), aad, randomBytes(32))).rejects.toThrow(RangeError);
  });
});
