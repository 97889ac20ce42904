package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/tracing"
)

// officeApp is the desktop on a regional office's folder holding the
// seizures.
func officeApp(t *testing.T, ins ...*record.Interdiction) *App {
	t.Helper()
	fa, cat := testEnv(t)
	dir := t.TempDir()
	svc, err := service.Init(context.Background(), dir, service.Setup{PostCode: "KZ-ALM", PostName: "Almaty", Office: true})
	if err != nil {
		t.Fatal(err)
	}
	svc.Close()
	a := openApp(t, fa, cat, dir)
	for _, in := range ins {
		in.PostCode = "KZ-ALM"
	}
	if err := saveAll(a, ins); err != nil {
		t.Fatal(err)
	}
	return a
}

// settle waits for the screen's reading and draws it again (Fyne's test
// driver runs fyne.Do beside the drawing it overtakes).
func settle(a *App) {
	a.background.Wait()
	a.rebuild()
}

func TestTheTracingScreenRecordsARequestAndItsAnswer(t *testing.T) {
	day := time.Date(2026, 2, 10, 9, 30, 0, 0, time.FixedZone("", 5*3600))
	a := officeApp(t,
		rifleSeizure(day, "ХА 672039", "Ўринов Жасур", "777 ABC 02"),
		rifleSeizure(day.AddDate(0, 0, 20), "BB 100200", "Petrov Ivan", "555 XYZ 01"))
	if !strings.Contains(labelsOf(a.Window().Content()), a.T("ui.nav.tracing")) {
		t.Fatal("the office's navigation has no Tracing entry")
	}
	a.navigate(navTracing)
	s := a.screen.(*tracingScreen)
	settle(a)
	got := labelsOf(a.Window().Content())
	for _, want := range strings.Split(a.T("ui.tracing.counts", "traced", "2", "open", "0", "overdue", "0", "established", "0", "untraceable", "0", "none", "2"), " · ") {
		if !strings.Contains(got, want) {
			t.Fatalf("the count %q is not shown in:\n%s", want, got)
		}
	}
	if len(s.list.Items) != 2 || s.list.Items[0].Serial != "BB 100200" {
		t.Fatalf("not attempted, newest first: %+v", s.list.Items)
	}
	first, _ := s.rowText(&s.list.Items[0])
	if !strings.Contains(first, "Izhmash AKM") || !strings.Contains(first, a.T("enum.firearm_category.assault_rifle")) {
		t.Errorf("row %q", first)
	}

	// Open the older rifle and record its request: the form offers the
	// request first.
	older := s.list.Items[1]
	s.openItem(older.Ref, older.ItemID)
	settle(a)
	if s.change.Status != tracing.RequestSent {
		t.Fatalf("the form offers %q first", s.change.Status)
	}
	w := a.Window()
	for _, o := range entriesIn(w.Content()) {
		if o.PlaceHolder == a.T("ui.tracing.date_hint") && o.Text == "" {
			// The first date field is the day sent, the second the day due.
			if s.dates[0] == "" {
				o.SetText("01.02.2026")
			} else {
				o.SetText("15.02.2026")
			}
		}
	}
	s.change.To = "RU"
	test.Tap(button(t, w, a.T("ui.tracing.save")))
	settle(a)
	settle(a)
	if s.list.Overdue != 1 || s.list.ByStatus[tracing.RequestSent] != 1 {
		t.Fatalf("after the request: %+v", s.list)
	}
	head := s.list.Items[0]
	if head.ItemID != older.ItemID || !head.Overdue {
		t.Fatalf("the overdue request heads the list: %+v", head)
	}
	_, second := s.rowText(&head)
	for _, want := range []string{a.T("enum.trace_status.request_sent"), "→ RU", a.T("ui.tracing.overdue")} {
		if !strings.Contains(second, want) {
			t.Errorf("row %q lacks %q", second, want)
		}
	}

	// The answer, in a few clicks: the form now offers it.
	if s.change.Status != tracing.EstablishedTracing {
		t.Fatalf("after a request the form offers %q", s.change.Status)
	}
	s.change.LastLegalCountry, s.change.DiversionType = "UA", "theft"
	test.Tap(button(t, w, a.T("ui.tracing.save")))
	settle(a)
	settle(a)
	if s.list.ByStatus[tracing.EstablishedTracing] != 1 || s.list.Overdue != 0 {
		t.Fatalf("after the answer: %+v", s.list.ByStatus)
	}
	if got := labelsOf(w.Content()); !strings.Contains(got, a.T("enum.trace_diversion.theft")) {
		t.Errorf("the trace shown does not tell of the theft:\n%s", got)
	}
	if err := a.svc.Verify(a.ctx); err != nil {
		t.Fatal(err)
	}

	// A bad date is refused with the field named, nothing kept.
	s.openItem(head.Ref, head.ItemID)
	settle(a)
	s.change = tracing.Change{Status: tracing.RequestSent, To: "CN"}
	s.dates = [3]string{"10.02.2026", "01.01.2026", ""}
	test.Tap(button(t, w, a.T("ui.tracing.save")))
	settle(a)
	if a.dialog == nil || !strings.Contains(shown(w), "requests[1].due") {
		t.Errorf("no message naming the due date:\n%s", shown(w))
	}
	h, err := a.svc.TraceHistory(a.ctx, s.open)
	if err != nil || len(h) != 2 {
		t.Fatalf("a refused step was kept: %d %v", len(h), err)
	}
	a.dialog.Hide()

	// The answer was recorded for the wrong rifle: a correction takes it
	// back, the earlier steps kept.
	s.openItem(head.Ref, head.ItemID)
	settle(a)
	test.Tap(checkOf(t, w, a.T("ui.tracing.correct")))
	s.change.Status, s.clearAnswer = tracing.RequestSent, true
	test.Tap(button(t, w, a.T("ui.tracing.save")))
	settle(a)
	settle(a)
	h, err = a.svc.TraceHistory(a.ctx, s.open)
	if err != nil || len(h) != 3 {
		t.Fatalf("the correction is not a step of its own: %d %v", len(h), err)
	}
	if last := h[2].Trace; last.Status != tracing.RequestSent || last.Answer != nil || !last.Requests[0].Open() {
		t.Errorf("after the correction: %+v", last)
	}
}

// checkOf is the check box of the label shown in w.
func checkOf(t *testing.T, w fyne.Window, label string) *widget.Check {
	t.Helper()
	var found *widget.Check
	walk(w.Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && c.Text == label {
			found = c
		}
	})
	if found == nil {
		t.Fatalf("no check box %q", label)
	}
	return found
}

// entriesIn are the text fields drawn in o.
func entriesIn(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	walk(o, func(o fyne.CanvasObject) {
		if e, ok := entryOf(o); ok {
			out = append(out, e)
		}
	})
	return out
}

func TestTheRecordViewOffersTheTracingOfItsWeapons(t *testing.T) {
	day := time.Date(2026, 2, 10, 9, 30, 0, 0, time.FixedZone("", 5*3600))
	in := rifleSeizure(day, "ХА 672039", "Ўринов Жасур", "777 ABC 02")
	in.Items = append(in.Items, record.Item{Kind: record.KindAmmunition, Quantity: 1, Ammunition: &record.Ammunition{Calibre: record.Calibre{Code: "7.62x39"}, Rounds: 30}})
	a := officeApp(t, in)
	a.show(newRecordView(a, in.Ref()))
	w := a.Window()
	got := labelsOf(w.Content())
	if n := strings.Count(got, a.T("ui.tracing.request")); n != 1 {
		t.Fatalf("%d tracing request buttons for one rifle and a box of rounds:\n%s", n, got)
	}
	if !strings.Contains(got, a.T("ui.tracing.status")+": "+a.T("enum.trace_status.not_attempted")) {
		t.Errorf("the rifle's tracing status is not shown:\n%s", got)
	}
	test.Tap(button(t, w, a.T("ui.tracing.open")))
	settle(a)
	s, ok := a.screen.(*tracingScreen)
	if !ok || s.open == nil || s.open.ItemID != in.Items[0].ID.String() {
		t.Fatalf("the tracing screen is not open on the rifle")
	}
	test.Tap(button(t, w, a.T("ui.tracing.request")))
	if a.dialog == nil || !strings.Contains(shown(w), a.T("ui.tracing.request_title", "item", in.Number+"#1")) {
		t.Fatalf("no request dialog:\n%s", shown(w))
	}
}
