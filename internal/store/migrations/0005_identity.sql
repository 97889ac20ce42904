-- kordon: rebuild
-- Kordon store, schema 5: a record is known by the device that made it and
-- its id, so that no device can claim, block or shadow another's records.

-- Records were unique by id alone, and by post and number: a post that
-- reused another's record id (printed on every protocol) or number, and
-- reached the office first, made the genuine post's bundle be refused.
CREATE TABLE records_new (
  rid            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL,
  origin         TEXT NOT NULL,
  post_code      TEXT NOT NULL,
  number         TEXT NOT NULL,
  version        INTEGER NOT NULL,
  status         TEXT NOT NULL,
  occurred_utc   TEXT NOT NULL,
  occurred_month TEXT NOT NULL,
  occurred_offset INTEGER NOT NULL,
  crossing_point TEXT NOT NULL,
  pieces         INTEGER NOT NULL,
  training       INTEGER NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0,
  saved_utc      TEXT NOT NULL,
  -- (id, origin) serves lookups by id alone too, and (number, origin) by
  -- number alone.
  UNIQUE (id, origin),
  UNIQUE (number, origin)
);
INSERT INTO records_new (rid, id, origin, post_code, number, version, status, occurred_utc, occurred_month, occurred_offset, crossing_point, pieces, training, deleted, saved_utc)
  SELECT rid, id, origin, post_code, number, version, status, occurred_utc, occurred_month, occurred_offset, crossing_point, pieces, training, deleted, saved_utc FROM records;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE INDEX records_occurred ON records (occurred_utc, rid);

-- The device a trusted key signs for, fixed by its first bundle: a key
-- speaks for one device, and a device for one key at a time.
ALTER TABLE trusted_keys ADD COLUMN device_id TEXT;

-- Records taken in from JSON, by the SHA-256 of the input they came from,
-- so that running the same intake again after a crash adds nothing twice.
CREATE TABLE intake (
  source    TEXT PRIMARY KEY,
  origin    TEXT NOT NULL,
  record_id TEXT NOT NULL,
  added_utc TEXT NOT NULL
) WITHOUT ROWID;
