import fc from 'fast-check';
import { getBytes, hexlify, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';

import { createRecoverPool } from './recover-pool.ts';
import { createJsRecoverer, createNativeRecoverer } from './recover.ts';
import { parseSignatureBytes, parseSignatureHex } from './signature.ts';

const wallets = Array.from({ length: 4 }, () => Wallet.createRandom());

describe('signer recovery', () => {
  it('loads the native secp256k1 prebuild on this machine', async () => {
    expect(await createNativeRecoverer()).not.toBeNull();
  });

  it('native and pure-JS recovery agree on real signatures and on random bytes', async () => {
    const native = (await createNativeRecoverer())!;
    const js = createJsRecoverer();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.nat({ max: wallets.length - 1 }),
        (digest, w) => {
          const wallet = wallets[w]!;
          const sig = parseSignatureHex(wallet.signingKey.sign(digest).serialized)!;
          expect(sig).not.toBeNull();
          expect(native.recover(digest, sig)).toBe(wallet.address.toLowerCase());
          expect(js.recover(digest, sig)).toBe(wallet.address.toLowerCase());
          return Promise.resolve();
        },
      ),
      { numRuns: 40 },
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.constantFrom(0, 1),
        (digest, rs, recid) => {
          const bytes = new Uint8Array([...rs, 27 + recid]);
          const sig = parseSignatureBytes(bytes);
          if (!sig) return;
          expect(native.recover(digest, sig)).toBe(js.recover(digest, sig));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses high-s (malleated), zero and out-of-range signatures before recovery', () => {
    const digest = getBytes(`0x${'ab'.repeat(32)}`);
    const good = getBytes(wallets[0]!.signingKey.sign(digest).serialized);
    expect(parseSignatureBytes(good)).not.toBeNull();
    const n = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
    const s = BigInt(hexlify(good.subarray(32, 64)));
    const highS = getBytes(`0x${(n - s).toString(16).padStart(64, '0')}`);
    const malleated = new Uint8Array([
      ...good.subarray(0, 32),
      ...highS,
      good[64] === 27 ? 28 : 27,
    ]);
    expect(parseSignatureBytes(malleated)).toBeNull();
    expect(parseSignatureBytes(new Uint8Array(65).fill(0))).toBeNull();
    const badV = Uint8Array.from(good);
    badV[64] = 29;
    expect(parseSignatureBytes(badV)).toBeNull();
    expect(parseSignatureHex('0x1234')).toBeNull();
  });

  it('the worker pool recovers the same addresses as the inline recoverer', async () => {
    const pool = (await createRecoverPool(2))!;
    expect(pool).not.toBeNull();
    try {
      const digests = Array.from({ length: 50 }, (_, i) =>
        getBytes(`0x${i.toString(16).padStart(64, '0')}`),
      );
      const results = await Promise.all(
        digests.map((d, i) => {
          const wallet = wallets[i % wallets.length]!;
          return pool.recover(d, parseSignatureHex(wallet.signingKey.sign(d).serialized)!);
        }),
      );
      results.forEach((address, i) => {
        expect(address).toBe(wallets[i % wallets.length]!.address.toLowerCase());
      });
      const junk = parseSignatureBytes(
        new Uint8Array([...new Uint8Array(31), 5, ...new Uint8Array(31), 1, 27]),
      );
      expect(junk).not.toBeNull();
      expect(await pool.recover(digests[0]!, junk!)).toBe(
        createJsRecoverer().recover(digests[0]!, junk!),
      );
    } finally {
      await pool.close();
    }
  });

  it('keeps at most one message in flight per worker: requests made meanwhile travel together', async () => {
    const pool = (await createRecoverPool(2))!;
    try {
      const wallet = wallets[0]!;
      const pending: Promise<string | null>[] = [];
      // One request per event-loop turn, as single-report HTTP requests arrive.
      for (let i = 0; i < 300; i++) {
        const digest = getBytes(`0x${(i + 1).toString(16).padStart(64, '0')}`);
        pending.push(
          pool.recover(digest, parseSignatureHex(wallet.signingKey.sign(digest).serialized)!),
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
      const results = await Promise.all(pending);
      expect(new Set(results)).toEqual(new Set([wallet.address.toLowerCase()]));
      const stats = pool.stats();
      expect(stats.items).toBe(300);
      expect(stats.peakMessagesInFlight).toBeLessThanOrEqual(pool.threads);
    } finally {
      await pool.close();
    }
  });
});
