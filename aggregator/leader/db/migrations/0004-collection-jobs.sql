-- The leader's collection jobs (DAP-09 §4.6) and what it needs to give each batch once.

-- The earliest and latest report time aggregated into each bucket (null while it holds none): a
-- Collection's interval is the smallest time-precision-aligned interval covering them. `collected`:
-- a collection job froze this bucket (its sums are in that job's request and sealed share).
ALTER TABLE batch_aggregations ADD COLUMN min_time bigint;
ALTER TABLE batch_aggregations ADD COLUMN max_time bigint;
ALTER TABLE batch_aggregations ADD COLUMN collected boolean NOT NULL DEFAULT false;

-- One row per collection job the collector created (`PUT`). `pending` until the batch is ready;
-- `sharing` once the leader froze the batch: `share_request` (the AggregateShareReq bytes, sent
-- again byte for byte on every retry, so the helper answers its stored bytes) and
-- `leader_share` (the leader's noisy aggregate share sealed to the collector, drawn once) are
-- written in the same transaction as the buckets are marked collected; `finished` once the
-- helper's share is in and `collection` (the Collection bytes) is stored; `abandoned` with the
-- DAP problem that ended it (nothing released). A driver holds a job until `lease_expiry`.
CREATE TABLE collection_jobs (
  task_id bytea NOT NULL,
  job_id bytea NOT NULL CHECK (length(job_id) = 16),
  batch_start bigint NOT NULL,
  batch_duration bigint NOT NULL CHECK (batch_duration > 0),
  request_hash bytea NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sharing', 'finished', 'abandoned')),
  lease_expiry bigint NOT NULL DEFAULT 0,
  share_request bytea,
  leader_share bytea,
  report_count bigint,
  interval_start bigint,
  interval_duration bigint,
  collection bytea,
  problem text,
  problem_detail text,
  PRIMARY KEY (task_id, job_id),
  CHECK (state NOT IN ('sharing', 'finished') OR (share_request IS NOT NULL AND leader_share IS NOT NULL)),
  CHECK ((state = 'finished') = (collection IS NOT NULL)),
  CHECK ((state = 'abandoned') = (problem IS NOT NULL))
);
CREATE INDEX collection_jobs_by_batch ON collection_jobs (task_id, batch_start);
