package service

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/textkey"
	"github.com/kordon/kordon/internal/view"
)

// Kinds of watch list entry.
var WatchKinds = []string{"serial", "document", "plate", "phone", "person", "organisation"}

// Refusals of a watch list entry.
var (
	ErrWatchKind  = &Error{Key: "service.err.watch_kind"}
	ErrWatchValue = &Error{Key: "service.err.watch_value"}
	ErrWatchUntil = &Error{Key: "service.err.watch_until"}
)

// watchKey is the key an entry of kind is matched by: the identifier key
// (idkey) the records' fields of that kind give.
func watchKey(kind, value, country string) string {
	// A number, as idkey keys one: four characters and a digit at least.
	number := func(k string) string {
		if len(k) < 4 || !strings.ContainsAny(k, "0123456789") {
			return ""
		}
		return k
	}
	switch kind {
	case "serial", "document":
		return number(textkey.Serial(value))
	case "plate":
		return number(idkey.PlateKey(value))
	case "phone":
		return idkey.PhoneE164(value, country)
	case "person":
		// A name of two words at least, as records are keyed (idkey).
		if k := idkey.NameKey(value); strings.Contains(k, "_") {
			return k
		}
		return ""
	case "organisation":
		return idkey.OrgKey(value)
	}
	return ""
}

// AddWatch puts an entry on this office's watch list: kind (WatchKinds),
// the value as typed, why, and the last day it holds (YYYY-MM-DD, "" for
// no end). It is audited, and goes to the posts with the next list file.
func (s *Service) AddWatch(ctx context.Context, kind, value, reason, until string) (*view.WatchEntry, error) {
	p, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	if p.Role != RoleOffice {
		return nil, ErrNotOffice
	}
	value, reason, until = strings.TrimSpace(value), strings.TrimSpace(reason), strings.TrimSpace(until)
	known := false
	for _, k := range WatchKinds {
		known = known || k == kind
	}
	if !known {
		return nil, &Error{Key: ErrWatchKind.Key, Args: []any{"kind", kind}}
	}
	cc, _, _ := strings.Cut(p.Code, "-")
	key := watchKey(kind, value, cc)
	bad := func(t string) bool { return t != "" && record.ValidateRemark(t) != nil }
	if key == "" || len([]rune(value)) > 200 || len([]rune(reason)) > 2000 || bad(value) || bad(reason) {
		return nil, &Error{Key: ErrWatchValue.Key, Args: []any{"kind", kind, "value", value}}
	}
	if until != "" {
		d, err := time.Parse(time.DateOnly, until)
		if err != nil || d.Before(time.Now().UTC().Truncate(24*time.Hour)) {
			return nil, &Error{Key: ErrWatchUntil.Key, Args: []any{"until", until}}
		}
	}
	e := view.WatchEntry{ID: uuid.NewString(), Kind: kind, Value: value, Key: key, Reason: reason, Until: until}
	if err := s.st.AddWatch(ctx, e, s.Actor); err != nil {
		return nil, err
	}
	e.AddedBy = s.Actor
	return &e, nil
}

// RemoveWatch takes the entry id off the watch list (audited).
func (s *Service) RemoveWatch(ctx context.Context, id string) error {
	p, err := s.Post(ctx)
	if err != nil {
		return err
	}
	if p.Role != RoleOffice {
		return ErrNotOffice
	}
	return s.st.RemoveWatch(ctx, strings.TrimSpace(id), s.Actor)
}

// Watch is the watch list now: this office's, or at a post its office's
// as the last list file carried it.
func (s *Service) Watch(ctx context.Context) ([]view.WatchEntry, error) {
	return s.st.Watch(ctx)
}

// WatchHit is a field of a record that an entry of the watch list names.
type WatchHit struct {
	// Path is what in the record carries it: "people[0]", "items[2]",
	// "conveyance", "organisations[1]"; Number the record's, if saved.
	Path, Number string
	Label        string
	Entry        view.WatchEntry
}

// Text says which record's what the watch list names, and why, in the
// user's language.
func (h *WatchHit) Text(w interface{ T(string, ...any) string }) string {
	return w.T("watch.hit_line", "number", h.Number, "kind", w.T("ui.watch.kind."+h.Entry.Kind), "value", h.Label, "reason", h.Entry.Reason)
}

// watchKindOf is the watch list kind an identifier kind is matched as,
// and the part of its key to match.
func watchKindOf(id idkey.Ident) (string, string) {
	switch id.Kind {
	case idkey.Serial:
		return "serial", id.Key
	case idkey.Document:
		return "document", id.Key[strings.LastIndexByte(id.Key, '/')+1:]
	case idkey.PlateNumber:
		return "plate", id.Key
	case idkey.Phone:
		return "phone", id.Key
	case idkey.Name:
		return "person", id.Key
	case idkey.Organisation:
		return "organisation", id.Key
	}
	return "", ""
}

// WatchHits are the fields of in (saved or being typed) that the watch list
// names.
func (s *Service) WatchHits(ctx context.Context, in *record.Interdiction) ([]WatchHit, error) {
	entries, err := s.st.Watch(ctx)
	if err != nil {
		return nil, err
	}
	return watchHits(entries, in), nil
}

// watchHits are the fields of in that entries name.
func watchHits(entries []view.WatchEntry, in *record.Interdiction) []WatchHit {
	if len(entries) == 0 {
		return nil
	}
	byKey := map[string][]view.WatchEntry{}
	for _, e := range entries {
		byKey[e.Kind+"\x00"+e.Key] = append(byKey[e.Kind+"\x00"+e.Key], e)
	}
	var out []WatchHit
	for _, id := range idkey.Of(in) {
		kind, key := watchKindOf(id)
		for _, e := range byKey[kind+"\x00"+key] {
			out = append(out, WatchHit{Path: id.Entity, Label: id.Label, Entry: e})
		}
	}
	return out
}
