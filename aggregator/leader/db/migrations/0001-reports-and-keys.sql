-- The DAP leader's own database: nothing here is the union's, and the helper never sees it.

-- The leader's HPKE keypairs (clients seal the leader's input share to them). Newest first by
-- created_at; the private key stays in this database, next to the reports it opens.
CREATE TABLE hpke_keypairs (
  config_id integer PRIMARY KEY CHECK (config_id BETWEEN 0 AND 255),
  config bytea NOT NULL,
  private_key bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Uploaded reports, exactly as the client sent them (the DAP `Report` encoding: metadata, public
-- share, the leader's and the helper's sealed input shares). The leader's share stays sealed at
-- rest and is opened in an aggregation job. One report per report id and task.
CREATE TABLE reports (
  task_id bytea NOT NULL,
  report_id bytea NOT NULL CHECK (length(report_id) = 16),
  time bigint NOT NULL,
  report bytea NOT NULL,
  PRIMARY KEY (task_id, report_id)
);
CREATE INDEX reports_by_time ON reports (task_id, time);
