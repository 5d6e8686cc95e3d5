/**
 * SQL for relayed withdrawals (migrations 0002, 0005): the relay writes a row per transaction it
 * sends; the reconciler (union/jobs/withdrawal-reconciler.ts) closes rows from the chain's facts.
 * Status changes are compare-and-set on an open status, so two instances (or a poll and the job)
 * reconciling the same row at once write one outcome.
 */
import type { Queryable } from '../db/db.ts';
import type { FailureReason, WithdrawalStatus } from '../domain/withdrawal-reconcile.ts';

export interface WithdrawalRow {
  id: string;
  member: string;
  recipient: string;
  amount: string;
  blockNumber: number;
  txHash: string | null;
  status: WithdrawalStatus;
  /** Why a `failed` row failed (`FailureReason`, or older free text). */
  error: string | null;
  /** The request's nonce and deadline (decimal strings; null before migration 0005). */
  withdrawnBefore: string | null;
  deadline: string | null;
  createdAt: Date;
}

/** Arbitrary, fixed, not the other locks: the withdrawal reconciler's singleton lock ("rela"). */
export const RELAY_LOCK = 0x72656c61;

const cols = `id, member, recipient, amount, block_number AS "blockNumber", tx_hash AS "txHash",
  status, error, withdrawn_before AS "withdrawnBefore", deadline, created_at AS "createdAt"`;

export const withdrawalsRepo = {
  /** True if this transaction holds the reconciler's lock (released at commit/rollback). */
  async tryLock(tx: Queryable): Promise<boolean> {
    const r = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      RELAY_LOCK,
    ]);
    return r.rows[0]?.ok === true;
  },

  async insert(tx: Queryable, w: Omit<WithdrawalRow, 'error'>) {
    await tx.query(
      `INSERT INTO withdrawals (id, member, recipient, amount, block_number, tx_hash, status,
         withdrawn_before, deadline, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
      [
        w.id,
        w.member,
        w.recipient,
        w.amount,
        w.blockNumber,
        w.txHash,
        w.status,
        w.withdrawnBefore,
        w.deadline,
        w.createdAt,
      ],
    );
  },

  /** Moves an open row to `status`; false when it was no longer open (someone else closed it). */
  async settle(
    tx: Queryable,
    id: string,
    status: WithdrawalStatus,
    reason: FailureReason | null,
    at: Date,
  ): Promise<boolean> {
    const r = await tx.query(
      `UPDATE withdrawals SET status = $2, error = $3, updated_at = $4
       WHERE id = $1 AND status IN ('pending', 'mined')`,
      [id, status, reason, at],
    );
    return r.rowCount === 1;
  },

  async byId(q: Queryable, id: string): Promise<WithdrawalRow | null> {
    const r = await q.query<WithdrawalRow>(`SELECT ${cols} FROM withdrawals WHERE id = $1`, [id]);
    return r.rows[0] ?? null;
  },

  /** The member's newest open withdrawal, if any. */
  async openOf(q: Queryable, member: string): Promise<WithdrawalRow | null> {
    const r = await q.query<WithdrawalRow>(
      `SELECT ${cols} FROM withdrawals WHERE member = $1 AND status IN ('pending', 'mined')
       ORDER BY created_at DESC LIMIT 1`,
      [member],
    );
    return r.rows[0] ?? null;
  },

  /** Every open withdrawal, oldest first, at most `limit`. */
  async open(q: Queryable, limit: number): Promise<WithdrawalRow[]> {
    const r = await q.query<WithdrawalRow>(
      `SELECT ${cols} FROM withdrawals WHERE status IN ('pending', 'mined')
       ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return r.rows;
  },
};
