-- Issue 16 (withdrawals): find the newest usable root without a fixed lookback, and let a
-- background job reconcile relayed withdrawals against the chain.

-- When a committed root becomes usable (unix seconds: the commit block's timestamp plus the
-- DataUnion's freeze period), read from the chain once per root; NULL until then. Commit times
-- increase with the block number, so the newest usable root is the one with the highest
-- usable_at that is not in the future.
ALTER TABLE monoplasma_snapshots ADD COLUMN usable_at bigint;
-- The admin revoked the root on chain (it can never be used): seen by the proof endpoints.
ALTER TABLE monoplasma_snapshots ADD COLUMN revoked boolean NOT NULL DEFAULT false;
CREATE INDEX monoplasma_snapshots_usable_idx ON monoplasma_snapshots (usable_at DESC, block_number DESC)
  WHERE status = 'committed' AND NOT revoked;

-- What the relayed request was bound to, so a job can tell from the chain alone whether the
-- transaction can still pay: the member's `withdrawnBefore` nonce and the request's deadline
-- (uint256, hence text). NULL for withdrawals relayed before this migration.
ALTER TABLE withdrawals ADD COLUMN withdrawn_before text;
ALTER TABLE withdrawals ADD COLUMN deadline text;
CREATE INDEX withdrawals_open_idx ON withdrawals (created_at) WHERE status IN ('pending', 'mined');
