/**
 * DataUnion roots: who may commit, in what order, the freeze period and the admin's revoke.
 * Protects: no root is usable before `freezePeriod` has passed since its own commit, and a revoked
 * root is never usable.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZeroHash, hexlify, randomBytes, zeroPadValue } from 'ethers';
import { dataUnionAbi } from './generated/data-union.ts';
import {
  FREEZE_PERIOD,
  latestTimestamp,
  mineAt,
  snapshotter,
  unionFixture,
} from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { revertOf } from './testing/revert.ts';
import { commitRoot } from './testing/union-actions.ts';

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
const randomRoot = () => hexlify(randomBytes(32));

beforeAll(async () => {
  f = await unionFixture();
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

describe('commit', () => {
  it('stores a frozen root that becomes usable exactly freezePeriod seconds after the commit', async () => {
    const root = randomRoot();
    const block = BigInt(await f.provider.getBlockNumber());
    const tx = await f.union
      .connect(f.operator)
      .commit(block, root, 'https://u.example/v1/state/1');
    const receipt = await tx.wait();
    const committedAt = await latestTimestamp(f.provider);

    const log = receipt?.logs.map((l) => f.union.interface.parseLog(l)).find(Boolean);
    expect(log?.name).toBe('RootCommitted');
    expect(log?.args.toArray()).toEqual([block, root, 'https://u.example/v1/state/1']);
    expect(await f.union.latestCommittedBlock()).toBe(block);
    expect([...(await f.union.commitOf(block))]).toEqual([
      root,
      committedAt + FREEZE_PERIOD,
      false,
    ]);

    await mineAt(f.provider, committedAt + FREEZE_PERIOD - 1n);
    expect(await f.union.isUsable(block)).toBe(false);
    await mineAt(f.provider, committedAt + FREEZE_PERIOD);
    expect(await f.union.isUsable(block)).toBe(true);
  });

  it('rejects a commit from anyone but the operator', async () => {
    const stranger = f.union.connect(f.others[0]!);
    const block = await f.provider.getBlockNumber();
    expect(await revertOf(stranger.commit(block, randomRoot(), ''), dataUnionAbi)).toEqual({
      name: 'NotOperator',
      args: [f.others[0]!.address],
    });
    // The admin is not the operator either.
    expect((await revertOf(f.union.commit(block, randomRoot(), ''), dataUnionAbi)).name).toBe(
      'NotOperator',
    );
  });

  it('requires strictly increasing block numbers', async () => {
    const block = await commitRoot(f, randomRoot());
    const operator = f.union.connect(f.operator);
    expect(await revertOf(operator.commit(block, randomRoot(), ''), dataUnionAbi)).toEqual({
      name: 'BlockNotIncreasing',
      args: [block, block],
    });
    expect(await revertOf(operator.commit(block - 1n, randomRoot(), ''), dataUnionAbi)).toEqual({
      name: 'BlockNotIncreasing',
      args: [block - 1n, block],
    });
    await commitRoot(f, randomRoot());
  });

  it('rejects a block that is not mined yet, so nobody can block future commits', async () => {
    const next = BigInt(await f.provider.getBlockNumber()) + 1n;
    const operator = f.union.connect(f.operator);
    expect(await revertOf(operator.commit(next, randomRoot(), ''), dataUnionAbi)).toEqual({
      name: 'BlockNotMined',
      args: [next, next],
    });
  });

  it('rejects the zero root and the revocation marker as roots', async () => {
    const block = await f.provider.getBlockNumber();
    const operator = f.union.connect(f.operator);
    for (const root of [ZeroHash, zeroPadValue('0x01', 32)]) {
      expect((await revertOf(operator.commit(block, root, ''), dataUnionAbi)).name).toBe(
        'InvalidRoot',
      );
    }
  });

  it('reports nothing for a block that was never committed', async () => {
    expect([...(await f.union.commitOf(123))]).toEqual([ZeroHash, 0n, false]);
    expect(await f.union.isUsable(123)).toBe(false);
    expect(await f.union.latestCommittedBlock()).toBe(0n);
  });
});

describe('commits faster than the freeze period', () => {
  it('keeps each root frozen for its own full freeze period', async () => {
    const first = await commitRoot(f, randomRoot());
    const firstAt = await latestTimestamp(f.provider);
    await mineAt(f.provider, firstAt + FREEZE_PERIOD / 2n);
    const second = await commitRoot(f, randomRoot());
    const secondAt = await latestTimestamp(f.provider);
    const third = await commitRoot(f, randomRoot());
    const thirdAt = await latestTimestamp(f.provider);

    expect((await f.union.commitOf(first)).usableAt).toBe(firstAt + FREEZE_PERIOD);
    expect((await f.union.commitOf(second)).usableAt).toBe(secondAt + FREEZE_PERIOD);
    expect((await f.union.commitOf(third)).usableAt).toBe(thirdAt + FREEZE_PERIOD);

    await mineAt(f.provider, firstAt + FREEZE_PERIOD);
    expect(await f.union.isUsable(first)).toBe(true);
    expect(await f.union.isUsable(second)).toBe(false);
    await mineAt(f.provider, secondAt + FREEZE_PERIOD);
    expect(await f.union.isUsable(second)).toBe(true);
    expect(await f.union.isUsable(third)).toBe(false);
  });

  it('forgets commit times once everything before the latest root is usable', async () => {
    const first = await commitRoot(f, randomRoot());
    const second = await commitRoot(f, randomRoot()); // first is still frozen here
    const secondAt = await latestTimestamp(f.provider);
    await mineAt(f.provider, secondAt + FREEZE_PERIOD);
    const third = await commitRoot(f, randomRoot()); // second is usable, so first is too

    expect(await f.union.isUsable(first)).toBe(true);
    expect(await f.union.isUsable(second)).toBe(true);
    expect(await f.union.isUsable(third)).toBe(false);
    // An old, usable root's commit time lives in its RootCommitted event only.
    expect((await f.union.commitOf(first)).usableAt).toBe(0n);
  });
});

describe('revoke', () => {
  it('lets the admin revoke a frozen root so it never becomes usable', async () => {
    const root = randomRoot();
    const block = await commitRoot(f, root);
    const receipt = await (await f.union.revoke(block)).wait();
    const log = receipt?.logs.map((l) => f.union.interface.parseLog(l)).find(Boolean);
    expect(log?.name).toBe('RootRevoked');
    expect(log?.args.toArray()).toEqual([block, root]);

    await mineAt(f.provider, (await latestTimestamp(f.provider)) + FREEZE_PERIOD * 2n);
    expect(await f.union.isUsable(block)).toBe(false);
    const info = await f.union.commitOf(block);
    expect([info.root, info.revoked]).toEqual([ZeroHash, true]);
    expect(await revertOf(f.union.revoke(block), dataUnionAbi)).toEqual({
      name: 'RootWasRevoked',
      args: [block],
    });
  });

  it('still requires later commits to use higher block numbers', async () => {
    const block = await commitRoot(f, randomRoot());
    await (await f.union.revoke(block)).wait();
    expect(await f.union.latestCommittedBlock()).toBe(block);
    const operator = f.union.connect(f.operator);
    expect((await revertOf(operator.commit(block, randomRoot(), ''), dataUnionAbi)).name).toBe(
      'BlockNotIncreasing',
    );
    const next = await commitRoot(f, randomRoot());
    expect(next).toBeGreaterThan(block);
  });

  it('keeps an earlier frozen root frozen for its full period when the latest is revoked', async () => {
    const first = await commitRoot(f, randomRoot());
    const firstAt = await latestTimestamp(f.provider);
    const second = await commitRoot(f, randomRoot());
    await (await f.union.revoke(second)).wait();
    await mineAt(f.provider, firstAt + FREEZE_PERIOD - 10n);
    await commitRoot(f, randomRoot());
    expect(await f.union.isUsable(first)).toBe(false);
    await mineAt(f.provider, firstAt + FREEZE_PERIOD);
    expect(await f.union.isUsable(first)).toBe(true);
  });

  it('cannot revoke a root whose freeze period is over', async () => {
    const block = await commitRoot(f, randomRoot());
    const usableAt = (await f.union.commitOf(block)).usableAt;
    await f.provider.send('evm_setNextBlockTimestamp', [Number(usableAt)]);
    expect(await revertOf(f.union.revoke(block), dataUnionAbi)).toEqual({
      name: 'RootAlreadyUsable',
      args: [block, usableAt],
    });
  });

  it('cannot revoke a block that was never committed', async () => {
    expect(await revertOf(f.union.revoke(7), dataUnionAbi)).toEqual({
      name: 'RootNotCommitted',
      args: [7n],
    });
  });

  it('is for the admin only, not the operator', async () => {
    const block = await commitRoot(f, randomRoot());
    const operator = f.union.connect(f.operator);
    expect(await revertOf(operator.revoke(block), dataUnionAbi)).toEqual({
      name: 'OwnableUnauthorizedAccount',
      args: [f.operator.address],
    });
  });
});
