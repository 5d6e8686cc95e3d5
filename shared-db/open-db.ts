/** Opens a configured database (PGlite folder or PostgreSQL URL) and brings its schema up to date. */
import type { Db } from './db.ts';
import { openPglite } from './pglite-driver.ts';
import { openPostgres } from './postgres-driver.ts';

export type DatabaseOptions =
  | { driver: 'pglite'; dataDir: string; loadDataDir?: Blob | undefined }
  | { driver: 'postgres'; url: string; poolSize?: number | undefined };

export async function openMigratedDb(
  options: DatabaseOptions,
  migrate: (db: Db) => Promise<unknown>,
): Promise<Db> {
  const db =
    options.driver === 'pglite'
      ? await openPglite({
          dataDir: options.dataDir,
          ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
        })
      : await openPostgres({
          url: options.url,
          ...(options.poolSize ? { poolSize: options.poolSize } : {}),
        });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
