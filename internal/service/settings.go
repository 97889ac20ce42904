package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
)

// Settings are the post's details the officers may change after set-up.
type Settings struct {
	PostName string
	// Agency names the service the post belongs to, at the head of every
	// protocol.
	Agency string
	// CrossingPoints are offered in the form; see ParseCrossingPoints.
	CrossingPoints []string
	// OfficerName and OfficerRank fill the first officer of a new record
	// and name who makes changes in the audit log.
	OfficerName, OfficerRank string
	// Contact is how a requested state answers a tracing request: a
	// telephone, an e-mail address.
	Contact string
}

// MetaContact names the contact setting.
const MetaContact = "contact"

// ParseCrossingPoints reads a list of crossing points as typed: one a line
// or separated by ";", both everywhere. Blanks and repeats are dropped.
func ParseCrossingPoints(text string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// Settings reads the post's settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	var set Settings
	var points string
	for _, f := range []struct {
		key string
		dst *string
	}{{store.MetaPostName, &set.PostName}, {MetaAgency, &set.Agency}, {MetaCrossingPoints, &points}, {MetaOfficerName, &set.OfficerName}, {MetaOfficerRank, &set.OfficerRank}, {MetaContact, &set.Contact}} {
		v, err := s.st.Meta(ctx, f.key)
		if err != nil {
			return set, err
		}
		*f.dst = v
	}
	set.CrossingPoints = ParseCrossingPoints(points)
	return set, nil
}

// SaveSettings keeps the post's settings; the post's name must not be
// empty.
func (s *Service) SaveSettings(ctx context.Context, set Settings) error {
	set.PostName = strings.TrimSpace(set.PostName)
	if set.PostName == "" {
		return ErrPostNameEmpty
	}
	set.CrossingPoints = ParseCrossingPoints(strings.Join(set.CrossingPoints, "\n"))
	set.OfficerName, set.OfficerRank = strings.TrimSpace(set.OfficerName), strings.TrimSpace(set.OfficerRank)
	set.Agency, set.Contact = strings.TrimSpace(set.Agency), strings.TrimSpace(set.Contact)
	if err := checkNames(append([]string{set.PostName, set.Agency, set.OfficerName, set.OfficerRank, set.Contact}, set.CrossingPoints...)...); err != nil {
		return err
	}
	return s.st.SetMeta(ctx, map[string]string{
		store.MetaPostName: set.PostName,
		MetaAgency:         set.Agency,
		MetaCrossingPoints: strings.Join(set.CrossingPoints, "\n"),
		MetaOfficerName:    strings.TrimSpace(set.OfficerName),
		MetaOfficerRank:    strings.TrimSpace(set.OfficerRank),
		MetaContact:        set.Contact,
	})
}

// checkNames checks names that go onto records, protocols and into the
// audit log, as records' own names are checked: one line, no control or
// direction-override characters, at most record.MaxName characters.
func checkNames(names ...string) error {
	for _, s := range names {
		if err := record.CheckName("", s); err != nil {
			if len([]rune(s)) > 40 {
				s = string([]rune(s)[:40]) + "…"
			}
			return &Error{Key: "service.err.bad_name", Args: []any{"value", strconv.QuoteToGraphic(s)}, Err: err}
		}
	}
	return nil
}

// plainLine is s on one line, trimmed, without control characters: a name
// also goes into the audit log and onto protocols.
func plainLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if record.BadRune(r, false) {
			return -1 // controls and direction overrides
		}
		return r
	}, s))
}

// Lang is the language the officers chose for this folder, "" if none.
func (s *Service) Lang(ctx context.Context) (string, error) {
	return s.st.Meta(ctx, MetaLang)
}

// SetLang keeps the language the officers chose.
func (s *Service) SetLang(ctx context.Context, code string) error {
	return s.st.SetMeta(ctx, map[string]string{MetaLang: code})
}

// OfficeKey is the key of the office this post sends its bundles to; nil
// when the post trusts none, or revoked it.
func (s *Service) OfficeKey(ctx context.Context) (*bundle.PublicKey, error) {
	id, err := s.st.Meta(ctx, MetaOfficeKeyID)
	if err != nil || id == "" {
		return nil, err
	}
	k, err := s.st.Key(ctx, id)
	if err != nil || k.Revoked != nil {
		return nil, err
	}
	return bundle.ParsePublicKey([]byte(k.PublicKey))
}
