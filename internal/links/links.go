// Package links finds what ties seizures together: records of one or many
// posts that carry the same identifier (idkey) make a cluster, a link when
// the identifier is of a strong kind (a weapon's make and serial, a
// document, a plate with its country…) and a suggestion when it is weak (a
// serial or a name alone). It keeps the analyst's judgement of a cluster,
// builds the network around one (records and the people, vehicles, weapons
// and documents in them) and lays it out, and writes clusters for IBM i2
// Analyst's Notebook and FollowTheMoney tools.
//
// The store keeps the identifiers and the judgements and answers the
// queries; this package holds what is done with their answers, without
// SQLite.
package links

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/fault"
	"github.com/kordon/kordon/internal/idkey"
)

// Strengths of a cluster.
const (
	// StrengthLink: the records share a key of a strong kind.
	StrengthLink = "link"
	// StrengthSuggestion: the records share a key of a weak kind; an
	// analyst has to look.
	StrengthSuggestion = "suggestion"
)

// Verdicts an analyst gives a cluster.
const (
	Same      = "same"
	Different = "different"
	Unsure    = "unsure"
)

// Verdicts are the verdicts in the order a screen offers them.
var Verdicts = []string{Same, Different, Unsure}

// MaxNote is the longest note a judgement keeps, in characters.
const MaxNote = 2000

// Refusals, for errors.Is; the command line and the screens show them in
// the user's language.
var (
	ErrVerdict   = &fault.Error{Key: "links.err.verdict"}    // not same, different or unsure
	ErrClusterID = &fault.Error{Key: "links.err.cluster_id"} // not kind:key
	ErrKind      = &fault.Error{Key: "links.err.kind"}       // an unknown kind
	ErrNote      = &fault.Error{Key: "links.err.note"}       // too long, or control characters
	ErrNoCluster = &fault.Error{Key: "links.err.no_cluster"} // no two records share the key
)

// Member is one record of a cluster, and how it carries the key.
type Member struct {
	Ref        string    `json:"-"`
	ID         string    `json:"id"`
	Number     string    `json:"number"`
	PostCode   string    `json:"post_code"`
	OccurredAt time.Time `json:"occurred_at"`
	Training   bool      `json:"training,omitempty"`
	// Label is the identifier as this record writes it.
	Label   string `json:"label"`
	Entity  string `json:"entity,omitempty"`
	Country string `json:"country,omitempty"`
	Partial bool   `json:"partial,omitempty"`
}

// Judgement is what an analyst said of a cluster, the latest counting.
type Judgement struct {
	Verdict string `json:"verdict"`
	Note    string `json:"note,omitempty"`
	// Records are the records the analyst judged (their refs): one that
	// shares the key later was not judged.
	Records []string  `json:"-"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

// Cluster is the records that share one key of one kind.
type Cluster struct {
	Kind     idkey.Kind `json:"kind"`
	Key      string     `json:"key"`
	Strength string     `json:"strength"`
	// Label is the identifier as its newest record writes it.
	Label     string     `json:"label"`
	Records   []Member   `json:"records"`
	Judgement *Judgement `json:"judgement"`
}

// ID is the cluster's id as commands take it: kind:key.
func (c *Cluster) ID() string { return ID(c.Kind, c.Key) }

// ID is the id of the cluster of kind and key.
func ID(kind idkey.Kind, key string) string { return string(kind) + ":" + key }

// ParseID reads a cluster id, kind:key.
func ParseID(id string) (idkey.Kind, string, error) {
	k, key, ok := strings.Cut(strings.TrimSpace(id), ":")
	if !ok || key == "" {
		return "", "", fault.New(ErrClusterID, nil, "id", id)
	}
	kind, ok := idkey.ParseKind(k)
	if !ok {
		return "", "", fault.New(ErrKind, nil, "kind", k)
	}
	return kind, key, nil
}

// StrengthOf is the strength of a cluster of the kind.
func StrengthOf(kind idkey.Kind) string {
	if kind.Strong() {
		return StrengthLink
	}
	return StrengthSuggestion
}

// CheckVerdict refuses a verdict or note an analyst may not give.
func CheckVerdict(verdict, note string) error {
	switch verdict {
	case Same, Different, Unsure:
	default:
		return fault.New(ErrVerdict, nil, "verdict", verdict)
	}
	if len([]rune(note)) > MaxNote {
		return fault.New(ErrNote, nil, "max", MaxNote)
	}
	for _, r := range note {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			return fault.New(ErrNote, nil, "max", MaxNote)
		}
	}
	return nil
}

// Newest is when the cluster's newest seizure happened.
func (c *Cluster) Newest() time.Time {
	var t time.Time
	for _, m := range c.Records {
		if m.OccurredAt.After(t) {
			t = m.OccurredAt
		}
	}
	return t
}

// Posts are the posts the cluster's records come from, sorted.
func (c *Cluster) Posts() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range c.Records {
		if !seen[m.PostCode] {
			seen[m.PostCode] = true
			out = append(out, m.PostCode)
		}
	}
	sort.Strings(out)
	return out
}

// Dismissed reports whether an analyst judged the records different: the
// cluster is then no longer shown as a link, until a record the analyst
// did not see shares the key.
func (c *Cluster) Dismissed() bool {
	if c.Judgement == nil || c.Judgement.Verdict != Different {
		return false
	}
	return c.Judgement.Covers(c.Records)
}

// Covers reports whether the analyst judged every one of ms.
func (j *Judgement) Covers(ms []Member) bool {
	for _, m := range ms {
		if !slices.Contains(j.Records, m.Ref) {
			return false
		}
	}
	return true
}

// SortStrongFirst orders clusters links first, then suggestions, each
// newest first: how one record's links are listed.
func SortStrongFirst(cs []Cluster) {
	SortNewest(cs)
	sort.SliceStable(cs, func(i, j int) bool {
		return cs[i].Strength == StrengthLink && cs[j].Strength != StrengthLink
	})
}

// SortNewest orders clusters newest seizure first, links before
// suggestions of the same day, then by id.
func SortNewest(cs []Cluster) {
	newest := make(map[string]time.Time, len(cs))
	for i := range cs {
		newest[cs[i].ID()] = cs[i].Newest()
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := newest[cs[i].ID()], newest[cs[j].ID()]
		if !a.Equal(b) {
			return a.After(b)
		}
		if cs[i].Strength != cs[j].Strength {
			return cs[i].Strength == StrengthLink
		}
		return cs[i].ID() < cs[j].ID()
	})
}

// Timeline is the cluster's seizures, oldest first.
func (c *Cluster) Timeline() []Member {
	out := append([]Member(nil), c.Records...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].OccurredAt.Before(out[j].OccurredAt) })
	return out
}

// Carrier is a record with the identifiers it carries: what a network is
// built from.
type Carrier struct {
	Ref        string
	ID         string
	Number     string
	PostCode   string
	OccurredAt time.Time
	Training   bool
	Idents     []idkey.Ident
}

// Filter chooses clusters. A cluster is chosen when one of its
// records meets the filter; all its records are given.
type Filter struct {
	// Kinds are the kinds to give; none means every kind.
	Kinds []idkey.Kind
	// Suggestions gives clusters of weak kinds too.
	Suggestions bool
	// Dismissed gives the clusters an analyst judged different too.
	Dismissed bool
	// Training gives training records too; otherwise they are left out,
	// as statistics leave them out.
	Training bool
	// Post, Country (of the post), From and To (when it happened, To
	// excluded) choose by the records.
	Post, Country string
	From, To      time.Time
}

// Chosen are the kinds the filter gives: those named, weak ones too, or
// else every strong kind, and the weak ones with Suggestions.
func (f *Filter) Chosen() []idkey.Kind {
	var out []idkey.Kind
	for _, k := range idkey.Kinds() {
		if len(f.Kinds) > 0 && slices.Contains(f.Kinds, k) || len(f.Kinds) == 0 && (k.Strong() || f.Suggestions) {
			out = append(out, k)
		}
	}
	return out
}

// Chooses reports whether the record m meets the filter.
func (f *Filter) Chooses(m *Member) bool {
	switch {
	case f.Post != "" && m.PostCode != f.Post:
		return false
	case f.Country != "" && !strings.HasPrefix(m.PostCode, f.Country+"-"):
		return false
	case !f.From.IsZero() && m.OccurredAt.Before(f.From):
		return false
	case !f.To.IsZero() && !m.OccurredAt.Before(f.To):
		return false
	}
	return true
}

// Hit is a cluster that records just received share with records held
// before: what an import tells the office.
type Hit struct {
	Cluster Cluster
	// New are the cluster's records the import brought, Held the others.
	New, Held []Member
}

// Hits are the clusters of cs with records among fresh (by Ref) and
// records not among them, links before suggestions.
func Hits(cs []Cluster, fresh map[string]bool) []Hit {
	var out []Hit
	for _, c := range cs {
		h := Hit{Cluster: c}
		for _, m := range c.Records {
			if fresh[m.Ref] {
				h.New = append(h.New, m)
			} else {
				h.Held = append(h.Held, m)
			}
		}
		if len(h.New) > 0 && len(h.Held) > 0 {
			out = append(out, h)
		}
	}
	SortHits(out)
	return out
}

// SortHits orders hits links first, then suggestions, each newest first.
func SortHits(hs []Hit) {
	sort.SliceStable(hs, func(i, j int) bool {
		a, b := &hs[i].Cluster, &hs[j].Cluster
		if a.Strength != b.Strength {
			return a.Strength == StrengthLink
		}
		return a.Newest().After(b.Newest())
	})
}

// Words are what Text needs of a translator.
type Words interface {
	T(key string, args ...any) string
	Date(t time.Time) string
}

// Text says what the imported record shares with the newest of those held
// before, in the user's language: "serial ХА672039 also seized at KG-TOR
// on 03.02.2026".
func (h *Hit) Text(w Words) string {
	held := h.Held[0]
	for _, m := range h.Held {
		if m.OccurredAt.After(held.OccurredAt) {
			held = m
		}
	}
	key := "links.hit"
	if h.Cluster.Strength == StrengthSuggestion {
		key = "links.hit_suggestion"
	}
	return w.T(key, "kind", w.T("links.kind."+string(h.Cluster.Kind)), "value", h.Cluster.Label,
		"post", held.PostCode, "date", w.Date(held.OccurredAt), "number", held.Number, "new", h.New[0].Number)
}
