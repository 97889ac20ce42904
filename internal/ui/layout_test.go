package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"

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
		a.navigate(navRecords)
		check("records list")
		r := a.screen.(*recordsScreen)
		a.show(newRecordView(a, r.at(0).ID))
		check("record view")
		a.navigate(navDashboard)
		check("dashboard")
		a.navigate(navSettings)
		check("settings")
	}
}
