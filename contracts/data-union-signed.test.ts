/**
 * Gasless withdrawals: a member signs `WithdrawAll` (extension/protocol/eip712.ts, the same
 * definitions the extension signs with) and anyone relays it.
 * Protects: a signature pays only the member's own earnings, only to the recipient they signed,
 * never less than the amount they signed for, only once, only before its deadline, only on this
 * union on this chain.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Wallet, parseUnits } from 'ethers';
import { unionDomain } from '../extension/protocol/eip712.ts';
import { dataUnionAbi } from './generated/data-union.ts';
import { latestTimestamp, snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { proofOf } from './testing/merkle.ts';
import { revertOf } from './testing/revert.ts';
import { commitTreeUsable, fundUnion, signWithdraw } from './testing/union-actions.ts';
import type { WithdrawRequest } from './testing/union-actions.ts';

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
const one = parseUnits('1', 18);
const member = Wallet.createRandom();
const recipient = Wallet.createRandom().address;

beforeAll(async () => {
  f = await unionFixture();
  await fundUnion(f, 100n * one);
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

async function setup(total = 2n * one) {
  const { tree, block } = await commitTreeUsable(f, [
    [member.address, total],
    [f.others[0]!.address, one],
  ]);
  const withdrawnBefore = await f.union.withdrawn(member.address);
  const request: WithdrawRequest = {
    member: member.address,
    recipient,
    withdrawnBefore,
    // What the member is shown: everything this root adds.
    minAmount: total - withdrawnBefore,
    deadline: (await latestTimestamp(f.provider)) + 7n * 86_400n,
  };
  const relay = (req: WithdrawRequest, signature: string) =>
    f.union
      .connect(f.relayer)
      .withdrawAllToSigned(block, total, proofOf(tree, member.address), req, signature);
  return { request, relay };
}

describe('withdrawAllToSigned', () => {
  it('pays the signed recipient, with the relayer paying the gas', async () => {
    const { request, relay } = await setup();
    await (await relay(request, await signWithdraw(member, f, request))).wait();
    expect(await f.token.balanceOf(recipient)).toBe(2n * one);
    expect(await f.token.balanceOf(f.relayer.address)).toBe(0n);
    expect(await f.union.withdrawn(member.address)).toBe(2n * one);
  });

  it('matches the domain the contract advertises (EIP-5267)', async () => {
    const domain = await f.union.eip712Domain();
    expect([domain.name, domain.version, domain.chainId, domain.verifyingContract]).toEqual([
      'Crowdsell',
      '1',
      f.chainId,
      f.deployment.dataUnion,
    ]);
  });

  it('refuses a replayed signature', async () => {
    const { request, relay } = await setup();
    const signature = await signWithdraw(member, f, request);
    await (await relay(request, signature)).wait();
    expect(await revertOf(relay(request, signature), dataUnionAbi)).toEqual({
      name: 'StaleWithdrawRequest',
      args: [0n, 2n * one],
    });
  });

  it('refuses an expired signature', async () => {
    const { request, relay } = await setup();
    const expired = { ...request, deadline: (await latestTimestamp(f.provider)) - 1n };
    expect(
      await revertOf(relay(expired, await signWithdraw(member, f, expired)), dataUnionAbi),
    ).toEqual({ name: 'SignatureExpired', args: [expired.deadline] });
  });

  it('refuses signatures for another chain, another contract or another app', async () => {
    const { request, relay } = await setup();
    const domains = [
      unionDomain(1n, f.deployment.dataUnion),
      unionDomain(f.chainId, f.deployment.marketplace),
      { ...unionDomain(f.chainId, f.deployment.dataUnion), version: '2' as const },
    ];
    for (const domain of domains) {
      const signature = await signWithdraw(member, f, request, domain);
      expect((await revertOf(relay(request, signature), dataUnionAbi)).name).toBe(
        'InvalidSignature',
      );
    }
  });

  it('refuses a signature by anyone but the member', async () => {
    const { request, relay } = await setup();
    const thief = Wallet.createRandom();
    const decoded = await revertOf(
      relay(request, await signWithdraw(thief, f, request)),
      dataUnionAbi,
    );
    expect(decoded).toEqual({ name: 'InvalidSignature', args: [thief.address, member.address] });
  });

  it('refuses a relayer that swaps in its own recipient', async () => {
    const { request, relay } = await setup();
    const signature = await signWithdraw(member, f, request);
    const swapped = { ...request, recipient: f.relayer.address };
    expect((await revertOf(relay(swapped, signature), dataUnionAbi)).name).toBe('InvalidSignature');
  });

  it('refuses a malformed signature', async () => {
    const { request, relay } = await setup();
    const signature = await signWithdraw(member, f, request);
    expect(await revertOf(relay(request, signature.slice(0, -2)), dataUnionAbi)).toEqual({
      name: 'ECDSAInvalidSignatureLength',
      args: [64n],
    });
  });

  it('refuses an older, smaller root than the payout the member signed for', async () => {
    // Whoever holds the signature (the relay, or anyone who saw it in the mempool) tries to pay
    // the member out of an older root: less than they were shown, and the nonce would be spent.
    const older = await commitTreeUsable(f, [[member.address, one]]);
    const { request, relay } = await setup(2n * one);
    const signature = await signWithdraw(member, f, request);
    const frontRun = f.union
      .connect(f.others[1]!)
      .withdrawAllToSigned(
        older.block,
        one,
        proofOf(older.tree, member.address),
        request,
        signature,
      );
    expect(await revertOf(frontRun, dataUnionAbi)).toEqual({
      name: 'PayoutBelowMinimum',
      args: [one, 2n * one],
    });
    expect(await f.union.withdrawn(member.address)).toBe(0n);
    await (await relay(request, signature)).wait();
    expect(await f.token.balanceOf(recipient)).toBe(2n * one);
  });

  it('pays a root worth more than the signed minimum, and refuses a lowered minimum', async () => {
    const { request, relay } = await setup(2n * one);
    const signed = { ...request, minAmount: one };
    const signature = await signWithdraw(member, f, signed);
    const lowered = { ...signed, minAmount: 0n };
    expect((await revertOf(relay(lowered, signature), dataUnionAbi)).name).toBe('InvalidSignature');
    await (await relay(signed, signature)).wait();
    expect(await f.token.balanceOf(recipient)).toBe(2n * one);
  });

  it('needs a fresh signature after any other payout to the member', async () => {
    const { request, relay } = await setup(2n * one);
    const signature = await signWithdraw(member, f, request);
    // Someone pushes the member's earnings to the member's own address first (the exit path).
    const { tree, block } = await commitTreeUsable(f, [[member.address, 3n * one]]);
    await (
      await f.union.withdrawAll(block, member.address, 3n * one, proofOf(tree, member.address))
    ).wait();
    expect((await revertOf(relay(request, signature), dataUnionAbi)).name).toBe(
      'StaleWithdrawRequest',
    );
  });
});
