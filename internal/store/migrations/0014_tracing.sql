-- Kordon store, schema 14: the office's tracing of seized weapons.

-- Each item of a record's current version by its own id, whether it is
-- traced (a firearm or a major part, tracing.Applies, of a final record:
-- 1, or 2 in a training record; 0 for other items), and its make, model
-- and first serial number: the tracing work list reads them without
-- reading the records. Filled from every stored record when this schema is
-- made (store.backfillItems).
ALTER TABLE items ADD COLUMN item_id TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN traced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN make TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN serial TEXT NOT NULL DEFAULT '';
CREATE INDEX items_item ON items (item_id);
CREATE INDEX items_traced ON items (traced);

-- Every state an office recorded of tracing an item of a record (rid, with
-- the record's device and id as the audit entry names it), numbered from 1
-- per item: the tracing.Trace as JSON (body). Never changed or taken back;
-- each is also in the audit chain. A post's record is not touched, and no
-- bundle of a post writes here.
CREATE TABLE trace_versions (
  rid       INTEGER NOT NULL REFERENCES records (rid),
  item_id   TEXT NOT NULL,
  version   INTEGER NOT NULL,
  body      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  at_utc    TEXT NOT NULL,
  PRIMARY KEY (rid, item_id, version)
) WITHOUT ROWID;
CREATE TRIGGER trace_versions_append_only_u BEFORE UPDATE ON trace_versions
BEGIN SELECT RAISE(ABORT, 'trace versions are never changed'); END;
CREATE TRIGGER trace_versions_append_only_d BEFORE DELETE ON trace_versions
BEGIN SELECT RAISE(ABORT, 'trace versions are never taken back'); END;

-- The newest state of each traced item, for the work list: its status, the
-- earliest due date of its open requests ('' for none), and whether the
-- item is in its record's current version (live: the item's traced, 0
-- when it is not; the triggers below keep it as versions come and records
-- are deleted), so the list counts without reading the items.
CREATE TABLE traces (
  rid     INTEGER NOT NULL REFERENCES records (rid),
  item_id TEXT NOT NULL,
  status  TEXT NOT NULL,
  due     TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  at_utc  TEXT NOT NULL,
  live    INTEGER NOT NULL,
  PRIMARY KEY (rid, item_id)
) WITHOUT ROWID;
-- The work list reads each of its parts in the order of one of these.
CREATE INDEX traces_status ON traces (status, due, at_utc, rid, item_id);
CREATE INDEX traces_due ON traces (due, at_utc, rid, item_id) WHERE due != '';
CREATE TRIGGER items_trace_gone AFTER DELETE ON items WHEN OLD.traced != 0
BEGIN UPDATE traces SET live = 0 WHERE rid = OLD.rid AND item_id = OLD.item_id; END;
CREATE TRIGGER items_trace_back AFTER INSERT ON items WHEN NEW.traced != 0
BEGIN UPDATE traces SET live = NEW.traced WHERE rid = NEW.rid AND item_id = NEW.item_id; END;

-- How many traces there are of each status, by live, kept by the triggers
-- below: the work list's counts, read at once however many traces there
-- are. kordon audit counts them again.
CREATE TABLE trace_counts (
  live   INTEGER NOT NULL,
  status TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (live, status)
) WITHOUT ROWID;
INSERT INTO trace_counts (live, status, n)
  SELECT l.v, s.v, 0 FROM (SELECT 0 AS v UNION ALL SELECT 1 UNION ALL SELECT 2) l,
  (SELECT 'not_attempted' AS v UNION ALL SELECT 'not_traceable' UNION ALL SELECT 'request_sent'
   UNION ALL SELECT 'answer_insufficient' UNION ALL SELECT 'established_tracing' UNION ALL SELECT 'established_authority') s;
CREATE TRIGGER traces_counted_i AFTER INSERT ON traces
BEGIN UPDATE trace_counts SET n = n + 1 WHERE live = NEW.live AND status = NEW.status; END;
CREATE TRIGGER traces_counted_u AFTER UPDATE OF live, status ON traces
BEGIN
  UPDATE trace_counts SET n = n - 1 WHERE live = OLD.live AND status = OLD.status;
  UPDATE trace_counts SET n = n + 1 WHERE live = NEW.live AND status = NEW.status;
END;
CREATE TRIGGER traces_counted_d AFTER DELETE ON traces
BEGIN UPDATE trace_counts SET n = n - 1 WHERE live = OLD.live AND status = OLD.status; END;
