/**
 * The helper's retention (issue 19; docs/privacy.md, docs/operations.md §7). Once a bucket is
 * collected the helper refuses every report in it for good (`batch_collected`: the bucket's row
 * and its collected flag are kept), so the per-report rows that refused replays before —
 * `reports_seen` (report ids), `member_epochs` (one report per member and epoch) — and the
 * outcome rows protect nothing more; they are deleted `keepSeconds` after the report's time, and
 * then the aggregation jobs left without reports (with their stored answers: a retry of such a
 * job is answered afresh, every report `batch_collected`). Kept: per-bucket sums and flags, the
 * aggregate-share answers, the HPKE keys. Idempotent and crash-safe (`runRetentionSteps`).
 */
import type { Db } from '../../shared-db/db.ts';
import {
  RETENTION_BATCH_ROWS,
  runRetentionSteps,
  startRetentionTimer,
  type RetentionRun,
} from '../db/retention-batches.ts';
import {
  deleteCollectedMemberEpochs,
  deleteCollectedOutcomes,
  deleteEmptyJobs,
  HELPER_RETENTION_LOCK,
} from './retention-store.ts';

/** One day after the report's time (its bucket collected) by default. */
export const DEFAULT_HELPER_RETENTION_KEEP_SECONDS = 86_400;
export interface HelperRetentionOptions {
  readonly db: Db;
  readonly taskId: Uint8Array;
  readonly timePrecisionSeconds: number;
  readonly keepSeconds: number;
  /** Seconds since the Unix epoch (injected). */
  readonly now: () => number;
  readonly batchRows?: number;
}

export function helperRetentionPass(options: HelperRetentionOptions): Promise<RetentionRun> {
  const { db, taskId, timePrecisionSeconds } = options;
  const before = options.now() - options.keepSeconds;
  return runRetentionSteps(
    db,
    HELPER_RETENTION_LOCK,
    options.batchRows ?? RETENTION_BATCH_ROWS,
    [
      (tx, limit) => deleteCollectedOutcomes(tx, taskId, timePrecisionSeconds, before, limit),
      (tx, limit) => deleteCollectedMemberEpochs(tx, taskId, timePrecisionSeconds, before, limit),
      (tx, limit) => deleteEmptyJobs(tx, taskId, limit),
    ],
    ['report_aggregations', 'reports_seen', 'member_epochs', 'aggregation_jobs'],
  );
}

/** The helper process's retention: a pass at start and every hour (`stop()` before closing the db). */
export function startHelperRetention(
  options: HelperRetentionOptions,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  return startRetentionTimer(() => helperRetentionPass(options), 3_600_000, log);
}
