/**
 * The two hashing loops of the tree build, shared by the main thread (small trees) and the
 * worker threads (large trees). Both write into caller-provided buffers and allocate nothing
 * per leaf except hash-wasm's 32-byte digest.
 */
import { createKeccak } from 'hash-wasm';

import { HASH_BYTES } from './encoding.ts';
import { compareHashes, words } from './bytes.ts';
import { copyNodeWords, type TreeStore } from './layout.ts';

/** The subset of hash-wasm's IHasher the loops use (a reused keccak-256 instance). */
export interface Keccak256 {
  init(): unknown;
  update(data: Uint8Array): unknown;
  digest(outputType: 'binary'): Uint8Array;
}

export function createKeccak256(): Promise<Keccak256> {
  return createKeccak(256);
}

/**
 * Leaf `i` of `[from, to)`: `keccak256(keccak256(abi.encode(address, uint256)))` (OpenZeppelin
 * StandardMerkleTree's leaf hash), written in entry order to `out` from hash slot `outFirst`.
 */
export function hashLeaves(
  keccak: Keccak256,
  addresses: Uint8Array,
  totals: Uint8Array,
  out: Uint8Array,
  from: number,
  to: number,
  outFirst = from,
): void {
  // abi.encode(address, uint256) as 16 words: 3 zero words of padding, 5 of address, 8 of
  // total. Copying words, not bytes: packed buffers are always 4-byte aligned (encoding.ts).
  const encoded = new Uint8Array(new ArrayBuffer(64));
  const encodedWords = new Uint32Array(encoded.buffer);
  // hash-wasm reads `.buffer` of every input; on the tiny on-heap array returned by digest()
  // that allocates a backing store each time, so the inner hash is copied to a fixed buffer
  // first (≈ 20 % faster leaf hashing).
  const inner = new Uint8Array(new ArrayBuffer(HASH_BYTES));
  const addressWords = words(addresses);
  const totalWords = words(totals);
  for (let i = from; i < to; i++) {
    const a = i * 5;
    for (let w = 0; w < 5; w++) encodedWords[3 + w] = addressWords[a + w] ?? 0;
    const t = i * 8;
    for (let w = 0; w < 8; w++) encodedWords[8 + w] = totalWords[t + w] ?? 0;
    keccak.init();
    keccak.update(encoded);
    inner.set(keccak.digest('binary'));
    keccak.init();
    keccak.update(inner);
    out.set(keccak.digest('binary'), (i - from + outFirst) * HASH_BYTES);
  }
}

/**
 * Internal nodes `[from, to)`, highest index first so a range may span several levels:
 * node i = keccak256(sorted(node 2i+1, node 2i+2)). Every node above `to` must be in place.
 */
export function hashNodes(keccak: Keccak256, tree: TreeStore, from: number, to: number): void {
  const pair = new Uint8Array(new ArrayBuffer(64));
  const pairWords = new Uint32Array(pair.buffer);
  const internalWords = words(tree.internal);
  const leafWords = words(tree.leaves);
  for (let i = to - 1; i >= from; i--) {
    copyNodeWords(tree.order, internalWords, leafWords, 2 * i + 1, pairWords, 0);
    copyNodeWords(tree.order, internalWords, leafWords, 2 * i + 2, pairWords, 8);
    hashSortedPair(keccak, pair, pairWords);
    tree.internal.set(keccak.digest('binary'), i * HASH_BYTES);
  }
}

/** Starts a keccak of the 64-byte `pair` with its two halves in ascending order (may swap them). */
export function hashSortedPair(keccak: Keccak256, pair: Uint8Array, pairWords: Uint32Array): void {
  if (compareHashes(pair, 0, HASH_BYTES) > 0) {
    for (let w = 0; w < 8; w++) {
      const left = pairWords[w] ?? 0;
      pairWords[w] = pairWords[w + 8] ?? 0;
      pairWords[w + 8] = left;
    }
  }
  keccak.init();
  keccak.update(pair);
}
