package report

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"runtime"
	"strconv"
	"strings"
	"sync"

	// Formats a phone or scanner produces and Go can read.
	_ "image/gif"
	_ "image/png"
)

// Print settings of photos: the long side in pixels after scaling (about
// 350 dpi in a 86 mm wide frame); the JPEG quality, lowered step by step
// for a photo so full of detail that it would take more than photoMaxBytes,
// so that ten photos stay well under 3 MB; and the largest source image
// accepted, in pixels, so that a hostile file cannot exhaust memory.
const (
	photoLongSide   = 1200
	photoQuality    = 80
	photoMinQuality = 50
	photoMaxBytes   = 250 << 10
	maxPhotoArea    = 100_000_000
)

// printPhoto is a photo ready to be placed: a JPEG and its pixel size.
type printPhoto struct {
	jpeg []byte
	w, h int
}

// photoResult is the outcome of preparing one photo: the print form, or
// the reason there is none.
type photoResult struct {
	photo *printPhoto
	err   error
	// mismatch is set when the bytes do not hash to the recorded SHA-256.
	mismatch string
}

// preparePhotos loads every photo with load (called from this goroutine
// only, one photo at a time) and scales them for print on up to GOMAXPROCS
// goroutines. Results are in the order of shas.
//
// Every photo gets a pixel width of its own, its long side reduced by a
// pixel where an earlier photo has the same width: fpdf writes images of
// equal width in map order (its catalog sort compares widths only), and
// the protocol must come out byte for byte the same every time.
//
// A photo that prepared returns a print form for is placed from that form,
// which is already upright and small, instead of from the original.
func preparePhotos(shas []string, load func(string) ([]byte, error), prepared func(string) []byte) []photoResult {
	results := make([]photoResult, len(shas))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(shas)))
	type job struct {
		i       int
		data    []byte
		long    int
		derived bool // data is a print form, not the recorded original
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				recorded := shas[j.i]
				if j.derived {
					recorded = ""
				}
				results[j.i] = prepareOne(recorded, j.data, j.long)
			}
		}()
	}
	usedWidth := make(map[int]bool, len(shas))
	for i, sha := range shas {
		var data []byte
		var err error
		derived := false
		if prepared != nil {
			data = prepared(sha)
			derived = data != nil
		}
		if !derived {
			data, err = load(sha)
		}
		if err != nil {
			results[i] = photoResult{err: fmt.Errorf("load: %w", err)}
			continue
		}
		w, h, err := orientedSize(data)
		if err != nil {
			results[i] = photoResult{err: err}
			continue
		}
		long := photoLongSide
		for long > 1 {
			if sw, _ := fitLong(w, h, long); !usedWidth[sw] {
				usedWidth[sw] = true
				break
			}
			long--
		}
		jobs <- job{i, data, long, derived}
	}
	close(jobs)
	wg.Wait()
	return results
}

// orientedSize returns the size of an image as it will be printed, after
// turning it upright, without decoding the pixels.
func orientedSize(data []byte) (w, h int, err error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, fmt.Errorf("decode: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoArea {
		return 0, 0, fmt.Errorf("decode %s: %d×%d pixels is out of range", format, cfg.Width, cfg.Height)
	}
	if format == "jpeg" && exifOrientation(data) >= 5 {
		return cfg.Height, cfg.Width, nil
	}
	return cfg.Width, cfg.Height, nil
}

// prepareOne checks data against the recorded SHA-256 (unless recorded is
// empty: data is a print form) and returns its print form with the given
// long side, from the cache when the same content was prepared at that
// size before.
func prepareOne(recorded string, data []byte, long int) photoResult {
	sum := sha256.Sum256(data)
	actual := hex.EncodeToString(sum[:])
	var res photoResult
	if recorded != "" && !strings.EqualFold(actual, recorded) {
		res.mismatch = actual
	}
	if recorded == "" {
		// A print form that already fits is placed as it is.
		if cfg, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && format == "jpeg" {
			if w, h := fitLong(cfg.Width, cfg.Height, long); w == cfg.Width && h == cfg.Height {
				res.photo = &printPhoto{jpeg: data, w: w, h: h}
				return res
			}
		}
	}
	key := actual + "@" + strconv.Itoa(long)
	if p, err, ok := photoCache.get(key); ok {
		res.photo, res.err = p, err
		return res
	}
	res.photo, res.err = scalePhoto(data, long)
	photoCache.put(key, res.photo, res.err)
	return res
}

// scalePhoto decodes an image, turns it upright as its EXIF orientation
// says, scales it so that its long side is at most long pixels, and
// encodes it as JPEG.
func scalePhoto(data []byte, long int) (*printPhoto, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoArea {
		return nil, fmt.Errorf("decode %s: %d×%d pixels is out of range", format, cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", format, err)
	}
	orientation := 1
	if format == "jpeg" {
		orientation = exifOrientation(data)
	}
	b := img.Bounds()
	// The long side is that of the upright image, the same as the stored.
	w, h := fitLong(b.Dx(), b.Dy(), long)
	var p *planes
	switch m := img.(type) {
	case *image.YCbCr:
		p = scaleYCbCr(m, w, h)
	case *image.Gray:
		p = newPlanes(w, h)
		boxScale(m.Pix, m.Stride, 1, b.Dx(), b.Dy(), p.c[0], w, h)
		fillPlane(p.c[1], 128)
		fillPlane(p.c[2], 128)
	default:
		p = scaleRGBA(toRGBA(img), w, h)
	}
	p = p.orient(orientation)
	out := &image.YCbCr{
		Y: p.c[0], Cb: p.c[1], Cr: p.c[2],
		YStride: p.w, CStride: p.w,
		SubsampleRatio: image.YCbCrSubsampleRatio444,
		Rect:           image.Rect(0, 0, p.w, p.h),
	}
	var buf bytes.Buffer
	for q := photoQuality; ; q -= 10 {
		buf.Reset()
		if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: q}); err != nil {
			return nil, fmt.Errorf("encode scaled photo: %w", err)
		}
		if buf.Len() <= photoMaxBytes || q-10 < photoMinQuality {
			break
		}
	}
	return &printPhoto{jpeg: bytes.Clone(buf.Bytes()), w: p.w, h: p.h}, nil
}

// fitLong returns w×h scaled down so that the longer side is at most long,
// keeping the aspect ratio; an image already small enough keeps its size.
func fitLong(w, h, long int) (int, int) {
	if w <= long && h <= long {
		return w, h
	}
	if w >= h {
		return long, max(1, (h*long+w/2)/w)
	}
	return max(1, (w*long+h/2)/h), long
}

// planes is an image as three 8-bit planes of equal size: Y, Cb, Cr.
type planes struct {
	w, h int
	c    [3][]uint8
}

func newPlanes(w, h int) *planes {
	p := &planes{w: w, h: h}
	for i := range p.c {
		p.c[i] = make([]uint8, w*h)
	}
	return p
}

func fillPlane(p []uint8, v uint8) {
	for i := range p {
		p[i] = v
	}
}

// scaleYCbCr scales a decoded JPEG plane by plane, without converting its
// colours; the chroma planes are scaled from their subsampled size.
func scaleYCbCr(m *image.YCbCr, w, h int) *planes {
	p := newPlanes(w, h)
	b := m.Bounds()
	boxScale(m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, 1, b.Dx(), b.Dy(), p.c[0], w, h)
	cw, ch := chromaSize(m.SubsampleRatio, b.Dx(), b.Dy())
	off := m.COffset(b.Min.X, b.Min.Y)
	boxScale(m.Cb[off:], m.CStride, 1, cw, ch, p.c[1], w, h)
	boxScale(m.Cr[off:], m.CStride, 1, cw, ch, p.c[2], w, h)
	return p
}

// chromaSize is the size of the chroma planes of a w×h image.
func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// toRGBA draws any image onto white, which also flattens transparency.
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(out, out.Rect, img, b.Min, draw.Over)
	return out
}

// scaleRGBA scales an RGBA image and converts the result to YCbCr.
func scaleRGBA(m *image.RGBA, w, h int) *planes {
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	rgb := newPlanes(w, h)
	for c := range 3 {
		boxScale(m.Pix[c:], m.Stride, 4, sw, sh, rgb.c[c], w, h)
	}
	for i := range rgb.c[0] {
		y, cb, cr := color.RGBToYCbCr(rgb.c[0][i], rgb.c[1][i], rgb.c[2][i])
		rgb.c[0][i], rgb.c[1][i], rgb.c[2][i] = y, cb, cr
	}
	return rgb
}

// boxScale resamples a sw×sh plane (rows stride bytes apart, samples step
// bytes apart) to dw×dh in dst. Each destination pixel is the mean of the
// source pixels its area covers, which avoids the aliasing of point
// sampling; when enlarging (chroma of a barely reduced photo), it repeats
// the nearest pixel.
func boxScale(src []uint8, stride, step, sw, sh int, dst []uint8, dw, dh int) {
	x0 := make([]int, dw+1)
	for x := range x0 {
		x0[x] = x * sw / dw
	}
	sums := make([]uint32, dw)
	for y := range dh {
		ya, yb := y*sh/dh, (y+1)*sh/dh
		if yb <= ya {
			yb = ya + 1
		}
		clear(sums)
		for sy := ya; sy < yb; sy++ {
			row := src[sy*stride:]
			for x := range dw {
				xa, xb := x0[x], x0[x+1]
				if xb <= xa {
					xb = xa + 1
				}
				var s uint32
				for sx := xa; sx < xb; sx++ {
					s += uint32(row[sx*step])
				}
				sums[x] += s
			}
		}
		out := dst[y*dw : (y+1)*dw]
		rows := uint32(yb - ya)
		for x := range dw {
			n := uint32(max(x0[x+1]-x0[x], 1)) * rows
			out[x] = uint8((sums[x] + n/2) / n)
		}
	}
}

// orient applies an EXIF orientation (1–8) and returns the upright image.
func (p *planes) orient(o int) *planes {
	if o < 2 || o > 8 {
		return p
	}
	w, h := p.w, p.h
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := newPlanes(ow, oh)
	for c := range 3 {
		src, dst := p.c[c], out.c[c]
		for y := range h {
			for x := range w {
				var dx, dy int
				switch o {
				case 2: // mirrored horizontally
					dx, dy = w-1-x, y
				case 3: // rotated 180°
					dx, dy = w-1-x, h-1-y
				case 4: // mirrored vertically
					dx, dy = x, h-1-y
				case 5: // transposed
					dx, dy = y, x
				case 6: // rotated 90° clockwise to view
					dx, dy = h-1-y, x
				case 7: // transversed
					dx, dy = h-1-y, w-1-x
				case 8: // rotated 90° counter-clockwise to view
					dx, dy = y, w-1-x
				}
				dst[dy*ow+dx] = src[y*w+x]
			}
		}
	}
	return out
}

// exifOrientation returns the EXIF orientation tag of a JPEG, or 1 when
// there is none or it cannot be read.
func exifOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xFF {
			i += 1 + boolInt(marker != 0xFF)
			continue
		}
		if marker == 0xDA || marker == 0xD9 {
			return 1 // start of scan: no EXIF before the image data
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// tiffOrientation reads tag 0x0112 of IFD0 of an EXIF TIFF block.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[ifd:]))
	for k := range n {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// cache keeps the print form of recently used photos, keyed by the SHA-256
// of their content, so that printing a protocol again (or another protocol
// with the same photos) does not decode them again. Photos are
// content-addressed, so an entry never goes stale. Its size is bounded in
// bytes; the least recently used entries go first.
type cache struct {
	mu      sync.Mutex
	limit   int
	size    int
	entries map[string]*list.Element
	order   *list.List // front: most recently used
}

type cacheEntry struct {
	key   string
	photo *printPhoto
	err   error
}

func (e *cacheEntry) size() int {
	n := len(e.key) + 64
	if e.photo != nil {
		n += len(e.photo.jpeg)
	}
	return n
}

// photoCache holds up to 32 MB of print-ready photos: about 150 photos.
var photoCache = newCache(32 << 20)

func newCache(limit int) *cache {
	return &cache{limit: limit, entries: make(map[string]*list.Element), order: list.New()}
}

func (c *cache) get(key string) (*printPhoto, error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, nil, false
	}
	c.order.MoveToFront(el)
	e := el.Value.(*cacheEntry)
	return e.photo, e.err, true
}

func (c *cache) put(key string, p *printPhoto, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limit <= 0 {
		return
	}
	if _, ok := c.entries[key]; ok {
		return
	}
	e := &cacheEntry{key: key, photo: p, err: err}
	c.entries[key] = c.order.PushFront(e)
	c.size += e.size()
	for c.size > c.limit && c.order.Len() > 1 {
		last := c.order.Back()
		old := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.entries, old.key)
		c.size -= old.size()
	}
}

// reset empties the cache and sets its limit; tests and benchmarks use it
// to measure the first print of a photo.
func (c *cache) reset(limit int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit = limit
	c.size = 0
	clear(c.entries)
	c.order.Init()
}

// PrintForm returns the form in which a photo is printed: decoded, turned
// upright as its EXIF orientation says, scaled to the print size and
// encoded as JPEG. Made once when a photo is attached and kept, it spares
// each protocol the decoding of the full-size original (Options.Prepared).
//
// Its long side is a little under the print size, by an amount taken from
// the photo's hash: photos from one camera then get print forms of
// different widths, which the protocol needs (see preparePhotos) and would
// otherwise have to scale again while printing.
func PrintForm(photo []byte) ([]byte, error) {
	sum := sha256.Sum256(photo)
	p, err := scalePhoto(photo, photoLongSide-int(sum[0])%64)
	if err != nil {
		return nil, err
	}
	return p.jpeg, nil
}

// Thumbnail returns a photo small enough for a screen's list: upright, its
// long side at most long pixels, as JPEG.
func Thumbnail(photo []byte, long int) ([]byte, error) {
	p, err := scalePhoto(photo, long)
	if err != nil {
		return nil, err
	}
	return p.jpeg, nil
}
