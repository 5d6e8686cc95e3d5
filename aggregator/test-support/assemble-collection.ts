/**
 * A `Collection` assembled in one step from the leader's batch and the helper's sealed share, for
 * tests that drive the pure collection steps without collection jobs. Its interval is the query's
 * (the collection driver uses the smallest interval covering the reports, `collection-job.ts`);
 * the minimum batch size is checked as the leader checks it.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import type { AggregateShareReq, Collection } from '../dap/collection.ts';
import type { HpkeCiphertext, HpkeConfig } from '../dap/upload.ts';
import { checkSize, sealLeaderShare } from '../leader/collection.ts';
import type { BatchAggregation } from '../vdaf/batch-aggregation.ts';

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
