/**
 * Fresh, migrated in-memory PGlite databases for tests, fast. Creating a PGlite cluster runs
 * initdb (seconds, ≈ 700 MB peak); loading a dumped data folder is much cheaper. The first call
 * migrates one database and dumps it to a tarball in the OS temp folder, keyed by the schema's
 * name and its migrations' content, so every test file (each in its own process) reuses it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';

import type { Db } from '../db.ts';
import type { Migration } from '../migrate.ts';
import { openPglite, pgliteDb, smallMemoryStartParams } from '../pglite-driver.ts';

export interface PgliteSchema {
  /** Names the template file (`crowdsell-pglite-<name>-<hash>.tar`). */
  readonly name: string;
  readonly migrations: () => readonly Migration[];
  readonly migrate: (db: Db) => Promise<unknown>;
}

const templates = new Map<string, Blob>();

function templatePath(schema: PgliteSchema): string {
  const hash = createHash('sha256');
  for (const m of schema.migrations()) hash.update(`${m.version}:${m.sql}`);
  const suffix = hash.digest('hex').slice(0, 16);
  return path.join(tmpdir(), `crowdsell-pglite-${schema.name}-${suffix}.tar`);
}

async function loadTemplate(schema: PgliteSchema): Promise<Blob> {
  const file = templatePath(schema);
  const cached = templates.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    const pg = await PGlite.create({ dataDir: 'memory://', startParams: smallMemoryStartParams });
    await schema.migrate(pgliteDb(pg));
    const dump = await pg.dumpDataDir('none');
    await pg.close();
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  const template = new Blob([readFileSync(file)]);
  templates.set(file, template);
  return template;
}

/** A new, migrated, empty in-memory PGlite database with `schema`. */
export async function freshPgliteWith(schema: PgliteSchema): Promise<Db> {
  return openPglite({ dataDir: 'memory://', loadDataDir: await loadTemplate(schema) });
}
