/** Admin sign-in nonces and sessions (token hashes only). */
import type { Queryable } from '../db/db.ts';
import { toDate } from './rows.ts';

export interface SessionRow {
  address: string;
  expiresAt: Date;
}

export const sessionsRepo = {
  /** Stores a nonce and drops those expired at `now` (the union's clock, not the database's). */
  async addNonce(q: Queryable, nonce: string, expiresAt: Date, now: Date): Promise<void> {
    await q.query('DELETE FROM admin_nonces WHERE expires_at < $1', [now]);
    await q.query('INSERT INTO admin_nonces (nonce, expires_at) VALUES ($1, $2)', [
      nonce,
      expiresAt,
    ]);
  },

  /** Spends a nonce: true once, if it exists and has not expired. */
  async consumeNonce(q: Queryable, nonce: string, now: Date): Promise<boolean> {
    const { rows } = await q.query(
      'DELETE FROM admin_nonces WHERE nonce = $1 AND expires_at > $2 RETURNING nonce',
      [nonce, now],
    );
    return rows.length === 1;
  },

  /** Opens a session and drops those expired at `now` (the union's clock). */
  async create(
    q: Queryable,
    tokenHash: string,
    address: string,
    expiresAt: Date,
    now: Date,
  ): Promise<void> {
    await q.query('DELETE FROM admin_sessions WHERE expires_at < $1', [now]);
    await q.query(
      'INSERT INTO admin_sessions (token_hash, address, expires_at) VALUES ($1, $2, $3)',
      [tokenHash, address, expiresAt],
    );
  },

  async find(q: Queryable, tokenHash: string, now: Date): Promise<SessionRow | null> {
    const { rows } = await q.query<{ address: string; expires_at: unknown }>(
      'SELECT address, expires_at FROM admin_sessions WHERE token_hash = $1 AND expires_at > $2',
      [tokenHash, now],
    );
    const row = rows[0];
    return row ? { address: row.address, expiresAt: toDate(row.expires_at) } : null;
  },

  async remove(q: Queryable, tokenHash: string): Promise<void> {
    await q.query('DELETE FROM admin_sessions WHERE token_hash = $1', [tokenHash]);
  },
};
