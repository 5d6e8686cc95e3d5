/**
 * One aggregator's first step on a report share: open its HPKE-sealed input share (bound by the
 * AAD to this task, report and public share) and hand preparation the plaintext payload. Failures
 * become the DAP PrepareError the aggregator reports for that report alone.
 */
import type { ReportShare } from '../dap/aggregation.ts';
import { DapDecodeError } from '../dap/codec.ts';
import {
  HpkeOpenError,
  openInputShare,
  type AggregatorRole,
  type HpkeKeypair,
} from '../dap/hpke.ts';
import { PrepareFailure, type ReportShares } from './prepare.ts';

export async function openReportShare(
  keypairs: readonly HpkeKeypair[],
  role: AggregatorRole,
  taskId: Uint8Array,
  share: ReportShare,
): Promise<ReportShares> {
  const aad = { taskId, metadata: share.metadata, publicShare: share.publicShare };
  try {
    const plain = await openInputShare(keypairs, role, share.encryptedInputShare, aad);
    return {
      reportId: share.metadata.reportId,
      publicShare: share.publicShare,
      inputShare: plain.payload,
    };
  } catch (error) {
    if (error instanceof HpkeOpenError) throw new PrepareFailure(error.code, error.message);
    if (error instanceof DapDecodeError) throw new PrepareFailure('invalid_message', error.message);
    throw error;
  }
}
