/**
 * What this transaction has done to some tables so far, from PostgreSQL's own statistics
 * (`pg_stat_xact_user_tables`; PGlite and PostgreSQL): for tests that show a query or a route
 * reads the rows that matter, not a whole large table — counted by the server, not timed. The
 * counts are pending ones, which may include earlier transactions not flushed yet, so callers
 * read them before and after and keep the difference.
 */
import type { Queryable } from '../db.ts';

export interface TableStats {
  /** Sequential and index scans started. */
  scans: number;
  /** Rows fetched by those scans (sequential reads and index fetches). */
  rows: number;
}

/** The counters of each of `tables` (a table not touched yet is absent). */
export async function tableStats(
  tx: Queryable,
  tables: readonly string[],
): Promise<Map<string, TableStats>> {
  const { rows } = await tx.query<{ relname: string; scans: number; rows: number }>(
    `SELECT relname,
       (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int AS scans,
       (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::int AS rows
     FROM pg_stat_xact_user_tables WHERE relname = ANY ($1::text[])`,
    [tables],
  );
  return new Map(rows.map((row) => [row.relname, { scans: row.scans, rows: row.rows }]));
}
