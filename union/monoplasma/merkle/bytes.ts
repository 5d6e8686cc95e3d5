/** Small byte helpers shared by the hashing loops and the tree layout. */
import { HASH_BYTES } from './encoding.ts';

/** A 32-bit word view of a 4-byte aligned byte array. */
export function words(bytes: Uint8Array): Uint32Array {
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
}

/** Lexicographic comparison of two 32-byte hashes stored in the same buffer. */
export function compareHashes(bytes: Uint8Array, a: number, b: number): number {
  for (let k = 0; k < HASH_BYTES; k++) {
    const diff = (bytes[a + k] ?? 0) - (bytes[b + k] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Whether 32-byte hashes `a[aOffset…]` and `b[bOffset…]` are equal. */
export function equalHashes(
  a: Uint8Array,
  aOffset: number,
  b: Uint8Array,
  bOffset: number,
): boolean {
  for (let k = 0; k < HASH_BYTES; k++) if (a[aOffset + k] !== b[bOffset + k]) return false;
  return true;
}
