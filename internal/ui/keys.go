package ui

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// keysScreen is Settings → Keys: this device's key, exporting it, trusting
// the other side's key after comparing its fingerprint, and revoking.
type keysScreen struct {
	a    *App
	note string // what the last action did
}

func newKeysScreen(a *App) *keysScreen { return &keysScreen{a: a} }

func (k *keysScreen) name() string { return navSettings }

func (k *keysScreen) build() fyne.CanvasObject {
	a := k.a
	back := widget.NewButtonWithIcon(a.T("ui.keys.back"), theme.NavigateBackIcon(), func() { a.show(newSettings(a)) })
	top := container.NewBorder(nil, nil, heading(a.T("ui.settings.keys")), back)
	body := container.NewVBox()
	if k.note != "" {
		body.Add(message(k.note, widget.SuccessImportance))
	}

	pk, err := a.svc.PublicKey(a.ctx)
	if err != nil {
		body.Add(message(a.tr.Error(err), widget.DangerImportance))
	} else {
		d := &details{a: a}
		d.add("ui.keys.post", pk.Post+" "+pk.Name)
		d.add("ui.keys.fingerprint", pk.Fingerprint())
		d.add("ui.keys.key_id", pk.KeyID())
		d.add("ui.keys.recipient", pk.Recipient)
		d.cells[3].(*widget.Label).TextStyle.Monospace = true
		export := widget.NewButtonWithIcon(a.T("ui.keys.export"), theme.DocumentSaveIcon(), func() {
			a.pickFolder(func(dir string) { k.exportKey(filepath.Join(dir, pk.Post+".pub")) })
		})
		body.Add(widget.NewCard(a.T("ui.keys.this_device"), "", container.NewVBox(d.object(), container.NewHBox(export))))
	}

	trust := widget.NewButtonWithIcon(a.T("ui.keys.trust"), theme.ContentAddIcon(), func() { a.pickFile(nil, k.readKey) })
	trust.Importance = widget.HighImportance
	list := container.NewVBox(container.NewHBox(trust))
	keys, err := a.svc.TrustedKeys(a.ctx)
	switch {
	case err != nil:
		list.Add(message(a.tr.Error(err), widget.DangerImportance))
	case len(keys) == 0:
		list.Add(message(a.T("ui.keys.none"), widget.MediumImportance))
	}
	for _, tk := range keys {
		list.Add(k.trustedKey(tk))
	}
	body.Add(widget.NewCard(a.T("ui.keys.trusted_list"), "", list))
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
}

// trustedKey is one row of the trusted keys: whose, its fingerprint, since
// when, and a Revoke button while it is trusted.
func (k *keysScreen) trustedKey(tk view.TrustedKey) fyne.CanvasObject {
	a := k.a
	who := bold(tk.PostCode + " " + tk.Name)
	fp := widget.NewLabel(tk.Fingerprint)
	fp.TextStyle.Monospace = true
	var state *widget.Label
	var action fyne.CanvasObject = layout.NewSpacer()
	if tk.Revoked != nil {
		state = message(a.T("ui.keys.revoked", "date", a.tr.DateTime(tk.Revoked.Local())), widget.DangerImportance)
	} else {
		state = message(a.T("ui.keys.trusted_since", "date", a.tr.DateTime(tk.Trusted.Local())), widget.MediumImportance)
		revoke := widget.NewButtonWithIcon(a.T("ui.keys.revoke"), theme.CancelIcon(), func() {
			a.confirm(a.T("ui.keys.revoke"), a.T("ui.keys.revoke_question", "post", tk.PostCode, "fingerprint", tk.Fingerprint),
				a.T("ui.keys.revoke"), func() {
					if err := a.svc.RevokeKey(a.ctx, tk.KeyID); err != nil {
						a.showError(err)
						return
					}
					k.note = ""
					a.rebuild()
				})
		})
		revoke.Importance = widget.DangerImportance
		action = revoke
	}
	return container.NewBorder(nil, nil, nil, action, container.NewGridWithColumns(3, who, fp, state))
}

// exportKey writes this device's public key file to path; the save dialog
// asked before choosing an existing file.
func (k *keysScreen) exportKey(path string) {
	a := k.a
	pk, err := a.svc.WritePublicKey(a.ctx, path, true)
	if err != nil {
		a.showError(err)
		return
	}
	k.note = a.T("ui.keys.exported", "path", path, "fingerprint", pk.Fingerprint())
	a.rebuild()
}

// readKey reads a key file and asks whether to trust it.
func (k *keysScreen) readKey(path string) {
	pk, err := service.ReadKeyFile(path)
	if err != nil {
		k.a.showError(err)
		return
	}
	k.askTrust(pk)
}

// askTrust shows whose key pk is and its fingerprint, and trusts it only
// once the officer confirms that the fingerprint matches the one read over
// the phone.
func (k *keysScreen) askTrust(pk *bundle.PublicKey) {
	a := k.a
	fp := widget.NewLabel(pk.Fingerprint())
	fp.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	fp.SizeName = theme.SizeNameSubHeadingText
	name := widget.NewEntry()
	name.SetText(pk.Name)
	d := &details{a: a}
	d.add("ui.keys.post", pk.Post+" "+pk.Name)
	intro := message(a.T("ui.keys.trust_intro"), widget.MediumImportance)
	var dlg *dialog.CustomDialog
	trust := widget.NewButtonWithIcon(a.T("ui.keys.trust_button"), theme.ConfirmIcon(), func() {
		if err := a.svc.Trust(a.ctx, pk, name.Text); err != nil {
			dlg.Hide()
			a.showError(err)
			return
		}
		dlg.Hide()
		k.note = a.T("ui.keys.trusted", "post", pk.Post, "fingerprint", pk.Fingerprint())
		a.rebuild()
	})
	trust.Importance = widget.HighImportance
	trust.Disable()
	match := widget.NewCheck(a.T("ui.keys.confirm"), func(on bool) {
		if on {
			trust.Enable()
		} else {
			trust.Disable()
		}
	})
	cancel := widget.NewButtonWithIcon(a.T("ui.cancel"), theme.CancelIcon(), func() { dlg.Hide() })
	content := container.NewVBox(d.object(), newLabelled(a.T("ui.keys.fingerprint"), fp), intro,
		newLabelled(a.T("ui.keys.name"), name), match)
	dlg = dialog.NewCustomWithoutButtons(a.T("ui.keys.trust_title"), content, a.win)
	dlg.SetButtons([]fyne.CanvasObject{cancel, trust})
	dlg.Resize(fyne.NewSize(600, 480))
	a.showDialog(dlg)
}

// newLabelled is a bold label above its field.
func newLabelled(label string, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(bold(label), obj)
}
