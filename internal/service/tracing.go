package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/report"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// Refusals of tracing.
var (
	// ErrNoItem: no item of that id, or of that number in the record.
	ErrNoItem = &Error{Key: "service.err.no_item"}
	// ErrItemAmbiguous: records of two devices hold an item of that id.
	ErrItemAmbiguous = &Error{Key: "service.err.item_ambiguous"}
	// ErrNotTraceable: a request for an item that is not traced.
	ErrNotTraceable = &Error{Key: "service.err.not_traceable"}
	// ErrTraceDraft: an item of a draft, which is traced once final.
	ErrTraceDraft = &Error{Key: "service.err.trace_draft"}
	// ErrSameFile: the request and its JSON twin named the same file.
	ErrSameFile = &Error{Key: "service.err.same_file"}
)

// TraceTarget is one item of a record, as a trace names it.
type TraceTarget struct {
	// Ref is the record's reference, ItemID the item's id, Index its
	// place in the record's current version.
	Ref, ItemID string
	Index       int
	Record      *view.Current
}

// Name is how people name the item: the record's number and the item's,
// "KZ-DOS-2026-0042#1".
func (t *TraceTarget) Name() string { return fmt.Sprintf("%s#%d", t.Record.Record.Number, t.Index+1) }

// Item returns the item of the record's current version.
func (t *TraceTarget) Item() *record.Item { return &t.Record.Record.Items[t.Index] }

// TraceItem finds the item arg names: its id, or a record (as Resolve
// takes it) and the item's number there, "KZ-DOS-2026-0042#1".
func (s *Service) TraceItem(ctx context.Context, arg string) (*TraceTarget, error) {
	arg = strings.TrimSpace(arg)
	noItem := &Error{Kind: ErrNoItem, Key: ErrNoItem.Key, Args: []any{"item", arg}}
	if ref, n, ok := strings.Cut(arg, "#"); ok {
		no, err := strconv.Atoi(n)
		if err != nil || no < 1 {
			return nil, noItem
		}
		id, err := s.Resolve(ctx, ref)
		if err != nil {
			return nil, err
		}
		cur, err := s.st.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if cur.Deleted || no > len(cur.Record.Items) {
			return nil, noItem
		}
		return target(cur, no-1)
	}
	id, err := uuid.Parse(arg)
	if err != nil {
		return nil, noItem
	}
	refs, _, err := s.st.ItemRecords(ctx, id.String())
	switch {
	case err != nil:
		return nil, err
	case len(refs) == 0:
		return nil, noItem
	case len(refs) > 1:
		return nil, &Error{Kind: ErrItemAmbiguous, Key: ErrItemAmbiguous.Key, Args: []any{"item", arg, "records", strings.Join(refs, ", ")}}
	}
	return s.TraceItemOf(ctx, refs[0], id.String())
}

// TraceItemOf is item itemID of the record ref.
func (s *Service) TraceItemOf(ctx context.Context, ref, itemID string) (*TraceTarget, error) {
	cur, err := s.st.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	for i, it := range cur.Record.Items {
		if it.ID.String() == itemID && !cur.Deleted {
			return target(cur, i)
		}
	}
	return nil, &Error{Kind: ErrNoItem, Key: ErrNoItem.Key, Args: []any{"item", itemID}}
}

// target is item i of the record cur as a trace names it: an item of a
// final record, its id its own in the record.
func target(cur *view.Current, i int) (*TraceTarget, error) {
	in := cur.Record
	t := &TraceTarget{Ref: store.Ref(in.Origin, in.ID.String()), ItemID: in.Items[i].ID.String(), Index: i, Record: cur}
	if in.Status != record.StatusFinal {
		return nil, &Error{Kind: ErrTraceDraft, Key: ErrTraceDraft.Key, Args: []any{"item", t.Name()}}
	}
	for j, it := range in.Items {
		if j != i && it.ID == in.Items[i].ID {
			return nil, &Error{Kind: ErrItemAmbiguous, Key: ErrItemAmbiguous.Key, Args: []any{"item", t.Name(), "records", in.Number}}
		}
	}
	return t, nil
}

// named says which item a refusal of the store is about, as people name it.
func (t *TraceTarget) named(err error) error {
	for _, kind := range []*Error{store.ErrTraceStale, store.ErrNotTraced} {
		if errors.Is(err, kind) {
			return &Error{Kind: kind, Key: kind.Key, Args: []any{"item", t.Name()}, Err: err}
		}
	}
	return err
}

// Trace is the newest recorded state of tracing the item, nil if none.
func (s *Service) Trace(ctx context.Context, t *TraceTarget) (*view.TraceState, error) {
	return s.st.Trace(ctx, t.Ref, t.ItemID)
}

// TraceHistory is every recorded state of tracing the item, oldest first.
func (s *Service) TraceHistory(ctx context.Context, t *TraceTarget) ([]view.TraceState, error) {
	return s.st.TraceHistory(ctx, t.Ref, t.ItemID)
}

// UpdateTrace records change c of tracing the item at this office: the
// item's trace after the change (tracing.Apply), checked, kept and
// audited. A problem with a field is a record.Errors naming it, and
// nothing is kept.
func (s *Service) UpdateTrace(ctx context.Context, t *TraceTarget, c tracing.Change) (*view.TraceState, error) {
	if err := s.officeOnly(ctx); err != nil {
		return nil, err
	}
	prev, err := s.st.Trace(ctx, t.Ref, t.ItemID)
	if err != nil {
		return nil, err
	}
	var before *tracing.Trace
	version := 0
	if prev != nil {
		before, version = prev.Trace, prev.Version
	}
	next, errs := tracing.Apply(t.Item(), before, c, time.Now())
	if len(errs) > 0 {
		return nil, errs
	}
	st, err := s.st.PutTrace(ctx, t.Ref, t.ItemID, version, next, s.Actor)
	return st, t.named(err)
}

// PutTrace keeps trace next of the item, made from its state number prev
// (0 for none) as the tracing screen edits it whole; see UpdateTrace.
func (s *Service) PutTrace(ctx context.Context, t *TraceTarget, prev int, next *tracing.Trace) (*view.TraceState, error) {
	if err := s.officeOnly(ctx); err != nil {
		return nil, err
	}
	cur, err := s.st.Trace(ctx, t.Ref, t.ItemID)
	if err != nil {
		return nil, err
	}
	var before *tracing.Trace
	if cur != nil {
		before = cur.Trace
		if cur.Version != prev {
			return nil, t.named(store.ErrTraceStale)
		}
	}
	if errs := tracing.Check(t.Item(), before, next, time.Now()); len(errs) > 0 {
		return nil, errs
	}
	st, err := s.st.PutTrace(ctx, t.Ref, t.ItemID, prev, next, s.Actor)
	return st, t.named(err)
}

// TraceList is the tracing work list f chooses, as of today if f names
// no day.
func (s *Service) TraceList(ctx context.Context, f view.TraceFilter) (*view.TraceList, error) {
	if f.Status != "" && !tracing.Statuses.Has(f.Status) {
		return nil, record.Errors{{Path: "status", Key: record.ErrUnknownCode, Args: []any{"value", f.Status}}}
	}
	if f.Today == "" {
		f.Today = time.Now().Format(time.DateOnly)
	}
	return s.st.TraceList(ctx, f)
}

func (s *Service) officeOnly(ctx context.Context) error {
	p, err := s.Post(ctx)
	if err != nil {
		return err
	}
	if p.Role != RoleOffice {
		return ErrNotOffice
	}
	return nil
}

// TraceRequestOptions say what a tracing request asks and of whom.
type TraceRequestOptions struct {
	// To is the requested state (ISO 3166-1 alpha-2); required.
	To string
	// Reference is the request's; empty: the reference of the trace's
	// open request to To, else one made of the record's number, the
	// item's and To.
	Reference string
	// Priority is a tracing.Priorities code ("routine" if empty);
	// Urgency, required for "urgent", says why.
	Priority, Urgency string
	// Officer and Contact name who asks and how to answer; empty: the
	// folder's officer and contact settings.
	Officer, Contact string
}

// TraceDocument is the tracing request of the item to state opt.To: what
// the record says of it and of its recovery, and who asks. Nothing is
// kept; the request is recorded as sent with UpdateTrace.
func (s *Service) TraceDocument(ctx context.Context, t *TraceTarget, opt TraceRequestOptions) (*tracing.Document, error) {
	opt.To = strings.ToUpper(strings.TrimSpace(opt.To))
	opt.Priority = strings.TrimSpace(opt.Priority)
	if opt.Priority == "" {
		opt.Priority = "routine"
	}
	var errs record.Errors
	switch {
	case opt.To == "":
		errs = append(errs, &record.FieldError{Path: "to", Key: record.ErrRequired})
	case !record.IsCountry(opt.To):
		errs = append(errs, &record.FieldError{Path: "to", Key: record.ErrCountry, Args: []any{"value", opt.To}})
	}
	if !tracing.Priorities.Has(opt.Priority) {
		errs = append(errs, &record.FieldError{Path: "priority", Key: record.ErrUnknownCode, Args: []any{"value", opt.Priority}})
	}
	if opt.Priority == "urgent" && strings.TrimSpace(opt.Urgency) == "" {
		errs = append(errs, &record.FieldError{Path: "urgency", Key: record.ErrRequired})
	}
	for _, f := range []struct{ path, v string }{{"reference", opt.Reference}, {"officer", opt.Officer}, {"contact", opt.Contact}} {
		if err := record.CheckName(f.path, f.v); err != nil {
			errs = append(errs, err.(record.Errors)...)
		}
	}
	if err := record.CheckText("urgency", opt.Urgency); err != nil {
		errs = append(errs, err.(record.Errors)...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if !tracing.Applies(t.Item()) {
		return nil, &Error{Kind: ErrNotTraceable, Key: ErrNotTraceable.Key, Args: []any{"item", t.Name()}}
	}
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if opt.Officer == "" {
		opt.Officer = strings.TrimSpace(strings.Join([]string{set.OfficerRank, set.OfficerName}, " "))
		if record.CheckName("officer", opt.Officer) != nil {
			opt.Officer = set.OfficerName // rank and name too long for one name
		}
	}
	if opt.Contact == "" {
		opt.Contact = set.Contact
	}
	country, _, _ := strings.Cut(post.Code, "-")
	req := tracing.Requester{Country: country, Agency: set.Agency, Office: post.Name, OfficeCode: post.Code, Officer: opt.Officer, Contact: opt.Contact}
	d, err := tracing.NewDocument(t.Record.Record, t.Record.Hash, t.Item().ID, opt.To, req)
	if err != nil {
		return nil, fmt.Errorf("tracing request of item %s: %w", t.ItemID, err)
	}
	d.Date = time.Now().Format(time.DateOnly)
	d.Priority, d.Urgency = opt.Priority, strings.TrimSpace(opt.Urgency)
	d.Reference = strings.TrimSpace(opt.Reference)
	if d.Reference == "" {
		if st, err := s.st.Trace(ctx, t.Ref, t.ItemID); err != nil {
			return nil, err
		} else if st != nil {
			for _, r := range st.Trace.Requests {
				if r.To == opt.To && r.Open() && r.Reference != "" {
					d.Reference = r.Reference
				}
			}
		}
	}
	if d.Reference == "" {
		d.Reference = fmt.Sprintf("%s/%d-%s", t.Record.Record.Number, t.Index+1, opt.To)
	}
	return d, nil
}

// TraceRequestPDF writes tracing request d as PDF to w, its labels in tr
// and, if not nil, tr2. Warnings name what did not stop the document.
func (s *Service) TraceRequestPDF(ctx context.Context, d *tracing.Document, w io.Writer, tr, tr2 *i18n.Translator) ([]string, error) {
	for _, ph := range d.Photos {
		_ = s.PreparePrint(ctx, ph.SHA256)
	}
	return report.TraceRequest(w, d, report.Options{
		Lang:  tr,
		Lang2: tr2,
		Photo: func(sha string) ([]byte, error) { return s.st.Media(ctx, sha) },
		Prepared: func(sha string) []byte {
			form, _ := s.st.PrintForm(ctx, sha)
			return form
		},
	})
}

// WriteTraceRequest writes tracing request d as PDF to pdfPath (if not
// empty) and as JSON to jsonPath (if not empty), each whole or not at all.
func (s *Service) WriteTraceRequest(ctx context.Context, d *tracing.Document, pdfPath, jsonPath string, overwrite Overwrite, tr, tr2 *i18n.Translator) ([]string, error) {
	if pdfPath == "" && jsonPath == "" {
		return nil, errors.New("tracing request: no file to write")
	}
	// Both files are checked before either is written: a request is
	// written whole, its twin beside it, or not at all.
	var targets []string
	for _, p := range []string{pdfPath, jsonPath} {
		if p == "" {
			continue
		}
		abs, err := s.checkTarget(p)
		if err != nil {
			return nil, err
		}
		if slices.Contains(targets, abs) {
			return nil, &Error{Key: ErrSameFile.Key, Args: []any{"path", p}}
		}
		targets = append(targets, abs)
		if _, err := os.Stat(abs); err == nil && !overwrite {
			return nil, &Error{Key: ErrFileExists.Key, Args: []any{"path", p}}
		}
	}
	var warnings []string
	if pdfPath != "" {
		// The printed request gives the clause in its own languages; the
		// JSON form carries the English one.
		printed := *d
		printed.Clause = ""
		err := s.writeFile(pdfPath, overwrite, 0o644, func(w io.Writer) (err error) {
			warnings, err = s.TraceRequestPDF(ctx, &printed, w, tr, tr2)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if jsonPath != "" {
		data, err := d.JSON()
		if err != nil {
			return nil, err
		}
		err = s.writeFile(jsonPath, overwrite, 0o644, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return warnings, nil
}
