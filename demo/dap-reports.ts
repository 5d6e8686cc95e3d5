/**
 * Simulated members' reports under a config with an `aggregation` block (`npm start -- --demo`
 * on a union doing private aggregation): the same simulated browsing as the plain reports
 * (`simulatedEpoch`), turned into the task's measurement by the extension's own
 * `epochMeasurement` (every task category, zeros for those off), then sharded, signed by the
 * member and sealed to the leader's and the helper's HPKE configs the signed config pins, by the
 * member report builder (`aggregator/client/member-report.ts`), and uploaded to the leader the
 * block names. The union never sees these counts; it learns the batch's noisy sums when it
 * collects the epoch, and each member's contribution once both aggregators finished it.
 */
import { Buffer } from 'node:buffer';

import { buildMemberReport, type MemberReportTask } from '../aggregator/client/member-report.ts';
import { decode } from '../aggregator/dap/codec.ts';
import { hpkeConfigCodec, MEDIA_TYPES } from '../aggregator/dap/upload.ts';
import { categoryTask, sumVecFor } from '../aggregator/vdaf/task.ts';
import { epochMeasurement } from '../extension/dap/measurement.ts';
import { base64UrlBytes, type AggregationBlock } from '../extension/protocol/config-aggregation.ts';
import type { UnionConfig } from '../extension/protocol/config.ts';
import type { UnionDomain } from '../extension/protocol/eip712.ts';
import { simulatedEpoch, type BatchOutcome, type SimulatedMember } from './simulated-members.ts';

function hpkeConfig(encoded: string | undefined, role: string) {
  const bytes = encoded === undefined ? null : base64UrlBytes(encoded);
  if (bytes === null)
    throw new Error(`The config's aggregation block pins no ${role} HPKE config.`);
  return decode(hpkeConfigCodec, bytes, `${role} HPKE config`);
}

/** What a member's device needs from the signed config to build its upload. */
export function dapTaskOf(config: UnionConfig, domain: UnionDomain): MemberReportTask {
  const block = config.aggregation;
  if (!block) throw new Error(`Config version ${config.version} has no aggregation block.`);
  return {
    taskId: base64UrlBytes(block.taskId)!,
    vdaf: sumVecFor(categoryTask(config)),
    timePrecisionSeconds: block.timePrecisionSeconds,
    leaderHpkeConfig: hpkeConfig(block.leaderHpkeConfig, 'leader'),
    helperHpkeConfig: hpkeConfig(block.helperHpkeConfig, 'helper'),
    domain,
  };
}

/** One member's DAP upload (the `application/dap-report` body) for one epoch. */
export async function simulatedUpload(
  member: SimulatedMember,
  config: UnionConfig,
  task: MemberReportTask,
  epochStart: number,
  memberIndex: number,
): Promise<Uint8Array> {
  const record = simulatedEpoch(member, config, epochStart, memberIndex);
  const { bytes } = await buildMemberReport(task, {
    measurement: epochMeasurement(categoryTask(config), record, member.categories),
    time: epochStart,
    signedBy: { member: member.wallet.address, signer: member.wallet },
  });
  return bytes;
}

const ALREADY_REPORTED = /already uploaded a report for this epoch/;

/**
 * Uploads each body to the leader: accepted (200), already there (this member's report for the
 * epoch was uploaded on an earlier run: the first one stands), or rejected with the problem.
 */
export async function uploadToLeader(
  block: AggregationBlock,
  uploads: readonly Uint8Array[],
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { accepted: 0, duplicate: 0, rejected: 0, errors: [] };
  const url = `${block.leaderUrl.replace(/\/+$/, '')}/tasks/${block.taskId}/reports`;
  for (const body of uploads) {
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': MEDIA_TYPES.report },
      body: Buffer.from(body),
    });
    if (response.status === 200) {
      outcome.accepted++;
      continue;
    }
    const problem = (await response.json().catch(() => ({}))) as { type?: string; detail?: string };
    if (ALREADY_REPORTED.test(problem.detail ?? '')) {
      outcome.duplicate++;
      continue;
    }
    outcome.rejected++;
    outcome.errors.push((problem.type ?? `HTTP ${response.status}`).replace(/^.*:/, ''));
  }
  return outcome;
}

/** The longest the demo waits for its members' first epoch to close. */
export const MAX_FIRST_EPOCH_WAIT_MS = 5 * 60_000;

export interface DapEpochPlan {
  /** The epochs to report, oldest first. */
  readonly epochs: number[];
  /** When set: wait until then (ms) for the only epoch to close before reporting it. */
  readonly waitUntilMs: number | null;
}

/**
 * Which epochs simulated members can report through the aggregators. Both check that the signer
 * was a member at the report's time (the epoch's start), so a member counts from the first epoch
 * that starts after it joined (docs/private-aggregation.md, "Membership"), unlike a plain report.
 * Of the last `wanted` closed epochs under the config, those starting at or after `joinedAt`; if
 * none, the first such epoch when it closes within `MAX_FIRST_EPOCH_WAIT_MS` (short epochs), else
 * nothing yet (daily epochs: the members report from tomorrow on).
 */
export function dapEpochPlan(
  nowMs: number,
  epochSeconds: number,
  wanted: number,
  issuedAt: number,
  joinedAt: number,
): DapEpochPlan {
  const current = Math.floor(nowMs / 1000 / epochSeconds) * epochSeconds;
  const closed = Array.from({ length: wanted }, (_, i) => current - (wanted - i) * epochSeconds);
  const epochs = closed.filter((start) => start + epochSeconds > issuedAt && start >= joinedAt);
  if (epochs.length > 0) return { epochs, waitUntilMs: null };
  const first = Math.ceil(joinedAt / epochSeconds) * epochSeconds;
  // The epoch must have ended, with a second's margin for the aggregators' clocks.
  const closesAtMs = (first + epochSeconds + 1) * 1000;
  return closesAtMs - nowMs <= MAX_FIRST_EPOCH_WAIT_MS
    ? { epochs: [first], waitUntilMs: closesAtMs }
    : { epochs: [], waitUntilMs: null };
}
