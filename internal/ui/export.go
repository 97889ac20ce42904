package ui

import (
	"errors"
	"path/filepath"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// exportScreen writes the post's next signed bundle to a folder (a USB
// stick), lists the bundles written before with their acknowledged state,
// and reads the office's receipts.
type exportScreen struct {
	a       *App
	out     string // the destination folder
	encrypt bool   // encrypt the bundle to the office's key
	busy    bool   // an export is running
	job     *job   // the export running
	stopped bool   // the last export was stopped by the officer
	res     *service.ExportResult
	err     error  // the last export's failure, ErrNothingNew included
	receipt string // what the last receipt did
	bar     *widget.ProgressBar
	// finished is closed when a running export has ended and the screen
	// shows its outcome.
	finished chan struct{}
}

func newExportScreen(a *App) *exportScreen { return &exportScreen{a: a, encrypt: true} }

func (s *exportScreen) name() string { return navExport }

// officeKey is the key of the office this post sends its bundles to, nil
// when the post trusts none (or has revoked it).
func (a *App) officeKey() (*bundle.PublicKey, error) {
	return a.svc.OfficeKey(a.ctx)
}

func (s *exportScreen) build() fyne.CanvasObject {
	a := s.a
	office, err := a.officeKey()
	if err != nil {
		a.showError(err)
	}

	folder := widget.NewLabel(s.out)
	if s.out == "" {
		folder.SetText(a.T("ui.export.no_folder"))
		folder.Importance = widget.MediumImportance
	}
	folder.Truncation = fyne.TextTruncateEllipsis
	choose := widget.NewButtonWithIcon(a.T("ui.export.choose_folder"), theme.FolderOpenIcon(), func() {
		a.pickFolder(func(path string) {
			s.out = path
			a.rebuild()
		})
	})
	dest := container.NewBorder(nil, nil, nil, choose, folder)

	opts := container.NewVBox(dest)
	if office != nil {
		enc := widget.NewCheck(a.T("ui.export.encrypt", "office", office.Post+" "+office.Name), func(on bool) { s.encrypt = on })
		enc.SetChecked(s.encrypt && office.Recipient != "")
		if office.Recipient == "" {
			enc.Disable()
		}
		opts.Add(enc)
	} else {
		keys := widget.NewButtonWithIcon(a.T("ui.settings.keys"), theme.AccountIcon(), func() { a.show(newKeysScreen(a)) })
		opts.Add(container.NewBorder(nil, nil, nil, keys, message(a.T("ui.export.no_office"), widget.WarningImportance)))
	}

	run := widget.NewButtonWithIcon(a.T("ui.export.go"), theme.UploadIcon(), func() { s.start(office) })
	run.Importance = widget.HighImportance
	if s.out == "" || office == nil || s.busy {
		run.Disable()
	}
	s.bar = widget.NewProgressBar()
	s.bar.Hidden = !s.busy
	var stop fyne.CanvasObject
	if s.busy && s.job != nil {
		j := s.job
		stop = widget.NewButtonWithIcon(a.T("ui.job.stop"), theme.CancelIcon(), j.cancel)
	}
	opts.Add(container.NewBorder(nil, nil, run, stop, s.bar))

	switch {
	case s.busy:
	case s.stopped:
		opts.Add(message(a.T("ui.export.stopped"), widget.WarningImportance))
	case errors.Is(s.err, service.ErrNothingNew):
		opts.Add(message(a.tr.Error(s.err), widget.MediumImportance))
	case s.err != nil:
		opts.Add(message(a.tr.Error(s.err), widget.DangerImportance))
	case s.res != nil:
		opts.Add(message(a.T("ui.export.done", "sequence", strconv.FormatInt(s.res.Sequence, 10), "path", s.res.Path), widget.SuccessImportance))
		if s.res.Resumed {
			opts.Add(message(a.T("ui.export.resumed", "sequence", strconv.FormatInt(s.res.Sequence, 10)), widget.WarningImportance))
		}
		opts.Add(widget.NewLabel(a.T("ui.export.counts", "records", a.tr.Number(int64(s.res.Versions)),
			"media", a.tr.Number(int64(s.res.Media)), "audit", a.tr.Number(int64(s.res.Audit)))))
	}

	readReceipt := widget.NewButtonWithIcon(a.T("ui.export.read_receipt"), theme.MailAttachmentIcon(), func() {
		a.pickFile(nil, s.readReceipt)
	})
	history := container.NewBorder(nil, nil, nil, readReceipt, bold(a.T("ui.export.history")))
	top := container.NewVBox(heading(a.T("ui.export.title")), widget.NewCard("", "", opts), history)
	if s.receipt != "" {
		top.Add(message(s.receipt, widget.SuccessImportance))
	}
	return container.NewBorder(top, nil, nil, nil, s.bundles())
}

// bundles lists the bundles this device wrote, newest first, with whether
// the office has acknowledged them.
func (s *exportScreen) bundles() fyne.CanvasObject {
	a := s.a
	list, err := a.svc.Bundles(a.ctx)
	if err != nil {
		return message(a.tr.Error(err), widget.DangerImportance)
	}
	if len(list) == 0 {
		return container.NewVBox(message(a.T("ui.export.none"), widget.MediumImportance))
	}
	const cols = 6
	row := func() *fyne.Container {
		cells := make([]fyne.CanvasObject, cols)
		for i := range cells {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			cells[i] = l
		}
		return container.New(&tableRow{widths: []float32{0.05, 0.15, 0.24, 0.1, 0.1, 0.36}}, cells...)
	}
	head := row()
	for i, k := range []string{"ui.bundles.seq", "ui.bundles.created", "ui.bundles.file", "ui.bundles.records", "ui.bundles.photos", "ui.bundles.state"} {
		l := head.Objects[i].(*widget.Label)
		l.SetText(a.T(k))
		l.TextStyle.Bold = true
	}
	l := widget.NewList(func() int { return len(list) },
		func() fyne.CanvasObject { return row() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			b := list[id]
			cells := o.(*fyne.Container).Objects
			set := func(i int, text string) { cells[i].(*widget.Label).SetText(text) }
			set(0, strconv.FormatInt(b.Seq, 10))
			set(1, a.tr.DateTime(b.Created.Local()))
			set(2, filepath.Base(b.File))
			set(3, a.tr.Number(int64(b.Versions)))
			set(4, a.tr.Number(int64(b.Media)))
			state := cells[5].(*widget.Label)
			state.SetText(bundleState(a, b))
			state.Importance = widget.WarningImportance
			if b.Acknowledged != nil {
				state.Importance = widget.SuccessImportance
			}
			state.Refresh()
		})
	return container.NewBorder(head, nil, nil, nil, l)
}

// bundleState says whether the office has acknowledged a bundle, and when.
func bundleState(a *App, b view.OutBundle) string {
	if b.Pending {
		return a.T("ui.bundles.pending")
	}
	if b.Acknowledged == nil {
		return a.T("ui.bundles.written")
	}
	return a.T("ui.bundles.acknowledged", "date", a.tr.DateTime(b.Acknowledged.Local()))
}

// start writes the bundle on a goroutine, feeding the progress bar; the
// screen shows the outcome when it is done.
func (s *exportScreen) start(office *bundle.PublicKey) {
	a := s.a
	svc, out := a.svc, s.out
	opts := service.ExportOptions{Out: out, Plain: !s.encrypt}
	s.busy, s.res, s.err, s.receipt, s.stopped = true, nil, nil, "", false
	s.finished = make(chan struct{})
	finished := s.finished
	a.working = s
	progress := progressBar(func() *widget.ProgressBar { return s.bar })
	s.job = a.startJob("ui.close_running.export", func(j *job) {
		res, err := svc.Export(j.ctx, opts, progress)
		fyne.Do(func() {
			s.busy, s.res, s.err, s.stopped = false, res, err, err != nil && j.stopped()
			if a.working == s {
				a.working = nil
			}
			a.endJob(j)
			a.rebuildIf(s)
			close(finished)
		})
	})
	a.rebuild()
}

// readReceipt reads an office's receipt and marks the bundles it lists as
// acknowledged.
func (s *exportScreen) readReceipt(path string) {
	a := s.a
	n, rc, err := a.svc.AcknowledgeFile(a.ctx, path)
	if err != nil {
		a.showError(err)
		return
	}
	s.receipt = a.tr.N("ui.export.receipt_read", n, "office", rc.Office, "count", n)
	a.rebuild()
}

// tableRow lays cells out in one row, each taking its share of the width.
type tableRow struct{ widths []float32 }

func (t *tableRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objs))*40, h)
}

func (t *tableRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var x float32
	for i, o := range objs {
		w := size.Width * t.widths[i]
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}
