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
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
	"github.com/kordon/kordon/internal/view"
)

// FileName is the database file inside a data folder.
const FileName = "kordon.db"

// ApplicationID marks a Kordon database in its SQLite header ("KORD"), so a
// database of another program is told apart before anything is written.
const ApplicationID = 0x4B4F5244

// DefaultBusyWait is how long a write waits for another Kordon that is
// writing to the same database (an import is one long transaction).
const DefaultBusyWait = 10 * time.Minute

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store is an open database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	now  func() time.Time

	readOnly   bool // opened for reading only
	fallbackRO bool // open read-only when the folder cannot be written
	create     bool // make the database if there is none
	busyWait   time.Duration
	busyMillis int
	onBusy     func()
	signer     Signer // anchors the audit chain, nil for none

	// lastCheckpoint is when the chain's last checkpoint was written,
	// once read (guarded by mu).
	lastCheckpoint     time.Time
	lastCheckpointRead bool

	folder *Lock // held shared while the store is open

	mu     sync.Mutex
	stmts  map[string]*sql.Stmt
	device string // this folder's device id, once read
	post   string // and its post code
}

// Error is a failure the user can act on, with a catalog key for its message.
type Error = fault.Error

// Sentinels for errors.Is.
var (
	ErrNewerSchema    = &Error{Key: "store.err.newer_schema"}
	ErrOlderSchema    = &Error{Key: "store.err.older_schema"}
	ErrNotDatabase    = &Error{Key: "store.err.not_database"}
	ErrEmptyDatabase  = &Error{Key: "store.err.empty_database"}
	ErrForeignDB      = &Error{Key: "store.err.foreign_database"}
	ErrDamaged        = &Error{Key: "store.err.damaged"}
	ErrUnwritable     = &Error{Key: "store.err.unwritable"}
	ErrReadOnly       = &Error{Key: "store.err.read_only"}
	ErrDiskFull       = &Error{Key: "store.err.disk_full"}
	ErrBusy           = &Error{Key: "store.err.busy"}
	ErrNotFound       = &Error{Key: "store.err.not_found"}
	ErrAmbiguous      = &Error{Key: "store.err.ambiguous"}
	ErrExists         = &Error{Key: "store.err.exists"}
	ErrDeleted        = &Error{Key: "store.err.deleted"}
	ErrNumberTaken    = &Error{Key: "store.err.number_taken"}
	ErrMissingMedia   = &Error{Key: "store.err.missing_media"}
	ErrMediaCorrupt   = &Error{Key: "store.err.media_corrupt"}
	ErrNotOwner       = &Error{Key: "store.err.not_owner"}
	ErrAuditBroken    = &Error{Key: "store.err.audit_broken"}
	ErrStaleVersion   = &Error{Key: "store.err.stale_version"}
	ErrNotInitialized = &Error{Key: "store.err.not_initialized"}
	ErrRestoring      = &Error{Key: "store.err.restoring"}
)

func newError(sentinel *Error, err error, args ...any) *Error {
	return fault.New(sentinel, err, args...)
}

// Option changes how Open sets up a Store.
type Option func(*Store)

// WithClock makes the store read the time from now (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// ReadOnly opens the database for reading only: nothing is created,
// migrated or written, and every write is refused with ErrReadOnly.
func ReadOnly() Option { return func(s *Store) { s.readOnly = true } }

// ReadOnlyIfUnwritable opens an existing database read-only when its
// folder cannot be written (a write-protected stick, a folder shared
// read-only), instead of refusing it. For commands that only read.
func ReadOnlyIfUnwritable() Option { return func(s *Store) { s.fallbackRO = true } }

// NoCreate refuses a folder without a database (ErrNotInitialized)
// instead of making a new one.
func NoCreate() Option { return func(s *Store) { s.create = false } }

// WithBusyWait sets how long a write waits for another program writing to
// the same database, and calls notice once when it starts waiting, so the
// user is told ("another Kordon is writing; waiting…").
func WithBusyWait(wait time.Duration, notice func()) Option {
	return func(s *Store) { s.busyWait, s.onBusy = wait, notice }
}

// WithSigner makes the store anchor its audit chain with signer: a write
// that finds the last checkpoint CheckpointEvery old (or none) appends a
// checkpoint after its own entries, in the same transaction, so the chain
// is signed at least once a day of use and a refused write leaves no trace.
func WithSigner(signer Signer) Option { return func(s *Store) { s.signer = signer } }

// WithBusyTimeout sets SQLite's own wait for a lock before a write is
// counted as waiting (tests make it short).
func WithBusyTimeout(d time.Duration) Option {
	return func(s *Store) { s.busyMillis = int(d / time.Millisecond) }
}

// Open opens the database in the data folder dir, creating the folder and the
// database if needed, and brings the schema up to date. A database made by a
// newer Kordon, an empty file, a file that is not a database and the
// database of another program are refused and left untouched.
func Open(dir string, opts ...Option) (*Store, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	s := &Store{path: filepath.Join(dir, FileName), now: time.Now, create: true,
		busyWait: DefaultBusyWait, busyMillis: 5000, stmts: map[string]*sql.Stmt{}}
	for _, o := range opts {
		o(s)
	}
	exists, err := checkFile(s.path)
	if err != nil {
		return nil, err
	}
	if !exists && (s.readOnly || !s.create) {
		return nil, newError(ErrNotInitialized, nil, "path", dir)
	}
	if !s.readOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, newError(ErrUnwritable, err, "path", dir)
		}
		if err := checkWritable(dir, s.path, exists); err != nil {
			if !exists || !s.fallbackRO {
				return nil, err
			}
			s.readOnly = true
		}
	}
	if exists {
		if err := checkKordon(s.path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", s.dsn())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", s.path, err)
	}
	// SQLite allows one writer; readers run beside it in WAL mode.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	s.db = db
	if !s.readOnly {
		if s.folder, err = lockFile(context.Background(), filepath.Join(dir, LockName), false); err != nil {
			db.Close()
			if errors.Is(err, ErrLocked) {
				// The folder is being restored: say so, not that it is busy.
				return nil, newError(ErrRestoring, err, "path", dir)
			}
			return nil, err
		}
	}
	if s.readOnly {
		err = s.checkSchema(context.Background())
	} else if err = s.migrate(context.Background()); err == nil {
		err = s.reindexIfStale(context.Background())
	}
	if err != nil {
		s.folder.Unlock()
		db.Close()
		return nil, err
	}
	return s, nil
}

// dsn builds the connection string: per-connection settings belong here, so
// every pooled connection gets them.
func (s *Store) dsn() string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "trusted_schema(0)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", s.busyMillis))
	if s.readOnly {
		// With no write-ahead log beside it, the file is all there is: read
		// it immutable, so SQLite makes no files beside it either. A store is
		// opened read-only where nobody writes meanwhile: a folder that
		// cannot be written, a copy of its own, a folder locked for a restore.
		q.Set("mode", "ro")
		if _, err := os.Stat(s.path + "-wal"); errors.Is(err, fs.ErrNotExist) {
			q.Set("immutable", "1")
		}
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Set("_txlock", "immediate")
	}
	return fileURI(s.path, q)
}

// fileURI is SQLite's file: URI of path with the query q.
func fileURI(path string, q url.Values) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:/C:/…
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath() + "?" + q.Encode()
}

// SQLite's database header: its magic string, and where the user version and
// the application id are kept (big-endian).
const (
	headerMagic   = "SQLite format 3\x00"
	headerSize    = 100
	userVersionAt = 60
	appIDAt       = 68
)

// checkFile looks at the database file before SQLite gets a chance to touch
// it. It reports whether there is one, and refuses an empty file, one that is
// not an SQLite database, and one whose header names another program.
func checkFile(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, newError(ErrUnwritable, err, "path", path)
	}
	defer f.Close()
	head := make([]byte, headerSize)
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && (err == nil || errors.Is(err, io.EOF)):
		return true, newError(ErrEmptyDatabase, nil, "path", path)
	case n < headerSize || string(head[:len(headerMagic)]) != headerMagic:
		return true, newError(ErrNotDatabase, nil, "path", path)
	}
	if id := binary.BigEndian.Uint32(head[appIDAt:]); id != 0 && id != ApplicationID {
		return true, newError(ErrForeignDB, nil, "path", path)
	}
	return true, nil
}

// checkKordon makes sure an SQLite database is Kordon's. Its header names
// Kordon; or, written before Kordon marked its databases (or with the mark
// still in the write-ahead log), it has Kordon's tables. It reads through a
// read-only connection, so a foreign database is left as it was.
func checkKordon(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return newError(ErrUnwritable, err, "path", path)
	}
	head := make([]byte, headerSize)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil {
		return newError(ErrNotDatabase, err, "path", path)
	}
	if binary.BigEndian.Uint32(head[appIDAt:]) == ApplicationID {
		return nil
	}
	// With no write-ahead log beside it, the file is all there is: read it
	// immutable, so SQLite makes no lock files either.
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "trusted_schema(0)")
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		q.Set("immutable", "1")
	}
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var appID, version int
	err = db.QueryRow("PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRow("PRAGMA user_version").Scan(&version)
	}
	switch {
	case err != nil:
		return classify(err, path)
	case appID == ApplicationID:
		return nil
	case appID != 0 || version < 1:
		return newError(ErrForeignDB, nil, "path", path)
	case version > SchemaVersion():
		return nil // a newer Kordon's, as Open then says
	}
	// Exactly the schema Kordon's migrations give that version: a database
	// that merely has tables of the same names is another program's.
	have, err := readSchema(context.Background(), db)
	if err != nil {
		return classify(err, path)
	}
	want, err := SchemaAt(context.Background(), version)
	if err != nil {
		return err
	}
	if schemaDiff(have, want) != "" {
		return newError(ErrForeignDB, nil, "path", path)
	}
	return nil
}

// checkWritable fails early, with a clear message, when the folder or the
// database cannot be written.
func checkWritable(dir, path string, exists bool) error {
	if !writable(dir) {
		return newError(ErrUnwritable, nil, "path", dir)
	}
	if exists {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return newError(ErrUnwritable, err, "path", path)
		}
		f.Close()
	}
	return nil
}

// writable reports whether a file can be made in dir.
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".kordon-write-check-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}

// ReadOnly reports whether the store was opened for reading only.
func (s *Store) ReadOnly() bool { return s.readOnly }

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
	err := s.db.Close()
	s.folder.Unlock()
	return err
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

// checkSchema makes sure a database opened read-only has exactly the
// schema this program reads.
func (s *Store) checkSchema(ctx context.Context) error {
	var have int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return classify(err, s.path)
	}
	switch want := SchemaVersion(); {
	case have > want:
		return newError(ErrNewerSchema, nil, "path", s.path, "have", have, "want", want)
	case have < want:
		return newError(ErrOlderSchema, nil, "path", s.path)
	}
	return nil
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
		return classify(err, s.path)
	}
	if have > len(ms) {
		return newError(ErrNewerSchema, nil, "path", s.path, "have", have, "want", len(ms))
	}
	for _, m := range ms[min(have, len(ms)):] {
		body, err := migrationFS.ReadFile("migrations/" + m.name)
		if err != nil {
			return err
		}
		if err := s.runMigration(ctx, m, string(body)); err != nil {
			return err
		}
	}
	return nil
}

// runMigration applies one migration in one transaction. A migration that
// rebuilds a table says so with "-- kordon: rebuild" on its first line: it
// runs with foreign keys off (SQLite's way to alter a table) and must leave
// no dangling reference behind.
func (s *Store) runMigration(ctx context.Context, m migration, body string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return classify(err, s.path)
	}
	defer conn.Close()
	rebuild := strings.HasPrefix(body, "-- kordon: rebuild")
	if rebuild {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	}
	tx, err := s.beginOn(ctx, conn)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, classify(err, s.path))
	}
	if fill := backfills[m.version]; fill != nil {
		if err := fill(ctx, tx); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, classify(err, s.path))
		}
	}
	if rebuild {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&n); err != nil || n > 0 {
			return fmt.Errorf("migration %s: %d dangling references: %v", m.name, n, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, classify(err, s.path))
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
// MetaPrefix returns the settings whose keys start with prefix.
func (s *Store) MetaPrefix(ctx context.Context, prefix string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", len(prefix), prefix)
	if err != nil {
		return nil, fmt.Errorf("read settings %s…: %w", prefix, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read settings %s…: %w", prefix, err)
		}
		out[k] = v
	}
	return out, rows.Err()
}

// DeleteMeta removes settings.
func (s *Store) DeleteMeta(ctx context.Context, keys ...string) error {
	tx, err := s.beginOn(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, "DELETE FROM meta WHERE key = ?", k); err != nil {
			return fmt.Errorf("remove setting %s: %w", k, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return classify(err, s.path)
	}
	return nil
}

func (s *Store) SetMeta(ctx context.Context, kv map[string]string) error {
	tx, err := s.beginOn(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for k, v := range kv {
		if _, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", k, v); err != nil {
			return fmt.Errorf("save setting %s: %w", k, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return classify(err, s.path)
	}
	_, dev := kv[MetaDeviceID]
	_, post := kv[MetaPostCode]
	if dev || post {
		s.mu.Lock()
		s.device, s.post = "", ""
		s.mu.Unlock()
	}
	return nil
}

const timeLayout = view.TimeLayout

func utc(t time.Time) string { return t.UTC().Format(timeLayout) }

// CopyTo writes a consistent copy of the whole database to the new file
// path, while others go on reading and writing (SQLite's VACUUM INTO).
func (s *Store) CopyTo(ctx context.Context, path string) error {
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("copy %s to %s: %w", s.path, path, classify(err, s.path))
	}
	return nil
}

// Schema is the definition of every table, index and trigger of the
// database: type, name and SQL, as SQLite keeps them.
func (s *Store) Schema(ctx context.Context) (map[string]string, error) {
	return readSchema(ctx, s.db)
}

// SchemaAt is the schema a Kordon database has at the given version, as
// the migrations make it: a database from outside (a backup) must have
// exactly this one, so that no trigger or view of its own comes in.
func SchemaAt(ctx context.Context, version int) (map[string]string, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	if version < 1 || version > len(ms) {
		return nil, fmt.Errorf("no schema %d", version)
	}
	db, err := sql.Open("sqlite", "file:schema?mode=memory&_pragma=foreign_keys(0)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, m := range ms[:version] {
		body, err := migrationFS.ReadFile("migrations/" + m.name)
		if err != nil {
			return nil, err
		}
		if _, err := db.ExecContext(ctx, string(body)); err != nil {
			return nil, fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return readSchema(ctx, db)
}

// schemaDiff names the first table, index or trigger in which have differs
// from want, "" if none.
func schemaDiff(have, want map[string]string) string {
	for name, def := range have {
		if w, ok := want[name]; !ok || w != def {
			return name + " is not Kordon's"
		}
	}
	for name := range want {
		if _, ok := have[name]; !ok {
			return name + " is missing"
		}
	}
	return ""
}

func readSchema(ctx context.Context, db *sql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("read schema: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			return nil, fmt.Errorf("read schema: %w", err)
		}
		out[typ+" "+name] = text
	}
	return out, rows.Err()
}
