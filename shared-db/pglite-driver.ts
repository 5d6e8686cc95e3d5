/**
 * PGlite (PostgreSQL in WebAssembly) as a `Db`. Single connection, single thread: statements are
 * serialised by PGlite itself. The small-memory settings are from TOOLCHAIN.md (≈ 160–200 MB RSS
 * on reopen instead of ≈ 310 MB). Writes go straight to files in the data folder, so a committed
 * transaction survives the process being killed.
 */
import { Buffer } from 'node:buffer';
import { mkdirSync } from 'node:fs';

import { PGlite } from '@electric-sql/pglite';

import type { Db, Queryable, QueryResult } from './db.ts';

export const smallMemoryStartParams = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=8MB',
  '-c',
  'work_mem=1MB',
  '-c',
  'maintenance_work_mem=8MB',
  '-c',
  'wal_buffers=256kB',
  '-c',
  'temp_buffers=1MB',
];

export interface PgliteOptions {
  /** A folder (created if missing), or `memory://` for a throwaway database. */
  dataDir: string;
  /** A `dumpDataDir()` tarball to start from (tests reuse one initialised cluster). */
  loadDataDir?: Blob | undefined;
}

interface TypeOptions {
  readonly serializers: Record<number, (value: unknown) => string>;
}

interface PgliteLike {
  query<R>(
    sql: string,
    params?: unknown[],
    options?: TypeOptions,
  ): Promise<{ rows: R[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

const BYTEA = 17;

/**
 * `bytea` parameters in PostgreSQL's binary format, which is the bytes themselves: PGlite's bind
 * message sends a parameter value that is an `ArrayBufferView` with format code 1 (binary)
 * instead of text. Its own serializer (and our earlier one) built the hex text — twice the bytes,
 * measured for UTF-8 a character at a time and copied into the message as a string.
 */
const byteaOptions: TypeOptions = {
  serializers: {
    [BYTEA]: binaryParameter((value) => {
      if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
      return value;
    }),
  },
};

/**
 * PGlite types a serializer as returning text, but what it returns goes straight to its bind
 * message (`@electric-sql/pg-protocol`'s `serialize.bind`), which sends an `ArrayBufferView` as a
 * binary parameter: this is the one place that relies on it (the driver test round-trips every
 * byte value).
 */
function binaryParameter(serialize: (value: unknown) => Uint8Array): (value: unknown) => string {
  return serialize as unknown as (value: unknown) => string;
}

/** A `bytea` column's hex text hex-decoded straight into a plain Uint8Array (no Buffer to copy). */
function parseBytea(text: string): Uint8Array {
  const bytes = new Uint8Array((text.length - 2) / 2);
  Buffer.from(bytes.buffer).write(text.slice(2), 'hex');
  return bytes;
}

function wrap(target: PgliteLike): Queryable {
  return {
    query: async <R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> => {
      const result = await target.query<R>(sql, [...params], byteaOptions);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    exec: async (sql: string) => {
      await target.exec(sql);
    },
  };
}

export async function openPglite(options: PgliteOptions): Promise<Db> {
  if (!options.dataDir.includes('://')) mkdirSync(options.dataDir, { recursive: true });
  const pg = await PGlite.create({
    dataDir: options.dataDir,
    startParams: smallMemoryStartParams,
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  return pgliteDb(pg);
}

/** Wraps an open PGlite instance (closing the `Db` closes it). */
export function pgliteDb(pg: PGlite): Db {
  // On the instance, not per query: PGlite merges a query's parsers into a copy of all of its own
  // (over 300, with the array types) on every statement: ≈ 60 µs and ≈ 80 KB of garbage each.
  // Its `bytea[]` parser reads this entry when called, so arrays decode the same way.
  pg.parsers[BYTEA] = parseBytea;
  return {
    ...wrap(pg),
    driver: 'pglite',
    parallelism: 1,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
  };
}
