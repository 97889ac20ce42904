package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// dashboard is the first screen: today's work at a glance.
type dashboard struct{ a *App }

func newDashboard(a *App) *dashboard { return &dashboard{a: a} }

func (d *dashboard) name() string { return navDashboard }

// dashboardCounts are the numbers the dashboard shows.
type dashboardCounts struct {
	Today, Month, Drafts int
	// NotExported counts final record versions no bundle carried yet.
	NotExported int
}

// counts reads the dashboard's numbers as of now, in local time.
func (a *App) counts(now time.Time) (dashboardCounts, error) {
	var c dashboardCounts
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	var err error
	if c.Today, err = a.svc.Count(a.ctx, view.Filter{From: day, To: day.AddDate(0, 0, 1)}); err != nil {
		return c, err
	}
	if c.Month, err = a.svc.Count(a.ctx, view.Filter{From: month, To: month.AddDate(0, 1, 0)}); err != nil {
		return c, err
	}
	if c.Drafts, err = a.svc.Count(a.ctx, view.Filter{Status: record.StatusDraft}); err != nil {
		return c, err
	}
	c.NotExported, err = a.svc.PendingCount(a.ctx)
	return c, err
}

func (d *dashboard) build() fyne.CanvasObject {
	a := d.a
	post, _ := a.svc.Post(a.ctx)
	c, err := a.counts(time.Now())
	if err != nil {
		a.showError(err)
	}
	tile := func(key string, n int, onTap func()) fyne.CanvasObject {
		num := widget.NewLabel(a.tr.Number(int64(n)))
		num.SizeName = theme.SizeNameHeadingText
		num.TextStyle.Bold = true
		num.Alignment = fyne.TextAlignCenter
		lbl := widget.NewLabel(a.T(key, "count", n))
		lbl.Alignment = fyne.TextAlignCenter
		lbl.Wrapping = fyne.TextWrapWord
		btn := widget.NewButton(a.T("ui.dash.show"), onTap)
		return widget.NewCard("", "", container.NewVBox(num, lbl, btn))
	}
	showFiltered := func(f view.Filter) func() {
		return func() {
			r := newRecords(a)
			r.filter = f
			a.show(r)
		}
	}
	now := time.Now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	tiles := container.NewGridWithColumns(3,
		tile("ui.dash.today", c.Today, showFiltered(view.Filter{From: day, To: day.AddDate(0, 0, 1)})),
		tile("ui.dash.month", c.Month, showFiltered(view.Filter{From: month, To: month.AddDate(0, 1, 0)})),
		tile("ui.dash.drafts", c.Drafts, showFiltered(view.Filter{Status: record.StatusDraft})),
	)
	if post.Role == service.RolePost {
		tiles.Layout = layout.NewGridLayoutWithColumns(4)
		tiles.Add(tile("ui.dash.not_exported", c.NotExported, func() { a.navigate(navExport) }))
	}
	newBtn := widget.NewButtonWithIcon(a.T("ui.nav.new"), theme.ContentAddIcon(), func() { a.navigate(navNew) })
	newBtn.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil, heading(a.T("ui.dash.title", "post", post.Name, "code", post.Code)), newBtn)

	page, err := a.svc.List(a.ctx, view.Filter{Limit: 12})
	if err != nil {
		a.showError(err)
	}
	if err == nil {
		a.svc.Describe(a.ctx, "", page.Records) // without it, the rows show counts only
	}
	latest := newSummaryList(a, func() int { return len(page.Records) }, func(i int) view.Summary { return page.Records[i] })
	head := container.NewVBox(top, tiles)
	// How old the sanctions list is that names are screened against.
	if info, err := a.svc.ListInfo(a.ctx); err == nil {
		line := a.T("ui.dash.no_list")
		if info != nil {
			line = a.T("ui.dash.list", "date", a.tr.Date(info.Generated), "loaded", a.tr.DateTime(info.LoadedAt.Local()), "entries", info.Entries)
		}
		head.Add(widget.NewLabel(line))
	}
	if forms, _ := a.svc.Unsaved(a.ctx); len(forms) > 0 {
		// Forms left with changes the store does not hold yet: one click
		// away, never only at the next start.
		box := container.NewVBox()
		for _, in := range forms {
			label := in.Number
			if label == "" {
				label = a.tr.DateTime(in.OccurredAt)
			}
			resume := widget.NewButtonWithIcon(a.T("ui.unsaved.resume"), theme.DocumentCreateIcon(), func() { a.resume(in) })
			discard := widget.NewButtonWithIcon(a.T("ui.unsaved.discard"), theme.DeleteIcon(), func() {
				a.confirm(a.T("ui.unsaved.discard"), a.T("ui.unsaved.discard_question", "record", label), a.T("ui.unsaved.discard"), func() {
					a.svc.DropUnsaved(a.ctx, in.ID)
					a.rebuild()
				})
			})
			box.Add(container.NewBorder(nil, nil, nil, container.NewHBox(resume, discard), widget.NewLabel(label)))
		}
		head.Add(widget.NewCard(a.T("ui.dash.unsaved"), "", box))
	}
	head.Add(heading(a.T("ui.dash.latest")))
	return container.NewBorder(head, nil, nil, nil, latest)
}

// summaryColumns are the columns of a list of record summaries: number,
// time, crossing point (or where a search hit was found), status, what
// was seized, and who and which vehicle.
const summaryColumns = 6

// summaryHead heads a list of record summaries; where heads the third
// column.
func summaryHead(a *App, where *widget.Label) *fyne.Container {
	return container.NewGridWithColumns(summaryColumns, bold(a.T("field.number")), bold(a.T("ui.records.when")), where,
		bold(a.T("field.status")), bold(a.T("ui.records.seized")), bold(a.T("ui.records.who")))
}

// seizedText is what a record seized, in short: «Автомат ×2, Пистолет,
// Патроны: 500» once described, its counts before.
func (a *App) seizedText(s view.Summary) string {
	if s.Gist == nil {
		return a.countsText(s.Pieces, s.Rounds)
	}
	parts := make([]string, 0, len(s.Gist.Items))
	for _, it := range s.Gist.Items {
		name := a.T(record.CategoryLabelKey(it.Category))
		switch {
		case it.Rounds > 0:
			name = a.T("ui.records.rounds_of", "what", name, "rounds", a.tr.Number(int64(it.Rounds)))
		case it.Pieces > 1:
			name += " ×" + a.tr.Number(int64(it.Pieces))
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, ", ")
}

// countsText is what was seized, counted: pieces, and rounds apart.
func (a *App) countsText(pieces, rounds int) string {
	if rounds == 0 {
		return a.T("ui.counts.pieces", "pieces", a.tr.Number(int64(pieces)))
	}
	return a.T("ui.counts.both", "pieces", a.tr.Number(int64(pieces)), "rounds", a.tr.Number(int64(rounds)))
}

// whoText names the record's people and plate, in short.
func (a *App) whoText(g *view.Gist) string {
	if g == nil {
		return ""
	}
	parts := slices.Clone(g.People)
	if g.MorePeople > 0 {
		parts = append(parts, a.tr.N("ui.records.more_people", g.MorePeople))
	}
	if g.Plate != "" {
		parts = append(parts, g.Plate)
	}
	return strings.Join(parts, " · ")
}

// newSummaryList is a virtualised list of record summaries that opens a
// record when tapped.
func newSummaryList(a *App, n func() int, at func(int) view.Summary) *widget.List {
	l := widget.NewList(n,
		func() fyne.CanvasObject {
			cells := make([]fyne.CanvasObject, summaryColumns)
			for i := range cells {
				lbl := widget.NewLabel("")
				lbl.Truncation = fyne.TextTruncateEllipsis
				cells[i] = lbl
			}
			return container.NewGridWithColumns(summaryColumns, cells...)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			s := at(id)
			cells := o.(*fyne.Container).Objects
			cells[0].(*widget.Label).SetText(s.Number)
			// The time the post recorded, in its own UTC offset.
			cells[1].(*widget.Label).SetText(a.tr.DateTime(s.OccurredAt))
			cells[2].(*widget.Label).SetText(s.CrossingPoint)
			if len(s.Matches) > 0 {
				// A search hit says where it was found instead.
				cells[2].(*widget.Label).SetText(a.matchText(s.Matches[0]))
			}
			cells[3].(*widget.Label).SetText(a.T(record.Statuses.LabelKey(s.Status)))
			cells[4].(*widget.Label).SetText(a.seizedText(s))
			cells[5].(*widget.Label).SetText(a.whoText(s.Gist))
		})
	l.OnSelected = func(id widget.ListItemID) {
		l.Unselect(id)
		a.show(newRecordView(a, at(id).Ref()))
	}
	return l
}

// crossingPoints are the post's crossing points, from the settings.
func (a *App) crossingPoints() []string {
	pts, _ := a.svc.CrossingPoints(a.ctx)
	return pts
}

// offerUnsaved offers back, one after the other, the forms that were open
// with changes not yet stored when Kordon last stopped (or were left so).
func (a *App) offerUnsaved(forms []*record.Interdiction) {
	if len(forms) == 0 {
		return
	}
	in, rest := forms[0], forms[1:]
	label := in.Number
	if label == "" {
		label = a.tr.DateTime(in.OccurredAt)
	}
	a.confirm(a.T("ui.unsaved.title"), a.T("ui.unsaved.question", "record", label), a.T("ui.unsaved.resume"), func() {
		a.resume(in)
	}, func() {
		// Not now: the form stays kept, listed on the dashboard, until the
		// officer continues it or gives it up there.
		a.offerUnsaved(rest)
	})
}

// resume opens the form on a record of an unsaved slot. It is always
// savable: a final record stored as such gets its next version; anything
// else — a record the store never had, a draft whose Finalise failed —
// opens as the draft it is.
func (a *App) resume(in *record.Interdiction) {
	in.Status = record.StatusDraft
	if cur, err := a.svc.Get(a.ctx, in.Ref()); err == nil {
		in.Version = cur.Record.Version
		if cur.Record.Status == record.StatusFinal {
			in.Status = record.StatusFinal
		}
	}
	f := newForm(a, in)
	f.dirty, f.pending = true, true
	a.show(f)
}

// matchLabels name the fields a search finds records by, by the last part
// of their path.
var matchLabels = map[string]string{
	"number": "field.number", "crossing_point": "field.crossing_point", "narrative": "field.narrative",
	"remarks": "field.remarks", "concealment_note": "field.concealment", "legal_basis_text": "field.legal_basis",
	"plate": "ui.f.plate", "vin": "ui.f.vin", "container": "ui.f.container", "voyage": "ui.f.voyage",
	"name_latin": "ui.f.name_latin", "document_number": "ui.f.document_number", "registration": "ui.f.registration",
	"seal_number": "ui.f.seal_number", "description": "ui.f.description", "packaging": "ui.f.packaging",
	"make": "ui.f.make", "model": "ui.f.model", "other_markings": "ui.f.other_markings", "stamped": "pdf.stamped",
	"markings": "ui.f.markings", "headstamp_factory": "ui.f.headstamp_factory", "lot": "ui.f.lot",
	"packaging_marks": "ui.f.packaging_marks", "status": "field.status", "quantity": "ui.f.quantity",
	"rounds": "ui.f.rounds", "occurred_at": "field.occurred_at", "phone": "ui.f.phone",
}

// matchText says in the officer's words where a search found a record:
// "Serial number: ХА 1234-56".
func (a *App) matchText(m view.Match) string {
	if l := a.fieldLabel(m.Field); l != "" {
		return l + ": " + m.Value
	}
	return m.Value
}

// fieldLabel names the field at a record's JSON path in the officer's
// words, "" when it has no name of its own.
func (a *App) fieldLabel(path string) string {
	last := path[strings.LastIndexAny(path, ".]")+1:]
	key := matchLabels[last]
	switch {
	case strings.HasPrefix(path, "officers["):
		key = "ui.f.officer_name"
	case strings.HasPrefix(path, "people[") && last == "name":
		key = "ui.f.person_name"
	case strings.HasPrefix(path, "organisations[") && last == "name":
		key = "ui.f.org_name"
	case strings.Contains(path, ".serials["):
		key = "ui.f.serial_number"
	case path == "conveyance.description":
		key = "ui.f.conveyance_description"
	}
	if key == "" {
		return ""
	}
	return a.T(key)
}
