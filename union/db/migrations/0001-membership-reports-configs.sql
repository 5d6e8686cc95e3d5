-- Issue 6: membership, app secrets, admin sessions, signed configs, reports, membership log.
-- Addresses are stored as lowercase 0x-hex text; times as timestamptz.

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (key, value) VALUES ('autoJoin', 'true');

CREATE TABLE app_secrets (
  id text PRIMARY KEY,
  -- sha256 of the whole secret string, hex. The secret has 256 bits of entropy, so a fast hash
  -- is enough: there is nothing to brute-force.
  secret_hash text NOT NULL,
  label text NOT NULL DEFAULT '',
  max_uses integer CHECK (max_uses IS NULL OR max_uses > 0),
  uses integer NOT NULL DEFAULT 0,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE members (
  address text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('pending', 'active', 'left', 'removed', 'rejected')),
  requested_at timestamptz NOT NULL,
  joined_at timestamptz,
  status_changed_at timestamptz NOT NULL,
  last_report_at timestamptz,
  secret_id text REFERENCES app_secrets (id)
);
CREATE INDEX members_status_idx ON members (status, address);

CREATE TABLE admin_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE TABLE admin_sessions (
  -- sha256 of the bearer token, hex; the token itself is never stored.
  token_hash text PRIMARY KEY,
  address text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX admin_sessions_expiry_idx ON admin_sessions (expires_at);

CREATE TABLE configs (
  version integer PRIMARY KEY,
  config_hash text NOT NULL,
  -- the SignedConfig envelope as canonical JSON, exactly what GET /v1/config serves
  signed text NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now()
);

-- No foreign key to configs: every insert would share-lock the same config row (multixact
-- contention under load); the ingest path checks the version exists before it writes.
CREATE TABLE reports (
  member text NOT NULL REFERENCES members (address),
  epoch_start bigint NOT NULL,
  epoch_seconds integer NOT NULL,
  config_version integer NOT NULL,
  -- the report as received, as canonical JSON, with its signature and EIP-712 digest (audit)
  report text NOT NULL,
  signature text NOT NULL,
  digest text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member, epoch_start)
);
CREATE INDEX reports_epoch_idx ON reports (epoch_start);

CREATE TABLE membership_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  type text NOT NULL CHECK (type IN ('join', 'leave', 'remove', 'reject')),
  member text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);

-- One row: the chain's head. Appenders lock it (SELECT … FOR UPDATE), which serialises appends
-- across union instances without gaps in seq.
CREATE TABLE membership_log_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO membership_log_head (id, seq, hash)
VALUES (1, 0, '0x0000000000000000000000000000000000000000000000000000000000000000');
