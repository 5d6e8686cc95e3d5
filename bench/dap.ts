/**
 * `npm run bench:dap`: the cost of private aggregation for a 20-category task (60 entries,
 * default clip bounds → 8 bits), in Node on this machine. Prints one JSON line.
 *
 * - shardMsMedian: the library's `shardEncoded`, what the `@divviup/dap` client runs per report;
 * - uploadBytes: one report as the real client uploads it (public share + two sealed shares);
 * - prepMsPerReport.{leader,helper}: each aggregator's per-report work in this slice — HPKE open,
 *   share decoding and its Prio3 preparation steps (median over the run);
 * - libraryPrepMsPerReport: the raw prepareInit ×2 + unshardPreparationShares + prepareNext ×2 of
 *   the library on already-decoded shares, and inProcessOverhead = (leader + helper) ÷ that.
 *
 * Not yet measured (the HTTP pipeline, storage and job leasing come next): the issue's
 * `pipelineOverhead` and `cpuHoursPerMillionReports` for the full upload → aggregate path; the
 * in-process figure below is their lower bound.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { decode } from '../aggregator/dap/codec.ts';
import { generateHpkeKeypair, openInputShare, Role } from '../aggregator/dap/hpke.ts';
import { reportCodec } from '../aggregator/dap/upload.ts';
import { uploadWithRealClient } from '../aggregator/test-support/real-client.ts';
import { helperInit, leaderFinish, leaderInit } from '../aggregator/vdaf/prepare.ts';
import { categoryTask, sumVecFor } from '../aggregator/vdaf/task.ts';

const REPORTS = 40;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (x: number) => Number(x.toFixed(2));

const categories = Array.from({ length: 20 }, (_, i) => ({
  id: i + 1,
  key: `c-${i + 1}`,
  label: `Category ${i + 1}`,
  description: 'A benchmark category.',
  domains: [],
}));
const task = categoryTask({
  categories,
  privacy: { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 50 },
});
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

const leaderTimes: number[] = [];
const helperTimes: number[] = [];
for (const upload of uploads) {
  const report = decode(reportCodec, upload.body, 'report');
  const aad = { taskId, metadata: report.metadata, publicShare: report.publicShare };
  const common = { reportId: report.metadata.reportId, publicShare: report.publicShare };
  const [started, leaderStart] = await time(async () => {
    const plain = await openInputShare(
      leaderKeys,
      Role.leader,
      report.leaderEncryptedInputShare,
      aad,
    );
    return leaderInit(vdaf, verifyKey, { ...common, inputShare: plain.payload });
  });
  const [helper, helperMs] = await time(async () => {
    const plain = await openInputShare(
      helperKeys,
      Role.helper,
      report.helperEncryptedInputShare,
      aad,
    );
    return helperInit(vdaf, verifyKey, { ...common, inputShare: plain.payload }, started.outbound);
  });
  const [, leaderEnd] = await time(() => leaderFinish(vdaf, started.state, helper.outbound));
  leaderTimes.push(leaderStart + leaderEnd);
  helperTimes.push(helperMs);
}

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

const leader = median(leaderTimes);
const helper = median(helperTimes);
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
  }),
);
