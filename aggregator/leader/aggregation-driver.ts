/**
 * The leader's aggregation-job driver: claims work from its database (`db/sql-aggregation-store.ts`),
 * runs the pure steps of `aggregation-job.ts` around one `PUT /tasks/{task}/aggregation_jobs/{job}`
 * to the helper (with `DAP-Auth-Token`), and commits every report's outcome together with the
 * batch sums in one transaction. A driver killed at any point leaves its job `in_progress`; once
 * its lease has passed, a driver sends the same request again (the helper answers a retried job
 * with the same bytes) and applies it — a job is applied once, and a report is in one job only.
 * A job the helper refuses for good, or one claimed more than `maxAttempts` times, is abandoned:
 * its reports are `failed` and counted nowhere. Reports past the task's expiry age are dropped
 * before any job takes them. Clock and fetch are injected; `run-leader.ts` runs it in a loop.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { Db } from '../../shared-db/db.ts';
import { aggregationJobInitReqCodec, aggregationJobRespCodec } from '../dap/aggregation.ts';
import { decode, encode } from '../dap/codec.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { MEDIA_TYPES, reportCodec } from '../dap/upload.ts';
import { finishAggregationJob, startAggregationJob, type LeaderTask } from './aggregation-job.ts';
import {
  sqlAggregationStore,
  type ClaimedJob,
  type ReportResult,
} from './db/sql-aggregation-store.ts';

export interface AggregationDriverOptions {
  readonly db: Db;
  readonly task: LeaderTask;
  readonly timePrecisionSeconds: number;
  readonly helper: { readonly url: string; readonly token: string };
  readonly fetch: typeof fetch;
  /** Seconds since the Unix epoch. */
  readonly now: () => number;
  readonly maxReportsPerJob: number;
  /** How long a claimed job is this driver's before another may retry it. */
  readonly leaseSeconds: number;
  /** A job claimed more often than this is abandoned (default `DEFAULT_MAX_ATTEMPTS`). */
  readonly maxAttempts?: number;
  /** Reports older than this at claim time are dropped (`report_dropped`); unset: none are. */
  readonly reportExpiryAgeSeconds?: number;
  /** Runs between the helper's answer and the commit (tests throw here to stand for a crash). */
  readonly beforeCommit?: (jobId: Uint8Array) => Promise<void>;
}

export interface JobRun {
  readonly jobId: string;
  readonly finished: number;
  readonly failed: number;
  /** `false`: another driver had already applied this job; nothing was added twice. */
  readonly applied: boolean;
  /** Set when the job was given up: why. Its reports are `failed` and counted nowhere. */
  readonly abandoned?: string;
}

/** Attempts before a job is abandoned: a helper down for this many leases loses the job's reports. */
export const DEFAULT_MAX_ATTEMPTS = 10;

/** The helper did not answer the job with an `AggregationJobResp`; the job stays to be retried. */
export class HelperJobFailed extends Error {
  override readonly name = 'HelperJobFailed';
  readonly code = 'helperJobFailed';
}

/**
 * The helper refused the job for good (a 4xx problem other than an authorization or rate-limit
 * one: an unknown task, a malformed or conflicting job): a retry would get the same answer, so the
 * job is abandoned at once.
 */
export class HelperJobRefused extends Error {
  override readonly name = 'HelperJobRefused';
  readonly code = 'helperJobRefused';
}

/** 403 (a wrong token), 408 and 429 can change without the job changing: retried, bounded. */
const isFinalRefusal = (status: number) =>
  status >= 400 && status < 500 && ![403, 408, 429].includes(status);

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export function aggregationDriver(options: AggregationDriverOptions) {
  const { task, helper } = options;
  const store = sqlAggregationStore(
    options.db,
    task.vdaf,
    task.taskId,
    options.timePrecisionSeconds,
  );

  async function askHelper(jobId: string, body: Uint8Array): Promise<Uint8Array> {
    const response = await options.fetch(
      `${helper.url}/tasks/${taskIdToString(task.taskId)}/aggregation_jobs/${jobId}`,
      {
        method: 'PUT',
        headers: {
          'content-type': MEDIA_TYPES.aggregationJobInitReq,
          'dap-auth-token': helper.token,
        },
        body: Buffer.from(body),
      },
    );
    if (response.status !== 200) {
      const message = `The helper answered aggregation job ${jobId} with HTTP ${response.status}: ${await response.text()}`;
      throw isFinalRefusal(response.status)
        ? new HelperJobRefused(message)
        : new HelperJobFailed(message);
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  async function abandon(claimed: ClaimedJob, reason: string): Promise<JobRun> {
    const applied = await store.abandon(claimed.jobId, reason);
    const jobId = Buffer.from(claimed.jobId).toString('base64url');
    return { jobId, finished: 0, failed: claimed.reports.length, applied, abandoned: reason };
  }

  /** Asks the helper; a final refusal abandons the job, any other failure is noted and rethrown. */
  async function prepare(claimed: ClaimedJob, jobId: string) {
    const reports = claimed.reports.map((r) => decode(reportCodec, r.bytes, 'stored report'));
    const started = await startAggregationJob(task, reports);
    try {
      const answer = await askHelper(jobId, encode(aggregationJobInitReqCodec, started.request));
      const prepareResps = decode(aggregationJobRespCodec, answer, 'aggregation job response');
      return await finishAggregationJob(task, started, prepareResps);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof HelperJobRefused) return { refused: message };
      await store.recordFailure(claimed.jobId, message);
      throw error;
    }
  }

  async function run(claimed: ClaimedJob): Promise<JobRun> {
    const jobId = Buffer.from(claimed.jobId).toString('base64url');
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (claimed.attempts > maxAttempts) {
      const last = claimed.lastError ?? 'none recorded';
      return abandon(claimed, `failed ${maxAttempts} attempts; the last: ${last}`);
    }
    const finished = await prepare(claimed, jobId);
    if ('refused' in finished)
      return abandon(claimed, `refused by the helper: ${finished.refused}`);
    const errors = new Map(finished.failed.map((f) => [f.reportId, f.error]));
    const results: ReportResult[] = claimed.reports.map((report) => {
      const id = hex(report.reportId);
      const outputShare = finished.outputShares.get(id);
      if (outputShare !== undefined) return { report, outcome: { outputShare } };
      return { report, outcome: { error: errors.get(id) ?? 'invalid_message' } };
    });
    await options.beforeCommit?.(claimed.jobId);
    const applied = await store.complete(claimed.jobId, results);
    return { jobId, finished: finished.outputShares.size, failed: errors.size, applied };
  }

  /** Claims and runs one job; `null` when there is nothing to do. */
  async function runOne(): Promise<JobRun | null> {
    const now = options.now();
    const claimed = await store.claim({
      now,
      ...(options.reportExpiryAgeSeconds === undefined
        ? {}
        : { expiredBefore: now - options.reportExpiryAgeSeconds }),
      leaseSeconds: options.leaseSeconds,
      maxReports: options.maxReportsPerJob,
      newJobId: () => new Uint8Array(randomBytes(16)),
    });
    return claimed === null ? null : run(claimed);
  }

  return {
    runOne,
    /** Runs jobs until none is left to claim. */
    async runUntilIdle(): Promise<JobRun[]> {
      const runs: JobRun[] = [];
      for (let job = await runOne(); job !== null; job = await runOne()) runs.push(job);
      return runs;
    },
    /** The leader's aggregation over the buckets starting in [start, end). */
    batch: (start: number, end: number) => store.batch(start, end),
  };
}
