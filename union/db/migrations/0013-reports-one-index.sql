-- The reports table keeps one index: its primary key, now (epoch_start, member) (issue 19).
--
-- The foreign key to members fired a referential-integrity check per inserted report (a lookup of
-- the member's key and a KEY SHARE lock on its row) although the insert already joins the active
-- member in the same statement (union/repo/reports-repo.ts), and no code deletes a member row
-- (leaving and removal change its status). With the key led by the epoch, inserts of the current
-- epoch land in one region of one index instead of at random places of two, and the epoch scans
-- (publication, per-epoch product rows, retention) read a range of the key; `reports_epoch_idx`
-- is no longer needed. `ON CONFLICT (member, epoch_start)` infers the key by its column set.
-- Measured with `npm run bench:ingest` (batch mode, same machine, alternating): PostgreSQL CPU per
-- report 24–25 µs → 17–18 µs, accepted reports ÷ the native recovery rate 0.73–0.76 → 0.86–0.90.
-- On a large table the new key is built once while the migration holds the table (≈ seconds per
-- million reports; docs/operations.md §2).
ALTER TABLE reports DROP CONSTRAINT reports_member_fkey;
ALTER TABLE reports DROP CONSTRAINT reports_pkey, ADD PRIMARY KEY (epoch_start, member);
DROP INDEX reports_epoch_idx;
