/**
 * The benchmark's synthetic deep proofs must be real proofs: checked here with OpenZeppelin's own
 * verifier, the same one the union's proofs are checked with.
 */
import { describe, expect, it } from 'vitest';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { Wallet } from 'ethers';
import { earningsTree, leafHash, proofOf, syntheticProof } from './merkle.ts';

const member = Wallet.createRandom().address;

describe('merkle helpers', () => {
  it('hash leaves exactly like StandardMerkleTree', () => {
    const tree = earningsTree([
      [member, 5n],
      [Wallet.createRandom().address, 7n],
    ]);
    expect(tree.leafHash([member, 5n])).toBe(leafHash(member, 5n));
    expect(proofOf(tree, member.toLowerCase())).toEqual(tree.getProof([member, 5n]));
  });

  it('build synthetic proofs of any depth that OpenZeppelin verifies', () => {
    for (const depth of [1, 10, 20]) {
      const { root, proof } = syntheticProof(leafHash(member, 123n), depth);
      expect(proof).toHaveLength(depth);
      expect(StandardMerkleTree.verify(root, ['address', 'uint256'], [member, 123n], proof)).toBe(
        true,
      );
      expect(StandardMerkleTree.verify(root, ['address', 'uint256'], [member, 124n], proof)).toBe(
        false,
      );
    }
  });
});
