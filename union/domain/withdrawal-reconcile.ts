/**
 * What a relayed withdrawal's row should say, decided from the chain alone (issue 16, item 2).
 * A row the relay wrote as `pending` must never block its member for ever: it ends when
 *
 * - the transaction has a receipt: `mined`, `confirmed`, or `failed` (`reverted`);
 * - the member's on-chain `withdrawn` moved past the request's `withdrawnBefore`: the request's
 *   nonce is spent (the member withdrew another way, or someone else relayed the same signature),
 *   so this transaction can only revert: `failed` (`superseded`);
 * - the chain's clock passed the request's deadline: mined now it would revert: `failed`
 *   (`expired`);
 * - the node no longer knows the transaction (dropped from its mempool) and it was sent at least
 *   `droppedAfterSeconds` ago: `failed` (`dropped`). The relay does not re-send it: the member
 *   simply asks again, with a fresh signature.
 *
 * None of these can lead to a double payment: the contract pays a signed request only while
 * `withdrawn(member) == withdrawnBefore` and then raises `withdrawn`, so of every transaction
 * carrying the same request (the dropped one, should another node still mine it, and the
 * member's next one) at most one pays.
 */
export type WithdrawalStatus = 'pending' | 'mined' | 'confirmed' | 'failed';
export type FailureReason = 'reverted' | 'superseded' | 'expired' | 'dropped';

export interface TrackedWithdrawal {
  status: WithdrawalStatus;
  /** The request's nonce (null for rows written before it was recorded). */
  withdrawnBefore: bigint | null;
  /** The request's deadline, unix seconds (null as above). */
  deadline: bigint | null;
  /** When the relay sent it, ms (the union's clock). */
  sentAtMs: number;
}

export interface WithdrawalFacts {
  /** From the transaction's receipt; `pending` when there is none. */
  receipt: 'pending' | 'mined' | 'confirmed' | 'failed';
  /** The node still has the transaction (in its mempool or mined). */
  known: boolean;
  /** `withdrawn(member)` now. */
  withdrawn: bigint;
  /** The head block's timestamp, unix seconds. */
  chainTime: number;
}

export interface Reconciled {
  status: WithdrawalStatus;
  reason: FailureReason | null;
}

export function isOpen(status: WithdrawalStatus): boolean {
  return status === 'pending' || status === 'mined';
}

/** The row's status now (unchanged for a closed row). */
export function reconcileWithdrawal(
  row: TrackedWithdrawal,
  facts: WithdrawalFacts,
  nowMs: number,
  droppedAfterSeconds: number,
): Reconciled {
  if (!isOpen(row.status)) return { status: row.status, reason: null };
  if (facts.receipt !== 'pending') {
    return { status: facts.receipt, reason: facts.receipt === 'failed' ? 'reverted' : null };
  }
  if (row.withdrawnBefore !== null && facts.withdrawn !== row.withdrawnBefore) {
    return { status: 'failed', reason: 'superseded' };
  }
  if (row.deadline !== null && BigInt(facts.chainTime) > row.deadline) {
    return { status: 'failed', reason: 'expired' };
  }
  if (!facts.known && nowMs - row.sentAtMs >= droppedAfterSeconds * 1000) {
    return { status: 'failed', reason: 'dropped' };
  }
  // A receipt that vanished (a reorg) puts a `mined` row back to pending.
  return { status: 'pending', reason: null };
}
