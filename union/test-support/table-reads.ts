/**
 * Counting the reads of one table from PostgreSQL's own statistics (both drivers): for tests
 * that show a query or a route never scans a large table (issue 19: `members` at a million).
 */
import { tableStats } from '../../shared-db/test-support/table-stats.ts';
import type { Db, Queryable } from '../db/db.ts';

/** Sequential scans and index scans of `table` made so far in this transaction. */
export async function tableReads(tx: Queryable, table: string): Promise<number> {
  return (await tableStats(tx, [table])).get(table)?.scans ?? 0;
}

/**
 * `db`, with every statement and transaction run in a transaction that also counts the reads
 * of `table` it made; `reads()` is the running total.
 */
export function countingReads(db: Db, table: string): { db: Db; reads(): number } {
  let reads = 0;
  const counted = <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> =>
    db.transaction(async (tx) => {
      const before = await tableReads(tx, table);
      const result = await fn(tx);
      reads += (await tableReads(tx, table)) - before;
      return result;
    });
  return {
    reads: () => reads,
    db: {
      driver: db.driver,
      parallelism: db.parallelism,
      query: (sql, params) => counted((tx) => tx.query(sql, params)),
      exec: (sql) => db.exec(sql),
      transaction: counted,
      close: () => Promise.resolve(),
    },
  };
}
