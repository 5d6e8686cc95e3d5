/**
 * End to end in one process: the real `@divviup/dap` client shards and seals members'
 * measurements for the category task; the leader and the helper open and prepare their shares,
 * aggregate, and the unsharded result equals the plain sums exactly. Tampered shares, out-of-range
 * values and a wrong-length vector are refused by preparation.
 */
import { Prio3, type Prio3SumVec } from '@divviup/prio3';
import { VDAF_VERSION } from '@divviup/vdaf';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../dap/codec.ts';
import { generateHpkeKeypair, type HpkeKeypair } from '../dap/hpke.ts';
import { reportCodec, type Report } from '../dap/upload.ts';
import { prepareReport, type AggregatorPair } from '../test-support/in-process.ts';
import { uploadWithRealClient } from '../test-support/real-client.ts';
import { testCategories, testPrivacy } from '../test-support/categories.ts';
import { helperInit, leaderInit, type ReportShares } from './prepare.ts';
import { decodeAggregateShare } from './prio3-shares.ts';
import { categoryTask, measurementFor, sumVecFor, type CategoryTask } from './task.ts';

const categories = testCategories([3, 8, 21]);
const privacy = testPrivacy;

/** Deterministic activity for member m: some categories off, some above the clip bounds. */
function activityOf(m: number) {
  return new Map([
    [3, { visits: (m * 7) % 60, activeSeconds: (m * 1234) % 16_000 }],
    [8, { visits: m % 3 === 0 ? 0 : m, activeSeconds: m % 3 === 0 ? 0 : 90 * m }],
    [21, { visits: 49 + (m % 4), activeSeconds: 14_400 + m }],
  ]);
}

const plainSums = (ms: number[][]) => ms.reduce((acc, m) => acc.map((x, i) => x + (m[i] ?? 0)));

async function sharesOf(vdaf: Prio3SumVec, measurement: number[]) {
  const reportId = randomBytes(16);
  const { publicShare, inputShares } = await vdaf.shard(
    measurement,
    reportId,
    randomBytes(vdaf.randSize),
  );
  const [leader, helper] = inputShares.map((s) => vdaf.encodeInputShare(s)) as [Buffer, Buffer];
  const common = { reportId, publicShare: vdaf.encodePublicShare(publicShare) };
  return { leader: { ...common, inputShare: leader }, helper: { ...common, inputShare: helper } };
}

async function prepareBoth(
  vdaf: Prio3SumVec,
  verifyKey: Uint8Array,
  leader: ReportShares,
  helper: ReportShares,
) {
  const started = await leaderInit(vdaf, verifyKey, leader);
  return helperInit(vdaf, verifyKey, helper, started.outbound);
}

describe('the category task', () => {
  it('runs on the VDAF draft DAP-09 and Janus 0.7 speak (draft-irtf-cfrg-vdaf-08)', () => {
    // The prepare-share and ping-pong encodings here follow VDAF-08: a library upgrade to another
    // draft must be a deliberate change of the task, not a silent one.
    expect(VDAF_VERSION).toBe('vdaf-08');
  });

  it('is Prio3SumVec over flag, visits and minutes per category, bits from the larger clip bound', () => {
    const twenty = testCategories(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(categoryTask({ categories: twenty, privacy }).vdaf).toEqual({
      length: 60,
      bits: 8,
      chunkLength: 22,
    });
    const widest = { ...privacy, maxVisits: 1000, maxActiveSeconds: 86_400 };
    const task = categoryTask({ categories, privacy: widest });
    expect(task).toMatchObject({
      visitsClip: 1000,
      activeMinutesClip: 1440,
      vdaf: { length: 9, bits: 11 },
    });
    expect(() => categoryTask({ categories: [], privacy })).toThrow(RangeError);
  });

  it('builds a measurement with zeros for absent categories and clipped counts for the rest', () => {
    const task = categoryTask({ categories, privacy });
    const activity = new Map([
      [21, { visits: 75, activeSeconds: 20_000.4 }],
      [3, { visits: 2, activeSeconds: 89 }],
    ]);
    expect(measurementFor(task, activity)).toEqual([1, 2, 1, 0, 0, 0, 1, 50, 240]);
  });
});

describe('Prio3 preparation between the leader and the helper', () => {
  let task: CategoryTask;
  let pair: AggregatorPair;
  let measurements: number[][];
  let reports: Report[];

  beforeAll(async () => {
    task = categoryTask({ categories, privacy });
    const [leaderKeys, helperKeys]: HpkeKeypair[] = await Promise.all([
      generateHpkeKeypair(1),
      generateHpkeKeypair(2),
    ]);
    pair = {
      vdaf: sumVecFor(task),
      taskId: new Uint8Array(randomBytes(32)),
      verifyKey: new Uint8Array(randomBytes(16)),
      leaderKeys: [leaderKeys!],
      helperKeys: [helperKeys!],
    };
    measurements = Array.from({ length: 12 }, (_, m) => measurementFor(task, activityOf(m)));
    const uploads = await uploadWithRealClient({
      taskId: pair.taskId,
      leaderKeys: pair.leaderKeys,
      helperKeys: pair.helperKeys,
      vdaf: { type: 'sumVec', ...task.vdaf },
      timePrecisionSeconds: 86_400,
      measurements,
      at: new Date(Date.UTC(2026, 11, 6)),
    });
    reports = uploads.map((u) => decode(reportCodec, u.body, 'report'));
  });

  it('aggregates what the real client uploaded to exactly the plain sums', async () => {
    const { vdaf } = pair;
    const prepared = await Promise.all(reports.map((r) => prepareReport(pair, r)));
    const leaderShare = vdaf.aggregate(
      null,
      prepared.map((p) => p.leader),
    );
    const helperShare = vdaf.aggregate(
      null,
      prepared.map((p) => p.helper),
    );
    // Over the wire the aggregate shares travel encoded; decode them as the collector will.
    const wire = [leaderShare, helperShare].map((s) =>
      decodeAggregateShare(vdaf, vdaf.encodeAggregatorShare(s)),
    );
    const result = vdaf.unshard(null, wire, reports.length);
    expect(result).toEqual(plainSums(measurements));
    expect(result.filter((_, i) => i % 3 === 0)).toEqual([11, 8, 12]);
    // Neither aggregate share alone is the sum.
    expect(vdaf.unshard(null, [leaderShare, vdaf.aggregate(null, [])], reports.length)).not.toEqual(
      result,
    );
  });

  it('rejects a tampered helper share and a tampered leader share', async () => {
    const { vdaf, verifyKey } = pair;
    const honest = await sharesOf(vdaf, measurements[1]!);
    const helperBytes = Buffer.from(honest.helper.inputShare);
    helperBytes[0] = helperBytes[0]! ^ 1;
    await expect(
      prepareBoth(vdaf, verifyKey, honest.leader, { ...honest.helper, inputShare: helperBytes }),
    ).rejects.toMatchObject({
      code: 'vdaf_prep_error',
    });
    const leaderBytes = Buffer.from(honest.leader.inputShare);
    leaderBytes[0] = leaderBytes[0]! ^ 1;
    await expect(
      prepareBoth(vdaf, verifyKey, { ...honest.leader, inputShare: leaderBytes }, honest.helper),
    ).rejects.toMatchObject({
      code: 'vdaf_prep_error',
    });
    await expect(
      prepareBoth(vdaf, verifyKey, honest.leader, honest.helper),
    ).resolves.toHaveProperty('outputShare');
  });

  it('rejects an out-of-range value from a client that proves a forged encoding', async () => {
    const { vdaf, verifyKey } = pair;
    const flp = vdaf.flp;
    // A malicious client: an honest prover over an encoding whose first visits bit is 2, i.e. a
    // visits count of 2^bits + 1 that no bit decomposition can carry. The honest library refuses
    // to encode it, so the forgery goes through the encoding step.
    const forgedFlp = Object.create(flp, {
      encode: {
        value: (m: number[]) => {
          const encoded = flp.encode(m);
          encoded[task.vdaf.bits] = 2n;
          return encoded;
        },
      },
    }) as typeof flp;
    const forger = new Prio3(vdaf.xof, forgedFlp, 2, vdaf.proofs, vdaf.id) as Prio3SumVec;
    const forged = await sharesOf(forger, measurements[0]!);
    await expect(prepareBoth(vdaf, verifyKey, forged.leader, forged.helper)).rejects.toMatchObject({
      code: 'vdaf_prep_error',
    });
    expect(() => flp.encode(measurements[0]!.map(() => 2 ** task.vdaf.bits))).toThrow();
  });

  it('rejects a vector of the wrong length as an invalid message', async () => {
    const { verifyKey } = pair;
    const longer = new (sumVecFor(task).constructor as typeof Prio3SumVec)({
      shares: 2,
      ...task.vdaf,
      length: task.vdaf.length + 3,
    });
    const wrong = await sharesOf(longer, [...measurements[0]!, 0, 0, 0]);
    await expect(
      prepareBoth(pair.vdaf, verifyKey, wrong.leader, wrong.helper),
    ).rejects.toMatchObject({
      code: 'invalid_message',
    });
  });
});
