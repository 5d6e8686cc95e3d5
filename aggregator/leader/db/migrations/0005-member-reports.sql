-- Tasks that require member signatures: who signed each uploaded report and for which epoch,
-- written in the upload's transaction with the report row. The primary key is the leader's
-- one-report-per-member-per-epoch rule (a second upload is refused, `reportRejected`); joined with
-- report_aggregations it lists the members whose report both aggregators finished (payouts).
CREATE TABLE member_reports (
  task_id bytea NOT NULL,
  member text NOT NULL CHECK (member ~ '^0x[0-9a-f]{40}$'),
  epoch bigint NOT NULL,
  report_id bytea NOT NULL,
  PRIMARY KEY (task_id, member, epoch),
  UNIQUE (task_id, report_id),
  FOREIGN KEY (task_id, report_id) REFERENCES reports (task_id, report_id)
);
