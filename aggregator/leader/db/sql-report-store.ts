/**
 * The leader's report store on its own database (PGlite or PostgreSQL). A report is stored as the
 * client's `Report` bytes: the leader's input share stays sealed at rest (see
 * docs/private-aggregation.md, "Leader storage"). The primary key (task, report id) decides a race
 * between two uploads of one id: the loser compares bytes — the same report is a retry, other
 * bytes are a conflict. Under member signatures the report row and its (member, epoch) row are
 * written in one transaction; the primary key of `member_reports` refuses a member's second report
 * for an epoch, and the report row goes with it.
 */
import { Buffer } from 'node:buffer';
import type { Db, Queryable } from '../../../shared-db/db.ts';
import type { PutOutcome, LeaderReportStore, StoredReport } from '../report-store.ts';

/** Thrown inside the upload transaction to undo the report row: the member's epoch is taken. */
class MemberEpochTaken extends Error {}

export function sqlReportStore(db: Db, taskId: Uint8Array): LeaderReportStore {
  async function putReport(q: Queryable, report: StoredReport): Promise<PutOutcome> {
    const inserted = await q.query(
      `INSERT INTO reports (task_id, report_id, time, report) VALUES ($1, $2, $3, $4)
       ON CONFLICT (task_id, report_id) DO NOTHING`,
      [taskId, report.reportId, report.time, report.bytes],
    );
    if (inserted.rowCount === 1) return 'stored';
    const { rows } = await q.query<{ report: Uint8Array }>(
      'SELECT report FROM reports WHERE task_id = $1 AND report_id = $2',
      [taskId, report.reportId],
    );
    const existing = rows[0]?.report;
    return existing !== undefined && Buffer.from(existing).equals(report.bytes)
      ? 'same'
      : 'conflict';
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
