package ui

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	pngenc "image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
	"github.com/kordon/kordon/translations"
)

// testEnv gives Fyne a home and a locale of its own.
func testEnv(t *testing.T) (fyne.App, *i18n.Catalog) {
	t.Helper()
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("HOME", t.TempDir())
	cat, err := i18n.Load(translations.FS)
	if err != nil {
		t.Fatal(err)
	}
	return test.NewTempApp(t), cat
}

// setUpFolder makes a data folder for the post KZ-DOS with two crossing
// points and an officer.
func setUpFolder(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	svc, err := service.Init(ctx, dir, service.Setup{PostCode: "KZ-DOS", PostName: "Dostyk"})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if err := svc.SaveSettings(ctx, service.Settings{
		PostName:       "Dostyk",
		CrossingPoints: []string{"Dostyk road", "Dostyk rail"},
		OfficerName:    "A. Serikbayev",
		OfficerRank:    "Captain",
	}); err != nil {
		t.Fatal(err)
	}
}

// openApp starts the application on dir, set up already.
func openApp(t *testing.T, fa fyne.App, cat *i18n.Catalog, dir string) *App {
	t.Helper()
	a := New(fa, cat, dir, "en", func(string) string { return "" })
	w, err := a.Start()
	if err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1366, 768))
	t.Cleanup(func() {
		if a.svc != nil {
			w.Close()
		}
	})
	return a
}

func newApp(t *testing.T) *App {
	fa, cat := testEnv(t)
	dir := t.TempDir()
	setUpFolder(t, dir)
	return openApp(t, fa, cat, dir)
}

// entryOf is the text field o is, a capped one or not.
func entryOf(o fyne.CanvasObject) (*widget.Entry, bool) {
	switch e := o.(type) {
	case *widget.Entry:
		return e, true
	case *cappedEntry:
		return &e.Entry, true
	}
	return nil, false
}

// walk visits o and everything drawn inside it.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walk(c, fn)
		}
	}
}

// texts lists the text of every label and button in the window.
func texts(w fyne.Window) []string {
	var out []string
	walk(w.Content(), func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		}
	})
	return out
}

func button(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var b *widget.Button
	find := func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Button); ok && x.Text == text && b == nil {
			b = x
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, find)
	}
	walk(w.Content(), find)
	if b == nil {
		t.Fatalf("no button %q in %q", text, texts(w))
	}
	return b
}

func (f *formScreen) widget(t *testing.T, path string) fyne.CanvasObject {
	t.Helper()
	r, ok := f.rows[path]
	if !ok {
		t.Fatalf("the form has no field %s", path)
	}
	return r.obj
}

func openForm(t *testing.T, a *App) *formScreen {
	t.Helper()
	a.navigate(navNew)
	f, ok := a.screen.(*formScreen)
	if !ok {
		t.Fatalf("screen is %T, want the form", a.screen)
	}
	return f
}

func TestFormSaveStoresValues(t *testing.T) {
	a := newApp(t)
	w := a.Window()
	f := openForm(t, a)
	f.widget(t, "crossing_point").(*widget.SelectEntry).SetText("Dostyk rail")
	f.widget(t, "direction").(*widget.SelectEntry).SetText("Entry")
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "777 ABC 02")
	test.Type(f.widget(t, "conveyance.country").(*widget.SelectEntry), "kz")
	test.Type(f.widget(t, "route.transit").(*cappedEntry), "kg, uz")

	test.Tap(button(t, w, "Firearm"))
	f.widget(t, "items[0].firearm.category").(*widget.SelectEntry).SetText("Assault rifle")
	test.Type(f.widget(t, "items[0].firearm.calibre").(*widget.SelectEntry), "7.62x39")
	test.Type(f.widget(t, "items[0].firearm.serials[0].number").(*cappedEntry), "AK-1001")
	test.Tap(button(t, w, "Duplicate"))
	test.Type(f.widget(t, "items[1].firearm.serials[0].number").(*cappedEntry), "AK-1002")
	test.Tap(button(t, w, "Save"))

	page, err := a.svc.List(a.ctx, view.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 1 {
		t.Fatalf("%d records stored, want 1", len(page.Records))
	}
	cur, err := a.svc.Get(a.ctx, page.Records[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	in := cur.Record
	if in.CrossingPoint != "Dostyk rail" || in.Direction != "entry" || in.Conveyance == nil ||
		in.Conveyance.Plate != "777 ABC 02" || in.Conveyance.Country != "KZ" {
		t.Errorf("stored record: crossing %q direction %q conveyance %+v", in.CrossingPoint, in.Direction, in.Conveyance)
	}
	if !slices.Equal(in.Route.Transit, []string{"KG", "UZ"}) {
		t.Errorf("transit %q", in.Route.Transit)
	}
	if len(in.Items) != 2 {
		t.Fatalf("%d items stored, want 2", len(in.Items))
	}
	for i, serial := range []string{"AK-1001", "AK-1002"} {
		fa := in.Items[i].Firearm
		if fa == nil || fa.Category != "assault_rifle" || fa.Calibre.Code != "7.62x39" || len(fa.Serials) != 1 || fa.Serials[0].Number != serial {
			t.Errorf("item %d: %+v", i, fa)
		}
	}
	if in.Items[0].ID == in.Items[1].ID {
		t.Error("the duplicate kept the item's ID")
	}
	if len(in.Officers) != 1 || in.Officers[0].Name != "A. Serikbayev" {
		t.Errorf("officers %+v", in.Officers)
	}
}

func TestValidationErrorNextToFieldNothingSaved(t *testing.T) {
	a := newApp(t)
	f := openForm(t, a)
	test.Type(f.widget(t, "conveyance.country").(*widget.SelectEntry), "XX")
	test.Tap(button(t, a.Window(), "Save"))

	msg := f.rows["conveyance.country"].err
	if !msg.Visible() || !strings.Contains(msg.Text, "Country of registration") || !strings.Contains(msg.Text, "ISO 3166") {
		t.Errorf("message next to the field: visible %v, %q", msg.Visible(), msg.Text)
	}
	if n, err := a.svc.Count(a.ctx, view.Filter{}); err != nil || n != 0 {
		t.Errorf("Count = %d, %v; want nothing saved", n, err)
	}
	// Finalising applies the rules for final records, next to the fields.
	f.finalise()
	if m := f.rows["direction"].err; !m.Visible() || !strings.Contains(m.Text, "required") {
		t.Errorf("direction: visible %v, %q", m.Visible(), m.Text)
	}
	if f.rec.Status != record.StatusDraft {
		t.Errorf("status after a refused finalise = %q", f.rec.Status)
	}
}

func TestAutosaveSurvivesClosingTheWindow(t *testing.T) {
	old := AutosaveDelay
	AutosaveDelay = 20 * time.Millisecond
	t.Cleanup(func() { AutosaveDelay = old })
	fa, cat := testEnv(t)
	dir := t.TempDir()
	setUpFolder(t, dir)
	a := New(fa, cat, dir, "en", func(string) string { return "" })
	w, err := a.Start()
	if err != nil {
		t.Fatal(err)
	}
	f := openForm(t, a)
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "01 KG 123")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if n, _ := a.svc.Count(a.ctx, view.Filter{Status: record.StatusDraft}); n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no draft autosaved")
		}
		time.Sleep(20 * time.Millisecond)
	}
	test.Type(f.widget(t, "conveyance.vin").(*cappedEntry), "XTA210990")
	w.Close() // before the autosave is due: closing saves it

	b := openApp(t, fa, cat, dir)
	page, err := b.svc.List(b.ctx, view.Filter{})
	if err != nil || len(page.Records) != 1 {
		t.Fatalf("List: %v, %v", page.Records, err)
	}
	cur, err := b.svc.Get(b.ctx, page.Records[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c := cur.Record.Conveyance; c == nil || c.Plate != "01 KG 123" || c.VIN != "XTA210990" {
		t.Errorf("draft conveyance %+v", c)
	}
	if b.dialog == nil {
		t.Fatal("reopening did not offer the draft back")
	}
	test.Tap(button(t, b.Window(), "Continue editing"))
	g, ok := b.screen.(*formScreen)
	if !ok || g.rec.ID.String() != page.Records[0].ID || g.widget(t, "conveyance.plate").(*cappedEntry).Text != "01 KG 123" {
		t.Fatalf("resumed screen %T", b.screen)
	}
}

// addRecords stores records at the two crossing points, a tenth of them
// final with a pistol, the rest drafts with ammunition.
func addRecords(t *testing.T, a *App, n int, at time.Time) {
	t.Helper()
	ins := make([]*record.Interdiction, n)
	for i := range ins {
		in := &record.Interdiction{
			ID: uuid.New(), Status: record.StatusDraft, PostCode: "KZ-DOS",
			OccurredAt: at.Add(-time.Duration(i) * time.Hour), CrossingPoint: "Dostyk road",
			Items: []record.Item{{ID: uuid.New(), Kind: record.KindAmmunition, Quantity: 1,
				Ammunition: &record.Ammunition{Calibre: record.Calibre{Code: "5.45x39"}, Rounds: 30}}},
		}
		if i%2 == 1 {
			in.CrossingPoint = "Dostyk rail"
		}
		if i%10 == 0 {
			in.Status = record.StatusFinal
			in.Officers = []record.Officer{{Name: "A. Serikbayev"}}
			in.NoPerson = "fled"
			in.LocationType, in.Direction, in.Recovery, in.LegalBasis, in.Transport = "road", "entry", "seized", "illicit_possession", "car"
			in.Detection = []string{"xray"}
			in.Items = []record.Item{{ID: uuid.New(), Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{
				Category: "pistol", Calibre: record.Calibre{Code: "9x18"}, Serials: []record.Serial{{Number: fmt.Sprintf("PM-%05d", i), State: "intact"}}}}}
		}
		ins[i] = in
	}
	if err := saveAll(a, ins); err != nil {
		t.Fatal(err)
	}
}

func TestRecordsListPagesAndFilters(t *testing.T) {
	a := newApp(t)
	now := time.Now()
	addRecords(t, a, 250, now.Add(-time.Minute))
	a.navigate(navRecords)
	r := a.screen.(*recordsScreen)
	if r.len() != pageSize || r.total != 250 {
		t.Fatalf("first page: %d rows of %d, want %d of 250", r.len(), r.total, pageSize)
	}
	if err := r.more(); err != nil || r.len() != 2*pageSize {
		t.Fatalf("second page: %d rows, %v", r.len(), err)
	}

	selects := map[string]*widget.Select{}
	walk(a.Window().Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			selects[s.Options[0]] = s
		}
	})
	selects["Any status"].SetSelected("Final")
	if r.total != 25 || r.len() != 25 {
		t.Errorf("final: %d rows of %d, want 25", r.len(), r.total)
	}
	selects["Any crossing point"].SetSelected("Dostyk road")
	if r.total != 25 {
		t.Errorf("final at Dostyk road: %d, want 25 (every tenth record is even)", r.total)
	}
	selects["Any status"].SetSelected("Any status")
	selects["Any crossing point"].SetSelected("Dostyk rail")
	if r.total != 125 {
		t.Errorf("Dostyk rail: %d, want 125", r.total)
	}
	selects["Any crossing point"].SetSelected("Any crossing point")
	selects["Any item"].SetSelected("Self-loading pistol")
	if r.total != 25 {
		t.Errorf("pistols: %d, want 25", r.total)
	}
	for i := 0; i < r.len(); i++ {
		if r.at(i).Status != record.StatusFinal {
			t.Fatalf("row %d is %s", i, r.at(i).Status)
		}
	}
	selects["Any item"].SetSelected("Any item")

	var from *widget.Entry
	walk(a.Window().Content(), func(o fyne.CanvasObject) {
		if e, ok := entryOf(o); ok && e.PlaceHolder == "From (date)" {
			from = e
		}
	})
	test.Type(from, now.AddDate(0, 0, 1).Format("2006-01-02"))
	if r.total != 0 {
		t.Errorf("from tomorrow: %d records", r.total)
	}

	from.SetText("") // the search looks among the records the filters select
	r.search.SetText("pm 00120")
	test.Tap(button(t, a.Window(), "Search"))
	if r.total != 1 || r.len() != 1 || r.at(0).Status != record.StatusFinal {
		t.Errorf("search for serial PM-00120: %d rows", r.total)
	}
}

func TestLanguageSwitchRelabelsTheOpenWindow(t *testing.T) {
	a := newApp(t)
	w := a.Window()
	f := openForm(t, a)
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "777 ABC 02")
	if !slices.Contains(texts(w), "New interdiction") {
		t.Fatalf("English labels missing: %q", texts(w))
	}
	if err := a.setLang("ru"); err != nil {
		t.Fatal(err)
	}
	got := texts(w)
	for _, want := range []string{"Новая запись", "Записи", "Настройки", "Сохранить"} {
		if !slices.Contains(got, want) {
			t.Errorf("after switching to Russian, %q is missing", want)
		}
	}
	if slices.Contains(got, "Records") {
		t.Error("English 'Records' is still shown")
	}
	if e := f.widget(t, "conveyance.plate").(*cappedEntry); e.Text != "777 ABC 02" {
		t.Errorf("the plate typed before the switch became %q", e.Text)
	}
	if !strings.Contains(w.Title(), "Dostyk") {
		t.Errorf("title %q", w.Title())
	}
	if l, _ := a.svc.Lang(a.ctx); l != "ru" {
		t.Errorf("saved language %q", l)
	}

	// The settings' own picker does the same.
	a.navigate(navSettings)
	var lang *widget.Select
	walk(w.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && lang == nil {
			lang = s
		}
	})
	if slices.Contains(lang.Options, "Қазақша") != cat(a).Has("kk") {
		t.Errorf("the picker offers %q; only languages with a catalog belong there", lang.Options)
	}
	lang.SetSelected("English")
	if a.tr.Lang() != "en" || !slices.Contains(texts(w), "Settings") {
		t.Errorf("language after picking English: %s", a.tr.Lang())
	}
}

func TestFirstRunSetup(t *testing.T) {
	fa, cat := testEnv(t)
	dir := t.TempDir()
	a := New(fa, cat, dir, "en", func(string) string { return "" })
	w, err := a.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var entries []*widget.Entry
	walk(w.Content(), func(o fyne.CanvasObject) {
		if e, ok := entryOf(o); ok {
			entries = append(entries, e)
		}
	})
	if len(entries) != 6 {
		t.Fatalf("%d entries in the setup form, want 6", len(entries))
	}
	// The form is seen whole, not through a sliver of a scroll: the
	// scroll fills the window.
	if sc, ok := w.Content().(*container.Scroll); !ok || sc.Size().Height < w.Canvas().Size().Height/2 {
		t.Errorf("the setup form is not in a scroll that fills the window: %T", w.Content())
	}
	test.Type(entries[0], "kz-x")
	test.Tap(button(t, w, "Set up and start"))
	if a.svc != nil {
		t.Fatal("a bad post code was accepted")
	}
	entries[0].SetText("KZ-DOS")
	test.Type(entries[1], "Dostyk")
	test.Type(entries[2], "State Revenue Committee")
	entries[3].SetText("Dostyk road\nDostyk rail\n")
	test.Type(entries[4], "A. Serikbayev")
	test.Tap(button(t, w, "Set up and start"))
	if a.svc == nil {
		t.Fatalf("not set up: %q", texts(w))
	}
	if w.Title() != "Kordon — Dostyk" {
		t.Errorf("title %q", w.Title())
	}
	if got := a.crossingPoints(); !slices.Equal(got, []string{"Dostyk road", "Dostyk rail"}) {
		t.Errorf("crossing points %q", got)
	}
	if a.svc.Actor != "A. Serikbayev" {
		t.Errorf("actor %q", a.svc.Actor)
	}
	if set, _ := a.svc.Settings(a.ctx); set.Agency != "State Revenue Committee" {
		t.Errorf("agency %q: the protocol's head would lack it", set.Agency)
	}
}

func cat(a *App) *i18n.Catalog { return a.cat }

func TestRecordViewEditFinalMakesNewVersion(t *testing.T) {
	a := newApp(t)
	addRecords(t, a, 1, time.Now().Add(-time.Hour)) // one final record
	page, err := a.svc.List(a.ctx, view.Filter{})
	if err != nil || len(page.Records) != 1 {
		t.Fatalf("List: %v %v", page.Records, err)
	}
	id := page.Records[0].ID
	a.show(newRecordView(a, id))
	got := strings.Join(texts(a.Window()), "\n")
	for _, want := range []string{"Self-loading pistol", "PM-00000", "Version 1 (Final) saved", "test: created (version 1)"} {
		if !strings.Contains(got, want) {
			t.Errorf("the record view lacks %q", want)
		}
	}
	test.Tap(button(t, a.Window(), "Edit"))
	f := a.screen.(*formScreen)
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "A 123 BC")
	f.flush() // autosave of a final record keeps the change aside only
	if h, _ := a.svc.History(a.ctx, id); len(h) != 1 {
		t.Fatalf("autosave made %d versions of a final record", len(h))
	}
	test.Tap(button(t, a.Window(), "Save"))
	h, err := a.svc.History(a.ctx, id)
	if err != nil || len(h) != 2 || h[1].Record.Conveyance == nil || h[1].Record.Conveyance.Plate != "A 123 BC" {
		t.Fatalf("History after saving an edit: %d versions, %v", len(h), err)
	}
	if in, _ := a.svc.Unsaved(a.ctx); len(in) > 0 {
		t.Error("the unsaved slot still holds the saved change")
	}
	// The history says what the new version changed.
	a.show(newRecordView(a, id))
	if got := strings.Join(texts(a.Window()), "\n"); !strings.Contains(got, "Registration plate: — → A 123 BC") {
		t.Errorf("the history does not say what changed:\n%s", got)
	}
}

func TestRecordViewFinalisesADraft(t *testing.T) {
	a := newApp(t)
	f := openForm(t, a)
	f.rec.LocationType, f.rec.Direction, f.rec.Recovery, f.rec.LegalBasis, f.rec.Transport = "road", "exit", "found", "illicit_export", "truck"
	f.rec.CrossingPoint, f.rec.Detection = "Dostyk road", []string{"dog"}
	f.rec.Items = []record.Item{newItem(record.KindAmmunition)}
	f.rec.Items[0].Ammunition.Calibre, f.rec.Items[0].Ammunition.Rounds = record.Calibre{Code: "7.62x39"}, 120
	f.touch()
	if !f.save() {
		t.Fatalf("draft not saved: %q", f.summary.err.Text)
	}
	id := f.rec.ID.String()
	a.show(newRecordView(a, id))
	test.Tap(button(t, a.Window(), "Finalise"))
	test.Tap(button(t, a.Window(), "Finalise")) // the confirmation's button comes first among overlays
	cur, err := a.svc.Get(a.ctx, id)
	if err != nil || cur.Record.Status != record.StatusFinal {
		t.Fatalf("status after finalising: %v, %v", cur, err)
	}
	if slices.Contains(texts(a.Window()), "Finalise") {
		t.Error("a final record still offers Finalise")
	}
}

func TestClosingAnUntouchedFormStoresNothing(t *testing.T) {
	a := newApp(t)
	openForm(t, a)
	test.Tap(button(t, a.Window(), "Close"))
	if _, ok := a.screen.(*dashboard); !ok {
		t.Fatalf("after Close the screen is %T", a.screen)
	}
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 0 {
		t.Errorf("an untouched form stored %d records", n)
	}
	if in, _ := a.svc.Unsaved(a.ctx); len(in) > 0 {
		t.Error("an untouched form left something in the unsaved slot")
	}
}

func TestPhotosAreStoredWithTheRecord(t *testing.T) {
	a := newApp(t)
	f := openForm(t, a)
	var png bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	img.Set(3, 4, color.RGBA{200, 10, 10, 255})
	if err := pngenc.Encode(&png, img); err != nil {
		t.Fatal(err)
	}
	if key, err := f.addPhoto("notes.txt", []byte("not a picture")); key != "ui.photo.not_picture" || err != nil {
		t.Errorf("a text file: %q, %v", key, err)
	}
	if key, err := f.addPhoto("/media/usb/IMG_0001.png", png.Bytes()); key != "" || err != nil {
		t.Fatalf("a PNG: %q, %v", key, err)
	}
	f.rebuildForm()
	f.widget(t, "photos[0].tag").(*widget.SelectEntry).SetText("Serial number close-up")
	if !f.save() {
		t.Fatalf("not saved: %q", f.summary.err.Text)
	}
	cur, err := a.svc.Get(a.ctx, f.rec.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(cur.Record.Photos) != 1 {
		t.Fatalf("%d photos stored", len(cur.Record.Photos))
	}
	ph := cur.Record.Photos[0]
	if ph.Name != "IMG_0001.png" || ph.MediaType != "image/png" || ph.SHA256 != fmt.Sprintf("%x", sha256.Sum256(png.Bytes())) {
		t.Errorf("photo %+v", ph)
	}
	if data, err := a.svc.Photo(a.ctx, ph.SHA256); err != nil || !bytes.Equal(data, png.Bytes()) {
		t.Errorf("stored photo: %d bytes, %v", len(data), err)
	}
	if ph.Tag != "serial" {
		t.Errorf("tag %q, want serial", ph.Tag)
	}
}

func TestKeyboardShortcuts(t *testing.T) {
	a := newApp(t)
	c := a.Window().Canvas()
	ctrl := func(k fyne.KeyName) {
		c.(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	}
	ctrl(fyne.KeyN)
	f, ok := a.screen.(*formScreen)
	if !ok {
		t.Fatalf("Ctrl+N shows %T", a.screen)
	}
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "B 777")
	ctrl(fyne.KeyS)
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 1 {
		t.Errorf("Ctrl+S stored %d records", n)
	}
	ctrl(fyne.KeyF)
	r, ok := a.screen.(*recordsScreen)
	if !ok || c.Focused() != r.search {
		t.Fatalf("Ctrl+F shows %T with %T focused", a.screen, c.Focused())
	}
	a.confirm("title", "question", "yes", func() {})
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if a.dialog != nil || len(c.Overlays().List()) != 0 {
		t.Error("Esc left the dialog open")
	}
}

func TestDashboardCountsWhatIsNotYetExported(t *testing.T) {
	a := newApp(t)
	addRecords(t, a, 12, time.Now().Add(-time.Hour)) // records 0 and 10 are final
	a.show(newDashboard(a))
	got := strings.Join(texts(a.Window()), "\n")
	if !strings.Contains(got, "final records not yet exported") {
		t.Fatalf("no not-exported tile on a post's dashboard:\n%s", got)
	}
	n, err := a.svc.PendingCount(a.ctx)
	if err != nil || n != 2 {
		t.Fatalf("PendingCount = %d, %v; want 2", n, err)
	}
	c, err := a.counts(time.Now())
	if err != nil || c.NotExported != 2 || c.Drafts != 10 {
		t.Errorf("counts = %+v, %v", c, err)
	}
}

func TestRecordsOldestFirst(t *testing.T) {
	a := newApp(t)
	now := time.Now()
	addRecords(t, a, 5, now.Add(-time.Hour)) // an hour apart, newest first
	r := newRecords(a)
	a.show(r)
	first := func() time.Time { return r.at(0).OccurredAt }
	newest := first()
	var box *widget.Check
	walk(a.Window().Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && c.Text == "Oldest first" {
			box = c
		}
	})
	if box == nil {
		t.Fatal("no Oldest first check")
	}
	test.Tap(box)
	if oldest := first(); !oldest.Before(newest) {
		t.Errorf("oldest first shows %v before %v", oldest, newest)
	}
}

func TestSettingsBackUpTheFolderWhileItIsOpen(t *testing.T) {
	a := newApp(t)
	s := newSettings(a)
	a.show(s)
	button(t, a.Window(), "Back up…")
	path := filepath.Join(t.TempDir(), "kordon.kordon-backup")
	if err := os.WriteFile(path, nil, 0o600); err != nil { // as the save dialog leaves it
		t.Fatal(err)
	}
	s.startBackup(path)
	waitFor(t, s.backedUp, "the backup")
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("no backup at %s: %v", path, err)
	}
	got := strings.Join(texts(a.Window()), "\n")
	if !strings.Contains(got, "Backup written to "+path) {
		t.Errorf("the settings do not say where the backup went:\n%s", got)
	}
}

func TestADamagedFolderIsExplainedInTheWindow(t *testing.T) {
	dir := t.TempDir()
	setUpFolder(t, dir)
	if err := os.Truncate(filepath.Join(dir, service.DatabaseFile), 0); err != nil {
		t.Fatal(err)
	}
	fa, cat := testEnv(t)
	a := New(fa, cat, dir, "en", func(string) string { return "" })
	w, err := a.Start()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(texts(w), "\n")
	for _, want := range []string{"is empty (0 bytes)", "kordon restore", dir} {
		if !strings.Contains(got, want) {
			t.Errorf("the window does not say %q:\n%s", want, got)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, service.DatabaseFile)); fi.Size() != 0 {
		t.Error("the damaged file was changed")
	}
}

// saveAll stores records as the form's Save would.
func saveAll(a *App, ins []*record.Interdiction) error {
	actor := a.svc.Actor
	a.svc.Actor = "test"
	defer func() { a.svc.Actor = actor }()
	for _, in := range ins {
		if err := a.svc.SaveRecord(a.ctx, in); err != nil {
			return err
		}
	}
	return nil
}

func TestDashboardWordsItsCountsByTheLanguagesRules(t *testing.T) {
	a := newApp(t)
	addRecords(t, a, 1, time.Now().Add(-time.Minute)) // one final record
	for _, c := range []struct{ lang, want string }{
		{"en", "record today"}, {"ru", "запись за сегодня"},
	} {
		if err := a.setLang(c.lang); err != nil {
			t.Fatal(err)
		}
		a.show(newDashboard(a))
		if got := texts(a.Window()); !slices.Contains(got, c.want) {
			t.Errorf("%s: the dashboard does not say %q for one record: %q", c.lang, c.want, got)
		}
	}
}

// A 12-megapixel photo is shown from a small thumbnail, and the desktop
// keeps a bounded number of them.
func TestThumbnailsAreSmallAndFew(t *testing.T) {
	a := newApp(t)
	f := openForm(t, a)
	big := image.NewGray(image.Rect(0, 0, 4000, 3000))
	var buf bytes.Buffer
	if err := pngenc.Encode(&buf, big); err != nil {
		t.Fatal(err)
	}
	if key, err := f.addPhoto("IMG_4000.png", buf.Bytes()); key != "" || err != nil {
		t.Fatalf("a 12-megapixel PNG: %q, %v", key, err)
	}
	f.rebuildForm()
	a.background.Wait()
	sha := f.rec.Photos[0].SHA256
	m, ok := a.thumbs.get(sha)
	if !ok {
		t.Fatal("the photo drawn in the form has no thumbnail")
	}
	if b := m.Bounds(); max(b.Dx(), b.Dy()) > service.ThumbnailSide {
		t.Errorf("the thumbnail is %d×%d, more than %d pixels long", b.Dx(), b.Dy(), service.ThumbnailSide)
	}
	for i := range thumbCacheSize + 10 {
		a.thumbs.put(fmt.Sprint(i), m)
	}
	if len(a.thumbs.m) != thumbCacheSize || len(a.thumbs.order) != thumbCacheSize {
		t.Errorf("the cache holds %d thumbnails, at most %d", len(a.thumbs.m), thumbCacheSize)
	}
	if _, ok := a.thumbs.get(sha); ok {
		t.Error("the oldest thumbnail was not dropped")
	}
}
