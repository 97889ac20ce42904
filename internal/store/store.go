// Package store keeps Kordon's records in one SQLite file: every version of
// every interdiction, content-addressed photos, post-local numbering, a
// search index over serials, names, plates and narrative, and a hash-chained
// audit log of every change.
//
// Nothing is destroyed: a final record changes only by a new version, a
// deletion is a tombstone, and every write appends to the audit chain, which
// Verify checks end to end.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/kordon/kordon/internal/fault"
)

// FileName is the database file inside a data folder.
const FileName = "kordon.db"

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an open database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time

	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	device string // this folder's device id, once read
}

// Error is a failure the user can act on, with a catalog key for its message.
type Error = fault.Error

// Sentinels for errors.Is.
var (
	ErrNewerSchema    = &Error{Key: "store.err.newer_schema"}
	ErrNotDatabase    = &Error{Key: "store.err.not_database"}
	ErrUnwritable     = &Error{Key: "store.err.unwritable"}
	ErrNotFound       = &Error{Key: "store.err.not_found"}
	ErrExists         = &Error{Key: "store.err.exists"}
	ErrDeleted        = &Error{Key: "store.err.deleted"}
	ErrNumberTaken    = &Error{Key: "store.err.number_taken"}
	ErrMissingMedia   = &Error{Key: "store.err.missing_media"}
	ErrMediaCorrupt   = &Error{Key: "store.err.media_corrupt"}
	ErrNotOwner       = &Error{Key: "store.err.not_owner"}
	ErrAuditBroken    = &Error{Key: "store.err.audit_broken"}
	ErrStaleVersion   = &Error{Key: "store.err.stale_version"}
	ErrNotInitialized = &Error{Key: "store.err.not_initialized"}
)

func newError(sentinel *Error, err error, args ...any) *Error {
	return fault.New(sentinel, err, args...)
}

// Option changes how Open sets up a Store.
type Option func(*Store)

// WithClock makes the store read the time from now (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens the database in the data folder dir, creating the folder and the
// database if needed, and brings the schema up to date. A database made by a
// newer Kordon, or a file that is not a Kordon database, is refused and left
// untouched.
func Open(dir string, opts ...Option) (*Store, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, newError(ErrUnwritable, err, "path", dir)
	}
	path := filepath.Join(dir, FileName)
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if err := checkWritable(dir); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// SQLite allows one writer; readers run beside it in WAL mode.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	s := &Store{db: db, path: path, now: time.Now, stmts: map[string]*sql.Stmt{}}
	for _, o := range opts {
		o(s)
	}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the connection string: per-connection settings belong here, so
// every pooled connection gets them.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Set("_txlock", "immediate")
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:/C:/…
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath() + "?" + q.Encode()
}

// checkHeader refuses an existing file that is not an SQLite database before
// SQLite gets a chance to touch it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return newError(ErrUnwritable, err, "path", path)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	if n == 0 {
		return nil // an empty file becomes a database
	}
	if n < 16 || string(head) != "SQLite format 3\x00" {
		return newError(ErrNotDatabase, nil, "path", path)
	}
	return nil
}

// checkWritable fails early, with a clear message, when the folder is read-only.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".kordon-write-check-*")
	if err != nil {
		return newError(ErrUnwritable, err, "path", dir)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	return s.db.Close()
}

// prepared returns query prepared on the database, preparing it once.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", query, err)
	}
	s.stmts[query] = st
	return st, nil
}

// DB exposes the database to packages that keep their own tables in it
// (bundle ledger) and to tests.
func (s *Store) DB() *sql.DB { return s.db }

type migration struct {
	version int
	name    string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", e.Name())
		}
		ms = append(ms, migration{v, e.Name()})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema this program writes.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

// migrate applies the migrations the database lacks, each in its own
// transaction together with its user_version.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var have int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		if strings.Contains(err.Error(), "not a database") {
			return newError(ErrNotDatabase, err, "path", s.path)
		}
		return newError(ErrUnwritable, err, "path", s.path)
	}
	if have > len(ms) {
		return newError(ErrNewerSchema, nil, "path", s.path, "have", have, "want", len(ms))
	}
	for _, m := range ms[have:] {
		body, err := migrationFS.ReadFile("migrations/" + m.name)
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return newError(ErrUnwritable, err, "path", s.path)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// Meta returns a setting of this data folder, "" if unset.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return v, nil
}

// SetMeta stores settings of this data folder, all in one transaction.
func (s *Store) SetMeta(ctx context.Context, kv map[string]string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	defer tx.Rollback()
	for k, v := range kv {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return fmt.Errorf("save setting %s: %w", k, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if _, ok := kv[MetaDeviceID]; ok {
		s.mu.Lock()
		s.device = ""
		s.mu.Unlock()
	}
	return nil
}

const timeLayout = "2006-01-02T15:04:05.000000000Z"

func utc(t time.Time) string { return t.UTC().Format(timeLayout) }
