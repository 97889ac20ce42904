package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/service"
)

// dialogSize is the size of the file and folder dialogs: roomy enough to
// read long folder names on a USB stick.
var dialogSize = fyne.NewSize(860, 560)

// pickFolder asks for a folder and gives its path to f.
func (a *App) pickFolder(f func(path string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if u != nil {
			f(u.Path())
		}
	}, a.win)
	d.Resize(dialogSize)
	a.showDialog(d)
}

// pickFile asks for an existing file, showing only names ending in one of
// exts when exts is not empty, and gives its path to f.
func (a *App) pickFile(exts []string, f func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if r != nil {
			r.Close()
			f(r.URI().Path())
		}
	}, a.win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(dialogSize)
	a.showDialog(d)
}

// pickSave asks where to save a new file, proposing name, and gives the
// chosen path to f. The dialog asks before it replaces a file.
func (a *App) pickSave(name string, f func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			a.showError(err)
			return
		}
		if w != nil {
			w.Close()
			f(w.URI().Path())
		}
	}, a.win)
	d.SetFileName(name)
	d.Resize(dialogSize)
	a.showDialog(d)
}

// bundlesIn lists the bundle files (*.kordon) directly in dir, by name.
func bundlesIn(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &service.Error{Key: "cli.err.open_file", Args: []any{"path", dir}, Err: err}
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.EqualFold(filepath.Ext(e.Name()), ".kordon") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(out)
	return out, nil
}

// progressBar feeds a progress bar from work running on another goroutine:
// bar gives the bar currently shown (the screen may have been rebuilt since
// the work began, or nil). Updates reach the widgets through fyne.Do, at
// most every 50 ms, and always for the last step.
func progressBar(bar func() *widget.ProgressBar) service.Progress {
	var last time.Time
	return func(done, total int) {
		now := time.Now()
		if done < total && now.Sub(last) < 50*time.Millisecond {
			return
		}
		last = now
		fyne.Do(func() {
			b := bar()
			if b == nil {
				return
			}
			if total > 0 {
				b.Max = float64(total)
				b.SetValue(float64(done))
			}
		})
	}
}

// message is a label that wraps, with the given importance.
func message(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}
