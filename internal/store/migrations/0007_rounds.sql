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

UPDATE records SET
  pieces = (SELECT coalesce(sum(quantity), 0) FROM items WHERE items.rid = records.rid AND kind <> 'ammunition'),
  rounds = (SELECT coalesce(sum(rounds), 0) FROM items WHERE items.rid = records.rid);
