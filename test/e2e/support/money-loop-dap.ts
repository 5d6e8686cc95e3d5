/**
 * What the money loop through the aggregators (test/e2e/money-loop-dap.spec.ts) needs besides the
 * plain loop's steps: the DAP leader and helper processes `npm start` runs, started from the
 * union's signed config, and a search of every row of every table of an aggregator's database
 * (tables enumerated from information_schema, so a table added later is searched too) once its
 * process has stopped.
 */
import { Buffer } from 'node:buffer';
import path from 'node:path';

import type { RoleSchema } from '../../../aggregator/db/role-schema.ts';
import { helperSchema } from '../../../aggregator/helper/db/schema.ts';
import { leaderSchema } from '../../../aggregator/leader/db/schema.ts';
import { repoRoot } from '../../../union/local/extension-build.ts';
import type { LocalAggregation } from '../../../union/local/local-aggregation.ts';
import {
  startLocalAggregators,
  type LocalAggregators,
} from '../../../union/local/local-aggregators.ts';
import type { LocalUnion } from '../../../union/local/local-union.ts';

/** The leader and helper of `aggregation`'s task, as `npm start` runs them; `lines` holds their log. */
export async function startMoneyLoopAggregators(
  local: LocalUnion,
  aggregation: LocalAggregation,
  ports: { helperPort: number; leaderPort: number },
): Promise<LocalAggregators & { lines: string[] }> {
  const lines: string[] = [];
  const running = await startLocalAggregators({
    root: repoRoot,
    aggregation,
    ...ports,
    union: {
      url: local.unionUrl,
      chainId: Number(local.deployment.chainId),
      dataUnion: local.deployment.dataUnion,
      admin: local.deployment.admin,
    },
    log: (line) => lines.push(line),
  });
  return { ...running, lines };
}

/**
 * Every row of every base table of the role's PGlite database in `aggregation.folder`, each as
 * PostgreSQL's text form of the row (binary columns as `\x` + hex), lower-cased. Only once the
 * role's process has stopped (PGlite has one user at a time).
 */
export async function aggregatorRows(
  aggregation: Pick<LocalAggregation, 'folder'>,
  role: 'leader' | 'helper',
): Promise<string[]> {
  const schema: RoleSchema = role === 'leader' ? leaderSchema : helperSchema;
  const db = await schema.open({
    driver: 'pglite',
    dataDir: path.join(aggregation.folder, role, 'db'),
  });
  try {
    const { rows: tables } = await db.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const out: string[] = [];
    for (const { table_schema: s, table_name: t } of tables) {
      const { rows } = await db.query<{ row: string }>(
        `SELECT r::text AS row FROM ${quote(s)}.${quote(t)} r`,
      );
      out.push(...rows.map((r) => `${s}.${t}: ${r.row.toLowerCase()}`));
    }
    return out;
  } finally {
    await db.close();
  }
}

/** Bytes as the lower-case hex a database row's text shows them in. */
export const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
