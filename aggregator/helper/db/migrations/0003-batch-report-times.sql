-- The earliest and latest report time aggregated into each bucket (null while it holds none), as
-- the leader keeps them: a Collection's interval is the smallest time-precision-aligned interval
-- covering the batch's report timestamps (DAP-09 §4.6.6), and both aggregators record the same.
ALTER TABLE batch_aggregations ADD COLUMN min_time bigint;
ALTER TABLE batch_aggregations ADD COLUMN max_time bigint;
