package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decode JPEG photos
	_ "image/png"  // decode PNG photos
	"io"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
)

// addPhoto stores a JPEG or PNG file's bytes and adds it to the record; it
// returns a message key when the file is not such a picture.
func (f *formScreen) addPhoto(name string, data []byte) (string, error) {
	mediaType, err := service.CheckPhoto(data)
	switch {
	case errors.Is(err, service.ErrPhotoTooLarge):
		return "ui.photo.too_big", nil
	case err != nil:
		return "ui.photo.not_picture", nil
	}
	sha, err := f.a.svc.AddPhoto(f.a.ctx, data)
	if err != nil {
		return "", err
	}
	// Scale it for print now, in the background, so that the protocol
	// printed at the end of the inspection does not wait for it.
	svc, ctx := f.a.svc, f.a.ctx
	f.a.background.Add(1)
	go func() {
		defer f.a.background.Done()
		svc.PreparePrint(ctx, sha)
	}()
	f.rec.Photos = append(f.rec.Photos, record.Photo{
		SHA256: sha, Name: filepath.Base(name), MediaType: mediaType, Tag: "overview",
		TakenBy: f.a.svc.Actor, TakenAt: time.Now().Truncate(time.Second),
	})
	return "", nil
}

// photos shows the record's photos with their tags, and adds more.
func (f *formScreen) photos() fyne.CanvasObject {
	box := container.New(&columns{n: 3})
	for i := range f.rec.Photos {
		ph := &f.rec.Photos[i]
		path := fmt.Sprintf("photos[%d]", i)
		remove := widget.NewButtonWithIcon(f.a.T("ui.form.remove"), theme.DeleteIcon(), func() {
			f.rec.Photos = append(f.rec.Photos[:i], f.rec.Photos[i+1:]...)
			f.rebuildForm()
		})
		name := widget.NewLabel(ph.Name)
		name.Truncation = fyne.TextTruncateEllipsis
		tag := f.code(path+".tag", "ui.f.photo_tag", record.PhotoTags, &ph.Tag)
		box.Add(widget.NewCard("", "", container.NewVBox(f.a.thumbnail(ph.SHA256), name, grid(1, tag), remove)))
	}
	msg := newFieldRow("", nil)
	add := widget.NewButtonWithIcon(f.a.T("ui.form.add_photo"), theme.FileImageIcon(), func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			defer r.Close()
			data, err := io.ReadAll(io.LimitReader(r, service.MaxPhoto+1))
			if err != nil {
				msg.setError(err.Error())
				return
			}
			key, err := f.addPhoto(r.URI().Name(), data)
			switch {
			case err != nil:
				msg.setError(f.a.tr.Error(err))
			case key != "":
				msg.setError(f.a.T(key, "name", r.URI().Name()))
			default:
				f.rebuildForm()
			}
		}, f.a.win)
		d.SetFilter(storage.NewExtensionFileFilter([]string{".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG"}))
		d.Resize(fyne.NewSize(860, 560))
		f.a.showDialog(d)
	})
	return container.NewVBox(box, container.NewHBox(add), msg.err)
}

// thumbnail draws a stored photo small; a photo the store cannot give back
// is shown as a broken-image icon. Decoded photos are kept for redraws.
func (a *App) thumbnail(sha string) fyne.CanvasObject {
	var img *canvas.Image
	if m, ok := a.thumbs[sha]; ok {
		img = canvas.NewImageFromImage(m)
	} else if data, err := a.svc.Photo(a.ctx, sha); err == nil {
		if m, _, err := image.Decode(bytes.NewReader(data)); err == nil {
			if a.thumbs == nil {
				a.thumbs = map[string]image.Image{}
			}
			a.thumbs[sha] = m
			img = canvas.NewImageFromImage(m)
		}
	}
	if img == nil {
		img = canvas.NewImageFromResource(theme.BrokenImageIcon())
	}
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(200, 150))
	return img
}

// openPhoto shows a stored photo full size in a window of its own, so the
// officer can read a serial number or a marking on it.
func (a *App) openPhoto(ph record.Photo) {
	title := ph.Name
	if title == "" {
		title = ph.SHA256[:12]
	}
	w := a.fa.NewWindow(title)
	img := a.thumbnail(ph.SHA256).(*canvas.Image)
	img.SetMinSize(fyne.NewSize(320, 240))
	w.SetContent(img)
	w.Resize(fyne.NewSize(1000, 700))
	w.Show()
}
