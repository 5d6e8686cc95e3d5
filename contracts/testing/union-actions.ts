/**
 * The moves tests make over and over: commit a root (optionally waiting out its freeze), fund the
 * union, and sign a member's gasless withdrawal with the shared EIP-712 definitions.
 */
import type { BaseWallet, TypedDataDomain } from 'ethers';
import { asTypes, unionDomain, withdrawAllTypes } from '../../extension/protocol/eip712.ts';
import { FREEZE_PERIOD, increaseTime } from './fixture.ts';
import type { UnionFixture } from './fixture.ts';
import { earningsTree } from './merkle.ts';
import type { EarningsEntry } from './merkle.ts';

/** Commits `root` for the latest mined block; returns that block number. */
export async function commitRoot(f: UnionFixture, root: string): Promise<bigint> {
  const block = BigInt(await f.provider.getBlockNumber());
  await (await f.union.connect(f.operator).commit(block, root, `test://state/${block}`)).wait();
  return block;
}

/** Commits `root` and waits out the freeze period; returns the block number. */
export async function commitUsable(f: UnionFixture, root: string): Promise<bigint> {
  const block = await commitRoot(f, root);
  await increaseTime(f.provider, FREEZE_PERIOD);
  return block;
}

/** Builds the union's tree of `entries`, commits it and waits out the freeze. */
export async function commitTreeUsable(f: UnionFixture, entries: readonly EarningsEntry[]) {
  const tree = earningsTree(entries);
  return { tree, block: await commitUsable(f, tree.root) };
}

/** Revenue: mints `amount` test tokens straight to the DataUnion. */
export async function fundUnion(f: UnionFixture, amount: bigint): Promise<void> {
  await (await f.token.mint(f.deployment.dataUnion, amount)).wait();
}

export interface WithdrawRequest {
  member: string;
  recipient: string;
  withdrawnBefore: bigint;
  minAmount: bigint;
  deadline: bigint;
}

/** The member's EIP-712 signature over `request`, for this union on this chain by default. */
export function signWithdraw(
  member: BaseWallet,
  f: UnionFixture,
  request: WithdrawRequest,
  domain: TypedDataDomain = unionDomain(f.chainId, f.deployment.dataUnion),
): Promise<string> {
  return member.signTypedData(domain, asTypes(withdrawAllTypes), request);
}
