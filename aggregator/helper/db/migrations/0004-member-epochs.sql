-- One report per member per epoch (tasks that require member signatures): the helper's own record,
-- so the limit holds even if the leader sends a member's second report. Written in the transaction
-- that records the job's outcomes; the primary key decides which report of a member and epoch
-- counts (the first committed), any later one is answered `report_replayed` and adds nothing.
CREATE TABLE member_epochs (
  task_id bytea NOT NULL,
  member text NOT NULL CHECK (member ~ '^0x[0-9a-f]{40}$'),
  epoch bigint NOT NULL,
  report_id bytea NOT NULL CHECK (length(report_id) = 16),
  PRIMARY KEY (task_id, member, epoch)
);
