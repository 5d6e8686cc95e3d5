-- Each batch's aggregate share is given once (max batch query count 1): the answer to an
-- AggregateShareReq is stored per batch interval, so the same request gets the same bytes (which
-- matters once noise is added), and the buckets it covered are marked collected — a later job
-- adding a report to them gets `batch_collected`, and another interval overlapping them is
-- refused.
ALTER TABLE batch_aggregations ADD COLUMN collected boolean NOT NULL DEFAULT false;

CREATE TABLE aggregate_share_jobs (
  task_id bytea NOT NULL,
  batch_start bigint NOT NULL,
  batch_duration bigint NOT NULL,
  request_hash bytea NOT NULL,
  response bytea NOT NULL,
  PRIMARY KEY (task_id, batch_start, batch_duration)
);
