-- Which uploads no aggregation job has taken yet (docs/private-aggregation.md, "Leader aggregation
-- jobs: claim, ask, commit once"; docs/decisions.md D-048).
-- `aggregation_started` is true exactly when the report has a `report_aggregations` row (taken
-- by a job, or recorded failed without one); the statements that add or remove such a row set
-- it in the same statement. The claim reads the unstarted reports through the partial index in
-- (time, report id) order and stops at the job's size, so taking a job costs that job's reports,
-- not every report the leader holds — before, an anti-join of all of the task's reports against
-- report_aggregations did (on PGlite, whose tables are never analysed, as a nested loop: quadratic
-- in the reports held). Janus keeps the same flag (`client_reports.aggregation_started`).
ALTER TABLE reports ADD COLUMN aggregation_started boolean NOT NULL DEFAULT false;
UPDATE reports r SET aggregation_started = true
WHERE EXISTS (
  SELECT 1 FROM report_aggregations ra WHERE ra.task_id = r.task_id AND ra.report_id = r.report_id
);
CREATE INDEX reports_unaggregated ON reports (task_id, time, report_id)
  WHERE NOT aggregation_started;
