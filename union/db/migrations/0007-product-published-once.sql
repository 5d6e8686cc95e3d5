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
