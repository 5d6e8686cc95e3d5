/**
 * The leader's retention (issue 19; docs/privacy.md, docs/operations.md §7): deletes the uploads
 * (each ≈ 10 KB, the leader's sealed share among them), their aggregation outcomes and member rows
 * once a collection froze their batch, their time is `keepSeconds` past the report expiry age —
 * so the upload route refuses a replay of the id, and a member's second report for the epoch, by
 * time alone — and the union has read the epoch's contributions; then aggregation jobs left
 * without reports. Kept: the per-bucket sums and collected flags, the collection jobs (the
 * Collection the collector may still fetch) and the HPKE keys — nothing per report or member.
 * Idempotent and crash-safe: each batch is one transaction (`runRetentionSteps`).
 */
import type { Db } from '../../shared-db/db.ts';
import {
  RETENTION_BATCH_ROWS,
  runRetentionSteps,
  startRetentionTimer,
  type RetentionRun,
} from '../db/retention-batches.ts';
import {
  deleteCollectedReports,
  deleteEmptyJobs,
  LEADER_RETENTION_LOCK,
} from './retention-store.ts';

/** One day: a report past the expiry age is kept one more day before it may go. */
export const DEFAULT_RETENTION_KEEP_SECONDS = 86_400;
export interface LeaderRetentionOptions {
  readonly db: Db;
  readonly taskId: Uint8Array;
  readonly timePrecisionSeconds: number;
  readonly reportExpiryAgeSeconds: number;
  readonly keepSeconds: number;
  /** Seconds since the Unix epoch (injected). */
  readonly now: () => number;
  readonly batchRows?: number;
}

/** One pass: reports (with outcomes and member rows), then empty jobs. */
export function leaderRetentionPass(options: LeaderRetentionOptions): Promise<RetentionRun> {
  const { db, taskId, timePrecisionSeconds } = options;
  const expiredBefore = options.now() - options.reportExpiryAgeSeconds - options.keepSeconds;
  return runRetentionSteps(
    db,
    LEADER_RETENTION_LOCK,
    options.batchRows ?? RETENTION_BATCH_ROWS,
    [
      (tx, limit) => deleteCollectedReports(tx, taskId, timePrecisionSeconds, expiredBefore, limit),
      (tx, limit) => deleteEmptyJobs(tx, taskId, limit),
    ],
    ['reports', 'report_aggregations', 'member_reports', 'aggregation_jobs'],
  );
}

/** How often the leader process runs a retention pass. */
export const RETENTION_INTERVAL_MS = 3_600_000;

/** The leader process's retention: a pass at start and every hour (`stop()` before closing the db). */
export function startLeaderRetention(
  options: LeaderRetentionOptions,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  return startRetentionTimer(() => leaderRetentionPass(options), RETENTION_INTERVAL_MS, log);
}
