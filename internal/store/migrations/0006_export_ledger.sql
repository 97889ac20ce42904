-- Kordon store, schema 6: an export is noted before its bundle is written.

-- A bundle is reserved in the ledger (pending) with everything it carries
-- before its file is written, and marked done once the file is in place:
-- after a power cut or a failure in between, the next export writes the
-- same bundle again instead of a different one under the same number.
ALTER TABLE bundles_out ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bundles_out ADD COLUMN audit_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bundles_out ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE bundles_out ADD COLUMN destination TEXT NOT NULL DEFAULT '';
CREATE INDEX exported_bundle ON exported (bundle_seq);
CREATE INDEX exported_media_bundle ON exported_media (bundle_seq);

-- At the office: the last signed checkpoint of each device's audit chain.
CREATE TABLE anchors (
  origin TEXT PRIMARY KEY,
  seq    INTEGER NOT NULL,
  at_utc TEXT NOT NULL
) WITHOUT ROWID;
