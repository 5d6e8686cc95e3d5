/**
 * DataUnion withdrawals with proofs from `@openzeppelin/merkle-tree`, the tree the union builds.
 * Protects: a member is paid `totalEarnings − withdrawn` exactly once per increase, only against a
 * usable root, only for their own leaf, never more than the contract holds.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { ZeroAddress, parseUnits } from 'ethers';
import { dataUnionAbi } from './generated/data-union.ts';
import { snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { proofOf } from './testing/merkle.ts';
import type { EarningsEntry } from './testing/merkle.ts';
import { revertOf } from './testing/revert.ts';
import { commitRoot, commitTreeUsable, fundUnion } from './testing/union-actions.ts';

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
let alice: string;
let bob: string;
let carol: string;
const one = parseUnits('1', 18);

beforeAll(async () => {
  f = await unionFixture();
  [alice, bob, carol] = f.others.map((s) => s.address) as [string, string, string];
  await fundUnion(f, 100n * one);
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

const balanceOf = (address: string) => f.token.balanceOf(address);

describe('withdrawAll', () => {
  it('pays a member their total, then only the increase of a later root', async () => {
    const first = await commitTreeUsable(f, [
      [alice, 3n * one],
      [bob, one],
    ]);
    expect(
      StandardMerkleTree.verify(
        first.tree.root,
        ['address', 'uint256'],
        [alice, 3n * one],
        proofOf(first.tree, alice),
      ),
    ).toBe(true);
    const relayer = f.union.connect(f.relayer);
    const receipt = await (
      await relayer.withdrawAll(first.block, alice, 3n * one, proofOf(first.tree, alice))
    ).wait();
    expect(await balanceOf(alice)).toBe(3n * one);
    expect(await f.union.withdrawn(alice)).toBe(3n * one);
    const withdrawn = receipt?.logs
      .map((l) => f.union.interface.parseLog(l))
      .find((l) => l?.name === 'Withdrawn');
    expect(withdrawn?.args.toArray()).toEqual([alice, alice, 3n * one]);

    const second = await commitTreeUsable(f, [
      [alice, 5n * one],
      [bob, 2n * one],
    ]);
    await (
      await relayer.withdrawAll(second.block, alice, 5n * one, proofOf(second.tree, alice))
    ).wait();
    expect(await balanceOf(alice)).toBe(5n * one);
    expect(await f.union.totalWithdrawn()).toBe(5n * one);
    expect(await f.union.totalRevenue()).toBe(100n * one);
  });

  it('verifies proofs of every member of a larger tree on-chain', async () => {
    const entries: EarningsEntry[] = f.others.map((s, i) => [s.address, BigInt(i + 1) * one]);
    await fundUnion(f, 100n * one); // 1 + 2 + … + 16 = 136 tokens in total
    const { tree, block } = await commitTreeUsable(f, entries);
    for (const [member, total] of entries) {
      await (await f.union.withdrawAll(block, member, total, proofOf(tree, member))).wait();
      expect(await f.union.withdrawn(member)).toBe(total);
    }
  });

  it('refuses a root that is still frozen', async () => {
    const { tree } = await commitTreeUsable(f, [[alice, one]]);
    const frozen = StandardMerkleTree.of<EarningsEntry>(
      [[alice, 2n * one]],
      ['address', 'uint256'],
    );
    const block = await commitRoot(f, frozen.root);
    const { usableAt } = await f.union.commitOf(block);
    expect(
      await revertOf(
        f.union.withdrawAll(block, alice, 2n * one, proofOf(frozen, alice)),
        dataUnionAbi,
      ),
    ).toEqual({ name: 'RootFrozen', args: [block, usableAt] });
    expect(tree.root).not.toBe(frozen.root);
  });

  it('refuses a revoked root', async () => {
    const tree = StandardMerkleTree.of<EarningsEntry>([[alice, one]], ['address', 'uint256']);
    const block = await commitRoot(f, tree.root);
    await (await f.union.revoke(block)).wait();
    expect(
      await revertOf(f.union.withdrawAll(block, alice, one, proofOf(tree, alice)), dataUnionAbi),
    ).toEqual({ name: 'RootWasRevoked', args: [block] });
  });

  it('refuses a block without a root', async () => {
    expect(await revertOf(f.union.withdrawAll(42, alice, one, []), dataUnionAbi)).toEqual({
      name: 'RootNotCommitted',
      args: [42n],
    });
  });

  it('refuses a wrong amount, a wrong proof and a proof for another member', async () => {
    const { tree, block } = await commitTreeUsable(f, [
      [alice, one],
      [bob, 2n * one],
      [carol, 3n * one],
    ]);
    const attempts = [
      () => f.union.withdrawAll(block, alice, 2n * one, proofOf(tree, alice)),
      () => f.union.withdrawAll(block, alice, one, proofOf(tree, bob)),
      () => f.union.withdrawAll(block, alice, 2n * one, proofOf(tree, bob)),
      () => f.union.connect(f.others[0]!).withdrawAllTo(block, alice, 2n * one, proofOf(tree, bob)),
    ];
    for (const attempt of attempts) {
      expect((await revertOf(attempt(), dataUnionAbi)).name).toBe('InvalidProof');
    }
  });

  it('pays nothing twice and refuses an older, lower total', async () => {
    const older = await commitTreeUsable(f, [[alice, one]]);
    const newer = await commitTreeUsable(f, [[alice, 2n * one]]);
    await (
      await f.union.withdrawAll(newer.block, alice, 2n * one, proofOf(newer.tree, alice))
    ).wait();
    expect(
      await revertOf(
        f.union.withdrawAll(newer.block, alice, 2n * one, proofOf(newer.tree, alice)),
        dataUnionAbi,
      ),
    ).toEqual({ name: 'NothingToWithdraw', args: [alice] });
    expect(
      await revertOf(
        f.union.withdrawAll(older.block, alice, one, proofOf(older.tree, alice)),
        dataUnionAbi,
      ),
    ).toEqual({ name: 'EarningsBelowWithdrawn', args: [one, 2n * one] });
  });

  it('refuses to promise more than the contract holds (bank-run guard)', async () => {
    const { tree, block } = await commitTreeUsable(f, [
      [alice, 60n * one],
      [bob, 60n * one],
    ]);
    await (await f.union.withdrawAll(block, alice, 60n * one, proofOf(tree, alice))).wait();
    expect(
      await revertOf(f.union.withdrawAll(block, bob, 60n * one, proofOf(tree, bob)), dataUnionAbi),
    ).toEqual({ name: 'InsufficientBalance', args: [60n * one, 40n * one] });
    // Once more revenue arrives, bob is paid in full.
    await fundUnion(f, 20n * one);
    await (await f.union.withdrawAll(block, bob, 60n * one, proofOf(tree, bob))).wait();
    expect(await balanceOf(bob)).toBe(60n * one);
    expect(await f.union.totalWithdrawn()).toBe(await f.union.totalRevenue());
  });
});

describe('withdrawAllTo', () => {
  it('pays the caller’s earnings to the recipient they name', async () => {
    const { tree, block } = await commitTreeUsable(f, [[alice, one]]);
    const asAlice = f.union.connect(f.others[0]!);
    await (await asAlice.withdrawAllTo(block, carol, one, proofOf(tree, alice))).wait();
    expect(await balanceOf(carol)).toBe(one);
    expect(await balanceOf(alice)).toBe(0n);
    expect(await f.union.withdrawn(alice)).toBe(one);
  });

  it('refuses the zero address as recipient', async () => {
    const { tree, block } = await commitTreeUsable(f, [[alice, one]]);
    const asAlice = f.union.connect(f.others[0]!);
    expect(
      (
        await revertOf(
          asAlice.withdrawAllTo(block, ZeroAddress, one, proofOf(tree, alice)),
          dataUnionAbi,
        )
      ).name,
    ).toBe('ZeroAddress');
  });
});
