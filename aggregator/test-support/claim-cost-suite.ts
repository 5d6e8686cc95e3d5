/**
 * What a leader's claim costs does not grow with the reports it holds: run against PGlite
 * (leader-claim.test.ts) and PostgreSQL (leader-claim.postgres.test.ts). The claim's own
 * transaction is read back through `pg_stat_xact_user_tables` (the rows this transaction fetched
 * from each table, counted by the server, not timed), with many reports already taken by a job.
 * Before leader migration 0007 each claim anti-joined every report of the task against
 * `report_aggregations` — on PGlite, whose tables are never analysed, as a nested loop (quadratic
 * in the reports held; ≈ 0.1–0.25 s per claim at 800 reports in `npm run bench:dap`).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../shared-db/db.ts';
import { leaderSchema } from '../leader/db/schema.ts';
import { sqlAggregationStore } from '../leader/db/sql-aggregation-store.ts';
import { sqlReportStore } from '../leader/db/sql-report-store.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';
import { countingRowReads } from './row-reads.ts';

const DAY = 86_400;
const HELD = 2_000;
const JOB = 5;
const vdaf = sumVecFor(testTask([1, 2]));
const taskId = new Uint8Array(randomBytes(32));

export function claimCostSuite(driver: string, fresh: () => FreshDb): void {
  const dbs: Db[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.close()));
  });

  describe(`the leader's claim on ${driver}`, () => {
    it(`reads the job's reports, not the ${HELD} reports earlier jobs took`, async () => {
      const db = await fresh()(leaderSchema);
      dbs.push(db);
      const reports = sqlReportStore(db, taskId, DAY);
      const put = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const reportId = new Uint8Array(randomBytes(16));
          await reports.put({ reportId, time: DAY + i, bytes: new Uint8Array(randomBytes(64)) });
        }
      };
      const { db: counted, reads } = countingRowReads(db, ['reports', 'report_aggregations']);
      const store = sqlAggregationStore(counted, vdaf, taskId, DAY);
      const claim = (maxReports: number) =>
        store.claim({
          now: 2 * DAY,
          leaseSeconds: 600,
          maxReports,
          expiredBefore: 0,
          newJobId: () => new Uint8Array(randomBytes(16)),
        });

      await put(HELD);
      expect((await claim(HELD))?.reports).toHaveLength(HELD);
      await put(JOB);
      const job = await claim(JOB);

      expect(job?.reports).toHaveLength(JOB);
      // The claim's statements (drops, the take, the outcome rows) each touch the job's rows.
      expect(reads.get('reports')).toBeLessThanOrEqual(10 * JOB);
      expect(reads.get('report_aggregations') ?? 0).toBeLessThanOrEqual(10 * JOB);
    });
  });
}
