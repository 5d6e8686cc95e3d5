/**
 * The helper's store on its own database (PGlite or PostgreSQL), for one task. Races between two
 * deliveries of one job, or two jobs naming one report, are decided by primary keys inside one
 * transaction: the job row is inserted first (a concurrent duplicate waits, then finds it), a
 * report id is aggregated only by the transaction whose `reports_seen` insert succeeds, and a
 * batch row is created empty and then locked before its sum is updated or it is collected (so a
 * job and a collection of one bucket are serialised).
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
import type { PrepareError } from '../../dap/aggregation.ts';
import {
  batchFromRow,
  widenTimeRange,
  writeBatch,
  type BatchRow as StoredBatchRow,
} from '../../db/batch-rows.ts';
import { statementChunks, valuesRows } from '../../db/multi-row.ts';
import type { HelperStore, JobOutcome, PreparedReport, ShareOutcome } from '../store.ts';

interface JobRow {
  request_hash: Uint8Array;
  response: Uint8Array | null;
}

interface BatchRow extends StoredBatchRow {
  collected: boolean;
}

interface BucketRow extends BatchRow {
  batch_start: number;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function outcomeOf(row: JobRow | undefined, requestHash: Uint8Array): JobOutcome | null {
  if (row === undefined || row.response === null) return null;
  return Buffer.from(row.request_hash).equals(requestHash)
    ? { kind: 'answered', response: new Uint8Array(row.response) }
    : { kind: 'conflict' };
}

export function sqlHelperStore(
  db: Db,
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  timePrecisionSeconds: number,
): HelperStore {
  const fromRow = (row: BatchRow): BatchAggregation => batchFromRow(vdaf, row);

  async function readJob(q: Queryable, jobId: Uint8Array): Promise<JobRow | undefined> {
    const { rows } = await q.query<JobRow>(
      'SELECT request_hash, response FROM aggregation_jobs WHERE task_id = $1 AND job_id = $2',
      [taskId, jobId],
    );
    return rows[0];
  }

  /**
   * Marks finished reports seen, in report-id order (concurrent jobs take the rows' locks in one
   * order); returns the ids (hex) an earlier job had marked: those are `report_replayed`.
   */
  async function markSeen(q: Queryable, finished: readonly PreparedReport[]): Promise<string[]> {
    const ids = finished.map((r) => r.reportId).sort((a, b) => Buffer.compare(a, b));
    const fresh = new Set<string>();
    for (const chunk of statementChunks(ids, 1)) {
      const { rows } = await q.query<{ report_id: Uint8Array }>(
        `INSERT INTO reports_seen (task_id, report_id) VALUES ${valuesRows(chunk.length, 1, 1)}
         ON CONFLICT (task_id, report_id) DO NOTHING RETURNING report_id`,
        [taskId, ...chunk],
      );
      for (const row of rows) fresh.add(hex(row.report_id));
    }
    return ids.map(hex).filter((id) => !fresh.has(id));
  }

  /** Every report's outcome in the job, in request order, in one statement per chunk. */
  async function recordOutcomes(
    q: Queryable,
    jobId: Uint8Array,
    reports: readonly PreparedReport[],
    rejected: ReadonlyMap<string, PrepareError>,
  ): Promise<void> {
    const rows = reports.map((report, ord) => {
      const error =
        rejected.get(hex(report.reportId)) ?? (report.state === 'failed' ? report.error : null);
      return [ord, report.reportId, report.time, error ? 'failed' : 'finished', error];
    });
    for (const chunk of statementChunks(rows, 5)) {
      await q.query(
        `INSERT INTO report_aggregations (task_id, job_id, ord, report_id, time, state, error)
         VALUES ${valuesRows(chunk.length, 2, 5)}`,
        [taskId, jobId, ...chunk.flat()],
      );
    }
  }

  /** Creates the bucket rows if missing and locks them (in start order, so no deadlock). */
  async function lockBuckets(q: Queryable, starts: readonly number[]): Promise<BucketRow[]> {
    const empty = emptyBatch(vdaf);
    const rows: BucketRow[] = [];
    for (const batchStart of [...new Set(starts)].sort((a, b) => a - b)) {
      await q.query(
        `INSERT INTO batch_aggregations (task_id, batch_start, aggregate_share, report_count, checksum)
         VALUES ($1, $2, $3, 0, $4) ON CONFLICT (task_id, batch_start) DO NOTHING`,
        [taskId, batchStart, vdaf.encodeAggregatorShare([...empty.aggregateShare]), empty.checksum],
      );
      const locked = await q.query<BucketRow>(
        `SELECT batch_start, aggregate_share, report_count, checksum, collected FROM batch_aggregations
         WHERE task_id = $1 AND batch_start = $2 FOR UPDATE`,
        [taskId, batchStart],
      );
      rows.push(locked.rows[0]!);
    }
    return rows;
  }

  /** Adds finished reports to their buckets; returns the ids (hex) whose bucket was collected. */
  async function addToBatches(
    q: Queryable,
    finished: readonly PreparedReport[],
  ): Promise<Set<string>> {
    const rows = await lockBuckets(
      q,
      finished.map((r) => r.batchStart),
    );
    const refused = new Set<string>();
    for (const row of rows) {
      const batchStart = row.batch_start;
      const inBucket = finished.filter((r) => r.batchStart === batchStart);
      if (row.collected) {
        for (const r of inBucket) refused.add(hex(r.reportId));
        continue;
      }
      let batch = fromRow(row);
      const times: number[] = [];
      for (const report of inBucket) {
        if (report.state === 'finished') {
          batch = addToBatch(vdaf, batch, report.reportId, report.outputShare);
          times.push(report.time);
        }
      }
      await writeBatch(q, vdaf, taskId, batchStart, batch);
      await widenTimeRange(q, taskId, batchStart, times);
    }
    return refused;
  }

  async function batchOf(q: Queryable, start: number, end: number): Promise<BatchAggregation> {
    const { rows } = await q.query<BatchRow>(
      `SELECT aggregate_share, report_count, checksum, collected FROM batch_aggregations
       WHERE task_id = $1 AND batch_start >= $2 AND batch_start < $3`,
      [taskId, start, end],
    );
    return rows.map(fromRow).reduce((a, b) => mergeBatches(vdaf, a, b), emptyBatch(vdaf));
  }

  /** One report per member and epoch: a later one (any job) is `report_replayed`, the first stands. */
  async function claimMemberEpochs(
    q: Queryable,
    reports: readonly PreparedReport[],
    rejected: Map<string, PrepareError>,
  ): Promise<void> {
    const signed = reports
      .flatMap((r) => (r.state === 'finished' && r.member ? [{ ...r, member: r.member }] : []))
      .filter((r) => !rejected.has(hex(r.reportId)))
      // One lock order for concurrent jobs (as markSeen): by member, then epoch.
      .sort(
        (a, b) => a.member.member.localeCompare(b.member.member) || a.member.epoch - b.member.epoch,
      );
    for (const report of signed) {
      const first = await q.query(
        `INSERT INTO member_epochs (task_id, member, epoch, report_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (task_id, member, epoch) DO NOTHING`,
        [taskId, report.member.member, report.member.epoch, report.reportId],
      );
      if (first.rowCount !== 1) rejected.set(hex(report.reportId), 'report_replayed');
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
        const rejected = new Map<string, PrepareError>();
        const finished = reports.filter((r) => r.state === 'finished');
        for (const id of await markSeen(tx, finished)) rejected.set(id, 'report_replayed');
        await claimMemberEpochs(tx, reports, rejected);
        const collected = await addToBatches(
          tx,
          reports.filter((r) => r.state === 'finished' && !rejected.has(hex(r.reportId))),
        );
        for (const id of collected) rejected.set(id, 'batch_collected');
        await recordOutcomes(tx, jobId, reports, rejected);
        const response = respond(rejected);
        await tx.query(
          'UPDATE aggregation_jobs SET response = $3 WHERE task_id = $1 AND job_id = $2',
          [taskId, jobId, response],
        );
        return { kind: 'answered', response } as const;
      });
    },

    batch: (interval) => batchOf(db, interval.start, interval.start + interval.duration),

    collectBatch(interval, requestHash, answer) {
      const end = interval.start + interval.duration;
      return db.transaction(async (tx): Promise<ShareOutcome> => {
        const starts: number[] = [];
        for (let t = interval.start; t < end; t += timePrecisionSeconds) starts.push(t);
        const buckets = await lockBuckets(tx, starts);
        const { rows } = await tx.query<JobRow & { response: Uint8Array }>(
          `SELECT request_hash, response FROM aggregate_share_jobs
           WHERE task_id = $1 AND batch_start = $2 AND batch_duration = $3`,
          [taskId, interval.start, interval.duration],
        );
        const earlier = rows[0];
        if (earlier !== undefined) {
          return Buffer.from(earlier.request_hash).equals(requestHash)
            ? { kind: 'answered', response: new Uint8Array(earlier.response) }
            : { kind: 'queried' };
        }
        if (buckets.some((b) => b.collected)) return { kind: 'overlap' };
        const response = await answer(await batchOf(tx, interval.start, end));
        await tx.query(
          `INSERT INTO aggregate_share_jobs (task_id, batch_start, batch_duration, request_hash, response)
           VALUES ($1, $2, $3, $4, $5)`,
          [taskId, interval.start, interval.duration, requestHash, response],
        );
        await tx.query(
          `UPDATE batch_aggregations SET collected = true
           WHERE task_id = $1 AND batch_start >= $2 AND batch_start < $3`,
          [taskId, interval.start, end],
        );
        return { kind: 'answered', response };
      });
    },
  };
}
