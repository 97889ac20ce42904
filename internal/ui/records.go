package ui

import (
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// pageSize is how many rows the records list reads at a time.
const pageSize = 100

// recordRows is the records list's state: the rows read so far of a listing
// (store.List with keyset paging) or of a search. It never reads more than
// the rows shown plus one page.
type recordRows struct {
	a      *App
	filter view.Filter
	query  string

	mu   sync.Mutex
	rows []view.Summary
	// described marks the rows that say what they hold (and, for search
	// hits, why they matched), or were tried: described a batch at a time,
	// from the row the list shows, so that a jump far down the list reads
	// one batch, not every row above it.
	described []bool
	next      *view.Cursor
	end       bool
	loading   bool
	total     int
	gen       int // counts resets, so a page read for an old listing is dropped
}

// reset starts the listing over with the current filter, or with the
// search among the records the filter selects.
func (m *recordRows) reset() error {
	m.mu.Lock()
	m.rows, m.next, m.end, m.total, m.loading, m.described = nil, nil, false, 0, false, nil
	m.gen++
	m.mu.Unlock()
	if q := strings.TrimSpace(m.query); q != "" {
		rows, err := m.a.svc.Search(m.a.ctx, q, m.filter)
		m.mu.Lock()
		m.rows, m.end, m.total = rows, true, len(rows)
		m.mu.Unlock()
		return err
	}
	n, err := m.a.svc.Count(m.a.ctx, m.filter)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.total = n
	m.mu.Unlock()
	return m.more()
}

// more reads the next page, if any.
func (m *recordRows) more() error {
	m.mu.Lock()
	if m.end || m.loading {
		m.mu.Unlock()
		return nil
	}
	m.loading = true
	gen := m.gen
	f := m.filter
	f.After, f.Limit = m.next, pageSize
	m.mu.Unlock()
	page, err := m.a.svc.List(m.a.ctx, f)
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen != m.gen {
		return nil
	}
	m.loading = false
	if err != nil {
		return err
	}
	m.rows = append(m.rows, page.Records...)
	m.next = page.Next
	m.end = page.Next == nil
	return nil
}

func (m *recordRows) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.rows)
}

func (m *recordRows) at(i int) view.Summary {
	m.describe(i)
	m.mu.Lock()
	defer m.mu.Unlock()
	if i < 0 || i >= len(m.rows) {
		return view.Summary{}
	}
	return m.rows[i]
}

// describeBatch is how many rows are described at a time: a screen of
// them and some.
const describeBatch = 40

// describe has the rows up to row i say what they hold and, for search
// hits, why they matched.
func (m *recordRows) describe(i int) {
	m.mu.Lock()
	q := strings.TrimSpace(m.query)
	if i < 0 || i >= len(m.rows) {
		m.mu.Unlock()
		return
	}
	if len(m.described) < len(m.rows) {
		m.described = append(m.described, make([]bool, len(m.rows)-len(m.described))...)
	}
	if m.described[i] {
		m.mu.Unlock()
		return
	}
	from, to, gen := i, min(i+describeBatch, len(m.rows)), m.gen
	for to > from && m.described[to-1] {
		to--
	}
	for j := from; j < to; j++ {
		m.described[j] = true // tried once: a failure shows the counts only
	}
	batch := slices.Clone(m.rows[from:to])
	m.mu.Unlock()
	if err := m.a.svc.Describe(m.a.ctx, q, batch); err != nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen == m.gen {
		copy(m.rows[from:to], batch)
	}
}

// nearEnd reports whether row i is close enough to the end of what was read
// to read the next page.
func (m *recordRows) nearEnd(i int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return !m.end && !m.loading && i >= len(m.rows)-pageSize/4
}

// recordsScreen lists records with filters and search.
type recordsScreen struct {
	*recordRows
	search *cappedEntry
	list   *widget.List
	count  *widget.Label
	// where heads the third column: the crossing point, or for search hits
	// the field each was found in.
	where *widget.Label
}

func newRecords(a *App) *recordsScreen {
	return &recordsScreen{recordRows: &recordRows{a: a}}
}

func (r *recordsScreen) name() string { return navRecords }

// categoryFilters are the item categories the filter offers, with the
// label keys to show them.
func categoryFilters() (codes, keys []string) {
	for _, c := range record.FirearmCategories.Codes {
		codes = append(codes, c)
		keys = append(keys, record.FirearmCategories.LabelKey(c))
	}
	for _, c := range record.PartTypes.Codes {
		codes = append(codes, "part."+c)
		keys = append(keys, record.PartTypes.LabelKey(c))
	}
	codes = append(codes, record.KindAmmunition)
	keys = append(keys, record.ItemKinds.LabelKey(record.KindAmmunition))
	for _, c := range record.ExplosiveTypes.Codes {
		codes = append(codes, "explosive."+c)
		keys = append(keys, record.ExplosiveTypes.LabelKey(c))
	}
	codes = append(codes, record.KindOther)
	keys = append(keys, record.ItemKinds.LabelKey(record.KindOther))
	return codes, keys
}

// optionSelect is a pick list of labels for values, with a first option
// meaning "any", which gives "".
func optionSelect(anyLabel string, values, labels []string, value string, changed func(string)) *widget.Select {
	opts := append([]string{anyLabel}, labels...)
	s := widget.NewSelect(opts, nil)
	s.SetSelectedIndex(0)
	for i, v := range values {
		if v == value {
			s.SetSelectedIndex(i + 1)
		}
	}
	s.OnChanged = func(string) {
		i := s.SelectedIndex()
		if i <= 0 {
			changed("")
			return
		}
		changed(values[i-1])
	}
	return s
}

func (r *recordsScreen) build() fyne.CanvasObject {
	a := r.a
	r.count = widget.NewLabel("")
	r.search = newCappedEntry(record.MaxText, false)
	r.search.SetPlaceHolder(a.T("ui.records.search_hint"))
	r.search.SetText(r.query)
	r.search.OnSubmitted = func(s string) { r.query = s; r.reload() }
	searchBtn := widget.NewButtonWithIcon(a.T("ui.records.search"), theme.SearchIcon(), func() { r.query = r.search.Text; r.reload() })

	from := widget.NewEntry()
	from.SetPlaceHolder(a.T("ui.records.from"))
	if !r.filter.From.IsZero() {
		from.SetText(a.tr.Date(r.filter.From))
	}
	to := widget.NewEntry()
	to.SetPlaceHolder(a.T("ui.records.to"))
	if !r.filter.To.IsZero() {
		to.SetText(a.tr.Date(r.filter.To.AddDate(0, 0, -1)))
	}
	dates := func(string) {
		f, okF := parseDate(from.Text)
		t, okT := parseDate(to.Text)
		r.filter.From, r.filter.To = time.Time{}, time.Time{}
		if okF {
			r.filter.From = f
		}
		if okT {
			r.filter.To = t.AddDate(0, 0, 1)
		}
		if (okF || strings.TrimSpace(from.Text) == "") && (okT || strings.TrimSpace(to.Text) == "") {
			r.reload()
		}
	}
	from.OnChanged, to.OnChanged = dates, dates

	statusLabels := []string{a.T(record.Statuses.LabelKey(record.StatusDraft)), a.T(record.Statuses.LabelKey(record.StatusFinal))}
	status := optionSelect(a.T("ui.records.any_status"), record.Statuses.Codes, statusLabels, r.filter.Status, func(s string) { r.filter.Status = s; r.reload() })
	codes, keys := categoryFilters()
	labels := make([]string, len(keys))
	for i, k := range keys {
		labels[i] = a.T(k)
	}
	category := optionSelect(a.T("ui.records.any_category"), codes, labels, r.filter.Category, func(s string) { r.filter.Category = s; r.reload() })
	pts := a.crossingPoints()
	if r.filter.CrossingPoint != "" && !slices.Contains(pts, r.filter.CrossingPoint) {
		pts = append(pts, r.filter.CrossingPoint)
	}
	point := optionSelect(a.T("ui.records.any_point"), pts, pts, r.filter.CrossingPoint, func(s string) { r.filter.CrossingPoint = s; r.reload() })
	filterRow := []fyne.CanvasObject{from, to, status, category, point}
	if p, _ := a.svc.Post(a.ctx); p.Role == service.RoleOffice {
		// An office holds many posts' records: one post at a time.
		var codes, names []string
		if keys, err := a.svc.TrustedKeys(a.ctx); err == nil {
			for _, k := range keys {
				if !slices.Contains(codes, k.PostCode) {
					codes = append(codes, k.PostCode)
					names = append(names, k.PostCode+" "+k.Name)
				}
			}
		}
		filterRow = append(filterRow, optionSelect(a.T("ui.records.any_post"), codes, names, r.filter.PostCode, func(s string) { r.filter.PostCode = s; r.reload() }))
	}

	r.list = newSummaryList(a, r.len, func(i int) view.Summary {
		if r.nearEnd(i) {
			go func() {
				if err := r.more(); err == nil {
					fyne.Do(r.list.Refresh)
				}
			}()
		}
		return r.at(i)
	})
	r.where = bold(a.T("field.crossing_point"))
	if err := r.reset(); err != nil {
		a.showError(err)
	}
	r.showCount()

	searchRow := container.NewBorder(nil, nil, heading(a.T("ui.nav.records")), searchBtn, r.search)
	filters := container.New(&columns{n: len(filterRow)}, filterRow...)
	head := summaryHead(a, r.where)
	oldest := widget.NewCheck(a.T("ui.records.oldest_first"), func(on bool) { r.filter.Oldest = on; r.reload() })
	oldest.Checked = r.filter.Oldest
	countRow := container.NewBorder(nil, nil, r.count, oldest)
	return container.NewBorder(container.NewVBox(searchRow, filters, countRow, head), nil, nil, nil, r.list)
}

func bold(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.TextStyle.Bold = true
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// reload reads the list again after a filter or the search changed.
func (r *recordsScreen) reload() {
	if err := r.reset(); err != nil {
		r.a.showError(err)
	}
	r.showCount()
	r.list.ScrollToTop()
	r.list.Refresh()
}

func (r *recordsScreen) showCount() {
	r.mu.Lock()
	n, q := r.total, strings.TrimSpace(r.query)
	r.mu.Unlock()
	if r.where != nil {
		if q != "" {
			r.where.SetText(r.a.T("ui.records.found_in"))
		} else {
			r.where.SetText(r.a.T("field.crossing_point"))
		}
	}
	if q != "" {
		r.count.SetText(r.a.tr.N("ui.records.found", n, "query", q))
		return
	}
	r.count.SetText(r.a.tr.N("ui.records.count", n))
}
