package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
)

// TestTheFormWarnsOfAListedPersonAsTheOfficerTypes: the post holds its
// office's list; typing a listed name warns under the person, and saving
// keeps the alert in the audit trail.
func TestTheFormWarnsOfAListedPersonAsTheOfficerTypes(t *testing.T) {
	list := "../../../shared/data/un-sc-consolidated-2020-03-20.xml"
	if _, err := os.Stat(list); err != nil {
		t.Skip("the UN list is not here")
	}
	ctx := context.Background()
	post, office := postAndOffice(t)
	if _, err := office.svc.LoadList(ctx, list); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "un.kordon-lists")
	if _, err := office.svc.ExportLists(ctx, file, false); err != nil {
		t.Fatal(err)
	}
	if _, err := post.svc.LoadList(ctx, file); err != nil {
		t.Fatal(err)
	}

	p, err := post.svc.Post(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec := &record.Interdiction{ID: record.NewID(p.DeviceID), Status: record.StatusDraft, PostCode: "KZ-DOS",
		OccurredAt: time.Now().Truncate(time.Minute), People: []record.Person{{ID: uuid.New(), Role: "driver"}}}
	f := newForm(post, rec)
	post.show(f)
	test.Type(entryAt(t, f, "people[0].name"), "Гулмурод Ҳалимов")
	time.Sleep(3 * ScreenDelay)
	post.background.Wait()
	if got := f.listedText["people[0]"]; !strings.Contains(got, "On the UN Security Council list: GULMUROD KHALIMOV (QDi.372, Al-Qaida)") {
		t.Fatalf("no warning under the person: %q", got)
	}
	if l := f.listed["people[0]"]; l == nil || !l.Visible() {
		t.Fatal("the warning is not shown")
	}
	if !f.save() {
		t.Fatal("not saved")
	}
	audit, err := post.svc.Audit(ctx, f.rec.Ref())
	if err != nil {
		t.Fatal(err)
	}
	alerts := 0
	for _, e := range audit {
		if e.Action == "alert" {
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("%d alerts in the record's audit trail, want 1", alerts)
	}
	f.touch()
	f.save()
	if audit, _ = post.svc.Audit(ctx, f.rec.Ref()); len(audit) > 0 {
		n := 0
		for _, e := range audit {
			if e.Action == "alert" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("saving again raised the alert again: %d", n)
		}
	}
	if _, err := post.svc.CheckAudit(ctx); err != nil {
		t.Errorf("audit: %v", err)
	}
}

func entryAt(t *testing.T, f *formScreen, path string) *cappedEntry {
	t.Helper()
	e, ok := f.widget(t, path).(*cappedEntry)
	if !ok {
		t.Fatalf("%s is %T", path, f.widget(t, path))
	}
	return e
}

// TestTheOfficesWatchListWarnsAtThePost: the office puts a serial on its
// watch list in Settings; the post, with the office's list file, is warned
// under the weapon as the officer types its serial.
func TestTheOfficesWatchListWarnsAtThePost(t *testing.T) {
	list := "../../../shared/data/un-sc-consolidated-2020-03-20.xml"
	if _, err := os.Stat(list); err != nil {
		t.Skip("the UN list is not here")
	}
	ctx := context.Background()
	post, office := postAndOffice(t)
	if _, err := office.svc.LoadList(ctx, list); err != nil {
		t.Fatal(err)
	}
	office.navigate(navSettings)
	var value, reason *widget.Entry
	walk(office.Window().Content(), func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok {
			switch e.PlaceHolder {
			case office.T("ui.watch.value"):
				value = e
			case office.T("ui.watch.reason"):
				reason = e
			}
		}
	})
	if value == nil || reason == nil {
		t.Fatal("no watch list editor in the office's settings")
	}
	test.Type(value, "ХА-672039")
	test.Type(reason, "автомат из тайника")
	test.Tap(button(t, office.Window(), office.T("ui.watch.add")))
	if l, _ := office.svc.Watch(ctx); len(l) != 1 || l[0].Key != "XA672039" {
		t.Fatalf("the watch list holds %+v", l)
	}
	file := filepath.Join(t.TempDir(), "un.kordon-lists")
	if _, err := office.svc.ExportLists(ctx, file, false); err != nil {
		t.Fatal(err)
	}
	if _, err := post.svc.LoadList(ctx, file); err != nil {
		t.Fatal(err)
	}
	p, _ := post.svc.Post(ctx)
	rec := &record.Interdiction{ID: record.NewID(p.DeviceID), Status: record.StatusDraft, PostCode: "KZ-DOS",
		OccurredAt: time.Now().Truncate(time.Minute), Items: []record.Item{newItem(record.KindFirearm)}}
	f := newForm(post, rec)
	post.show(f)
	test.Type(entryAt(t, f, "items[0].firearm.serials[0].number"), "XA 672039")
	time.Sleep(3 * ScreenDelay)
	post.background.Wait()
	if got := f.listedText["items[0]"]; !strings.Contains(got, "On the office's watch list: serial number XA 672039. автомат из тайника") {
		t.Fatalf("no warning under the weapon: %q", got)
	}
}
