-- Issue 19 (a day at a million members): the union's own validator resumes from the last root it
-- checked instead of replaying the whole accounting log after every commit. One row: that root's
-- block and the checkpoint (replayed accounting state, event-log and membership-log positions, as
-- union/chain/validator-checkpoint.ts describes). Written in the same transaction as
-- validator_status, only after a run that found no mismatch; a missing row means a full check.
CREATE TABLE validator_checkpoint (
  id smallint PRIMARY KEY CHECK (id = 1),
  block_number bigint NOT NULL,
  checkpoint jsonb NOT NULL,
  saved_at timestamptz NOT NULL
);

-- The console overview's report figures without reading the reports (issue 19): accepted reports
-- per epoch, and distinct contributing members per (epoch, category). The report insert
-- (union/repo/reports-repo.ts) adds to them in the same statement, so they never drift from the
-- reports table; a member has at most one report per epoch, so adding per inserted report is
-- exact. Each database connection adds to its own shard row (pg_backend_pid() % 16), so groups
-- committing at once do not queue on one hot row; readers sum the shards.
CREATE TABLE report_epoch_counts (
  epoch_start bigint NOT NULL,
  shard smallint NOT NULL,
  reports bigint NOT NULL,
  PRIMARY KEY (epoch_start, shard)
);
CREATE TABLE report_epoch_contributors (
  epoch_start bigint NOT NULL,
  category integer NOT NULL,
  shard smallint NOT NULL,
  members bigint NOT NULL,
  PRIMARY KEY (epoch_start, category, shard)
);
-- Backfill from the reports already stored (shard 0).
INSERT INTO report_epoch_counts (epoch_start, shard, reports)
  SELECT epoch_start, 0, count(*) FROM reports GROUP BY epoch_start;
INSERT INTO report_epoch_contributors (epoch_start, category, shard, members)
  SELECT r.epoch_start, (c ->> 'category')::int, 0, count(DISTINCT r.member)
  FROM reports r, jsonb_array_elements((r.report::jsonb) -> 'counts') AS c
  GROUP BY 1, 2;
