package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/translit"
)

// witnessRoles are the people shown under "Witnesses and interpreter".
var witnessRoles = []string{"witness", "interpreter"}

func isWitness(p record.Person) bool { return p.Role == "witness" || p.Role == "interpreter" }

// build makes the form's widgets from the record.
func (f *formScreen) build() fyne.CanvasObject {
	a := f.a
	f.rows = map[string]*fieldRow{}
	f.unread = map[string]unreadField{}
	f.summary = newFieldRow("", widget.NewLabel(""))
	f.state = widget.NewLabel("")

	title := a.T("ui.form.new_title")
	if f.rec.Number != "" {
		title = a.T("ui.form.edit_title", "number", f.rec.Number)
	}
	f.sections = nil
	groups := container.NewVBox(
		f.summary.err,
		f.group("ui.group.when", f.whenWhere()),
		f.group("ui.group.conveyance", f.conveyancePeople()),
		f.group("ui.group.items", f.items()),
		f.group("ui.group.photos", f.photos()),
		f.group("ui.group.custody", f.custody()),
		f.group("ui.group.circumstances", f.circumstances()),
		f.group("ui.group.witnesses", f.witnesses()),
	)
	// The sections, one click away each, with the number of their problems.
	bar := container.NewHBox()
	for _, s := range f.sections {
		bar.Add(s.button)
	}
	scroll := container.NewVScroll(groups)
	scroll.OnScrolled = func(p fyne.Position) { f.offset = p }
	scroll.Offset = f.offset
	f.scroll, f.groups = scroll, groups
	f.jump = widget.NewButtonWithIcon("", theme.ErrorIcon(), f.toFirstProblem)
	f.jump.Importance = widget.DangerImportance
	f.jump.Hide()

	save := widget.NewButtonWithIcon(a.T("ui.form.save"), theme.DocumentSaveIcon(), func() { f.save() })
	save.Importance = widget.HighImportance
	fin := widget.NewButtonWithIcon(a.T("ui.form.finalise"), theme.ConfirmIcon(), func() {
		// Check first: the question is asked of a record that can be
		// finalised, never of one that will be refused after it.
		if n := len(f.unread); n > 0 {
			f.showErrors(nil)
			f.setState(f.a.T("ui.form.unread", "count", n))
			return
		}
		if err := f.checkFinal(); err != nil {
			f.showErrors(err)
			f.setState(f.a.T("ui.form.not_saved"))
			return
		}
		a.confirm(a.T("ui.form.finalise"), a.T("ui.form.finalise_question"), a.T("ui.form.finalise"), func() {
			if f.finalise() {
				a.show(newRecordView(a, f.rec.Ref()))
			}
		})
	})
	buttons := []fyne.CanvasObject{save}
	if !f.final {
		buttons = append(buttons, fin)
	}
	close := widget.NewButtonWithIcon(a.T("ui.form.close"), theme.CancelIcon(), func() {
		if !f.save() {
			return // the marked fields need attention; nothing is lost meanwhile
		}
		f.clearStash()
		if f.rec.Version > 0 {
			a.show(newRecordView(a, f.rec.Ref()))
		} else {
			a.show(newDashboard(a))
		}
	})
	buttons = append(buttons, close)
	f.state.Truncation = fyne.TextTruncateEllipsis
	f.seen = widget.NewLabel(f.seenText)
	f.seen.Importance = widget.WarningImportance
	f.seen.Wrapping = fyne.TextWrapWord
	if f.seenText == "" {
		f.seen.Hide()
	}
	top := container.NewVBox(
		container.NewBorder(nil, nil, heading(title), container.NewHBox(buttons...), container.NewBorder(nil, nil, f.jump, nil, f.state)),
		f.seen,
		container.NewHScroll(bar))
	return container.NewBorder(top, nil, nil, nil, scroll)
}

// rebuildForm redraws the form after items or people were added or removed.
func (f *formScreen) rebuildForm() {
	f.touch()
	f.a.rebuild()
}

// added redraws the form after a row was added (a person, an item, a
// serial…) and brings the officer to it, the cursor in its field at path:
// never back to where the form was before.
func (f *formScreen) added(path string) {
	f.rebuildForm()
	if r, ok := f.rows[path]; ok {
		fo, _ := r.obj.(fyne.Focusable)
		f.scrollTo(r.obj, fo)
	}
}

func (f *formScreen) group(key string, body fyne.CanvasObject) fyne.CanvasObject {
	card := widget.NewCard(f.a.T(key), "", body)
	s := &section{key: key, card: card}
	s.button = widget.NewButton(f.a.T(key), func() { f.scrollTo(card, nil) })
	f.sections = append(f.sections, s)
	return card
}

// section is a group of the form and its button in the sections bar.
type section struct {
	key    string
	card   *widget.Card
	button *widget.Button
}

// scrollTo scrolls the form so that obj is at the top of the view, and puts
// the cursor in focus if it is not nil.
func (f *formScreen) scrollTo(obj fyne.CanvasObject, focus fyne.Focusable) {
	if f.scroll == nil {
		return
	}
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(obj).Y - d.AbsolutePositionForObject(f.groups).Y
	// A little above it, so that a field's label shows too.
	f.scroll.Offset.Y = min(max(0, y-40), max(0, f.groups.MinSize().Height-f.scroll.Size().Height))
	f.offset = f.scroll.Offset // kept when the form is drawn again
	f.scroll.Refresh()
	if focus != nil {
		f.a.win.Canvas().Focus(focus)
	}
}

// field registers obj as the widget of the record path, for errors.
func (f *formScreen) field(path, key string, obj fyne.CanvasObject) *fieldRow {
	r := newFieldRow(f.a.T(key), obj)
	f.rows[path] = r
	return r
}

func (f *formScreen) text(path, key string, p *string) *fieldRow {
	e := entry(*p, func(s string) { *p = s; f.touch() })
	return f.capped(path, key, e)
}

// capped registers a text field at its cap (record.TextCap): a paste cut
// to fit says so beside the field.
func (f *formScreen) capped(path, key string, e *cappedEntry) *fieldRow {
	e.max = record.TextCap(path)
	if e.MultiLine {
		e.PlaceHolder = f.a.T("ui.form.cap", "max", f.a.tr.Number(int64(e.max)))
	}
	r := f.field(path, key, e)
	e.onCut = func() { r.setError(f.a.T("ui.form.cut", "max", f.a.tr.Number(int64(e.max)))) }
	return r
}

// multiline is a text field of several lines bound to a string.
func (f *formScreen) multiline(path, key string, p *string, rows int) *fieldRow {
	e := newCappedEntry(record.TextCap(path), true)
	e.SetMinRowsVisible(rows)
	e.SetText(cut(*p, e.max))
	e.OnChanged = func(s string) { *p = s; f.touch() }
	return f.capped(path, key, e)
}

func (f *formScreen) code(path, key string, voc record.Vocabulary, p *string) *fieldRow {
	return f.codeOf(path, key, newCodeList(f.a.tr, voc, nil), p)
}

// codeOf is a coded field over the list l, bound to the code at p. Text
// that names no entry of the list stays as typed and marks the field, as a
// number that does not read does: the code is never guessed.
func (f *formScreen) codeOf(path, key string, l codeList, p *string) *fieldRow {
	var r *fieldRow
	read := func(s string) {
		code, ok := l.read(s)
		if !ok {
			f.typed[path] = s
			f.mark(path, r, "ui.err.choose")
			return
		}
		delete(f.typed, path)
		f.mark(path, r, "")
		*p = code
	}
	text, kept := f.typed[path]
	if !kept {
		text = l.label(*p)
	}
	e := codeEntry(f.a.tr, l, text, func(s string) { read(s); f.touch() })
	r = f.field(path, key, e)
	if kept {
		read(text)
	}
	return r
}

// suggestLatin fills a person's Latin name field (at path) from the name
// as the officer types it, written as the nationality's passports write it
// (translit.MRZ), for the officer to check against the document. The
// field is filled while it is empty or still holds what this form filled
// in: a Latin name typed or corrected by hand, or stored before, is never
// overwritten. Companies' names have no passport rules: they are not
// suggested.
func (f *formScreen) suggestLatin(path string, nameRow, latinRow, countryRow *fieldRow, name, latin, country *string) {
	nameE, latinE := nameRow.obj.(*cappedEntry), latinRow.obj.(*cappedEntry)
	countryE := countryRow.obj.(*widget.SelectEntry)
	suggest := func() {
		if prev, ok := f.suggested[path]; *latin != "" && (!ok || *latin != prev) {
			return
		}
		s := translit.MRZ(*name, *country)
		f.suggested[path] = s
		if latinE.Text != s {
			latinE.SetText(s)
		}
	}
	for _, on := range []*func(string){&nameE.OnChanged, &countryE.OnChanged} {
		prev := *on
		*on = func(s string) { prev(s); suggest() }
	}
	latinE.PlaceHolder = f.a.T("ui.f.name_latin_hint")
}

func (f *formScreen) country(path, key string, p *string) *fieldRow {
	return f.field(path, key, countryEntry(f.a.tr, *p, func(c string) { *p = c; f.touch() }))
}

func (f *formScreen) count(path, key string, p *int) *fieldRow {
	var r *fieldRow
	// read takes the number typed into the record, or keeps the text as
	// typed and marks the field: a value that does not read is never
	// replaced by the last one that did.
	read := func(s string) bool {
		n, ok := parseCount(s)
		if !ok {
			f.typed[path] = s
			f.mark(path, r, "ui.err.number")
			return false
		}
		delete(f.typed, path)
		f.mark(path, r, "")
		*p = n
		return true
	}
	text, kept := f.typed[path]
	if !kept {
		text = itoa(*p)
	}
	e := entry(text, func(s string) {
		read(s)
		f.touch()
	})
	r = f.field(path, key, e)
	if kept {
		read(text)
	}
	return r
}

// unreadField is a field whose text does not read as its kind of value.
type unreadField struct {
	row *fieldRow
	msg string // catalog key of the problem
}

// mark notes that the field at key does not read right (msg, a catalog
// key), or with msg "" that it reads again; Save waits until none is left.
func (f *formScreen) mark(key string, r *fieldRow, msg string) {
	if msg == "" {
		if _, ok := f.unread[key]; ok {
			delete(f.unread, key)
			r.setError("")
		}
		return
	}
	f.unread[key] = unreadField{row: r, msg: msg}
	r.setError(f.a.T(msg))
}

func (f *formScreen) calibre(path, key string, p *record.Calibre) *fieldRow {
	return f.field(path, key, calibreEntry(f.a.tr, *p, func(c record.Calibre) { *p = c; f.touch() }))
}

func (f *formScreen) checks(path, key string, voc record.Vocabulary, p *[]string) fyne.CanvasObject {
	r := f.field(path, key, codeChecks(f.a.tr, voc, *p, func(c []string) { *p = c; f.touch() }))
	return grid(1, r)
}

func (f *formScreen) whenWhere() fyne.CanvasObject {
	in := f.rec
	var dateRow, timeRow *fieldRow
	when := func() {
		f.mark("occurred_at", dateRow, "")
		f.mark("occurred_at.time", timeRow, "")
		switch f.setWhen() {
		case "ui.err.date":
			f.mark("occurred_at", dateRow, "ui.err.date")
		case "ui.err.time":
			f.mark("occurred_at.time", timeRow, "ui.err.time")
		}
		f.touch()
	}
	de := entry(f.dateText, func(s string) { f.dateText = s; when() })
	de.PlaceHolder = "2026-01-31"
	te := entry(f.timeText, func(s string) { f.timeText = s; when() })
	te.PlaceHolder = "14:30"
	dateRow = f.field("occurred_at", "ui.f.date", de)
	timeRow = f.newRow("ui.f.time", te)
	if _, ok := parseDate(f.dateText); !ok {
		f.mark("occurred_at", dateRow, "ui.err.date")
	} else if _, err := time.Parse("15:04", strings.TrimSpace(f.timeText)); err != nil {
		f.mark("occurred_at.time", timeRow, "ui.err.time")
	}

	cp := widget.NewSelectEntry(f.a.crossingPoints())
	cp.SetText(in.CrossingPoint)
	cp.OnChanged = func(s string) { in.CrossingPoint = strings.TrimSpace(s); f.touch() }

	if len(in.Officers) == 0 {
		in.Officers = []record.Officer{{}}
	}
	o := &in.Officers[0]
	return container.NewVBox(
		grid(4, dateRow, timeRow, f.field("crossing_point", "field.crossing_point", cp), f.code("location_type", "field.location_type", record.LocationTypes, &in.LocationType)),
		grid(4, f.code("direction", "field.direction", record.Directions, &in.Direction),
			f.code("recovery", "field.recovery", record.RecoveryTypes, &in.Recovery),
			f.code("legal_basis", "field.legal_basis", record.LegalBases, &in.LegalBasis),
			f.text("legal_basis_text", "ui.f.legal_basis_text", &in.LegalBasisText)),
		f.endedGPS(),
		grid(4, f.text("officers[0].name", "ui.f.officer_name", &o.Name), f.text("officers[0].rank", "ui.f.officer_rank", &o.Rank),
			f.text("officers[0].position", "ui.f.officer_position", &o.Position), f.newRow("", layout.NewSpacer())),
		f.rowsErr("officers", "field.officer"),
		f.checks("detection", "field.detection", record.DetectionMethods, &in.Detection),
		f.checks("criminal_context", "field.criminal_context", record.CriminalContexts, &in.CriminalContext),
	)
}

// newRow is a labelled field that no record path names.
func (f *formScreen) newRow(key string, obj fyne.CanvasObject) *fieldRow {
	return newFieldRow(f.a.T(key), obj)
}

func (f *formScreen) conveyancePeople() fyne.CanvasObject {
	in := f.rec
	if in.Conveyance == nil {
		in.Conveyance = &record.Conveyance{}
	}
	c := in.Conveyance
	box := container.NewVBox(
		grid(4, f.code("transport", "field.transport", record.TransportModes, &in.Transport),
			f.text("conveyance.plate", "ui.f.plate", &c.Plate),
			f.country("conveyance.country", "ui.f.registration_country", &c.Country),
			f.text("conveyance.vin", "ui.f.vin", &c.VIN)),
		f.listedLabel("conveyance"),
		grid(4, f.text("conveyance.container", "ui.f.container", &c.Container),
			f.text("conveyance.voyage", "ui.f.voyage", &c.Voyage),
			f.country("route.departure", "ui.f.departure", &in.Route.Departure),
			f.country("route.destination", "ui.f.destination", &in.Route.Destination)),
		grid(2, f.field("route.transit", "ui.f.transit_hint", entry(strings.Join(in.Route.Transit, ", "), func(s string) {
			in.Route.Transit = splitCodes(s)
			f.touch()
		})), f.text("conveyance.description", "ui.f.conveyance_description", &c.Description)),
		f.checks("concealment", "field.concealment", record.ConcealmentMethods, &in.Concealment),
		grid(1, f.text("concealment_note", "ui.f.concealment_note", &in.ConcealmentNote)),
	)
	for i := range in.People {
		if !isWitness(in.People[i]) {
			box.Add(f.person(i, nil))
		}
	}
	for i := range in.Organisations {
		box.Add(f.organisation(i))
	}
	box.Add(container.NewHBox(widget.NewButtonWithIcon(f.a.T("ui.form.add_person"), theme.ContentAddIcon(), func() {
		f.rec.People = append(f.rec.People, record.Person{Role: "driver"})
		f.rec.AssignIDs(f.device)
		f.added(fmt.Sprintf("people[%d].name", len(f.rec.People)-1))
	}), widget.NewButtonWithIcon(f.a.T("ui.form.add_organisation"), theme.ContentAddIcon(), func() {
		f.rec.Organisations = append(f.rec.Organisations, record.Organisation{Role: "consignor"})
		f.rec.AssignIDs(f.device)
		f.added(fmt.Sprintf("organisations[%d].name", len(f.rec.Organisations)-1))
	})))
	// Seized from no one the record names: why, as an obliterated serial
	// says why there is no number. Always there: a person's role changed
	// to witness leaves the record with no one, without a rebuild.
	box.Add(grid(2, f.code("no_person", "field.no_person", record.NoPersonReasons, &in.NoPerson)))
	return box
}

// organisation edits Organisations[i]: a consignor, carrier or other body.
func (f *formScreen) organisation(i int) fyne.CanvasObject {
	o := &f.rec.Organisations[i]
	path := fmt.Sprintf("organisations[%d]", i)
	remove := widget.NewButtonWithIcon(f.a.T("ui.form.remove"), theme.DeleteIcon(), func() {
		f.rec.Organisations = append(f.rec.Organisations[:i], f.rec.Organisations[i+1:]...)
		f.removed("organisations", i)
		f.rebuildForm()
	})
	return widget.NewCard("", "", container.NewVBox(
		grid(4, f.code(path+".role", "ui.f.org_role", record.OrganisationRoles, &o.Role),
			f.text(path+".name", "ui.f.org_name", &o.Name), f.text(path+".name_latin", "ui.f.name_latin", &o.NameLatin),
			f.country(path+".country", "ui.f.org_country", &o.Country)),
		f.listedLabel(path),
		grid(4, f.text(path+".registration", "ui.f.registration", &o.Registration), f.text(path+".phone", "ui.f.phone", &o.Phone),
			f.newRow("ui.form.actions", container.NewHBox(remove)), f.newRow("", layout.NewSpacer())),
	))
}

// endedGPS are the end of the inspection and the GPS position: optional
// fields kept as typed, so that a half-typed value is never lost, and set in
// the record once they read right.
func (f *formScreen) endedGPS() fyne.CanvasObject {
	date, clock := f.moment("ended_at", "ended_at", "ui.f.ended_date", "ui.f.ended_time",
		func() *time.Time { return f.rec.EndedAt },
		func(t *time.Time) { f.rec.EndedAt = t })
	var lat, lon *fieldRow
	// check marks what does not read; it reports the position when all does.
	check := func() (*record.GPS, bool) {
		f.mark("gps.lat", lat, "")
		f.mark("gps.lon", lon, "")
		g, bad := parseGPS(f.typed["gps.lat"], f.typed["gps.lon"])
		switch bad {
		case "gps.lat":
			f.mark("gps.lat", lat, "ui.err.number")
		case "gps.lon":
			f.mark("gps.lon", lon, "ui.err.number")
		case "pair":
			if strings.TrimSpace(f.typed["gps.lat"]) == "" {
				f.mark("gps.lat", lat, "ui.err.gps_pair")
			} else {
				f.mark("gps.lon", lon, "ui.err.gps_pair")
			}
		}
		return g, bad == ""
	}
	gps := func() {
		if g, ok := check(); ok {
			f.rec.GPS = g
		}
		f.touch()
	}
	if _, ok := f.typed["gps.lat"]; !ok && f.rec.GPS != nil {
		f.typed["gps.lat"] = strconv.FormatFloat(f.rec.GPS.Lat, 'f', -1, 64)
		f.typed["gps.lon"] = strconv.FormatFloat(f.rec.GPS.Lon, 'f', -1, 64)
	}
	le := entry(f.typed["gps.lat"], func(s string) { f.typed["gps.lat"] = s; gps() })
	oe := entry(f.typed["gps.lon"], func(s string) { f.typed["gps.lon"] = s; gps() })
	lat = f.field("gps.lat", "ui.f.gps_lat", le)
	lon = f.field("gps.lon", "ui.f.gps_lon", oe)
	check()
	return grid(4, date, clock, lat, lon)
}

// parseGPS reads a position typed in decimal degrees, with a point or a
// comma. Both fields empty is no position; bad names what is wrong:
// "gps.lat" or "gps.lon" for a field that is not a number, "pair" when only
// one of them is given.
func parseGPS(lat, lon string) (g *record.GPS, bad string) {
	num := func(s string) (float64, bool, bool) {
		s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
		if s == "" {
			return 0, false, true
		}
		v, err := strconv.ParseFloat(s, 64)
		return v, true, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	la, hasLa, okLa := num(lat)
	lo, hasLo, okLo := num(lon)
	switch {
	case !okLa:
		return nil, "gps.lat"
	case !okLo:
		return nil, "gps.lon"
	case !hasLa && !hasLo:
		return nil, ""
	case !hasLa || !hasLo:
		return nil, "pair"
	}
	return &record.GPS{Lat: la, Lon: lo}, ""
}

// moment is a date field and a time field for one point in time, in the
// zone of the record's occurred-at time. The typed text is kept under key
// in f.typed; both fields empty set nil. The date field carries the errors
// of path.
func (f *formScreen) moment(path, key, dateKey, timeKey string, get func() *time.Time, set func(*time.Time)) (date, clock *fieldRow) {
	if _, ok := f.typed[key+".date"]; !ok {
		f.typed[key+".date"], f.typed[key+".time"] = "", ""
		if t := get(); t != nil && !t.IsZero() {
			f.typed[key+".date"], f.typed[key+".time"] = f.a.tr.Date(*t), t.Format("15:04")
		}
	}
	// check marks what does not read; it reports the time when all does.
	check := func() (*time.Time, bool) {
		f.mark(key+".date", date, "")
		f.mark(key+".time", clock, "")
		t, bad := parseMoment(f.typed[key+".date"], f.typed[key+".time"], f.zone())
		switch bad {
		case "ui.err.date":
			f.mark(key+".date", date, bad)
		case "ui.err.time":
			f.mark(key+".time", clock, bad)
		}
		return t, bad == ""
	}
	changed := func() {
		if t, ok := check(); ok {
			set(t)
		}
		f.touch()
	}
	// No sample date or time: in an empty optional field it reads as data.
	de := entry(f.typed[key+".date"], func(s string) { f.typed[key+".date"] = s; changed() })
	te := entry(f.typed[key+".time"], func(s string) { f.typed[key+".time"] = s; changed() })
	date = f.field(path, dateKey, de)
	clock = f.newRow(timeKey, te)
	check()
	return date, clock
}

// zone is where the record happened: the zone of its occurred-at time.
func (f *formScreen) zone() *time.Location {
	if f.rec.OccurredAt.IsZero() {
		return time.Local
	}
	return f.rec.OccurredAt.Location()
}

// parseMoment reads a date and a time typed as in the occurred-at fields,
// in loc. Both empty is no time at all; bad is the message key of the field
// that does not read right.
func parseMoment(dateText, timeText string, loc *time.Location) (t *time.Time, bad string) {
	if strings.TrimSpace(dateText) == "" && strings.TrimSpace(timeText) == "" {
		return nil, ""
	}
	d, ok := parseDate(dateText)
	if !ok {
		return nil, "ui.err.date"
	}
	c, err := time.Parse("15:04", strings.TrimSpace(timeText))
	if err != nil {
		return nil, "ui.err.time"
	}
	v := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, loc)
	return &v, ""
}

// custody lists the hand-overs of the seized items, and adds more.
func (f *formScreen) custody() fyne.CanvasObject {
	box := container.NewVBox()
	for i := range f.rec.Custody {
		remove := widget.NewButtonWithIcon(f.a.T("ui.form.remove"), theme.DeleteIcon(), func() {
			f.rec.Custody = append(f.rec.Custody[:i], f.rec.Custody[i+1:]...)
			f.removed("custody", i)
			f.rebuildForm()
		})
		box.Add(widget.NewCard("", "", f.custodyEvent(i, f.newRow("ui.form.actions", container.NewHBox(remove)))))
	}
	box.Add(container.NewHBox(widget.NewButtonWithIcon(f.a.T("ui.form.add_custody"), theme.ContentAddIcon(), func() {
		f.rec.Custody = append(f.rec.Custody, newCustodyEvent(f.zone()))
		f.added(fmt.Sprintf("custody[%d].from", len(f.rec.Custody)-1))
	})))
	return box
}

// custodyEvent edits Custody[i]: who handed the items to whom, when and
// where, under which seal; last fills the last cell.
func (f *formScreen) custodyEvent(i int, last *fieldRow) fyne.CanvasObject {
	c := &f.rec.Custody[i]
	path := fmt.Sprintf("custody[%d]", i)
	date, clock := f.moment(path+".at", custodyKey(c), "ui.f.date", "ui.f.time",
		func() *time.Time { return &c.At },
		func(t *time.Time) {
			c.At = time.Time{}
			if t != nil {
				c.At = *t
			}
		})
	if last == nil {
		last = f.newRow("", layout.NewSpacer())
	}
	return container.NewVBox(
		grid(4, f.text(path+".from", "ui.f.custody_from", &c.From), f.text(path+".to", "ui.f.custody_to", &c.To), date, clock),
		grid(4, f.text(path+".place", "ui.f.place", &c.Place), f.text(path+".seal_number", "ui.f.seal_number", &c.SealNumber),
			f.text(path+".note", "ui.f.note", &c.Note), last),
	)
}

// custodyKey names a custody event's typed time in formScreen.typed.
func custodyKey(c *record.CustodyEvent) string { return "custody." + c.ID.String() }

// addCustody asks for a new hand-over of the record's seized items and
// saves it through the store like the form's Save: a draft is updated, a
// final record gets its next version. in is the record as stored.
func (a *App) addCustody(in *record.Interdiction) {
	f := newForm(a, in)
	f.stopped = true // a dialog, not a form: nothing autosaves or stashes
	in.Custody = append(in.Custody, newCustodyEvent(f.zone()))
	a.custodyDialog(f, nil)
}

// custodyDialog shows the new custody event of f's record, with the
// problems of err next to the fields, and saves it on Save.
func (a *App) custodyDialog(f *formScreen, err error) {
	i := len(f.rec.Custody) - 1
	f.rows = map[string]*fieldRow{}
	f.unread = map[string]unreadField{}
	f.summary = newFieldRow("", widget.NewLabel(""))
	body := f.custodyEvent(i, nil)
	f.showErrors(err)
	d := dialog.NewCustomConfirm(a.T("ui.form.add_custody"), a.T("ui.form.save"), a.T("ui.cancel"), container.NewVBox(f.summary.err, body), func(ok bool) {
		if !ok {
			return
		}
		key := custodyKey(&f.rec.Custody[i])
		if _, bad := parseMoment(f.typed[key+".date"], f.typed[key+".time"], f.zone()); bad != "" {
			a.custodyDialog(f, record.Errors{{Path: fmt.Sprintf("custody[%d].at", i), Key: bad}})
			return
		}
		if err := f.store(); err != nil {
			a.custodyDialog(f, err)
			return
		}
		a.rebuild()
	}, a.win)
	d.Resize(fyne.NewSize(900, d.MinSize().Height))
	a.showDialog(d)
}

// newCustodyEvent is a hand-over happening now, in the record's zone.
func newCustodyEvent(loc *time.Location) record.CustodyEvent {
	return record.CustodyEvent{ID: uuid.New(), At: time.Now().In(loc).Truncate(time.Minute)}
}

// person edits People[i]; roles limits the roles offered (nil: all but the
// witnesses').
func (f *formScreen) person(i int, roles []string) fyne.CanvasObject {
	p := &f.rec.People[i]
	path := fmt.Sprintf("people[%d]", i)
	if roles == nil {
		for _, r := range record.PersonRoles.Codes {
			if r != "witness" && r != "interpreter" {
				roles = append(roles, r)
			}
		}
	}
	role := f.codeOf(path+".role", "ui.f.role", newCodeList(f.a.tr, record.PersonRoles, roles), &p.Role)
	detained := widget.NewCheck(f.a.T("ui.f.detained"), nil)
	detained.SetChecked(p.Detained)
	detained.OnChanged = func(b bool) { p.Detained = b; f.touch() }
	remove := widget.NewButtonWithIcon(f.a.T("ui.form.remove"), theme.DeleteIcon(), func() {
		f.rec.People = append(f.rec.People[:i], f.rec.People[i+1:]...)
		f.removed("people", i)
		f.rebuildForm()
	})
	name, latin := f.text(path+".name", "ui.f.person_name", &p.Name), f.text(path+".name_latin", "ui.f.name_latin", &p.NameLatin)
	nationality := f.country(path+".nationality", "ui.f.nationality", &p.Nationality)
	f.suggestLatin(path+".name_latin", name, latin, nationality, &p.Name, &p.NameLatin, &p.Nationality)
	return widget.NewCard("", "", container.NewVBox(
		grid(4, role, name, latin, f.text(path+".birth_date", "ui.f.birth_date", &p.BirthDate)),
		f.listedLabel(path),
		grid(4, nationality,
			f.code(path+".document_type", "ui.f.document_type", record.DocumentTypes, &p.DocumentType),
			f.text(path+".document_number", "ui.f.document_number", &p.DocumentNumber),
			f.text(path+".document_issuer", "ui.f.document_issuer", &p.DocumentIssuer)),
		grid(4, f.text(path+".phone", "ui.f.phone", &p.Phone), f.code(path+".sex", "ui.f.sex", record.Sexes, &p.Sex),
			f.text(path+".address", "ui.f.address", &p.Address), f.newRow("ui.f.detained_title", detained)),
		grid(4, f.newRow("ui.form.actions", container.NewHBox(remove))),
	))
}

func (f *formScreen) items() fyne.CanvasObject {
	box := container.NewVBox()
	for i := range f.rec.Items {
		box.Add(f.item(i))
	}
	// Two columns: in three, "Explosive or ordnance" does not fit a
	// 1024-pixel window in most languages.
	add := container.New(&columns{n: 2})
	for _, k := range record.ItemKinds.Codes {
		add.Add(widget.NewButtonWithIcon(f.a.T("ui.form.add_item", "kind", f.a.T(record.ItemKinds.LabelKey(k))), theme.ContentAddIcon(), func() {
			f.rec.Items = append(f.rec.Items, newItem(k))
			f.added(firstField(f.rec.Items, len(f.rec.Items)-1))
		}))
	}
	f.rows["items"] = newFieldRow(f.a.T("field.items"), add)
	box.Add(add)
	box.Add(f.rows["items"].err)
	return box
}

func (f *formScreen) item(i int) fyne.CanvasObject {
	it := &f.rec.Items[i]
	path := fmt.Sprintf("items[%d]", i)
	title := f.a.T("ui.form.item_title", "n", strconv.Itoa(i+1), "kind", f.a.T(record.ItemKinds.LabelKey(it.Kind)))
	dup := widget.NewButtonWithIcon(f.a.T("ui.form.duplicate"), theme.ContentCopyIcon(), func() {
		f.duplicate(i)
		f.added(firstField(f.rec.Items, i+1))
	})
	remove := widget.NewButtonWithIcon(f.a.T("ui.form.remove"), theme.DeleteIcon(), func() {
		f.rec.Items = append(f.rec.Items[:i], f.rec.Items[i+1:]...)
		f.removed("items", i)
		f.rebuildForm()
	})
	head := container.NewBorder(nil, nil, heading(title), container.NewHBox(dup, remove))
	common := grid(4, f.count(path+".quantity", "ui.f.quantity", &it.Quantity),
		f.text(path+".description", "ui.f.description", &it.Description),
		f.text(path+".packaging", "ui.f.packaging", &it.Packaging),
		f.text(path+".seal_number", "ui.f.seal_number", &it.SealNumber))
	box := container.NewVBox(head, f.rowsErr(path+".kind", "field.items"), f.listedLabel(path), common)
	switch {
	case it.Firearm != nil:
		fa := it.Firearm
		p := path + ".firearm"
		box.Add(grid(4, f.code(p+".category", "ui.f.firearm_category", record.FirearmCategories, &fa.Category),
			f.text(p+".make", "ui.f.make", &fa.Make), f.text(p+".model", "ui.f.model", &fa.Model),
			f.calibre(p+".calibre", "ui.f.calibre", &fa.Calibre)))
		box.Add(grid(4, f.code(p+".condition", "ui.f.condition", record.FirearmConditions, &fa.Condition),
			f.country(p+".country_marked", "ui.f.country_marked", &fa.CountryMarked),
			f.country(p+".country_assessed", "ui.f.country_assessed", &fa.CountryAssessed),
			f.count(p+".year", "ui.f.year", &fa.Year)))
		box.Add(grid(1, f.text(p+".other_markings", "ui.f.other_markings", &fa.OtherMarkings)))
		box.Add(f.serials(p+".serials", &fa.Serials))
	case it.Part != nil:
		pt := it.Part
		p := path + ".part"
		box.Add(grid(4, f.code(p+".type", "ui.f.part_type", record.PartTypes, &pt.Type),
			f.text(p+".make", "ui.f.make", &pt.Make), f.text(p+".model", "ui.f.model", &pt.Model),
			f.calibre(p+".calibre", "ui.f.calibre", &pt.Calibre)))
		box.Add(grid(1, f.text(p+".markings", "ui.f.markings", &pt.Markings)))
		box.Add(f.serials(p+".serials", &pt.Serials))
	case it.Ammunition != nil:
		am := it.Ammunition
		p := path + ".ammunition"
		box.Add(grid(4, f.calibre(p+".calibre", "ui.f.calibre", &am.Calibre), f.count(p+".rounds", "ui.f.rounds", &am.Rounds),
			f.code(p+".type", "ui.f.ammunition_type", record.AmmunitionTypes, &am.Type), f.text(p+".lot", "ui.f.lot", &am.Lot)))
		box.Add(grid(4, f.text(p+".headstamp_factory", "ui.f.headstamp_factory", &am.HeadstampFactory),
			f.text(p+".headstamp_year", "ui.f.headstamp_year", &am.HeadstampYear),
			f.text(p+".packaging_marks", "ui.f.packaging_marks", &am.PackagingMarks), f.newRow("", layout.NewSpacer())))
	case it.Explosive != nil:
		ex := it.Explosive
		p := path + ".explosive"
		var wr *fieldRow
		wpath := p + ".weight_grams"
		read := func(s string) {
			g, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
			if strings.TrimSpace(s) == "" {
				g, err = 0, nil
			}
			if err != nil || math.IsNaN(g) || math.IsInf(g, 0) {
				f.typed[wpath] = s
				f.mark(wpath, wr, "ui.err.number")
				return
			}
			delete(f.typed, wpath)
			f.mark(wpath, wr, "")
			ex.WeightGrams = g
		}
		text, kept := f.typed[wpath]
		if !kept {
			text = formatGrams(ex.WeightGrams)
		}
		we := entry(text, func(s string) { read(s); f.touch() })
		wr = f.field(wpath, "ui.f.weight_grams", we)
		if kept {
			read(text)
		}
		eod := widget.NewCheck(f.a.T("ui.f.eod_safe"), nil)
		eod.SetChecked(ex.EODSafe)
		eod.OnChanged = func(b bool) { ex.EODSafe = b; f.touch() }
		box.Add(grid(4, f.code(p+".type", "ui.f.explosive_type", record.ExplosiveTypes, &ex.Type), wr,
			f.count(p+".count", "ui.f.count", &ex.Count), f.newRow("ui.f.eod_title", eod)))
		box.Add(grid(1, f.text(p+".markings", "ui.f.markings", &ex.Markings)))
	}
	return widget.NewCard("", "", box)
}

// rowsErr registers a message-only row for a path that has no widget of its
// own; key names the field in the message.
func (f *formScreen) rowsErr(path, key string) fyne.CanvasObject {
	r := newFieldRow(f.a.T(key), nil)
	f.rows[path] = r
	return r.err
}

func formatGrams(g float64) string {
	if g == 0 {
		return ""
	}
	return strconv.FormatFloat(g, 'f', -1, 64)
}

// serials edits the serial numbers of a firearm or part.
func (f *formScreen) serials(path string, ss *[]record.Serial) fyne.CanvasObject {
	box := container.NewVBox()
	for j := range *ss {
		s := &(*ss)[j]
		p := fmt.Sprintf("%s[%d]", path, j)
		remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
			*ss = append((*ss)[:j], (*ss)[j+1:]...)
			f.removed(path, j)
			f.rebuildForm()
		})
		box.Add(grid(4, f.text(p+".number", "ui.f.serial_number", &s.Number),
			f.code(p+".part", "ui.f.serial_part", record.PartTypes, &s.Part),
			f.code(p+".state", "ui.f.serial_state", record.SerialStates, &s.State),
			f.newRow("ui.form.actions", container.NewHBox(remove))))
	}
	add := widget.NewButtonWithIcon(f.a.T("ui.form.add_serial"), theme.ContentAddIcon(), func() {
		*ss = append(*ss, record.Serial{State: "intact"})
		f.added(fmt.Sprintf("%s[%d].number", path, len(*ss)-1))
	})
	r := newFieldRow(f.a.T("ui.f.serials"), container.NewHBox(add))
	f.rows[path] = r
	box.Add(grid(1, r))
	return box
}

func (f *formScreen) circumstances() fyne.CanvasObject {
	in := f.rec
	return container.NewVBox(
		grid(1, f.multiline("narrative", "field.narrative", &in.Narrative, 5)),
		f.checks("linked_contraband", "ui.f.linked_contraband", record.ContrabandTypes, &in.LinkedContraband),
		grid(1, f.multiline("remarks", "ui.f.remarks", &in.Remarks, 2)),
	)
}

func (f *formScreen) witnesses() fyne.CanvasObject {
	box := container.NewVBox()
	for i := range f.rec.People {
		if isWitness(f.rec.People[i]) {
			box.Add(f.person(i, witnessRoles))
		}
	}
	add := func(role, key string) *widget.Button {
		return widget.NewButtonWithIcon(f.a.T(key), theme.ContentAddIcon(), func() {
			f.rec.People = append(f.rec.People, record.Person{Role: role})
			f.rec.AssignIDs(f.device)
			f.added(fmt.Sprintf("people[%d].name", len(f.rec.People)-1))
		})
	}
	box.Add(container.NewHBox(add("witness", "ui.form.add_witness"), add("interpreter", "ui.form.add_interpreter")))
	return box
}

// splitCodes reads a list of country codes separated by commas or spaces.
func splitCodes(s string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		out = append(out, strings.ToUpper(c))
	}
	return out
}

// firstField is the path of the field an officer fills first in item i:
// the serial of a duplicated firearm, otherwise what the item is.
func firstField(items []record.Item, i int) string {
	it := items[i]
	p := fmt.Sprintf("items[%d]", i)
	switch {
	case it.Firearm != nil && it.Firearm.Category != "" && len(it.Firearm.Serials) > 0:
		return p + ".firearm.serials[0].number"
	case it.Firearm != nil:
		return p + ".firearm.category"
	case it.Part != nil:
		return p + ".part.type"
	case it.Ammunition != nil:
		return p + ".ammunition.calibre"
	case it.Explosive != nil:
		return p + ".explosive.type"
	}
	return p + ".description"
}

// removed moves the text kept as typed (f.typed) of the rows after row i
// of the list at path up by one, and drops row i's: what was typed into
// the second person stays with that person when the first is removed.
func (f *formScreen) removed(list string, i int) {
	moved := map[string]string{}
	for k, v := range f.typed {
		rest, ok := strings.CutPrefix(k, list+"[")
		end := strings.IndexByte(rest, ']')
		if !ok || end < 0 {
			moved[k] = v
			continue
		}
		n, err := strconv.Atoi(rest[:end])
		switch {
		case err != nil || n < i:
			moved[k] = v
		case n > i:
			moved[fmt.Sprintf("%s[%d]%s", list, n-1, rest[end+1:])] = v
		}
	}
	f.typed = moved
	clear(f.suggested) // by path too: the next rows' suggestions start again
}
