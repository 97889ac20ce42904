package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
)

// smallScreen is the smallest screen Kordon must fit: a 1024×768 laptop,
// less a title bar and a task bar. A window never shrinks below its
// content's minimum size, so content wider or taller than this pushes the
// window off such a screen.
var smallScreen = fyne.NewSize(1024, 700)

// TestEveryScreenFitsASmallScreen checks, in every language, that the main
// screens' content asks for no more than smallScreen: the form with one item
// of each kind, an organisation and a custody event, the records list, the
// record view, the dashboard and the settings.
func TestEveryScreenFitsASmallScreen(t *testing.T) {
	a := newApp(t)
	addRecords(t, a, 3, time.Now().Add(-time.Hour))
	for _, lang := range i18n.Languages {
		if err := a.setLang(lang); err != nil {
			t.Fatal(err)
		}
		check := func(screen string) {
			t.Helper()
			if m := a.Window().Content().MinSize(); m.Width > smallScreen.Width || m.Height > smallScreen.Height {
				t.Errorf("%s: the %s asks for %.0f×%.0f, more than %.0f×%.0f", lang, screen, m.Width, m.Height, smallScreen.Width, smallScreen.Height)
			}
		}
		f := openForm(t, a)
		for _, k := range record.ItemKinds.Codes {
			f.rec.Items = append(f.rec.Items, newItem(k))
		}
		f.rec.People = append(f.rec.People, record.Person{Role: "driver"}, record.Person{Role: "witness"})
		f.rec.Organisations = append(f.rec.Organisations, record.Organisation{Role: "carrier"})
		f.rec.Custody = append(f.rec.Custody, newCustodyEvent(time.Local))
		a.rebuild()
		check("form")
		squeezed(t, a.Window(), lang)
		a.navigate(navRecords)
		check("records list")
		squeezed(t, a.Window(), lang)
		r := a.screen.(*recordsScreen)
		a.show(newRecordView(a, r.at(0).ID))
		check("record view")
		squeezed(t, a.Window(), lang)
		a.navigate(navDashboard)
		check("dashboard")
		squeezed(t, a.Window(), lang)
		a.navigate(navSettings)
		check("settings")
		squeezed(t, a.Window(), lang)
	}
}

// TestLongLabelsWrapAndFieldsStayLevel: a label too long for its column
// wraps instead of being cut short, and the fields of its row move down
// with it, so they stay level.
func TestLongLabelsWrapAndFieldsStayLevel(t *testing.T) {
	testEnv(t)
	long, short := widget.NewEntry(), widget.NewEntry()
	longRow := newFieldRow("Кишвари истеҳсол (аз рӯи тамғагузорӣ), ки дар силоҳ навишта шудааст", long)
	g := grid(2, longRow, newFieldRow("Соли истеҳсол", short))
	w := test.NewWindow(g)
	defer w.Close()
	w.Resize(fyne.NewSize(420, 400))
	g.Refresh()
	label := g.(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*widget.Label)
	if label.Truncation != fyne.TextTruncateOff || label.Wrapping != fyne.TextWrapWord {
		t.Errorf("label truncation %v, wrapping %v", label.Truncation, label.Wrapping)
	}
	one := widget.NewLabel("Соли")
	one.TextStyle.Bold = true
	if label.Size().Height < 1.5*one.MinSize().Height {
		t.Errorf("the long label is %.0f high, one line is %.0f: it does not wrap", label.Size().Height, one.MinSize().Height)
	}
	if long.Position().Y != short.Position().Y || long.Position().Y < label.Size().Height {
		t.Errorf("fields at y=%.0f and y=%.0f under a label %.0f high", long.Position().Y, short.Position().Y, label.Size().Height)
	}
}

// squeezed reports the buttons that the window, at smallScreen's size,
// gives less room than their text needs: their text would be cut or run
// over their neighbours.
func squeezed(t *testing.T, w fyne.Window, lang string) {
	t.Helper()
	old := w.Canvas().Size()
	w.Resize(smallScreen)
	defer w.Resize(old)
	walk(w.Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Visible() && b.Size().Width+0.5 < b.MinSize().Width {
			t.Errorf("%s: button %q is %.0f wide, its text needs %.0f", lang, b.Text, b.Size().Width, b.MinSize().Width)
		}
	})
}
