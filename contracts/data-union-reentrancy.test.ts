/**
 * A malicious token re-enters the DataUnion from inside the payout transfer.
 * Protects: no withdrawal path can be entered twice in one call, so no one is paid twice.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContractFactory, Wallet, parseUnits } from 'ethers';
import { dataUnionAbi, dataUnionAt } from './generated/data-union.ts';
import type { DataUnionContract } from './generated/data-union.ts';
import {
  reentrantTokenAbi,
  reentrantTokenAt,
  reentrantTokenBytecode,
} from './generated/reentrant-token.ts';
import type { ReentrantTokenContract } from './generated/reentrant-token.ts';
import { deployCrowdsell } from './deploy.ts';
import { FREEZE_PERIOD, snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { earningsTree, proofOf } from './testing/merkle.ts';
import { revertOf } from './testing/revert.ts';
import { commitUsable, signWithdraw } from './testing/union-actions.ts';

let f: UnionFixture;
/** The fixture with the DataUnion that pays in the malicious token. */
let attacked: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
let token: ReentrantTokenContract;
let union: DataUnionContract;
const one = parseUnits('1', 18);
const member = Wallet.createRandom();

beforeAll(async () => {
  f = await unionFixture();
  const deployed = await new ContractFactory(
    reentrantTokenAbi,
    reentrantTokenBytecode,
    f.admin,
  ).deploy();
  token = reentrantTokenAt(await deployed.getAddress(), f.admin);
  const deployment = await deployCrowdsell(f.admin, {
    token: await token.getAddress(),
    operator: f.operator.address,
    freezePeriodSeconds: FREEZE_PERIOD,
  });
  union = dataUnionAt(deployment.dataUnion, f.admin);
  attacked = { ...f, deployment, union };
  await (await token.mint(deployment.dataUnion, 100n * one)).wait();
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

async function committedTree() {
  const alice = f.others[0]!.address;
  const tree = earningsTree([
    [alice, one],
    [member.address, 2n * one],
  ]);
  const block = await commitUsable(attacked, tree.root);
  return { tree, block, alice };
}

describe('reentrancy through a malicious token', () => {
  it('stops a payout that re-enters withdrawAll', async () => {
    const { tree, block, alice } = await committedTree();
    const reenter = union.interface.encodeFunctionData('withdrawAll', [
      block,
      alice,
      one,
      proofOf(tree, alice),
    ]);
    await (await token.arm(await union.getAddress(), reenter)).wait();
    expect(
      await revertOf(
        union.withdrawAll(block, member.address, 2n * one, proofOf(tree, member.address)),
        dataUnionAbi,
      ),
    ).toEqual({ name: 'ReentrancyGuardReentrantCall', args: [] });
    expect(await union.totalWithdrawn()).toBe(0n);
  });

  it('stops a signed payout that re-enters with the same request', async () => {
    const { tree, block } = await committedTree();
    const request = {
      member: member.address,
      recipient: f.others[5]!.address,
      withdrawnBefore: 0n,
      minAmount: 2n * one,
      deadline: 2n ** 40n,
    };
    const signature = await signWithdraw(member, attacked, request);
    const args = [block, 2n * one, proofOf(tree, member.address), request, signature] as const;
    const reenter = union.interface.encodeFunctionData('withdrawAllToSigned', [...args]);
    await (await token.arm(await union.getAddress(), reenter)).wait();
    expect((await revertOf(union.withdrawAllToSigned(...args), dataUnionAbi)).name).toBe(
      'ReentrancyGuardReentrantCall',
    );
    expect(await token.balanceOf(request.recipient)).toBe(0n);
  });

  it('pays normally once disarmed', async () => {
    const { tree, block } = await committedTree();
    await (
      await union.withdrawAll(block, member.address, 2n * one, proofOf(tree, member.address))
    ).wait();
    expect(await token.balanceOf(member.address)).toBe(2n * one);
  });
});
