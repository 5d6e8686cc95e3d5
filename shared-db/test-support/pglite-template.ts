/**
 * Fresh, migrated in-memory PGlite databases for tests, fast. Creating a PGlite cluster runs
 * initdb (seconds, ≈ 700 MB peak); loading a dumped data folder is much cheaper. The first call
 * migrates one database and dumps it to a tarball in the OS temp folder, keyed by the
 * migrations' content, so every test file (each in its own process) reuses it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import type { Db } from '../db/db.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { openPglite, pgliteDb, smallMemoryStartParams } from '../db/pglite-driver.ts';

let template: Blob | null = null;

function templatePath(): string {
  const hash = createHash('sha256');
  for (const m of loadMigrations()) hash.update(`${m.version}:${m.sql}`);
  return path.join(tmpdir(), `crowdsell-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

async function loadTemplate(): Promise<Blob> {
  if (template) return template;
  const file = templatePath();
  if (!existsSync(file)) {
    const pg = await PGlite.create({ dataDir: 'memory://', startParams: smallMemoryStartParams });
    await migrate(pgliteDb(pg));
    const dump = await pg.dumpDataDir('none');
    await pg.close();
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  template = new Blob([readFileSync(file)]);
  return template;
}

/** A new, migrated, empty in-memory PGlite database. */
export async function freshPglite(): Promise<Db> {
  return openPglite({ dataDir: 'memory://', loadDataDir: await loadTemplate() });
}
