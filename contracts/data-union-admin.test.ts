/**
 * DataUnion administration: initialisation checks (of a clone made by the factory), operator replacement, the bounded admin fee and
 * the two-step admin transfer. Protects: the fee can never exceed 50 %, only the admin changes
 * roles, and the admin role can never be lost to a typo or renounced.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZeroAddress, hexlify, randomBytes } from 'ethers';
import { createUnion, sendCreateUnion } from './factory.ts';
import type { UnionSettings } from './factory.ts';
import { dataUnionAbi, dataUnionAt } from './generated/data-union.ts';
import { FREEZE_PERIOD, snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { MAX_FREEZE_PERIOD_SECONDS, MIN_FREEZE_PERIOD_SECONDS } from './freeze-period.ts';
import { revertOf } from './testing/revert.ts';
import { commitRoot } from './testing/union-actions.ts';

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
const MAX_FEE = 5n * 10n ** 17n;

beforeAll(async () => {
  f = await unionFixture({ adminFeeFraction: 10n ** 17n });
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

describe('initialize (through the factory)', () => {
  const settings = (overrides: Partial<UnionSettings>): UnionSettings => ({
    token: f.deployment.token,
    operator: f.operator.address,
    freezePeriodSeconds: FREEZE_PERIOD,
    adminFeeFraction: 0n,
    pricePerSecond: 1n,
    name: 'another union',
    metadataUrl: 'http://127.0.0.1:1',
    ...overrides,
  });
  const create = (overrides: Partial<UnionSettings>) =>
    sendCreateUnion(f.admin, f.deployment.factory, settings(overrides));

  it('records the token, freeze period, roles and fee it was given', async () => {
    expect(await f.union.token()).toBe(f.deployment.token);
    expect(await f.union.freezePeriod()).toBe(FREEZE_PERIOD);
    expect(await f.union.owner()).toBe(f.admin.address);
    expect(await f.union.operator()).toBe(f.operator.address);
    expect(await f.union.adminFeeFraction()).toBe(10n ** 17n);
  });

  it('refuses a fee above 50 %, a freeze period above 30 days and zero addresses', async () => {
    expect(await revertOf(create({ adminFeeFraction: MAX_FEE + 1n }), dataUnionAbi)).toEqual({
      name: 'AdminFeeTooHigh',
      args: [MAX_FEE + 1n, MAX_FEE],
    });
    for (const long of [30n * 86_400n + 1n, 2n ** 32n + FREEZE_PERIOD]) {
      // 2^32 + an hour would be an hour if the 32-bit clone argument were truncated.
      expect(await revertOf(create({ freezePeriodSeconds: long }), dataUnionAbi)).toEqual({
        name: 'FreezePeriodTooLong',
        args: [long, 30n * 86_400n],
      });
    }
    expect((await revertOf(create({ token: ZeroAddress }), dataUnionAbi)).name).toBe('ZeroAddress');
    expect((await revertOf(create({ operator: ZeroAddress }), dataUnionAbi)).name).toBe(
      'ZeroAddress',
    );
  });

  it('refuses a freeze period under a minute, which would leave no time to revoke', async () => {
    // With no freeze a root is usable in its own block and `revoke` can never succeed.
    for (const short of [0n, 59n]) {
      expect(await revertOf(create({ freezePeriodSeconds: short }), dataUnionAbi)).toEqual({
        name: 'FreezePeriodTooShort',
        args: [short, 60n],
      });
    }
    const created = await createUnion(
      f.admin,
      f.deployment.factory,
      settings({ freezePeriodSeconds: 60n }),
    );
    expect(await dataUnionAt(created.union, f.admin).freezePeriod()).toBe(60n);
    // The deploy CLI refuses the same values before sending anything (contracts/freeze-period.ts).
    expect(await f.union.MIN_FREEZE_PERIOD()).toBe(MIN_FREEZE_PERIOD_SECONDS);
    expect(await f.union.MAX_FREEZE_PERIOD()).toBe(MAX_FREEZE_PERIOD_SECONDS);
  });
});

describe('setOperator', () => {
  it('hands committing over to the new operator', async () => {
    const next = f.others[0]!;
    const receipt = await (await f.union.setOperator(next.address)).wait();
    const log = receipt?.logs.map((l) => f.union.interface.parseLog(l)).find(Boolean);
    expect(log?.name).toBe('OperatorChanged');
    expect(log?.args.toArray()).toEqual([f.operator.address, next.address]);

    const block = await f.provider.getBlockNumber();
    const root = hexlify(randomBytes(32));
    expect(
      (await revertOf(f.union.connect(f.operator).commit(block, root, ''), dataUnionAbi)).name,
    ).toBe('NotOperator');
    await (await f.union.connect(next).commit(block, root, '')).wait();
  });

  it('is for the admin only and refuses the zero address', async () => {
    expect(
      await revertOf(f.union.connect(f.operator).setOperator(f.operator.address), dataUnionAbi),
    ).toEqual({ name: 'OwnableUnauthorizedAccount', args: [f.operator.address] });
    expect((await revertOf(f.union.setOperator(ZeroAddress), dataUnionAbi)).name).toBe(
      'ZeroAddress',
    );
  });
});

describe('setAdminFee', () => {
  it('accepts up to 50 % and refuses more', async () => {
    const receipt = await (await f.union.setAdminFee(MAX_FEE)).wait();
    const log = receipt?.logs.map((l) => f.union.interface.parseLog(l)).find(Boolean);
    expect(log?.args.toArray()).toEqual([10n ** 17n, MAX_FEE]);
    expect(await f.union.adminFeeFraction()).toBe(MAX_FEE);
    expect(await revertOf(f.union.setAdminFee(MAX_FEE + 1n), dataUnionAbi)).toEqual({
      name: 'AdminFeeTooHigh',
      args: [MAX_FEE + 1n, MAX_FEE],
    });
  });

  it('is for the admin only', async () => {
    expect((await revertOf(f.union.connect(f.operator).setAdminFee(0), dataUnionAbi)).name).toBe(
      'OwnableUnauthorizedAccount',
    );
  });
});

describe('admin transfer', () => {
  it('takes two steps: the new admin must accept', async () => {
    const next = f.others[1]!;
    await (await f.union.transferOwnership(next.address)).wait();
    expect(await f.union.owner()).toBe(f.admin.address);
    expect(await f.union.pendingOwner()).toBe(next.address);
    expect(await revertOf(f.union.connect(f.others[2]!).acceptOwnership(), dataUnionAbi)).toEqual({
      name: 'OwnableUnauthorizedAccount',
      args: [f.others[2]!.address],
    });

    await (await f.union.connect(next).acceptOwnership()).wait();
    expect(await f.union.owner()).toBe(next.address);
    const block = await commitRoot(f, hexlify(randomBytes(32)));
    expect((await revertOf(f.union.revoke(block), dataUnionAbi)).name).toBe(
      'OwnableUnauthorizedAccount',
    );
    await (await f.union.connect(next).revoke(block)).wait();
  });

  it('cannot be renounced, so a fraudulent root can always be revoked', async () => {
    expect((await revertOf(f.union.renounceOwnership(), dataUnionAbi)).name).toBe(
      'RenounceDisabled',
    );
  });
});
