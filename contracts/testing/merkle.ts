/**
 * Merkle helpers for tests and the gas benchmark. Real trees come from `@openzeppelin/merkle-tree`
 * (what the union uses); `syntheticProof` builds a valid proof of any depth without building a
 * tree of 2^depth leaves, by hashing the leaf up with random siblings exactly as OpenZeppelin's
 * `MerkleProof` does (sorted pairs).
 */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { AbiCoder, concat, hexlify, keccak256, randomBytes } from 'ethers';

export type EarningsEntry = [member: string, totalEarnings: bigint];

/** The union's tree: `StandardMerkleTree` over `[address, uint256]` (DESIGN §3). */
export function earningsTree(entries: readonly EarningsEntry[]): StandardMerkleTree<EarningsEntry> {
  return StandardMerkleTree.of([...entries], ['address', 'uint256']);
}

/** The proof of `member`'s entry in `tree`; throws if the member is not in it. */
export function proofOf(tree: StandardMerkleTree<EarningsEntry>, member: string): string[] {
  for (const [index, [address]] of tree.entries()) {
    if (address.toLowerCase() === member.toLowerCase()) return tree.getProof(index);
  }
  throw new Error(`${member} is not in the tree`);
}

/** `keccak256(bytes.concat(keccak256(abi.encode(member, total))))`, as the contract computes it. */
export function leafHash(member: string, totalEarnings: bigint): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ['address', 'uint256'],
    [member, totalEarnings],
  );
  return keccak256(keccak256(encoded));
}

/** OpenZeppelin's commutative node hash: keccak256 of the two children in ascending order. */
export function hashPair(a: string, b: string): string {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** A proof of exactly `depth` siblings for `leaf`, and the root it proves against. */
export function syntheticProof(leaf: string, depth: number): { root: string; proof: string[] } {
  const proof = Array.from({ length: depth }, () => hexlify(randomBytes(32)));
  const root = proof.reduce((node, sibling) => hashPair(node, sibling), leaf);
  return { root, proof };
}
