-- Kordon store, schema 1.

-- Settings of this data folder: device id, post, office flag.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per interdiction: the head of its version history, for lists.
CREATE TABLE records (
  rid            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  origin         TEXT NOT NULL,
  post_code      TEXT NOT NULL,
  number         TEXT NOT NULL,
  version        INTEGER NOT NULL,
  status         TEXT NOT NULL,
  occurred_utc   TEXT NOT NULL,
  occurred_month TEXT NOT NULL,
  -- the post's UTC offset in seconds, to show the time as the post saw it
  occurred_offset INTEGER NOT NULL,
  crossing_point TEXT NOT NULL,
  pieces         INTEGER NOT NULL,
  training       INTEGER NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0,
  saved_utc      TEXT NOT NULL,
  UNIQUE (post_code, number)
);
CREATE INDEX records_occurred ON records (occurred_utc, rid);

-- Every version of every record, as saved. Final versions never change.
CREATE TABLE versions (
  rid       INTEGER NOT NULL REFERENCES records (rid),
  version   INTEGER NOT NULL,
  status    TEXT NOT NULL,
  hash      TEXT NOT NULL,
  saved_utc TEXT NOT NULL,
  actor     TEXT NOT NULL,
  content   BLOB NOT NULL,
  PRIMARY KEY (rid, version)
);

-- The current version's items, for statistics and filters.
CREATE TABLE items (
  rid      INTEGER NOT NULL REFERENCES records (rid),
  idx      INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  category TEXT NOT NULL,
  calibre  TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  PRIMARY KEY (rid, idx)
) WITHOUT ROWID;

-- Serial numbers and plates of the current version, as textkey.Serial keys.
CREATE TABLE serials (
  key TEXT NOT NULL,
  rid INTEGER NOT NULL REFERENCES records (rid)
);
CREATE INDEX serials_key ON serials (key);
CREATE INDEX serials_rid ON serials (rid);

-- Full-text index of the current version (rowid = records.rid), holding
-- search keys made in Go: trigrams find any part of a serial or a name.
CREATE VIRTUAL TABLE search USING fts5 (serials, names, body, tokenize = 'trigram remove_diacritics 1');

-- Photos and other attachments, addressed by the SHA-256 of their bytes.
CREATE TABLE media (
  sha256 TEXT PRIMARY KEY,
  size   INTEGER NOT NULL,
  data   BLOB NOT NULL
);

-- Post-local numbering: the last number given per post and year.
CREATE TABLE counters (
  post_code TEXT NOT NULL,
  year      INTEGER NOT NULL,
  last      INTEGER NOT NULL,
  PRIMARY KEY (post_code, year)
) WITHOUT ROWID;

-- Append-only, hash-chained log of every change.
CREATE TABLE audit (
  seq          INTEGER PRIMARY KEY,
  at_utc       TEXT NOT NULL,
  actor        TEXT NOT NULL,
  action       TEXT NOT NULL,
  record_id    TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  prev         TEXT NOT NULL,
  hash         TEXT NOT NULL
);
CREATE INDEX audit_record ON audit (record_id, version);

CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER versions_final_locked BEFORE UPDATE ON versions WHEN OLD.status = 'final'
BEGIN SELECT RAISE(ABORT, 'a final version never changes'); END;
CREATE TRIGGER versions_kept BEFORE DELETE ON versions
BEGIN SELECT RAISE(ABORT, 'versions are never deleted'); END;
