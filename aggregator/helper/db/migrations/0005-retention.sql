-- Retention (issue 19): the helper deletes what it keeps per report of a collected batch
-- (aggregator/helper/retention.ts) — found by report time and by epoch, hence these indexes.
CREATE INDEX report_aggregations_by_time ON report_aggregations (task_id, time);
CREATE INDEX member_epochs_by_epoch ON member_epochs (task_id, epoch);
