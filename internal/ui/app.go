// Package ui is Kordon's desktop application: the first-run setup, the
// dashboard, the records list and search, the record view with its history,
// the interdiction form with autosave, and the settings. It is the only
// package that knows Fyne; everything it does goes through internal/service,
// so the desktop application and the command line behave the same.
//
// Every visible text comes from the application's own catalogs
// (internal/i18n), so the officer can change the language while the window
// is open: the window's content is rebuilt from the new catalog.
package ui

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/service"
)

// App is the desktop application on one data folder.
type App struct {
	fa  fyne.App
	cat *i18n.Catalog
	tr  *i18n.Translator
	dir string
	svc *service.Service
	win fyne.Window

	getenv func(string) string
	ctx    context.Context
	// keepLang keeps the language New was given over the folder's own.
	keepLang bool

	// screen is what the main window shows; rebuild redraws it.
	screen screen
	// working is the export or import screen whose work is still running:
	// its navigation entry shows it again rather than a fresh screen.
	working screen
	thumbs  thumbCache // decoded thumbnails by SHA-256
	dialog  dialog.Dialog
	// background counts work that uses the store off the UI goroutine
	// (print forms of new photos); close waits for it.
	background sync.WaitGroup
	// jobs are the long tasks running (export, import, backup), oldest
	// first; closing the window asks before stopping them.
	jobs []*job
}

// screen is one view of the main window. Its state lives in the value, so it
// can be rebuilt in another language without losing what was typed.
type screen interface {
	// build makes the screen's widgets from its state.
	build() fyne.CanvasObject
	// name is the navigation entry it belongs to (navDashboard…).
	name() string
}

// New prepares the application on the data folder dir, speaking lang until
// the data folder names the officer's own language. getenv (os.Getenv when
// nil) names the officer for the audit log.
func New(fa fyne.App, cat *i18n.Catalog, dir, lang string, getenv func(string) string) *App {
	if getenv == nil {
		getenv = os.Getenv
	}
	fa.Settings().SetTheme(newTheme())
	if ic := appIcon(); ic != nil {
		fa.SetIcon(ic)
	}
	return &App{fa: fa, cat: cat, tr: cat.For(lang), dir: dir, getenv: getenv, ctx: context.Background()}
}

// KeepLanguage keeps the language New was given (kordon --lang) over the
// one the data folder names, until the officer chooses another.
func (a *App) KeepLanguage() { a.keepLang = true }

// Start opens the window: the setup form when the data folder is not set up
// yet, the main window otherwise. It returns the window, already shown.
func (a *App) Start() (fyne.Window, error) {
	a.win = a.fa.NewWindow("Kordon")
	a.win.Resize(fyne.NewSize(1024, 700))
	a.win.SetOnClosed(a.close)
	a.win.SetCloseIntercept(a.askClose)
	// The desktop waits a little for another Kordon writing to the folder
	// (an import); its windows must not freeze for the length of one.
	svc, err := service.Open(a.ctx, a.dir, service.WithBusyWait(15*time.Second, nil))
	switch {
	case errors.Is(err, service.ErrNotSetUp):
		a.win.SetContent(newSetup(a).build())
	case err != nil:
		// An empty, damaged or foreign database: say so in the window, where
		// the officer looks, and leave the folder as it is.
		a.win.SetContent(a.folderProblem(err))
	default:
		a.opened(svc)
	}
	a.win.Show()
	return a.win, nil
}

// folderProblem says why the data folder cannot be opened.
func (a *App) folderProblem(err error) fyne.CanvasObject {
	msg := message(a.tr.Error(err), widget.DangerImportance)
	folder := widget.NewLabel(a.T("ui.settings.data_folder") + ": " + a.dir)
	folder.Wrapping = fyne.TextWrapBreak
	quit := widget.NewButtonWithIcon(a.T("ui.close"), theme.CancelIcon(), func() { a.win.Close() })
	return container.NewVBox(heading(a.T("ui.folder_problem")), msg, folder, container.NewHBox(quit))
}

// Window is the application's window.
func (a *App) Window() fyne.Window { return a.win }

// Service is the open data folder, nil before setup.
func (a *App) Service() *service.Service { return a.svc }

// close saves what the form holds and closes the data folder.
func (a *App) close() {
	if f, ok := a.screen.(*formScreen); ok && a.svc != nil {
		f.flush()
		f.stop()
	}
	for _, j := range a.jobs {
		j.cancel()
		<-j.done
	}
	a.background.Wait()
	if a.svc != nil {
		a.svc.Close()
		a.svc = nil
	}
}

// opened shows the main window on an open data folder.
func (a *App) opened(svc *service.Service) {
	a.svc = svc
	if l, _ := svc.Lang(a.ctx); l != "" && !a.keepLang {
		a.tr = a.cat.For(l)
	}
	svc.Actor = a.actor()
	a.addShortcuts()
	a.show(newDashboard(a))
	if forms, err := svc.Unsaved(a.ctx); err == nil {
		a.offerUnsaved(forms)
	}
}

// actor names the officer for the audit log: the officer set in the
// settings, else the operating system's user.
func (a *App) actor() string {
	if set, _ := a.svc.Settings(a.ctx); set.OfficerName != "" {
		return set.OfficerName
	}
	return service.DefaultActor(a.getenv)
}

// T translates key in the current language.
func (a *App) T(key string, args ...any) string { return a.tr.T(key, args...) }

// show makes s the main window's content.
func (a *App) show(s screen) {
	if old, ok := a.screen.(*formScreen); ok && old != s {
		old.leave()
	}
	a.screen = s
	a.rebuild()
}

// rebuildIf redraws the main window if it still shows s and the data
// folder is still open, for work that ends on another goroutine.
func (a *App) rebuildIf(s screen) {
	if a.screen == s && a.svc != nil {
		a.rebuild()
	}
}

// rebuild redraws the main window in the current language.
func (a *App) rebuild() {
	post, _ := a.svc.Post(a.ctx)
	a.win.SetTitle(a.T("ui.window_title", "post", post.Name))
	body := a.screen.build()
	a.win.SetContent(container.NewBorder(nil, nil, container.NewHBox(a.navigation(), widget.NewSeparator()), nil, body))
}

// Navigation entries.
const (
	navDashboard = "dashboard"
	navNew       = "new"
	navRecords   = "records"
	navLinks     = "links"
	navExport    = "export"
	navImport    = "import"
	navPosts     = "posts"
	navSettings  = "settings"
)

// navEntries are the navigation entries of this data folder's role: a post
// exports bundles, an office imports them and watches its posts.
func (a *App) navEntries() []string {
	if a.isOffice() {
		return []string{navDashboard, navNew, navRecords, navLinks, navTracing, navImport, navPosts, navSettings}
	}
	return []string{navDashboard, navNew, navRecords, navLinks, navExport, navSettings}
}

// isOffice reports whether the data folder is a regional office's.
func (a *App) isOffice() bool {
	post, err := a.svc.Post(a.ctx)
	return err == nil && post.Role == service.RoleOffice
}

// navigation is the column of buttons on the left; the current screen's is
// highlighted. It keeps the width of its longest label in every language.
func (a *App) navigation() fyne.CanvasObject {
	box := container.NewVBox()
	for _, n := range a.navEntries() {
		b := widget.NewButton(a.T("ui.nav."+n), func() { a.navigate(n) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		if a.screen != nil && a.screen.name() == n {
			b.Importance = widget.HighImportance
		}
		box.Add(b)
	}
	return box
}

func (a *App) navigate(name string) {
	switch name {
	case navDashboard:
		a.show(newDashboard(a))
	case navNew:
		a.show(newForm(a, nil))
	case navRecords:
		a.show(newRecords(a))
	case navLinks:
		a.show(newLinksScreen(a))
	case navTracing:
		a.show(newTracingScreen(a))
	case navExport:
		if s, ok := a.working.(*exportScreen); ok {
			a.show(s)
		} else {
			a.show(newExportScreen(a))
		}
	case navImport:
		if s, ok := a.working.(*importScreen); ok {
			a.show(s)
		} else {
			a.show(newImportScreen(a))
		}
	case navPosts:
		a.show(newPostsScreen(a))
	case navSettings:
		a.show(newSettings(a))
	}
}

func (a *App) addShortcuts() {
	c := a.win.Canvas()
	ctrl := func(k fyne.KeyName, f func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { f() })
	}
	ctrl(fyne.KeyS, func() {
		if f, ok := a.screen.(*formScreen); ok {
			f.save()
		}
	})
	ctrl(fyne.KeyN, func() { a.navigate(navNew) })
	ctrl(fyne.KeyF, func() {
		r := newRecords(a)
		a.show(r)
		a.win.Canvas().Focus(r.search)
	})
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape && a.dialog != nil {
			a.dialog.Hide()
			a.dialog = nil
		}
	})
}

// showDialog shows d and remembers it, so Esc can close it.
func (a *App) showDialog(d dialog.Dialog) {
	a.dialog = d
	d.SetOnClosed(func() {
		if a.dialog == d {
			a.dialog = nil
		}
	})
	d.Show()
}

// showError tells the officer what went wrong, in their language.
func (a *App) showError(err error) {
	if err == nil {
		return
	}
	lbl := widget.NewLabel(a.tr.Error(err))
	lbl.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(a.T("ui.error_title"), a.T("ui.close"), container.NewGridWrap(fyne.NewSize(460, 120), lbl), a.win)
	a.showDialog(d)
}

// confirm asks a yes/no question; no, if given, runs on the answer no.
func (a *App) confirm(title, message, yes string, f func(), no ...func()) {
	lbl := widget.NewLabel(message)
	lbl.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, yes, a.T("ui.cancel"), container.NewGridWrap(fyne.NewSize(420, 90), lbl), func(ok bool) {
		if ok {
			f()
		} else if len(no) > 0 {
			no[0]()
		}
	}, a.win)
	a.showDialog(d)
}

// setLang switches the language now and keeps it for the next start.
func (a *App) setLang(code string) error {
	a.tr = a.cat.For(code)
	if a.svc != nil {
		if err := a.svc.SetLang(a.ctx, a.tr.Lang()); err != nil {
			return err
		}
		a.rebuild()
	}
	return nil
}
