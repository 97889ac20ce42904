package service

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
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
	if err != nil || (format != "jpeg" && format != "png") || cfg.Width <= 0 || cfg.Height <= 0 ||
		int64(cfg.Width)*int64(cfg.Height)*bytesPerPixel(cfg.ColorModel) > maxDecoded {
		return "", &Error{Key: ErrPhotoNotPicture.Key, Err: err}
	}
	return "image/" + format, nil
}

// maxDecoded caps the memory a photo takes once decoded: a small file can
// claim a huge picture (a 16-bit PNG of 10,000 × 10,000 pixels is 800 MB).
const maxDecoded = 256 << 20

// bytesPerPixel is what one pixel of a colour model takes once decoded.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4
}

// photoSource reads the photo files an intake names: only inside its folder
// (no absolute path, no "..", no symbolic link out of it), never inside the
// data folder, only regular files, and only pictures that decode.
type photoSource struct {
	dir, data string // real paths
	root      *os.Root
	err       error
	read1     map[string]photoFile // files read already, by name
}

type photoFile struct {
	data, form []byte
	mediaType  string
}

func newPhotoSource(dir, dataDir string) *photoSource {
	p := &photoSource{read1: map[string]photoFile{}}
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
	if f, ok := p.read1[filepath.Clean(name)]; ok {
		return f.data, f.mediaType, f.form, nil // one file named by several photos
	}
	data, mediaType, form, err := p.readFile(name)
	if err == nil {
		p.read1[filepath.Clean(name)] = photoFile{data: data, mediaType: mediaType, form: form}
	}
	return data, mediaType, form, err
}

func (p *photoSource) readFile(name string) ([]byte, string, []byte, *Error) {
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

// ThumbnailSide is the long side, in pixels, of the photos screens list.
const ThumbnailSide = 480

// Thumbnail is a stored photo made small for a screen (see
// report.Thumbnail), from its print form when it has one: decoding a
// 12-megapixel original for a list would hold some 36 MB for each photo.
func (s *Service) Thumbnail(ctx context.Context, sha string) ([]byte, error) {
	src, err := s.st.PrintForm(ctx, sha)
	if err != nil {
		return nil, err
	}
	if src == nil {
		if src, err = s.st.Media(ctx, sha); err != nil {
			return nil, err
		}
	}
	return report.Thumbnail(src, ThumbnailSide)
}
