-- The leader's aggregation jobs (DAP-09 §4.5): which uploaded reports went to the helper in which
-- job, how each ended, and the leader's running aggregate share per time-precision bucket.

-- One row per job the leader created. `in_progress` until its outcome is committed (in the same
-- transaction as the batch sums); a driver holds it until `lease_expiry` (seconds, the driver's
-- clock), after which another driver may resend the same request — the helper answers a retried
-- job with the same bytes.
CREATE TABLE aggregation_jobs (
  task_id bytea NOT NULL,
  job_id bytea NOT NULL CHECK (length(job_id) = 16),
  state text NOT NULL CHECK (state IN ('in_progress', 'finished')),
  lease_expiry bigint NOT NULL,
  PRIMARY KEY (task_id, job_id)
);

-- Each report taken by a job, in request order. The primary key (task, report id) is what makes a
-- report go to one job only, whatever two drivers race for.
CREATE TABLE report_aggregations (
  task_id bytea NOT NULL,
  report_id bytea NOT NULL,
  job_id bytea NOT NULL,
  ord integer NOT NULL,
  state text NOT NULL CHECK (state IN ('started', 'finished', 'failed')),
  error text CHECK ((state = 'failed') = (error IS NOT NULL)),
  PRIMARY KEY (task_id, report_id),
  FOREIGN KEY (task_id, report_id) REFERENCES reports (task_id, report_id),
  FOREIGN KEY (task_id, job_id) REFERENCES aggregation_jobs (task_id, job_id)
);
CREATE INDEX report_aggregations_by_job ON report_aggregations (task_id, job_id, ord);

-- Per task and time-precision bucket: the leader's aggregate share (Prio3 encoding), the report
-- count and the report-id checksum (XOR of SHA-256 of each id), as the helper keeps its own.
CREATE TABLE batch_aggregations (
  task_id bytea NOT NULL,
  batch_start bigint NOT NULL,
  aggregate_share bytea NOT NULL,
  report_count bigint NOT NULL,
  checksum bytea NOT NULL CHECK (length(checksum) = 32),
  PRIMARY KEY (task_id, batch_start)
);
