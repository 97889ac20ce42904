package ui

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/view"
)

// A paste far over a field's cap is cut to fit before Fyne lays it out,
// and the officer is told; typing stops at the cap. (200,000 characters
// pasted into the narrative kept the application busy for minutes.)
func TestAHugePasteIsCutToTheFieldsCap(t *testing.T) {
	a := newApp(t)
	f := openForm(t, a)
	narrative := f.widget(t, "narrative").(*cappedEntry)
	clip := a.Window().Clipboard()
	clip.SetContent(strings.Repeat("Обстоятельства дела. ", 10_000)) // 210,000 characters
	a.Window().Canvas().Focus(narrative)
	narrative.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if n := utf8.RuneCountInString(f.rec.Narrative); n != record.MaxNarrative {
		t.Fatalf("the narrative holds %d characters, want the cap %d", n, record.MaxNarrative)
	}
	if got := f.rows["narrative"].err.Text; !strings.Contains(got, "20,000") {
		t.Errorf("no word beside the field that the paste was cut: %q", got)
	}
	test.Type(narrative, "ещё")
	if n := utf8.RuneCountInString(f.rec.Narrative); n != record.MaxNarrative {
		t.Errorf("typing went past the cap: %d characters", n)
	}
	if narrative.PlaceHolder == "" {
		t.Error("the field does not say its cap")
	}

	plate := f.widget(t, "conveyance.plate").(*cappedEntry)
	a.Window().Canvas().Focus(plate)
	clip.SetContent(strings.Repeat("A", 500))
	plate.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	if n := len(f.rec.Conveyance.Plate); n != record.MaxIdentifier {
		t.Errorf("the plate holds %d characters, want %d", n, record.MaxIdentifier)
	}
	if !f.save() {
		t.Errorf("a record cut to its caps does not save: %q", f.summary.err.Text)
	}
}

// A value that does not read (abc in Quantity, пятьсот in Rounds) blocks
// Save with the message beside the field: the store never holds 1 and 0
// while the form shows the text. The text survives a rebuild of the form.
func TestAValueThatDoesNotReadBlocksSave(t *testing.T) {
	a := newApp(t)
	f := openForm(t, a)
	test.Tap(button(t, a.Window(), "Ammunition"))
	f = a.screen.(*formScreen)
	var quantity, rounds string
	for path := range f.rows {
		switch {
		case strings.HasSuffix(path, ".quantity"):
			quantity = path
		case strings.HasSuffix(path, ".rounds"):
			rounds = path
		}
	}
	if quantity == "" || rounds == "" {
		t.Fatal("no ammunition item in the form")
	}
	f.widget(t, quantity).(*cappedEntry).SetText("abc")
	f.widget(t, rounds).(*cappedEntry).SetText("пятьсот")
	if f.save() {
		t.Fatal("Save stored a record whose quantity and rounds do not read")
	}
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 0 {
		t.Errorf("%d records stored", n)
	}
	for _, p := range []string{quantity, rounds} {
		if f.rows[p].err.Text == "" {
			t.Errorf("%s is not marked", p)
		}
	}
	if !strings.Contains(f.state.Text, "2 fields do not read right") {
		t.Errorf("the form says %q", f.state.Text)
	}
	f.rebuildForm() // adding an item, switching the language…
	f = a.screen.(*formScreen)
	if got := f.widget(t, rounds).(*cappedEntry).Text; got != "пятьсот" {
		t.Errorf("after a rebuild the rounds show %q", got)
	}
	if f.save() {
		t.Fatal("after a rebuild, Save stored the record")
	}
	f.widget(t, quantity).(*cappedEntry).SetText("2")
	f.widget(t, rounds).(*cappedEntry).SetText("500")
	if !f.save() {
		t.Fatalf("not saved once the values read: %q %q", f.state.Text, f.summary.err.Text)
	}
	cur, err := a.svc.Get(a.ctx, f.rec.Ref())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range cur.Record.Items {
		if it.Ammunition != nil && (it.Quantity != 2 || it.Ammunition.Rounds != 500) {
			t.Errorf("stored %d × %d rounds", it.Quantity, it.Ammunition.Rounds)
		}
	}
}

// A failed Finalise leaves a draft that is kept, each open record in a
// slot of its own that no other form overwrites; after a crash the record
// is offered back as a draft that saves.
func TestAnUnsavedRecordIsNeverLostOrTrapped(t *testing.T) {
	noAutosave(t)
	fa, cat := testEnv(t)
	dir := t.TempDir()
	setUpFolder(t, dir)
	a := openApp(t, fa, cat, dir)
	f := openForm(t, a)
	first := f.rec.ID
	// A plate the store refuses even in a draft (a character that turns
	// the text around): the form cannot be stored as it is.
	f.widget(t, "conveyance.plate").(*cappedEntry).SetText("777 \u202eABC")
	if f.finalise() {
		t.Fatal("a record with missing fields was finalised")
	}
	slots, err := a.svc.Unsaved(a.ctx)
	if err != nil || len(slots) != 1 || slots[0].Status != record.StatusDraft {
		t.Fatalf("after a failed Finalise the slot holds %+v (%v), want the draft", slots, err)
	}

	a.navigate(navNew) // by the sidebar: the officer is told, nothing is lost
	if got := overlayTexts(a.Window()); !strings.Contains(got, "could not be stored yet") {
		t.Errorf("leaving an unstorable form says nothing: %q", got)
	}
	test.Tap(button(t, a.Window(), "Cancel"))
	g := a.screen.(*formScreen)
	g.widget(t, "conveyance.plate").(*cappedEntry).SetText("01 KG 555")
	g.stash() // a pause in typing
	slots, _ = a.svc.Unsaved(a.ctx)
	if len(slots) != 2 {
		t.Fatalf("%d slots after a second form's autosave, want 2: the first was overwritten", len(slots))
	}
	a.show(newDashboard(a))
	if !slices.Contains(texts(a.Window()), "Continue editing") {
		t.Error("the dashboard does not offer the unsaved form")
	}

	// Kordon is killed; the next start offers the first record back.
	b := openApp(t, fa, cat, dir)
	test.Tap(button(t, b.Window(), "Continue editing"))
	h, ok := b.screen.(*formScreen)
	if !ok || h.rec.ID != first {
		t.Fatalf("the resumed screen is %T", b.screen)
	}
	if h.final || h.rec.Status != record.StatusDraft {
		t.Fatal("the resumed record is trapped as final")
	}
	button(t, b.Window(), "Finalise") // it has its Finalise button
	h.widget(t, "conveyance.plate").(*cappedEntry).SetText("777 ABC")
	if !h.save() {
		t.Fatalf("the resumed draft does not save: %q", h.summary.err.Text)
	}
	if _, err := b.svc.Get(b.ctx, first.String()); err != nil {
		t.Errorf("the record never reached the store: %v", err)
	}
	// The second form went to the store as the dashboard opened; the
	// first now too: no slot is left.
	if slots, _ = b.svc.Unsaved(b.ctx); len(slots) != 0 {
		t.Errorf("%d slots left after both records were stored", len(slots))
	}
}

// The top bar counts the problems and takes the officer to the first; the
// list above the form names a few.
func TestProblemsAreCountedAndTheFirstIsOneClickAway(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	f := openForm(t, a)
	test.Tap(button(t, a.Window(), "Firearm"))
	f = a.screen.(*formScreen)
	f.scroll.ScrollToBottom()
	if f.finalise() {
		t.Fatal("an empty record was finalised")
	}
	if !f.jump.Visible() || !strings.Contains(f.jump.Text, "problems: show the first") {
		t.Fatalf("the top bar says %q (visible %v)", f.jump.Text, f.jump.Visible())
	}
	rows := f.problemRows()
	if len(rows) < 2 {
		t.Fatalf("%d fields marked", len(rows))
	}
	if lines := strings.Split(f.summary.err.Text, "\n"); len(lines) > maxListed+1 {
		t.Errorf("the list names %d problems, at most %d and a mark", len(lines), maxListed)
	}
	test.Tap(f.jump)
	if fo, ok := rows[0].obj.(fyne.Focusable); ok && a.Window().Canvas().Focused() != fo {
		t.Errorf("the first problem's field (%s) has no cursor", rows[0].label)
	}
	d := fyne.CurrentApp().Driver()
	top, bottom := d.AbsolutePositionForObject(f.scroll).Y, d.AbsolutePositionForObject(f.scroll).Y+f.scroll.Size().Height
	if y := d.AbsolutePositionForObject(rows[0].err).Y; y < top || y > bottom {
		t.Errorf("the first problem (at %v) is not in view (%v–%v)", y, top, bottom)
	}
}

// Finalise checks the record before it asks: no question is asked of a
// record that would be refused after the answer.
func TestFinaliseChecksBeforeItAsks(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	openForm(t, a)
	test.Tap(button(t, a.Window(), "Finalise"))
	if top := a.Window().Canvas().Overlays().Top(); top != nil {
		t.Errorf("Finalise asked about a record that lacks what a final one needs: %q", overlayTexts(a.Window()))
	}
	f := a.screen.(*formScreen)
	if !f.jump.Visible() {
		t.Error("the problems are not shown")
	}
}

// A country is shown by its name in the officer's language, and found by
// name or code.
func TestCountriesAreNamedInTheOfficersLanguage(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	if err := a.setLang("ru"); err != nil {
		t.Fatal(err)
	}
	f := openForm(t, a)
	e := f.widget(t, "conveyance.country").(*widget.SelectEntry)
	e.SetText("kz")
	if f.rec.Conveyance.Country != "KZ" {
		t.Errorf("a typed code gives %q", f.rec.Conveyance.Country)
	}
	e.SetText("Узбекистан")
	if f.rec.Conveyance.Country != "UZ" {
		t.Errorf("a typed name gives %q", f.rec.Conveyance.Country)
	}
	var labels []string
	for _, c := range countryCodes {
		labels = append(labels, countryLabel(a.tr, c))
	}
	if got := matching(labels, "кирг"); len(got) != 1 || got[0] != "Киргизия (KG)" {
		t.Errorf("typing part of a name offers %q", got)
	}
	if got := matching(labels, "(tj)"); len(got) != 1 || !strings.HasPrefix(got[0], "Таджикистан") {
		t.Errorf("typing a code offers %q", got)
	}
	f.rec.Conveyance.Country = "KG"
	f.rebuildForm()
	f = a.screen.(*formScreen)
	if got := f.widget(t, "conveyance.country").(*widget.SelectEntry).Text; got != "Киргизия (KG)" {
		t.Errorf("the country is shown as %q", got)
	}
}

// The form's sections are one click away, each marked with the number of
// its problems.
func TestSectionsAreOneClickAwayAndMarked(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	f := openForm(t, a)
	if len(f.sections) < 6 {
		t.Fatalf("%d sections", len(f.sections))
	}
	last := f.sections[len(f.sections)-1]
	test.Tap(last.button)
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(f.scroll).Y
	if y := d.AbsolutePositionForObject(last.card).Y; y < top || y > top+f.scroll.Size().Height {
		t.Errorf("the last section (at %v) is not in view after its button", y)
	}
	test.Tap(f.sections[0].button)
	if f.scroll.Offset.Y != 0 {
		t.Errorf("the first section's button leaves the form at %v", f.scroll.Offset.Y)
	}
	if err := f.checkFinal(); err != nil {
		f.showErrors(err)
	}
	if s := f.sections[0]; !strings.Contains(s.button.Text, "(") || s.button.Importance != widget.DangerImportance {
		t.Errorf("the first section has problems, its button says %q", s.button.Text)
	}
	for _, s := range f.sections {
		if s.key == "ui.group.photos" && strings.Contains(s.button.Text, "(") {
			t.Errorf("photos are marked with problems: %q", s.button.Text)
		}
	}
}

// The window's shortcuts work while the cursor is in a text field: Ctrl+N
// from the search box, Ctrl+S from a field of the form.
func TestShortcutsWorkFromTextFields(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	a.navigate(navRecords)
	r := a.screen.(*recordsScreen)
	a.Window().Canvas().Focus(r.search)
	r.search.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	f, ok := a.screen.(*formScreen)
	if !ok {
		t.Fatalf("Ctrl+N in the search box left %T", a.screen)
	}
	plate := f.widget(t, "conveyance.plate").(*cappedEntry)
	plate.SetText("777 ABC 02")
	a.Window().Canvas().Focus(plate)
	plate.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault})
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 1 {
		t.Errorf("Ctrl+S in a field stored %d records", n)
	}
}

// A witness row just added is not marked as missing its name: it is not a
// person until something is typed in it.
func TestANewWitnessRowIsNotAnError(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	f := openForm(t, a)
	test.Tap(button(t, a.Window(), "Add witness"))
	f = a.screen.(*formScreen)
	f.flush() // the autosave stores the draft
	for path, r := range f.rows {
		if strings.HasPrefix(path, "people[") && r.err.Text != "" {
			t.Errorf("%s is marked at once: %q", path, r.err.Text)
		}
	}
	if n, _ := a.svc.Count(a.ctx, view.Filter{}); n != 1 {
		t.Errorf("the draft was not stored beside the empty witness row (%d records)", n)
	}
}

// "Not now" at the start keeps the form: it waits on the dashboard, where
// it can be continued or, asked twice, given up.
func TestAnOfferedFormIsGivenUpOnlyOnPurpose(t *testing.T) {
	noAutosave(t)
	fa, cat := testEnv(t)
	dir := t.TempDir()
	setUpFolder(t, dir)
	a := openApp(t, fa, cat, dir)
	p, _ := a.svc.Post(a.ctx)
	in := &record.Interdiction{ID: record.NewID(p.DeviceID), Status: record.StatusDraft, PostCode: "KZ-DOS", Narrative: "важное"}
	if err := a.svc.KeepUnsaved(a.ctx, in); err != nil {
		t.Fatal(err)
	}
	b := openApp(t, fa, cat, dir)
	test.Tap(button(t, b.Window(), "Cancel"))
	if slots, _ := b.svc.Unsaved(b.ctx); len(slots) != 1 {
		t.Fatalf("Cancel on the offer gave the form up: %d slots", len(slots))
	}
	b.show(newDashboard(b))
	test.Tap(button(t, b.Window(), "Discard"))
	test.Tap(button(t, b.Window(), "Cancel"))
	if slots, _ := b.svc.Unsaved(b.ctx); len(slots) != 1 {
		t.Fatal("one tap of Discard gave the form up")
	}
	test.Tap(button(t, b.Window(), "Discard"))
	var confirm *widget.Button
	for _, o := range b.Window().Canvas().Overlays().List() {
		walk(o, func(c fyne.CanvasObject) {
			if x, ok := c.(*widget.Button); ok && x.Text == "Discard" {
				confirm = x
			}
		})
	}
	if confirm == nil {
		t.Fatal("no question before giving the form up")
	}
	test.Tap(confirm)
	if slots, _ := b.svc.Unsaved(b.ctx); len(slots) != 0 {
		t.Errorf("%d slots after Discard was confirmed", len(slots))
	}
}

// Calibres read in the officer's language: "мм", "калибр".
func TestCalibresReadInTheOfficersLanguage(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	if err := a.setLang("kk"); err != nil {
		t.Fatal(err)
	}
	labels := calibreLabels(a.tr)
	if !slices.Contains(labels, "7.62×39 мм") || !slices.Contains(labels, "12 калибр") {
		t.Errorf("the calibres in Kazakh: %q", labels[:5])
	}
	if c := calibreOf(a.tr, "7.62×39 мм"); c != (record.Calibre{Code: "7.62x39"}) {
		t.Errorf("a calibre picked in Kazakh reads as %+v: a label picked is no stamping", c)
	}
	if c := calibreOf(a.tr, "7,62x39"); c != (record.Calibre{Code: "7.62x39", Stamped: "7,62x39"}) {
		t.Errorf("a stamping typed reads as %+v", c)
	}
	if c := calibreOf(a.tr, "12 gauge"); c.Code != "12ga" {
		t.Errorf("the English designation no longer reads: %+v", c)
	}
}

// Every coded field takes typing: a label or code in any case picks the
// entry, part of a label narrows the drop-down, and text that names no
// entry stays as typed, marked, and blocks Save.
func TestCodedFieldsTakeTyping(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	if err := a.setLang("ru"); err != nil {
		t.Fatal(err)
	}
	f := openForm(t, a)
	f.widget(t, "direction").(*widget.SelectEntry).SetText("въезд")
	if f.rec.Direction != "entry" {
		t.Errorf("«въезд» gives direction %q", f.rec.Direction)
	}
	f.widget(t, "transport").(*widget.SelectEntry).SetText("TRUCK")
	if f.rec.Transport != "truck" {
		t.Errorf("a typed code gives transport %q", f.rec.Transport)
	}
	test.Tap(button(t, a.Window(), "Оружие"))
	f = a.screen.(*formScreen)
	category := "items[0].firearm.category"
	l := newCodeList(a.tr, record.FirearmCategories, nil)
	offered := l.offer("пист")
	if len(offered) == 0 || len(offered) == len(l.labels) {
		t.Fatalf("typing «пист» offers %d of %d", len(offered), len(l.labels))
	}
	for _, o := range offered {
		if !strings.Contains(strings.ToLower(o), "пист") {
			t.Errorf("typing «пист» offers %q", o)
		}
	}
	f.widget(t, category).(*widget.SelectEntry).SetText("пулемётище")
	if f.save() {
		t.Fatal("Save stored a category that names no entry")
	}
	if f.rows[category].err.Text == "" {
		t.Error("the category is not marked")
	}
	f.rebuildForm()
	f = a.screen.(*formScreen)
	if got := f.widget(t, category).(*widget.SelectEntry).Text; got != "пулемётище" {
		t.Errorf("after a rebuild the category shows %q", got)
	}
	f.widget(t, category).(*widget.SelectEntry).SetText("автомат")
	if got := f.rec.Items[0].Firearm.Category; got != "assault_rifle" {
		t.Errorf("«автомат» gives category %q", got)
	}
	if !f.save() {
		t.Fatalf("not saved once the category reads: %q", f.summary.err.Text)
	}
}

// The Latin name is filled from the name as it is typed, as the person's
// country writes passports, and left alone once the officer has typed or
// corrected it.
func TestTheLatinNameIsSuggested(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	f := openForm(t, a)
	test.Tap(button(t, a.Window(), "Add person"))
	f = a.screen.(*formScreen)
	name := f.widget(t, "people[0].name").(*cappedEntry)
	latin := f.widget(t, "people[0].name_latin").(*cappedEntry)
	country := f.widget(t, "people[0].nationality").(*widget.SelectEntry)
	name.SetText("Ўринов Жасур")
	if latin.Text != "URINOV ZHASUR" || f.rec.People[0].NameLatin != "URINOV ZHASUR" {
		t.Errorf("the Latin name reads %q, the record holds %q", latin.Text, f.rec.People[0].NameLatin)
	}
	country.SetText("UZ")
	if latin.Text != "ORINOV JASUR" {
		t.Errorf("as Uzbekistan writes it: %q", latin.Text)
	}
	f.rebuildForm() // the suggestion is still one after a rebuild
	f = a.screen.(*formScreen)
	name = f.widget(t, "people[0].name").(*cappedEntry)
	latin = f.widget(t, "people[0].name_latin").(*cappedEntry)
	name.SetText("Ўринов Жасур Ҳамидович")
	if latin.Text != "ORINOV JASUR HAMIDOVICH" {
		t.Errorf("after a rebuild: %q", latin.Text)
	}
	latin.SetText("O'RINOV JASUR")
	name.SetText("Ўринов Жасур")
	if latin.Text != "O'RINOV JASUR" {
		t.Errorf("a Latin name typed by hand was replaced by %q", latin.Text)
	}
}

// A seized record that names no one it was seized from is not finalised
// until the officer says why, beside the field that asks.
func TestASeizureFromNoOneSaysWhy(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	f := openForm(t, a)
	in := f.rec
	in.Officers = []record.Officer{{Name: "A. Serikbayev"}}
	in.CrossingPoint = "Dostyk road"
	in.LocationType, in.Direction, in.Recovery, in.LegalBasis, in.Transport = "road", "entry", "seized", "illicit_possession", "car"
	in.Detection = []string{"xray"}
	in.Items = []record.Item{{Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{
		Category: "pistol", Calibre: record.Calibre{Code: "9x18"}, Serials: []record.Serial{{Number: "PM-1", State: "intact"}}}}}
	f.rebuildForm()
	f = a.screen.(*formScreen)
	if f.finalise() {
		t.Fatal("a seizure from no one was finalised without a reason")
	}
	r, ok := f.rows["no_person"]
	if !ok || r.err.Text == "" {
		t.Fatalf("the reason is not asked for beside its field: %v", ok)
	}
	f.widget(t, "no_person").(*widget.SelectEntry).SetText("The person fled")
	if !f.finalise() {
		t.Fatalf("not finalised with a reason: %q", f.summary.err.Text)
	}
	cur, err := a.svc.Get(a.ctx, f.rec.Ref())
	if err != nil || cur.Record.Status != record.StatusFinal || cur.Record.NoPerson != "fled" {
		t.Fatalf("stored %+v, %v", cur, err)
	}

}

// A Latin name that was stored is the officer's, even when it reads as the
// suggestion would: a later change of the name does not rewrite it.
func TestAStoredLatinNameIsNeverRewritten(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	in := &record.Interdiction{Status: record.StatusDraft, PostCode: "KZ-DOS", OccurredAt: time.Now().Add(-time.Hour),
		People: []record.Person{{Role: "driver", Name: "Иванов Пётр", NameLatin: "IVANOV PETR"}}}
	if err := saveAll(a, []*record.Interdiction{in}); err != nil {
		t.Fatal(err)
	}
	a.show(newForm(a, in))
	f := a.screen.(*formScreen)
	f.widget(t, "people[0].name").(*cappedEntry).SetText("Иванов Пётр Сергеевич")
	if got := f.rec.People[0].NameLatin; got != "IVANOV PETR" {
		t.Errorf("the stored Latin name became %q", got)
	}
}

// Text kept as typed stays with its row when a row above it is removed.
func TestTypedTextStaysWithItsRow(t *testing.T) {
	noAutosave(t)
	a := newApp(t)
	f := openForm(t, a)
	test.Tap(button(t, a.Window(), "Add person"))
	test.Tap(button(t, a.Window(), "Add person"))
	f = a.screen.(*formScreen)
	f.widget(t, "people[1].role").(*widget.SelectEntry).SetText("водила")
	f.removed("people", 0)
	f.rec.People = f.rec.People[1:]
	f.rebuildForm()
	f = a.screen.(*formScreen)
	if got := f.widget(t, "people[0].role").(*widget.SelectEntry).Text; got != "водила" {
		t.Errorf("the remaining person's role shows %q", got)
	}
	if _, ok := f.rows["people[1].role"]; ok {
		t.Error("a removed row is still in the form")
	}
}
