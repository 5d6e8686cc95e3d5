-- The DAP helper's own database: run by another organisation, shared with neither the union nor
-- the leader.

-- The helper's HPKE keypairs (clients seal the helper's input share to them).
CREATE TABLE hpke_keypairs (
  config_id integer PRIMARY KEY CHECK (config_id BETWEEN 0 AND 255),
  config bytea NOT NULL,
  private_key bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per aggregation job the leader created. `request_hash` (SHA-256 of the
-- AggregationJobInitReq bytes) tells a retry of the same job (answered with the stored `response`)
-- from a different request reusing the job id (refused).
CREATE TABLE aggregation_jobs (
  task_id bytea NOT NULL,
  job_id bytea NOT NULL CHECK (length(job_id) = 16),
  request_hash bytea NOT NULL,
  response bytea,
  PRIMARY KEY (task_id, job_id)
);

-- Each report of a job and where its preparation ended (Prio3 prepares in one round, so a report
-- is `finished` with its output share added to its batch, or `failed` with the DAP PrepareError).
CREATE TABLE report_aggregations (
  task_id bytea NOT NULL,
  job_id bytea NOT NULL,
  ord integer NOT NULL,
  report_id bytea NOT NULL,
  time bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('finished', 'failed')),
  error text CHECK ((state = 'failed') = (error IS NOT NULL)),
  PRIMARY KEY (task_id, job_id, ord),
  FOREIGN KEY (task_id, job_id) REFERENCES aggregation_jobs (task_id, job_id)
);

-- Every report id whose output share the helper aggregated: a second job naming it gets
-- `report_replayed` and adds nothing.
CREATE TABLE reports_seen (
  task_id bytea NOT NULL,
  report_id bytea NOT NULL,
  PRIMARY KEY (task_id, report_id)
);

-- Per task and time-precision bucket: the running aggregate share (Prio3 encoding), the report
-- count and the report-id checksum (XOR of SHA-256 of each id).
CREATE TABLE batch_aggregations (
  task_id bytea NOT NULL,
  batch_start bigint NOT NULL,
  aggregate_share bytea NOT NULL,
  report_count bigint NOT NULL,
  checksum bytea NOT NULL CHECK (length(checksum) = 32),
  PRIMARY KEY (task_id, batch_start)
);
