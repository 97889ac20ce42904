package assets_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/sfnt"

	"github.com/kordon/kordon/assets"
	"github.com/kordon/kordon/translations"
)

// texts collects every text of a catalog, plural forms included.
func texts(v any, out *[]string) {
	switch t := v.(type) {
	case string:
		*out = append(*out, t)
	case map[string]any:
		for _, x := range t {
			texts(x, out)
		}
	}
}

// TestFontsCoverEveryCatalog proves that the fonts the screen and the
// printed protocol use have a glyph for every character of every message in
// every language, so no officer sees an empty box.
func TestFontsCoverEveryCatalog(t *testing.T) {
	var fonts []*sfnt.Font
	for _, name := range []string{assets.FontRegular, assets.FontBold} {
		data, err := assets.FS.ReadFile(name)
		require.NoError(t, err)
		f, err := sfnt.Parse(data)
		require.NoError(t, err, name)
		fonts = append(fonts, f)
	}
	files, err := fs.Glob(translations.FS, "*.json")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 8)
	var buf sfnt.Buffer
	for _, file := range files {
		data, err := translations.FS.ReadFile(file)
		require.NoError(t, err)
		var cat map[string]any
		require.NoError(t, json.Unmarshal(data, &cat))
		var all []string
		texts(cat, &all)
		missing := map[rune]bool{}
		for _, s := range all {
			for _, r := range s {
				if unicode.IsSpace(r) && r != '\u00a0' || unicode.IsControl(r) {
					continue
				}
				for _, f := range fonts {
					if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
						missing[r] = true
					}
				}
			}
		}
		var list []string
		for r := range missing {
			list = append(list, fmt.Sprintf("%c U+%04X", r, r))
		}
		assert.Empty(t, list, "%s: characters without a glyph in the embedded fonts", file)
	}
}

// TestFontsCoverTheRegionsLetters checks the letters names are written in,
// beyond what the catalogs happen to use.
func TestFontsCoverTheRegionsLetters(t *testing.T) {
	letters := "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя" +
		"ӘәҒғҚқҢңӨөҰұҮүҺһІі" + "ӢӣӮӯҲҳҶҷ" + "ЎўҚқҒғҲҳ" + "ÄäÇçŇňÖöŞşÜüÝýŽž" + "ʻʼ‘’№«»—…"
	data, err := assets.FS.ReadFile(assets.FontRegular)
	require.NoError(t, err)
	f, err := sfnt.Parse(data)
	require.NoError(t, err)
	var buf sfnt.Buffer
	for _, r := range letters {
		gi, err := f.GlyphIndex(&buf, r)
		assert.True(t, err == nil && gi != 0, "no glyph for %q", r)
	}
}
