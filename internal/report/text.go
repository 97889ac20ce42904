package report

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// coverage is the set of Basic Multilingual Plane characters a font has
// glyphs for, one bit per code point.
type coverage [0x10000 / 64]uint64

// has reports whether r has a glyph.
func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r/64]&(1<<(uint(r)%64)) != 0
}

// set marks r as covered.
func (c *coverage) set(r rune) { c[r/64] |= 1 << (uint(r) % 64) }

// intersect keeps only the characters both c and o cover.
func (c *coverage) intersect(o *coverage) {
	for i := range c {
		c[i] &= o[i]
	}
}

// parseCoverage reads the Unicode BMP character map (cmap subtable
// platform 3, encoding 1, format 4) of a TrueType font.
func parseCoverage(font []byte) (*coverage, error) {
	if len(font) < 12 {
		return nil, errors.New("font file too short")
	}
	be := binary.BigEndian
	numTables := int(be.Uint16(font[4:]))
	var cmap []byte
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil, errors.New("table directory truncated")
		}
		if string(font[rec:rec+4]) != "cmap" {
			continue
		}
		off, n := int(be.Uint32(font[rec+8:])), int(be.Uint32(font[rec+12:]))
		if off < 0 || n < 4 || off+n > len(font) {
			return nil, errors.New("cmap table out of bounds")
		}
		cmap = font[off : off+n]
	}
	if cmap == nil {
		return nil, errors.New("no cmap table")
	}
	count := int(be.Uint16(cmap[2:]))
	for i := range count {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		platform, encoding := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:])
		off := int(be.Uint32(cmap[rec+4:]))
		if platform != 3 || encoding != 1 || off+14 > len(cmap) || be.Uint16(cmap[off:]) != 4 {
			continue
		}
		return parseFormat4(cmap[off:])
	}
	return nil, errors.New("no Unicode BMP (3,1) format 4 cmap subtable")
}

// parseFormat4 reads a cmap format 4 subtable.
func parseFormat4(t []byte) (*coverage, error) {
	be := binary.BigEndian
	length := int(be.Uint16(t[2:]))
	if length > len(t) {
		length = len(t)
	}
	t = t[:length]
	segs := int(be.Uint16(t[6:])) / 2
	ends, starts, deltas, rangeOffs := 14, 16+2*segs, 16+4*segs, 16+6*segs
	if rangeOffs+2*segs > len(t) {
		return nil, errors.New("cmap format 4 subtable truncated")
	}
	c := new(coverage)
	for s := range segs {
		end := int(be.Uint16(t[ends+2*s:]))
		start := int(be.Uint16(t[starts+2*s:]))
		delta := int(be.Uint16(t[deltas+2*s:]))
		ro := int(be.Uint16(t[rangeOffs+2*s:]))
		for ch := start; ch <= end && ch < 0xFFFF; ch++ {
			glyph := 0
			if ro == 0 {
				glyph = (ch + delta) & 0xFFFF
			} else {
				at := rangeOffs + 2*s + ro + 2*(ch-start)
				if at+2 > len(t) {
					continue
				}
				if g := int(be.Uint16(t[at:])); g != 0 {
					glyph = (g + delta) & 0xFFFF
				}
			}
			if glyph != 0 {
				c.set(rune(ch))
			}
		}
	}
	return c, nil
}

// sanitizer makes user text safe and visible in the embedded font.
type sanitizer struct {
	cov *coverage
	// missing replaces a character the font cannot draw: U+FFFD when the
	// font has it, else '?'.
	missing rune
}

func newSanitizer(cov *coverage) *sanitizer {
	s := &sanitizer{cov: cov, missing: '?'}
	if cov.has(utf8.RuneError) {
		s.missing = utf8.RuneError
	}
	return s
}

// line returns s as one line: line breaks and tabs become spaces, runs of
// spaces are kept as typed.
func (s *sanitizer) line(str string) string {
	return s.clean(str, false)
}

// text returns s with its line breaks kept as '\n'.
func (s *sanitizer) text(str string) string {
	return s.clean(str, true)
}

// clean replaces invalid UTF-8, characters above U+FFFF (which fpdf cannot
// encode) and characters without a glyph, and removes control and format
// characters. Line breaks (\n, \r\n, \r, U+2028, U+2029) become '\n' when
// multiline is set, and spaces otherwise; tabs become spaces.
func (s *sanitizer) clean(str string, multiline bool) string {
	if s.plain(str) {
		return str
	}
	var b strings.Builder
	b.Grow(len(str))
	for i := 0; i < len(str); {
		r, size := utf8.DecodeRuneInString(str[i:])
		i += size
		switch {
		case r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			if r == '\r' && i < len(str) && str[i] == '\n' {
				i++
			}
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError && size == 1:
			b.WriteRune(s.missing)
		case r > 0xFFFF:
			b.WriteRune(s.missing)
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cs, r) || unicode.Is(unicode.Co, r) ||
			unicode.Is(unicode.Variation_Selector, r):
			// Control, format (zero-width, bidi), surrogate, private-use
			// and variation-selector characters print nothing useful;
			// drop them.
		case !s.cov.has(r):
			b.WriteRune(s.missing)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plain reports whether str is printable ASCII only, the common case.
func (s *sanitizer) plain(str string) bool {
	for i := 0; i < len(str); i++ {
		if c := str[i]; c < 0x20 || c >= 0x7F {
			return false
		}
	}
	return true
}

// fontCoverage returns the characters both fonts cover.
func fontCoverage(regular, bold []byte) (*coverage, error) {
	r, err := parseCoverage(regular)
	if err != nil {
		return nil, fmt.Errorf("regular font: %w", err)
	}
	b, err := parseCoverage(bold)
	if err != nil {
		return nil, fmt.Errorf("bold font: %w", err)
	}
	r.intersect(b)
	return r, nil
}
