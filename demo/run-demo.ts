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
import type { UnionConfig } from '../extension/protocol/config.ts';
import { unionDomain, type UnionDomain } from '../extension/protocol/eip712.ts';
import type { SignedReport } from '../extension/protocol/wire.ts';
import { activityBatchEnd } from '../union/domain/activity-batch.ts';
import { dapEpochPlan, dapTaskOf, simulatedUpload, uploadToLeader } from './dap-reports.ts';
import {
  closedEpochs,
  fetchConfig,
  joinMember,
  memberRecord,
  postReports,
  simulatedMembers,
  simulatedReport,
  type BatchOutcome,
  type SimulatedMember,
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
  /**
   * Under a config with an aggregation block: how long after an upload the union can have
   * recorded it as a contribution (the leader's aggregation pass, then the union's product pass),
   * added before the activity batch the purchase waits for.
   */
  contributionDelaySeconds?: number;
}

export interface DemoSummary {
  members: number;
  joined: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  purchaseTx: string;
}

const NO_OUTCOME: BatchOutcome = { accepted: 0, duplicate: 0, rejected: 0, errors: [] };

/** Under an aggregation block: the epochs the members can report (`dapEpochPlan`), waited for. */
async function dapEpochs(
  options: DemoOptions,
  config: UnionConfig,
  members: readonly SimulatedMember[],
  wanted: number,
  log: (line: string) => void,
): Promise<number[]> {
  const clock = options.now ?? Date.now;
  let joinedAt = 0;
  for (const member of members) {
    const record = await memberRecord(options.unionUrl, member.wallet.address);
    joinedAt = Math.max(joinedAt, record?.joinedAt ?? 0);
  }
  const plan = dapEpochPlan(clock(), config.epochSeconds, wanted, config.issuedAt, joinedAt);
  if (plan.waitUntilMs !== null) {
    log(
      `under private aggregation a member counts from the first epoch after it joined: waiting for it to close (${new Date(plan.waitUntilMs).toISOString()})`,
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, plan.waitUntilMs! - clock())));
  } else if (plan.epochs.length === 0) {
    log(
      `under private aggregation a member counts from the first epoch after it joined; with ${config.epochSeconds}-second epochs that closes too late for this run: run the demo again then, or start with --epoch-seconds 60`,
    );
  }
  return plan.epochs;
}

async function sendPlainReports(
  unionUrl: string,
  config: UnionConfig,
  domain: UnionDomain,
  members: readonly SimulatedMember[],
  epochs: readonly number[],
): Promise<{ sent: number; outcome: BatchOutcome }> {
  const reports: SignedReport[] = [];
  for (const [index, member] of members.entries()) {
    for (const epochStart of epochs) {
      reports.push(await simulatedReport(member, config, domain, epochStart, index));
    }
  }
  const outcome = reports.length > 0 ? await postReports(unionUrl, reports) : NO_OUTCOME;
  return { sent: reports.length, outcome };
}

/** Under an aggregation block: each member's encrypted, signed upload to the leader. */
async function sendDapReports(
  config: UnionConfig,
  domain: UnionDomain,
  members: readonly SimulatedMember[],
  epochs: readonly number[],
): Promise<{ sent: number; outcome: BatchOutcome }> {
  const task = dapTaskOf(config, domain);
  const uploads: Uint8Array[] = [];
  for (const [index, member] of members.entries()) {
    for (const epochStart of epochs) {
      uploads.push(await simulatedUpload(member, config, task, epochStart, index));
    }
  }
  const outcome =
    uploads.length > 0 ? await uploadToLeader(config.aggregation!, uploads) : NO_OUTCOME;
  return { sent: uploads.length, outcome };
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
  const epochs = config.aggregation
    ? await dapEpochs(options, config, members, wanted, log)
    : closedEpochs(nowMs, config.epochSeconds, wanted, config.issuedAt);
  if (!config.aggregation && epochs.length < wanted) {
    const next = new Date(
      (epochStartOf(nowMs, config.epochSeconds) + config.epochSeconds) * 1000,
    ).toISOString();
    log(
      `only ${epochs.length} of the last ${wanted} epochs closed after config v${config.version} was issued (${new Date(config.issuedAt * 1000).toISOString()}); earlier ones have no config in force, so they are skipped (next epoch closes ${next})`,
    );
  }
  const { sent, outcome } = config.aggregation
    ? await sendDapReports(config, domain, members, epochs)
    : await sendPlainReports(options.unionUrl, config, domain, members, epochs);
  log(
    `${sent} ${config.aggregation ? 'DAP reports (encrypted shares, to the leader)' : 'reports'} for ${epochs.length} epochs: ${outcome.accepted} accepted, ${outcome.duplicate} already there, ${outcome.rejected} rejected${outcome.errors.length > 0 ? ` (${[...new Set(outcome.errors)].join(', ')})` : ''}`,
  );

  if (options.activityBatchSeconds !== undefined) {
    const clock = options.now ?? Date.now;
    const delayMs = config.aggregation ? (options.contributionDelaySeconds ?? 0) * 1000 : 0;
    const end = activityBatchEnd(clock() + delayMs, options.activityBatchSeconds);
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
