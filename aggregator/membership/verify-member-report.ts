/**
 * What both aggregators check on a report of a task that requires member signatures, after
 * opening their own input share: the signature extension is there, signed over this task, report
 * id, epoch and public share by the address it names (extension/protocol/dap-upload-signature.ts),
 * the report's time is an epoch start, and the signer was a member at some moment of that epoch (joined or left during it counts) per the union's
 * membership log. The result, (member, epoch), is what each role's database allows once.
 *
 * A failed check is the report's `invalid_message` (it is refused and counted nowhere); a
 * membership log that cannot be read throws `MembershipUnavailable` (the request fails, the report
 * is judged later).
 */
import {
  verifyDapUpload,
  MEMBER_SIGNATURE_EXTENSION,
} from '../../extension/protocol/dap-upload-signature.ts';
import type { UnionDomain } from '../../extension/protocol/eip712.ts';
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import type { ReportMetadata } from '../dap/upload.ts';
import { PrepareFailure } from '../vdaf/prepare.ts';
import type { MembershipSource } from './membership-source.ts';

export interface MemberSignaturePolicy {
  /** The union's EIP-712 domain: chain id and DataUnion address. */
  readonly domain: UnionDomain;
  readonly membership: MembershipSource;
  readonly timePrecisionSeconds: number;
}

/** One member's contribution to one epoch: what each aggregator accepts once. */
export interface MemberEpoch {
  /** Lowercase address. */
  readonly member: string;
  /** The epoch's start, seconds since the Unix epoch. */
  readonly epoch: number;
}

export async function verifyMemberReport(
  policy: MemberSignaturePolicy,
  taskId: Uint8Array,
  metadata: ReportMetadata,
  publicShare: Uint8Array,
  extensions: ReadonlyMap<number, Uint8Array>,
): Promise<MemberEpoch> {
  const data = extensions.get(MEMBER_SIGNATURE_EXTENSION);
  if (data === undefined) {
    throw new PrepareFailure(
      'invalid_message',
      'This task requires a member signature; the report has none.',
    );
  }
  if (metadata.time % policy.timePrecisionSeconds !== 0) {
    throw new PrepareFailure(
      'invalid_message',
      `The report's time ${metadata.time} is not the start of an epoch of ${policy.timePrecisionSeconds} s.`,
    );
  }
  let member: string;
  try {
    member = verifyDapUpload(
      policy.domain,
      { taskId, reportId: metadata.reportId, epochStart: metadata.time, publicShare },
      data,
    );
  } catch (error) {
    if (error instanceof CrowdsellError) throw new PrepareFailure('invalid_message', error.message);
    throw error;
  }
  const epochEnd = metadata.time + policy.timePrecisionSeconds;
  if (!(await policy.membership.memberDuring(member, metadata.time, epochEnd))) {
    throw new PrepareFailure(
      'invalid_message',
      `${member} was not a member of the union at any time of the epoch from ${new Date(metadata.time * 1000).toISOString()} to ${new Date(epochEnd * 1000).toISOString()}.`,
    );
  }
  return { member: member.toLowerCase(), epoch: metadata.time };
}
