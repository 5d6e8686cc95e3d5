/**
 * The helper's store on its own database (PGlite or PostgreSQL), for one task. Races between two
 * deliveries of one job, or two jobs naming one report, are decided by primary keys inside one
 * transaction: the job row is inserted first (a concurrent duplicate waits, then finds it), a
 * report id is aggregated only by the transaction whose `reports_seen` insert succeeds, and a
 * batch row is created empty and then locked before its sum is updated.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import type { Db, Queryable } from '../../../shared-db/db.ts';
import {
  addToBatch,
  emptyBatch,
  mergeBatches,
  type BatchAggregation,
} from '../../vdaf/batch-aggregation.ts';
import { decodeAggregateShare } from '../../vdaf/prio3-shares.ts';
import type { HelperStore, JobOutcome, PreparedReport } from '../store.ts';

interface JobRow {
  request_hash: Uint8Array;
  response: Uint8Array | null;
}

interface BatchRow {
  aggregate_share: Uint8Array;
  report_count: number;
  checksum: Uint8Array;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function outcomeOf(row: JobRow | undefined, requestHash: Uint8Array): JobOutcome | null {
  if (row === undefined || row.response === null) return null;
  return Buffer.from(row.request_hash).equals(requestHash)
    ? { kind: 'answered', response: new Uint8Array(row.response) }
    : { kind: 'conflict' };
}

export function sqlHelperStore(db: Db, vdaf: Prio3SumVec, taskId: Uint8Array): HelperStore {
  const fromRow = (row: BatchRow): BatchAggregation => ({
    aggregateShare: decodeAggregateShare(vdaf, new Uint8Array(row.aggregate_share)),
    reportCount: row.report_count,
    checksum: new Uint8Array(row.checksum),
  });

  async function readJob(q: Queryable, jobId: Uint8Array): Promise<JobRow | undefined> {
    const { rows } = await q.query<JobRow>(
      'SELECT request_hash, response FROM aggregation_jobs WHERE task_id = $1 AND job_id = $2',
      [taskId, jobId],
    );
    return rows[0];
  }

  async function addToBatches(q: Queryable, finished: readonly PreparedReport[]): Promise<void> {
    const starts = [...new Set(finished.map((r) => r.batchStart))].sort((a, b) => a - b);
    for (const batchStart of starts) {
      const empty = emptyBatch(vdaf);
      await q.query(
        `INSERT INTO batch_aggregations (task_id, batch_start, aggregate_share, report_count, checksum)
         VALUES ($1, $2, $3, 0, $4) ON CONFLICT (task_id, batch_start) DO NOTHING`,
        [taskId, batchStart, vdaf.encodeAggregatorShare([...empty.aggregateShare]), empty.checksum],
      );
      const { rows } = await q.query<BatchRow>(
        `SELECT aggregate_share, report_count, checksum FROM batch_aggregations
         WHERE task_id = $1 AND batch_start = $2 FOR UPDATE`,
        [taskId, batchStart],
      );
      let batch = fromRow(rows[0]!);
      for (const report of finished) {
        if (report.batchStart === batchStart && report.state === 'finished') {
          batch = addToBatch(vdaf, batch, report.reportId, report.outputShare);
        }
      }
      await q.query(
        `UPDATE batch_aggregations SET aggregate_share = $3, report_count = $4, checksum = $5
         WHERE task_id = $1 AND batch_start = $2`,
        [
          taskId,
          batchStart,
          vdaf.encodeAggregatorShare([...batch.aggregateShare]),
          batch.reportCount,
          batch.checksum,
        ],
      );
    }
  }

  return {
    async findJob(jobId, requestHash) {
      return outcomeOf(await readJob(db, jobId), requestHash);
    },

    commitJob(jobId, requestHash, reports, respond) {
      return db.transaction(async (tx) => {
        const claimed = await tx.query(
          `INSERT INTO aggregation_jobs (task_id, job_id, request_hash) VALUES ($1, $2, $3)
           ON CONFLICT (task_id, job_id) DO NOTHING`,
          [taskId, jobId, requestHash],
        );
        if (claimed.rowCount !== 1) {
          const outcome = outcomeOf(await readJob(tx, jobId), requestHash);
          if (outcome === null) throw new Error('An aggregation job row has no response.');
          return outcome;
        }
        const replayed = new Set<string>();
        for (const report of reports) {
          const seen = await tx.query(
            `INSERT INTO reports_seen (task_id, report_id) VALUES ($1, $2)
             ON CONFLICT (task_id, report_id) DO NOTHING`,
            [taskId, report.reportId],
          );
          if (seen.rowCount !== 1) replayed.add(hex(report.reportId));
        }
        const kept = reports.filter((r) => !replayed.has(hex(r.reportId)));
        await addToBatches(
          tx,
          kept.filter((r) => r.state === 'finished'),
        );
        for (const [ord, report] of reports.entries()) {
          const error = replayed.has(hex(report.reportId))
            ? 'report_replayed'
            : report.state === 'failed'
              ? report.error
              : null;
          await tx.query(
            `INSERT INTO report_aggregations (task_id, job_id, ord, report_id, time, state, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              taskId,
              jobId,
              ord,
              report.reportId,
              report.time,
              error ? 'failed' : 'finished',
              error,
            ],
          );
        }
        const response = respond(replayed);
        await tx.query(
          'UPDATE aggregation_jobs SET response = $3 WHERE task_id = $1 AND job_id = $2',
          [taskId, jobId, response],
        );
        return { kind: 'answered', response } as const;
      });
    },

    async batch(interval) {
      const { rows } = await db.query<BatchRow>(
        `SELECT aggregate_share, report_count, checksum FROM batch_aggregations
         WHERE task_id = $1 AND batch_start >= $2 AND batch_start < $3`,
        [taskId, interval.start, interval.start + interval.duration],
      );
      return rows.map(fromRow).reduce((a, b) => mergeBatches(vdaf, a, b), emptyBatch(vdaf));
    },
  };
}
