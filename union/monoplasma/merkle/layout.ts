/**
 * The tree layout of OpenZeppelin's StandardMerkleTree (merkle-tree 1.x `core.ts`), replicated so
 * roots and proofs are identical: leaf hashes sorted ascending; an array of 2n-1 nodes whose
 * last n slots hold the sorted leaves in reverse (sorted leaf k at index 2n-2-k); node i has
 * children 2i+1 and 2i+2; a proof is the sibling of each node on the path up to the root.
 *
 * In memory the array is split in two (TreeStore): the n-1 internal nodes in array order, and
 * the n leaves in *entry* order, reached through `order` (rank → entry). Leaves are never
 * copied into sorted position: at 1 M members that copy is a ~0.3 s random-access pass.
 */
import { endianness } from 'node:os';

import { compareHashes } from './bytes.ts';
import { HASH_BYTES } from './encoding.ts';

export const treeSize = (leafCount: number): number => 2 * leafCount - 1;

/** Tree index of the leaf that is `rank`-th in ascending hash order. */
export const leafTreeIndex = (leafCount: number, rank: number): number =>
  treeSize(leafCount) - 1 - rank;

/** Whether 64-bit sort keys can be assembled from two native 32-bit words (little-endian). */
export const nativeSortKeys = endianness() === 'LE';

/**
 * Sort key of leaf i: (first 4 hash bytes as a big-endian uint32) · 2^32 + i, written as two
 * native words of a BigUint64Array (`words[2i]` is the low half on little-endian machines).
 */
export function writeSortKeys(
  leafHashes: Uint8Array,
  words: Uint32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const h = i * HASH_BYTES;
    words[2 * i] = i;
    words[2 * i + 1] =
      (((leafHashes[h] ?? 0) << 24) |
        ((leafHashes[h + 1] ?? 0) << 16) |
        ((leafHashes[h + 2] ?? 0) << 8) |
        (leafHashes[h + 3] ?? 0)) >>>
      0;
  }
}

/**
 * Entry indices ordered by ascending leaf hash. Sorts the 64-bit keys of writeSortKeys natively,
 * then settles the rare runs that share their first 4 bytes with a full comparison (an attacker
 * grinding addresses for equal prefixes only lengthens those runs). `keys` is consumed.
 */
export function sortLeafOrder(leafHashes: Uint8Array, keys: BigUint64Array): Uint32Array {
  const count = keys.length;
  const order = new Uint32Array(new SharedArrayBuffer(count * 4));
  const byHash = (a: number, b: number) =>
    compareHashes(leafHashes, a * HASH_BYTES, b * HASH_BYTES);
  if (!nativeSortKeys) {
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort(byHash);
    return order;
  }
  keys.sort();
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * count);
  for (let k = 0; k < count; k++) order[k] = words[2 * k] ?? 0;
  let runStart = 0;
  for (let k = 1; k <= count; k++) {
    if (k < count && words[2 * k + 1] === words[2 * runStart + 1]) continue;
    if (k - runStart > 1) order.subarray(runStart, k).sort(byHash);
    runStart = k;
  }
  return order;
}

/** The tree: internal nodes 0 … n-2 (32 bytes each) and leaves in entry order. */
export interface TreeStore {
  readonly internal: Uint8Array;
  readonly leaves: Uint8Array;
  /** Rank in ascending leaf-hash order → entry index. */
  readonly order: Uint32Array;
}

/** Per entry, the array index of its leaf: the inverse of `order`, shifted into the leaf range. */
export function leafIndexOfEntries(order: Uint32Array): Uint32Array {
  const count = order.length;
  const indexOf = new Uint32Array(count);
  for (let rank = 0; rank < count; rank++) indexOf[order[rank] ?? 0] = leafTreeIndex(count, rank);
  return indexOf;
}

/**
 * Copies node `index` (array layout) into `out` at word `at`, as 8 32-bit words (all buffers are
 * 4-byte aligned). `internalWords`, `leafWords` are word views of the store's two buffers.
 */
export function copyNodeWords(
  order: Uint32Array,
  internalWords: Uint32Array,
  leafWords: Uint32Array,
  index: number,
  out: Uint32Array,
  at: number,
): void {
  const count = order.length;
  let source = internalWords;
  let from = index * 8;
  if (index >= count - 1) {
    source = leafWords;
    from = (order[treeSize(count) - 1 - index] ?? 0) * 8;
  }
  for (let w = 0; w < 8; w++) out[at + w] = source[from + w] ?? 0;
}

/**
 * The internal-node ranges `[from, to)` of each tree depth, deepest first. All nodes of one
 * depth depend only on deeper nodes, so a depth may be split across threads.
 */
export function internalLevels(leafCount: number): Array<[number, number]> {
  const internal = leafCount - 1; // nodes 0 … n-2
  const levels: Array<[number, number]> = [];
  for (let start = 0; start < internal; start = 2 * start + 1) {
    levels.push([start, Math.min(2 * start + 1, internal)]);
  }
  return levels.reverse();
}

/** Sibling tree indices from a leaf up to (not including) the root. */
export function proofPath(treeIndex: number): number[] {
  const path: number[] = [];
  for (let i = treeIndex; i > 0; i = (i - 1) >> 1) path.push(i % 2 === 1 ? i + 1 : i - 1);
  return path;
}
