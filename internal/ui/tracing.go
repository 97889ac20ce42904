package ui

import (
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// navTracing is the office's tracing work list.
const navTracing = "tracing"

// traceLimit caps the rows the work list shows; the counts are of all.
const traceLimit = 500

// tracingScreen is the office's tracing work list: the firearms and major
// parts of its records by status, overdue requests first, and the trace of
// the one opened, where an answer is recorded in a few clicks.
type tracingScreen struct {
	a *App

	status   string // "" for every status
	overdue  bool
	training bool
	// autoTraining: whether training records are shown is decided by the
	// folder (yes, at a training office) when the list is first read.
	autoTraining bool

	mu      sync.Mutex
	list    *view.TraceList
	loading bool
	loadErr error
	gen     int

	// The opened item, its recorded states and the change being typed.
	open    *service.TraceTarget
	history []view.TraceState
	openErr error
	openGen int
	change  tracing.Change
	dates   [3]string // sent, due, answered as typed
	// correcting: the step corrects a mistake (any status, a request taken
	// off, the answer cleared).
	correcting  bool
	clearAnswer bool
	saving      bool
	openWanted  string // ref and item id asked for before the list is read
}

func newTracingScreen(a *App) *tracingScreen {
	s := &tracingScreen{a: a, autoTraining: true}
	s.load()
	return s
}

// newTracingScreenOn opens the work list on item itemID of record ref.
func newTracingScreenOn(a *App, ref, itemID string) *tracingScreen {
	s := newTracingScreen(a)
	s.openItem(ref, itemID)
	return s
}

func (s *tracingScreen) name() string { return navTracing }

// load reads the work list the filter chooses, off the UI goroutine.
func (s *tracingScreen) load() {
	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.loading, s.loadErr = true, nil
	f := view.TraceFilter{Status: s.status, Overdue: s.overdue, Limit: traceLimit, Training: s.training}
	auto := s.autoTraining
	s.autoTraining = false
	s.mu.Unlock()
	a := s.a
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		var err error
		if auto {
			f.Training, err = a.svc.TrainingOnly(a.ctx)
		}
		var l *view.TraceList
		if err == nil {
			l, err = a.svc.TraceList(a.ctx, f)
		}
		fyne.Do(func() {
			s.mu.Lock()
			if gen != s.gen {
				s.mu.Unlock()
				return
			}
			if auto {
				s.training = f.Training
			}
			s.list, s.loadErr, s.loading = l, err, false
			s.mu.Unlock()
			a.rebuildIf(s)
		})
	}()
}

// openItem reads the item and its trace, off the UI goroutine; an item
// opened since wins.
func (s *tracingScreen) openItem(ref, itemID string) {
	s.mu.Lock()
	s.openGen++
	gen := s.openGen
	s.openErr = nil
	s.mu.Unlock()
	a := s.a
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		t, err := a.svc.TraceItemOf(a.ctx, ref, itemID)
		var h []view.TraceState
		if err == nil {
			h, err = a.svc.TraceHistory(a.ctx, t)
		}
		fyne.Do(func() {
			s.mu.Lock()
			if gen != s.openGen {
				s.mu.Unlock()
				return
			}
			s.open, s.history, s.openErr = t, h, err
			s.change, s.dates, s.correcting, s.clearAnswer = tracing.Change{}, [3]string{}, false, false
			s.mu.Unlock()
			a.rebuildIf(s)
		})
	}()
}

// current is the open item's newest trace, nil for none.
func (s *tracingScreen) current() *view.TraceState {
	if len(s.history) == 0 {
		return nil
	}
	return &s.history[len(s.history)-1]
}

// save records the change typed for the open item, off the UI goroutine
// (a write may wait for an import), then reads the list and the item again.
func (s *tracingScreen) save() {
	s.mu.Lock()
	if s.saving || s.open == nil {
		s.mu.Unlock()
		return
	}
	s.saving = true
	t, c := s.open, s.change
	c.Sent, c.Due, c.Answered = dateText(s.dates[0]), dateText(s.dates[1]), dateText(s.dates[2])
	c.DiversionDate = dateText(c.DiversionDate) // a whole date as the others are typed; a year or YYYY-MM as it is
	c.Correct = s.correcting
	if s.correcting && s.clearAnswer {
		c.Clear = []string{tracing.ClearAnswer, tracing.ClearAnswered}
	}
	if c.Status == "" {
		c.Status = tracing.NotAttempted
		if cur := s.current(); cur != nil {
			c.Status = cur.Trace.Status
		}
	}
	s.mu.Unlock()
	a := s.a
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		_, err := a.svc.UpdateTrace(a.ctx, t, c)
		fyne.Do(func() {
			s.mu.Lock()
			s.saving = false
			s.mu.Unlock()
			if err != nil {
				a.showError(err)
				return
			}
			s.load()
			s.openItem(t.Ref, t.ItemID)
			a.rebuildIf(s)
		})
	}()
}

// dateText is a date as typed, as the trace keeps it (YYYY-MM-DD); what
// does not read as a date is kept as typed, for the check to name.
func dateText(s string) string {
	if d, ok := parseDate(s); ok {
		return d.Format(time.DateOnly)
	}
	return strings.TrimSpace(s)
}

func (s *tracingScreen) build() fyne.CanvasObject {
	a := s.a
	s.mu.Lock()
	defer s.mu.Unlock()
	var detail fyne.CanvasObject
	switch {
	case s.openErr != nil:
		detail = container.NewCenter(widget.NewLabel(a.tr.Error(s.openErr)))
	case s.open != nil:
		detail = s.detail()
	default:
		detail = container.NewCenter(widget.NewLabel(a.T("ui.tracing.pick")))
	}
	split := container.NewHSplit(s.itemList(), detail)
	split.Offset = 0.42
	return container.NewBorder(container.NewVBox(heading(a.T("ui.tracing.title")), s.filters(), s.counts()), nil, nil, nil, split)
}

// filters is the row that chooses the items.
func (s *tracingScreen) filters() fyne.CanvasObject {
	a := s.a
	labels := []string{a.T("ui.tracing.every_status")}
	codes := []string{""}
	for _, c := range tracing.Statuses.Codes {
		labels = append(labels, a.T(tracing.Statuses.LabelKey(c)))
		codes = append(codes, c)
	}
	status := widget.NewSelect(labels, nil)
	for i, c := range codes {
		if c == s.status {
			status.SetSelectedIndex(i)
		}
	}
	status.OnChanged = func(string) {
		s.status = codes[status.SelectedIndex()]
		s.load()
		a.rebuild()
	}
	overdue := widget.NewCheck(a.T("ui.tracing.overdue_only"), func(on bool) { s.overdue = on; s.load(); a.rebuild() })
	overdue.Checked = s.overdue
	training := widget.NewCheck(a.T("ui.links.training"), func(on bool) { s.training = on; s.load(); a.rebuild() })
	training.Checked = s.training
	return container.NewHBox(container.NewGridWrap(fyne.NewSize(340, status.MinSize().Height), status), overdue, training)
}

// counts is the line of the work list's figures.
func (s *tracingScreen) counts() fyne.CanvasObject {
	a := s.a
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	switch {
	case s.loading && s.list == nil:
		l.SetText(a.T("ui.tracing.loading"))
	case s.loadErr != nil:
		l.SetText(a.tr.Error(s.loadErr))
		l.Importance = widget.DangerImportance
	case s.list != nil:
		tl := s.list
		est := tl.ByStatus[tracing.EstablishedTracing] + tl.ByStatus[tracing.EstablishedAuthority]
		text := a.T("ui.tracing.counts", "traced", a.tr.Number(int64(tl.Traced)), "open", a.tr.Number(int64(tl.ByStatus[tracing.RequestSent])),
			"overdue", a.tr.Number(int64(tl.Overdue)), "established", a.tr.Number(int64(est)),
			"untraceable", a.tr.Number(int64(tl.ByStatus[tracing.NotTraceable])), "none", a.tr.Number(int64(tl.ByStatus[tracing.NotAttempted])))
		// Six figures, three a line: a line wrapped by the window could
		// part a number from its thousands.
		if parts := strings.Split(text, " · "); len(parts) == 6 {
			text = strings.Join(parts[:3], " · ") + "\n" + strings.Join(parts[3:], " · ")
		}
		if len(tl.Items) < tl.Matched {
			text += "\n" + a.T("ui.tracing.shown", "shown", a.tr.Number(int64(len(tl.Items))), "matched", a.tr.Number(int64(tl.Matched)))
		}
		l.SetText(text)
	}
	return l
}

// rowText is the two lines an item gets in the list.
func (s *tracingScreen) rowText(it *view.TracedItem) (string, string) {
	a := s.a
	first := it.Number + " #" + strconv.Itoa(it.Item) + " · " + a.T(categoryKey(it.Category))
	if mm := strings.TrimSpace(it.Make + " " + it.Model); mm != "" {
		first += " · " + mm
	}
	if it.Serial != "" {
		first += " · " + it.Serial
	}
	second := a.T(tracing.Statuses.LabelKey(it.Status))
	if it.State != nil {
		for _, q := range it.State.Trace.Requests {
			if !q.Open() {
				continue
			}
			second += " · → " + q.To
			if q.Due != "" {
				second += " · " + a.T("ui.tracing.due", "date", a.dateOf(q.Due))
			}
		}
	}
	if it.Overdue {
		second += " · " + a.T("ui.tracing.overdue")
	}
	return first, second + " · " + it.PostCode + " · " + a.tr.Date(it.At)
}

// dateOf shows a date the trace keeps (YYYY-MM-DD) as the language writes
// dates; what does not read is shown as it is.
func (a *App) dateOf(day string) string {
	if d, err := time.Parse(time.DateOnly, day); err == nil {
		return a.tr.Date(d)
	}
	return day
}

func (s *tracingScreen) itemList() fyne.CanvasObject {
	if s.list == nil || len(s.list.Items) == 0 {
		key := "ui.tracing.none"
		if s.list == nil {
			key = "ui.tracing.loading"
		}
		return container.NewCenter(widget.NewLabel(s.a.T(key)))
	}
	items := s.list.Items
	l := widget.NewList(func() int { return len(items) },
		func() fyne.CanvasObject {
			top := widget.NewLabel("")
			top.TextStyle.Bold = true
			top.Truncation = fyne.TextTruncateEllipsis
			bottom := widget.NewLabel("")
			bottom.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(top, bottom)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			first, second := s.rowText(&items[i])
			box.Objects[0].(*widget.Label).SetText(first)
			bottom := box.Objects[1].(*widget.Label)
			bottom.SetText(second)
			bottom.Importance = widget.MediumImportance
			if items[i].Overdue {
				bottom.Importance = widget.DangerImportance
			}
			bottom.Refresh()
		})
	for i := range items {
		if s.open != nil && items[i].ItemID == s.open.ItemID && items[i].Ref == s.open.Ref {
			l.Select(i)
		}
	}
	l.OnSelected = func(i widget.ListItemID) {
		if s.open == nil || items[i].ItemID != s.open.ItemID || items[i].Ref != s.open.Ref {
			s.openItem(items[i].Ref, items[i].ItemID)
		}
	}
	return l
}

// detail is the opened item: what was recorded of tracing it, and the
// form that records the next step.
func (s *tracingScreen) detail() fyne.CanvasObject {
	a := s.a
	t := s.open
	in := t.Record.Record
	it := t.Item()
	title := in.Number + " #" + strconv.Itoa(t.Index+1) + " · " + a.T(record.ItemKinds.LabelKey(it.Kind))
	box := container.NewVBox(bold(title), widget.NewLabel(s.itemText(it)))
	ref := t.Ref
	buttons := container.NewHBox(
		widget.NewButtonWithIcon(a.T("ui.tracing.request"), theme.DocumentPrintIcon(), func() { a.printTraceRequest(t) }),
		widget.NewButtonWithIcon(a.T("ui.tracing.open_record"), theme.NavigateNextIcon(), func() { a.show(newRecordView(a, ref)) }),
	)
	box.Add(buttons)
	if !tracing.Applies(it) {
		box.Add(message(a.T("ui.tracing.not_applies"), widget.MediumImportance))
		return container.NewVScroll(box)
	}
	cur := s.current()
	if cur == nil {
		box.Add(message(a.T("ui.tracing.nothing_yet"), widget.MediumImportance))
	} else {
		box.Add(widget.NewCard(a.T(tracing.Statuses.LabelKey(cur.Trace.Status)), a.T("ui.tracing.recorded_by",
			"who", a.actorName(cur.Actor), "when", a.tr.DateTime(cur.At.Local()), "version", strconv.Itoa(cur.Version)), message(s.traceText(cur.Trace), widget.MediumImportance)))
	}
	if s.a.isOffice() {
		box.Add(s.form(cur))
	}
	if len(s.history) > 1 {
		var lines []string
		for i := len(s.history) - 1; i >= 0; i-- {
			h := s.history[i]
			lines = append(lines, strconv.Itoa(h.Version)+". "+a.tr.DateTime(h.At.Local())+" · "+a.actorName(h.Actor)+" · "+a.T(tracing.Statuses.LabelKey(h.Trace.Status)))
		}
		box.Add(widget.NewCard("", a.T("ui.tracing.history"), message(strings.Join(lines, "\n"), widget.MediumImportance)))
	}
	return container.NewVScroll(box)
}

// itemText is what the record says of the item that a trace needs.
func (s *tracingScreen) itemText(it *record.Item) string {
	a := s.a
	var parts []string
	add := func(key, v string) {
		if strings.TrimSpace(v) != "" {
			parts = append(parts, a.T(key)+": "+v)
		}
	}
	var serials []record.Serial
	switch {
	case it.Firearm != nil:
		f := it.Firearm
		add("ui.f.firearm_category", a.T(record.FirearmCategories.LabelKey(f.Category)))
		add("ui.f.make", strings.TrimSpace(f.Make+" "+f.Model))
		add("ui.f.calibre", calibreText(a.tr, f.Calibre))
		add("ui.f.country_marked", a.country(f.CountryMarked))
		add("ui.f.country_assessed", a.country(f.CountryAssessed))
		serials = f.Serials
	case it.Part != nil:
		p := it.Part
		add("ui.f.part_type", a.T(record.PartTypes.LabelKey(p.Type)))
		add("ui.f.make", strings.TrimSpace(p.Make+" "+p.Model))
		add("ui.f.calibre", calibreText(a.tr, p.Calibre))
		serials = p.Serials
	}
	for _, sr := range serials {
		line := sr.Number
		if sr.Part != "" {
			line += " (" + a.T(record.PartTypes.LabelKey(sr.Part)) + ")"
		}
		if sr.State != "" && sr.State != "intact" {
			line += " — " + a.T(record.SerialStates.LabelKey(sr.State))
		}
		add("ui.tracing.serial", line)
	}
	return strings.Join(parts, "\n")
}

// traceText is a trace in words.
func (s *tracingScreen) traceText(t *tracing.Trace) string {
	a := s.a
	var lines []string
	if t.Reason != "" {
		lines = append(lines, a.T("ui.tracing.reason")+": "+a.T(tracing.Reasons.LabelKey(t.Reason)))
	}
	for _, q := range t.Requests {
		line := "→ " + a.country(q.To) + " · " + a.T(tracing.Channels.LabelKey(q.Channel))
		if q.Reference != "" {
			line += " · " + q.Reference
		}
		line += " · " + a.T("ui.tracing.sent_on", "date", a.dateOf(q.Sent))
		if q.Due != "" {
			line += " · " + a.T("ui.tracing.due", "date", a.dateOf(q.Due))
		}
		if q.Answered != "" {
			line += " · " + a.T("ui.tracing.answered_on", "date", a.dateOf(q.Answered))
		}
		lines = append(lines, line)
	}
	if an := t.Answer; an != nil {
		if an.ManufacturerConfirmed {
			lines = append(lines, a.T("ui.tracing.maker_confirmed"))
		}
		if an.LastLegalCountry != "" || an.Holder != "" {
			line := a.T("ui.tracing.last_legal") + ": " + a.country(an.LastLegalCountry)
			if an.Holder != "" {
				line += " · " + a.T(tracing.Holders.LabelKey(an.Holder))
			}
			lines = append(lines, line)
		}
		if an.DiversionCountry != "" || an.DiversionType != "" || an.DiversionDate != "" {
			line := a.T("ui.tracing.diversion") + ":"
			if an.DiversionType != "" {
				line += " " + a.T(tracing.Diversions.LabelKey(an.DiversionType))
			}
			if an.DiversionCountry != "" {
				line += " · " + a.country(an.DiversionCountry)
			}
			if an.DiversionDate != "" {
				line += " · " + an.DiversionDate
			}
			lines = append(lines, line)
		}
		if an.Text != "" {
			lines = append(lines, an.Text)
		}
	}
	if t.Note != "" {
		lines = append(lines, a.T("ui.tracing.note")+": "+t.Note)
	}
	if len(lines) == 0 {
		return "—"
	}
	return strings.Join(lines, "\n")
}

// form records the next step of the trace: a status the trace may move to,
// and what comes with it.
func (s *tracingScreen) form(cur *view.TraceState) fyne.CanvasObject {
	a := s.a
	from := tracing.NotAttempted
	if cur != nil {
		from = cur.Trace.Status
	}
	next := tracing.Next(from)
	if s.correcting {
		next = tracing.Statuses.Codes
	}
	if s.change.Status == "" {
		// The usual next step is preselected: a request after nothing, the
		// answer after a request.
		switch from {
		case tracing.NotAttempted:
			s.change.Status = tracing.RequestSent
		case tracing.RequestSent:
			s.change.Status = tracing.EstablishedTracing
		case tracing.AnswerInsufficient:
			s.change.Status = tracing.RequestSent // ask the next state
		default:
			s.change.Status = from
		}
	}
	labels := make([]string, len(next))
	for i, c := range next {
		labels[i] = a.T(tracing.Statuses.LabelKey(c))
	}
	status := widget.NewSelect(labels, nil)
	for i, c := range next {
		if c == s.change.Status {
			status.SetSelectedIndex(i)
		}
	}
	status.OnChanged = func(string) {
		s.change.Status = next[status.SelectedIndex()]
		a.rebuild()
	}
	c := &s.change
	correct := widget.NewCheck(a.T("ui.tracing.correct"), func(on bool) {
		s.correcting = on
		if !on {
			c.RemoveRequest, s.clearAnswer = 0, false
			if !tracing.Allowed(from, c.Status) {
				c.Status = ""
			}
		}
		a.rebuild()
	})
	correct.Checked = s.correcting
	rows := []*fieldRow{newFieldRow(a.T("ui.tracing.status"), status), newFieldRow("", correct)}
	if s.correcting && cur != nil {
		if len(cur.Trace.Requests) > 0 {
			labels := []string{"—"}
			for _, q := range cur.Trace.Requests {
				labels = append(labels, strings.TrimSpace("→ "+q.To+" "+q.Reference)+" · "+a.T("ui.tracing.sent_on", "date", a.dateOf(q.Sent)))
			}
			remove := widget.NewSelect(labels, nil)
			remove.SetSelectedIndex(c.RemoveRequest)
			remove.OnChanged = func(string) { c.RemoveRequest = remove.SelectedIndex() }
			rows = append(rows, newFieldRow(a.T("ui.tracing.remove_request"), remove))
		}
		clearA := widget.NewCheck(a.T("ui.tracing.clear_answer"), func(on bool) { s.clearAnswer = on })
		clearA.Checked = s.clearAnswer
		rows = append(rows, newFieldRow("", clearA))
	}
	selectOf := func(v record.Vocabulary, value *string) *widget.Select {
		ls := make([]string, len(v.Codes))
		for i, code := range v.Codes {
			ls[i] = a.T(v.LabelKey(code))
		}
		sel := widget.NewSelect(ls, nil)
		sel.PlaceHolder = a.T("ui.tracing.choose")
		for i, code := range v.Codes {
			if code == *value {
				sel.SetSelectedIndex(i)
			}
		}
		sel.OnChanged = func(string) { *value = v.Codes[sel.SelectedIndex()] }
		return sel
	}
	text := func(value *string) *cappedEntry { return entry(*value, func(v string) { *value = v }) }
	date := func(i int) *cappedEntry {
		e := entry(s.dates[i], func(v string) { s.dates[i] = v })
		e.SetPlaceHolder(a.T("ui.tracing.date_hint"))
		return e
	}
	switch c.Status {
	case tracing.NotTraceable:
		rows = append(rows, newFieldRow(a.T("ui.tracing.reason"), selectOf(tracing.Reasons, &c.Reason)))
	case tracing.RequestSent:
		if c.Channel == "" {
			c.Channel = "bilateral"
		}
		rows = append(rows,
			newFieldRow(a.T("ui.tracing.to"), countryEntry(a.tr, c.To, func(code string) { c.To = code })),
			newFieldRow(a.T("ui.tracing.channel"), selectOf(tracing.Channels, &c.Channel)),
			newFieldRow(a.T("ui.tracing.reference"), text(&c.Reference)),
			newFieldRow(a.T("ui.tracing.sent"), date(0)),
			newFieldRow(a.T("ui.tracing.due_date"), date(1)))
	case tracing.AnswerInsufficient, tracing.EstablishedTracing, tracing.EstablishedAuthority:
		if c.Status != tracing.EstablishedAuthority && cur != nil && s.openRequests(cur.Trace) > 1 {
			rows = append(rows, newFieldRow(a.T("ui.tracing.answered_by"), s.requestPick(cur.Trace)))
		}
		if c.Status != tracing.EstablishedAuthority {
			rows = append(rows, newFieldRow(a.T("ui.tracing.answered"), date(2)))
		}
		maker := widget.NewCheck(a.T("ui.tracing.maker_confirmed"), func(on bool) { c.ManufacturerConfirmed = on })
		maker.Checked = c.ManufacturerConfirmed
		rows = append(rows,
			newFieldRow(a.T("ui.tracing.last_legal_country"), countryEntry(a.tr, c.LastLegalCountry, func(code string) { c.LastLegalCountry = code })),
			newFieldRow(a.T("ui.tracing.holder"), selectOf(tracing.Holders, &c.Holder)),
			newFieldRow(a.T("ui.tracing.diversion_country"), countryEntry(a.tr, c.DiversionCountry, func(code string) { c.DiversionCountry = code })),
			newFieldRow(a.T("ui.tracing.diversion_type"), selectOf(tracing.Diversions, &c.DiversionType)),
			newFieldRow(a.T("ui.tracing.diversion_date"), text(&c.DiversionDate)),
			newFieldRow("", maker))
	}
	answer := newCappedEntry(record.MaxText, true)
	answer.SetText(c.AnswerText)
	answer.OnChanged = func(v string) { c.AnswerText = v }
	answer.SetMinRowsVisible(2)
	note := newCappedEntry(record.MaxText, true)
	note.SetText(c.Note)
	note.OnChanged = func(v string) { c.Note = v }
	note.SetMinRowsVisible(2)
	saveBtn := widget.NewButtonWithIcon(a.T("ui.tracing.save"), theme.DocumentSaveIcon(), s.save)
	saveBtn.Importance = widget.HighImportance
	if s.saving {
		saveBtn.Disable()
	}
	body := container.NewVBox(grid(2, rows...))
	if c.Status == tracing.AnswerInsufficient || c.Status == tracing.EstablishedTracing || c.Status == tracing.EstablishedAuthority {
		body.Add(grid(1, newFieldRow(a.T("ui.tracing.answer_text"), answer)))
	}
	body.Add(grid(1, newFieldRow(a.T("ui.tracing.note"), note)))
	body.Add(container.NewHBox(saveBtn))
	return widget.NewCard("", a.T("ui.tracing.record_step"), body)
}

func (s *tracingScreen) openRequests(t *tracing.Trace) int {
	n := 0
	for _, q := range t.Requests {
		if q.Open() {
			n++
		}
	}
	return n
}

// requestPick chooses which open request was answered.
func (s *tracingScreen) requestPick(t *tracing.Trace) *widget.Select {
	var labels []string
	var numbers []int
	for i, q := range t.Requests {
		if q.Open() {
			labels = append(labels, strings.TrimSpace("→ "+q.To+" "+q.Reference)+" · "+s.a.T("ui.tracing.sent_on", "date", s.a.dateOf(q.Sent)))
			numbers = append(numbers, i+1)
		}
	}
	sel := widget.NewSelect(labels, nil)
	sel.PlaceHolder = s.a.T("ui.tracing.choose")
	for i, n := range numbers {
		if s.change.Request == n {
			sel.SetSelectedIndex(i)
		}
	}
	sel.OnChanged = func(string) { s.change.Request = numbers[sel.SelectedIndex()] }
	return sel
}

// traceRequestFile is where the tracing request of item no of in to state
// to is written by default: the protocols folder, trace-<number>-<no>-<to>.
func (a *App) traceRequestFile(in *record.Interdiction, no int, to, ext string) string {
	p := a.protocolFile(in, 0)
	return filepath.Join(filepath.Dir(p), "trace-"+strings.TrimSuffix(filepath.Base(p), ".pdf")+"-"+strconv.Itoa(no)+"-"+to+ext)
}

// printTraceRequest asks to which state, in which languages and how
// urgently, then writes the tracing request of the item as PDF, with its
// JSON twin beside it, and opens the PDF.
func (a *App) printTraceRequest(t *service.TraceTarget) {
	if !tracing.Applies(t.Item()) {
		a.showError(&service.Error{Key: service.ErrNotTraceable.Key, Args: []any{"item", t.Name()}})
		return
	}
	to := ""
	if f := t.Item().Firearm; f != nil {
		to = f.CountryAssessed
		if to == "" {
			to = f.CountryMarked
		}
	}
	if st, err := a.svc.Trace(a.ctx, t); err == nil && st != nil {
		for _, q := range st.Trace.Requests {
			if q.Open() {
				to = q.To
			}
		}
	}
	lang, lang2 := a.tr.Lang(), i18n.Default
	if lang == i18n.Default {
		lang2 = ""
	}
	priority, urgency := "routine", ""
	toEntry := countryEntry(a.tr, to, func(code string) { to = code })
	first := languageSelect(a.cat, a.tr, lang, func(code string) { lang = code })
	second := languageSelect(a.cat, a.tr, lang2, func(code string) { lang2 = code })
	prio := widget.NewRadioGroup([]string{a.T("enum.trace_priority.routine"), a.T("enum.trace_priority.urgent")}, nil)
	prio.Horizontal = true
	prio.SetSelected(a.T("enum.trace_priority.routine"))
	prio.OnChanged = func(v string) {
		priority = "routine"
		if v == a.T("enum.trace_priority.urgent") {
			priority = "urgent"
		}
	}
	why := entry("", func(v string) { urgency = v })
	why.SetPlaceHolder(a.T("ui.tracing.urgency_hint"))
	var d *dialog.CustomDialog
	write := func(pdf, js string) {
		opt := service.TraceRequestOptions{To: to, Priority: priority, Urgency: urgency}
		doc, err := a.svc.TraceDocument(a.ctx, t, opt)
		if err != nil {
			a.showError(err)
			return
		}
		if pdf == "" {
			pdf = a.traceRequestFile(t.Record.Record, t.Index+1, doc.To, ".pdf")
			js = strings.TrimSuffix(pdf, ".pdf") + ".json"
		}
		d.Hide()
		var tr2 *i18n.Translator
		if lang2 != "" {
			tr2 = a.cat.For(lang2)
		}
		warnings, err := a.svc.WriteTraceRequest(a.ctx, doc, pdf, js, true, a.cat.For(lang), tr2)
		if err != nil {
			a.showError(err)
			return
		}
		a.openDocument(pdf, warnings)
	}
	printBtn := widget.NewButtonWithIcon(a.T("ui.protocol.print"), theme.DocumentPrintIcon(), func() { write("", "") })
	printBtn.Importance = widget.HighImportance
	saveAs := widget.NewButtonWithIcon(a.T("ui.protocol.save_as"), theme.DocumentSaveIcon(), func() {
		name := filepath.Base(a.traceRequestFile(t.Record.Record, t.Index+1, strings.ToUpper(to), ".pdf"))
		a.pickSave(name, func(path string) { write(path, strings.TrimSuffix(path, filepath.Ext(path))+".json") })
	})
	cancel := widget.NewButtonWithIcon(a.T("ui.cancel"), theme.CancelIcon(), func() { d.Hide() })
	content := container.NewVBox(grid(2,
		newFieldRow(a.T("ui.tracing.to"), toEntry),
		newFieldRow(a.T("ui.tracing.priority"), prio),
		newFieldRow(a.T("ui.protocol.lang"), first),
		newFieldRow(a.T("ui.protocol.lang2"), second)),
		grid(1, newFieldRow(a.T("ui.tracing.urgency"), why)),
		message(a.T("ui.tracing.request_where", "path", filepath.Dir(a.protocolFile(t.Record.Record, 0))), widget.MediumImportance))
	d = dialog.NewCustomWithoutButtons(a.T("ui.tracing.request_title", "item", t.Name()), content, a.win)
	d.SetButtons([]fyne.CanvasObject{cancel, saveAs, printBtn})
	d.Resize(fyne.NewSize(680, 360))
	a.showDialog(d)
}

// openDocument opens the document at path with the system's viewer and
// tells of warnings, and of where the file is when no viewer opens it.
func (a *App) openDocument(path string, warnings []string) {
	var lines []string
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err == nil {
		err = a.fa.OpenURL(u)
	}
	if err != nil {
		lines = append(lines, a.T("ui.protocol.open_failed", "path", path))
	}
	if len(warnings) > 0 {
		lines = append(lines, a.T("ui.protocol.warnings"))
		for _, w := range warnings {
			lines = append(lines, "• "+w)
		}
	}
	if len(lines) == 0 {
		return
	}
	l := message(strings.Join(lines, "\n"), widget.MediumImportance)
	l.Selectable = true
	d := dialog.NewCustom(a.T("ui.protocol.written", "path", filepath.Base(path)), a.T("ui.close"), l, a.win)
	d.Resize(fyne.NewSize(620, 260))
	a.showDialog(d)
}

// categoryKey is the catalog key of an item category as the work list
// holds it: a firearm category, or "part." and a part type.
func categoryKey(c string) string {
	if t, ok := strings.CutPrefix(c, "part."); ok {
		return record.PartTypes.LabelKey(t)
	}
	return record.FirearmCategories.LabelKey(c)
}
