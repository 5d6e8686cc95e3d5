/** Shared fixtures for the Merkle tests: reproducible random members and OpenZeppelin's tree. */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';

import type { MerkleEntry } from './encoding.ts';

/** `count` members with distinct addresses and a mix of zero, small, 18-decimal and huge totals. */
export function randomEntries(count: number, seed = 1): MerkleEntry[] {
  let state = BigInt(seed);
  const next = () => (state = (state * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n);
  return Array.from({ length: count }, (_, i) => ({
    // 12 pseudo-random bytes, then the index: distinct, and spread over the whole hash space.
    address: `0x${(next() << 32n).toString(16).padStart(24, '0').slice(0, 24)}${i.toString(16).padStart(16, '0')}`,
    total: next() % 4n === 0n ? 0n : next() ** (1n + (next() % 4n)),
  }));
}

export function referenceTree(
  entries: readonly MerkleEntry[],
): StandardMerkleTree<[string, string]> {
  return StandardMerkleTree.of(
    entries.map((e): [string, string] => [e.address, e.total.toString()]),
    ['address', 'uint256'],
  );
}
