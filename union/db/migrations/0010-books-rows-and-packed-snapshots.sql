-- Issue 19 (a day at a million members, D-044): the books are stored incrementally, and a
-- snapshot's totals are stored packed, so a revenue event and a commit no longer rewrite one JSON
-- value with every member in it (linear in members, and beyond jsonb's 255 MB near 2 M members).

-- One row per member of the books, in order of first join (`position`, 0-based), as
-- MonoplasmaAccounting's state holds them ([address, status, joinedAt, active, matured, settled,
-- entry]; amounts as decimal text). The watcher writes only the members a tick touched, in the
-- transaction that writes monoplasma_state (header and cursor): the two never disagree.
CREATE TABLE monoplasma_members (
  address text PRIMARY KEY,
  position integer NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('member', 'left', 'removed')),
  joined_at bigint NOT NULL,
  active boolean NOT NULL,
  matured boolean NOT NULL,
  settled text NOT NULL,
  entry text NOT NULL,
  -- monoplasma_state.version of the save that last wrote the row: an instance holding the books
  -- at an older version reads only the rows written since (union/jobs/books-cache.ts)
  version bigint NOT NULL DEFAULT 0
);
CREATE INDEX monoplasma_members_version_idx ON monoplasma_members (version);

-- The members of books saved before this migration become rows; `accounting` keeps the rest
-- (the header: clock, totals, accumulator, fee, carried remainder, revenue and fee-change ids).
INSERT INTO monoplasma_members (address, position, status, joined_at, active, matured, settled, entry)
  SELECT m ->> 0, (n - 1)::int, m ->> 1, (m ->> 2)::bigint, (m ->> 3)::boolean,
    (m ->> 4)::boolean, m ->> 5, m ->> 6
  FROM monoplasma_state s,
    jsonb_array_elements(s.accounting -> 'members') WITH ORDINALITY AS x(m, n)
  WHERE s.id = 1;
UPDATE monoplasma_state SET accounting = accounting - 'members';

-- A snapshot's leaves, packed as the Merkle tree hashes them (union/monoplasma/snapshot-pages.ts):
-- per page, `count` 20-byte addresses, then as many 32-byte big-endian totals, in leaf order.
-- Pages of at most 131,072 leaves (≈ 6.8 MB each). Snapshots stored before this migration keep
-- their `totals` JSON (readers use it when a snapshot has no pages); new ones store NULL there.
CREATE TABLE monoplasma_snapshot_pages (
  block_number bigint NOT NULL REFERENCES monoplasma_snapshots (block_number) ON DELETE CASCADE,
  page integer NOT NULL,
  count integer NOT NULL CHECK (count > 0),
  leaves bytea NOT NULL,
  PRIMARY KEY (block_number, page)
);
-- Addresses and totals do not compress enough to be worth the time (totals are mostly zero
-- bytes, but the commit is on the critical path): stored out of line, uncompressed.
ALTER TABLE monoplasma_snapshot_pages ALTER COLUMN leaves SET STORAGE EXTERNAL;
ALTER TABLE monoplasma_snapshots ALTER COLUMN totals DROP NOT NULL;
