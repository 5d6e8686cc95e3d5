/**
 * `npm start -- --demo`: simulated members (the extension core's own code, see
 * `simulated-members.ts`) join the local union, report the last closed epochs, and the dev
 * researcher buys 30 days of the product, so the console has charts and earnings within a minute.
 */
import { formatUnits } from 'ethers';

import { connectRpc, devAccount, signerFor } from '../contracts/chain.ts';
import type { Deployment } from '../contracts/deploy.ts';
import { marketplaceAt } from '../contracts/generated/marketplace.ts';
import { testTokenAt } from '../contracts/generated/test-token.ts';
import { epochStartOf } from '../extension/aggregator/epochs.ts';
import { unionDomain } from '../extension/protocol/eip712.ts';
import type { SignedReport } from '../extension/protocol/wire.ts';
import { activityBatchEnd } from '../union/domain/activity-batch.ts';
import {
  closedEpochs,
  fetchConfig,
  joinMember,
  postReports,
  simulatedMembers,
  simulatedReport,
} from './simulated-members.ts';

export interface DemoOptions {
  unionUrl: string;
  chainUrl: string;
  deployment: Deployment;
  appSecret: string;
  members?: number;
  epochs?: number;
  purchaseDays?: number;
  /** Dev account index of the researcher (2 in `npm start`). */
  researcherIndex?: number;
  log?: (line: string) => void;
  /** The clock that picks the closed epochs to report, in ms (default: the wall clock). */
  now?: () => number;
  /**
   * The union's membership activity batch: members count as active from the end of the batch
   * their reports arrived in, so the purchase waits for it (or it would go to the admin alone).
   * Default: no wait.
   */
  activityBatchSeconds?: number;
}

export interface DemoSummary {
  members: number;
  joined: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  purchaseTx: string;
}

export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const log = options.log ?? ((line: string) => console.log(`[demo] ${line}`));
  const count = options.members ?? 60;
  const domain = unionDomain(BigInt(options.deployment.chainId), options.deployment.dataUnion);

  const config = await fetchConfig(options.unionUrl);
  const members = simulatedMembers(count, config);
  log(
    `config v${config.version}: ${config.epochSeconds}-second epochs, k = ${config.privacy.kThreshold}`,
  );

  let joined = 0;
  for (const member of members) {
    if (await joinMember(options.unionUrl, domain, member.wallet, options.appSecret)) joined++;
  }
  log(`${count} members active (${joined} joined now, ${count - joined} already members)`);

  const wanted = options.epochs ?? 3;
  const nowMs = (options.now ?? Date.now)();
  const epochs = closedEpochs(nowMs, config.epochSeconds, wanted, config.issuedAt);
  if (epochs.length < wanted) {
    const next = new Date(
      (epochStartOf(nowMs, config.epochSeconds) + config.epochSeconds) * 1000,
    ).toISOString();
    log(
      `only ${epochs.length} of the last ${wanted} epochs closed after config v${config.version} was issued (${new Date(config.issuedAt * 1000).toISOString()}); earlier ones have no config in force, so they are skipped (next epoch closes ${next})`,
    );
  }
  const reports: SignedReport[] = [];
  for (const [index, member] of members.entries()) {
    for (const epochStart of epochs) {
      reports.push(await simulatedReport(member, config, domain, epochStart, index));
    }
  }
  const outcome =
    reports.length > 0
      ? await postReports(options.unionUrl, reports)
      : { accepted: 0, duplicate: 0, rejected: 0, errors: [] };
  log(
    `${reports.length} reports for ${epochs.length} epochs: ${outcome.accepted} accepted, ${outcome.duplicate} already there, ${outcome.rejected} rejected${outcome.errors.length > 0 ? ` (${[...new Set(outcome.errors)].join(', ')})` : ''}`,
  );

  if (options.activityBatchSeconds !== undefined) {
    const clock = options.now ?? Date.now;
    const end = activityBatchEnd(clock(), options.activityBatchSeconds);
    log(`members count as active from ${new Date(end).toISOString()}; the purchase waits for it`);
    await new Promise((resolve) => setTimeout(resolve, end - clock() + 1000));
  }
  const rpc = connectRpc(options.chainUrl);
  const researcher = signerFor(devAccount(options.researcherIndex ?? 2).privateKey, rpc);
  const market = marketplaceAt(options.deployment.marketplace, researcher);
  const seconds = BigInt((options.purchaseDays ?? 30) * 86_400);
  const product = await market.getProduct(options.deployment.productId);
  const price = product.pricePerSecond * seconds;
  const token = testTokenAt(options.deployment.token, researcher);
  await (await token.approve(options.deployment.marketplace, price)).wait();
  const tx = await market.buy(options.deployment.productId, seconds, price);
  await tx.wait();
  log(
    `researcher ${researcher.address} bought ${options.purchaseDays ?? 30} days for ${formatUnits(price, 18)} tokens (tx ${tx.hash})`,
  );
  rpc.destroy();

  log(
    `done: ${count} members, ${outcome.accepted} reports accepted; a root will be committed within a minute`,
  );
  return {
    members: count,
    joined,
    accepted: outcome.accepted,
    duplicate: outcome.duplicate,
    rejected: outcome.rejected,
    purchaseTx: tx.hash,
  };
}
