/**
 * The leader's member-signature check at upload (tasks requiring member signatures): open the
 * leader's own input share only to read its extensions, and verify the signature and the signer's
 * membership (`verifyMemberReport`). Nothing opened is kept: the report is stored as uploaded, its
 * share sealed, and preparation opens it again in the aggregation job (which checks again).
 */
import { Role, type HpkeKeypair } from '../dap/hpke.ts';
import type { Report } from '../dap/upload.ts';
import {
  verifyMemberReport,
  type MemberEpoch,
  type MemberSignaturePolicy,
} from '../membership/verify-member-report.ts';
import { openReportShare } from '../vdaf/open-share.ts';

/** The report's signer and epoch; throws `PrepareFailure` (with a sentence) if it does not check. */
export async function memberOfReport(
  policy: MemberSignaturePolicy,
  keypairs: readonly HpkeKeypair[],
  taskId: Uint8Array,
  report: Report,
): Promise<MemberEpoch> {
  const { metadata, publicShare } = report;
  const opened = await openReportShare(keypairs, Role.leader, taskId, {
    metadata,
    publicShare,
    encryptedInputShare: report.leaderEncryptedInputShare,
  });
  return verifyMemberReport(policy, taskId, metadata, publicShare, opened.extensions);
}
