-- Kordon store, schema 8: an office's own remarks on the records it
-- received.

-- A post's record is the post's: the office reads and prints it and never
-- changes it. What the office has to say about it is kept beside it, by
-- the record's device and id, in the office's own words, and never
-- changed or taken back.
CREATE TABLE remarks (
  seq       INTEGER PRIMARY KEY,
  origin    TEXT NOT NULL,
  record_id TEXT NOT NULL,
  text      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  at_utc    TEXT NOT NULL
);
CREATE INDEX remarks_record ON remarks (origin, record_id, seq);
CREATE TRIGGER remarks_append_only_u BEFORE UPDATE ON remarks
BEGIN SELECT RAISE(ABORT, 'remarks are never changed'); END;
CREATE TRIGGER remarks_append_only_d BEFORE DELETE ON remarks
BEGIN SELECT RAISE(ABORT, 'remarks are never taken back'); END;
