/**
 * The leader's side of collection (DAP-09 §4.6): ask the helper for its aggregate share of a
 * batch (`aggregateShareRequest`) and seal its own share to the collector (`sealLeaderShare`,
 * noised with the task's central ε). A batch with fewer reports than the task's minimum batch
 * size is never released. Collection jobs store the sealed share once and assemble the
 * `Collection` (`collection-driver.ts`, its interval from `collection-job.ts`).
 */
import type { Prio3SumVec } from '@divviup/prio3';
import type { Interval } from '../dap/batch.ts';
import type { AggregateShareReq } from '../dap/collection.ts';
import { Role } from '../dap/hpke.ts';
import type { HpkeCiphertext, HpkeConfig } from '../dap/upload.ts';
import type { BatchAggregation } from '../vdaf/batch-aggregation.ts';
import { NO_NOISE, type ShareNoise } from '../vdaf/central-noise.ts';
import { sealNoisyShare } from '../vdaf/seal-share.ts';

/** The draft's `invalidBatchSize`: the batch is below the task's minimum batch size. */
export class BatchTooSmall extends Error {
  override readonly name = 'BatchTooSmall';
  readonly code = 'invalidBatchSize';
}

/** Refuses (`BatchTooSmall`) a batch below the task's minimum batch size. */
export function checkSize(batch: BatchAggregation, minBatchSize: number): void {
  if (batch.reportCount < minBatchSize) {
    throw new BatchTooSmall(
      `The batch holds ${batch.reportCount} reports; at least ${minBatchSize} are needed before it is released.`,
    );
  }
}

export function aggregateShareRequest(
  batch: BatchAggregation,
  batchInterval: Interval,
  minBatchSize: number,
): AggregateShareReq {
  checkSize(batch, minBatchSize);
  return {
    batchInterval,
    aggregationParameter: new Uint8Array(0),
    reportCount: batch.reportCount,
    checksum: batch.checksum,
  };
}

/** The leader's aggregate share of `batch`, noised (`noise`) and sealed to the collector. */
export function sealLeaderShare(
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  collectorConfig: HpkeConfig,
  batch: BatchAggregation,
  request: AggregateShareReq,
  noise: ShareNoise = NO_NOISE,
): Promise<HpkeCiphertext> {
  return sealNoisyShare(Role.leader, vdaf, taskId, collectorConfig, batch, request, noise);
}
