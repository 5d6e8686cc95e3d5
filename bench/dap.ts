/**
 * `npm run bench:dap`: the cost of private aggregation for a 20-category task (60 entries,
 * default clip bounds → 8 bits), in Node on this machine. Prints one JSON line.
 *
 * - shardMsMedian: the library's `shardEncoded`, what the `@divviup/dap` client runs per report;
 * - uploadBytes: one report as the real client uploads it (public share + two sealed shares);
 * - prepMsPerReport.{leader,helper}: each aggregator's work per report in one aggregation job over
 *   all reports, through the DAP-09 wire encodings — HPKE open, share decoding, its Prio3 steps,
 *   encoding and decoding AggregationJobInitReq/Resp (no HTTP or storage yet);
 * - libraryPrepMsPerReport: the raw prepareInit ×2 + unshardPreparationShares + prepareNext ×2 of
 *   the library on already-decoded shares, and inProcessOverhead = (leader + helper) ÷ that;
 * - driverPairMsPerReport: the leader's aggregation-job driver over the same number of reports in
 *   one job — claim from its PGlite database, PUT to the helper server over HTTP on 127.0.0.1
 *   (the helper on its own PGlite), commit outcomes and batch sums — wall time per report for
 *   both aggregators together, in this one process.
 *
 * Not yet measured: the issue's `pipelineOverhead` and `cpuHoursPerMillionReports` for the full
 * upload → aggregate path with each aggregator in its own process.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  aggregationJobInitReqCodec,
  aggregationJobRespCodec,
} from '../aggregator/dap/aggregation.ts';
import { decode, encode } from '../aggregator/dap/codec.ts';
import { generateHpkeKeypair } from '../aggregator/dap/hpke.ts';
import { prepareAggregationJob } from '../aggregator/helper/aggregation-job.ts';
import { aggregationDriver } from '../aggregator/leader/aggregation-driver.ts';
import { finishAggregationJob, startAggregationJob } from '../aggregator/leader/aggregation-job.ts';
import { reportCodec } from '../aggregator/dap/upload.ts';
import { testCategories, testPrivacy } from '../aggregator/test-support/categories.ts';
import { freshPgliteDb } from '../aggregator/test-support/databases.ts';
import { startPipeline } from '../aggregator/test-support/driver-pipeline.ts';
import { uploadWithRealClient } from '../aggregator/test-support/real-client.ts';
import { categoryTask, sumVecFor } from '../aggregator/vdaf/task.ts';

const REPORTS = 40;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number) => Number(x.toFixed(2));

const categories = testCategories(Array.from({ length: 20 }, (_, i) => i + 1));
const task = categoryTask({ categories, privacy: testPrivacy });
const vdaf = sumVecFor(task);
const measurement = (m: number) =>
  Array.from({ length: task.vdaf.length }, (_, i) =>
    i % 3 === 0 ? (m + i) % 2 : (m * 31 + i * 7) % 200,
  );

async function time<T>(step: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await step();
  return [value, performance.now() - start];
}

const shardTimes: number[] = [];
for (let m = 0; m < REPORTS; m++) {
  const [, ms] = await time(() =>
    vdaf.shardEncoded(measurement(m), randomBytes(16), randomBytes(vdaf.randSize)),
  );
  shardTimes.push(ms);
}

const taskId = new Uint8Array(randomBytes(32));
const verifyKey = randomBytes(16);
const leaderKeys = [await generateHpkeKeypair(1)];
const helperKeys = [await generateHpkeKeypair(2)];
const uploads = await uploadWithRealClient({
  taskId,
  leaderKeys,
  helperKeys,
  vdaf: { type: 'sumVec', ...task.vdaf },
  timePrecisionSeconds: 86_400,
  measurements: Array.from({ length: REPORTS }, (_, m) => measurement(m)),
  at: new Date(Date.UTC(2026, 11, 6)),
});

// One aggregation job over every report, through the DAP-09 wire encodings both ways.
const reports = uploads.map((u) => decode(reportCodec, u.body, 'report'));
const leaderTask = { vdaf, taskId, verifyKey, keypairs: leaderKeys };
const helperTask = { vdaf, taskId, verifyKey, keypairs: helperKeys };
const [started, leaderStartMs] = await time(async () => {
  const job = await startAggregationJob(leaderTask, reports);
  return { job, bytes: encode(aggregationJobInitReqCodec, job.request) };
});
const [responseBytes, helperMs] = await time(async () => {
  const answer = await prepareAggregationJob(
    helperTask,
    decode(aggregationJobInitReqCodec, started.bytes, 'req'),
  );
  return encode(aggregationJobRespCodec, answer.response);
});
const [finished, leaderFinishMs] = await time(() =>
  finishAggregationJob(
    leaderTask,
    started.job,
    decode(aggregationJobRespCodec, responseBytes, 'resp'),
  ),
);
if (finished.outputShares.size !== REPORTS)
  throw new Error(`only ${finished.outputShares.size} reports prepared`);

// The same job as the leader's driver runs it: storage on PGlite, the helper over HTTP.
const day = Date.UTC(2026, 11, 6) / 1000;
const pipeline = await startPipeline({
  fresh: freshPgliteDb,
  categories: task,
  measurements: Array.from({ length: REPORTS }, (_, m) => measurement(m)),
  day,
  now: day + 86_400,
  maxReportsPerJob: REPORTS,
  leaseSeconds: 600,
});
const [runs, driverMs] = await time(() => aggregationDriver(pipeline.base).runUntilIdle());
await pipeline.close();
if (runs.length !== 1 || runs[0]?.finished !== REPORTS)
  throw new Error(`the driver finished ${JSON.stringify(runs)}`);

const libraryTimes: number[] = [];
for (let m = 0; m < REPORTS; m++) {
  const nonce = randomBytes(16);
  const { publicShare, inputShares } = await vdaf.shard(
    measurement(m),
    nonce,
    randomBytes(vdaf.randSize),
  );
  const [leaderShare, helperShare] = inputShares as [
    (typeof inputShares)[0],
    (typeof inputShares)[0],
  ];
  const parts = () => ({ jointRandParts: [...publicShare.jointRandParts] });
  const [, ms] = await time(async () => {
    const l = await vdaf.prepareInit(Buffer.from(verifyKey), 0, null, nonce, parts(), leaderShare);
    const h = await vdaf.prepareInit(Buffer.from(verifyKey), 1, null, nonce, parts(), helperShare);
    const message = await vdaf.unshardPreparationShares(null, [
      l.preparationShare,
      h.preparationShare,
    ]);
    vdaf.prepareNext(h.preparationState, message);
    vdaf.prepareNext(l.preparationState, message);
  });
  libraryTimes.push(ms);
}

const leader = (leaderStartMs + leaderFinishMs) / REPORTS;
const helper = helperMs / REPORTS;
const library = median(libraryTimes);
console.error(
  `20 categories, SumVec length ${task.vdaf.length}, ${task.vdaf.bits} bits, chunk ${task.vdaf.chunkLength}; ${REPORTS} reports`,
);
console.log(
  JSON.stringify({
    categories: categories.length,
    vdaf: task.vdaf,
    shardMsMedian: round(median(shardTimes)),
    uploadBytes: uploads[0]?.body.length ?? NaN,
    prepMsPerReport: { leader: round(leader), helper: round(helper) },
    libraryPrepMsPerReport: round(library),
    inProcessOverhead: round((leader + helper) / library),
    driverPairMsPerReport: round(driverMs / REPORTS),
  }),
);
