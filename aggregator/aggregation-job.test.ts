/**
 * One aggregation job between the leader and the helper, through the DAP-09 wire encodings:
 * real-client reports (some damaged) → leader starts the job → AggregationJobInitReq bytes →
 * helper prepares → AggregationJobResp bytes → leader finishes. Both sides agree on which reports
 * count, with the draft's error for each one that does not, and the sum is exact.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aggregationJobInitReqCodec, aggregationJobRespCodec } from './dap/aggregation.ts';
import { decode, encode } from './dap/codec.ts';
import type { Report } from './dap/upload.ts';
import {
  DuplicateReportInJob,
  prepareAggregationJob,
  type HelperTask,
} from './helper/aggregation-job.ts';
import {
  finishAggregationJob,
  HelperResponseMismatch,
  startAggregationJob,
  type LeaderTask,
} from './leader/aggregation-job.ts';
import { taskPairWithReports } from './test-support/task-pair.ts';
import { sumVecFor } from './vdaf/task.ts';
import { testTask } from './test-support/categories.ts';

const task = testTask([4, 5]);
const vdaf = sumVecFor(task);
const measurements = [
  [1, 3, 10, 0, 0, 0],
  [1, 50, 240, 1, 1, 1],
  [0, 0, 0, 1, 7, 2],
  [1, 9, 0, 1, 2, 30],
];
const hexId = (r: Report) => Buffer.from(r.metadata.reportId).toString('hex');
const flipFirst = (b: Uint8Array) => Uint8Array.of(b[0]! ^ 1, ...b.subarray(1));

let leader: LeaderTask;
let helper: HelperTask;
let valid: Report[];
let unknownHelperKey: Report;
let damagedHelperShare: Report;
let damagedLeaderShare: Report;

beforeAll(async () => {
  let reports: Report[];
  ({ leader, helper, reports } = await taskPairWithReports(
    task,
    [...measurements, [1, 1, 1, 0, 0, 0], [1, 2, 2, 0, 0, 0], [1, 3, 3, 0, 0, 0]],
    new Date(Date.UTC(2026, 11, 6)),
  ));
  valid = reports.slice(0, measurements.length);
  const [a, b, c] = reports.slice(measurements.length) as [Report, Report, Report];
  unknownHelperKey = {
    ...a,
    helperEncryptedInputShare: { ...a.helperEncryptedInputShare, configId: 99 },
  };
  const h = b.helperEncryptedInputShare;
  damagedHelperShare = { ...b, helperEncryptedInputShare: { ...h, payload: flipFirst(h.payload) } };
  const l = c.leaderEncryptedInputShare;
  damagedLeaderShare = { ...c, leaderEncryptedInputShare: { ...l, payload: flipFirst(l.payload) } };
});

describe('an aggregation job between the leader and the helper', () => {
  it('aggregates the valid reports exactly and rejects each damaged one with its DAP error', async () => {
    const job = await startAggregationJob(leader, [
      ...valid,
      unknownHelperKey,
      damagedHelperShare,
      damagedLeaderShare,
    ]);
    expect(job.failed).toEqual([
      { reportId: hexId(damagedLeaderShare), error: 'hpke_decrypt_error' },
    ]);
    const requestBytes = encode(aggregationJobInitReqCodec, job.request);

    const answer = await prepareAggregationJob(
      helper,
      decode(aggregationJobInitReqCodec, requestBytes, 'init req'),
    );
    expect(answer.response.map((r) => r.state)).toEqual([
      ...valid.map(() => 'continue'),
      'reject',
      'reject',
    ]);
    const responseBytes = encode(aggregationJobRespCodec, answer.response);

    const finished = await finishAggregationJob(
      leader,
      job,
      decode(aggregationJobRespCodec, responseBytes, 'resp'),
    );
    expect(finished.failed).toEqual([
      { reportId: hexId(damagedLeaderShare), error: 'hpke_decrypt_error' },
      { reportId: hexId(unknownHelperKey), error: 'hpke_unknown_config_id' },
      { reportId: hexId(damagedHelperShare), error: 'hpke_decrypt_error' },
    ]);
    const counted = valid.map(hexId);
    expect([...finished.outputShares.keys()]).toEqual(counted);
    expect([...answer.outputShares.keys()]).toEqual(counted);
    const leaderShare = vdaf.aggregate(null, [...finished.outputShares.values()]);
    const helperShare = vdaf.aggregate(null, [...answer.outputShares.values()]);
    const sums = measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!));
    expect(vdaf.unshard(null, [leaderShare, helperShare], valid.length)).toEqual(sums);
  });

  it('voids a job whose response does not answer the reports sent, in order', async () => {
    const job = await startAggregationJob(leader, valid.slice(0, 2));
    const answer = await prepareAggregationJob(helper, job.request);
    const reversed = [...answer.response].reverse();
    await expect(finishAggregationJob(leader, job, reversed)).rejects.toBeInstanceOf(
      HelperResponseMismatch,
    );
    await expect(
      finishAggregationJob(leader, job, answer.response.slice(1)),
    ).rejects.toBeInstanceOf(HelperResponseMismatch);
  });

  it('refuses a job that names one report twice', async () => {
    const job = await startAggregationJob(leader, valid.slice(0, 1));
    const init = job.request.prepareInits[0]!;
    const twice = { ...job.request, prepareInits: [init, init] };
    await expect(prepareAggregationJob(helper, twice)).rejects.toBeInstanceOf(DuplicateReportInJob);
  });
});
