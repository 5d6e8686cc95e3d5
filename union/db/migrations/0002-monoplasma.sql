-- Issue 7: Monoplasma revenue sharing — accounting state, revenue transfers seen on chain,
-- the accounting event log, committed snapshots and relayed withdrawals.
-- Amounts are token base units as decimal text (they exceed int8).

-- One row: the accounting state (MonoplasmaAccounting#toJSON) and the chain cursor, always
-- written together in one transaction, so a restart resumes exactly where the state stands.
CREATE TABLE monoplasma_state (
  id smallint PRIMARY KEY CHECK (id = 1),
  -- last block whose token transfers are in `accounting`
  cursor_block bigint NOT NULL,
  accounting jsonb NOT NULL,
  -- bumped on every write; caches key on it
  version bigint NOT NULL DEFAULT 1,
  -- something changed since the last snapshot
  changed boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every event fed to the accounting, in order (replayable: MonoplasmaAccounting.replay).
CREATE TABLE monoplasma_events (
  seq bigserial PRIMARY KEY,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Token transfers into the DataUnion: each (tx_hash, log_index) is processed exactly once.
CREATE TABLE revenue_transfers (
  tx_hash text NOT NULL,
  log_index integer NOT NULL,
  block_number bigint NOT NULL,
  sender text NOT NULL,
  amount text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tx_hash, log_index)
);

-- Committed (or being committed) states: what GET /v1/state/:block publishes.
CREATE TABLE monoplasma_snapshots (
  block_number bigint PRIMARY KEY,
  root text NOT NULL,
  -- { address: total } for every leaf of the tree (admin fees merged into the admin's leaf)
  totals jsonb NOT NULL,
  admin_address text NOT NULL,
  admin_total text NOT NULL,
  total_revenue text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'committed', 'failed')),
  tx_hash text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Gasless withdrawals relayed with withdrawAllToSigned.
CREATE TABLE withdrawals (
  id text PRIMARY KEY,
  member text NOT NULL,
  recipient text NOT NULL,
  amount text NOT NULL,
  block_number bigint NOT NULL,
  tx_hash text,
  status text NOT NULL CHECK (status IN ('pending', 'mined', 'confirmed', 'failed')),
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX withdrawals_member_idx ON withdrawals (member, created_at);
