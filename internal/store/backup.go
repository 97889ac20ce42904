package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
)

// A backup is a copy of the database (CopyTo) that also carries files of
// the data folder — its keys — in a table of its own, so that a post whose
// disk failed comes back with its own key. The table is taken out again
// when the backup is restored: keys never stay in a live database.

// AddBackupFiles puts files, by name, into the copy of a database at path.
func AddBackupFiles(path string, files map[string][]byte) error {
	db, err := openFile(path, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE backup_keys (name TEXT PRIMARY KEY, data BLOB NOT NULL)"); err != nil {
		return fmt.Errorf("backup files of %s: %w", path, classify(err, path))
	}
	for name, data := range files {
		if _, err := db.Exec("INSERT INTO backup_keys (name, data) VALUES (?, ?)", name, data); err != nil {
			return fmt.Errorf("backup files of %s: %w", path, classify(err, path))
		}
	}
	return db.Close()
}

// BackupFiles reads the files a backup at path carries. The backup comes
// from outside: it is read only, and its schema is trusted for nothing.
func BackupFiles(path string) (map[string][]byte, error) {
	db, err := openFile(path, true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query("SELECT name, data FROM backup_keys")
	if err != nil {
		return nil, fmt.Errorf("backup files of %s: %w", path, classify(err, path))
	}
	defer rows.Close()
	files := map[string][]byte{}
	for rows.Next() {
		var name string
		var data []byte
		if err := rows.Scan(&name, &data); err != nil {
			return nil, fmt.Errorf("backup files of %s: %w", path, classify(err, path))
		}
		files[name] = data
	}
	return files, rows.Err()
}

// DropBackupFiles takes the files out of a backup at path that is being
// restored.
func DropBackupFiles(path string) error {
	db, err := openFile(path, false)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range []string{"DROP TABLE backup_keys", "VACUUM"} {
		if _, err := db.Exec(q); err != nil {
			return fmt.Errorf("backup files of %s: %w", path, classify(err, path))
		}
	}
	return db.Close()
}

// openFile opens the database file at path on its own, trusting nothing in
// its schema.
func openFile(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "trusted_schema(0)")
	if readOnly {
		q.Set("mode", "ro")
	}
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Upgrade brings the copy of a backup in the data folder dir to this
// program's schema, so that a backup made by an earlier Kordon can be
// restored. The copy comes from outside: before any migration runs on it,
// its schema must be exactly what Kordon's migrations gave its version (no
// trigger of its own fires during the migration). A copy of this schema,
// or of a newer one (which Open then refuses), is left as it is.
func Upgrade(dir string) error {
	path := filepath.Join(dir, FileName)
	db, err := openFile(path, true)
	if err != nil {
		return err
	}
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		db.Close()
		return classify(err, path)
	}
	if version >= SchemaVersion() {
		return db.Close()
	}
	have, err := readSchema(context.Background(), db)
	db.Close()
	if err != nil {
		return classify(err, path)
	}
	if version < 1 {
		return newError(ErrForeignDB, nil, "path", path)
	}
	want, err := SchemaAt(context.Background(), version)
	if err != nil {
		return err
	}
	if schemaDiff(have, want) != "" {
		return newError(ErrForeignDB, nil, "path", path)
	}
	s, err := Open(dir, NoCreate())
	if err != nil {
		return err
	}
	return s.Close()
}
