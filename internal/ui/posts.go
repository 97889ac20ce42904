package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// postsScreen shows the office what it knows of each post key it trusts:
// the bundles imported, when the last one came, and the bundles missing.
type postsScreen struct{ a *App }

func newPostsScreen(a *App) *postsScreen { return &postsScreen{a: a} }

func (s *postsScreen) name() string { return navPosts }

func (s *postsScreen) build() fyne.CanvasObject {
	a := s.a
	keys := widget.NewButtonWithIcon(a.T("ui.settings.keys"), theme.AccountIcon(), func() { a.show(newKeysScreen(a)) })
	top := container.NewBorder(nil, nil, heading(a.T("ui.posts.title")), keys)
	views, err := a.svc.Posts(a.ctx)
	if err != nil {
		return container.NewBorder(top, nil, nil, nil, message(a.tr.Error(err), widget.DangerImportance))
	}
	if len(views) == 0 {
		return container.NewBorder(top, nil, nil, nil, container.NewVBox(message(a.T("ui.posts.none"), widget.MediumImportance)))
	}
	widths := []float32{0.15, 0.2, 0.08, 0.14, 0.08, 0.1, 0.1, 0.15}
	row := func(texts ...string) *fyne.Container {
		cells := make([]fyne.CanvasObject, len(texts))
		for i, t := range texts {
			l := widget.NewLabel(t)
			l.Truncation = fyne.TextTruncateEllipsis
			cells[i] = l
		}
		return container.New(&tableRow{widths: widths}, cells...)
	}
	head := row(a.T("ui.keys.post"), a.T("ui.keys.fingerprint"), a.T("ui.posts.last_seq"), a.T("ui.posts.last_import"),
		a.T("ui.posts.bundles"), a.T("ui.posts.gaps"), a.T("ui.posts.state"), a.T("ui.nav.records"))
	for _, c := range head.Objects {
		c.(*widget.Label).TextStyle.Bold = true
	}
	body := container.NewVBox()
	for _, v := range views {
		last := ""
		if !v.LastImport.IsZero() {
			last = a.tr.DateTime(v.LastImport.Local())
		}
		state := a.T("ui.posts.active")
		if v.Key.Revoked != nil {
			state = a.T("ui.keys.revoked", "date", a.tr.DateTime(v.Key.Revoked.Local()))
		}
		r := row(v.Key.PostCode+" "+v.Key.Name, v.Key.Fingerprint, strconv.FormatInt(v.LastSequence, 10), last,
			a.tr.Number(int64(v.Bundles)), v.Gaps, state, "")
		code := v.Key.PostCode
		// The post's records, one click away.
		r.Objects[7] = widget.NewButtonWithIcon(a.tr.N("ui.records.count", v.Records), theme.ListIcon(), func() {
			rs := newRecords(a)
			rs.filter.PostCode = code
			a.show(rs)
		})
		r.Objects[1].(*widget.Label).TextStyle.Monospace = true
		if v.Gaps != "" {
			r.Objects[5].(*widget.Label).Importance = widget.WarningImportance
		}
		if v.Key.Revoked != nil {
			r.Objects[6].(*widget.Label).Importance = widget.DangerImportance
		}
		body.Add(r)
	}
	return container.NewBorder(container.NewVBox(top, head, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(body))
}
