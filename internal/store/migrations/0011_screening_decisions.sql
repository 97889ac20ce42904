-- Kordon store, schema 11: what an officer or analyst decided of a hit of
-- the sanctions list.

-- A hit is a person or organisation (subject: its name key, with the date
-- of birth where known, idkey) that a listed entry (reference) seems to
-- name. A decision says it is the listed one (confirmed) or not
-- (false_match); the latest decision of a subject and entry counts, and a
-- false match is not raised again for them, in any record. Never changed
-- or taken back; each is also in the audit chain.
CREATE TABLE screening_decisions (
  seq       INTEGER PRIMARY KEY,
  subject   TEXT NOT NULL,
  reference TEXT NOT NULL,
  verdict   TEXT NOT NULL CHECK (verdict IN ('confirmed', 'false_match')),
  note      TEXT NOT NULL DEFAULT '',
  origin    TEXT NOT NULL,
  record_id TEXT NOT NULL,
  path      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  at_utc    TEXT NOT NULL
);
CREATE INDEX screening_decisions_subject ON screening_decisions (subject, reference, seq);
CREATE TRIGGER screening_decisions_append_only_u BEFORE UPDATE ON screening_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are never changed'); END;
CREATE TRIGGER screening_decisions_append_only_d BEFORE DELETE ON screening_decisions
BEGIN SELECT RAISE(ABORT, 'decisions are never taken back'); END;
