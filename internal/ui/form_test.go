package ui

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// overlayEntries lists the text fields of the dialog on top, in order.
func overlayEntries(w fyne.Window) []*widget.Entry {
	var out []*widget.Entry
	if top := w.Canvas().Overlays().Top(); top != nil {
		walk(top, func(o fyne.CanvasObject) {
			if e, ok := entryOf(o); ok {
				out = append(out, e)
			}
		})
	}
	return out
}

// noAutosave keeps the autosave timer from firing during the test: in the
// test driver it would run on the timer's goroutine, beside the test,
// which reads and changes the same widgets.
func noAutosave(t *testing.T) {
	t.Helper()
	old := AutosaveDelay
	AutosaveDelay = time.Hour
	t.Cleanup(func() { AutosaveDelay = old })
}

func TestFormOrganisationsGPSEndAndCustody(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	w := a.Window()
	f := openForm(t, a)
	f.widget(t, "occurred_at").(*cappedEntry).SetText(f.rec.OccurredAt.AddDate(0, 0, -1).Format("2006-01-02"))
	start := f.rec.OccurredAt

	test.Tap(button(t, w, "Add organisation"))
	test.Type(f.widget(t, "organisations[0].name_latin").(*cappedEntry), "Vostok Trans")
	test.Type(f.widget(t, "organisations[0].country").(*widget.SelectEntry), "kg")
	test.Type(f.widget(t, "organisations[0].registration").(*cappedEntry), "REG-77")
	test.Type(f.widget(t, "gps.lat").(*cappedEntry), "45,2")
	test.Type(f.widget(t, "gps.lon").(*cappedEntry), "200")
	before := start.Add(-24 * time.Hour)
	f.widget(t, "ended_at").(*cappedEntry).SetText(before.Format("2006-01-02"))
	f.timeField(t, "ui.f.ended_time").SetText(before.Format("15:04"))
	test.Tap(button(t, w, "Add custody event"))
	test.Type(f.widget(t, "custody[0].from").(*cappedEntry), "A. Serikbayev")
	f.widget(t, "custody[0].at").(*cappedEntry).SetText("31.02.2026")
	if m := f.rows["custody[0].at"].err; !m.Visible() || m.Text != "Enter the date as 2026-01-31 or 31.01.2026." {
		t.Errorf("a date that does not exist: visible %v, %q", m.Visible(), m.Text)
	}
	f.widget(t, "custody[0].at").(*cappedEntry).SetText(start.Format("2006-01-02"))
	test.Tap(button(t, w, "Save"))

	for path, want := range map[string]string{
		"organisations[0].name": "Organisation name",
		"gps.lon":               "180",
		"ended_at":              "before",
		"custody[0].to":         "Received by",
	} {
		if m := f.rows[path].err; !m.Visible() || !strings.Contains(m.Text, want) {
			t.Errorf("%s: visible %v, %q; want it to mention %q", path, m.Visible(), m.Text, want)
		}
	}
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 0 {
		t.Fatalf("%d records stored with errors", n)
	}

	// The fields survive a rebuild, half-typed or not.
	f.widget(t, "gps.lon").(*cappedEntry).SetText("200x")
	if m := f.rows["gps.lon"].err; !m.Visible() || m.Text != "Enter a number." {
		t.Errorf("gps.lon %q: %q", "200x", m.Text)
	}
	a.rebuild()
	if e := f.widget(t, "gps.lon").(*cappedEntry); e.Text != "200x" {
		t.Errorf("after a rebuild the longitude reads %q", e.Text)
	}

	test.Type(f.widget(t, "organisations[0].name").(*cappedEntry), "ОсОО Восток-Транс")
	f.widget(t, "gps.lon").(*cappedEntry).SetText("80.25")
	end := start.Add(2 * time.Hour)
	f.widget(t, "ended_at").(*cappedEntry).SetText(end.Format("2006-01-02"))
	f.timeField(t, "ui.f.ended_time").SetText(end.Format("15:04"))
	test.Type(f.widget(t, "custody[0].to").(*cappedEntry), "Dostyk storage")
	test.Type(f.widget(t, "custody[0].seal_number").(*cappedEntry), "S-001")
	test.Tap(button(t, w, "Save"))
	for path, r := range f.rows {
		if r.err.Visible() {
			t.Errorf("%s: %q", path, r.err.Text)
		}
	}
	cur, err := a.svc.Get(a.ctx, f.rec.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	in := cur.Record
	if len(in.Organisations) != 1 || in.Organisations[0].Name != "ОсОО Восток-Транс" || in.Organisations[0].Role != "consignor" ||
		in.Organisations[0].Country != "KG" || in.Organisations[0].Registration != "REG-77" || in.Organisations[0].NameLatin != "Vostok Trans" {
		t.Errorf("organisations %+v", in.Organisations)
	}
	if in.GPS == nil || in.GPS.Lat != 45.2 || in.GPS.Lon != 80.25 {
		t.Errorf("GPS %+v", in.GPS)
	}
	if in.EndedAt == nil || !in.EndedAt.Equal(end) {
		t.Errorf("ended %v, want %v", in.EndedAt, end)
	}
	if len(in.Custody) != 1 || in.Custody[0].To != "Dostyk storage" || in.Custody[0].SealNumber != "S-001" || in.Custody[0].At.IsZero() {
		t.Errorf("custody %+v", in.Custody)
	}
}

// timeField finds the time field labelled key: time fields carry no record
// path of their own.
func (f *formScreen) timeField(t *testing.T, key string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	label := f.a.T(key)
	walk(f.a.Window().Content(), func(o fyne.CanvasObject) {
		box, ok := o.(*fyne.Container)
		if !ok || len(box.Objects) != 3 || found != nil {
			return
		}
		if l, ok := box.Objects[0].(*widget.Label); ok && l.Text == label {
			found, _ = entryOf(box.Objects[1])
		}
	})
	if found == nil {
		t.Fatalf("no field %q", label)
	}
	return found
}

func TestParseGPS(t *testing.T) {
	for _, c := range []struct {
		lat, lon string
		want     *record.GPS
		bad      string
	}{
		{"", "", nil, ""},
		{" 43.25", "76,95 ", &record.GPS{Lat: 43.25, Lon: 76.95}, ""},
		{"-0", "0", &record.GPS{}, ""},
		{"43.2", "", nil, "pair"},
		{"", "76", nil, "pair"},
		{"43°", "76", nil, "gps.lat"},
		{"43", "NaN", nil, "gps.lon"},
		{"Inf", "1", nil, "gps.lat"},
	} {
		g, bad := parseGPS(c.lat, c.lon)
		if bad != c.bad || (g == nil) != (c.want == nil) || (g != nil && *g != *c.want) {
			t.Errorf("parseGPS(%q, %q) = %+v, %q; want %+v, %q", c.lat, c.lon, g, bad, c.want, c.bad)
		}
	}
}

func TestRecordViewAddsCustodyEvent(t *testing.T) {
	a := newApp(t)
	w := a.Window()
	addRecords(t, a, 1, time.Now().Add(-time.Hour)) // one final record
	page, err := a.svc.List(a.ctx, view.Filter{})
	if err != nil || len(page.Records) != 1 {
		t.Fatalf("List: %v %v", page.Records, err)
	}
	id := page.Records[0].ID
	a.show(newRecordView(a, id))

	test.Tap(button(t, w, "Add custody event"))
	es := overlayEntries(w)
	if len(es) != 7 {
		t.Fatalf("%d fields in the custody dialog, want 7", len(es))
	}
	test.Type(es[0], "A. Serikbayev")
	es[2].SetText("2026-13-01")
	test.Tap(button(t, w, "Save"))
	// Refused: the dialog is back with the problems next to the fields.
	es = overlayEntries(w)
	if len(es) != 7 || es[0].Text != "A. Serikbayev" {
		t.Fatalf("after a refused save the dialog shows %d fields", len(es))
	}
	if got := overlayTexts(w); !strings.Contains(got, "Enter the date as") {
		t.Errorf("no date message in the dialog: %q", got)
	}
	if h, _ := a.svc.History(a.ctx, id); len(h) != 1 {
		t.Fatalf("a refused custody event made %d versions", len(h))
	}
	when := time.Now().Add(-10 * time.Minute)
	es[2].SetText(when.Format("2006-01-02"))
	es[3].SetText(when.Format("15:04"))
	test.Tap(button(t, w, "Save"))
	if !strings.Contains(overlayTexts(w), "required") {
		t.Errorf("no message for the missing receiver: %q", overlayTexts(w))
	}
	es = overlayEntries(w)
	test.Type(es[1], "Regional evidence store")
	test.Type(es[5], "S-0042")
	test.Tap(button(t, w, "Save"))

	h, err := a.svc.History(a.ctx, id)
	if err != nil || len(h) != 2 {
		t.Fatalf("History after a custody event on a final record: %d versions, %v", len(h), err)
	}
	c := h[1].Record.Custody
	if len(c) != 1 || c[0].From != "A. Serikbayev" || c[0].To != "Regional evidence store" || c[0].SealNumber != "S-0042" ||
		c[0].At.Format("2006-01-02 15:04") != when.Format("2006-01-02 15:04") {
		t.Errorf("custody stored %+v", c)
	}
	if h[1].Record.Status != record.StatusFinal {
		t.Errorf("the new version is %s", h[1].Record.Status)
	}
	if w.Canvas().Overlays().Top() != nil {
		t.Error("the dialog is still open")
	}
	got := strings.Join(texts(w), "\n")
	for _, want := range []string{"Received by", "Regional evidence store", "S-0042", "Version 2 (Final)"} {
		if !strings.Contains(got, want) {
			t.Errorf("the record view lacks %q", want)
		}
	}
	if in, _ := a.svc.Unsaved(a.ctx); len(in) > 0 {
		t.Error("the custody dialog left something in the unsaved slot")
	}
}

// overlayTexts is the text of every label in the dialog on top.
func overlayTexts(w fyne.Window) string {
	var out []string
	if top := w.Canvas().Overlays().Top(); top != nil {
		walk(top, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				out = append(out, l.Text)
			}
		})
	}
	return strings.Join(out, "\n")
}

func TestAutosaveKeepsTypingAsideAndStoresOncePerInterval(t *testing.T) {
	// The test plays the pauses in typing itself (f.autosave), so that no
	// timer touches the widgets behind its back.
	oldDelay, oldInterval := AutosaveDelay, StoreInterval
	AutosaveDelay, StoreInterval = time.Hour, time.Hour
	t.Cleanup(func() { AutosaveDelay, StoreInterval = oldDelay, oldInterval })
	a := newApp(t)
	f := openForm(t, a)
	slot := func() *record.Interdiction {
		in, _ := a.svc.Unsaved(a.ctx)
		if len(in) == 0 {
			return nil
		}
		return in[0]
	}
	actions := func() []string {
		es, err := a.svc.Audit(a.ctx, f.rec.ID.String())
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			out = append(out, e.Action)
		}
		return out
	}

	// The first pause stores the new draft, so it is listed at once.
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "01 KG 123")
	f.autosave(false)
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 1 {
		t.Fatalf("%d records after the first pause, want the draft", n)
	}

	// Later pauses within the interval keep the typing in the slot only.
	for _, vin := range []string{"XTA2109", "XTA210990", "XTA21099012"} {
		f.widget(t, "conveyance.vin").(*cappedEntry).SetText(vin)
		f.autosave(false)
		if in := slot(); in == nil || in.Conveyance == nil || in.Conveyance.VIN != vin {
			t.Errorf("the unsaved slot lacks %q", vin)
		}
	}
	if got := actions(); !slices.Equal(got, []string{"create"}) {
		t.Errorf("audit trail while typing: %q, want only the creation", got)
	}
	if s := f.state.Text; !strings.Contains(s, "kept on this computer") {
		t.Errorf("state line %q", s)
	}

	// Once the interval has passed, the next pause stores the draft.
	f.mu.Lock()
	f.stored = time.Now().Add(-StoreInterval)
	f.mu.Unlock()
	f.widget(t, "conveyance.container").(*cappedEntry).SetText("TGHU 123456 7")
	f.autosave(false)
	if got := len(actions()); got != 2 {
		t.Errorf("%d audit entries once the interval passed, want 2", got)
	}

	// Leaving the form stores what was typed since, and empties the slot.
	f.widget(t, "conveyance.voyage").(*cappedEntry).SetText("KZ-812")
	a.navigate(navDashboard)
	if got := len(actions()); got != 3 {
		t.Errorf("%d audit entries after leaving the form, want 3", got)
	}
	cur, err := a.svc.Get(a.ctx, f.rec.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	if c := cur.Record.Conveyance; c == nil || c.VIN != "XTA21099012" || c.Container != "TGHU 123456 7" || c.Voyage != "KZ-812" {
		t.Errorf("stored conveyance %+v", c)
	}
	if slot() != nil {
		t.Error("the unsaved slot still holds a form the store has")
	}
}

func TestSaveWritesTheStoreAtOnce(t *testing.T) {
	noAutosave(t)
	oldInterval := StoreInterval
	StoreInterval = time.Hour
	t.Cleanup(func() { StoreInterval = oldInterval })
	a := newApp(t)
	f := openForm(t, a)
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "B 777")
	test.Tap(button(t, a.Window(), "Save"))
	f.widget(t, "conveyance.plate").(*cappedEntry).SetText("B 778")
	test.Tap(button(t, a.Window(), "Save"))
	cur, err := a.svc.Get(a.ctx, f.rec.ID.String())
	if err != nil || cur.Record.Conveyance == nil || cur.Record.Conveyance.Plate != "B 778" {
		t.Fatalf("stored after the second Save: %v, %v", cur, err)
	}
	if es, _ := a.svc.Audit(a.ctx, f.rec.ID.String()); len(es) != 2 {
		t.Errorf("%d audit entries for two saves", len(es))
	}
}

// addExample adds testdata/record.json, at one of the test post's crossing
// points.
func addExample(t *testing.T, a *App) *record.Interdiction {
	t.Helper()
	b, err := os.ReadFile("../../testdata/record.json")
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("Достык (авто)"), []byte("Dostyk road"))
	res, err := a.svc.AddJSON(a.ctx, bytes.NewReader(b), service.Intake{PhotoDir: "../../testdata"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Added[0]
}

func TestRecordViewShowsEveryPartOfTheRecord(t *testing.T) {
	a := newApp(t)
	a.show(newRecordView(a, addExample(t, a).Ref()))
	got := strings.Join(texts(a.Window()), "\n")
	for _, want := range []string{
		"ТОО «Шёлковый путь Транс»", "180540012345", // organisation
		"45.249500, 82.480100", // GPS
		"Ended",                // end of the inspection
		"Ўринов Жасур Бахтиёрович", "ХА 1234567", "Тягач MAN TGX с полуприцепом",
		"Склад вещественных доказательств, т/п Достык", // custody
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the record view lacks %q", want)
		}
	}
	if titles := strings.Join(cardTitles(a.Window()), "|"); !strings.Contains(titles, "Organisations") {
		t.Errorf("no Organisations card among %s", titles)
	}
}

func TestRecordViewOpensAPhotoFullSize(t *testing.T) {
	a := newApp(t)
	a.show(newRecordView(a, addExample(t, a).Ref()))
	before := len(a.fa.Driver().AllWindows())
	test.Tap(button(t, a.Window(), "Full size"))
	wins := a.fa.Driver().AllWindows()
	if len(wins) != before+1 {
		t.Fatalf("%d windows after opening the photo, want %d", len(wins), before+1)
	}
	if title := wins[len(wins)-1].Title(); title != "IMG_0412.jpg" {
		t.Errorf("the photo window is titled %q", title)
	}
}

// A phone typed in the form, a person's beside the document and an
// organisation's beside its registration, is saved with the record and
// shown in the record view; one that does not read as a telephone number
// is refused beside its field, and nothing is saved.
func TestAPhoneTypedInTheFormIsSavedAndShown(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	w := a.Window()
	f := openForm(t, a)
	test.Tap(button(t, w, "Add person"))
	f = a.screen.(*formScreen)
	test.Type(f.widget(t, "people[0].name").(*cappedEntry), "Ўринов Жасур")
	if e := f.widget(t, "people[0].phone").(*cappedEntry); e.max != record.MaxPhone {
		t.Errorf("the phone field takes %d characters, want %d", e.max, record.MaxPhone)
	}
	test.Type(f.widget(t, "people[0].phone").(*cappedEntry), "+998 90 123-45-67 ext")
	test.Tap(button(t, w, "Add organisation"))
	f = a.screen.(*formScreen)
	test.Type(f.widget(t, "organisations[0].name").(*cappedEntry), "ОсОО Восток-Транс")
	test.Type(f.widget(t, "organisations[0].phone").(*cappedEntry), " +996 (312) 62.12.12 ")
	test.Tap(button(t, w, "Save"))
	if m := f.rows["people[0].phone"].err; !m.Visible() || !strings.Contains(m.Text, "Telephone") || !strings.Contains(m.Text, "is not a telephone number") {
		t.Errorf("a phone with letters: visible %v, %q", m.Visible(), m.Text)
	}
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 0 {
		t.Fatalf("%d records stored with a phone that is not one", n)
	}

	f.widget(t, "people[0].phone").(*cappedEntry).SetText("+998 90 123-45-67")
	test.Tap(button(t, w, "Save"))
	for path, r := range f.rows {
		if r.err.Visible() {
			t.Errorf("%s: %q", path, r.err.Text)
		}
	}
	cur, err := a.svc.Get(a.ctx, f.rec.Ref())
	if err != nil {
		t.Fatal(err)
	}
	in := cur.Record
	if len(in.People) != 1 || in.People[0].Phone != "+998 90 123-45-67" {
		t.Errorf("people %+v", in.People)
	}
	if len(in.Organisations) != 1 || in.Organisations[0].Phone != "+996 (312) 62.12.12" {
		t.Errorf("organisations %+v (the spaces around the phone are trimmed)", in.Organisations)
	}

	a.show(newRecordView(a, in.Ref()))
	got := texts(a.Window())
	for _, want := range []string{"+998 90 123-45-67", "+996 (312) 62.12.12"} {
		if !slices.Contains(got, want) {
			t.Errorf("the record view does not show %q", want)
		}
	}
	if n := strings.Count(strings.Join(got, "\n"), "Telephone"); n != 2 {
		t.Errorf("%d labels Telephone in the record view, want 2", n)
	}
}
