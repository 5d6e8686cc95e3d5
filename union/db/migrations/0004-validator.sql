-- Issue 7 (replay and self-check): the accounting input log becomes public
-- (GET /v1/accounting/events), each snapshot records how much of it it includes, and the union
-- keeps the result of its own validator run (GET /v1/validator/status).

-- The chain block an event belongs to: a revenue event's transfer block; for any other event,
-- the watcher's cursor when it was applied (every revenue up to that block came before it).
ALTER TABLE monoplasma_events ADD COLUMN block_number bigint;
UPDATE monoplasma_events e SET block_number = t.block_number
  FROM revenue_transfers t
  WHERE e.event ->> 'type' = 'revenue-received'
    AND e.event ->> 'id' = t.tx_hash || ':' || t.log_index;

-- The last event seq a snapshot includes. For older snapshots: every event written before the
-- snapshot's transaction began (the watcher writes its events and the state in one transaction
-- under the singleton lock, so no event can be half-way in between).
ALTER TABLE monoplasma_snapshots ADD COLUMN event_seq bigint;
UPDATE monoplasma_snapshots s SET event_seq = coalesce(
  (SELECT max(seq) FROM monoplasma_events e WHERE e.created_at <= s.created_at), 0);

-- One row: the union's latest run of its own validator over its published data.
CREATE TABLE validator_status (
  id smallint PRIMARY KEY CHECK (id = 1),
  block_number bigint NOT NULL,
  root text NOT NULL,
  ok boolean NOT NULL,
  problem text,
  commits_checked integer NOT NULL,
  checked_at timestamptz NOT NULL
);
