/**
 * Counting the rows a transaction fetched from some tables, from PostgreSQL's own statistics
 * (`pg_stat_xact_user_tables`; both drivers): for tests that show a store's query reads the rows
 * that matter, not every row a long-lived aggregator holds — counted by the server, not timed.
 */
import type { Db, Queryable } from '../../shared-db/db.ts';

interface TableReads {
  relname: string;
  seq_tup_read: number;
  idx_tup_fetch: number | null;
}

/**
 * The db, except that each transaction counts how many rows it fetched from each of `tables`
 * (`reads` holds the last transaction's). The statistics are pending counts, which may include
 * earlier transactions not flushed yet, so a transaction reads them as it starts and just before
 * it commits, and keeps the difference.
 */
export function countingRowReads(
  db: Db,
  tables: readonly string[],
): { db: Db; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const count = async (tx: Queryable) => {
    const { rows } = await tx.query<TableReads>(
      `SELECT relname, seq_tup_read, idx_tup_fetch FROM pg_stat_xact_user_tables
       WHERE relname = ANY ($1::text[])`,
      [tables],
    );
    return new Map(rows.map((row) => [row.relname, row.seq_tup_read + (row.idx_tup_fetch ?? 0)]));
  };
  const transaction: Db['transaction'] = (fn) =>
    db.transaction(async (tx) => {
      const before = await count(tx);
      const result = await fn(tx);
      reads.clear();
      for (const [table, n] of await count(tx)) reads.set(table, n - (before.get(table) ?? 0));
      return result;
    });
  return { db: { ...db, transaction }, reads };
}
