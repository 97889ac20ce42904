-- Kordon store, schema 3: photos in the form they are printed in.

-- A photo scaled for print (report.PrintForm), made once when the photo is
-- attached, so that a protocol does not decode full-size originals. Derived
-- data, like the search index: it can always be made again from media.
CREATE TABLE print_forms (
  sha256 TEXT PRIMARY KEY REFERENCES media (sha256),
  data   BLOB NOT NULL
);
