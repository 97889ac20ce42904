package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
)

// AutosaveDelay is how long the form waits after the last change before it
// keeps the form's content in the data folder's unsaved slot: a crash or
// power cut loses at most this much typing, and the slot is offered back at
// the next start.
var AutosaveDelay = 2 * time.Second

// StoreInterval is how often, at most, autosave writes a draft to the store
// while the officer types. Every write of the store appends to the record's
// audit trail, so the draft is stored on Save, on leaving the form, on
// closing the window, and otherwise no more than once in this interval.
var StoreInterval = time.Minute

// formScreen is the interdiction form: the record being edited and the
// bookkeeping of saving it. Its widgets are made by build (form.go) from rec,
// and every widget writes straight back into rec.
type formScreen struct {
	a   *App
	rec *record.Interdiction
	// device is this folder's device, which new records' ids name.
	device string
	// final is set when editing a final record: such a record changes only
	// by an explicit save, which makes its next version, so autosave keeps
	// the changes in the data folder's unsaved slot instead.
	final bool

	// dateText and timeText are the occurred-at fields as typed.
	dateText, timeText string
	// typed holds the text of the other fields that are read, not copied,
	// into the record (end time, GPS, custody times), by field, so that a
	// rebuild keeps what does not read right yet.
	typed map[string]string
	// suggested are the Latin names this form filled in itself, by path,
	// with the value it filled: only those it may change again.
	suggested map[string]string

	rows map[string]*fieldRow
	// scroll and groups hold the form; jump, in the top bar, counts the
	// problems shown and scrolls to the first.
	scroll   *container.Scroll
	groups   *fyne.Container
	jump     *widget.Button
	sections []*section
	// unread are the fields whose text does not read as their kind of
	// value (a count, a date), by key: while any is left, nothing is
	// stored, so the store never holds other values than the form shows.
	unread  map[string]unreadField
	summary *fieldRow
	state   *widget.Label
	// listed warns, under a person or organisation (by path), that the
	// sanctions list names them; listedText keeps the warnings across
	// rebuilds, and screenGen drops a screening overtaken by typing.
	listed      map[string]*widget.Label
	listedText  map[string]string
	screenGen   int
	screenTimer *time.Timer
	// seen tells what the saved record shares with the post's earlier
	// records (seenText, kept across rebuilds).
	seen     *widget.Label
	seenText string
	offset   fyne.Position

	mu      sync.Mutex
	timer   *time.Timer
	dirty   bool      // changed since the last autosave
	pending bool      // changed since the record was last stored
	stored  time.Time // when autosave or Save last wrote the store
	stopped bool
}

// newForm opens the form on rec, or on a new record when rec is nil.
func newForm(a *App, rec *record.Interdiction) *formScreen {
	post, _ := a.svc.Post(a.ctx)
	f := &formScreen{a: a, rec: rec, device: post.DeviceID, typed: map[string]string{}, suggested: map[string]string{}}
	if rec == nil {
		set, _ := a.svc.Settings(a.ctx)
		name, rank := set.OfficerName, set.OfficerRank
		f.rec = &record.Interdiction{
			ID:         record.NewID(post.DeviceID),
			Status:     record.StatusDraft,
			PostCode:   post.Code,
			OccurredAt: time.Now().Truncate(time.Minute),
		}
		if strings.TrimSpace(name) != "" {
			f.rec.Officers = []record.Officer{{Name: strings.TrimSpace(name), Rank: strings.TrimSpace(rank)}}
		}
		if pts := a.crossingPoints(); len(pts) == 1 {
			f.rec.CrossingPoint = pts[0]
		}
	}
	f.final = f.rec.Status == record.StatusFinal
	if len(f.rec.People)+len(f.rec.Organisations)+len(f.rec.Items) > 0 || f.rec.Conveyance != nil {
		f.screenNow() // a record opened again warns at once
	}
	f.dateText = a.tr.Date(f.rec.OccurredAt)
	f.timeText = f.rec.OccurredAt.Format("15:04")
	return f
}

func (f *formScreen) name() string {
	if f.rec.Version == 0 {
		return navNew
	}
	return navRecords
}

// touch records a change and schedules the autosave.
func (f *formScreen) touch() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return
	}
	f.dirty, f.pending = true, true
	if f.timer != nil {
		f.timer.Stop()
	}
	f.timer = time.AfterFunc(AutosaveDelay, func() { fyne.Do(func() { f.autosave(false) }) })
	if f.screenTimer != nil {
		f.screenTimer.Stop()
	}
	f.screenTimer = time.AfterFunc(ScreenDelay, func() { fyne.Do(f.screenNow) })
}

// ScreenDelay is how long after the last key the form screens its people
// and organisations against the sanctions list.
const ScreenDelay = 30 * time.Millisecond

// listedLabel is the warning under the person or organisation at path
// that the sanctions list names them, hidden while it does not.
func (f *formScreen) listedLabel(path string) fyne.CanvasObject {
	if f.listed == nil {
		f.listed = map[string]*widget.Label{}
	}
	l := widget.NewLabel(f.listedText[path])
	l.Importance = widget.DangerImportance
	l.TextStyle.Bold = true
	l.Wrapping = fyne.TextWrapWord
	if l.Text == "" {
		l.Hide()
	}
	f.listed[path] = l
	return l
}

// screenNow screens the form's people and organisations, as typed, off the
// UI goroutine, and shows the warnings; a screening overtaken by more
// typing is dropped.
func (f *formScreen) screenNow() {
	// A wait that ends after the form or the folder was closed screens
	// nothing.
	f.mu.Lock()
	stopped := f.stopped
	f.mu.Unlock()
	if stopped || f.a.svc == nil {
		return
	}
	// Nothing to screen against (no list, no watch list): nothing is read.
	svc := f.a.svc
	if held, err := svc.ScreeningHeld(f.a.ctx); err != nil || !held {
		return
	}
	// The form's rows as they are, blank ones too, so that each warning
	// goes under its own row.
	b, err := json.Marshal(f.rec)
	if err != nil {
		return
	}
	c := &record.Interdiction{}
	if err := json.Unmarshal(b, c); err != nil {
		return
	}
	f.screenGen++
	gen := f.screenGen
	a := f.a
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		hits, err := svc.HitsOf(a.ctx, c)
		if err != nil {
			return
		}
		watched, err := svc.WatchHits(a.ctx, c)
		if err != nil {
			return
		}
		text := map[string][]string{}
		for _, h := range hits {
			text[h.Path] = append(text[h.Path], a.T("ui.form.listed", "matched", h.Matched, "reference", h.Entry.Reference,
				"list", h.Entry.ListType, "score", fmt.Sprintf("%.2f", h.Score)))
		}
		for _, h := range watched {
			text[h.Path] = append(text[h.Path], a.T("ui.form.watched", "kind", a.T("ui.watch.kind."+h.Entry.Kind), "value", h.Label, "reason", h.Entry.Reason))
		}
		fyne.Do(func() {
			if gen != f.screenGen {
				return
			}
			f.listedText = map[string]string{}
			for path, lines := range text {
				f.listedText[path] = strings.Join(lines, "\n")
			}
			for path, l := range f.listed {
				l.SetText(f.listedText[path])
				if l.Text == "" {
					l.Hide()
				} else {
					l.Show()
				}
			}
		})
	}()
}

// stop cancels a pending autosave; the screen is being left.
func (f *formScreen) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stopped = true
	if f.timer != nil {
		f.timer.Stop()
	}
	if f.screenTimer != nil {
		f.screenTimer.Stop()
	}
}

// leave saves what can be saved as the officer moves to another screen. The
// unsaved slot is emptied only when the store holds everything; otherwise
// it keeps the changes for the next start.
func (f *formScreen) leave() {
	f.flush()
	f.stop()
	f.mu.Lock()
	pending := f.pending
	f.mu.Unlock()
	if !pending {
		f.clearStash()
		return
	}
	// The store could not take it: say so, where the officer looks next.
	label := f.rec.Number
	if label == "" {
		label = f.a.tr.DateTime(f.rec.OccurredAt)
	}
	rec := f.rec
	f.a.confirm(f.a.T("ui.unsaved.title"), f.a.T("ui.form.left_unsaved", "record", label), f.a.T("ui.unsaved.resume"), func() { f.a.resume(rec) })
}

// flush keeps everything the form holds now, as the form is left or the
// window closes: in the unsaved slot, and a draft in the store as well.
func (f *formScreen) flush() {
	f.mu.Lock()
	if f.timer != nil {
		f.timer.Stop()
	}
	f.mu.Unlock()
	f.autosave(true)
}

// autosave keeps the form's content safe: in the data folder's unsaved
// slot after every pause in typing, and a draft in the store when now is
// set or StoreInterval has passed since it was last stored.
func (f *formScreen) autosave(now bool) {
	f.mu.Lock()
	dirty, pending := f.dirty, f.pending
	f.dirty = false
	due := now || time.Since(f.stored) >= StoreInterval
	f.mu.Unlock()
	if !dirty && !(now && pending) {
		return
	}
	if dirty {
		f.stash()
	}
	if f.final {
		f.setState(f.a.T("ui.form.unsaved_version"))
		return
	}
	if n := len(f.unread); n > 0 {
		f.setState(f.a.T("ui.form.unread", "count", n))
		return
	}
	if !due {
		f.setState(f.a.T("ui.form.kept", "time", time.Now().Format("15:04:05")))
		return
	}
	if err := f.store(); err != nil {
		f.showErrors(err)
		f.setState(f.a.T("ui.form.autosave_failed"))
		return
	}
	f.mu.Lock()
	f.pending = false
	f.mu.Unlock()
	f.showErrors(nil)
	f.setState(f.a.T("ui.form.autosaved", "time", time.Now().Format("15:04:05")))
}

// stash writes the form's record to the unsaved slot.
func (f *formScreen) stash() {
	if err := f.a.svc.KeepUnsaved(f.a.ctx, f.rec); err != nil {
		f.setState(f.a.tr.Error(err))
	}
}

// clearStash empties the unsaved slot: what the form held is in the store.
func (f *formScreen) clearStash() {
	f.a.svc.DropUnsaved(f.a.ctx, f.rec.ID)
}

// save stores the record now (Ctrl+S): a draft is updated, a final record
// gets its next version. It reports whether the store holds what the form
// shows.
func (f *formScreen) save() bool {
	f.mu.Lock()
	if f.timer != nil {
		f.timer.Stop()
	}
	pending := f.pending
	f.dirty = false
	f.mu.Unlock()
	if n := len(f.unread); n > 0 {
		// What the form shows is not what the store would get.
		f.stash()
		f.showErrors(nil)
		f.setState(f.a.T("ui.form.unread", "count", n))
		return false
	}
	if !pending {
		f.setState(f.a.T("ui.form.nothing_changed"))
		return true
	}
	if err := f.store(); err != nil {
		f.stash()
		f.showErrors(err)
		f.setState(f.a.T("ui.form.not_saved"))
		return false
	}
	f.mu.Lock()
	f.pending = false
	f.mu.Unlock()
	f.clearStash()
	f.showErrors(nil)
	f.setState(f.a.T("ui.form.saved", "number", f.rec.Number, "time", time.Now().Format("15:04:05")))
	f.noteSeen()
	return true
}

// noteSeen tells the officer, above the form, what the saved record shares
// with the post's earlier records: a serial, document, plate or person
// recorded before.
// A few indexed reads, its lines capped, done as the save returns.
func (f *formScreen) noteSeen() {
	a, ref := f.a, f.rec.Ref()
	cs, err := a.svc.EarlierAtPost(a.ctx, ref)
	if err != nil {
		return // the record is saved; the notice waits for the next save
	}
	var lines []string
	for i := range cs {
		if len(lines) == maxSeen {
			lines = append(lines, a.tr.N("links.hits_more", len(cs)-maxSeen))
			break
		}
		lines = append(lines, a.T("ui.form.seen", "kind", a.T("links.kind."+string(cs[i].Kind)), "value", cs[i].Label, "records", a.othersText(&cs[i], ref)))
	}
	f.seenText = strings.Join(lines, "\n")
	if f.seen != nil {
		f.seen.SetText(f.seenText)
		if f.seenText == "" {
			f.seen.Hide()
		} else {
			f.seen.Show()
		}
	}
}

// checkFinal reports what the record lacks to be final, as the store would
// find it; nil when it may be finalised.
func (f *formScreen) checkFinal() error {
	c, err := cleaned(f.rec)
	if err != nil {
		return err
	}
	c.Status = record.StatusFinal
	return c.Validate(time.Now())
}

// finalise applies the rules for final records and locks the record.
func (f *formScreen) finalise() bool {
	prev := f.rec.Status
	f.rec.Status = record.StatusFinal
	f.mu.Lock()
	f.pending = true
	f.mu.Unlock()
	if !f.save() {
		// Still the draft it was: so the slot keeps it, and so it opens
		// after a restart, with its Finalise button.
		f.rec.Status = prev
		f.stash()
		return false
	}
	f.final = true
	return true
}

// showErrors puts each problem next to its field, and the rest above the
// form; nil clears them all.
func (f *formScreen) showErrors(err error) {
	for _, r := range f.rows {
		r.setError("")
	}
	for _, u := range f.unread {
		u.row.setError(f.a.T(u.msg))
	}
	var general []string
	var fes record.Errors
	if errors.As(err, &fes) {
		for _, fe := range fes {
			if r := f.rowFor(fe.Path); r != nil {
				msg := f.a.T(fe.Key, append([]any{"field", r.label}, fe.Args...)...)
				if r.err.Text != "" {
					msg = r.err.Text + "\n" + msg
				}
				r.setError(msg)
				continue
			}
			general = append(general, f.a.T(fe.Key, append([]any{"field", fe.Path}, fe.Args...)...))
		}
	} else if err != nil {
		general = append(general, f.a.tr.Error(err))
	}
	f.showProblems(general)
}

// maxListed is how many problems the list above the form names.
const maxListed = 5

// showProblems counts the problems in the top bar, with a button to the
// first, and lists the first few above the form.
func (f *formScreen) showProblems(general []string) {
	rows := f.problemRows()
	lines := general
	for _, r := range rows {
		if len(lines) >= maxListed {
			lines = append(lines, "…")
			break
		}
		msg, _, _ := strings.Cut(r.err.Text, "\n") // it names its field itself
		lines = append(lines, "• "+msg)
	}
	if f.summary != nil {
		f.summary.setError(strings.Join(lines, "\n"))
	}
	f.markSections(rows)
	if f.jump == nil {
		return
	}
	if n := len(rows) + len(general); n > 0 {
		f.jump.SetText(f.a.T("ui.form.problems", "count", n))
		f.jump.Show()
	} else {
		f.jump.Hide()
	}
}

// markSections puts on each section's button the number of its problems.
func (f *formScreen) markSections(rows []*fieldRow) {
	d := fyne.CurrentApp().Driver()
	for i, s := range f.sections {
		top := d.AbsolutePositionForObject(s.card).Y
		bottom := top + s.card.Size().Height
		if i+1 < len(f.sections) {
			bottom = d.AbsolutePositionForObject(f.sections[i+1].card).Y
		}
		n := 0
		for _, r := range rows {
			if y := d.AbsolutePositionForObject(r.obj).Y; y >= top && y < bottom {
				n++
			}
		}
		label := f.a.T(s.key)
		s.button.Importance = widget.MediumImportance
		if n > 0 {
			label += " (" + f.a.tr.Number(int64(n)) + ")"
			s.button.Importance = widget.DangerImportance
		}
		s.button.SetText(label)
	}
}

// problemRows are the fields showing a problem, from the top of the form.
func (f *formScreen) problemRows() []*fieldRow {
	seen := map[*fieldRow]bool{}
	var out []*fieldRow
	add := func(r *fieldRow) {
		if r != nil && r.err.Visible() && r.err.Text != "" && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for _, r := range f.rows {
		add(r)
	}
	for _, u := range f.unread {
		add(u.row)
	}
	d := fyne.CurrentApp().Driver()
	sort.Slice(out, func(i, j int) bool { // top to bottom, then left to right
		// By the field, always laid out: a message just shown is not yet.
		a, b := d.AbsolutePositionForObject(out[i].obj), d.AbsolutePositionForObject(out[j].obj)
		if a.Y != b.Y {
			return a.Y < b.Y
		}
		return a.X < b.X
	})
	return out
}

// toFirstProblem scrolls the form to its first problem and puts the cursor
// in that field; problems of no field are listed at the top.
func (f *formScreen) toFirstProblem() {
	if f.scroll == nil {
		return
	}
	rows := f.problemRows()
	if len(rows) == 0 {
		f.scroll.ScrollToTop()
		return
	}
	r := rows[0]
	fo, _ := r.obj.(fyne.Focusable)
	f.scrollTo(r.obj, fo)
}

var lastSegment = regexp.MustCompile(`(\.[a-z_0-9]+|\[\d+\])$`)

// rowFor finds the field an error path belongs to: the path itself or its
// nearest enclosing field ("items[0].firearm.calibre.code" → its calibre).
func (f *formScreen) rowFor(path string) *fieldRow {
	for p := path; p != ""; p = lastSegment.ReplaceAllString(p, "") {
		if r, ok := f.rows[p]; ok {
			return r
		}
		if !lastSegment.MatchString(p) {
			break
		}
	}
	return nil
}

func (f *formScreen) setState(s string) {
	if f.state != nil {
		f.state.SetText(s)
	}
}

// setWhen reads the occurred-at date and time as typed, in the language's
// form or ISO 8601, and reports a problem as a message key.
func (f *formScreen) setWhen() string {
	d, ok := parseDate(f.dateText)
	if !ok {
		return "ui.err.date"
	}
	t, err := time.Parse("15:04", strings.TrimSpace(f.timeText))
	if err != nil {
		return "ui.err.time"
	}
	// The time is the post's local time, in the zone the record has.
	loc := f.rec.OccurredAt.Location()
	if f.rec.OccurredAt.IsZero() {
		loc = time.Local
	}
	f.rec.OccurredAt = time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	return ""
}

// parseDate accepts 2006-01-02 and 02.01.2006.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if d, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// parseCount reads a whole number; "" is 0.
func parseCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// itoa shows a number in a field, "" for 0.
func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// newItem makes an item of the given kind with its details.
func newItem(kind string) record.Item {
	it := record.Item{ID: uuid.New(), Kind: kind, Quantity: 1}
	switch kind {
	case record.KindFirearm:
		it.Firearm = &record.Firearm{Serials: []record.Serial{{State: "intact"}}}
	case record.KindPart:
		it.Part = &record.Part{}
	case record.KindAmmunition:
		it.Ammunition = &record.Ammunition{}
	case record.KindExplosive:
		it.Explosive = &record.Explosive{}
	}
	return it
}

// duplicate copies item i right after it with a new ID and the serial
// numbers left blank: the next of a batch of identical weapons.
func (f *formScreen) duplicate(i int) {
	b, _ := json.Marshal(f.rec.Items[i])
	var c record.Item
	if err := json.Unmarshal(b, &c); err != nil {
		return
	}
	c.ID = uuid.New()
	for _, ss := range [][]record.Serial{c.Serials()} {
		for j := range ss {
			ss[j].Number = ""
		}
	}
	f.rec.Items = append(f.rec.Items[:i+1], append([]record.Item{c}, f.rec.Items[i+1:]...)...)
}

// isStored reports whether the record is in the store.
func (a *App) isStored(id string) bool {
	_, err := a.svc.Get(a.ctx, id)
	return !errors.Is(err, service.ErrNotFound)
}

// store saves a copy of the record without the rows the form keeps open for
// typing (an officer or serial number left blank), and takes back what the
// store assigned: number, version, origin.
func (f *formScreen) store() error {
	c, err := cleaned(f.rec)
	if err != nil {
		return err
	}
	err = f.a.svc.SaveRecord(f.a.ctx, c)
	if err == nil {
		f.mu.Lock()
		f.stored = time.Now()
		f.mu.Unlock()
		f.rec.Version, f.rec.Number, f.rec.Origin, f.rec.PostCode = c.Version, c.Number, c.Origin, c.PostCode
	}
	return err
}

// cleaned is a deep copy of in without blank officers, blank serial rows and
// an empty conveyance.
func cleaned(in *record.Interdiction) (*record.Interdiction, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("copy record: %w", err)
	}
	var c record.Interdiction
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("copy record: %w", err)
	}
	var officers []record.Officer
	for _, o := range c.Officers {
		if strings.TrimSpace(o.Name+o.Rank+o.Position) != "" {
			officers = append(officers, o)
		}
	}
	c.Officers = officers
	// A person row just added, nothing typed in it yet, is not a person:
	// it waits in the form, unmarked, until the officer fills it in.
	var people []record.Person
	for _, p := range c.People {
		blank := p
		blank.ID, blank.Role = uuid.Nil, ""
		if blank != (record.Person{}) {
			people = append(people, p)
		}
	}
	c.People = people
	if c.Conveyance != nil && *c.Conveyance == (record.Conveyance{}) {
		c.Conveyance = nil
	}
	blank := func(ss []record.Serial) []record.Serial {
		var out []record.Serial
		for _, s := range ss {
			if s.Number == "" && s.Part == "" && (s.State == "intact" || s.State == "") {
				continue
			}
			out = append(out, s)
		}
		return out
	}
	for i := range c.Items {
		if fa := c.Items[i].Firearm; fa != nil {
			fa.Serials = blank(fa.Serials)
		}
		if p := c.Items[i].Part; p != nil {
			p.Serials = blank(p.Serials)
		}
	}
	return &c, nil
}
