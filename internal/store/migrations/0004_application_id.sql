-- Kordon store, schema 4: the database says in its header that it is
-- Kordon's (store.ApplicationID, "KORD"), so that Kordon never mistakes
-- another program's database for its own, nor writes into one.
PRAGMA application_id = 1263489604;
