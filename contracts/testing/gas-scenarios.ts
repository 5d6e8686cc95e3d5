/**
 * The gas benchmark's scenarios, shared by `npm run bench:gas` (which prints them) and
 * contracts/gas-targets.test.ts (which fails when a change breaks a target). Proofs of depth 10
 * and 20 are synthetic but valid, so they cost exactly what a tree of 2^depth members would.
 */
import { ContractFactory, Wallet, id, parseUnits } from 'ethers';
import type { ContractTransactionResponse } from 'ethers';
import { sendCreateUnion } from '../factory.ts';
import { dataUnionAbi, dataUnionBytecode } from '../generated/data-union.ts';
import { FREEZE_PERIOD, increaseTime, unionFixture } from './fixture.ts';
import { leafHash, syntheticProof } from './merkle.ts';
import { signWithdraw } from './union-actions.ts';

/**
 * The targets of issue 4 (the Monoplasma originals were 75,005 / 87,199 / 127,967), met on a
 * clone, and issue 20's for a new union (clone, initialisation and product listing).
 */
export const GAS_TARGETS = {
  commit: 60_000,
  withdrawAllDepth20: 80_000,
  firstSignedWithdrawDepth20: 110_000,
  createUnion: 350_000,
} as const;

export interface GasFigures {
  /** A steady-state commit (the previous root already usable). */
  commit: number;
  /** A member's repeat withdrawAll with a proof of depth 10. */
  withdrawAllDepth10: number;
  withdrawAllDepth20: number;
  /** A member's first withdrawAllToSigned, depth 20, to a recipient holding no tokens. */
  firstSignedWithdrawDepth20: number;
  /** A researcher's first purchase (token approved beforehand; the union holds earlier revenue). */
  buy: number;
  /** A new union through the factory: clone, initialise, list its product (realistic name and URL). */
  createUnion: number;
}

export interface GasReport {
  readonly figures: GasFigures;
  /**
   * Context: the very first commit, a first withdrawAll, a repeat purchase, and a full deployment
   * of the DataUnion (what the template costs once, and what every union cost before clones).
   */
  readonly extra: Record<string, number>;
}

export async function measureGas(): Promise<GasReport> {
  const f = await unionFixture();
  const union = f.union.connect(f.operator);
  const relayed = f.union.connect(f.relayer);
  const [memberA, memberB] = f.others.map((s) => s.address);
  if (!memberA || !memberB) throw new Error('missing dev accounts');

  const gasOf = async (tx: Promise<ContractTransactionResponse>): Promise<number> => {
    const receipt = await (await tx).wait();
    if (!receipt) throw new Error('transaction not mined');
    return Number(receipt.gasUsed);
  };
  /** Commits `root` at the latest block, with a realistic state URI, and waits out the freeze. */
  const commitUsable = async (root: string): Promise<{ block: bigint; gas: number }> => {
    const block = BigInt(await f.provider.getBlockNumber());
    const stateUri = `https://union.crowdsell.example/v1/state/${block}`;
    const gas = await gasOf(union.commit(block, root, stateUri));
    await increaseTime(f.provider, FREEZE_PERIOD);
    return { block, gas };
  };
  const withdrawGas = async (member: string, total: bigint, depth: number): Promise<number> => {
    const { root, proof } = syntheticProof(leafHash(member, total), depth);
    const { block } = await commitUsable(root);
    return gasOf(relayed.withdrawAll(block, member, total, proof));
  };

  // Revenue: a researcher's first purchase, then a repeat one. The union already holds earlier
  // revenue, as it does for every purchase but its very first.
  await (await f.token.mint(f.deployment.dataUnion, 1n)).wait();
  const seconds = 30n * 86_400n;
  await (await f.token.mint(f.researcher.address, parseUnits('1000', 18))).wait();
  await (await f.token.connect(f.researcher).approve(f.deployment.marketplace, 2n ** 255n)).wait();
  const market = f.market.connect(f.researcher);
  const price = seconds * (await f.market.getProduct(f.deployment.productId)).pricePerSecond;
  const buy = await gasOf(market.buy(f.deployment.productId, seconds, price));
  const repeatBuy = await gasOf(market.buy(f.deployment.productId, seconds, price));

  const firstCommitEver = (await commitUsable(syntheticProof(leafHash(memberA, 1n), 20).root)).gas;
  const commit = (await commitUsable(syntheticProof(leafHash(memberA, 1n), 20).root)).gas;

  // A member's first withdrawal, then the measured repeat one with a higher total.
  const firstWithdrawAllDepth20 = await withdrawGas(memberA, parseUnits('1', 18), 20);
  const withdrawAllDepth20 = await withdrawGas(memberA, parseUnits('2', 18), 20);
  await withdrawGas(memberB, parseUnits('1', 18), 10);
  const withdrawAllDepth10 = await withdrawGas(memberB, parseUnits('2', 18), 10);

  // A fresh member signs a gasless withdrawal to a fresh recipient; the union relays it.
  const member = Wallet.createRandom();
  const total = parseUnits('1', 18);
  const { root, proof } = syntheticProof(leafHash(member.address, total), 20);
  const { block } = await commitUsable(root);
  const request = {
    member: member.address,
    recipient: Wallet.createRandom().address,
    withdrawnBefore: 0n,
    minAmount: total,
    deadline: BigInt(Math.floor(Date.now() / 1000)) + 10n * 86_400n,
  };
  const signature = await signWithdraw(member, f, request);
  const firstSignedWithdrawDepth20 = await gasOf(
    relayed.withdrawAllToSigned(block, total, proof, request, signature),
  );

  const createUnion = await gasOf(
    sendCreateUnion(f.others[5]!, f.deployment.factory, {
      token: f.deployment.token,
      operator: f.operator.address,
      freezePeriodSeconds: 86_400n,
      adminFeeFraction: parseUnits('0.1', 18),
      pricePerSecond: parseUnits('1', 18) / 86_400n,
      name: 'Crowdsell browsing data',
      metadataUrl: 'https://union.crowdsell.example',
      salt: id('gas'),
    }),
  );
  const template = await new ContractFactory(dataUnionAbi, dataUnionBytecode, f.admin).deploy();
  const templateDeployment = Number(
    (await template.deploymentTransaction()?.wait())?.gasUsed ?? Number.NaN,
  );

  return {
    figures: {
      commit,
      withdrawAllDepth10,
      withdrawAllDepth20,
      firstSignedWithdrawDepth20,
      buy,
      createUnion,
    },
    extra: { firstCommitEver, firstWithdrawAllDepth20, repeatBuy, templateDeployment },
  };
}
