/** What every API suite gets: a running union on a fresh database of one driver. */
import type { Db } from '../../db/db.ts';
import type { DbFactory } from '../../test-support/test-union.ts';
import type { TestUnion } from '../../test-support/test-union.ts';

export interface SuiteEnv {
  t: TestUnion;
  db: Db;
  factory: DbFactory;
}

export type Env = () => SuiteEnv;

/** A `Db` that works until `arm()`, then fails or stalls every statement (INTERNAL, NOT_READY, TIMEOUT). */
export function brokenDb(db: Db, mode: 'fail' | 'stall'): { db: Db; arm(): void } {
  let armed = false;
  const act = async () => {
    if (mode === 'fail') throw new Error('database down (test)');
    await new Promise((r) => setTimeout(r, 1500));
    return { rows: [], rowCount: 0 };
  };
  return {
    arm: () => {
      armed = true;
    },
    db: {
      driver: db.driver,
      parallelism: db.parallelism,
      query: <R>(sql: string, params?: readonly unknown[]) =>
        armed ? act().then(() => ({ rows: [] as R[], rowCount: 0 })) : db.query<R>(sql, params),
      exec: (sql) => (armed ? act().then(() => undefined) : db.exec(sql)),
      transaction: (fn) => (armed ? act().then(() => fn(db)) : db.transaction(fn)),
      close: () => Promise.resolve(),
    },
  };
}
