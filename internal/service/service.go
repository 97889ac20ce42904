// Package service holds Kordon's use cases, shared by the desktop
// application and the command line so that each behaviour exists once:
// setting up a data folder, taking records in from JSON, filling a training
// store, and everything the store offers for reading.
package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/fault"
	"github.com/kordon/kordon/internal/record"
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
)

// Service is an open data folder and the use cases on it. The store's
// reading methods (Get, List, Search, Stats, History, …) are available on it
// directly.
type Service struct {
	*store.Store
	// Dir is the data folder.
	Dir string
	// Actor names who makes the changes, for the audit log.
	Actor string
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
		if s := getenv(v); s != "" {
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
// the post it serves. A folder already set up is refused and left as it was.
func Init(ctx context.Context, dir string, setup Setup, opts ...store.Option) (*Service, error) {
	setup.PostCode = strings.ToUpper(strings.TrimSpace(setup.PostCode))
	setup.PostName = strings.TrimSpace(setup.PostName)
	if !record.ValidPostCode(setup.PostCode) {
		return nil, &Error{Key: ErrBadPostCode.Key, Args: []any{"value", setup.PostCode}}
	}
	if setup.PostName == "" {
		return nil, ErrPostNameEmpty
	}
	st, err := store.Open(dir, opts...)
	if err != nil {
		return nil, err
	}
	if dev, err := st.Meta(ctx, store.MetaDeviceID); err != nil || dev != "" {
		st.Close()
		if err != nil {
			return nil, err
		}
		return nil, &Error{Key: ErrAlreadySetUp.Key, Args: []any{"path", dir}}
	}
	role := RolePost
	if setup.Office {
		role = RoleOffice
	}
	key, err := makeKeys(dir, setup.Office)
	if err != nil {
		st.Close()
		return nil, err
	}
	if err := st.SetMeta(ctx, map[string]string{
		MetaKeyID:          key.KeyID(),
		store.MetaDeviceID: uuid.NewString(),
		store.MetaPostCode: setup.PostCode,
		store.MetaPostName: setup.PostName,
		MetaRole:           role,
		MetaPlatform:       runtime.GOOS,
		MetaAgency:         strings.TrimSpace(setup.Agency),
		MetaCrossingPoints: strings.Join(setup.CrossingPoints, "\n"),
	}); err != nil {
		st.Close()
		return nil, err
	}
	return &Service{Store: st, Dir: dir}, nil
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

// Open opens a data folder that was set up with Init.
func Open(ctx context.Context, dir string, opts ...store.Option) (*Service, error) {
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); errors.Is(err, os.ErrNotExist) {
		return nil, &Error{Key: ErrNotSetUp.Key, Args: []any{"path", dir}}
	}
	st, err := store.Open(dir, opts...)
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
	return &Service{Store: st, Dir: dir}, nil
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
		v, err := s.Meta(ctx, f.key)
		if err != nil {
			return p, err
		}
		*f.dst = v
	}
	return p, nil
}

// Resolve finds a record by its UUID or its post-local number.
func (s *Service) Resolve(ctx context.Context, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if _, err := uuid.Parse(ref); err == nil {
		return ref, nil
	}
	return s.Store.IDByNumber(ctx, strings.ToUpper(ref))
}
