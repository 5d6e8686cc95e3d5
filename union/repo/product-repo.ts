/**
 * Product tables (migrations 0003, 0007): published epochs (aggregates only, never member-level
 * rows; one row per epoch, never revised); researcher sign-in nonces and sessions are in
 * sessions-repo.ts. Reads of accepted reports for aggregation live here too, so the product
 * service never writes SQL.
 */
import type { Queryable } from '../db/db.ts';
import type { AcceptedReport, PublishedEpoch } from '../product/index.ts';

export interface UnpublishedEpoch {
  epochStart: number;
  epochSeconds: number;
}

export const productRepo = {
  /**
   * Epochs with accepted reports that ended at or before `cutoff` (Unix seconds) and are not
   * published yet, oldest first. Epochs are published in the order they become due, so only
   * starts from the newest published one minus the longest epoch (`maxEpochSeconds`) can still
   * be due: the scan reads that range of the primary key (epoch first, migration 0013), not the whole table.
   */
  async unpublishedEpochs(
    q: Queryable,
    cutoff: number,
    maxEpochSeconds: number,
  ): Promise<UnpublishedEpoch[]> {
    const { rows } = await q.query<{ epoch_start: number; epoch_seconds: number }>(
      `SELECT r.epoch_start, min(r.epoch_seconds)::int AS epoch_seconds
       FROM reports r
       WHERE r.epoch_start + r.epoch_seconds <= $1
         AND r.epoch_start >= (SELECT coalesce(max(epoch_start), 0) FROM product_epochs) - $2
         AND NOT EXISTS (SELECT 1 FROM product_epochs p WHERE p.epoch_start = r.epoch_start)
       GROUP BY r.epoch_start ORDER BY r.epoch_start`,
      [cutoff, maxEpochSeconds],
    );
    return rows.map((r) => ({ epochStart: Number(r.epoch_start), epochSeconds: r.epoch_seconds }));
  },

  /** The accepted reports of one epoch, as aggregation needs them. */
  async epochReports(q: Queryable, epochStart: number): Promise<AcceptedReport[]> {
    const { rows } = await q.query<{ report: string }>(
      'SELECT report FROM reports WHERE epoch_start = $1 ORDER BY member',
      [epochStart],
    );
    return rows.map((r) => {
      const report = JSON.parse(r.report) as AcceptedReport;
      return { member: report.member, configVersion: report.configVersion, counts: report.counts };
    });
  },

  /** Every stored signed config (canonical JSON), oldest first. */
  async allConfigs(q: Queryable): Promise<string[]> {
    const { rows } = await q.query<{ signed: string }>(
      'SELECT signed FROM configs ORDER BY version',
    );
    return rows.map((r) => r.signed);
  },

  /** Stores an epoch's only publication; false when it was already published (by any instance). */
  async insert(q: Queryable, epoch: PublishedEpoch, at: Date): Promise<boolean> {
    const { rows } = await q.query(
      `INSERT INTO product_epochs (epoch_start, epoch_seconds, epoch, published_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (epoch_start) DO NOTHING RETURNING epoch_start`,
      [epoch.epochStart, epoch.epochSeconds, JSON.stringify(epoch), at],
    );
    return rows.length === 1;
  },

  /** Published epochs with `from ≤ epoch_start < to`, ascending, at most `limit`. */
  async page(q: Queryable, from: number, to: number, limit: number): Promise<PublishedEpoch[]> {
    const { rows } = await q.query<{ epoch: string }>(
      `SELECT epoch FROM product_epochs
       WHERE epoch_start >= $1 AND epoch_start < $2
       ORDER BY epoch_start LIMIT $3`,
      [from, to, limit],
    );
    return rows.map((r) => JSON.parse(r.epoch) as PublishedEpoch);
  },

  async summary(
    q: Queryable,
  ): Promise<{ epochs: number; first: number | null; last: number | null }> {
    const { rows } = await q.query<{ n: number; first: number | null; last: number | null }>(
      `SELECT count(*)::int AS n, min(epoch_start) AS first, max(epoch_start) AS last
       FROM product_epochs`,
    );
    const r = rows[0]!;
    return {
      epochs: r.n,
      first: r.first === null ? null : Number(r.first),
      last: r.last === null ? null : Number(r.last),
    };
  },
};
