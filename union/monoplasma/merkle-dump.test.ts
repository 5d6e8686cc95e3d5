import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { afterAll, describe, expect, it } from 'vitest';

import { buildTree, closeMerkleWorkers, loadTree } from './merkle.ts';
import { randomEntries } from './merkle/test-helpers.ts';

afterAll(closeMerkleWorkers);

describe('tree dumps', () => {
  it('reload with the same root, totals and proofs', async () => {
    const entries = randomEntries(101, 2);
    const tree = await buildTree(entries);
    const loaded = await loadTree(tree.dump());
    expect(loaded.root).toBe(tree.root);
    expect(loaded.leafCount).toBe(101);
    for (const { address, total } of entries) {
      expect(loaded.getProof(address)).toEqual(tree.getProof(address));
      expect(loaded.totalOf(address)).toBe(total);
    }
  });

  it('reload from an unaligned copy, as a file read into a Buffer slice can be', async () => {
    const tree = await buildTree(randomEntries(9, 4));
    const dump = tree.dump();
    const unaligned = new Uint8Array(dump.length + 1).subarray(1);
    unaligned.set(dump);
    expect((await loadTree(unaligned)).root).toBe(tree.root);
  });

  it('refuse a truncated or foreign file', async () => {
    const dump = (await buildTree(randomEntries(9, 4))).dump();
    await expect(loadTree(dump.subarray(0, dump.length - 1))).rejects.toMatchObject({
      code: 'MERKLE_INVALID_DUMP',
    });
    await expect(
      loadTree(new TextEncoder().encode('{"format":"standard-v1"}')),
    ).rejects.toMatchObject({ code: 'MERKLE_INVALID_DUMP' });
  });

  it('never hand out a proof for a tampered total, and verify mode rejects the file at load', async () => {
    const entries = randomEntries(20, 6);
    const dump = (await buildTree(entries)).dump();
    const totalsStart = 12 + 20 * entries.length;
    dump[totalsStart + 31]! ^= 1; // entry 0 now claims a different total
    const loaded = await loadTree(dump);
    expect(() => loaded.getProof(entries[0]!.address)).toThrow(
      expect.objectContaining({ code: 'MERKLE_INVALID_DUMP' }),
    );
    await expect(loadTree(dump, { verify: true })).rejects.toMatchObject({
      code: 'MERKLE_INVALID_DUMP',
    });
  });

  it('export OpenZeppelin’s JSON format, which StandardMerkleTree.load accepts and validates', async () => {
    const entries = randomEntries(12, 8);
    const tree = await buildTree(entries);
    const oz = StandardMerkleTree.load(tree.toStandardDump());
    expect(oz.root).toBe(tree.root);
    expect(oz.getProof(5)).toEqual(tree.getProof(entries[5]!.address));
  });
});
