package ui

import (
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/service"
)

// importOutcome is what the import of one file did.
type importOutcome struct {
	path string
	res  *service.ImportResult
	err  error
	// stopped is set when the officer stopped the import of this file.
	stopped bool
}

// alarm reports whether the refusal means a cloned device, a stolen key or a
// post sending records not its own.
func (o importOutcome) alarm() bool {
	for _, alarm := range []error{service.ErrReplay, service.ErrForked, service.ErrForeignRecord, service.ErrClaimedID, service.ErrImpersonation} {
		if errors.Is(o.err, alarm) {
			return true
		}
	}
	return false
}

// importScreen imports bundles from the posts at the office, one file or a
// folder of them at a time, shows what each did, and writes receipts.
type importScreen struct {
	a        *App
	busy     bool
	job      *job   // the imports running
	current  string // the file being imported
	n, total int    // its position among the files of this run
	results  []importOutcome
	post     string // the post a receipt is written for
	receipt  string // what the last receipt did
	bar      *widget.ProgressBar
	// finished is closed when a running import has ended and the screen
	// shows its outcome.
	finished chan struct{}
}

func newImportScreen(a *App) *importScreen { return &importScreen{a: a} }

func (s *importScreen) name() string { return navImport }

func (s *importScreen) build() fyne.CanvasObject {
	a := s.a
	file := widget.NewButtonWithIcon(a.T("ui.import.file"), theme.FileIcon(), func() {
		a.pickFile([]string{".kordon", ".KORDON"}, func(path string) { s.start([]string{path}) })
	})
	file.Importance = widget.HighImportance
	folder := widget.NewButtonWithIcon(a.T("ui.import.folder"), theme.FolderOpenIcon(), func() {
		a.pickFolder(func(dir string) {
			paths, err := bundlesIn(dir)
			switch {
			case err != nil:
				a.showError(err)
			case len(paths) == 0:
				a.showError(&service.Error{Key: "ui.import.none_in_folder", Args: []any{"path", dir}})
			default:
				s.start(paths)
			}
		})
	})
	if s.busy {
		file.Disable()
		folder.Disable()
	}
	s.bar = widget.NewProgressBar()
	status := widget.NewLabel(a.T("ui.import.working", "file", filepath.Base(s.current),
		"n", strconv.Itoa(s.n), "total", strconv.Itoa(s.total)))
	status.Truncation = fyne.TextTruncateEllipsis
	working := container.NewVBox(status, s.bar)
	if s.busy && s.job != nil {
		working = container.NewVBox(status, container.NewBorder(nil, nil, nil,
			widget.NewButtonWithIcon(a.T("ui.job.stop"), theme.CancelIcon(), s.job.cancel), s.bar))
	}
	working.Hidden = !s.busy
	top := container.NewVBox(heading(a.T("ui.import.title")),
		widget.NewCard("", "", container.NewVBox(container.NewHBox(file, folder), working)))

	body := container.NewVBox()
	alarms := 0
	for _, o := range s.results {
		if o.alarm() {
			alarms++
		}
	}
	if alarms > 0 {
		banner := message(a.T("ui.import.alarm_banner"), widget.DangerImportance)
		banner.TextStyle.Bold = true
		body.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.ErrorIcon()), nil, banner))
	}
	for i := len(s.results) - 1; i >= 0; i-- {
		body.Add(s.outcome(s.results[i]))
	}
	if len(s.results) == 0 {
		body.Add(message(a.T("ui.import.empty"), widget.MediumImportance))
	} else if !s.busy {
		show := widget.NewButtonWithIcon(a.T("ui.import.show_records"), theme.ListIcon(), func() { a.navigate(navRecords) })
		body.Add(container.NewHBox(show))
	}
	return container.NewBorder(top, s.receiptCard(), nil, nil, container.NewVScroll(body))
}

// outcome shows what importing one file did; refusals give their reason in
// the officer's language, alarms in red.
func (s *importScreen) outcome(o importOutcome) fyne.CanvasObject {
	a := s.a
	box := container.NewVBox()
	switch {
	case o.stopped:
		box.Add(message(a.T("ui.import.stopped"), widget.WarningImportance))
	case o.alarm():
		l := message(a.T("ui.import.alarm")+" "+a.tr.Error(o.err), widget.DangerImportance)
		l.TextStyle.Bold = true
		box.Add(l)
	case o.err != nil:
		box.Add(message(a.T("ui.import.refused")+" "+a.tr.Error(o.err), widget.DangerImportance))
	case o.res.Already:
		box.Add(message(a.T("ui.import.already", "post", o.res.Post, "sequence", strconv.FormatInt(o.res.Sequence, 10)), widget.MediumImportance))
	default:
		r := o.res
		box.Add(message(a.T("ui.import.done", "post", r.Post, "sequence", strconv.FormatInt(r.Sequence, 10),
			"new", a.tr.Number(int64(r.New)), "known", a.tr.Number(int64(r.Known)), "media", a.tr.Number(int64(r.Media))), widget.SuccessImportance))
		// The gap as it is now: a missing bundle imported since closes it.
		if r.Gap != "" {
			gap, err := a.svc.StillMissing(a.ctx, r.KeyID, r.Sequence)
			if err != nil {
				gap = r.Gap
			}
			if gap != "" {
				box.Add(message(a.T("ui.import.gap", "missing", gap), widget.WarningImportance))
			}
		}
		for _, alarm := range r.Alarms {
			l := message(a.tr.Error(alarm), widget.DangerImportance)
			l.TextStyle.Bold = true
			box.Add(l)
		}
		for i, h := range r.Watched {
			if i == maxHitLines {
				box.Add(widget.NewLabel(a.tr.N("links.hits_more", len(r.Watched)-maxHitLines)))
				break
			}
			l := message(h.Text(a.tr), widget.DangerImportance)
			l.TextStyle.Bold = true
			box.Add(l)
		}
		if n := len(r.Listed); n > 0 {
			l := message(a.tr.N("screening.hits", n), widget.DangerImportance)
			l.TextStyle.Bold = true
			box.Add(l)
			for i, h := range r.Listed {
				if i == maxHitLines {
					box.Add(widget.NewLabel(a.tr.N("links.hits_more", len(r.Listed)-maxHitLines)))
					break
				}
				box.Add(message(h.Text(a.tr), widget.DangerImportance))
			}
		}
		if n := len(r.Links); n > 0 {
			l := message(a.tr.N("links.hits", n), widget.WarningImportance)
			l.TextStyle.Bold = true
			box.Add(l)
			for i, h := range r.Links {
				if i == maxHitLines {
					box.Add(widget.NewLabel(a.tr.N("links.hits_more", n-maxHitLines)))
					break
				}
				box.Add(message(h.Text(a.tr), widget.MediumImportance))
			}
			box.Add(container.NewHBox(widget.NewButtonWithIcon(a.T("ui.import.open_links"), theme.SearchIcon(), func() { a.navigate(navLinks) })))
		}
	}
	name := bold(filepath.Base(o.path))
	name.Truncation = fyne.TextTruncateEllipsis
	icon := theme.ConfirmIcon()
	switch {
	case o.alarm(), o.err == nil && (len(o.res.Alarms) > 0 || len(o.res.Listed) > 0 || len(o.res.Watched) > 0):
		icon = theme.ErrorIcon()
	case o.err != nil, o.res.Gap != "":
		icon = theme.WarningIcon()
	}
	return widget.NewCard("", "", container.NewBorder(nil, nil, widget.NewIcon(icon), nil, container.NewVBox(name, box)))
}

// receiptCard writes a signed receipt for a post, so that the post knows
// which of its bundles arrived.
func (s *importScreen) receiptCard() fyne.CanvasObject {
	a := s.a
	views, err := a.svc.Posts(a.ctx)
	if err != nil {
		return message(a.tr.Error(err), widget.DangerImportance)
	}
	var codes []string
	for _, v := range views {
		if v.Bundles > 0 && !slices.Contains(codes, v.Key.PostCode) {
			codes = append(codes, v.Key.PostCode)
		}
	}
	if len(codes) == 0 {
		return container.NewVBox()
	}
	if !slices.Contains(codes, s.post) {
		s.post = codes[0]
	}
	sel := widget.NewSelect(codes, func(c string) { s.post = c })
	sel.SetSelected(s.post)
	write := widget.NewButtonWithIcon(a.T("ui.import.write_receipt"), theme.DocumentSaveIcon(), func() {
		a.pickSave(s.post+"-receipt.txt", s.writeReceipt)
	})
	row := container.NewHBox(widget.NewLabel(a.T("ui.import.receipt_post")), sel, write)
	box := container.NewVBox(widget.NewSeparator(), bold(a.T("ui.import.receipt_title")), row)
	if s.receipt != "" {
		box.Add(message(s.receipt, widget.SuccessImportance))
	}
	return box
}

// writeReceipt writes the receipt for the chosen post to path.
func (s *importScreen) writeReceipt(path string) {
	a := s.a
	// The save dialog asked before choosing an existing file.
	rc, err := a.svc.WriteReceipt(a.ctx, s.post, path, true)
	if err != nil {
		a.showError(err)
		return
	}
	s.receipt = a.T("ui.import.receipt_done", "post", rc.Post, "path", path, "sequence", strconv.FormatUint(rc.LastSequence, 10))
	a.rebuild()
}

// start imports the files one after the other on a goroutine, feeding the
// progress bar; each file's outcome is shown as soon as it is known.
func (s *importScreen) start(paths []string) {
	a := s.a
	svc := a.svc
	s.busy, s.receipt, s.total = true, "", len(paths)
	s.finished = make(chan struct{})
	finished := s.finished
	a.working = s
	progress := progressBar(func() *widget.ProgressBar { return s.bar })
	s.job = a.startJob("ui.close_running.import", func(j *job) {
		for i, p := range paths {
			if j.stopped() {
				break // the files after the one stopped are not begun
			}
			fyne.Do(func() {
				s.current, s.n = p, i+1
				a.rebuildIf(s)
			})
			res, err := svc.Import(j.ctx, p, progress)
			stopped := err != nil && j.stopped()
			fyne.Do(func() {
				s.results = append(s.results, importOutcome{path: p, res: res, err: err, stopped: stopped})
				if res != nil && res.Post != "" {
					s.post = strings.ToUpper(res.Post)
				}
			})
		}
		fyne.Do(func() {
			s.busy = false
			if a.working == s {
				a.working = nil
			}
			a.endJob(j)
			a.rebuildIf(s)
			close(finished)
		})
	})
}
