package report

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// halfBlack is a w×h image, black on the left half and white on the right.
func halfBlack(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if x < w/2 {
				c = color.RGBA{0, 0, 0, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// withOrientation inserts an EXIF block with the given orientation after
// the JPEG's start marker.
func withOrientation(t *testing.T, jpg []byte, o int, order binary.ByteOrder) []byte {
	t.Helper()
	var tiff bytes.Buffer
	if order == binary.BigEndian {
		tiff.WriteString("MM")
	} else {
		tiff.WriteString("II")
	}
	w := func(v any) { require.NoError(t, binary.Write(&tiff, order, v)) }
	w(uint16(42))
	w(uint32(8))
	w(uint16(1))              // one entry
	w([]uint16{0x0112, 3})    // orientation, SHORT
	w(uint32(1))              // count
	w([]uint16{uint16(o), 0}) // value, left-justified
	w(uint32(0))              // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, 0xE1, byte((len(seg)+2)>>8), byte(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}))
	return buf.Bytes()
}

func TestScalePhotoOrientation(t *testing.T) {
	base := encodeJPEG(t, halfBlack(80, 40))
	// Where the black half of the stored image ends up when shown upright.
	tests := []struct {
		orientation int
		w, h        int
		black       image.Point // a point that must be black
		white       image.Point // a point that must be white
	}{
		{1, 80, 40, image.Pt(5, 20), image.Pt(75, 20)},
		{2, 80, 40, image.Pt(75, 20), image.Pt(5, 20)},
		{3, 80, 40, image.Pt(75, 20), image.Pt(5, 20)},
		{4, 80, 40, image.Pt(5, 20), image.Pt(75, 20)},
		{5, 40, 80, image.Pt(20, 5), image.Pt(20, 75)},
		{6, 40, 80, image.Pt(20, 5), image.Pt(20, 75)},
		{7, 40, 80, image.Pt(20, 75), image.Pt(20, 5)},
		{8, 40, 80, image.Pt(20, 75), image.Pt(20, 5)},
	}
	for _, tt := range tests {
		for _, order := range []binary.ByteOrder{binary.BigEndian, binary.LittleEndian} {
			t.Run(fmt.Sprintf("%d/%v", tt.orientation, order), func(t *testing.T) {
				data := withOrientation(t, base, tt.orientation, order)
				require.Equal(t, tt.orientation, exifOrientation(data))
				w, h, err := orientedSize(data)
				require.NoError(t, err)
				assert.Equal(t, [2]int{tt.w, tt.h}, [2]int{w, h})
				p, err := scalePhoto(data, photoLongSide)
				require.NoError(t, err)
				img, err := jpeg.Decode(bytes.NewReader(p.jpeg))
				require.NoError(t, err)
				assert.Equal(t, image.Rect(0, 0, tt.w, tt.h), img.Bounds())
				y := func(pt image.Point) uint8 { return color.GrayModel.Convert(img.At(pt.X, pt.Y)).(color.Gray).Y }
				assert.Less(t, y(tt.black), uint8(40))
				assert.Greater(t, y(tt.white), uint8(215))
			})
		}
	}
}

func TestScalePhotoFormats(t *testing.T) {
	var pngBuf bytes.Buffer
	trans := image.NewNRGBA(image.Rect(0, 0, 3000, 1000)) // fully transparent
	require.NoError(t, png.Encode(&pngBuf, trans))
	gray := image.NewGray(image.Rect(0, 0, 2400, 2400))
	tests := []struct {
		name    string
		data    []byte
		w, h    int
		wantErr string
	}{
		{"jpeg small stays", encodeJPEG(t, halfBlack(640, 480)), 640, 480, ""},
		{"png transparent on white", pngBuf.Bytes(), 1200, 400, ""},
		{"gray jpeg", encodeJPEG(t, gray), 1200, 1200, ""},
		{"heic", []byte("\x00\x00\x00\x18ftypheic"), 0, 0, "decode"},
		{"truncated jpeg", encodeJPEG(t, halfBlack(640, 480))[:300], 0, 0, "decode"},
		{"empty", nil, 0, 0, "decode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := scalePhoto(tt.data, photoLongSide)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, [2]int{tt.w, tt.h}, [2]int{p.w, p.h})
			img, err := jpeg.Decode(bytes.NewReader(p.jpeg))
			require.NoError(t, err)
			assert.Equal(t, image.Rect(0, 0, tt.w, tt.h), img.Bounds())
			if tt.name == "png transparent on white" {
				c := color.GrayModel.Convert(img.At(600, 200)).(color.Gray)
				assert.Greater(t, c.Y, uint8(245), "transparency is flattened onto white")
			}
		})
	}
}

func TestPreparePhotosUniqueWidths(t *testing.T) {
	photoCache.reset(32 << 20)
	land := encodeJPEG(t, halfBlack(1600, 1200))
	port := encodeJPEG(t, halfBlack(1200, 1600))
	store := map[string][]byte{}
	var shas []string
	for i, data := range [][]byte{land, land, port, land, port} {
		// Distinct keys for equal content, as two records of one photo.
		sha := fmt.Sprintf("%064x", i)
		store[sha] = data
		shas = append(shas, sha)
	}
	res := preparePhotos(shas, loader(store), nil)
	seen := map[int]bool{}
	for i, r := range res {
		require.NoError(t, r.err)
		assert.NotEmpty(t, r.mismatch, "the keys are not the content's SHA-256")
		assert.False(t, seen[r.photo.w], "photo %d: width %d already used", i, r.photo.w)
		seen[r.photo.w] = true
	}
	assert.Equal(t, [2]int{1200, 900}, [2]int{res[0].photo.w, res[0].photo.h})
	assert.Equal(t, [2]int{1199, 899}, [2]int{res[1].photo.w, res[1].photo.h})
	assert.Equal(t, [2]int{900, 1200}, [2]int{res[2].photo.w, res[2].photo.h})
	assert.Equal(t, 1198, res[3].photo.w)
	assert.Equal(t, 899, res[4].photo.w)
}

func TestFitLong(t *testing.T) {
	tests := []struct{ w, h, long, wantW, wantH int }{
		{4000, 3000, 1200, 1200, 900},
		{3000, 4000, 1200, 900, 1200},
		{800, 600, 1200, 800, 600},
		{12000, 10, 1200, 1200, 1},
		{1200, 1200, 1199, 1199, 1199},
	}
	for _, tt := range tests {
		w, h := fitLong(tt.w, tt.h, tt.long)
		assert.Equal(t, [2]int{tt.wantW, tt.wantH}, [2]int{w, h}, "%d×%d to %d", tt.w, tt.h, tt.long)
	}
}

func TestBoxScale(t *testing.T) {
	// A 4×2 plane of two 2×2 blocks scales to their means.
	src := []uint8{0, 100, 200, 200, 100, 0, 200, 200}
	dst := make([]uint8, 2)
	boxScale(src, 4, 1, 4, 2, dst, 2, 1)
	assert.Equal(t, []uint8{50, 200}, dst)
	// Enlarging repeats pixels.
	up := make([]uint8, 4)
	boxScale([]uint8{10, 20}, 2, 1, 2, 1, up, 4, 1)
	assert.Equal(t, []uint8{10, 10, 20, 20}, up)
}

func TestExifOrientationMalformed(t *testing.T) {
	base := encodeJPEG(t, halfBlack(8, 8))
	tests := map[string][]byte{
		"not a jpeg":    []byte("GIF89a"),
		"no exif":       base,
		"bad tiff":      append(append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 12}, []byte("Exif\x00\x00XXXX")...), base[2:]...),
		"cut segment":   []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E'},
		"huge ifd ptr":  withOrientation(t, base, 6, binary.BigEndian)[:20],
		"orientation 9": withOrientation(t, base, 9, binary.LittleEndian),
	}
	for name, data := range tests {
		assert.Equal(t, 1, exifOrientation(data), name)
	}
}

func TestCacheEvicts(t *testing.T) {
	c := newCache(3000)
	for i := range 10 {
		c.put(fmt.Sprint(i), &printPhoto{jpeg: make([]byte, 1000)}, nil)
	}
	_, _, ok := c.get("0")
	assert.False(t, ok, "the oldest entries went")
	_, _, ok = c.get("9")
	assert.True(t, ok)
	assert.LessOrEqual(t, c.size, 3000)
}

func TestPreparedPrintFormsArePlacedAsTheyAre(t *testing.T) {
	store, shas := photoSet(t, 3)
	in := manyItems(2)
	withPhotos(in, shas)
	forms := map[string][]byte{}
	widths := map[int]bool{}
	for _, sha := range shas {
		data, _ := loader(store)(sha)
		form, err := PrintForm(data)
		require.NoError(t, err)
		w, h, err := orientedSize(form)
		require.NoError(t, err)
		assert.LessOrEqual(t, max(w, h), photoLongSide)
		widths[w] = true
		forms[sha] = form
	}
	opt := Options{Lang: catalog(t).For("en"), Hash: hashOf(t, in), Photo: loader(store),
		Prepared: func(sha string) []byte { return forms[sha] }}
	var a, b bytes.Buffer
	warnings, err := Protocol(&a, in, opt)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	photoCache.reset(32 << 20)
	_, err = Protocol(&b, in, opt)
	require.NoError(t, err)
	assert.Equal(t, a.Bytes(), b.Bytes(), "the same bytes every time")
	// Without the originals the prepared forms are enough.
	opt.Photo = func(string) ([]byte, error) { return nil, errors.New("not here") }
	warnings, err = Protocol(&b, in, opt)
	require.NoError(t, err)
	assert.Empty(t, warnings)
}
