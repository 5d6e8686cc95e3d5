/**
 * The union's side of DAP (migration 0008): its collection jobs at the leader, one per epoch, and
 * the contributions it has recorded for payouts, one per (member, epoch). Each write is a single
 * statement or runs in the caller's transaction, so a crash leaves either all of it or none.
 */
import type { Queryable } from '../db/db.ts';

export type CollectionState = 'polling' | 'published' | 'refused';

export interface CollectionRow {
  readonly epochStart: number;
  readonly epochSeconds: number;
  readonly taskId: string;
  readonly jobId: string;
  readonly state: CollectionState;
  readonly problem: string | null;
  readonly attempts: number;
}

interface RawCollection {
  epoch_start: number | string;
  epoch_seconds: number;
  task_id: string;
  job_id: string;
  state: CollectionState;
  problem: string | null;
  attempts: number;
}

const COLLECTION_COLUMNS = 'epoch_start, epoch_seconds, task_id, job_id, state, problem, attempts';

const collectionRow = (r: RawCollection): CollectionRow => ({
  epochStart: Number(r.epoch_start),
  epochSeconds: r.epoch_seconds,
  taskId: r.task_id,
  jobId: r.job_id,
  state: r.state,
  problem: r.problem,
  attempts: r.attempts,
});

export interface ContributionKey {
  readonly member: string;
  readonly epoch: number;
}

export const dapRepo = {
  /** Records the epoch's job before the leader is asked; the stored row if one exists already. */
  async createCollection(
    q: Queryable,
    row: { epochStart: number; epochSeconds: number; taskId: string; jobId: string },
    at: Date,
  ): Promise<CollectionRow> {
    await q.query(
      `INSERT INTO dap_collections (epoch_start, epoch_seconds, task_id, job_id, state, next_poll_at, created_at)
       VALUES ($1, $2, $3, $4, 'polling', $5, $5) ON CONFLICT (epoch_start) DO NOTHING`,
      [row.epochStart, row.epochSeconds, row.taskId, row.jobId, at],
    );
    const { rows } = await q.query<RawCollection>(
      `SELECT ${COLLECTION_COLUMNS} FROM dap_collections WHERE epoch_start = $1`,
      [row.epochStart],
    );
    return collectionRow(rows[0]!);
  },

  /** Jobs still polling whose next poll is due, oldest epoch first. */
  async dueCollections(q: Queryable, at: Date, limit: number): Promise<CollectionRow[]> {
    const { rows } = await q.query<RawCollection>(
      `SELECT ${COLLECTION_COLUMNS} FROM dap_collections
       WHERE state = 'polling' AND next_poll_at <= $1 ORDER BY epoch_start LIMIT $2`,
      [at, limit],
    );
    return rows.map(collectionRow);
  },

  /** The newest epoch with a collection job (any state), or null. */
  async latestCollection(
    q: Queryable,
  ): Promise<{ epochStart: number; epochSeconds: number } | null> {
    const { rows } = await q.query<{ epoch_start: number | string; epoch_seconds: number }>(
      'SELECT epoch_start, epoch_seconds FROM dap_collections ORDER BY epoch_start DESC LIMIT 1',
    );
    const r = rows[0];
    return r ? { epochStart: Number(r.epoch_start), epochSeconds: r.epoch_seconds } : null;
  },

  /**
   * Where `taskId`'s collected epochs end: every epoch starting before the returned instant has
   * a collection that ended (so its batch takes no more reports). The start of the oldest epoch
   * still polling, else the end of the newest ended one; null when the task has no job yet.
   */
  async collectedBefore(q: Queryable, taskId: string): Promise<number | null> {
    const { rows } = await q.query<{
      polling: number | string | null;
      ended: number | string | null;
    }>(
      `SELECT min(epoch_start) FILTER (WHERE state = 'polling') AS polling,
              max(epoch_start + epoch_seconds) FILTER (WHERE state <> 'polling') AS ended
       FROM dap_collections WHERE task_id = $1`,
      [taskId],
    );
    const { polling, ended } = rows[0]!;
    if (polling !== null) return Number(polling);
    return ended === null ? null : Number(ended);
  },

  /** The leader has not answered for good: poll again at `next`. */
  async postpone(q: Queryable, epochStart: number, next: Date): Promise<void> {
    await q.query(
      `UPDATE dap_collections SET attempts = attempts + 1, next_poll_at = $2
       WHERE epoch_start = $1 AND state = 'polling'`,
      [epochStart, next],
    );
  },

  /** Ends the job (in the publishing transaction); false when it had already ended. */
  async finish(
    q: Queryable,
    epochStart: number,
    state: Exclude<CollectionState, 'polling'>,
    problem: string | null,
  ): Promise<boolean> {
    const { rows } = await q.query(
      `UPDATE dap_collections SET state = $2, problem = $3
       WHERE epoch_start = $1 AND state = 'polling' RETURNING epoch_start`,
      [epochStart, state, problem],
    );
    return rows.length === 1;
  },

  async collections(q: Queryable): Promise<CollectionRow[]> {
    const { rows } = await q.query<RawCollection>(
      `SELECT ${COLLECTION_COLUMNS} FROM dap_collections ORDER BY epoch_start`,
    );
    return rows.map(collectionRow);
  },

  async contributionCursor(q: Queryable, taskId: string): Promise<number> {
    const { rows } = await q.query<{ done_before: number | string }>(
      'SELECT done_before FROM dap_contribution_cursors WHERE task_id = $1',
      [taskId],
    );
    return rows[0] ? Number(rows[0].done_before) : 0;
  },

  async setContributionCursor(q: Queryable, taskId: string, doneBefore: number): Promise<void> {
    await q.query(
      `INSERT INTO dap_contribution_cursors (task_id, done_before) VALUES ($1, $2)
       ON CONFLICT (task_id) DO UPDATE SET done_before = GREATEST(dap_contribution_cursors.done_before, excluded.done_before)`,
      [taskId, doneBefore],
    );
  },

  /**
   * Records contributions not recorded yet and makes their members active from `activeFrom`
   * (the end of the current activity batch, as a stored plain report does); returns how many
   * were new. One statement: the rows and the activity change together or not at all.
   */
  async recordContributions(
    q: Queryable,
    taskId: string,
    contributions: readonly ContributionKey[],
    at: Date,
    activeFrom: Date,
  ): Promise<number> {
    if (contributions.length === 0) return 0;
    const { rows } = await q.query<{ member: string }>(
      `WITH inserted AS (
         INSERT INTO dap_contributions (member, epoch_start, task_id, recorded_at)
         SELECT lower(u.member), u.epoch_start, $3, $4
         FROM unnest($1::text[], $2::bigint[]) AS u(member, epoch_start)
         ON CONFLICT (member, epoch_start) DO NOTHING
         RETURNING member
       ), touched AS (
         UPDATE members m SET last_report_at = $4,
           active_from = GREATEST(m.active_from, $5::timestamptz)
         FROM (SELECT DISTINCT member FROM inserted) x
         WHERE m.address = x.member AND m.status = 'active'
       )
       SELECT member FROM inserted`,
      [
        contributions.map((c) => c.member),
        contributions.map((c) => c.epoch),
        taskId,
        at,
        activeFrom,
      ],
    );
    return rows.length;
  },

  async contributions(q: Queryable): Promise<ContributionKey[]> {
    const { rows } = await q.query<{ member: string; epoch_start: number | string }>(
      'SELECT member, epoch_start FROM dap_contributions ORDER BY epoch_start, member',
    );
    return rows.map((r) => ({ member: r.member, epoch: Number(r.epoch_start) }));
  },
};
