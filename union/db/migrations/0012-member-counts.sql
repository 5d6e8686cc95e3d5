-- Issue 19 (a day at a million members): the console overview's member figures without scanning
-- `members`. One row per (status, active_from, shard) holds how many members are in that status
-- with that activity start (union/domain/activity-batch.ts: batch ends, so few distinct values);
-- `-infinity` stands for a member who never reported (active_from NULL, never in any window).
-- Kept by statement triggers on `members` with transition tables, so every writer — a join, an
-- admin action, the report insert's activity stamp, a bulk load — updates the counts in its own
-- statement and transaction, and no code path can forget to: the counts are exact whatever
-- commits concurrently (each change adds a signed delta; nothing is read-modify-written in the
-- application). Each connection adds to its own shard (pg_backend_pid() % 16, as the report
-- summaries of 0009 do), so instances committing at once do not queue on one hot row; readers sum.
CREATE TABLE member_counts (
  status text NOT NULL,
  active_from timestamptz NOT NULL,
  shard smallint NOT NULL,
  members bigint NOT NULL,
  PRIMARY KEY (status, active_from, shard)
);

-- Adds the statement's net change per (status, active_from): +1 for each row in `new_rows`, −1
-- for each in `old_rows` (an UPDATE that leaves both unchanged, as the ten-minute last-report
-- stamp does, nets to nothing and writes nothing). Ordered, so two statements lock counter rows
-- in the same order.
CREATE FUNCTION member_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO member_counts AS t (status, active_from, shard, members)
    SELECT status, coalesce(active_from, '-infinity'), pg_backend_pid() % 16, count(*)
    FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (status, active_from, shard) DO UPDATE SET members = t.members + EXCLUDED.members;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO member_counts AS t (status, active_from, shard, members)
    SELECT status, coalesce(active_from, '-infinity'), pg_backend_pid() % 16, -count(*)
    FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (status, active_from, shard) DO UPDATE SET members = t.members + EXCLUDED.members;
  ELSE
    INSERT INTO member_counts AS t (status, active_from, shard, members)
    SELECT status, af, pg_backend_pid() % 16, sum(d)
    FROM (
      SELECT status, coalesce(active_from, '-infinity') AS af, 1 AS d FROM new_rows
      UNION ALL
      SELECT status, coalesce(active_from, '-infinity'), -1 FROM old_rows
    ) AS change
    GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
    ON CONFLICT (status, active_from, shard) DO UPDATE SET members = t.members + EXCLUDED.members;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER members_counted_on_insert AFTER INSERT ON members
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION member_counts_add();
CREATE TRIGGER members_counted_on_update AFTER UPDATE ON members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION member_counts_add();
CREATE TRIGGER members_counted_on_delete AFTER DELETE ON members
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION member_counts_add();

CREATE FUNCTION member_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM member_counts;
  RETURN NULL;
END
$$;
CREATE TRIGGER members_counted_on_truncate AFTER TRUNCATE ON members
  FOR EACH STATEMENT EXECUTE FUNCTION member_counts_clear();

-- Backfill from the members stored before it (shard 0), in this migration's transaction.
INSERT INTO member_counts (status, active_from, shard, members)
  SELECT status, coalesce(active_from, '-infinity'), 0, count(*) FROM members GROUP BY 1, 2;
