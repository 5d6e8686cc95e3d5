-- Issue 17: the union as the DAP collector and payer. Nothing member-level about browsing is
-- stored: a collection row holds the state of one epoch's collection job at the leader, a
-- contribution row says only that a member's report for an epoch passed preparation on both
-- aggregators (what pays, as a stored plain report did before).

-- One collection job per epoch whose config in force has an aggregation block. The job id is
-- derived from the task and the epoch (and stored here before the leader is asked), so a crash at
-- any point asks the leader about the same job again and never opens a second one.
CREATE TABLE dap_collections (
  epoch_start bigint PRIMARY KEY,
  epoch_seconds integer NOT NULL,
  -- base64url, as in the signed config and the leader's URLs
  task_id text NOT NULL,
  job_id text NOT NULL UNIQUE,
  -- polling: asked, not answered for good yet; published: the product row is stored;
  -- refused: the leader ended the job with a DAP problem (problem says which)
  state text NOT NULL CHECK (state IN ('polling', 'published', 'refused')),
  problem text,
  attempts integer NOT NULL DEFAULT 0,
  next_poll_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX dap_collections_due_idx ON dap_collections (next_poll_at) WHERE state = 'polling';

-- Contributions read from the leader (GET /internal/tasks/{task}/contributions): one row per
-- (member, epoch), whatever the retries, so a member's activity is recorded once.
CREATE TABLE dap_contributions (
  member text NOT NULL,
  epoch_start bigint NOT NULL,
  task_id text NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (member, epoch_start)
);

-- Per task: every epoch starting before `done_before` is collected, so its contributions are
-- final (a collected batch takes no more reports) and were read.
CREATE TABLE dap_contribution_cursors (
  task_id text PRIMARY KEY,
  done_before bigint NOT NULL
);
