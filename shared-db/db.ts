/**
 * The one storage seam: repositories speak SQL to a `Db`, and two small drivers implement it —
 * embedded PGlite (default, a data folder) and PostgreSQL through node-postgres (`DATABASE_URL`).
 * Both return `int8` columns as JS numbers (every bigint we store — epochs, sequence numbers —
 * is far below 2^53) and timestamps as `Date`, so repositories never branch on the driver.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  /** One statement with `$1…` parameters. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** How many statements may usefully run at once (1 for PGlite, the pool size for PostgreSQL). */
  readonly parallelism: number;
  /** Runs `fn` in one transaction (READ COMMITTED); rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
