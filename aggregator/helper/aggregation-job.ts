/**
 * The helper's answer to an `AggregationJobInitReq` (DAP-09 §4.5.1), as a pure step over decoded
 * messages: per report, open its share, run Prio3 preparation with the leader's `initialize`
 * message, and answer `continue(finish(prep_msg))` or `reject(error)`, in the request's order.
 * Under a task requiring member signatures, a report whose signature or signer's membership does
 * not check is rejected `invalid_message` before preparation.
 * Storage (replay and collected-batch checks, idempotent jobs) wraps this in the next slice.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import type { AggregationJobInitReq, PrepareResp } from '../dap/aggregation.ts';
import { Role, type HpkeKeypair } from '../dap/hpke.ts';
import {
  verifyMemberReport,
  type MemberEpoch,
  type MemberSignaturePolicy,
} from '../membership/verify-member-report.ts';
import { openReportShare } from '../vdaf/open-share.ts';
import { helperInit, PrepareFailure } from '../vdaf/prepare.ts';
import type { OutputShare } from '../vdaf/prio3-shares.ts';

export interface HelperTask {
  readonly vdaf: Prio3SumVec;
  readonly taskId: Uint8Array;
  readonly verifyKey: Uint8Array;
  readonly keypairs: readonly HpkeKeypair[];
  /** Set: every report must carry a member's signature (checked against the membership log). */
  readonly memberSignatures?: MemberSignaturePolicy | undefined;
}

export interface HelperJobResult {
  readonly response: readonly PrepareResp[];
  /** Output shares of the reports that finished, by report id (hex). */
  readonly outputShares: ReadonlyMap<string, OutputShare>;
  /** The signing member and epoch of each finished report, by report id (hex), when required. */
  readonly members: ReadonlyMap<string, MemberEpoch>;
}

/** A job that names one report twice is malformed as a whole (the draft's invalidMessage). */
export class DuplicateReportInJob extends Error {
  override readonly name = 'DuplicateReportInJob';
  readonly code = 'invalidMessage';
}

export async function prepareAggregationJob(
  task: HelperTask,
  request: AggregationJobInitReq,
): Promise<HelperJobResult> {
  const ids = request.prepareInits.map((p) =>
    Buffer.from(p.reportShare.metadata.reportId).toString('hex'),
  );
  if (new Set(ids).size !== ids.length) {
    throw new DuplicateReportInJob('The aggregation job names a report more than once.');
  }
  const outputShares = new Map<string, OutputShare>();
  const members = new Map<string, MemberEpoch>();
  const response: PrepareResp[] = [];
  for (const [i, init] of request.prepareInits.entries()) {
    const reportId = init.reportShare.metadata.reportId;
    try {
      const shares = await openReportShare(
        task.keypairs,
        Role.helper,
        task.taskId,
        init.reportShare,
      );
      const policy = task.memberSignatures;
      const { metadata, publicShare } = init.reportShare;
      const member = policy
        ? await verifyMemberReport(policy, task.taskId, metadata, publicShare, shares.extensions)
        : null;
      const finished = await helperInit(task.vdaf, task.verifyKey, shares, init.message);
      outputShares.set(ids[i] ?? '', finished.outputShare);
      if (member) members.set(ids[i] ?? '', member);
      response.push({ reportId, state: 'continue', message: finished.outbound });
    } catch (error) {
      if (!(error instanceof PrepareFailure)) throw error;
      response.push({ reportId, state: 'reject', error: error.code });
    }
  }
  return { response, outputShares, members };
}
