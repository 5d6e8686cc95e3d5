-- Issue 8: the data product. Nothing member-level is stored here: published epochs hold only the
-- aggregate cells (the same values researchers download), and researcher sessions hold the
-- researcher's own address.

-- One row per publication of an epoch; a late report that changes the epoch adds a revision.
CREATE TABLE product_epochs (
  epoch_start bigint NOT NULL,
  epoch_seconds integer NOT NULL,
  revision integer NOT NULL CHECK (revision >= 1),
  -- the PublishedEpoch (cells) as JSON
  epoch text NOT NULL,
  -- how many accepted reports the aggregation saw (to notice late reports); a count, not members
  report_count integer NOT NULL,
  published_at timestamptz NOT NULL,
  PRIMARY KEY (epoch_start, revision)
);

CREATE TABLE product_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE TABLE product_sessions (
  -- sha256 of the bearer token, hex; the token itself is never stored.
  token_hash text PRIMARY KEY,
  address text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX product_sessions_expiry_idx ON product_sessions (expires_at);
