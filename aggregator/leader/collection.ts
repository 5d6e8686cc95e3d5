/**
 * The leader's side of collection (DAP-09 §4.6): ask the helper for its aggregate share of a
 * batch (`aggregateShareRequest`), then seal its own share to the collector and assemble the
 * `Collection` (`assembleCollection`). A batch with fewer reports than the task's minimum batch
 * size is never released. The leader's share is noised (the task's central ε) before it is sealed
 * (`sealLeaderShare`); collection jobs store that sealed share once (`collection-driver.ts`).
 */
import type { Prio3SumVec } from '@divviup/prio3';
import type { Interval } from '../dap/batch.ts';
import type { AggregateShareReq, Collection } from '../dap/collection.ts';
import { Role, sealAggregateShare } from '../dap/hpke.ts';
import type { HpkeCiphertext, HpkeConfig } from '../dap/upload.ts';
import type { BatchAggregation } from '../vdaf/batch-aggregation.ts';
import { noisyShare, NO_NOISE, type ShareNoise } from '../vdaf/central-noise.ts';

/** The draft's `invalidBatchSize`: the batch is below the task's minimum batch size. */
export class BatchTooSmall extends Error {
  override readonly name = 'BatchTooSmall';
  readonly code = 'invalidBatchSize';
}

function checkSize(batch: BatchAggregation, minBatchSize: number): void {
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

export async function assembleCollection(
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  collectorConfig: HpkeConfig,
  batch: BatchAggregation,
  request: AggregateShareReq,
  helperAggregateShare: HpkeCiphertext,
  minBatchSize: number,
): Promise<Collection> {
  checkSize(batch, minBatchSize);
  return {
    reportCount: batch.reportCount,
    interval: request.batchInterval,
    leaderEncryptedAggregateShare: await sealLeaderShare(
      vdaf,
      taskId,
      collectorConfig,
      batch,
      request,
    ),
    helperEncryptedAggregateShare: helperAggregateShare,
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
  return sealAggregateShare(
    collectorConfig,
    Role.leader,
    vdaf.encodeAggregatorShare(noisyShare(vdaf, batch.aggregateShare, noise)),
    {
      taskId,
      aggregationParameter: request.aggregationParameter,
      batchInterval: request.batchInterval,
    },
  );
}
