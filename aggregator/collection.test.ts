/**
 * Collection end to end through the DAP-09 encodings: real-client reports are aggregated in a job,
 * each aggregator accumulates its batch, the leader asks the helper for its aggregate share, seals
 * its own, and the collector opens both and gets the exact sums. A batch below the minimum size is
 * never released; aggregators that aggregated different reports refuse; shares open only for the
 * batch they were sealed for.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openCollection } from './collector/open-collection.ts';
import { decode, encode } from './dap/codec.ts';
import { aggregateShareCodec, aggregateShareReqCodec, collectionCodec } from './dap/collection.ts';
import { generateHpkeKeypair, type HpkeKeypair } from './dap/hpke.ts';
import { answerAggregateShareReq, BatchMismatch } from './helper/aggregate-share.ts';
import { prepareAggregationJob } from './helper/aggregation-job.ts';
import { finishAggregationJob, startAggregationJob } from './leader/aggregation-job.ts';
import { aggregateShareRequest, BatchTooSmall } from './leader/collection.ts';
import { assembleCollection } from './test-support/assemble-collection.ts';
import { testTask } from './test-support/categories.ts';
import { taskPairWithReports } from './test-support/task-pair.ts';
import { addToBatch, emptyBatch, type BatchAggregation } from './vdaf/batch-aggregation.ts';
import { sumVecFor } from './vdaf/task.ts';

const task = testTask([6, 7]);
const vdaf = sumVecFor(task);
const EPOCH = Date.UTC(2026, 11, 6) / 1000;
const batchInterval = { start: EPOCH, duration: 86_400 };
const measurements = [
  [1, 5, 60, 0, 0, 0],
  [1, 50, 240, 1, 3, 3],
  [0, 0, 0, 1, 10, 100],
];
const MIN_BATCH_SIZE = 3;

let taskId: Uint8Array;
let collectorKeys: HpkeKeypair[];
let leaderBatch: BatchAggregation;
let helperBatch: BatchAggregation;
let firstReportId: Uint8Array;

beforeAll(async () => {
  const { leader, helper, reports } = await taskPairWithReports(
    task,
    measurements,
    new Date((EPOCH + 5000) * 1000),
  );
  taskId = leader.taskId;
  collectorKeys = [await generateHpkeKeypair(3)];
  firstReportId = reports[0]!.metadata.reportId;
  const job = await startAggregationJob(leader, reports);
  const answer = await prepareAggregationJob(helper, job.request);
  const finished = await finishAggregationJob(leader, job, answer.response);
  const accumulate = (shares: ReadonlyMap<string, bigint[]>) =>
    reports.reduce((batch, r) => {
      const share = shares.get(Buffer.from(r.metadata.reportId).toString('hex'));
      if (share === undefined) throw new Error('a report did not finish preparation');
      return addToBatch(vdaf, batch, r.metadata.reportId, share);
    }, emptyBatch(vdaf));
  leaderBatch = accumulate(finished.outputShares);
  helperBatch = accumulate(answer.outputShares);
});

describe('collection', () => {
  it('releases the exact sums to the collector, each aggregate share sealed by its aggregator', async () => {
    expect(leaderBatch.checksum).toEqual(helperBatch.checksum);
    const request = aggregateShareRequest(leaderBatch, batchInterval, MIN_BATCH_SIZE);
    const requestBytes = encode(aggregateShareReqCodec, request);
    const helperShare = await answerAggregateShareReq(
      vdaf,
      taskId,
      collectorKeys[0]!.config,
      helperBatch,
      decode(aggregateShareReqCodec, requestBytes, 'aggregate share req'),
    );
    const helperShareBytes = encode(aggregateShareCodec, helperShare);
    const collection = await assembleCollection(
      vdaf,
      taskId,
      collectorKeys[0]!.config,
      leaderBatch,
      request,
      decode(aggregateShareCodec, helperShareBytes, 'aggregate share'),
      MIN_BATCH_SIZE,
    );
    const received = decode(collectionCodec, encode(collectionCodec, collection), 'collection');
    expect(received.reportCount).toBe(3);
    const sums = await openCollection(vdaf, taskId, collectorKeys, batchInterval, received);
    expect(sums).toEqual(measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!)));

    const otherDay = { start: EPOCH + 86_400, duration: 86_400 };
    await expect(
      openCollection(vdaf, taskId, collectorKeys, otherDay, received),
    ).rejects.toMatchObject({
      code: 'hpke_decrypt_error',
    });
  });

  it('never releases a batch below the minimum batch size', () => {
    expect(() => aggregateShareRequest(leaderBatch, batchInterval, MIN_BATCH_SIZE + 1)).toThrow(
      BatchTooSmall,
    );
  });

  it('makes the helper refuse when the leader aggregated other reports', async () => {
    const request = aggregateShareRequest(leaderBatch, batchInterval, MIN_BATCH_SIZE);
    const config = collectorKeys[0]!.config;
    const fewer = { ...request, reportCount: request.reportCount - 1 };
    await expect(
      answerAggregateShareReq(vdaf, taskId, config, helperBatch, fewer),
    ).rejects.toBeInstanceOf(BatchMismatch);
    // Same count, one report swapped: only the checksum tells.
    const swapped = addToBatch(vdaf, emptyBatch(vdaf), firstReportId, vdaf.aggregate(null, []));
    const otherChecksum = { ...request, checksum: swapped.checksum };
    await expect(
      answerAggregateShareReq(vdaf, taskId, config, helperBatch, otherChecksum),
    ).rejects.toBeInstanceOf(BatchMismatch);
  });
});
