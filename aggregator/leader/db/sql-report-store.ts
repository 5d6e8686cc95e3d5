/**
 * The leader's report store on its own database (PGlite or PostgreSQL). A report is stored as the
 * client's `Report` bytes: the leader's input share stays sealed at rest (see
 * docs/private-aggregation.md, "Leader storage"). The primary key (task, report id) decides a race
 * between two uploads of one id: the loser compares bytes — the same report is a retry, other
 * bytes are a conflict.
 */
import { Buffer } from 'node:buffer';
import type { Db } from '../../../shared-db/db.ts';
import type { LeaderReportStore } from '../report-store.ts';

export function sqlReportStore(db: Db, taskId: Uint8Array): LeaderReportStore {
  return {
    async put(report) {
      const inserted = await db.query(
        `INSERT INTO reports (task_id, report_id, time, report) VALUES ($1, $2, $3, $4)
         ON CONFLICT (task_id, report_id) DO NOTHING`,
        [taskId, report.reportId, report.time, report.bytes],
      );
      if (inserted.rowCount === 1) return 'stored';
      const { rows } = await db.query<{ report: Uint8Array }>(
        'SELECT report FROM reports WHERE task_id = $1 AND report_id = $2',
        [taskId, report.reportId],
      );
      const existing = rows[0]?.report;
      return existing !== undefined && Buffer.from(existing).equals(report.bytes)
        ? 'same'
        : 'conflict';
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
