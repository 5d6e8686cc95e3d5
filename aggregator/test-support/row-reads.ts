/**
 * Counting the rows a transaction fetched from some tables (shared-db/test-support/table-stats.ts):
 * for tests that show a store's query reads the rows that matter, not every row a long-lived
 * aggregator holds.
 */
import type { Db, Queryable } from '../../shared-db/db.ts';
import { tableStats } from '../../shared-db/test-support/table-stats.ts';

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
  const count = async (tx: Queryable) =>
    new Map([...(await tableStats(tx, tables))].map(([table, stats]) => [table, stats.rows]));
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
