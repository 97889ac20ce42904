package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/service"
)

// setupScreen is the first-run form: the language, the post and the officer.
type setupScreen struct {
	a        *App
	code     string
	settings postSettings
}

func newSetup(a *App) *setupScreen { return &setupScreen{a: a} }

// submit sets the data folder up and opens the main window.
func (s *setupScreen) submit() error {
	a := s.a
	svc, err := service.Init(a.ctx, a.dir, service.Setup{PostCode: s.code, PostName: s.settings.PostName, Agency: s.settings.Agency})
	if err != nil {
		return err
	}
	err = svc.SaveSettings(a.ctx, s.settings.settings())
	if err == nil {
		err = svc.SetLang(a.ctx, a.tr.Lang())
	}
	if err != nil {
		svc.Close()
		return err
	}
	a.opened(svc)
	return nil
}

func (s *setupScreen) build() fyne.CanvasObject {
	a := s.a
	lang := languageSelect(a.cat, a.tr, a.tr.Lang(), func(code string) {
		a.tr = a.cat.For(code)
		a.win.SetContent(s.build())
	})
	code := entry(s.code, func(v string) { s.code = v })
	code.PlaceHolder = "KZ-DOS"
	name := entry(s.settings.PostName, func(v string) { s.settings.PostName = v })
	agency := entry(s.settings.Agency, func(v string) { s.settings.Agency = v })
	agency.PlaceHolder = a.T("ui.settings.agency_hint")
	points := widget.NewMultiLineEntry()
	points.SetMinRowsVisible(3)
	points.SetText(s.settings.CrossingPoints)
	points.OnChanged = func(v string) { s.settings.CrossingPoints = v }
	officer := entry(s.settings.OfficerName, func(v string) { s.settings.OfficerName = v })
	rank := entry(s.settings.OfficerRank, func(v string) { s.settings.OfficerRank = v })

	codeRow := newFieldRow(a.T("field.post_code"), code)
	nameRow := newFieldRow(a.T("ui.settings.post_name"), name)
	general := newFieldRow("", nil)
	start := widget.NewButtonWithIcon(a.T("ui.setup.start"), theme.ConfirmIcon(), func() {
		codeRow.setError("")
		nameRow.setError("")
		general.setError("")
		err := s.submit()
		switch {
		case err == nil:
		case errors.Is(err, service.ErrBadPostCode):
			codeRow.setError(a.tr.Error(err))
		case errors.Is(err, service.ErrPostNameEmpty):
			nameRow.setError(a.tr.Error(err))
		default:
			general.setError(a.tr.Error(err))
		}
	})
	start.Importance = widget.HighImportance
	intro := widget.NewLabel(a.T("ui.setup.intro"))
	intro.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(
		heading(a.T("ui.setup.title")),
		intro,
		grid(1, newFieldRow(a.T("ui.settings.language"), lang)),
		grid(2, codeRow, nameRow),
		grid(1, newFieldRow(a.T("ui.settings.agency"), agency)),
		grid(1, newFieldRow(a.T("ui.settings.crossing_points"), points)),
		grid(2, newFieldRow(a.T("ui.settings.officer_name"), officer), newFieldRow(a.T("ui.settings.officer_rank"), rank)),
		general.err,
		container.NewHBox(start),
	)
	// The scroll fills the window and the form stands in its middle: a
	// scroll inside a centring container would get only its own minimum
	// size, a sliver, and hide the form.
	w := container.NewGridWrap(fyne.NewSize(640, form.MinSize().Height), form)
	return container.NewVScroll(container.NewCenter(w))
}
