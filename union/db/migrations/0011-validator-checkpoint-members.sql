-- Issue 19 (a day at a million members): the own validator's checkpoint is written
-- incrementally. Its replayed members leave the checkpoint's JSON for rows, in order of first join
-- (`position`, 0-based), as MonoplasmaAccounting's state holds them ([address, status, joinedAt,
-- active, matured, settled, entry]; amounts as decimal text); the header (checked root, log
-- positions, the rest of the replayed books) stays in validator_checkpoint.checkpoint, now version
-- 2. A check after a commit writes the header and only the members its replay changed, in one
-- transaction (union/repo/validator-checkpoint-repo.ts).
CREATE TABLE validator_checkpoint_members (
  address text PRIMARY KEY,
  position integer NOT NULL UNIQUE CHECK (position >= 0),
  status text NOT NULL CHECK (status IN ('member', 'left', 'removed')),
  joined_at bigint NOT NULL,
  active boolean NOT NULL,
  matured boolean NOT NULL,
  settled text NOT NULL,
  entry text NOT NULL
);

-- A version-1 checkpoint (members inside its JSON) becomes a version-2 header and rows, so the
-- check after the upgrade still resumes instead of replaying the whole log.
INSERT INTO validator_checkpoint_members
    (address, position, status, joined_at, active, matured, settled, entry)
  SELECT m ->> 0, (n - 1)::int, m ->> 1, (m ->> 2)::bigint, (m ->> 3)::boolean,
    (m ->> 4)::boolean, m ->> 5, m ->> 6
  FROM validator_checkpoint c,
    jsonb_array_elements(c.checkpoint -> 'accounting' -> 'members') WITH ORDINALITY AS x(m, n)
  WHERE c.checkpoint ->> 'version' = '1';
UPDATE validator_checkpoint
  SET checkpoint = jsonb_set(checkpoint #- '{accounting,members}', '{version}', '2')
  WHERE checkpoint ->> 'version' = '1';
