/**
 * Unions are clones of one locked template (issue 20). Property tests, with random callers and
 * arguments: the template can be neither initialised nor used; a clone initialises once and never
 * again; two clones of the same template, even sharing an operator and a token, are independent;
 * and the hand-written proof loop accepts exactly OpenZeppelin `StandardMerkleTree` proofs, at
 * every depth remainder of its four-level unrolling.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ContractFactory, Wallet, ZeroAddress, getAddress, solidityPacked } from 'ethers';
import type { JsonRpcSigner } from 'ethers';
import { unionDomain } from '../extension/protocol/eip712.ts';
import { createUnion } from './factory.ts';
import type { CreatedUnion } from './factory.ts';
import { cloneMakerAbi, cloneMakerAt, cloneMakerBytecode } from './generated/clone-maker.ts';
import { dataUnionAbi, dataUnionAt } from './generated/data-union.ts';
import type { DataUnionContract } from './generated/data-union.ts';
import { FREEZE_PERIOD, increaseTime, snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { earningsTree, proofOf } from './testing/merkle.ts';
import { revertOf } from './testing/revert.ts';
import { commitRoot, signWithdraw } from './testing/union-actions.ts';

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
let template: DataUnionContract;
/** A second union from the same factory, same token and operator, another admin. */
let second: CreatedUnion;
let secondAdmin: JsonRpcSigner;

beforeAll(async () => {
  f = await unionFixture();
  template = dataUnionAt(f.deployment.template, f.admin);
  secondAdmin = f.others[0]!;
  second = await createUnion(secondAdmin, f.deployment.factory, {
    token: f.deployment.token,
    operator: f.operator.address,
    freezePeriodSeconds: FREEZE_PERIOD,
    adminFeeFraction: 0n,
    pricePerSecond: 1n,
    name: 'second',
    metadataUrl: 'https://second.union.example',
    salt: `0x${'01'.repeat(32)}`,
  });
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((bytes) => getAddress(`0x${Buffer.from(bytes).toString('hex')}`));
const word = fc.bigInt(0n, 2n ** 256n - 1n);
const bytes32 = word.map((n) => `0x${n.toString(16).padStart(64, '0')}`);
/** Any dev account as the caller: the deployer of everything, the operator, strangers. */
const caller = fc.integer({ min: 0, max: 19 });
const signerAt = (i: number): JsonRpcSigner =>
  [f.admin, f.operator, f.relayer, f.researcher, ...f.others][i]!;

const errorName = async (action: Promise<unknown>): Promise<string> =>
  (await revertOf(action, dataUnionAbi)).name;

describe('the template', () => {
  it('has no admin, no operator and no arguments', async () => {
    expect(await template.owner()).toBe(ZeroAddress);
    expect(await template.operator()).toBe(ZeroAddress);
    expect(await template.pendingOwner()).toBe(ZeroAddress);
    for (const read of [template.token, template.freezePeriod, template.totalRevenue]) {
      expect(await errorName(read())).toBe('TemplateLocked');
    }
  });

  it('cannot be initialised or used, by anyone, with any arguments', async () => {
    await fc.assert(
      fc.asyncProperty(
        caller,
        address,
        address,
        word,
        word,
        bytes32,
        async (who, someone, other, amount, block, root) => {
          const t = template.connect(signerAt(who));
          expect(await errorName(t.initialize.staticCall(someone, other, amount))).toBe(
            'InvalidInitialization',
          );
          expect(await errorName(t.commit.staticCall(block, root, ''))).toBe('NotOperator');
          for (const adminOnly of [
            () => t.setOperator.staticCall(someone),
            () => t.setAdminFee.staticCall(amount),
            () => t.revoke.staticCall(block),
            () => t.transferOwnership.staticCall(someone),
            () => t.acceptOwnership.staticCall(),
            () => t.renounceOwnership.staticCall(),
          ]) {
            expect(await errorName(adminOnly())).toBe('OwnableUnauthorizedAccount');
          }
          expect(await errorName(t.withdrawAll.staticCall(block, someone, amount, [root]))).toBe(
            'RootNotCommitted',
          );
          expect(await errorName(t.withdrawAllTo.staticCall(block, other, amount, [root]))).toBe(
            'RootNotCommitted',
          );
          expect(await template.latestCommittedBlock()).toBe(0n);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('a clone', () => {
  it('made by the factory cannot be initialised again, by anyone, with any arguments', async () => {
    const unions = [f.union, dataUnionAt(second.union, f.admin)];
    await fc.assert(
      fc.asyncProperty(caller, address, address, word, fc.nat(1), async (who, a, b, fee, u) => {
        const union = unions[u]!.connect(signerAt(who));
        expect(await errorName(union.initialize.staticCall(a, b, fee))).toBe(
          'InvalidInitialization',
        );
      }),
      { numRuns: 20 },
    );
    expect(await f.union.owner()).toBe(f.admin.address);
    expect(await dataUnionAt(second.union, f.admin).owner()).toBe(secondAdmin.address);
  });

  it('made outside the factory checks its arguments when initialised, and initialises once', async () => {
    const deployed = await new ContractFactory(cloneMakerAbi, cloneMakerBytecode, f.admin).deploy();
    const maker = cloneMakerAt(await deployed.getAddress(), f.admin);
    const rawClone = async (token: string, freezePeriod: bigint): Promise<DataUnionContract> => {
      const args = solidityPacked(['address', 'uint32'], [token, freezePeriod]);
      const instance = await maker.clone.staticCall(f.deployment.template, args);
      await (await maker.clone(f.deployment.template, args)).wait();
      return dataUnionAt(instance, f.admin);
    };
    const admin = f.admin.address;
    const operator = f.operator.address;
    const good = await rawClone(f.deployment.token, FREEZE_PERIOD);
    expect(await errorName(good.initialize.staticCall(ZeroAddress, operator, 0n))).toBe(
      'OwnableInvalidOwner',
    );
    expect(await errorName(good.initialize.staticCall(admin, ZeroAddress, 0n))).toBe('ZeroAddress');
    const noToken = await rawClone(ZeroAddress, FREEZE_PERIOD);
    expect(await errorName(noToken.initialize.staticCall(admin, operator, 0n))).toBe('ZeroAddress');
    const instant = await rawClone(f.deployment.token, 59n);
    expect(
      await revertOf(instant.initialize.staticCall(admin, operator, 0n), dataUnionAbi),
    ).toEqual({ name: 'FreezePeriodTooShort', args: [59n, 60n] });

    await (await good.connect(f.others[5]!).initialize(admin, operator, 0n)).wait();
    expect(await good.owner()).toBe(admin);
    expect(await good.token()).toBe(f.deployment.token);
    expect(await good.freezePeriod()).toBe(FREEZE_PERIOD);
    expect(await errorName(good.initialize.staticCall(f.others[5]!.address, operator, 0n))).toBe(
      'InvalidInitialization',
    );
  });
});

/** Everything a member, a researcher or a validator can read about a union. */
async function observable(union: DataUnionContract, members: readonly string[]) {
  return {
    owner: await union.owner(),
    operator: await union.operator(),
    fee: await union.adminFeeFraction(),
    latest: await union.latestCommittedBlock(),
    totalWithdrawn: await union.totalWithdrawn(),
    totalRevenue: await union.totalRevenue(),
    withdrawn: await Promise.all(members.map((m) => union.withdrawn(m))),
  };
}

describe('two clones', () => {
  it('are independent: whatever happens to one, the other reads the same', async () => {
    const members = f.others.slice(10, 13).map((s) => s.address);
    const a = f.union;
    const b = dataUnionAt(second.union, f.admin);
    type Move = (union: DataUnionContract, admin: JsonRpcSigner) => Promise<void>;
    const moves: fc.Arbitrary<Move>[] = [
      fc.bigInt(1n, 10n ** 20n).map((amount) => async (union) => {
        await (await f.token.mint(await union.getAddress(), amount)).wait();
      }),
      fc.constant(async (union) => {
        const block = BigInt(await f.provider.getBlockNumber());
        await (await union.connect(f.operator).commit(block, `0x${'ab'.repeat(32)}`, '')).wait();
      }),
      fc.bigInt(0n, 5n * 10n ** 17n).map((fee) => async (union, admin) => {
        await (await union.connect(admin).setAdminFee(fee)).wait();
      }),
      fc.tuple(fc.nat(2), fc.bigInt(1n, 10n ** 18n)).map(([m, total]) => async (union) => {
        // A member's withdrawal: fund, commit a tree, wait out the freeze, withdraw.
        const member = members[m]!;
        const already = await union.withdrawn(member);
        const tree = earningsTree([
          [member, already + total],
          [members[(m + 1) % 3]!, 1n],
        ]);
        await (await f.token.mint(await union.getAddress(), total)).wait();
        const block = await commitRoot({ ...f, union }, tree.root);
        await increaseTime(f.provider, FREEZE_PERIOD);
        await (
          await union.withdrawAll(block, member, already + total, proofOf(tree, member))
        ).wait();
      }),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(...moves), { maxLength: 4 }),
        fc.boolean(),
        async (sequence, onFirst) => {
          await chain.restore();
          const [moved, watched] = onFirst ? [a, b] : [b, a];
          const admin = onFirst ? f.admin : secondAdmin;
          const before = await observable(watched, members);
          for (const move of sequence) await move(moved, admin);
          expect(await observable(watched, members)).toEqual(before);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('do not accept each other’s admin or signatures', async () => {
    const b = dataUnionAt(second.union, f.admin);
    expect(await errorName(b.connect(f.admin).setAdminFee.staticCall(0n))).toBe(
      'OwnableUnauthorizedAccount',
    );
    expect(await errorName(f.union.connect(secondAdmin).setAdminFee.staticCall(0n))).toBe(
      'OwnableUnauthorizedAccount',
    );

    // A request signed for union A is refused by union B: the EIP-712 domain names the clone.
    const member = new Wallet(`0x${'42'.repeat(32)}`);
    const total = 10n ** 18n;
    const tree = earningsTree([
      [member.address, total],
      [f.others[1]!.address, 1n],
    ]);
    await (await f.token.mint(second.union, total)).wait();
    const block = await commitRoot({ ...f, union: b }, tree.root);
    await increaseTime(f.provider, FREEZE_PERIOD);
    const request = {
      member: member.address,
      recipient: member.address,
      withdrawnBefore: 0n,
      minAmount: total,
      deadline: 2n ** 40n,
    };
    const forA = await signWithdraw(member, f, request);
    const relayed = b.connect(f.relayer);
    const proof = proofOf(tree, member.address);
    expect(
      await errorName(relayed.withdrawAllToSigned.staticCall(block, total, proof, request, forA)),
    ).toBe('InvalidSignature');
    const forB = await signWithdraw(member, f, request, unionDomain(f.chainId, second.union));
    await (await relayed.withdrawAllToSigned(block, total, proof, request, forB)).wait();
    expect(await b.withdrawn(member.address)).toBe(total);
  });
});

describe('proof verification', () => {
  it('accepts exactly the StandardMerkleTree proofs, at every depth', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        fc.nat(),
        async (size, pick, tamper) => {
          await chain.restore();
          const wallets = Array.from(
            { length: size },
            (_, i) => new Wallet(`0x${(i + 1).toString(16).padStart(64, '0')}`).address,
          );
          const tree = earningsTree(wallets.map((w, i) => [w, BigInt(i + 1)]));
          const i = pick % size;
          const member = wallets[i]!;
          const total = BigInt(i + 1);
          await (await f.token.mint(f.deployment.dataUnion, total)).wait();
          const block = await commitRoot(f, tree.root);
          await increaseTime(f.provider, FREEZE_PERIOD);
          const proof = proofOf(tree, member);
          const relayed = f.union.connect(f.relayer);
          if (proof.length > 0) {
            const bad = [...proof];
            const at = tamper % bad.length;
            bad[at] = `0x${(BigInt(bad[at]!) ^ 1n).toString(16).padStart(64, '0')}`;
            expect(await errorName(relayed.withdrawAll.staticCall(block, member, total, bad))).toBe(
              'InvalidProof',
            );
          }
          expect(
            await errorName(relayed.withdrawAll.staticCall(block, member, total + 1n, proof)),
          ).toBe('InvalidProof');
          await relayed.withdrawAll.staticCall(block, member, total, proof);
        },
      ),
      { numRuns: 20 },
    );
  });
});
