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
	"slices"
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
			f.removed("photos", i)
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

// thumbCacheSize is how many thumbnails the desktop keeps decoded: a
// thumbnail is at most service.ThumbnailSide pixels long (under 1 MB
// decoded), so the cache stays below some 60 MB however many photos the
// officer looks through.
const thumbCacheSize = 64

// thumbCache keeps the most recently drawn thumbnails; UI goroutine only.
type thumbCache struct {
	m     map[string]image.Image
	order []string // oldest first
}

func (c *thumbCache) get(sha string) (image.Image, bool) {
	m, ok := c.m[sha]
	if ok {
		c.order = append(slices.DeleteFunc(c.order, func(s string) bool { return s == sha }), sha)
	}
	return m, ok
}

func (c *thumbCache) put(sha string, m image.Image) {
	if c.m == nil {
		c.m = map[string]image.Image{}
	}
	if _, ok := c.m[sha]; !ok && len(c.order) >= thumbCacheSize {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[sha] = m
	c.order = append(slices.DeleteFunc(c.order, func(s string) bool { return s == sha }), sha)
}

// thumbnail draws a stored photo small. It is made and decoded off the UI
// goroutine from the photo's print form, and drawn when ready; a photo the
// store cannot give back is shown as a broken-image icon.
func (a *App) thumbnail(sha string) fyne.CanvasObject {
	img := canvas.NewImageFromResource(theme.FileImageIcon())
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(200, 150))
	if m, ok := a.thumbs.get(sha); ok {
		img.Resource, img.Image = nil, m
		return img
	}
	svc, ctx := a.svc, a.ctx
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		var m image.Image
		data, err := svc.Thumbnail(ctx, sha)
		if err == nil {
			m, _, err = image.Decode(bytes.NewReader(data))
		}
		fyne.Do(func() {
			if err != nil {
				img.Resource = theme.BrokenImageIcon()
			} else {
				a.thumbs.put(sha, m)
				img.Resource, img.Image = nil, m
			}
			img.Refresh()
		})
	}()
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
	// The thumbnail until the full photo is decoded, off the UI goroutine;
	// it is not kept once the window closes.
	img := a.thumbnail(ph.SHA256).(*canvas.Image)
	img.SetMinSize(fyne.NewSize(320, 240))
	w.SetContent(img)
	w.Resize(fyne.NewSize(1000, 700))
	w.Show()
	svc, ctx := a.svc, a.ctx
	go func() {
		data, err := svc.Photo(ctx, ph.SHA256)
		if err != nil {
			return
		}
		m, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		fyne.Do(func() {
			img.Resource, img.Image = nil, m
			img.Refresh()
		})
	}()
}
