/** The `app_secrets` table (hashes only; see domain/app-secret.ts). */
import type { Queryable } from '../db/db.ts';
import { toDate, toDateOrNull } from './rows.ts';

export interface AppSecretRow {
  id: string;
  label: string;
  secretHash: string;
  maxUses: number | null;
  uses: number;
  expiresAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
}

interface RawSecret {
  id: string;
  label: string;
  secret_hash: string;
  max_uses: number | null;
  uses: number;
  expires_at: unknown;
  created_at: unknown;
  revoked_at: unknown;
}

const COLUMNS = 'id, label, secret_hash, max_uses, uses, expires_at, created_at, revoked_at';

const fromRaw = (r: RawSecret): AppSecretRow => ({
  id: r.id,
  label: r.label,
  secretHash: r.secret_hash,
  maxUses: r.max_uses,
  uses: r.uses,
  expiresAt: toDateOrNull(r.expires_at),
  createdAt: toDate(r.created_at),
  revokedAt: toDateOrNull(r.revoked_at),
});

export const secretsRepo = {
  async insert(
    q: Queryable,
    s: { id: string; hash: string; label: string; maxUses: number | null; expiresAt: Date | null },
  ): Promise<AppSecretRow> {
    const { rows } = await q.query<RawSecret>(
      `INSERT INTO app_secrets (id, secret_hash, label, max_uses, expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [s.id, s.hash, s.label, s.maxUses, s.expiresAt],
    );
    return fromRaw(rows[0]!);
  },

  async find(q: Queryable, id: string, forUpdate = false): Promise<AppSecretRow | null> {
    const { rows } = await q.query<RawSecret>(
      `SELECT ${COLUMNS} FROM app_secrets WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? fromRaw(rows[0]) : null;
  },

  async list(q: Queryable): Promise<AppSecretRow[]> {
    const { rows } = await q.query<RawSecret>(
      `SELECT ${COLUMNS} FROM app_secrets ORDER BY created_at, id`,
    );
    return rows.map(fromRaw);
  },

  /** Spends `count` uses (a group of joins spends them in one statement). */
  async use(q: Queryable, id: string, count = 1): Promise<void> {
    await q.query('UPDATE app_secrets SET uses = uses + $2 WHERE id = $1', [id, count]);
  },

  async revoke(q: Queryable, id: string, at: Date): Promise<AppSecretRow | null> {
    const { rows } = await q.query<RawSecret>(
      `UPDATE app_secrets SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id, at],
    );
    return rows[0] ? fromRaw(rows[0]) : null;
  },
};
