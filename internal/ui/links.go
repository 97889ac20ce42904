package ui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
)

// linksScreen is the analyst's working screen: the clusters of records that
// share a weapon, person, vehicle or document, newest first; the network
// and the timeline of the one opened; and the analyst's judgement of it.
type linksScreen struct {
	a *App

	filter   links.Filter
	kind     string // "" for every kind
	fromText string
	toText   string

	mu       sync.Mutex
	clusters []links.Cluster
	loading  bool
	loadErr  error
	gen      int

	open       *links.Cluster
	history    []links.Judgement
	network    *links.Network
	netLoading bool
	netErr     error
	netGen     int
	note       string
	judging    bool
	dateErr    bool
	// autoTraining: whether to show training records is decided by the
	// folder (on, at a training office) when the list is first read.
	autoTraining bool
	// routes are where each record of the open cluster was seized and
	// the way its goods came, by ref.
	routes map[string]string
}

// newLinksScreen opens the screen on every cluster; at a training office
// (training records only) on those of training records.
func newLinksScreen(a *App) *linksScreen {
	s := &linksScreen{a: a, autoTraining: true}
	s.load()
	return s
}

// newLinksScreenOn opens the screen on one cluster, of training records
// too for a training record.
func newLinksScreenOn(a *App, id string, training bool) *linksScreen {
	s := &linksScreen{a: a}
	s.filter.Suggestions = true
	s.filter.Dismissed = true
	s.filter.Training = training
	s.load()
	s.openCluster(id)
	return s
}

func (s *linksScreen) name() string { return navLinks }

// load reads the clusters the filter chooses, off the UI goroutine.
func (s *linksScreen) load() {
	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.loading, s.loadErr = true, nil
	f := s.filter
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
		var cs []links.Cluster
		if err == nil {
			cs, err = a.svc.Clusters(a.ctx, f)
		}
		fyne.Do(func() {
			s.mu.Lock()
			if gen != s.gen {
				s.mu.Unlock()
				return
			}
			if auto {
				s.filter.Training = f.Training
			}
			s.clusters, s.loadErr, s.loading = cs, err, false
			s.mu.Unlock()
			a.rebuildIf(s)
		})
	}()
}

// openCluster reads the cluster, its judgements, and lays out its network,
// off the UI goroutine; a cluster opened since wins.
func (s *linksScreen) openCluster(id string) {
	s.mu.Lock()
	s.netGen++
	gen := s.netGen
	s.netLoading, s.netErr, s.network, s.note = true, nil, nil, ""
	training := s.filter.Training
	s.mu.Unlock()
	a := s.a
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		c, err := a.svc.Cluster(a.ctx, id, training)
		var n *links.Network
		var hist []links.Judgement
		if err == nil {
			hist, err = a.svc.Judgements(a.ctx, id)
		}
		if err == nil {
			n, err = a.svc.Network(a.ctx, id, 0, training)
		}
		routes := map[string]string{}
		if err == nil {
			for i, m := range c.Timeline() {
				if i == maxRoutes {
					break
				}
				routes[m.Ref] = a.routeOf(m.Ref)
			}
		}
		fyne.Do(func() {
			s.mu.Lock()
			if gen != s.netGen {
				s.mu.Unlock()
				return
			}
			s.open, s.history, s.network, s.netErr, s.netLoading, s.routes = c, hist, n, err, false, routes
			s.mu.Unlock()
			a.rebuildIf(s)
		})
	}()
}

// judge keeps the verdict on the open cluster, off the UI goroutine (a
// write may wait for an import), then reads the list and the cluster again.
func (s *linksScreen) judge(id, verdict string) {
	s.mu.Lock()
	if s.judging {
		s.mu.Unlock()
		return
	}
	s.judging = true
	note := s.note
	// The verdict covers the records the analyst has before them.
	var seen []string
	if s.open != nil && s.open.ID() == id {
		for _, m := range s.open.Records {
			seen = append(seen, m.Ref)
		}
	}
	s.mu.Unlock()
	a := s.a
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		err := a.svc.Judge(a.ctx, id, verdict, note, seen)
		fyne.Do(func() {
			s.mu.Lock()
			s.judging = false
			s.mu.Unlock()
			if err != nil {
				a.showError(err)
				return
			}
			s.note = ""
			s.load()
			s.openCluster(id)
			a.rebuildIf(s)
		})
	}()
}

func (s *linksScreen) build() fyne.CanvasObject {
	a := s.a
	s.mu.Lock()
	defer s.mu.Unlock()
	head := heading(a.T("ui.links.title"))
	list := s.clusterList()
	var detail fyne.CanvasObject
	switch {
	case s.netLoading:
		detail = container.NewCenter(container.NewVBox(widget.NewProgressBarInfinite(), widget.NewLabel(a.T("ui.links.laying_out"))))
	case s.netErr != nil:
		detail = container.NewCenter(widget.NewLabel(a.tr.Error(s.netErr)))
	case s.open != nil:
		detail = s.detail()
	default:
		detail = container.NewCenter(widget.NewLabel(a.T("ui.links.pick")))
	}
	split := container.NewHSplit(list, detail)
	split.Offset = 0.3
	return container.NewBorder(container.NewVBox(head, s.filters()), nil, nil, nil, split)
}

// filters is the row that chooses clusters.
func (s *linksScreen) filters() fyne.CanvasObject {
	a := s.a
	kinds := []string{a.T("ui.links.every_kind")}
	codes := []string{""}
	for _, k := range idkey.Kinds() {
		kinds = append(kinds, a.T("links.kind."+string(k)))
		codes = append(codes, string(k))
	}
	kind := widget.NewSelect(kinds, nil)
	for i, c := range codes {
		if c == s.kind {
			kind.SetSelectedIndex(i)
		}
	}
	kind.OnChanged = func(string) {
		s.kind = codes[kind.SelectedIndex()]
		s.filter.Kinds = nil
		if s.kind != "" {
			s.filter.Kinds = []idkey.Kind{idkey.Kind(s.kind)}
		}
		s.load()
		s.a.rebuild()
	}
	post := widget.NewEntry()
	post.SetPlaceHolder(a.T("ui.links.post"))
	post.SetText(s.filter.Post)
	post.OnSubmitted = func(t string) { s.filter.Post = strings.ToUpper(strings.TrimSpace(t)); s.load(); s.a.rebuild() }
	countries := []string{a.T("ui.links.every_country")}
	ccodes := []string{""}
	for _, c := range []string{"KZ", "KG", "TJ", "TM", "UZ"} {
		countries = append(countries, a.country(c))
		ccodes = append(ccodes, c)
	}
	country := widget.NewSelect(countries, nil)
	for i, c := range ccodes {
		if c == s.filter.Country {
			country.SetSelectedIndex(i)
		}
	}
	country.OnChanged = func(string) { s.filter.Country = ccodes[country.SelectedIndex()]; s.load(); s.a.rebuild() }
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetPlaceHolder(a.T("ui.links.from"))
	to.SetPlaceHolder(a.T("ui.links.to"))
	from.SetText(s.fromText)
	to.SetText(s.toText)
	dates := func(string) {
		s.fromText, s.toText = from.Text, to.Text
		f, okF := parseDate(from.Text)
		t, okT := parseDate(to.Text)
		blankF, blankT := strings.TrimSpace(from.Text) == "", strings.TrimSpace(to.Text) == ""
		// A date that does not read filters nothing and says so: the list
		// is not shown as if it were filtered.
		s.dateErr = !blankF && !okF || !blankT && !okT
		if s.dateErr {
			s.a.rebuild()
			return
		}
		s.filter.From, s.filter.To = time.Time{}, time.Time{}
		if !blankF {
			s.filter.From = f
		}
		if !blankT {
			s.filter.To = t.AddDate(0, 0, 1)
		}
		s.load()
		s.a.rebuild()
	}
	from.OnSubmitted, to.OnSubmitted = dates, dates
	sugg := widget.NewCheck(a.T("ui.links.suggestions"), func(on bool) { s.filter.Suggestions = on; s.load(); s.a.rebuild() })
	sugg.Checked = s.filter.Suggestions
	dismissed := widget.NewCheck(a.T("ui.links.dismissed"), func(on bool) { s.filter.Dismissed = on; s.load(); s.a.rebuild() })
	dismissed.Checked = s.filter.Dismissed
	training := widget.NewCheck(a.T("ui.links.training"), func(on bool) { s.filter.Training = on; s.load(); s.a.rebuild() })
	training.Checked = s.filter.Training
	count := widget.NewLabel("")
	switch {
	case s.dateErr:
		count.SetText(a.T("ui.err.date"))
		count.Importance = widget.DangerImportance
	case s.loading:
		count.SetText(a.T("ui.links.loading"))
	case s.loadErr != nil:
		count.SetText(a.tr.Error(s.loadErr))
	default:
		nl, ns := 0, 0
		for _, c := range s.clusters {
			if c.Strength == links.StrengthLink {
				nl++
			} else {
				ns++
			}
		}
		count.SetText(a.T("ui.links.count", "links", nl, "suggestions", ns))
	}
	// Two rows, so that the screen fits 1366 pixels in every language.
	return container.NewVBox(
		container.NewHBox(container.NewGridWrap(fyne.NewSize(260, kind.MinSize().Height), kind),
			container.NewGridWrap(fyne.NewSize(110, post.MinSize().Height), post),
			container.NewGridWrap(fyne.NewSize(190, country.MinSize().Height), country),
			container.NewGridWrap(fyne.NewSize(130, from.MinSize().Height), from), container.NewGridWrap(fyne.NewSize(130, to.MinSize().Height), to), count),
		container.NewHBox(sugg, dismissed, training))
}

// clusterText is the two lines a cluster gets in the list.
func (s *linksScreen) clusterText(c *links.Cluster) (string, string) {
	a := s.a
	first := a.T("links.kind."+string(c.Kind)) + ": " + c.Label
	second := a.tr.N("links.records", len(c.Records)) + " · " + strings.Join(c.Posts(), ", ") + " · " + a.tr.Date(c.Newest())
	if c.Strength == links.StrengthSuggestion {
		second = a.T("links.strength.suggestion") + " · " + second
	}
	if c.Judgement != nil {
		second += " · " + a.T("links.verdict."+c.Judgement.Verdict)
	}
	return first, second
}

func (s *linksScreen) clusterList() fyne.CanvasObject {
	cs := s.clusters
	if len(cs) == 0 && !s.loading {
		return container.NewCenter(widget.NewLabel(s.a.T("ui.links.none")))
	}
	l := widget.NewList(func() int { return len(cs) },
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
			first, second := s.clusterText(&cs[i])
			box.Objects[0].(*widget.Label).SetText(first)
			box.Objects[1].(*widget.Label).SetText(second)
		})
	for i := range cs {
		if s.open != nil && cs[i].ID() == s.open.ID() {
			l.Select(i)
		}
	}
	l.OnSelected = func(i widget.ListItemID) {
		if s.open == nil || cs[i].ID() != s.open.ID() {
			s.openCluster(cs[i].ID())
			s.a.rebuild()
		}
	}
	return l
}

// nodeLabel is what a node of the network is called on screen.
func (s *linksScreen) nodeLabel(n *links.Node) string {
	if n.Type == links.NodeRecord {
		return n.Label + " · " + s.a.tr.Date(n.OccurredAt)
	}
	return short(n.Label)
}

// detail is the opened cluster: its judgement, network and timeline.
func (s *linksScreen) detail() fyne.CanvasObject {
	a := s.a
	c := s.open
	title := widget.NewLabel(a.T("links.kind."+string(c.Kind)) + ": " + c.Label)
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	strength := a.T("links.strength." + c.Strength)
	sub := widget.NewLabel(strength + " · " + a.tr.N("links.records", len(c.Records)) + " · " + c.ID())
	sub.Truncation = fyne.TextTruncateEllipsis

	net := s.network
	var drawing fyne.CanvasObject = widget.NewLabel("")
	var capped fyne.CanvasObject = widget.NewLabel("")
	if net != nil {
		drawing = newNetworkView(net, s.nodeLabel, func(n *links.Node) {
			if n.Type == links.NodeRecord {
				a.show(newRecordView(a, n.Ref))
			}
		})
		if net.Capped {
			w := widget.NewLabel(a.T("ui.links.capped", "shown", len(net.Nodes), "found", net.Found))
			w.Importance = widget.WarningImportance
			w.Wrapping = fyne.TextWrapWord
			capped = w
		}
	}
	legend := container.NewHBox()
	for _, t := range networkTypes {
		dot := canvas.NewCircle(nodeColours[t])
		legend.Add(container.NewCenter(container.NewGridWrap(fyne.NewSize(12, 12), dot)))
		legend.Add(widget.NewLabel(a.T("ui.links.node." + string(t))))
	}
	left := container.NewBorder(nil, container.NewVBox(capped, container.NewHScroll(legend)), nil, nil, drawing)
	right := container.NewBorder(widget.NewLabelWithStyle(a.T("ui.links.timeline"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.timeline(c))
	split := container.NewHSplit(left, right)
	split.Offset = 0.64
	return container.NewBorder(container.NewVBox(title, sub, s.judgeBar(c)), nil, nil, nil, split)
}

// timeline lists the cluster's seizures, oldest first: date, post and
// number; the crossing point and the route (from, through, to); and the
// identifier as that record writes it. A list draws only the rows in view,
// however many records share the key.
func (s *linksScreen) timeline(c *links.Cluster) fyne.CanvasObject {
	a := s.a
	ms := c.Timeline()
	where := s.routes
	l := widget.NewList(func() int { return len(ms) },
		func() fyne.CanvasObject {
			top := widget.NewLabel("")
			top.TextStyle.Bold = true
			mid := widget.NewLabel("")
			mid.Truncation = fyne.TextTruncateEllipsis
			bottom := widget.NewLabel("")
			bottom.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(top, mid, bottom)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			m := &ms[i]
			w := where[m.Ref] // the first maxRoutes are read with the cluster
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(a.tr.Date(m.OccurredAt) + " · " + m.PostCode + " · " + m.Number)
			box.Objects[1].(*widget.Label).SetText(w)
			box.Objects[2].(*widget.Label).SetText(m.Label)
		})
	l.OnSelected = func(i widget.ListItemID) { a.show(newRecordView(a, ms[i].Ref)) }
	return l
}

// routeOf is where a record's seizure was made and the way the goods
// came: the crossing point, then departure → transit → destination.
func (a *App) routeOf(ref string) string {
	cur, err := a.svc.Get(a.ctx, ref)
	if err != nil {
		return a.tr.Error(err)
	}
	in := cur.Record
	var way []string
	for _, c := range append(append([]string{in.Route.Departure}, in.Route.Transit...), in.Route.Destination) {
		if c != "" {
			way = append(way, c)
		}
	}
	parts := []string{in.CrossingPoint}
	if len(way) > 0 {
		parts = append(parts, strings.Join(way, " → "))
	}
	return strings.TrimPrefix(strings.Join(parts, " · "), " · ")
}

// judgeBar gives the analyst's verdict: same, different, unsure, with a
// note; the last verdict is shown.
func (s *linksScreen) judgeBar(c *links.Cluster) fyne.CanvasObject {
	a := s.a
	note := widget.NewEntry()
	note.SetPlaceHolder(a.T("ui.links.note"))
	note.SetText(s.note)
	note.OnChanged = func(t string) { s.note = t }
	row := container.NewHBox()
	for _, v := range links.Verdicts {
		v := v
		id := c.ID()
		b := widget.NewButton(a.T("links.verdict."+v), func() { s.judge(id, v) })
		if s.judging {
			b.Disable()
		}
		if c.Judgement != nil && c.Judgement.Verdict == v {
			b.Importance = widget.HighImportance
		}
		row.Add(b)
	}
	// Every verdict given, the latest first: a judgement is never taken
	// back, only followed by another.
	var said []string
	for i := len(s.history) - 1; i >= 0; i-- {
		j := s.history[i]
		line := a.T("ui.links.judged", "verdict", a.T("links.verdict."+j.Verdict), "actor", a.actorName(j.Actor), "time", a.tr.DateTime(j.At.Local()))
		line += " " + a.tr.N("ui.links.judged_records", len(j.Records))
		if j.Note != "" {
			line += " — " + j.Note
		}
		said = append(said, line)
		if len(said) == 3 {
			break
		}
	}
	bar := container.NewBorder(nil, nil, widget.NewLabel(a.T("ui.links.judge")), row, note)
	if len(said) == 0 {
		return bar
	}
	box := container.NewVBox(bar)
	for _, line := range said {
		l := widget.NewLabel(line)
		l.Truncation = fyne.TextTruncateEllipsis
		box.Add(l)
	}
	return box
}

// maxSeen is how many clusters a record view or a saved form spells out,
// and how many other records each.
const maxSeen = 5

// othersText names up to maxSeen records of c other than ref: number,
// post and date, and how many more.
func (a *App) othersText(c *links.Cluster, ref string) string {
	var others []string
	n := 0
	for _, m := range c.Records {
		if m.Ref == ref {
			continue
		}
		if n++; n <= maxSeen {
			others = append(others, fmt.Sprintf("%s (%s, %s)", m.Number, m.PostCode, a.tr.Date(m.OccurredAt)))
		}
	}
	if n > maxSeen {
		others = append(others, a.tr.N("links.hits_more", n-maxSeen))
	}
	return strings.Join(others, "; ")
}

// recordLinks is the record view's card of what else shares the record's
// weapons, people, vehicle and documents: a few indexed reads, each line
// capped (othersText), so it is read as the view is built.
func (v *recordView) recordLinks(in *record.Interdiction) fyne.CanvasObject {
	a := v.a
	ref := in.Ref()
	cs, err := a.svc.LinksOf(a.ctx, ref, links.Filter{Suggestions: true, Training: in.Training})
	box := container.NewVBox()
	switch {
	case err != nil:
		box.Add(widget.NewLabel(a.tr.Error(err)))
	case len(cs) == 0:
		return layout.NewSpacer()
	}
	for i, c := range cs {
		if i == maxSeen {
			box.Add(widget.NewLabel(a.tr.N("links.hits_more", len(cs)-maxSeen)))
			break
		}
		id, training := c.ID(), in.Training
		text := a.T("links.kind."+string(c.Kind)) + ": " + c.Label + " — " + a.othersText(&c, ref)
		if c.Strength == links.StrengthSuggestion {
			text = a.T("links.strength.suggestion") + " · " + text
		}
		if c.Judgement != nil {
			text += " [" + a.T("links.verdict."+c.Judgement.Verdict) + "]"
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		open := widget.NewButtonWithIcon(a.T("ui.links.open"), theme.SearchIcon(), func() { a.show(newLinksScreenOn(a, id, training)) })
		box.Add(container.NewBorder(nil, nil, nil, open, l))
	}
	return widget.NewCard(a.T("ui.links.card"), "", box)
}

// maxRoutes is how many records of a cluster the timeline gives the route
// of: each is read from its record.
const maxRoutes = 500

// maxHitLines is how many of an import's links its summary spells out.
const maxHitLines = 5

// recordHits is the record view's card of the people and organisations of
// the record that the UN list names, each with the officer's decision;
// nothing when there is no hit. A decision is kept off the UI goroutine.
func (v *recordView) recordHits(in *record.Interdiction) fyne.CanvasObject {
	a := v.a
	ref := in.Ref()
	hits, err := a.svc.RecordHits(a.ctx, ref)
	box := container.NewVBox()
	switch {
	case err != nil:
		box.Add(message(a.tr.Error(err), widget.DangerImportance))
	case len(hits) == 0:
		return layout.NewSpacer()
	}
	for _, h := range hits {
		h := h
		l := message(h.Text(a.tr), widget.DangerImportance)
		l.TextStyle.Bold = true
		row := container.NewVBox(l)
		if d := h.Decision; d != nil {
			row.Add(widget.NewLabel(a.T("ui.screen.decided", "verdict", a.T("screening.verdict."+d.Verdict),
				"actor", a.actorName(d.Actor), "time", a.tr.DateTime(d.At.Local()))))
		} else {
			decide := func(verdict string) {
				a.background.Add(1)
				go func() {
					defer a.background.Done()
					err := a.svc.Decide(a.ctx, ref, h.Path, h.Entry.Reference, verdict, "")
					fyne.Do(func() {
						if err != nil {
							a.showError(err)
							return
						}
						a.rebuildIf(v)
					})
				}()
			}
			row.Add(container.NewHBox(
				widget.NewButtonWithIcon(a.T("ui.screen.confirm"), theme.ErrorIcon(), func() { decide(service.HitConfirmed) }),
				widget.NewButtonWithIcon(a.T("ui.screen.false_match"), theme.CancelIcon(), func() { decide(service.HitFalseMatch) })))
		}
		box.Add(row)
	}
	return widget.NewCard(a.T("ui.screen.card"), "", box)
}
