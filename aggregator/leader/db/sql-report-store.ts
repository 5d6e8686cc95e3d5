/**
 * The leader's report store on its own database (PGlite or PostgreSQL). A report is stored as the
 * client's `Report` bytes: the leader's input share stays sealed at rest (see
 * docs/private-aggregation.md, "Leader storage"). The primary key (task, report id) decides a race
 * between two uploads of one id: the loser compares bytes — the same report is a retry, other
 * bytes are a conflict. Under member signatures the report row and its (member, epoch) row are
 * written in one transaction; the primary key of `member_reports` refuses a member's second report
 * for an epoch, and the report row goes with it.
 *
 * A report whose time-precision bucket a collection already froze (`batch_aggregations.collected`)
 * is not stored (`batchCollected`): its batch was released without it, so it could never be
 * aggregated, and the upload route refuses it at once. The check is part of the insert itself (one
 * statement per upload, not a lookup and then an insert). A report already stored under its id is
 * answered as before (`same` or `conflict`), so the retry of an accepted upload still gets its
 * answer. A freeze committing while the insert runs may still let a report in: the claim then
 * records it `failed` (`batch_collected`) without aggregating it — that drop is the guarantee,
 * this check gives the client its answer.
 */
import { Buffer } from 'node:buffer';
import type { Db, Queryable } from '../../../shared-db/db.ts';
import type { PutOutcome, LeaderReportStore, StoredReport } from '../report-store.ts';

/** Thrown inside the upload transaction to undo the report row: the member's epoch is taken. */
class MemberEpochTaken extends Error {}

export function sqlReportStore(
  db: Db,
  taskId: Uint8Array,
  timePrecisionSeconds: number,
): LeaderReportStore {
  async function putReport(q: Queryable, report: StoredReport): Promise<PutOutcome> {
    const bucket = report.time - (report.time % timePrecisionSeconds);
    const inserted = await q.query(
      `INSERT INTO reports (task_id, report_id, time, report)
       SELECT $1::bytea, $2::bytea, $3::bigint, $4::bytea
       WHERE NOT EXISTS (SELECT 1 FROM batch_aggregations b
                         WHERE b.task_id = $1 AND b.batch_start = $5 AND b.collected)
       ON CONFLICT (task_id, report_id) DO NOTHING`,
      [taskId, report.reportId, report.time, report.bytes, bucket],
    );
    if (inserted.rowCount === 1) return 'stored';
    // Not inserted: the id is taken (a retry, or other bytes), or else the bucket is collected.
    const { rows } = await q.query<{ report: Uint8Array }>(
      'SELECT report FROM reports WHERE task_id = $1 AND report_id = $2',
      [taskId, report.reportId],
    );
    const existing = rows[0]?.report;
    if (existing === undefined) return 'batchCollected';
    return Buffer.from(existing).equals(report.bytes) ? 'same' : 'conflict';
  }

  return {
    async put(report, member) {
      if (member === undefined) return putReport(db, report);
      try {
        return await db.transaction(async (tx) => {
          const outcome = await putReport(tx, report);
          if (outcome !== 'stored') return outcome;
          const first = await tx.query(
            `INSERT INTO member_reports (task_id, member, epoch, report_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (task_id, member, epoch) DO NOTHING`,
            [taskId, member.member, member.epoch, report.reportId],
          );
          if (first.rowCount !== 1) throw new MemberEpochTaken();
          return outcome;
        });
      } catch (error) {
        if (error instanceof MemberEpochTaken) return 'memberEpochTaken';
        throw error;
      }
    },
    async list() {
      const { rows } = await db.query<{ report_id: Uint8Array; time: number; report: Uint8Array }>(
        'SELECT report_id, time, report FROM reports WHERE task_id = $1 ORDER BY time, report_id',
        [taskId],
      );
      return rows.map((row) => ({
        reportId: new Uint8Array(row.report_id),
        time: row.time,
        bytes: new Uint8Array(row.report),
      }));
    },
  };
}
