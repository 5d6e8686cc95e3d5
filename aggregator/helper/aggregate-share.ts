/**
 * The helper's answer to an `AggregateShareReq` (DAP-09 §4.6.3): if the leader's report count
 * and checksum match what the helper aggregated for the batch, seal the helper's aggregate share
 * to the collector under the AAD naming task and batch; otherwise `batchMismatch`. The share is
 * noised first when the task declares a central ε (`../vdaf/central-noise.ts`); the route stores
 * the answer, so a retried request never draws fresh noise.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import type { AggregateShareReq } from '../dap/collection.ts';
import { Role } from '../dap/hpke.ts';
import type { HpkeCiphertext, HpkeConfig } from '../dap/upload.ts';
import type { BatchAggregation } from '../vdaf/batch-aggregation.ts';
import { NO_NOISE, type ShareNoise } from '../vdaf/central-noise.ts';
import { sealNoisyShare } from '../vdaf/seal-share.ts';

export class BatchMismatch extends Error {
  override readonly name = 'BatchMismatch';
  readonly code = 'batchMismatch';
}

export async function answerAggregateShareReq(
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  collectorConfig: HpkeConfig,
  batch: BatchAggregation,
  request: AggregateShareReq,
  noise: ShareNoise = NO_NOISE,
): Promise<HpkeCiphertext> {
  if (request.reportCount !== batch.reportCount) {
    throw new BatchMismatch(
      `The leader aggregated ${request.reportCount} reports in this batch; the helper ${batch.reportCount}.`,
    );
  }
  if (!Buffer.from(request.checksum).equals(batch.checksum)) {
    throw new BatchMismatch(
      'The leader and the helper aggregated different reports (checksums differ).',
    );
  }
  return sealNoisyShare(Role.helper, vdaf, taskId, collectorConfig, batch, request, noise);
}
