package ui

import (
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
)

// protocolFile is where the protocol of in is written by default: the data
// folder's protocols/<number>.pdf, the number made safe as a file name;
// <number>-v<N>.pdf for an earlier version N (old not 0).
func (a *App) protocolFile(in *record.Interdiction, old int) string {
	name := in.Number
	if name == "" {
		name = in.ID.String()
	}
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return r
		}
		return '_'
	}, name)
	if old != 0 {
		name += "-v" + strconv.Itoa(old)
	}
	return filepath.Join(a.svc.Dir, service.ProtocolsDir, name+".pdf")
}

// printProtocol asks for the protocol's language and an optional second
// one, writes the PDF of in (of its earlier version old, if not 0) and
// opens it with the system's viewer.
func (a *App) printProtocol(in *record.Interdiction, old int) {
	lang, lang2 := a.tr.Lang(), ""
	first := languageSelect(a.cat, a.tr, lang, func(code string) { lang = code })
	var codes []string
	labels := []string{a.T("ui.protocol.none")}
	for _, l := range i18n.Languages {
		if a.cat.Has(l) {
			codes = append(codes, l)
			labels = append(labels, a.T("ui.language."+l))
		}
	}
	second := widget.NewSelect(labels, nil)
	second.SetSelectedIndex(0)
	second.OnChanged = func(string) {
		lang2 = ""
		if i := second.SelectedIndex(); i > 0 {
			lang2 = codes[i-1]
		}
	}
	var d *dialog.CustomDialog
	write := func(path string) {
		d.Hide()
		a.protocolTo(in.Ref(), old, path, lang, lang2)
	}
	printBtn := widget.NewButtonWithIcon(a.T("ui.protocol.print"), theme.DocumentPrintIcon(), func() { write(a.protocolFile(in, old)) })
	printBtn.Importance = widget.HighImportance
	saveAs := widget.NewButtonWithIcon(a.T("ui.protocol.save_as"), theme.DocumentSaveIcon(), func() {
		d.Hide()
		a.pickSave(filepath.Base(a.protocolFile(in, old)), func(path string) { a.protocolTo(in.Ref(), old, path, lang, lang2) })
	})
	cancel := widget.NewButtonWithIcon(a.T("ui.cancel"), theme.CancelIcon(), func() { d.Hide() })
	content := container.NewVBox(grid(2, newFieldRow(a.T("ui.protocol.lang"), first), newFieldRow(a.T("ui.protocol.lang2"), second)),
		message(a.T("ui.protocol.where", "path", a.protocolFile(in, old)), widget.MediumImportance))
	d = dialog.NewCustomWithoutButtons(a.T("ui.protocol.title", "number", in.Number), content, a.win)
	d.SetButtons([]fyne.CanvasObject{cancel, saveAs, printBtn})
	d.Resize(fyne.NewSize(620, 280))
	a.showDialog(d)
}

// protocolTo writes the protocol of record id to path in lang (and lang2
// unless empty) and opens it; it tells the officer about warnings, and
// where the file is when no viewer opens it.
func (a *App) protocolTo(id string, version int, path, lang, lang2 string) {
	warnings, err := a.writeProtocol(id, version, path, lang, lang2)
	if err != nil {
		a.showError(err)
		return
	}
	a.openDocument(path, warnings)
}

// writeProtocol writes the PDF of record id to path, replacing a protocol
// there: the print button writes each record's protocol to its own file,
// and the save dialog asks before choosing an existing one.
func (a *App) writeProtocol(id string, version int, path, lang, lang2 string) ([]string, error) {
	var tr2 *i18n.Translator
	if lang2 != "" {
		tr2 = a.cat.For(lang2)
	}
	return a.svc.WriteProtocol(a.ctx, id, version, path, true, a.cat.For(lang), tr2)
}
