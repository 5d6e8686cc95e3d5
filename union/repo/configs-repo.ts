/** Accepted signed configs, immutable once stored, keyed by version. */
import type { Queryable } from '../db/db.ts';

export interface ConfigRow {
  version: number;
  configHash: string;
  /** The SignedConfig envelope as canonical JSON. */
  signed: string;
}

export const configsRepo = {
  async latest(q: Queryable): Promise<ConfigRow | null> {
    const { rows } = await q.query<{ version: number; config_hash: string; signed: string }>(
      'SELECT version, config_hash, signed FROM configs ORDER BY version DESC LIMIT 1',
    );
    const r = rows[0];
    return r ? { version: r.version, configHash: r.config_hash, signed: r.signed } : null;
  },

  async byVersion(q: Queryable, version: number): Promise<ConfigRow | null> {
    const { rows } = await q.query<{ version: number; config_hash: string; signed: string }>(
      'SELECT version, config_hash, signed FROM configs WHERE version = $1',
      [version],
    );
    const r = rows[0];
    return r ? { version: r.version, configHash: r.config_hash, signed: r.signed } : null;
  },

  /** Inserts a new version; false when that version already exists. */
  async insert(q: Queryable, row: ConfigRow): Promise<boolean> {
    const { rows } = await q.query(
      `INSERT INTO configs (version, config_hash, signed) VALUES ($1, $2, $3)
       ON CONFLICT (version) DO NOTHING RETURNING version`,
      [row.version, row.configHash, row.signed],
    );
    return rows.length === 1;
  },
};
