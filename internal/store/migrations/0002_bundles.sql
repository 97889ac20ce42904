-- Kordon store, schema 2: export bundles at the post, imports at the office.

-- Bundles this device wrote, by sequence number.
CREATE TABLE bundles_out (
  seq              INTEGER PRIMARY KEY,
  bundle_id        TEXT NOT NULL UNIQUE,
  manifest_hash    TEXT NOT NULL,
  created_utc      TEXT NOT NULL,
  file             TEXT NOT NULL,
  versions         INTEGER NOT NULL,
  media            INTEGER NOT NULL,
  audit_to         INTEGER NOT NULL,
  acknowledged_utc TEXT
);

-- Which bundle carried each final version and each attachment.
CREATE TABLE exported (
  rid        INTEGER NOT NULL,
  version    INTEGER NOT NULL,
  bundle_seq INTEGER NOT NULL,
  PRIMARY KEY (rid, version)
) WITHOUT ROWID;
CREATE TABLE exported_media (
  sha256     TEXT PRIMARY KEY,
  bundle_seq INTEGER NOT NULL
) WITHOUT ROWID;

-- Signing keys the office trusts, one per post device.
CREATE TABLE trusted_keys (
  key_id      TEXT PRIMARY KEY,
  public_key  TEXT NOT NULL,
  post_code   TEXT NOT NULL,
  name        TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  trusted_utc TEXT NOT NULL,
  revoked_utc TEXT
) WITHOUT ROWID;

-- Bundles the office imported, per signing key and sequence number.
CREATE TABLE bundles_in (
  key_id          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  bundle_id       TEXT NOT NULL,
  manifest_hash   TEXT NOT NULL,
  post_code       TEXT NOT NULL,
  device_id       TEXT NOT NULL,
  imported_utc    TEXT NOT NULL,
  versions_new    INTEGER NOT NULL,
  versions_known  INTEGER NOT NULL,
  -- the sequence numbers missing before this one, e.g. "3-4"; '' if none
  gap             TEXT NOT NULL,
  PRIMARY KEY (key_id, seq)
) WITHOUT ROWID;

-- The audit entries of other devices, as their bundles carried them.
CREATE TABLE remote_audit (
  origin TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  entry  TEXT NOT NULL,
  PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
