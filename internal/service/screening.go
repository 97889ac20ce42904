package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/screening"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/view"
)

// SourceUN names the UN Security Council Consolidated List among the
// lists a folder holds.
const SourceUN = "un"

// ErrNoList: no sanctions list was loaded yet.
var ErrNoList = &Error{Key: "service.err.no_list"}

// index is the held list prepared for screening, made once per list.
type index struct {
	mu  sync.Mutex
	sha string
	ix  *screening.Index
}

// set prepares l, the list now held.
func (x *index) set(l *screening.List) *screening.Index {
	ix := screening.NewIndex(l)
	x.mu.Lock()
	x.sha, x.ix = l.SHA256, ix
	x.mu.Unlock()
	return ix
}

// LoadList reads the UN Security Council Consolidated List at path (as the
// UN publishes it, brought on a USB stick: nothing is downloaded), checks it
// whole, and keeps it in place of the list held, in one transaction. A file
// that is not the list, is incomplete or hostile is refused with its reason
// and the list held stays. At a post, path is the list file its office
// wrote (ExportLists) and signed: see loadListFile.
func (s *Service) LoadList(ctx context.Context, path string) (*view.ListInfo, error) {
	p, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	if p.Role != RoleOffice {
		return s.loadListFile(ctx, path)
	}
	if err := RegularFile(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Key: "cli.err.open_file", Args: []any{"path", path}, Err: err}
	}
	defer f.Close()
	// Read no more than the parser takes: a larger file is refused by it
	// without reading the rest.
	data, err := io.ReadAll(io.LimitReader(f, screening.MaxBytes+1))
	if err != nil {
		return nil, &Error{Key: "cli.err.open_file", Args: []any{"path", path}, Err: err}
	}
	l, err := screening.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if l.Generated.IsZero() {
		return nil, screening.ErrNotList
	}
	if held, err := s.ListInfo(ctx); err != nil {
		return nil, err
	} else if held != nil && l.Generated.Before(held.Generated) {
		return nil, &Error{Key: ErrOlderList.Key, Args: []any{"date", l.Generated.Format("2006-01-02"), "held", held.Generated.Format("2006-01-02")}}
	}
	info := view.ListInfo{Source: SourceUN, Generated: l.Generated, SHA256: l.SHA256, Entries: l.Len()}
	if err := s.st.KeepList(ctx, info, data, s.Actor); err != nil {
		return nil, err
	}
	s.screen.set(l)
	held, _, err := s.st.HeldList(ctx, SourceUN)
	return held, err
}

// ListInfo is the UN list held, nil if none was loaded.
func (s *Service) ListInfo(ctx context.Context) (*view.ListInfo, error) {
	info, _, err := s.st.HeldList(ctx, SourceUN)
	return info, err
}

// screeningIndex is the held list prepared for screening (ErrNoList if
// none), read from the store once per list.
func (s *Service) screeningIndex(ctx context.Context) (*screening.Index, error) {
	sum, err := s.st.ListSHA256(ctx, SourceUN)
	if err != nil {
		return nil, err
	}
	if sum == "" {
		return nil, ErrNoList
	}
	s.screen.mu.Lock()
	ix := s.screen.ix
	same := s.screen.sha == sum
	s.screen.mu.Unlock()
	if same {
		return ix, nil
	}
	info, data, err := s.st.HeldList(ctx, SourceUN)
	if err != nil {
		return nil, err
	}
	if info == nil {
		return nil, ErrNoList
	}
	l, err := screening.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read the list held: %w", err)
	}
	return s.screen.set(l), nil
}

// Screen screens one name (with what else is known of the person or
// organisation) against the list held: hits, best first.
func (s *Service) Screen(ctx context.Context, q screening.Query) ([]screening.Hit, error) {
	ix, err := s.screeningIndex(ctx)
	if err != nil {
		return nil, err
	}
	return ix.Screen(q), nil
}

// StoreHit is a person or organisation of a record that the list holds.
type StoreHit struct {
	Record *view.Summary
	// Who is the person's or organisation's name as the record writes
	// it, and Path where ("people[0]", "organisations[1]").
	Who, Path string
	// Subject is the person's or organisation's key a decision is kept
	// by; Decision the latest one on this subject and entry, if any (a
	// false match is not raised again).
	Subject  string
	Decision *view.Decision
	screening.Hit
}

// Verdicts of a decision on a hit.
const (
	HitConfirmed  = "confirmed"
	HitFalseMatch = "false_match"
)

// ErrVerdict: a decision that is neither confirmed nor false_match.
var ErrVerdict = &Error{Key: "service.err.hit_verdict"}

// ErrNoHit: no such person in the record, or the list does not name them
// as that entry.
var ErrNoHit = &Error{Key: "service.err.no_hit"}

// ScreenAll screens every person (witnesses and interpreters aside) and
// organisation of the folder's records against the list held, training
// records only with training; progress, if set, is told each record.
func (s *Service) ScreenAll(ctx context.Context, training bool, progress func(done int)) ([]StoreHit, error) {
	ix, err := s.screeningIndex(ctx)
	if err != nil {
		return nil, err
	}
	decided, err := s.st.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	var out []StoreHit
	n := 0
	err = s.st.EachCurrent(ctx, training, func(in *record.Interdiction) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		out = append(out, screenRecord(ix, in, decided)...)
		if n++; progress != nil && n%1000 == 0 {
			progress(n)
		}
		return nil
	})
	return out, err
}

// PathQuery is what a record gives to screen one of its people or
// organisations, and where in the record it is.
type PathQuery struct {
	Path    string
	Subject string
	Query   screening.Query
}

// Queries are the screening queries of a record's people (witnesses and
// interpreters aside: they are the post's neighbours, called to sign) and
// organisations, each name form once.
func Queries(in *record.Interdiction) []PathQuery {
	var out []PathQuery
	for i, p := range in.People {
		if p.Role == "witness" || p.Role == "interpreter" {
			continue
		}
		// A name alone names too many people: without a birth date, a
		// decision holds for this person of this record only.
		subject := "person:" + idkey.NameKey(firstOf(p.NameLatin, p.Name))
		if p.BirthDate != "" {
			subject += "/" + p.BirthDate
		} else {
			subject += "@" + in.Ref() + "#" + fmt.Sprintf("people[%d]", i)
		}
		for _, name := range uniq(p.Name, p.NameLatin) {
			out = append(out, PathQuery{fmt.Sprintf("people[%d]", i), subject, screening.Query{Name: name, Kind: screening.QueryPerson,
				BirthDate: p.BirthDate, Nationality: p.Nationality, Document: p.DocumentNumber}})
		}
	}
	for i, o := range in.Organisations {
		subject := "org:" + idkey.OrgKey(firstOf(o.NameLatin, o.Name))
		for _, name := range uniq(o.Name, o.NameLatin) {
			out = append(out, PathQuery{fmt.Sprintf("organisations[%d]", i), subject, screening.Query{Name: name, Kind: screening.QueryOrganisation, Nationality: o.Country}})
		}
	}
	return out
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func uniq(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && (len(out) == 0 || out[len(out)-1] != s) {
			out = append(out, s)
		}
	}
	return out
}

// screenFresh screens the people and organisations of the records an
// import changed against the list held, and their fields against the watch
// list.
func (s *Service) screenFresh(ctx context.Context, fresh []store.Fresh) ([]StoreHit, []WatchHit, error) {
	if len(fresh) == 0 {
		return nil, nil, nil
	}
	ix, err := s.screeningIndex(ctx)
	if err != nil && !errors.Is(err, ErrNoList) {
		return nil, nil, err
	}
	entries, err := s.st.Watch(ctx)
	if err != nil {
		return nil, nil, err
	}
	if ix == nil && len(entries) == 0 {
		return nil, nil, nil // nothing to screen against: no record is read
	}
	decided, err := s.st.Decisions(ctx)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	var listed []StoreHit
	var watched []WatchHit
	for _, f := range fresh {
		if seen[f.Ref] {
			continue
		}
		seen[f.Ref] = true
		cur, err := s.st.Get(ctx, f.Ref)
		if err != nil {
			return nil, nil, err
		}
		if ix != nil {
			listed = append(listed, screenRecord(ix, cur.Record, decided)...)
		}
		w := watchHits(entries, cur.Record)
		for i := range w {
			w[i].Number = cur.Record.Number
		}
		watched = append(watched, w...)
	}
	return listed, watched, nil
}

// screenRecord screens the people and organisations of in, leaving out
// what was decided a false match, each subject and entry once.
func screenRecord(ix *screening.Index, in *record.Interdiction, decided map[string]view.Decision) []StoreHit {
	var out []StoreHit
	var sum *view.Summary
	seen := map[string]bool{}
	for _, q := range Queries(in) {
		for _, h := range ix.Screen(q.Query) {
			k := q.Subject + "\x00" + h.Entry.Reference
			if seen[q.Path+k] {
				continue
			}
			seen[q.Path+k] = true
			var dec *view.Decision
			if d, ok := decided[k]; ok {
				if d.Verdict == HitFalseMatch {
					continue
				}
				dec = &d
			}
			if sum == nil {
				sum = &view.Summary{ID: in.ID.String(), Origin: in.Origin, Number: in.Number, PostCode: in.PostCode, Version: in.Version,
					Status: in.Status, OccurredAt: in.OccurredAt, Training: in.Training}
			}
			out = append(out, StoreHit{Record: sum, Who: q.Query.Name, Path: q.Path, Subject: q.Subject, Decision: dec, Hit: h})
		}
	}
	return out
}

// RecordHits are the people and organisations of the record ref that the
// list held names, but those decided a false match; none if no list is
// held.
func (s *Service) RecordHits(ctx context.Context, ref string) ([]StoreHit, error) {
	ix, err := s.screeningIndex(ctx)
	if errors.Is(err, ErrNoList) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	decided, err := s.st.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := s.st.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	return screenRecord(ix, cur.Record, decided), nil
}

// Decide keeps what the officer or analyst decided of a hit: the person
// or organisation at path in the record ref is the listed entry reference
// (HitConfirmed) or not (HitFalseMatch), with a note. It is audited, and
// a false match is not raised again for that person or organisation and
// entry, in any record.
func (s *Service) Decide(ctx context.Context, ref, path, reference, verdict, note string) error {
	if verdict != HitConfirmed && verdict != HitFalseMatch {
		return &Error{Key: ErrVerdict.Key, Args: []any{"verdict", verdict}}
	}
	// Decided ones too: a decision may be taken back by the next one.
	ix, err := s.screeningIndex(ctx)
	if err != nil {
		return err
	}
	cur, err := s.st.Get(ctx, ref)
	if err != nil {
		return err
	}
	for _, h := range screenRecord(ix, cur.Record, nil) {
		if h.Path == path && h.Entry.Reference == reference {
			note = strings.TrimSpace(note)
			if len([]rune(note)) > 2000 {
				note = string([]rune(note)[:2000])
			}
			return s.st.Decide(ctx, view.Decision{Subject: h.Subject, Reference: reference, Verdict: verdict, Note: note,
				Ref: h.Record.Ref(), Path: path}, s.Actor)
		}
	}
	return &Error{Key: ErrNoHit.Key, Args: []any{"path", path, "reference", reference}}
}

// Text says who of which record the list names, as whom, in the user's
// language.
func (h *StoreHit) Text(w interface{ T(string, ...any) string }) string {
	return w.T("screening.hit_line", "who", h.Who, "number", h.Record.Number, "matched", h.Matched,
		"reference", h.Entry.Reference, "list", h.Entry.ListType, "score", fmt.Sprintf("%.2f", h.Score), "why", strings.Join(h.Why, "; "))
}

// ErrPostList: a post given another file than its office's list file.
var ErrPostList = &Error{Key: "service.err.post_list"}

// ErrOlderListFile: a list file the office wrote before the one held.
var ErrOlderListFile = &Error{Key: "service.err.older_list_file"}

// ErrOlderList: a list file holding an older list than the one held.
var ErrOlderList = &Error{Key: "service.err.older_list"}

// ExportLists writes the list held, signed by this office, to a new file
// at path for its posts (a USB stick, with the next courier).
func (s *Service) ExportLists(ctx context.Context, path string, overwrite Overwrite) (*view.ListInfo, error) {
	p, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	if p.Role != RoleOffice {
		return nil, ErrNotOffice
	}
	info, data, err := s.st.HeldList(ctx, SourceUN)
	if err != nil {
		return nil, err
	}
	if info == nil {
		return nil, ErrNoList
	}
	key, err := s.SigningKey()
	if err != nil {
		return nil, err
	}
	entries, err := s.st.Watch(ctx)
	if err != nil {
		return nil, err
	}
	seq, err := s.st.NextListsSequence(ctx)
	if err != nil {
		return nil, err
	}
	lf := &bundle.ListFile{Office: p.Code, Sequence: seq, UNGenerated: info.Generated, UNSHA256: info.SHA256, UN: data}
	for _, e := range entries {
		lf.Watch = append(lf.Watch, bundle.Watch{ID: e.ID, Kind: e.Kind, Value: e.Value, Reason: e.Reason, Until: e.Until})
	}
	err = s.writeFile(path, overwrite, 0o644, func(w io.Writer) error { return bundle.WriteListFile(w, lf, key) })
	return info, err
}

// loadListFile keeps the list of the list file at path, at a post: the
// file must be signed by an office this post trusts, and its list not
// older than the one held (the same list again changes nothing).
func (s *Service) loadListFile(ctx context.Context, path string) (*view.ListInfo, error) {
	data, err := readLimited(path, bundle.MaxListFile)
	if err != nil {
		return nil, err
	}
	if !bundle.IsListFile(data) {
		return nil, ErrPostList
	}
	lf, err := bundle.ReadListFile(data, s.trust(ctx))
	if err != nil {
		return nil, err
	}
	l, err := screening.Parse(bytes.NewReader(lf.UN))
	if err != nil {
		return nil, err
	}
	held, _, err := s.st.HeldList(ctx, SourceUN)
	if err != nil {
		return nil, err
	}
	// A file the office wrote before the one held (by its number), or an
	// older UN list, is refused: a post never goes back.
	if v, err := s.st.Meta(ctx, store.MetaListsSequence); err != nil {
		return nil, err
	} else if n, _ := strconv.ParseUint(v, 10, 64); lf.Sequence == n && held != nil {
		return held, nil // the file taken before, again: nothing changes
	} else if lf.Sequence <= n {
		return nil, &Error{Key: ErrOlderListFile.Key, Args: []any{"sequence", strconv.FormatUint(lf.Sequence, 10), "held", v}}
	}
	var info *view.ListInfo
	switch {
	case held != nil && held.SHA256 == l.SHA256:
	case held != nil && l.Generated.Before(held.Generated):
		return nil, &Error{Key: ErrOlderList.Key, Args: []any{"date", l.Generated.Format("2006-01-02"), "held", held.Generated.Format("2006-01-02")}}
	default:
		info = &view.ListInfo{Source: SourceUN, Generated: l.Generated, SHA256: l.SHA256, Entries: l.Len()}
	}
	cc, _, _ := strings.Cut(lf.Office, "-")
	var entries []view.WatchEntry
	for _, w := range lf.Watch {
		key := watchKey(w.Kind, w.Value, cc)
		if key == "" {
			continue // a value this version cannot key links nothing
		}
		entries = append(entries, view.WatchEntry{ID: w.ID, Kind: w.Kind, Value: w.Value, Key: key, Reason: w.Reason, Until: w.Until, AddedBy: lf.Office})
	}
	if err := s.st.KeepOfficeLists(ctx, info, lf.UN, entries, lf.Sequence, store.SHA256(data), s.Actor); err != nil {
		return nil, err
	}
	s.screen.set(l)
	held, _, err = s.st.HeldList(ctx, SourceUN)
	return held, err
}

// HitsOf are the people and organisations of in, saved or not (a form
// being typed), that the list held names, but those decided a false
// match; none if no list is held.
func (s *Service) HitsOf(ctx context.Context, in *record.Interdiction) ([]StoreHit, error) {
	ix, err := s.screeningIndex(ctx)
	if errors.Is(err, ErrNoList) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	decided, err := s.st.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	return screenRecord(ix, in, decided), nil
}

// keepAlerts keeps in the audit trail who and what of the records just
// saved the lists name, once for each record, field and entry. Nothing is
// read when no list is held.
func (s *Service) keepAlerts(ctx context.Context, ins ...*record.Interdiction) {
	if len(ins) == 0 {
		return
	}
	ix, err := s.screeningIndex(ctx)
	if err != nil && !errors.Is(err, ErrNoList) {
		return
	}
	entries, err := s.st.Watch(ctx)
	if err != nil || ix == nil && len(entries) == 0 {
		return
	}
	decided, err := s.st.Decisions(ctx)
	if err != nil {
		return
	}
	var alerts []store.Alert
	for _, in := range ins {
		if ix != nil {
			for _, h := range screenRecord(ix, in, decided) {
				alerts = append(alerts, store.Alert{Ref: in.Ref(), Path: h.Path, Reference: h.Entry.Reference, Who: h.Who, Score: fmt.Sprintf("%.2f", h.Score)})
			}
		}
		for _, h := range watchHits(entries, in) {
			alerts = append(alerts, store.Alert{Ref: in.Ref(), Path: h.Path, Reference: "watch:" + h.Entry.ID, Who: h.Label, Score: "1.00"})
		}
	}
	if len(alerts) > 0 {
		s.st.KeepAlerts(ctx, alerts, s.Actor)
	}
}

// ScreeningHeld reports whether there is anything to screen against: a
// sanctions list or a watch list entry.
func (s *Service) ScreeningHeld(ctx context.Context) (bool, error) {
	sum, err := s.st.ListSHA256(ctx, SourceUN)
	if err != nil || sum != "" {
		return sum != "", err
	}
	entries, err := s.st.Watch(ctx)
	return len(entries) > 0, err
}
