/**
 * One aggregator's first step on a report share: open its HPKE-sealed input share (bound by the
 * AAD to this task, report and public share) and hand preparation the plaintext payload, with the
 * report's extensions by type. An extension this aggregator does not recognise, or one type twice,
 * makes the report `invalid_message` (DAP-09 §4.5.1.4: extensions are mandatory to implement).
 * Failures become the DAP PrepareError the aggregator reports for that report alone.
 */
import { MEMBER_SIGNATURE_EXTENSION } from '../../extension/protocol/dap-upload-signature.ts';
import type { ReportShare } from '../dap/aggregation.ts';
import { DapDecodeError } from '../dap/codec.ts';
import { HpkeOpenError, type AggregatorRole, type HpkeKeypair } from '../dap/hpke.ts';
import { openInputShare } from '../dap/hpke-open.ts';
import type { Extension } from '../dap/upload.ts';
import { PrepareFailure, type ReportShares } from './prepare.ts';

/** The report extensions our aggregators understand. */
const RECOGNISED_EXTENSIONS: ReadonlySet<number> = new Set([MEMBER_SIGNATURE_EXTENSION]);

export interface OpenedShare extends ReportShares {
  /** Extension data by type (each type at most once). */
  readonly extensions: ReadonlyMap<number, Uint8Array>;
}

function extensionsByType(extensions: readonly Extension[]): Map<number, Uint8Array> {
  const byType = new Map<number, Uint8Array>();
  for (const { type, data } of extensions) {
    if (!RECOGNISED_EXTENSIONS.has(type)) {
      throw new PrepareFailure(
        'invalid_message',
        `The report carries an unknown extension type ${type}.`,
      );
    }
    if (byType.has(type)) {
      throw new PrepareFailure(
        'invalid_message',
        `The report carries extension type ${type} twice.`,
      );
    }
    byType.set(type, data);
  }
  return byType;
}

export async function openReportShare(
  keypairs: readonly HpkeKeypair[],
  role: AggregatorRole,
  taskId: Uint8Array,
  share: ReportShare,
): Promise<OpenedShare> {
  const aad = { taskId, metadata: share.metadata, publicShare: share.publicShare };
  try {
    const plain = await openInputShare(keypairs, role, share.encryptedInputShare, aad);
    return {
      reportId: share.metadata.reportId,
      publicShare: share.publicShare,
      inputShare: plain.payload,
      extensions: extensionsByType(plain.extensions),
    };
  } catch (error) {
    if (error instanceof HpkeOpenError) throw new PrepareFailure(error.code, error.message);
    if (error instanceof DapDecodeError) throw new PrepareFailure('invalid_message', error.message);
    throw error;
  }
}
