/**
 * The leader's side of collection (DAP-09 §4.6): ask the helper for its aggregate share of a
 * batch (`aggregateShareRequest`), then seal its own share to the collector and assemble the
 * `Collection` (`assembleCollection`). A batch with fewer reports than the task's minimum batch
 * size is never released. Central noise, collection jobs and their storage come in a later slice.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import type { Interval } from '../dap/batch.ts';
import type { AggregateShareReq, Collection } from '../dap/collection.ts';
import { Role, sealAggregateShare } from '../dap/hpke.ts';
import type { HpkeCiphertext, HpkeConfig } from '../dap/upload.ts';
import type { BatchAggregation } from '../vdaf/batch-aggregation.ts';

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
  const leaderAggregateShare = await sealAggregateShare(
    collectorConfig,
    Role.leader,
    vdaf.encodeAggregatorShare([...batch.aggregateShare]),
    {
      taskId,
      aggregationParameter: request.aggregationParameter,
      batchInterval: request.batchInterval,
    },
  );
  return {
    reportCount: batch.reportCount,
    interval: request.batchInterval,
    leaderEncryptedAggregateShare: leaderAggregateShare,
    helperEncryptedAggregateShare: helperAggregateShare,
  };
}
