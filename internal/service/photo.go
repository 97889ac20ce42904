package service

import (
	"bytes"
	"errors"
	"image"
	_ "image/jpeg" // photos are JPEG
	_ "image/png"  // or PNG
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/kordon/kordon/internal/report"
)

// MaxPhoto caps the size of one photo file.
const MaxPhoto = 32 << 20

// Sentinels of photos taken in.
var (
	ErrPhotoTooLarge   = &Error{Key: "service.err.photo_too_large"}
	ErrPhotoNotPicture = &Error{Key: "service.err.photo_not_picture"}
)

// CheckPhoto looks at a photo before it is stored: at most MaxPhoto bytes,
// and a JPEG or PNG picture of a size that can be decoded. It returns the
// photo's media type. It reads the header only; decoding it whole is the
// work of its print form.
func CheckPhoto(data []byte) (string, error) {
	if len(data) > MaxPhoto {
		return "", &Error{Key: ErrPhotoTooLarge.Key, Args: []any{"max", MaxPhoto >> 20}}
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > 100_000_000 {
		return "", &Error{Key: ErrPhotoNotPicture.Key, Err: err}
	}
	return "image/" + format, nil
}

// photoSource reads the photo files an intake names: only inside its folder
// (no absolute path, no "..", no symbolic link out of it), never inside the
// data folder, only regular files, and only pictures that decode.
type photoSource struct {
	dir, data string // real paths
	root      *os.Root
	err       error
}

func newPhotoSource(dir, dataDir string) *photoSource {
	p := &photoSource{}
	if dir == "" {
		dir = "."
	}
	if p.dir, p.err = realPath(dir); p.err == nil {
		p.data, _ = realPath(dataDir)
		p.root, p.err = os.OpenRoot(p.dir)
	}
	return p
}

func (p *photoSource) close() {
	if p.root != nil {
		p.root.Close()
	}
}

// read returns a photo's bytes, media type and print form; a refusal is an
// IntakeError's key and extra arguments.
func (p *photoSource) read(name string) ([]byte, string, []byte, *Error) {
	refuse := func(key string, err error, args ...any) ([]byte, string, []byte, *Error) {
		return nil, "", nil, &Error{Key: key, Args: args, Err: err}
	}
	if p.err != nil {
		return refuse("intake.err.photo_file", p.err)
	}
	if !filepath.IsLocal(name) {
		return refuse("intake.err.photo_outside", nil, "dir", p.dir)
	}
	full := filepath.Join(p.dir, name)
	if real, err := realPath(full); err == nil && p.data != "" && within(real, p.data) {
		return refuse("intake.err.photo_in_data", nil)
	}
	fi, err := p.root.Stat(name)
	if err != nil {
		if _, serr := os.Stat(full); serr == nil {
			return refuse("intake.err.photo_outside", err, "dir", p.dir) // a link out of the folder
		}
		return refuse("intake.err.photo_file", err)
	}
	if !fi.Mode().IsRegular() {
		return refuse("intake.err.photo_file", errors.New("not a regular file"))
	}
	if fi.Size() > MaxPhoto {
		return refuse("intake.err.photo_too_large", nil, "max", MaxPhoto>>20)
	}
	f, err := p.root.Open(name)
	if err != nil {
		return refuse("intake.err.photo_file", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPhoto+1))
	if err != nil {
		return refuse("intake.err.photo_file", err)
	}
	mediaType, cerr := CheckPhoto(data)
	if errors.Is(cerr, ErrPhotoTooLarge) {
		return refuse("intake.err.photo_too_large", nil, "max", MaxPhoto>>20)
	}
	if cerr != nil {
		return refuse("intake.err.photo_not_picture", cerr)
	}
	form, err := report.PrintForm(data)
	if err != nil {
		return refuse("intake.err.photo_not_picture", err)
	}
	return data, mediaType, form, nil
}

// realPath is the absolute path with every symbolic link resolved.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	if runtime.GOOS == "windows" { // names differ in case only
		path, dir = strings.ToLower(path), strings.ToLower(dir)
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}
