/**
 * Product tables (migration 0003): published epochs (aggregates only, never member-level rows)
 * and researcher sign-in nonces and sessions. Reads of accepted reports for aggregation live here
 * too, so the product service never writes SQL.
 */
import type { Queryable } from '../db/db.ts';
import type { AcceptedReport, PublishedEpoch } from '../product/index.ts';
import { toDate } from './rows.ts';

export interface StoredEpoch {
  epoch: PublishedEpoch;
  reportCount: number;
}

export interface EpochReportCount {
  epochStart: number;
  epochSeconds: number;
  reports: number;
}

export const productRepo = {
  /** Closed epochs (end ≤ `cutoff`, Unix seconds) and how many reports each holds. */
  async closedEpochs(q: Queryable, cutoff: number): Promise<EpochReportCount[]> {
    const { rows } = await q.query<{ epoch_start: number; epoch_seconds: number; n: number }>(
      `SELECT epoch_start, min(epoch_seconds)::int AS epoch_seconds, count(*)::int AS n
       FROM reports WHERE epoch_start + epoch_seconds <= $1
       GROUP BY epoch_start ORDER BY epoch_start`,
      [cutoff],
    );
    return rows.map((r) => ({
      epochStart: Number(r.epoch_start),
      epochSeconds: r.epoch_seconds,
      reports: r.n,
    }));
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

  /** The latest revision of every published epoch, with the report count it was computed from. */
  async latestCounts(q: Queryable): Promise<Map<number, { revision: number; reports: number }>> {
    const { rows } = await q.query<{ epoch_start: number; revision: number; report_count: number }>(
      `SELECT DISTINCT ON (epoch_start) epoch_start, revision, report_count
       FROM product_epochs ORDER BY epoch_start, revision DESC`,
    );
    return new Map(
      rows.map((r) => [Number(r.epoch_start), { revision: r.revision, reports: r.report_count }]),
    );
  },

  async latest(q: Queryable, epochStart: number): Promise<StoredEpoch | null> {
    const { rows } = await q.query<{ epoch: string; report_count: number }>(
      `SELECT epoch, report_count FROM product_epochs WHERE epoch_start = $1
       ORDER BY revision DESC LIMIT 1`,
      [epochStart],
    );
    const row = rows[0];
    return row
      ? { epoch: JSON.parse(row.epoch) as PublishedEpoch, reportCount: row.report_count }
      : null;
  },

  async insert(q: Queryable, epoch: PublishedEpoch, reportCount: number, at: Date): Promise<void> {
    await q.query(
      `INSERT INTO product_epochs (epoch_start, epoch_seconds, revision, epoch, report_count, published_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (epoch_start, revision) DO NOTHING`,
      [
        epoch.epochStart,
        epoch.epochSeconds,
        epoch.revision,
        JSON.stringify(epoch),
        reportCount,
        at,
      ],
    );
  },

  async setReportCount(
    q: Queryable,
    epochStart: number,
    revision: number,
    reportCount: number,
  ): Promise<void> {
    await q.query(
      'UPDATE product_epochs SET report_count = $3 WHERE epoch_start = $1 AND revision = $2',
      [epochStart, revision, reportCount],
    );
  },

  /** Latest revisions with `from ≤ epoch_start < to`, ascending, at most `limit`. */
  async page(q: Queryable, from: number, to: number, limit: number): Promise<PublishedEpoch[]> {
    const { rows } = await q.query<{ epoch: string }>(
      `SELECT DISTINCT ON (epoch_start) epoch FROM product_epochs
       WHERE epoch_start >= $1 AND epoch_start < $2
       ORDER BY epoch_start, revision DESC LIMIT $3`,
      [from, to, limit],
    );
    return rows.map((r) => JSON.parse(r.epoch) as PublishedEpoch);
  },

  async summary(
    q: Queryable,
  ): Promise<{ epochs: number; first: number | null; last: number | null }> {
    const { rows } = await q.query<{ n: number; first: number | null; last: number | null }>(
      `SELECT count(DISTINCT epoch_start)::int AS n, min(epoch_start) AS first, max(epoch_start) AS last
       FROM product_epochs`,
    );
    const r = rows[0]!;
    return {
      epochs: r.n,
      first: r.first === null ? null : Number(r.first),
      last: r.last === null ? null : Number(r.last),
    };
  },

  /** Stores a nonce and drops those expired at `now` (the union's clock, not the database's). */
  async addNonce(q: Queryable, nonce: string, expiresAt: Date, now: Date): Promise<void> {
    await q.query('DELETE FROM product_nonces WHERE expires_at < $1', [now]);
    await q.query('INSERT INTO product_nonces (nonce, expires_at) VALUES ($1, $2)', [
      nonce,
      expiresAt,
    ]);
  },

  async consumeNonce(q: Queryable, nonce: string, now: Date): Promise<boolean> {
    const { rows } = await q.query(
      'DELETE FROM product_nonces WHERE nonce = $1 AND expires_at > $2 RETURNING nonce',
      [nonce, now],
    );
    return rows.length === 1;
  },

  async createSession(
    q: Queryable,
    tokenHash: string,
    address: string,
    expiresAt: Date,
    now: Date,
  ): Promise<void> {
    await q.query('DELETE FROM product_sessions WHERE expires_at < $1', [now]);
    await q.query(
      'INSERT INTO product_sessions (token_hash, address, expires_at) VALUES ($1, $2, $3)',
      [tokenHash, address, expiresAt],
    );
  },

  async findSession(
    q: Queryable,
    tokenHash: string,
    now: Date,
  ): Promise<{ address: string; expiresAt: Date } | null> {
    const { rows } = await q.query<{ address: string; expires_at: unknown }>(
      'SELECT address, expires_at FROM product_sessions WHERE token_hash = $1 AND expires_at > $2',
      [tokenHash, now],
    );
    const row = rows[0];
    return row ? { address: row.address, expiresAt: toDate(row.expires_at) } : null;
  },
};
