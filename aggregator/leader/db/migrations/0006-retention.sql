-- Retention (issue 19): uploads and aggregation state of collected batches are deleted once the
-- report time is past the expiry age (aggregator/leader/retention.ts). A finished contribution
-- is kept until the union has read it: the union asks for contributions `from` its cursor, and
-- its cursor moves only after it recorded every contribution of the epochs before it — so a read
-- `from` X says the contributions of epochs before X are recorded. The highest such X per task.
CREATE TABLE contributions_read (
  task_id bytea PRIMARY KEY,
  read_before bigint NOT NULL
);
