package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteCode is SQLite's extended result code behind err, or 0 if err did
// not come from SQLite.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// busy reports whether err is SQLite saying that another connection holds
// the lock it needs.
func busy(err error) bool {
	c := sqliteCode(err) & 0xff
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

// classify turns the failures of SQLite that a user can act on into the
// store's errors, by SQLite's result code; anything else is returned as it
// is. path names the database in the message.
func classify(err error, path string) error {
	if err == nil {
		return nil
	}
	var fe *Error
	if errors.As(err, &fe) {
		return err
	}
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return newError(ErrBusy, err, "path", path)
	case sqlite3.SQLITE_FULL:
		return newError(ErrDiskFull, err, "path", path)
	case sqlite3.SQLITE_READONLY:
		return newError(ErrReadOnly, err, "path", path)
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return newError(ErrDamaged, err, "path", path, "detail", err.Error())
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return newError(ErrUnwritable, err, "path", path)
	}
	return err
}

// uniqueViolation reports whether err is a UNIQUE or PRIMARY KEY constraint
// that failed.
func uniqueViolation(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// beginOn starts a write transaction on conn (nil: on any pooled
// connection). While another program writes to the database, SQLite waits
// busy_timeout for each try; the store tries again until its busy wait is
// over, and tells the user once, at the first wait, that it is waiting.
func (s *Store) beginOn(ctx context.Context, conn *sql.Conn) (*sql.Tx, error) {
	if s.readOnly {
		return nil, newError(ErrReadOnly, nil, "path", s.path)
	}
	deadline := time.Now().Add(s.busyWait)
	told := false
	for {
		var tx *sql.Tx
		var err error
		if conn != nil {
			tx, err = conn.BeginTx(ctx, nil)
		} else {
			tx, err = s.db.BeginTx(ctx, nil)
		}
		switch {
		case err == nil:
			return tx, nil
		case !busy(err):
			return nil, classify(err, s.path)
		case !time.Now().Before(deadline):
			return nil, newError(ErrBusy, err, "path", s.path)
		}
		if !told && s.onBusy != nil {
			s.onBusy()
			told = true
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
