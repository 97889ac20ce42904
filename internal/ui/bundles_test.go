package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// postAndOffice opens the application on a post (KZ-DOS, with one final
// record and nine drafts) and on a regional office (KZ-ALM) that trust each
// other, as in internal/service/bundles_test.go.
func postAndOffice(t *testing.T) (post, office *App) {
	t.Helper()
	fa, cat := testEnv(t)
	ctx := context.Background()
	postDir, officeDir := t.TempDir(), t.TempDir()
	setUpFolder(t, postDir)
	osvc, err := service.Init(ctx, officeDir, service.Setup{PostCode: "KZ-ALM", PostName: "Almaty", Office: true})
	if err != nil {
		t.Fatal(err)
	}
	osvc.Close()
	post = openApp(t, fa, cat, postDir)
	office = openApp(t, fa, cat, officeDir)
	ppk, err := post.svc.PublicKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	opk, err := office.svc.PublicKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := office.svc.Trust(ctx, ppk, ""); err != nil {
		t.Fatal(err)
	}
	if err := post.svc.Trust(ctx, opk, ""); err != nil {
		t.Fatal(err)
	}
	addRecords(t, post, 10, time.Now().Add(-time.Hour))
	return post, office
}

// shown is everything the window shows, its dialogs included, as one text.
func shown(w fyne.Window) string {
	var out []string
	collect := func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Check:
			out = append(out, x.Text)
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, collect)
	}
	walk(w.Content(), collect)
	return strings.Join(out, "\n")
}

func wantShown(t *testing.T, w fyne.Window, wants ...string) {
	t.Helper()
	got := shown(w)
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("the window does not show %q; it shows:\n%s", want, got)
		}
	}
}

// exportBundle writes the post's next bundle from the Export screen into a
// new folder and returns the bundle's path.
func exportBundle(t *testing.T, post *App) string {
	t.Helper()
	test.Tap(button(t, post.Window(), "Export"))
	s, ok := post.screen.(*exportScreen)
	if !ok {
		t.Fatalf("the Export entry shows %T", post.screen)
	}
	usb := t.TempDir()
	s.out = usb
	post.rebuild()
	test.Tap(button(t, post.Window(), "Write bundle"))
	waitFor(t, s.finished, "the export or import")
	if s.err != nil {
		t.Fatalf("export: %v", s.err)
	}
	files, _ := filepath.Glob(filepath.Join(usb, "*.kordon"))
	if len(files) != 1 {
		t.Fatalf("the USB folder holds %q", files)
	}
	return files[0]
}

func TestExportScreenWritesABundleAndListsIt(t *testing.T) {
	post, _ := postAndOffice(t)
	w := post.Window()
	path := exportBundle(t, post)
	wantShown(t, w, "Bundle 1 written: "+path, "Record versions: 1 · photos: 0", "Not yet acknowledged",
		"Encrypt the bundle to the regional office KZ-ALM Almaty", filepath.Base(path))

	// Nothing new since: say so, write nothing.
	test.Tap(button(t, w, "Write bundle"))
	waitFor(t, post.screen.(*exportScreen).finished, "the export or import")
	wantShown(t, w, "Nothing new to export.")
	if files, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(files) != 1 {
		t.Errorf("an export with nothing new wrote %q", files)
	}
}

func TestExportScreenWithoutOfficeSaysWhatToDo(t *testing.T) {
	a := newApp(t)
	test.Tap(button(t, a.Window(), "Export"))
	a.screen.(*exportScreen).out = t.TempDir()
	a.rebuild()
	wantShown(t, a.Window(), "does not trust a regional office key yet")
	if !button(t, a.Window(), "Write bundle").Disabled() {
		t.Error("Write bundle is enabled without an office to send to")
	}
	if strings.Contains(shown(a.Window()), "Import") || strings.Contains(shown(a.Window()), "Posts") {
		t.Error("a post shows the office's navigation entries")
	}
}

func TestImportScreenShowsTheSummaryAndTheRecordsAppear(t *testing.T) {
	post, office := postAndOffice(t)
	path := exportBundle(t, post)
	w := office.Window()
	test.Tap(button(t, w, "Import"))
	s := office.screen.(*importScreen)
	s.start([]string{path})
	waitFor(t, s.finished, "the export or import")
	wantShown(t, w, "Post KZ-DOS, bundle 1 imported. New record versions: 1 · already present: 0 · photos: 0")
	if n, err := office.svc.Count(office.ctx, view.Filter{}); err != nil || n != 1 {
		t.Fatalf("the office holds %d records (%v), want 1", n, err)
	}
	if b, err := office.svc.OpenBundle(office.ctx, path); err != nil || !b.Encrypted() {
		t.Errorf("the bundle was not encrypted to the office (%v)", err)
	} else {
		b.Close()
	}

	// The same file again: already imported, nothing changed.
	s.start([]string{path})
	waitFor(t, s.finished, "the export or import")
	wantShown(t, w, "Post KZ-DOS, bundle 1 was imported before: nothing changed.")

	test.Tap(button(t, w, "Show records"))
	if _, ok := office.screen.(*recordsScreen); !ok {
		t.Errorf("Show records shows %T", office.screen)
	}
	// A post's record opens read-only at the office: no editor, no custody.
	page, err := office.svc.List(office.ctx, view.Filter{})
	if err != nil || len(page.Records) != 1 {
		t.Fatalf("List: %v", err)
	}
	office.show(newRecordView(office, page.Records[0].Ref()))
	got := shown(w)
	for _, forbidden := range []string{"Edit", "Finalise", "Add custody event"} {
		if slices.Contains(texts(w), forbidden) {
			t.Errorf("the office is offered %q on a post's record", forbidden)
		}
	}
	if !strings.Contains(got, "it is changed only at that post") {
		t.Errorf("the record does not say it is the post's: %s", got)
	}
	if !slices.Contains(texts(w), "Print protocol") {
		t.Error("the office cannot print a post's record")
	}

	// The office's own part: remarks, kept beside the post's record, which
	// stays as the post signed it.
	before, err := office.svc.Get(office.ctx, page.Records[0].Ref())
	if err != nil {
		t.Fatal(err)
	}
	var remark *cappedEntry
	walk(w.Content(), func(o fyne.CanvasObject) {
		if e, ok := o.(*cappedEntry); ok && e.MultiLine {
			remark = e
		}
	})
	if remark == nil {
		t.Fatal("no field for the office's remark")
	}
	test.Tap(button(t, w, "Add remark"))
	wantShown(t, w, "New remark: required.")
	test.Type(remark, "The same rifle was seized at Torugart in March.")
	test.Tap(button(t, w, "Add remark"))
	wantShown(t, w, ": The same rifle was seized at Torugart in March.")
	after, err := office.svc.Get(office.ctx, page.Records[0].Ref())
	if err != nil || after.Hash != before.Hash || after.Record.Version != before.Record.Version {
		t.Errorf("a remark changed the post's record: %v", err)
	}
	if err := post.svc.AddRemark(post.ctx, page.Records[0].Ref(), "a post's remark"); err == nil {
		t.Error("a post added an office remark")
	}

	// The posts view, and a post's records one click away.
	test.Tap(button(t, w, "Posts"))
	ppk, _ := post.svc.PublicKey(post.ctx)
	wantShown(t, w, "KZ-DOS Dostyk", ppk.Fingerprint(), "Trusted")
	test.Tap(button(t, w, "1 record"))
	rs, ok := office.screen.(*recordsScreen)
	if !ok || rs.filter.PostCode != "KZ-DOS" || rs.total != 1 {
		t.Errorf("the post's records: %T %+v", office.screen, rs)
	}
	var postFilter *widget.Select
	walk(w.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && len(s.Options) > 0 && s.Options[0] == "Any post" {
			postFilter = s
		}
	})
	if postFilter == nil || postFilter.Selected != "KZ-DOS Dostyk" {
		t.Errorf("the office's records list has no post filter set to the post: %+v", postFilter)
	}

	// A receipt from the office marks the bundle acknowledged at the post.
	test.Tap(button(t, w, "Import"))
	s = office.screen.(*importScreen)
	receipt := filepath.Join(t.TempDir(), "KZ-DOS-receipt.txt")
	s.writeReceipt(receipt)
	wantShown(t, w, "Receipt for KZ-DOS written to "+receipt)
	ex := post.screen.(*exportScreen)
	ex.readReceipt(receipt)
	wantShown(t, post.Window(), "Receipt from the office KZ-ALM read: 1 bundle newly acknowledged.", "Acknowledged ")
}

func TestImportScreenRefusedBundleChangesNothing(t *testing.T) {
	post, office := postAndOffice(t)
	path := exportBundle(t, post)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x01
	bad := filepath.Join(t.TempDir(), "bad.kordon")
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	test.Tap(button(t, office.Window(), "Import"))
	s := office.screen.(*importScreen)
	s.start([]string{bad})
	waitFor(t, s.finished, "the export or import")
	if len(s.results) != 1 || s.results[0].err == nil {
		t.Fatalf("a damaged bundle was not refused: %+v", s.results)
	}
	reason := office.tr.Error(s.results[0].err)
	if reason == "" || strings.Contains(reason, "service.err") {
		t.Errorf("the refusal has no message of its own: %q", reason)
	}
	wantShown(t, office.Window(), "Refused: "+reason)
	if n, _ := office.svc.Count(office.ctx, view.Filter{}); n != 0 {
		t.Errorf("a refused bundle left %d records", n)
	}
	views, _ := office.svc.Posts(office.ctx)
	if len(views) != 1 || views[0].Bundles != 0 {
		t.Errorf("a refused bundle changed the ledger: %+v", views)
	}
}

func TestImportScreenShowsAlarmsProminently(t *testing.T) {
	_, office := postAndOffice(t)
	test.Tap(button(t, office.Window(), "Import"))
	s := office.screen.(*importScreen)
	s.results = []importOutcome{{path: "KZ-DOS-000002.kordon",
		err: &service.Error{Key: service.ErrForked.Key, Args: []any{"post", "KZ-DOS", "sequence", "2"}}}}
	office.rebuild()
	wantShown(t, office.Window(), "Alarm: some bundles may come from a cloned device or a stolen key",
		"ALARM. ALARM: bundle 2 of post KZ-DOS does not continue the bundle before it.")
}

// check finds the check box labelled text in the window or its dialogs.
func check(t *testing.T, w fyne.Window, text string) *widget.Check {
	t.Helper()
	var c *widget.Check
	find := func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.Check); ok && x.Text == text && c == nil {
			c = x
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, find)
	}
	walk(w.Content(), find)
	if c == nil {
		t.Fatalf("no check box %q in %s", text, shown(w))
	}
	return c
}

func TestTrustingAKeyNeedsTheConfirmation(t *testing.T) {
	fa, cat := testEnv(t)
	ctx := context.Background()
	officeDir, postDir := t.TempDir(), t.TempDir()
	osvc, err := service.Init(ctx, officeDir, service.Setup{PostCode: "KZ-ALM", PostName: "Almaty", Office: true})
	if err != nil {
		t.Fatal(err)
	}
	osvc.Close()
	setUpFolder(t, postDir)
	post := openApp(t, fa, cat, postDir)
	office := openApp(t, fa, cat, officeDir)
	w := office.Window()

	// The post exports its key file; exporting again to the same file (the
	// save dialog asked first) replaces it with the same key.
	test.Tap(button(t, post.Window(), "Settings"))
	test.Tap(button(t, post.Window(), "This device's key and trusted keys…"))
	keyFile := filepath.Join(t.TempDir(), "KZ-DOS.pub")
	post.screen.(*keysScreen).exportKey(keyFile)
	first, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := bundle.ParsePublicKey(first)
	if err != nil {
		t.Fatal(err)
	}
	wantShown(t, post.Window(), "Public key written to "+keyFile, pk.Fingerprint())
	post.screen.(*keysScreen).exportKey(keyFile)
	if again, err := os.ReadFile(keyFile); err != nil || !bytes.Equal(again, first) {
		t.Errorf("the key file exported again differs: %v", err)
	}
	if left, _ := filepath.Glob(keyFile + "*.partial"); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}

	test.Tap(button(t, w, "Settings"))
	test.Tap(button(t, w, "This device's key and trusted keys…"))
	k := office.screen.(*keysScreen)
	wantShown(t, w, "No key is trusted yet.")
	k.readKey(keyFile)
	wantShown(t, w, "Trust this key?", "KZ-DOS Dostyk", pk.Fingerprint())
	trust := button(t, w, "Trust")
	if !trust.Disabled() {
		t.Fatal("Trust is enabled before the fingerprint is confirmed")
	}
	test.Tap(trust)
	if keys, _ := office.svc.TrustedKeys(ctx); len(keys) != 0 {
		t.Fatal("the key was trusted without the confirmation")
	}
	test.Tap(check(t, w, "The fingerprint matches the one read to me over the phone"))
	test.Tap(trust)
	keys, err := office.svc.TrustedKeys(ctx)
	if err != nil || len(keys) != 1 || keys[0].Fingerprint != pk.Fingerprint() {
		t.Fatalf("trusted keys %+v, %v", keys, err)
	}
	wantShown(t, w, "The key of KZ-DOS ("+pk.Fingerprint()+") is now trusted.", "Trusted since")

	// Revoking asks first.
	test.Tap(button(t, w, "Revoke"))
	wantShown(t, w, "Stop trusting the key of KZ-DOS")
	test.Tap(button(t, w, "Revoke")) // the dialog's
	keys, _ = office.svc.TrustedKeys(ctx)
	if len(keys) != 1 || keys[0].Revoked == nil {
		t.Fatalf("the key was not revoked: %+v", keys)
	}
	wantShown(t, w, "Revoked ")
}

func TestPrintProtocolWritesAPDF(t *testing.T) {
	a := newApp(t)
	addRecords(t, a, 1, time.Now().Add(-time.Hour))
	page, err := a.svc.List(a.ctx, view.Filter{})
	if err != nil || len(page.Records) != 1 {
		t.Fatalf("List: %v %v", page.Records, err)
	}
	a.show(newRecordView(a, page.Records[0].ID))
	cur, err := a.svc.Get(a.ctx, page.Records[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(button(t, a.Window(), "Print protocol"))
	wantShown(t, a.Window(), "Second language", filepath.Join(a.svc.Dir, "protocols"))
	// Russian as the second language.
	var second *widget.Select
	for _, o := range a.Window().Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if s, ok := o.(*widget.Select); ok && s.Selected == "None" {
				second = s
			}
		})
	}
	if second == nil {
		t.Fatal("no second-language choice")
	}
	second.SetSelected("Русский")
	test.Tap(button(t, a.Window(), "Print protocol")) // the dialog's
	path := a.protocolFile(cur.Record, 0)
	if filepath.Dir(path) != filepath.Join(a.svc.Dir, "protocols") || filepath.Ext(path) != ".pdf" {
		t.Errorf("protocol written to %s", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no protocol: %v", err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Errorf("the protocol is not a PDF: %q", data[:min(len(data), 16)])
	}
}

// A bundle's gap warning says what is missing now: once the missing bundle
// is imported, the earlier warning goes.
func TestAGapWarningGoesOnceTheMissingBundleArrives(t *testing.T) {
	post, office := postAndOffice(t)
	first := exportBundle(t, post)
	addRecords(t, post, 1, time.Now().Add(-time.Minute))
	second := exportBundle(t, post)
	w := office.Window()
	test.Tap(button(t, w, "Import"))
	s := office.screen.(*importScreen)
	s.start([]string{second})
	waitFor(t, s.finished, "the import")
	wantShown(t, w, "Bundles missing before this one: 1.")
	s.start([]string{first})
	waitFor(t, s.finished, "the import")
	if strings.Contains(shown(w), "Bundles missing before this one") {
		t.Error("the gap warning stays after the missing bundle arrived")
	}
}
