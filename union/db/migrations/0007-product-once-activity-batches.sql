-- Issue 15: each epoch is published once, after its acceptance window closed, and never revised
-- (two publications of one epoch would differ by the reports that arrived in between). Keep the
-- latest stored revision of each epoch (what researchers were last served) and drop the revision
-- number and the report count that drove re-aggregation.
DELETE FROM product_epochs p
WHERE EXISTS (
  SELECT 1 FROM product_epochs q WHERE q.epoch_start = p.epoch_start AND q.revision > p.revision
);
ALTER TABLE product_epochs DROP CONSTRAINT product_epochs_pkey;
ALTER TABLE product_epochs DROP COLUMN revision;
ALTER TABLE product_epochs DROP COLUMN report_count;
ALTER TABLE product_epochs ADD PRIMARY KEY (epoch_start);

-- Membership activity in batches (issue 15): a report makes its member active from the end of
-- the batch it arrived in (the UTC day by default), not from its own arrival time, so the public
-- accounting log cannot time a report. `last_report_at` keeps the exact time for the admin view.
-- Existing members keep the activity they had.
ALTER TABLE members ADD COLUMN active_from timestamptz;
UPDATE members SET active_from = last_report_at;
