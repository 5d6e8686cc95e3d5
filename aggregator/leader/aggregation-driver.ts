/**
 * The leader's aggregation-job driver: claims work from its database (`db/sql-aggregation-store.ts`),
 * runs the pure steps of `aggregation-job.ts` around one `PUT /tasks/{task}/aggregation_jobs/{job}`
 * to the helper (with `DAP-Auth-Token`), and commits every report's outcome together with the
 * batch sums in one transaction. A driver killed at any point leaves its job `in_progress`; once
 * its lease has passed, a driver sends the same request again (the helper answers a retried job
 * with the same bytes) and applies it — a job is applied once, and a report is in one job only.
 *
 * Nothing is lost to a helper outage: a transient failure (unreachable, a timeout, a 5xx, a 403,
 * 408 or 429, an answer that does not decode) never gives a job up; its lease is released, and
 * until an attempt succeeds again this driver takes no new reports — it retries the job in
 * progress whose lease ran out first (the loop backs off between passes, `aggregation-loop.ts`).
 * Only a final refusal (any other 4xx) abandons a job at once, its reports `failed` and counted
 * nowhere. Reports past the task's expiry age are dropped before any job takes them, and a job
 * whose reports reach that age before the helper answers it is given up: those reports
 * `report_dropped`, the others released to a new job. Clock and fetch are injected;
 * `run-leader.ts` runs it in a loop.
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

/** 403 (a wrong token), 408 and 429 can change without the job changing: retried like a 5xx. */
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

  /** Set by a failed attempt, cleared by an answered one: while set, no new reports are taken. */
  let failing = false;

  /**
   * Asks the helper; a final refusal abandons the job, any other failure is noted (the job's lease
   * released) and rethrown.
   */
  async function prepare(claimed: ClaimedJob, jobId: string, now: number) {
    try {
      // Inside: the leader's own checks may fail transiently too (the membership log unreadable).
      const reports = claimed.reports.map((r) => decode(reportCodec, r.bytes, 'stored report'));
      const started = await startAggregationJob(task, reports);
      const answer = await askHelper(jobId, encode(aggregationJobInitReqCodec, started.request));
      const prepareResps = decode(aggregationJobRespCodec, answer, 'aggregation job response');
      const finished = await finishAggregationJob(task, started, prepareResps);
      failing = false;
      return finished;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof HelperJobRefused) return { refused: message };
      failing = true;
      await store.recordFailure(claimed.jobId, claimed.attempts, message, now);
      throw error;
    }
  }

  /** Gives up a job whose reports began to expire: those dropped, the others released. */
  async function dropExpired(claimed: ClaimedJob, expiredBefore: number): Promise<JobRun> {
    const jobId = Buffer.from(claimed.jobId).toString('base64url');
    const reason = `its reports reached the expiry age before the helper answered; the last error: ${claimed.lastError ?? 'none recorded'}`;
    const dropped = await store.dropExpiredJob(claimed.jobId, expiredBefore, reason);
    const failed = dropped ?? claimed.reports.filter((r) => r.time < expiredBefore).length;
    return { jobId, finished: 0, failed, applied: dropped !== null, abandoned: reason };
  }

  async function run(claimed: ClaimedJob, now: number): Promise<JobRun> {
    const jobId = Buffer.from(claimed.jobId).toString('base64url');
    const expiredBefore = expiryLimit(now);
    if (expiredBefore !== undefined && claimed.reports.some((r) => r.time < expiredBefore)) {
      return dropExpired(claimed, expiredBefore);
    }
    const finished = await prepare(claimed, jobId, now);
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
    const recorded = await store.complete(claimed.jobId, results);
    if (recorded === null) {
      return { jobId, finished: finished.outputShares.size, failed: errors.size, applied: false };
    }
    const done = recorded.filter((r) => 'outputShare' in r.outcome).length;
    return { jobId, finished: done, failed: recorded.length - done, applied: true };
  }

  const expiryLimit = (now: number) =>
    options.reportExpiryAgeSeconds === undefined ? undefined : now - options.reportExpiryAgeSeconds;

  /** Claims and runs one job; `null` when there is nothing to do. */
  async function runOne(): Promise<JobRun | null> {
    const now = options.now();
    const expiredBefore = expiryLimit(now);
    const claimed = await store.claim({
      now,
      ...(expiredBefore === undefined ? {} : { expiredBefore }),
      leaseSeconds: options.leaseSeconds,
      maxReports: options.maxReportsPerJob,
      newJobId: () => new Uint8Array(randomBytes(16)),
      newJobs: !failing,
    });
    if (claimed === null) {
      // Nothing left to retry (another instance finished it): probe with new work next time.
      failing = false;
      return null;
    }
    return run(claimed, now);
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
