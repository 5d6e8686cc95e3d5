-- Bounded aggregation jobs and reports dropped before any job (docs/private-aggregation.md).

-- How many times a driver has claimed the job (1 when created, +1 per retry after a lease), the
-- last error a driver met with it, and a third end state: `abandoned` (the helper refused it for
-- good, or it failed too often) — its reports are `failed` and never counted.
ALTER TABLE aggregation_jobs ADD COLUMN attempts integer NOT NULL DEFAULT 1 CHECK (attempts >= 1);
ALTER TABLE aggregation_jobs ADD COLUMN last_error text;
ALTER TABLE aggregation_jobs DROP CONSTRAINT aggregation_jobs_state_check;
ALTER TABLE aggregation_jobs ADD CONSTRAINT aggregation_jobs_state_check
  CHECK (state IN ('in_progress', 'finished', 'abandoned'));

-- A report the leader drops before claiming it (too old: `report_dropped`) is recorded failed
-- without a job, so no job takes it later and it is counted nowhere.
ALTER TABLE report_aggregations ALTER COLUMN job_id DROP NOT NULL;
ALTER TABLE report_aggregations ALTER COLUMN ord DROP NOT NULL;
ALTER TABLE report_aggregations ADD CONSTRAINT report_aggregations_job_unless_dropped
  CHECK ((job_id IS NULL) = (ord IS NULL) AND (job_id IS NOT NULL OR state = 'failed'));
