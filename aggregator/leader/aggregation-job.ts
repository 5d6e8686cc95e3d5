/**
 * The leader's side of one aggregation job (DAP-09 §4.5.1), as pure steps over decoded messages:
 * `startAggregationJob` opens the leader's shares of a batch of uploaded reports, starts Prio3
 * preparation and builds the `AggregationJobInitReq`; `finishAggregationJob` takes the helper's
 * `AggregationJobResp`, checks it answers exactly the reports sent, in order, and finishes each.
 * Leasing, persistence and the HTTP call to the helper wrap these in the next slice.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import type {
  AggregationJobInitReq,
  PrepareError,
  PrepareInit,
  PrepareResp,
} from '../dap/aggregation.ts';
import { Role, type HpkeKeypair } from '../dap/hpke.ts';
import type { Report } from '../dap/upload.ts';
import {
  verifyMemberReport,
  type MemberSignaturePolicy,
} from '../membership/verify-member-report.ts';
import { openReportShare } from '../vdaf/open-share.ts';
import { leaderFinish, leaderInit, PrepareFailure, type LeaderStarted } from '../vdaf/prepare.ts';
import type { OutputShare } from '../vdaf/prio3-shares.ts';

export interface LeaderTask {
  readonly vdaf: Prio3SumVec;
  readonly taskId: Uint8Array;
  readonly verifyKey: Uint8Array;
  readonly keypairs: readonly HpkeKeypair[];
  /** Set: each report's member signature and membership are checked again before it is sent. */
  readonly memberSignatures?: MemberSignaturePolicy | undefined;
}

export interface ReportOutcome {
  readonly reportId: string;
  readonly error: PrepareError;
}

export interface StartedJob {
  readonly request: AggregationJobInitReq;
  /** Preparation state of each report sent to the helper, in request order. */
  readonly pending: readonly { readonly reportId: string; readonly started: LeaderStarted }[];
  /** Reports the leader could not start (its own share did not open or decode); not sent. */
  readonly failed: readonly ReportOutcome[];
}

const hex = (id: Uint8Array) => Buffer.from(id).toString('hex');

export async function startAggregationJob(
  task: LeaderTask,
  reports: readonly Report[],
): Promise<StartedJob> {
  const prepareInits: PrepareInit[] = [];
  const pending: { reportId: string; started: LeaderStarted }[] = [];
  const failed: ReportOutcome[] = [];
  for (const report of reports) {
    const reportShare = {
      metadata: report.metadata,
      publicShare: report.publicShare,
      encryptedInputShare: report.leaderEncryptedInputShare,
    };
    try {
      const shares = await openReportShare(task.keypairs, Role.leader, task.taskId, reportShare);
      if (task.memberSignatures) {
        const { metadata, publicShare } = reportShare;
        const { extensions } = shares;
        await verifyMemberReport(
          task.memberSignatures,
          task.taskId,
          metadata,
          publicShare,
          extensions,
        );
      }
      const started = await leaderInit(task.vdaf, task.verifyKey, shares);
      prepareInits.push({
        reportShare: { ...reportShare, encryptedInputShare: report.helperEncryptedInputShare },
        message: started.outbound,
      });
      pending.push({ reportId: hex(report.metadata.reportId), started });
    } catch (error) {
      if (!(error instanceof PrepareFailure)) throw error;
      failed.push({ reportId: hex(report.metadata.reportId), error: error.code });
    }
  }
  return { request: { aggregationParameter: new Uint8Array(0), prepareInits }, pending, failed };
}

/** The helper answered other reports than it was sent, or in another order: the whole job is void. */
export class HelperResponseMismatch extends Error {
  override readonly name = 'HelperResponseMismatch';
  readonly code = 'invalidMessage';
}

export interface FinishedJob {
  readonly outputShares: ReadonlyMap<string, OutputShare>;
  readonly failed: readonly ReportOutcome[];
}

export async function finishAggregationJob(
  task: LeaderTask,
  job: StartedJob,
  response: readonly PrepareResp[],
): Promise<FinishedJob> {
  const answered = response.map((r) => hex(r.reportId));
  const sent = job.pending.map((p) => p.reportId);
  if (answered.length !== sent.length || answered.some((id, i) => id !== sent[i])) {
    throw new HelperResponseMismatch(
      `The helper answered ${answered.length} reports; the job sent ${sent.length}, and the ids must match in order.`,
    );
  }
  const outputShares = new Map<string, OutputShare>();
  const failed: ReportOutcome[] = [...job.failed];
  for (const [i, resp] of response.entries()) {
    const { reportId, started } = job.pending[i]!;
    if (resp.state === 'reject') {
      failed.push({ reportId, error: resp.error });
      continue;
    }
    if (resp.state === 'finished') {
      // Prio3 is one round: the helper must send its prep message, or the leader cannot finish.
      failed.push({ reportId, error: 'invalid_message' });
      continue;
    }
    try {
      outputShares.set(reportId, await leaderFinish(task.vdaf, started.state, resp.message));
    } catch (error) {
      if (!(error instanceof PrepareFailure)) throw error;
      failed.push({ reportId, error: error.code });
    }
  }
  return { outputShares, failed };
}
