/**
 * The `reports` table. Inserts are batched: one statement takes a whole group of reports as
 * one JSON array (`json_to_recordset`: serialised natively, ≈ 3× cheaper in Node than
 * node-postgres' escaped array literals for `unnest`), inserts those whose member is active and whose `(member, epochStart)` is
 * free, and stamps the members' last-report time and `active_from` (the end of the activity
 * batch the report arrived in, union/domain/activity-batch.ts: what the accounting reads) — one
 * round trip and one commit (one WAL flush) per group instead of per report. A member row is
 * rewritten only when its batch moved on or its last-report time is ten minutes old (the
 * activity window is days): rewriting it for every report would double the write volume.
 * The same statement adds the inserted reports to the overview's per-epoch summaries (migration
 * 0009), so the console never reads report JSON and the figures cannot drift from the table; they
 * count reports ever accepted, so they outlive report retention (union/jobs/retention.ts). The
 * activity stamp on `members` also moves the overview's member counts (migration 0012's triggers).
 */
import type { Queryable } from '../db/db.ts';

export interface ReportInsert {
  member: string;
  epochStart: number;
  epochSeconds: number;
  configVersion: number;
  /** Canonical JSON of the report as received. */
  report: string;
  signature: string;
  /** EIP-712 digest, 0x hex: equal digests mean equal content. */
  digest: string;
}

export interface ExistingReport {
  member: string;
  epochStart: number;
  /** Digest of the stored report, or null when none is stored. */
  digest: string | null;
  /** The member's status, or null when the address never joined. */
  memberStatus: string | null;
}

export const reportsRepo = {
  /**
   * Inserts what it may; returns the keys (`member:epochStart`) actually inserted. `at` is the
   * receipt time, `activeFrom` the end of its activity batch.
   */
  async insertBatch(
    q: Queryable,
    rows: readonly ReportInsert[],
    at: Date,
    activeFrom: Date,
  ): Promise<Set<string>> {
    const { rows: inserted } = await q.query<{ member: string; epoch_start: number }>(
      `WITH input AS (
         SELECT * FROM json_to_recordset($1::json)
           AS u(member text, epoch_start bigint, epoch_seconds int, config_version int, report text, signature text, digest text)
       ), inserted AS (
         INSERT INTO reports (member, epoch_start, epoch_seconds, config_version, report, signature, digest, received_at)
         SELECT i.member, i.epoch_start, i.epoch_seconds, i.config_version, i.report, i.signature, i.digest, $2
         FROM input i JOIN members m ON m.address = i.member AND m.status = 'active'
         ON CONFLICT (member, epoch_start) DO NOTHING
         RETURNING member, epoch_start, report
       ), counted AS (
         INSERT INTO report_epoch_counts AS t (epoch_start, shard, reports)
         SELECT epoch_start, pg_backend_pid() % 16, count(*) FROM inserted
         GROUP BY epoch_start ORDER BY epoch_start
         ON CONFLICT (epoch_start, shard) DO UPDATE SET reports = t.reports + EXCLUDED.reports
       ), contributed AS (
         INSERT INTO report_epoch_contributors AS t (epoch_start, category, shard, members)
         SELECT i.epoch_start, (c ->> 'category')::int, pg_backend_pid() % 16,
           count(DISTINCT i.member)
         FROM inserted i, jsonb_array_elements((i.report::jsonb) -> 'counts') AS c
         GROUP BY 1, 2 ORDER BY 1, 2
         ON CONFLICT (epoch_start, category, shard) DO UPDATE SET members = t.members + EXCLUDED.members
       ), touched AS (
         UPDATE members m SET last_report_at = $2,
           active_from = GREATEST(m.active_from, $3::timestamptz)
         FROM (SELECT DISTINCT member FROM inserted) x
         WHERE m.address = x.member
           AND (m.last_report_at IS NULL OR m.last_report_at < $2::timestamptz - interval '10 minutes'
             OR m.active_from IS NULL OR m.active_from < $3::timestamptz)
       )
       SELECT member, epoch_start FROM inserted`,
      [
        JSON.stringify(
          rows.map((r) => ({
            member: r.member,
            epoch_start: r.epochStart,
            epoch_seconds: r.epochSeconds,
            config_version: r.configVersion,
            report: r.report,
            signature: r.signature,
            digest: r.digest,
          })),
        ),
        at,
        activeFrom,
      ],
    );
    return new Set(inserted.map((r) => `${r.member}:${r.epoch_start}`));
  },

  /** What is stored for these keys, and the members' statuses (for refused inserts). */
  async lookup(
    q: Queryable,
    keys: readonly { member: string; epochStart: number }[],
  ): Promise<ExistingReport[]> {
    const { rows } = await q.query<{
      member: string;
      epoch_start: number;
      digest: string | null;
      status: string | null;
    }>(
      `SELECT u.member, u.epoch_start, r.digest, m.status
       FROM unnest($1::text[], $2::bigint[]) AS u(member, epoch_start)
       LEFT JOIN reports r ON r.member = u.member AND r.epoch_start = u.epoch_start
       LEFT JOIN members m ON m.address = u.member`,
      [keys.map((k) => k.member), keys.map((k) => k.epochStart)],
    );
    return rows.map((r) => ({
      member: r.member,
      epochStart: r.epoch_start,
      digest: r.digest,
      memberStatus: r.status,
    }));
  },

  async count(q: Queryable): Promise<number> {
    const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    return rows[0]!.n;
  },
};
