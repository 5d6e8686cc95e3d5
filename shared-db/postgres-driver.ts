/**
 * PostgreSQL through a node-postgres `Pool` as a `Db`. `int8` is parsed to a JS number (like
 * PGlite does) — safe for every bigint this schema stores.
 */
import pg from 'pg';

import type { Db, Queryable, QueryResult } from './db.ts';

export interface PostgresOptions {
  url: string;
  /** Pool size (default 10). */
  poolSize?: number | undefined;
}

const INT8_OID = 20;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    query: async <R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> => {
      const result = await client.query(sql, [...params]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
}

export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const poolSize = options.poolSize ?? 10;
  const pool = new pg.Pool({ connectionString: options.url, max: poolSize, types });
  // A dropped idle connection must not crash the process; the next query gets a fresh one.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return {
    ...wrap(pool),
    driver: 'postgres',
    parallelism: poolSize,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
