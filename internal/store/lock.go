package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
)

// LockName is the file in a data folder that Kordon locks: every open
// store holds it shared, and a restore holds it alone, so that a database
// is never replaced under a program that has it open. The locks are
// SQLite's own on an empty database file, which the system lets go of when
// a process ends, even by kill -9 or a power cut.
const LockName = "kordon.lock"

// ErrLocked: the lock is held by another program (or another open store).
var ErrLocked = &Error{Key: "store.err.locked"}

// Lock is a lock on a file, held until Unlock.
type Lock struct {
	db   *sql.DB
	conn *sql.Conn
}

// lockFile takes the lock on the file at path, shared or alone, without
// waiting: ErrLocked if it cannot.
func lockFile(ctx context.Context, path string, exclusive bool) (*Lock, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(0)")
	q.Add("_pragma", "journal_mode(DELETE)")
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, lockError(err, path)
	}
	begin, hold := "BEGIN", "SELECT count(*) FROM sqlite_schema"
	if exclusive {
		begin, hold = "BEGIN EXCLUSIVE", ""
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		conn.Close()
		db.Close()
		return nil, lockError(err, path)
	}
	if hold != "" {
		var n int
		if err := conn.QueryRowContext(ctx, hold).Scan(&n); err != nil {
			conn.ExecContext(context.Background(), "ROLLBACK")
			conn.Close()
			db.Close()
			return nil, lockError(err, path)
		}
	}
	return &Lock{db: db, conn: conn}, nil
}

func lockError(err error, path string) error {
	if busy(err) {
		return newError(ErrLocked, err, "path", filepath.Dir(path))
	}
	return classify(err, path)
}

// Unlock lets go of the lock.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	l.conn.ExecContext(context.Background(), "ROLLBACK")
	l.conn.Close()
	return l.db.Close()
}

// LockFolder takes the data folder dir for this program alone: it fails
// with ErrLocked while any other store has the folder open.
func LockFolder(ctx context.Context, dir string) (*Lock, error) {
	return lockFile(ctx, filepath.Join(dir, LockName), true)
}

// LockFile takes the lock on a file of the data folder alone, for work
// that two programs must not do at once (two exports): ErrLocked if
// another holds it.
func LockFile(ctx context.Context, path string) (*Lock, error) {
	return lockFile(ctx, path, true)
}
