package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/view"
)

func TestSearchWithinTheFilters(t *testing.T) {
	a := newApp(t)
	now := time.Now()
	addRecords(t, a, 250, now.Add(-time.Minute)) // every tenth final with a pistol PM-…, at Dostyk road
	a.navigate(navRecords)
	r := a.screen.(*recordsScreen)
	w := a.Window()
	selects := map[string]*widget.Select{}
	var from *widget.Entry
	walk(w.Content(), func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Select:
			selects[x.Options[0]] = x
		case *widget.Entry:
			if x.PlaceHolder == "From (date)" {
				from = x
			}
		}
	})
	search := func(q string) {
		r.search.SetText(q)
		test.Tap(button(t, w, "Search"))
	}

	search("pm-00")
	if r.total != 25 {
		t.Fatalf("search without filters: %d records, want 25", r.total)
	}
	// Each hit says where it was found.
	if got := texts(w); !slices.Contains(got, "Serial number: PM-00000") || !slices.Contains(got, "Found in") {
		t.Errorf("the hits do not say where they were found:\n%q", got)
	}
	selects["Any status"].SetSelected("Draft")
	if r.total != 0 || r.len() != 0 {
		t.Errorf("search among drafts: %d records, want none (the pistols are in final records)", r.total)
	}
	selects["Any status"].SetSelected("Final")
	selects["Any crossing point"].SetSelected("Dostyk rail")
	if r.total != 0 {
		t.Errorf("search at Dostyk rail: %d records, want none", r.total)
	}
	selects["Any crossing point"].SetSelected("Dostyk road")
	if r.total != 25 {
		t.Errorf("search among final records at Dostyk road: %d, want 25", r.total)
	}
	selects["Any item"].SetSelected("Ammunition")
	if r.total != 0 {
		t.Errorf("search among ammunition: %d, want none", r.total)
	}
	selects["Any item"].SetSelected("Self-loading pistol")
	// From the day 41 hours ago: the pistols of the last two or three days.
	from.SetText(now.Add(-41 * time.Hour).Format("2006-01-02"))
	want := 0
	for i := 0; i < 250; i += 10 {
		if at := now.Add(-time.Minute - time.Duration(i)*time.Hour); !at.Before(r.filter.From) {
			want++
		}
	}
	if r.total != want || r.len() != want {
		t.Errorf("search from %s: %d records, want %d", from.Text, r.total, want)
	}
	for i := range r.len() {
		if s := r.at(i); s.Status != record.StatusFinal || s.OccurredAt.Before(r.filter.From) {
			t.Errorf("row %d: %+v", i, s)
		}
	}
	if got := r.count.Text; !strings.Contains(got, "pm-00") {
		t.Errorf("count line %q", got)
	}
}

func TestListsShowTheTimeInTheRecordsOwnOffset(t *testing.T) {
	a := newApp(t)
	// 23:30 at a post five hours ahead of UTC: 18:30 UTC, and another
	// day in the west.
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("", 5*3600))
	in := &record.Interdiction{ID: uuid.New(), Status: record.StatusDraft, PostCode: "KZ-DOS", OccurredAt: at, CrossingPoint: "Dostyk road"}
	if err := saveAll(a, []*record.Interdiction{in}); err != nil {
		t.Fatal(err)
	}
	a.navigate(navRecords)
	if got := texts(a.Window()); !slices.Contains(got, "2026-03-01 23:30") {
		t.Errorf("the records list does not show 2026-03-01 23:30: %q", got)
	}
	a.navigate(navDashboard)
	if got := texts(a.Window()); !slices.Contains(got, "2026-03-01 23:30") {
		t.Errorf("the dashboard does not show 2026-03-01 23:30: %q", got)
	}
	a.show(newRecordView(a, in.ID.String()))
	if got := texts(a.Window()); !slices.Contains(got, "2026-03-01 23:30") {
		t.Errorf("the record view does not show 2026-03-01 23:30: %q", got)
	}
}

// Each row of a records list says what was seized, counted as a protocol
// counts it (rounds of ammunition, not its boxes), and who and which
// vehicle were involved, so that an analyst need not open the record.
func TestRecordRowsSayWhatWhoAndWhichVehicle(t *testing.T) {
	a := newApp(t)
	if err := a.setLang("ru"); err != nil {
		t.Fatal(err)
	}
	in := &record.Interdiction{
		ID: uuid.New(), Status: record.StatusDraft, PostCode: "KZ-DOS",
		OccurredAt: time.Now().Add(-time.Hour), CrossingPoint: "Dostyk road",
		Conveyance: &record.Conveyance{Plate: "777 ABC 02"},
		People: []record.Person{
			{ID: uuid.New(), Role: "driver", Name: "Ўринов Азиз"},
			{ID: uuid.New(), Role: "passenger", Name: "Иванов Пётр"},
			{ID: uuid.New(), Role: "passenger", Name: "SMITH JOHN"},
		},
		Items: []record.Item{
			{ID: uuid.New(), Kind: record.KindFirearm, Quantity: 2, Firearm: &record.Firearm{Category: "assault_rifle"}},
			{ID: uuid.New(), Kind: record.KindAmmunition, Quantity: 2, Packaging: "zinc",
				Ammunition: &record.Ammunition{Calibre: record.Calibre{Code: "7.62x39"}, Rounds: 1440}},
			{ID: uuid.New(), Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{Category: "pistol"}},
		},
	}
	if err := saveAll(a, []*record.Interdiction{in}); err != nil {
		t.Fatal(err)
	}
	seized := "Автомат ×2, Боеприпасы: " + a.tr.Number(1440) + ", Самозарядный пистолет"
	who := "Ўринов Азиз · Иванов Пётр · ещё 1 · 777 ABC 02"
	for _, screen := range []string{navRecords, navDashboard} {
		a.navigate(screen)
		got := texts(a.Window())
		if !slices.Contains(got, seized) || !slices.Contains(got, who) {
			t.Errorf("%s: the row does not say %q and %q:\n%q", screen, seized, who, got)
		}
	}
	a.show(newRecordView(a, in.Ref()))
	var titles []string
	walk(a.Window().Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Card); ok {
			titles = append(titles, c.Title)
		}
	})
	if want := "Предметы (единиц: 3, патронов: " + a.tr.Number(1440) + ")"; !slices.Contains(titles, want) {
		t.Errorf("the record's items are not counted in pieces and rounds: %q, want %q", titles, want)
	}
}

// An earlier version is one click away in the history: it opens read-only,
// says which version is current, and prints marked as superseded to a file
// of its own, beside the current version's protocol.
func TestAnEarlierVersionOpensAndPrints(t *testing.T) {
	a := newApp(t)
	addRecords(t, a, 1, time.Now().Add(-time.Hour)) // a final record with a pistol PM-00000
	page, err := a.svc.List(a.ctx, view.Filter{})
	if err != nil || len(page.Records) != 1 {
		t.Fatal(page, err)
	}
	cur, err := a.svc.Get(a.ctx, page.Records[0].Ref())
	if err != nil {
		t.Fatal(err)
	}
	in := cur.Record
	in.Narrative = "Version two's narrative."
	if err := saveAll(a, []*record.Interdiction{in}); err != nil {
		t.Fatal(err)
	}
	if in.Version != 2 {
		t.Fatalf("the change made version %d", in.Version)
	}
	a.show(newRecordView(a, in.Ref()))
	test.Tap(button(t, a.Window(), "Open"))
	v, ok := a.screen.(*recordView)
	if !ok || v.version != 1 {
		t.Fatalf("Open showed %T %+v", a.screen, a.screen)
	}
	got := texts(a.Window())
	if slices.Contains(got, "Version two's narrative.") {
		t.Error("version 1 shows version 2's narrative")
	}
	if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "version 2 is current") }) {
		t.Errorf("version 1 does not say which is current:\n%q", got)
	}
	for _, b := range []string{"Edit", "Finalise", "Add custody event"} {
		if slices.Contains(got, b) {
			t.Errorf("an earlier version offers %q", b)
		}
	}
	path := a.protocolFile(in, 1)
	if filepath.Base(path) != in.Number+"-v1.pdf" {
		t.Errorf("version 1 prints to %s", path)
	}
	if _, err := a.writeProtocol(in.Ref(), 1, path, "en", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("no protocol of version 1: %v", err)
	}
	if _, err := a.writeProtocol(in.Ref(), 7, path, "en", ""); err == nil || !strings.Contains(a.tr.Error(err), "no version 7") {
		t.Errorf("printing a version the record lacks: %v", err)
	}
	test.Tap(button(t, a.Window(), "Current version"))
	if v, ok := a.screen.(*recordView); !ok || v.version != 0 {
		t.Errorf("Current version showed %T", a.screen)
	}
	if !slices.Contains(texts(a.Window()), "Version two's narrative.") {
		t.Error("the current version does not show its narrative")
	}
}
