-- Kordon store, schema 7: ammunition is counted in rounds.

-- An ammunition item's quantity counts its packages (boxes, zinc cases),
-- not what was seized: records and items keep the rounds apart, and a
-- record's pieces no longer add up ammunition packages (record.Counts).
ALTER TABLE items ADD COLUMN rounds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE records ADD COLUMN rounds INTEGER NOT NULL DEFAULT 0;

-- Filled from each current version as stored (text JSON, hence the cast:
-- SQLite reads a BLOB as its binary JSON).
UPDATE items SET rounds = coalesce((
  SELECT json_extract(CAST(v.content AS TEXT), '$.items[' || items.idx || '].ammunition.rounds')
  FROM records r JOIN versions v ON v.rid = r.rid AND v.version = r.version
  WHERE r.rid = items.rid), 0)
WHERE kind = 'ammunition';

-- A record's counts come from its current version too, not from items: a
-- deleted record keeps its head row, which the audit still checks, but not
-- its items.
UPDATE records SET
  pieces = coalesce((
    SELECT sum(CASE WHEN json_extract(j.value, '$.kind') = 'ammunition' THEN 0
                    ELSE coalesce(json_extract(j.value, '$.quantity'), 0) END)
    FROM versions v, json_each(CAST(v.content AS TEXT), '$.items') j
    WHERE v.rid = records.rid AND v.version = records.version), 0),
  rounds = coalesce((
    SELECT sum(CASE WHEN json_extract(j.value, '$.kind') = 'ammunition'
                    THEN coalesce(json_extract(j.value, '$.ammunition.rounds'), 0) ELSE 0 END)
    FROM versions v, json_each(CAST(v.content AS TEXT), '$.items') j
    WHERE v.rid = records.rid AND v.version = records.version), 0);
