-- Kordon store, schema 12: the alerts a form raised.

-- A person or organisation of a record (path) that a sanctions list names
-- (reference), as the record was saved: kept once for each, never changed
-- or taken back, and in the audit chain ("alert").
CREATE TABLE alerts (
  seq       INTEGER PRIMARY KEY,
  origin    TEXT NOT NULL,
  record_id TEXT NOT NULL,
  path      TEXT NOT NULL,
  reference TEXT NOT NULL,
  who       TEXT NOT NULL,
  score     TEXT NOT NULL,
  actor     TEXT NOT NULL,
  at_utc    TEXT NOT NULL,
  UNIQUE (origin, record_id, path, reference)
);
CREATE TRIGGER alerts_append_only_u BEFORE UPDATE ON alerts
BEGIN SELECT RAISE(ABORT, 'alerts are never changed'); END;
CREATE TRIGGER alerts_append_only_d BEFORE DELETE ON alerts
BEGIN SELECT RAISE(ABORT, 'alerts are never taken back'); END;
