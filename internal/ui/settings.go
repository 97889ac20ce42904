package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/service"
)

// languageSelect picks one of the languages the catalog has, shown by their
// own names.
func languageSelect(cat *i18n.Catalog, tr *i18n.Translator, value string, changed func(code string)) *widget.Select {
	var codes, labels []string
	for _, l := range i18n.Languages {
		if cat.Has(l) {
			codes = append(codes, l)
			labels = append(labels, tr.T("ui.language."+l))
		}
	}
	s := widget.NewSelect(labels, nil)
	if i := slices.Index(codes, value); i >= 0 {
		s.SetSelectedIndex(i)
	}
	s.OnChanged = func(string) {
		if i := s.SelectedIndex(); i >= 0 {
			changed(codes[i])
		}
	}
	return s
}

// postSettings are the post's details the officer can change, as typed:
// the crossing points are one a line.
type postSettings struct {
	PostName, Agency, CrossingPoints, OfficerName, OfficerRank, Contact string
}

// settings are the typed settings as the service keeps them.
func (p postSettings) settings() service.Settings {
	return service.Settings{
		PostName:       p.PostName,
		Agency:         p.Agency,
		CrossingPoints: service.ParseCrossingPoints(p.CrossingPoints),
		OfficerName:    p.OfficerName,
		OfficerRank:    p.OfficerRank,
		Contact:        p.Contact,
	}
}

func readSettings(ctx context.Context, svc *service.Service) postSettings {
	set, _ := svc.Settings(ctx)
	return postSettings{
		PostName:       set.PostName,
		Agency:         set.Agency,
		CrossingPoints: strings.Join(set.CrossingPoints, "\n"),
		OfficerName:    set.OfficerName,
		OfficerRank:    set.OfficerRank,
		Contact:        set.Contact,
	}
}

// settingsScreen changes the language, the post's details and the officer.
type settingsScreen struct {
	a     *App
	p     *postSettings
	saved bool // the settings were just saved: say so
	// backup is the outcome of the last backup, shown under its button.
	backup    string
	backupErr bool
	backingUp bool
	// backedUp is closed when the backup running ends (tests wait on it).
	backedUp chan struct{}
	// listMsg is the outcome of the last UN list loaded.
	listMsg     string
	listErr     bool
	loadingList bool
}

func newSettings(a *App) *settingsScreen {
	p := readSettings(a.ctx, a.svc)
	return &settingsScreen{a: a, p: &p}
}

func (s *settingsScreen) name() string { return navSettings }

func (s *settingsScreen) build() fyne.CanvasObject {
	a := s.a
	post, _ := a.svc.Post(a.ctx)
	lang := languageSelect(a.cat, a.tr, a.tr.Lang(), func(code string) {
		if code != a.tr.Lang() {
			if err := a.setLang(code); err != nil {
				a.showError(err)
			}
		}
	})
	name := entry(s.p.PostName, func(v string) { s.p.PostName = v })
	agency := entry(s.p.Agency, func(v string) { s.p.Agency = v })
	agency.PlaceHolder = a.T("ui.settings.agency_hint")
	points := widget.NewMultiLineEntry()
	points.SetMinRowsVisible(4)
	points.SetText(s.p.CrossingPoints)
	points.OnChanged = func(v string) { s.p.CrossingPoints = v }
	officer := entry(s.p.OfficerName, func(v string) { s.p.OfficerName = v })
	rank := entry(s.p.OfficerRank, func(v string) { s.p.OfficerRank = v })
	contact := entry(s.p.Contact, func(v string) { s.p.Contact = v })
	contact.PlaceHolder = a.T("ui.settings.contact_hint")
	nameRow := newFieldRow(a.T("ui.settings.post_name"), name)
	state := widget.NewLabel(a.T("ui.settings.saved"))
	state.Importance = widget.SuccessImportance
	state.Hidden = !s.saved
	save := widget.NewButtonWithIcon(a.T("ui.settings.save"), theme.DocumentSaveIcon(), func() {
		nameRow.setError("")
		err := a.svc.SaveSettings(a.ctx, s.p.settings())
		if errors.Is(err, service.ErrPostNameEmpty) {
			nameRow.setError(a.tr.Error(err))
			return
		}
		if err != nil {
			a.showError(err)
			return
		}
		a.svc.Actor = a.actor()
		s.saved = true
		a.rebuild()
	})
	save.Importance = widget.HighImportance
	folder := widget.NewLabel(a.svc.Dir)
	folder.Wrapping = fyne.TextWrapBreak
	code := widget.NewLabel(post.Code)
	return container.NewVScroll(container.NewVBox(
		heading(a.T("ui.nav.settings")),
		widget.NewCard(a.T("ui.settings.language"), "", grid(2, newFieldRow(a.T("ui.settings.language"), lang))),
		widget.NewCard(a.T("ui.settings.post"), "", container.NewVBox(
			grid(2, newFieldRow(a.T("field.post_code"), code), nameRow),
			grid(1, newFieldRow(a.T("ui.settings.agency"), agency)),
			grid(1, newFieldRow(a.T("ui.settings.crossing_points"), points)),
			grid(2, newFieldRow(a.T("ui.settings.officer_name"), officer), newFieldRow(a.T("ui.settings.officer_rank"), rank)),
			grid(1, newFieldRow(a.T("ui.settings.contact"), contact)),
			container.NewHBox(save, state),
		)),
		widget.NewCard(a.T("ui.settings.keys"), "", container.NewHBox(
			widget.NewButtonWithIcon(a.T("ui.settings.manage_keys"), theme.AccountIcon(), func() { a.show(newKeysScreen(a)) }))),
		widget.NewCard(a.T("ui.settings.data_folder"), "", folder),
		s.screeningCard(post.Role == service.RoleOffice),
		s.backupCard(post.Code),
	))
}

// screeningCard says which UN Security Council list names are screened
// against; an office loads a new one from the UN's file, a post from the
// file its office signed (a USB stick: nothing is downloaded), checked
// whole off the UI goroutine.
func (s *settingsScreen) screeningCard(office bool) fyne.CanvasObject {
	a := s.a
	box := container.NewVBox()
	line := a.T("ui.dash.no_list")
	if info, err := a.svc.ListInfo(a.ctx); err != nil {
		line = a.tr.Error(err)
	} else if info != nil {
		line = a.T("ui.dash.list", "date", a.tr.Date(info.Generated), "loaded", a.tr.DateTime(info.LoadedAt.Local()), "entries", info.Entries)
	}
	box.Add(widget.NewLabel(line))
	{
		// An office loads the UN's file; a post the file its office signed.
		label, exts := "ui.settings.load_list", []string{".xml"}
		if !office {
			label, exts = "ui.settings.load_office_list", []string{".kordon-lists"}
		}
		load := widget.NewButtonWithIcon(a.T(label), theme.FolderOpenIcon(), func() {
			a.pickFile(exts, s.loadList)
		})
		if s.loadingList {
			load.Disable()
			box.Add(widget.NewProgressBarInfinite())
		}
		box.Add(container.NewHBox(load))
		if s.listMsg != "" {
			imp := widget.SuccessImportance
			if s.listErr {
				imp = widget.DangerImportance
			}
			box.Add(message(s.listMsg, imp))
		}
	}
	if office {
		box.Add(s.watchEditor())
	}
	return widget.NewCard(a.T("ui.settings.screening"), "", box)
}

// maxWatchShown is how many watch list entries Settings lists; the rest
// are with kordon watch list.
const maxWatchShown = 200

// watchEditor is the office's own watch list: the entries, each with a
// Remove button, and a row to add one.
func (s *settingsScreen) watchEditor() fyne.CanvasObject {
	a := s.a
	box := container.NewVBox(bold(a.T("ui.watch.title")))
	list, err := a.svc.Watch(a.ctx)
	if err != nil {
		box.Add(message(a.tr.Error(err), widget.DangerImportance))
	}
	for i, e := range list {
		if i == maxWatchShown {
			box.Add(widget.NewLabel(a.tr.N("links.hits_more", len(list)-maxWatchShown)))
			break
		}
		id := e.ID
		text := a.T("ui.watch.kind."+e.Kind) + ": " + e.Value
		if e.Reason != "" {
			text += " — " + e.Reason
		}
		if e.Until != "" {
			text += " (" + a.T("ui.watch.until", "date", e.Until) + ")"
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		remove := widget.NewButtonWithIcon(a.T("ui.form.remove"), theme.DeleteIcon(), func() {
			if err := a.svc.RemoveWatch(a.ctx, id); err != nil {
				a.showError(err)
				return
			}
			a.rebuildIf(s)
		})
		box.Add(container.NewBorder(nil, nil, nil, remove, l))
	}
	labels := make([]string, len(service.WatchKinds))
	for i, k := range service.WatchKinds {
		labels[i] = a.T("ui.watch.kind." + k)
	}
	kind := widget.NewSelect(labels, nil)
	kind.SetSelectedIndex(0)
	value, reason, until := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	value.SetPlaceHolder(a.T("ui.watch.value"))
	reason.SetPlaceHolder(a.T("ui.watch.reason"))
	until.SetPlaceHolder(a.T("ui.watch.until_hint"))
	add := widget.NewButtonWithIcon(a.T("ui.watch.add"), theme.ContentAddIcon(), func() {
		if _, err := a.svc.AddWatch(a.ctx, service.WatchKinds[kind.SelectedIndex()], value.Text, reason.Text, until.Text); err != nil {
			a.showError(err)
			return
		}
		a.rebuildIf(s)
	})
	box.Add(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(180, kind.MinSize().Height), kind), add,
		container.NewGridWithColumns(3, value, reason, until)))
	return box
}

// loadList loads the UN list at path on a goroutine.
func (s *settingsScreen) loadList(path string) {
	a := s.a
	s.loadingList, s.listMsg = true, ""
	a.rebuildIf(s)
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		info, err := a.svc.LoadList(a.ctx, path)
		fyne.Do(func() {
			s.loadingList = false
			if err != nil {
				s.listMsg, s.listErr = a.tr.Error(err), true
			} else {
				s.listMsg, s.listErr = a.T("ui.settings.list_loaded", "date", a.tr.Date(info.Generated), "entries", info.Entries), false
			}
			a.rebuildIf(s)
		})
	}()
}

// backupCard makes a backup of the data folder: one file, made while
// Kordon is in use and checked before it is written.
func (s *settingsScreen) backupCard(post string) fyne.CanvasObject {
	a := s.a
	name := fmt.Sprintf("kordon-%s-%s.kordon-backup", post, time.Now().Format("2006-01-02"))
	run := widget.NewButtonWithIcon(a.T("ui.settings.backup_now"), theme.DocumentSaveIcon(), func() {
		a.pickSave(name, s.startBackup)
	})
	box := container.NewVBox(message(a.T("ui.settings.backup_help"), widget.MediumImportance), container.NewHBox(run))
	switch {
	case s.backingUp:
		run.Disable()
		bar := widget.NewProgressBarInfinite()
		box.Add(bar)
	case s.backup != "":
		imp := widget.SuccessImportance
		if s.backupErr {
			imp = widget.DangerImportance
		}
		box.Add(message(s.backup, imp))
	}
	return widget.NewCard(a.T("ui.settings.backup"), "", box)
}

// startBackup writes the backup to path on a goroutine.
func (s *settingsScreen) startBackup(path string) {
	a := s.a
	// The save dialog makes the file it names; a backup is a new file.
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		os.Remove(path)
	}
	svc := a.svc
	s.backingUp, s.backup = true, ""
	s.backedUp = make(chan struct{})
	done := s.backedUp
	a.startJob("ui.close_running.backup", func(j *job) {
		res, err := svc.Backup(j.ctx, path)
		fyne.Do(func() {
			s.backingUp = false
			switch {
			case err != nil && j.stopped():
				s.backup, s.backupErr = a.T("ui.settings.backup_stopped"), true
			case err != nil:
				s.backup, s.backupErr = a.tr.Error(err), true
			default:
				s.backup, s.backupErr = a.T("ui.settings.backup_done", "path", res.Path, "records", a.tr.Number(int64(res.Records))), false
			}
			a.endJob(j)
			a.rebuildIf(s)
			close(done)
		})
	})
	a.rebuild()
}
