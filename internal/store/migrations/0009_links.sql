-- Kordon store, schema 9: the identifiers records carry, and the
-- analyst's judgement of the links they make.

-- One row per identifier per record, of the record's current version
-- (idkey.Of): weapon serials, documents, people, plates, phones… keyed so
-- that the same thing written at two posts meets. Rebuilt with the items
-- and the search row on every save and import; filled from every stored
-- record when this schema is made (store.backfillIdents).
CREATE TABLE idents (
  kind    TEXT NOT NULL,
  key     TEXT NOT NULL,
  rid     INTEGER NOT NULL REFERENCES records (rid),
  label   TEXT NOT NULL,
  partial INTEGER NOT NULL DEFAULT 0,
  entity  TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (kind, key, rid)
) WITHOUT ROWID;
CREATE INDEX idents_rid ON idents (rid);

-- What an analyst judged of the records sharing one key: the same thing,
-- different things, or not sure yet. Kept by the key, not by the records,
-- so a judgement outlives a re-import and a new version; the latest
-- judgement of a key counts, and none is changed or taken back. Each is
-- also in the audit chain. records lists the records judged (their refs,
-- sorted, one a line): a record that shares the key later is not covered
-- by the judgement.
CREATE TABLE judgements (
  seq     INTEGER PRIMARY KEY,
  kind    TEXT NOT NULL,
  key     TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('same', 'different', 'unsure')),
  note    TEXT NOT NULL DEFAULT '',
  records TEXT NOT NULL,
  actor   TEXT NOT NULL,
  at_utc  TEXT NOT NULL
);
CREATE INDEX judgements_key ON judgements (kind, key, seq);
CREATE TRIGGER judgements_append_only_u BEFORE UPDATE ON judgements
BEGIN SELECT RAISE(ABORT, 'judgements are never changed'); END;
CREATE TRIGGER judgements_append_only_d BEFORE DELETE ON judgements
BEGIN SELECT RAISE(ABORT, 'judgements are never taken back'); END;
