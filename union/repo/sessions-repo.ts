/**
 * Sign-in nonces and sessions (token hashes only), one pair of tables per audience: the admin
 * (admin_nonces, admin_sessions) and researchers (product_nonces, product_sessions, migration
 * 0003), so a session of one never opens the other's routes.
 */
import type { Queryable } from '../db/db.ts';
import { toDate } from './rows.ts';

export interface SessionRow {
  address: string;
  expiresAt: Date;
}

/** Whose sign-ins: the table names are fixed here, never taken from input. */
type Audience = 'admin' | 'product';

export function sessionsRepo(audience: Audience) {
  const nonces = `${audience}_nonces`;
  const sessions = `${audience}_sessions`;
  return {
    /** Stores a nonce and drops those expired at `now` (the union's clock, not the database's). */
    async addNonce(q: Queryable, nonce: string, expiresAt: Date, now: Date): Promise<void> {
      await q.query(`DELETE FROM ${nonces} WHERE expires_at < $1`, [now]);
      await q.query(`INSERT INTO ${nonces} (nonce, expires_at) VALUES ($1, $2)`, [
        nonce,
        expiresAt,
      ]);
    },

    /** Spends a nonce: true once, if it exists and has not expired. */
    async consumeNonce(q: Queryable, nonce: string, now: Date): Promise<boolean> {
      const { rows } = await q.query(
        `DELETE FROM ${nonces} WHERE nonce = $1 AND expires_at > $2 RETURNING nonce`,
        [nonce, now],
      );
      return rows.length === 1;
    },

    /** Opens a session and drops those expired at `now` (the union's clock). */
    async createSession(
      q: Queryable,
      tokenHash: string,
      address: string,
      expiresAt: Date,
      now: Date,
    ): Promise<void> {
      await q.query(`DELETE FROM ${sessions} WHERE expires_at < $1`, [now]);
      await q.query(
        `INSERT INTO ${sessions} (token_hash, address, expires_at) VALUES ($1, $2, $3)`,
        [tokenHash, address, expiresAt],
      );
    },

    async findSession(q: Queryable, tokenHash: string, now: Date): Promise<SessionRow | null> {
      const { rows } = await q.query<{ address: string; expires_at: unknown }>(
        `SELECT address, expires_at FROM ${sessions} WHERE token_hash = $1 AND expires_at > $2`,
        [tokenHash, now],
      );
      const row = rows[0];
      return row ? { address: row.address, expiresAt: toDate(row.expires_at) } : null;
    },

    async removeSession(q: Queryable, tokenHash: string): Promise<void> {
      await q.query(`DELETE FROM ${sessions} WHERE token_hash = $1`, [tokenHash]);
    },
  };
}
