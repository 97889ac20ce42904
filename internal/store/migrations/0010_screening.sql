-- Kordon store, schema 10: the sanctions lists records are screened
-- against.

-- One row a source ('un': the UN Security Council Consolidated List): the
-- file as loaded, byte for byte, with what identifies it. Loading a list
-- replaces the previous one of its source in one transaction; the audit
-- chain keeps each load (action "list", the source, the file's SHA-256).
CREATE TABLE lists (
  source        TEXT PRIMARY KEY,
  generated_utc TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  entries       INTEGER NOT NULL,
  loaded_utc    TEXT NOT NULL,
  actor         TEXT NOT NULL,
  content       BLOB NOT NULL
);
