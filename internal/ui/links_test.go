package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
)

// rifleSeizure is a final record of the post that seized the rifle with
// the serial, from the driver, in the truck with the plate.
func rifleSeizure(at time.Time, serial, driver, plate string) *record.Interdiction {
	return &record.Interdiction{
		ID: uuid.New(), Status: record.StatusFinal, PostCode: "KZ-DOS", OccurredAt: at, CrossingPoint: "Dostyk road",
		Officers:     []record.Officer{{Name: "A. Serikbayev"}},
		LocationType: "road", Direction: "entry", Recovery: "seized", LegalBasis: "illicit_possession", Transport: "truck",
		Detection:  []string{"xray"},
		Conveyance: &record.Conveyance{Plate: plate, Country: "KZ"},
		People:     []record.Person{{ID: uuid.New(), Role: "driver", Name: driver, BirthDate: "1984-05-17", Nationality: "UZ"}},
		Items: []record.Item{{ID: uuid.New(), Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{
			Category: "assault_rifle", Make: "Izhmash", Model: "AKM", Calibre: record.Calibre{Code: "7.62x39"},
			Serials: []record.Serial{{Part: "receiver", Number: serial, State: "intact"}}}}},
	}
}

func labelsOf(o fyne.CanvasObject) string {
	var out []string
	walk(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		}
	})
	return strings.Join(out, "\n")
}

func TestTheLinksScreenShowsJudgesAndOpens(t *testing.T) {
	a := newApp(t)
	day := time.Date(2026, 2, 10, 9, 30, 0, 0, time.FixedZone("", 5*3600))
	ins := []*record.Interdiction{
		rifleSeizure(day, "ХА 672039", "Ўринов Жасур", "777 ABC 02"),
		rifleSeizure(day.AddDate(0, 0, 20), "XA-672039", "URINOV JASUR", "555 XYZ 01"),
		rifleSeizure(day.AddDate(0, 0, 40), "BB 100200", "Petrov Ivan", "777 АВС 02"),
	}
	if err := saveAll(a, ins); err != nil {
		t.Fatal(err)
	}
	a.navigate(navLinks)
	s := a.screen.(*linksScreen)
	a.background.Wait()
	// Fyne's test driver runs fyne.Do on the reading goroutine, so the
	// screen's first drawing may finish after the one the reading asked
	// for; the real driver runs both on the main thread, in order.
	a.rebuild()
	w := a.Window()
	// The list draws the rows in view; what each row says:
	var rows []string
	for i := range s.clusters {
		first, second := s.clusterText(&s.clusters[i])
		rows = append(rows, first+" | "+second)
	}
	got := labelsOf(w.Content()) + "\n" + strings.Join(rows, "\n")
	for _, want := range []string{
		"weapon (make and serial): Izhmash AKM XA-672039 | 2 records · KZ-DOS · 2026-03-02",
		"person (name and date of birth): URINOV JASUR, 1984-05-17",
		"plate and country: 777 АВС 02 (KZ) | 2 records · KZ-DOS · 2026-03-22",
		"Links: 3; suggestions: 0",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the Links screen lacks %q:\n%s", want, got)
		}
	}

	// Open the rifle: its network and timeline.
	var weapon int = -1
	for i, c := range s.clusters {
		if c.Kind == "weapon" {
			weapon = i
		}
	}
	if weapon < 0 {
		t.Fatal("no weapon cluster")
	}
	s.openCluster(s.clusters[weapon].ID())
	a.background.Wait()
	a.rebuild() // see above: the test driver's fyne.Do runs beside the build
	var net *networkView
	walk(w.Content(), func(o fyne.CanvasObject) {
		if n, ok := o.(*networkView); ok {
			net = n
		}
	})
	if net == nil {
		t.Fatalf("no network drawn:\n%s", labelsOf(w.Content()))
	}
	records := 0
	for _, n := range net.net.Nodes {
		if n.Type == links.NodeRecord {
			records++
		}
	}
	// Two hops: the two rifle records, and the third by its plate.
	if records != 3 {
		t.Errorf("network has %d records, want 3", records)
	}
	detail := labelsOf(w.Content())
	for _, want := range []string{"Timeline", "KZ-DOS-2026-0001", "KZ-DOS-2026-0002", a.T("ui.links.node.person")} {
		if !strings.Contains(detail, want) {
			t.Errorf("the opened link lacks %q", want)
		}
	}

	// Judge it different: it leaves the list of links.
	test.Tap(button(t, w, "Different"))
	a.background.Wait()
	a.rebuild()
	for _, c := range s.clusters {
		if c.Kind == "weapon" {
			t.Errorf("a link judged different is still listed: %s", c.ID())
		}
	}
	if !strings.Contains(labelsOf(w.Content()), "Judged «Different» by") {
		t.Errorf("the verdict is not shown:\n%s", labelsOf(w.Content()))
	}

	// A tap on a record's disc opens the record.
	for i, n := range net.net.Nodes {
		if n.Type == links.NodeRecord {
			net.Resize(fyne.NewSize(600, 400))
			p := net.at(i, net.Size())
			net.Tapped(&fyne.PointEvent{Position: p})
			break
		}
	}
	if _, ok := a.screen.(*recordView); !ok {
		t.Fatalf("tapping a record opened %T", a.screen)
	}
	a.background.Wait() // the card of its links is read off the UI goroutine
	if !strings.Contains(labelsOf(w.Content()), "plate and country: 777 АВС 02 (KZ) — ") {
		t.Errorf("the record view does not say what it shares:\n%s", labelsOf(w.Content()))
	}
}

func TestSavingTellsWhatThePostRecordedBefore(t *testing.T) {
	a := newApp(t)
	day := time.Date(2026, 2, 10, 9, 30, 0, 0, time.FixedZone("", 5*3600))
	first := rifleSeizure(day, "ХА 672039", "Ўринов Жасур", "777 ABC 02")
	if err := saveAll(a, []*record.Interdiction{first}); err != nil {
		t.Fatal(err)
	}
	second := rifleSeizure(day.AddDate(0, 0, 1), "XA672039", "Петров Иван", "123 QQQ 01")
	second.Status = record.StatusDraft
	f := newForm(a, second)
	a.show(f)
	f.touch()
	if !f.save() {
		t.Fatal("not saved")
	}
	a.background.Wait() // what it shares is read off the UI goroutine
	want := fmt.Sprintf("Recorded before at this post — weapon (make and serial) Izhmash AKM XA672039: %s (KZ-DOS, 2026-02-10)", first.Number)
	if !strings.Contains(f.seenText, want) {
		t.Errorf("the officer is told %q, want %q", f.seenText, want)
	}
	if !f.seen.Visible() || f.seen.Text != f.seenText {
		t.Error("the notice is not shown above the form")
	}
}

func TestABigNetworkIsCutAndSaysSo(t *testing.T) {
	a := newApp(t)
	day := time.Date(2026, 1, 1, 9, 0, 0, 0, time.FixedZone("", 5*3600))
	var ins []*record.Interdiction
	for i := 0; i < 300; i++ {
		ins = append(ins, rifleSeizure(day.Add(time.Duration(i)*time.Hour), fmt.Sprintf("AK%06d", i), fmt.Sprintf("Driver %d", i), "777 ABC 02"))
	}
	if err := saveAll(a, ins); err != nil {
		t.Fatal(err)
	}
	s := newLinksScreenOn(a, "plate:KZ/777ABC02", false)
	a.show(s)
	a.background.Wait()
	a.rebuild()
	if s.network == nil || !s.network.Capped || len(s.network.Nodes) > 400 {
		t.Fatalf("a network of 300 records and their things is not cut to 400 nodes: %+v", s.network != nil)
	}
	want := fmt.Sprintf("The network is large: %d of %d records and things are shown", len(s.network.Nodes), s.network.Found)
	if got := labelsOf(a.Window().Content()); !strings.Contains(got, want) {
		t.Errorf("no note that the network is cut (%q) in:\n%s", want, got)
	}
}

func TestTheDashboardSaysHowOldTheSanctionsListIs(t *testing.T) {
	a := newApp(t)
	a.navigate(navDashboard)
	if got := labelsOf(a.Window().Content()); !strings.Contains(got, "Screening: no UN Security Council list is loaded yet.") {
		t.Errorf("the dashboard does not say that no list is loaded:\n%s", got)
	}
}

func TestTheOfficeLoadsTheUNListInSettings(t *testing.T) {
	list := "../../../shared/data/un-sc-consolidated-2020-03-20.xml"
	if _, err := os.Stat(list); err != nil {
		t.Skip("the UN list is not here")
	}
	fa, cat := testEnv(t)
	dir := t.TempDir()
	svc, err := service.Init(context.Background(), dir, service.Setup{PostCode: "KZ-ALM", PostName: "Almaty", Office: true})
	if err != nil {
		t.Fatal(err)
	}
	svc.Close()
	a := openApp(t, fa, cat, dir)
	a.navigate(navSettings)
	s := a.screen.(*settingsScreen)
	bad := filepath.Join(t.TempDir(), "page.xml")
	if err := os.WriteFile(bad, []byte("<html>not the list</html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.loadList(bad)
	a.background.Wait()
	if !s.listErr || !strings.Contains(s.listMsg, "is not the UN Security Council Consolidated List") {
		t.Errorf("a page that is not the list: %q", s.listMsg)
	}
	s.loadList(list)
	a.background.Wait()
	if s.listErr || s.listMsg != "Loaded: the UN Security Council list of 2020-03-20, entries: 1,014." {
		t.Errorf("the real list: %q", s.listMsg)
	}
	a.navigate(navDashboard)
	if got := labelsOf(a.Window().Content()); !strings.Contains(got, "Screening: UN Security Council list of 2020-03-20 (entries: 1,014), loaded") {
		t.Errorf("the dashboard does not say which list is held:\n%s", got)
	}
}

func TestARecordSaysWhoIsOnTheListAndTakesTheDecision(t *testing.T) {
	list := "../../../shared/data/un-sc-consolidated-2020-03-20.xml"
	if _, err := os.Stat(list); err != nil {
		t.Skip("the UN list is not here")
	}
	fa, cat := testEnv(t)
	dir := t.TempDir()
	ctx := context.Background()
	svc, err := service.Init(ctx, dir, service.Setup{PostCode: "KZ-ALM", PostName: "Almaty", Office: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.LoadList(ctx, list); err != nil {
		t.Fatal(err)
	}
	svc.Close()
	a := openApp(t, fa, cat, dir)
	in := rifleSeizure(time.Date(2026, 2, 10, 9, 30, 0, 0, time.FixedZone("", 5*3600)), "XA 672039", "Халимов Гулмурод", "777 ABC 02")
	in.PostCode = "KZ-ALM"
	in.People[0].BirthDate, in.People[0].Nationality = "1975-05-14", "TJ"
	if err := saveAll(a, []*record.Interdiction{in}); err != nil {
		t.Fatal(err)
	}
	a.show(newRecordView(a, in.Ref()))
	a.background.Wait()
	w := a.Window()
	if got := labelsOf(w.Content()); !strings.Contains(got, "Халимов Гулмурод (KZ-ALM-2026-0001): listed as") {
		t.Fatalf("the record does not say its driver is on the list:\n%s", got)
	}
	test.Tap(button(t, w, "False match"))
	a.background.Wait()
	if got := labelsOf(w.Content()); strings.Contains(got, "listed as") {
		t.Errorf("a false match is still raised:\n%s", got)
	}
	hits, err := a.svc.RecordHits(ctx, in.Ref())
	if err != nil || len(hits) != 0 {
		t.Errorf("after a false match: %v, %v", hits, err)
	}
}
