/**
 * Signer recovery for EIP-712 digests. The native `secp256k1` prebuild (libsecp256k1,
 * ≈ 16,000 recoveries/s per core) is used when it loads; otherwise ethers' pure-JS recovery
 * (≈ 600/s) gives the same answers (a test compares both on valid and invalid signatures).
 *
 * We load `secp256k1/bindings` directly: the package's own entry silently falls back to the
 * `elliptic` JS library, which would hide a broken native build behind a 25× slowdown.
 */
import { createRequire } from 'node:module';

import { recoverAddress, Signature } from 'ethers';
import { createKeccak } from 'hash-wasm';

import type { CompactSignature } from './signature.ts';

export interface Recoverer {
  /** 'native' (libsecp256k1) or 'js' (ethers). */
  readonly kind: 'native' | 'js';
  /** Lowercase 0x address that signed `digest`, or null when no key did. */
  recover(digest: Uint8Array, signature: CompactSignature): string | null;
}

interface NativeSecp256k1 {
  ecdsaRecover(
    sig: Uint8Array,
    recid: number,
    msg32: Uint8Array,
    compressed: boolean,
    output?: Uint8Array,
  ): Uint8Array;
}

const require = createRequire(import.meta.url);

/** The native binding, or null when its prebuild cannot be loaded on this machine. */
export function loadNativeSecp256k1(): NativeSecp256k1 | null {
  try {
    return require('secp256k1/bindings') as NativeSecp256k1;
  } catch {
    return null;
  }
}

/** Absolute paths the recovery worker threads `require`. */
export function recoveryModulePaths(): { secp256k1: string; hashWasm: string } {
  return {
    secp256k1: require.resolve('secp256k1/bindings'),
    hashWasm: require.resolve('hash-wasm'),
  };
}

function toHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

export function createJsRecoverer(): Recoverer {
  return {
    kind: 'js',
    recover(digest, signature) {
      try {
        const sig = Signature.from({
          r: toHex(signature.rs.subarray(0, 32)),
          s: toHex(signature.rs.subarray(32, 64)),
          v: 27 + signature.recid,
        });
        return recoverAddress(digest, sig).toLowerCase();
      } catch {
        return null;
      }
    },
  };
}

export async function createNativeRecoverer(): Promise<Recoverer | null> {
  const native = loadNativeSecp256k1();
  if (!native) return null;
  const keccak = await createKeccak(256);
  const publicKey = new Uint8Array(65);
  return {
    kind: 'native',
    recover(digest, signature) {
      try {
        native.ecdsaRecover(signature.rs, signature.recid, digest, false, publicKey);
      } catch {
        return null;
      }
      const hash = keccak.init().update(publicKey.subarray(1)).digest('binary');
      return toHex(hash.subarray(12));
    },
  };
}

/** The fastest correct recoverer available here. */
export async function createRecoverer(
  options: { preferNative?: boolean } = {},
): Promise<Recoverer> {
  if (options.preferNative !== false) {
    const native = await createNativeRecoverer();
    if (native) return native;
  }
  return createJsRecoverer();
}
