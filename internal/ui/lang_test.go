package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
)

// cardTitles lists the titles of the cards in the window: the form's groups.
func cardTitles(w fyne.Window) []string {
	var out []string
	walk(w.Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Card); ok && c.Title != "" {
			out = append(out, c.Title)
		}
	})
	return out
}

// TestLanguageSwitchRelabelsTheOpenWindowInEveryLanguage switches the open
// form, with an item and a typed plate, through each of the eight
// languages, and checks that the navigation, the form's title, group titles
// and buttons are the catalog's strings for that language, that nothing of
// the language before is left, and that what was typed stays.
func TestLanguageSwitchRelabelsTheOpenWindowInEveryLanguage(t *testing.T) {
	if len(i18n.Languages) != 8 {
		t.Fatalf("%d languages, want the eight of the region: %q", len(i18n.Languages), i18n.Languages)
	}
	noAutosave(t)
	a := newApp(t)
	w := a.Window()
	f := openForm(t, a)
	test.Type(f.widget(t, "conveyance.plate").(*cappedEntry), "777 ABC 02")
	test.Tap(button(t, w, "Firearm"))

	groups := []string{"ui.group.when", "ui.group.conveyance", "ui.group.items", "ui.group.photos",
		"ui.group.custody", "ui.group.circumstances", "ui.group.witnesses"}
	buttons := []string{"ui.form.save", "ui.form.finalise", "ui.form.close", "ui.form.add_person",
		"ui.form.add_organisation", "ui.form.add_custody", "ui.form.duplicate"}
	var before []string
	// Round trip: en → … → uz-Cyrl → en, so every language follows another.
	for _, lang := range append(slices.Clone(i18n.Languages[1:]), i18n.Languages[0]) {
		t.Run(lang, func(t *testing.T) {
			if err := a.setLang(lang); err != nil {
				t.Fatal(err)
			}
			if a.tr.Lang() != lang {
				t.Fatalf("language is %s", a.tr.Lang())
			}
			tr := a.cat.For(lang)
			got := texts(w)
			var want []string
			for _, n := range a.navEntries() {
				want = append(want, tr.T("ui.nav."+n))
			}
			for _, k := range buttons {
				want = append(want, tr.T(k))
			}
			want = append(want, tr.T("ui.form.new_title"), tr.T("ui.form.item_title", "n", "1", "kind", tr.T("enum.item_kind.firearm")))
			for _, s := range want {
				if !slices.Contains(got, s) {
					t.Errorf("%q is not shown", s)
				}
			}
			titles := cardTitles(w)
			var wantTitles []string
			for _, k := range groups {
				wantTitles = append(wantTitles, tr.T(k))
			}
			if !slices.Equal(titles, wantTitles) {
				t.Errorf("group titles %q, want %q", titles, wantTitles)
			}
			for _, s := range before {
				if !slices.Contains(want, s) && !slices.Contains(wantTitles, s) && (slices.Contains(got, s) || slices.Contains(titles, s)) {
					t.Errorf("%q of the language before is still shown", s)
				}
			}
			before = append(want, wantTitles...)
			if e := f.widget(t, "conveyance.plate").(*cappedEntry); e.Text != "777 ABC 02" {
				t.Errorf("the plate reads %q", e.Text)
			}
			if l, _ := a.svc.Lang(a.ctx); l != lang {
				t.Errorf("saved language %q", l)
			}
		})
	}
}
