import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { getAddress, hexlify } from 'ethers';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { MAX_UINT256 } from './merkle/encoding.ts';
import { buildTree, closeMerkleWorkers, MerkleError, packEntries } from './merkle.ts';
import { randomEntries, referenceTree } from './merkle/test-helpers.ts';

afterAll(closeMerkleWorkers);

const onThisThread = { threads: 0 } as const;
/** Workers for any size, every level split and several packing chunks: all parallel paths. */
const onWorkers = { threads: 2, parallelThreshold: 1, levelSplitNodes: 2, packChunk: 7 } as const;

describe('buildTree', () => {
  it.each([1, 2, 3, 4, 5, 7, 9, 31, 100, 257])(
    'gives OpenZeppelin’s root and every proof for %i members',
    async (count) => {
      const entries = randomEntries(count, count);
      const reference = referenceTree(entries);
      for (const options of [onThisThread, onWorkers]) {
        const tree = await buildTree(entries, options);
        expect(tree.root).toBe(reference.root);
        expect(tree.leafCount).toBe(count);
        entries.forEach((entry, i) =>
          expect(tree.getProof(entry.address)).toEqual(reference.getProof(i)),
        );
        tree.dispose();
      }
    },
  );

  it('matches OpenZeppelin for arbitrary member lists, totals from 0 to 2^256 - 1', async () => {
    const entry = fc.record({
      address: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => hexlify(b)),
      total: fc.oneof(
        fc.constantFrom(0n, 1n, MAX_UINT256),
        fc.bigInt({ min: 0n, max: MAX_UINT256 }),
      ),
    });
    const entries = fc.uniqueArray(entry, {
      minLength: 1,
      maxLength: 40,
      selector: (e) => e.address,
    });
    await fc.assert(
      fc.asyncProperty(entries, fc.boolean(), async (list, useWorkers) => {
        const reference = referenceTree(list);
        const tree = await buildTree(list, useWorkers ? onWorkers : onThisThread);
        expect(tree.root).toBe(reference.root);
        list.forEach((e, i) => expect(tree.getProof(e.address)).toEqual(reference.getProof(i)));
        tree.dispose();
      }),
      { numRuns: 60 },
    );
  });

  it('builds a 10,000-member tree on worker threads with OpenZeppelin’s root, and its proofs verify', async () => {
    const entries = randomEntries(10_000, 7);
    const reference = referenceTree(entries);
    const tree = await buildTree(entries, onWorkers);
    expect(tree.root).toBe(reference.root);
    for (let i = 0; i < entries.length; i += 97) {
      const { address, total } = entries[i]!;
      const proof = tree.getProof(address);
      expect(proof).toEqual(reference.getProof(i));
      expect(
        StandardMerkleTree.verify(
          tree.root,
          ['address', 'uint256'],
          [address, total.toString()],
          proof,
        ),
      ).toBe(true);
    }
    tree.dispose();
  });

  it('gives the same root whether addresses are checksummed, lower or upper case', async () => {
    const entries = randomEntries(50, 3);
    const lower = await buildTree(entries.map((e) => ({ ...e, address: e.address.toLowerCase() })));
    const checksummed = await buildTree(
      entries.map((e) => ({ ...e, address: getAddress(e.address) })),
    );
    const upper = await buildTree(
      entries.map((e) => ({ ...e, address: `0x${e.address.slice(2).toUpperCase()}` })),
    );
    expect(checksummed.root).toBe(lower.root);
    expect(upper.root).toBe(lower.root);
    const { address, total } = entries[10]!;
    expect(lower.getProof(getAddress(address))).toEqual(lower.getProof(address.toLowerCase()));
    expect(lower.totalOf(getAddress(address))).toBe(total);
  });

  it('accepts packed entries and gives the same tree as the object form', async () => {
    const entries = randomEntries(30, 5);
    const fromObjects = await buildTree(entries);
    const fromPacked = await buildTree(packEntries(entries));
    expect(fromPacked.root).toBe(fromObjects.root);
    expect([...fromPacked.entries()]).toEqual(
      entries.map((e) => ({ address: e.address.toLowerCase(), total: e.total })),
    );
  });

  it('rejects a member listed twice, even in different letter case, naming the address', async () => {
    const entries = randomEntries(40, 9);
    const twin = { address: getAddress(entries[3]!.address), total: 1n };
    const error = await buildTree([...entries, twin]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerkleError);
    expect(error).toMatchObject({ code: 'MERKLE_DUPLICATE_ADDRESS' });
    expect((error as MerkleError).message).toContain(entries[3]!.address.toLowerCase());
    await expect(buildTree([...entries, twin], onWorkers)).rejects.toMatchObject({
      code: 'MERKLE_DUPLICATE_ADDRESS',
    });
  });

  it('with the address index built on the first lookup: the same root and proofs, and a twin caught then', async () => {
    const entries = randomEntries(60, 13);
    const reference = referenceTree(entries);
    for (const options of [onThisThread, onWorkers]) {
      const tree = await buildTree(entries, { ...options, indexAddresses: 'on-first-lookup' });
      expect(tree.root).toBe(reference.root);
      expect(tree.getProof(entries[7]!.address)).toEqual(reference.getProof(7));
      expect(tree.totalOf(entries[8]!.address)).toBe(entries[8]!.total);
    }
    const twin = { address: getAddress(entries[3]!.address), total: 1n };
    const lazy = await buildTree([...entries, twin], { indexAddresses: 'on-first-lookup' });
    expect(() => lazy.has(twin.address)).toThrow(
      expect.objectContaining({ code: 'MERKLE_DUPLICATE_ADDRESS' }),
    );
  });

  it('rejects malformed addresses, negative or oversized totals and an empty list', async () => {
    const ok = '0x' + '11'.repeat(20);
    await expect(buildTree([{ address: '0x1234', total: 1n }])).rejects.toMatchObject({
      code: 'MERKLE_INVALID_ADDRESS',
    });
    await expect(buildTree([{ address: '0x' + 'zz'.repeat(20), total: 1n }])).rejects.toMatchObject(
      { code: 'MERKLE_INVALID_ADDRESS' },
    );
    await expect(buildTree([{ address: ok, total: -1n }])).rejects.toMatchObject({
      code: 'MERKLE_INVALID_TOTAL',
    });
    await expect(buildTree([{ address: ok, total: MAX_UINT256 + 1n }])).rejects.toMatchObject({
      code: 'MERKLE_INVALID_TOTAL',
    });
    await expect(buildTree([])).rejects.toMatchObject({ code: 'MERKLE_EMPTY' });
  });

  it('answers totals and refuses proofs for addresses without a leaf', async () => {
    const entries = randomEntries(5, 11);
    const tree = await buildTree(entries);
    const stranger = '0x' + 'ab'.repeat(20);
    expect(tree.has(stranger)).toBe(false);
    expect(tree.totalOf(stranger)).toBeUndefined();
    expect(tree.totalOf(entries[2]!.address)).toBe(entries[2]!.total);
    expect(() => tree.getProof(stranger)).toThrow(
      expect.objectContaining({ code: 'MERKLE_NOT_IN_TREE' }),
    );
  });

  it('refuses every call after dispose', async () => {
    const tree = await buildTree(randomEntries(3));
    tree.dispose();
    expect(() => tree.has('0x' + '11'.repeat(20))).toThrow(
      expect.objectContaining({ code: 'MERKLE_DISPOSED' }),
    );
  });
});
