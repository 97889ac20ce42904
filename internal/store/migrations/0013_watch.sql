-- Kordon store, schema 13: the office's own watch list.

-- What an office wants its posts to stop and report: a serial, a
-- document, a plate, a phone, a person or an organisation (kind), as typed
-- (value) and as its key (idkey), why, and until when ('' for no end). An
-- entry is removed by marking it, never erased; each change is in the
-- audit chain. At a post the table holds the office's list as its last
-- list file carried it.
CREATE TABLE watch (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('serial', 'document', 'plate', 'phone', 'person', 'organisation')),
  value       TEXT NOT NULL,
  key         TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  until       TEXT NOT NULL DEFAULT '',
  added_by    TEXT NOT NULL,
  added_utc   TEXT NOT NULL,
  removed_utc TEXT
);
CREATE INDEX watch_key ON watch (kind, key);
