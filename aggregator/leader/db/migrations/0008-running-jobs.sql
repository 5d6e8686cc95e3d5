-- The aggregation jobs still running (docs/private-aggregation.md; docs/decisions.md D-048).
-- A partial index of the `in_progress` jobs: a retry finds the job whose lease passed first, and
-- a collection's count of unaggregated reports finds the reports running jobs hold, both by
-- reading the few running jobs instead of every job the leader has made (a job per 100 reports
-- by default: ten thousand a day at a million uploads, until retention deletes them).
CREATE INDEX aggregation_jobs_running ON aggregation_jobs (task_id, lease_expiry, job_id)
  WHERE state = 'in_progress';
