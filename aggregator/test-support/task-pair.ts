/**
 * The leader's and the helper's task for in-process jobs (a random task id and verify key, HPKE
 * config ids 1 and 2) and the real client's reports for them, uploaded at `at` in day batches.
 */
import { randomBytes } from 'node:crypto';
import { decode } from '../dap/codec.ts';
import { generateHpkeKeypair } from '../dap/hpke.ts';
import { reportCodec, type Report } from '../dap/upload.ts';
import type { HelperTask } from '../helper/aggregation-job.ts';
import type { LeaderTask } from '../leader/aggregation-job.ts';
import { sumVecFor, type CategoryTask } from '../vdaf/task.ts';
import { uploadWithRealClient } from './real-client.ts';

export async function taskPairWithReports(
  categories: CategoryTask,
  measurements: readonly number[][],
  at: Date,
): Promise<{ leader: LeaderTask; helper: HelperTask; reports: Report[] }> {
  const vdaf = sumVecFor(categories);
  const taskId = new Uint8Array(randomBytes(32));
  const verifyKey = new Uint8Array(randomBytes(16));
  const leader = { vdaf, taskId, verifyKey, keypairs: [await generateHpkeKeypair(1)] };
  const helper = { vdaf, taskId, verifyKey, keypairs: [await generateHpkeKeypair(2)] };
  const uploads = await uploadWithRealClient({
    taskId,
    leaderKeys: leader.keypairs,
    helperKeys: helper.keypairs,
    vdaf: { type: 'sumVec', ...categories.vdaf },
    timePrecisionSeconds: 86_400,
    measurements,
    at,
  });
  return { leader, helper, reports: uploads.map((u) => decode(reportCodec, u.body, 'report')) };
}
