// Package service holds Kordon's use cases, shared by the desktop
// application and the command line so that each behaviour exists once:
// setting up a data folder, taking records in from JSON, filling a training
// store, and everything the store offers for reading.
package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/fault"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/safefile"
	"github.com/kordon/kordon/internal/store"
)

// Error is a failure the user can act on, with a catalog key for its message.
type Error = fault.Error

// Sentinels for errors.Is.
var (
	ErrNotSetUp      = &Error{Key: "service.err.not_set_up"}
	ErrAlreadySetUp  = &Error{Key: "service.err.already_set_up"}
	ErrBadPostCode   = &Error{Key: "service.err.bad_post_code"}
	ErrPostNameEmpty = &Error{Key: "service.err.post_name_empty"}
	ErrKeysExist     = &Error{Key: "service.err.keys_exist"}
)

// Service is an open data folder and the use cases on it. The store's
// reading methods (Get, List, Search, Stats, History, …) are available on it
// directly.
type Service struct {
	st *store.Store
	// Dir is the data folder.
	Dir string
	// Actor names who makes the changes, for the audit log.
	Actor string
	// screen is the sanctions list held, prepared for screening.
	screen index
}

// DefaultDir is the data folder used when none is given: KORDON_DATA if set,
// else "Kordon" in the operating system's per-user configuration folder.
func DefaultDir(getenv func(string) string) (string, error) {
	if d := getenv("KORDON_DATA"); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the per-user configuration folder: %w", err)
	}
	return filepath.Join(base, "Kordon"), nil
}

// DefaultActor names the person at the keyboard for the audit log.
func DefaultActor(getenv func(string) string) string {
	for _, v := range []string{"KORDON_OFFICER", "USER", "USERNAME"} {
		if s := plainLine(getenv(v)); s != "" {
			return s
		}
	}
	return "unknown"
}

// Setup describes a new data folder.
type Setup struct {
	PostCode string
	PostName string
	// Office sets the folder up as a regional office that receives bundles.
	Office bool
	// Agency names the service the post belongs to, for protocols.
	Agency string
	// CrossingPoints are the post's crossing points, offered in the form.
	CrossingPoints []string
}

// Init sets up a new data folder: the database, this device's identity and
// the post it serves. A folder already set up, or holding keys or a
// database of any kind, is refused and left as it was: a device key that
// signed bundles must never start a new numbering, or the office would
// raise an alarm.
//
// Init is safe to interrupt: the database is made beside the folder's
// own name and appears under it only once complete, and keys made by an
// interrupted set-up are marked as such, so Init can be run again.
func Init(ctx context.Context, dir string, setup Setup, opts ...store.Option) (*Service, error) {
	setup.PostCode = strings.ToUpper(strings.TrimSpace(setup.PostCode))
	setup.PostName = strings.TrimSpace(setup.PostName)
	if !record.ValidPostCode(setup.PostCode) {
		return nil, &Error{Key: ErrBadPostCode.Key, Args: []any{"value", setup.PostCode}}
	}
	if setup.PostName == "" {
		return nil, ErrPostNameEmpty
	}
	setup.Agency = strings.TrimSpace(setup.Agency)
	setup.CrossingPoints = ParseCrossingPoints(strings.Join(setup.CrossingPoints, "\n"))
	if err := checkNames(append([]string{setup.PostName, setup.Agency}, setup.CrossingPoints...)...); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	if err := refuseSetUp(ctx, dir, opts); err != nil {
		return nil, err
	}
	key, err := makeKeys(dir, setup.Office)
	if err != nil {
		return nil, err
	}
	role := RolePost
	if setup.Office {
		role = RoleOffice
	}
	staging := filepath.Join(dir, stagingDir)
	if err := os.RemoveAll(staging); err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", staging}, Err: err}
	}
	st, err := store.Open(staging, opts...)
	if err != nil {
		return nil, err
	}
	err = st.SetMeta(ctx, map[string]string{
		MetaKeyID:          key.KeyID(),
		store.MetaDeviceID: uuid.NewString(),
		store.MetaPostCode: setup.PostCode,
		store.MetaPostName: setup.PostName,
		MetaRole:           role,
		MetaPlatform:       runtime.GOOS,
		MetaAgency:         setup.Agency,
		MetaCrossingPoints: strings.Join(setup.CrossingPoints, "\n"),
	})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := commitSetup(dir, staging); err != nil {
		return nil, err
	}
	return Open(ctx, dir, opts...)
}

// stagingDir holds the database while Init makes it.
const stagingDir = ".kordon-setup"

// refuseSetUp refuses a folder that holds a database, whatever its state,
// or keys not made by an interrupted Init.
func refuseSetUp(ctx context.Context, dir string, opts []store.Option) error {
	if _, err := os.Lstat(filepath.Join(dir, store.FileName)); err == nil {
		// Say what it is: set up already, or damaged, or another program's.
		st, err := store.Open(dir, append(opts, store.NoCreate(), store.ReadOnlyIfUnwritable())...)
		if err != nil {
			return err
		}
		defer st.Close()
		return &Error{Key: ErrAlreadySetUp.Key, Args: []any{"path", dir}}
	}
	kd := filepath.Join(dir, keysDir)
	if _, err := os.Stat(filepath.Join(kd, setupMarker)); err == nil {
		return nil // keys of an interrupted set-up: made again
	}
	for _, name := range []string{signingKeyFile, officeIdentFile} {
		if _, err := os.Lstat(filepath.Join(kd, name)); err == nil {
			return &Error{Key: ErrKeysExist.Key, Args: []any{"path", filepath.Join(kd, name)}}
		}
	}
	return nil
}

// commitSetup moves the finished database from staging into the folder,
// where its presence means the folder is set up, and drops the mark that
// the keys belong to an unfinished set-up.
func commitSetup(dir, staging string) error {
	from := filepath.Join(staging, store.FileName)
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(from + side); err == nil && side == "-wal" {
			return fmt.Errorf("set up %s: the new database was not closed cleanly", dir)
		}
	}
	if err := safefile.Sync(from); err != nil {
		return &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", from}, Err: err}
	}
	if err := os.Rename(from, filepath.Join(dir, store.FileName)); err != nil {
		return &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", dir}, Err: err}
	}
	safefile.SyncDir(dir)
	os.RemoveAll(staging)
	os.Remove(filepath.Join(dir, keysDir, setupMarker))
	return nil
}

// Meta keys kept by the service.
const (
	MetaRole     = "role" // "post" or "office"
	MetaPlatform = "created_on"
	// MetaCrossingPoints lists the post's crossing points, one a line.
	MetaCrossingPoints = "crossing_points"
	// MetaLang is the language the officers chose, e.g. "kk".
	MetaLang        = "lang"
	MetaOfficerName = "officer_name"
	MetaOfficerRank = "officer_rank"
)

// removeStale removes the decrypted copies of bundles that imports killed
// in the middle left in the data folder (on Windows, where an open file
// cannot be removed at once), once they are a day old: no import runs so
// long.
func removeStale(dir string) {
	old, _ := filepath.Glob(filepath.Join(dir, "kordon-import-*.zip"))
	for _, f := range old {
		if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(f)
		}
	}
}

// Option changes how a data folder is opened.
type Option = store.Option

// ForReading is for work that only reads: a folder that cannot be written
// (a write-protected stick, a folder shared read-only) is opened read-only
// instead of refused.
func ForReading() store.Option { return store.ReadOnlyIfUnwritable() }

// WithBusyWait makes a write that has to wait for another Kordon writing
// to the same folder wait up to d, calling notice (if not nil) once.
func WithBusyWait(d time.Duration, notice func()) store.Option {
	return store.WithBusyWait(d, notice)
}

// WithBusyNotice makes a write that has to wait for another Kordon writing
// to the same folder (an import is one long transaction) call notice once,
// so the user is told it waits; it waits up to store.DefaultBusyWait.
func WithBusyNotice(notice func()) store.Option {
	return store.WithBusyWait(store.DefaultBusyWait, notice)
}

// Open opens a data folder that was set up with Init.
func Open(ctx context.Context, dir string, opts ...store.Option) (*Service, error) {
	// The audit chain is anchored with this device's key (see
	// store.WithSigner); a key that cannot be read leaves it as it is, and
	// the next export, which needs the key, says why.
	if key, err := bundle.ReadPrivateKey(filepath.Join(dir, keysDir, signingKeyFile)); err == nil {
		opts = append([]store.Option{store.WithSigner(key)}, opts...)
	}
	st, err := store.Open(dir, append(opts, store.NoCreate())...)
	if errors.Is(err, store.ErrNotInitialized) {
		return nil, &Error{Key: ErrNotSetUp.Key, Args: []any{"path", dir}}
	}
	if err != nil {
		return nil, err
	}
	dev, err := st.Meta(ctx, store.MetaDeviceID)
	if err != nil {
		st.Close()
		return nil, err
	}
	if dev == "" {
		st.Close()
		return nil, &Error{Key: ErrNotSetUp.Key, Args: []any{"path", dir}}
	}
	if !st.ReadOnly() {
		// Set up: keys marked as an unfinished set-up's are this folder's.
		os.Remove(filepath.Join(dir, keysDir, setupMarker))
		removeStale(dir)
	}
	return &Service{st: st, Dir: dir}, nil
}

// CheckAudit checks the data folder against its audit chain, SQLite's own
// integrity check first, and the chain's checkpoints against this device's
// key; it says how far the chain is anchored.
func (s *Service) CheckAudit(ctx context.Context) (*store.AuditReport, error) {
	return s.st.VerifyWith(ctx, func(keyID string) (ed25519.PublicKey, error) {
		key, err := s.SigningKey()
		if err != nil {
			return nil, err
		}
		if key.KeyID() != keyID {
			return nil, nil // not this device's checkpoint
		}
		return key.Public(), nil
	})
}

// Verify is CheckAudit without the report.
func (s *Service) Verify(ctx context.Context) error {
	_, err := s.CheckAudit(ctx)
	return err
}

// Post is the post this data folder serves.
type Post struct {
	Code, Name, Role, DeviceID string
}

// Post reads the data folder's post settings.
func (s *Service) Post(ctx context.Context) (Post, error) {
	var p Post
	for _, f := range []struct {
		key string
		dst *string
	}{{store.MetaPostCode, &p.Code}, {store.MetaPostName, &p.Name}, {MetaRole, &p.Role}, {store.MetaDeviceID, &p.DeviceID}} {
		v, err := s.st.Meta(ctx, f.key)
		if err != nil {
			return p, err
		}
		*f.dst = v
	}
	return p, nil
}

// CrossingPoints are the post's crossing points, as set up.
func (s *Service) CrossingPoints(ctx context.Context) ([]string, error) {
	set, err := s.Settings(ctx)
	return set.CrossingPoints, err
}

// Resolve finds a record by its UUID or its post-local number.
func (s *Service) Resolve(ctx context.Context, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if _, err := uuid.Parse(ref); err == nil {
		return strings.ToLower(ref), nil
	}
	// DEVICE/ID, where records of two devices share an id.
	if device, id, ok := strings.Cut(ref, "/"); ok {
		if _, err := uuid.Parse(id); err == nil && device != "" {
			return store.Ref(strings.ToLower(device), strings.ToLower(id)), nil
		}
	}
	return s.st.IDByNumber(ctx, strings.ToUpper(ref))
}
