// Package textkey turns names, places, plates, serial numbers and free text
// into search keys, so that a query finds a record whatever the case, script
// or apostrophe it was typed with.
//
// Three keys serve three kinds of field:
//
//   - [Fold] keeps the script and only evens out case, ё, apostrophes and
//     spaces: the key for free text and for a Cyrillic query to find
//     Cyrillic text.
//   - [Latin] is a Latin skeleton of a person's or a place's name, so that
//     Иванов finds Ivanov, Қасымов finds Qasymov and Ўринов finds Oʻrinov.
//   - [Serial] is the key for serial numbers, plates and other identifiers,
//     where Cyrillic and Latin look-alike letters (А and A, Н and H) are one
//     letter.
//
// [Words] splits a folded string into the words a full-text index or a query
// is made of.
//
// The functions are safe for concurrent use, accept any string (invalid
// UTF-8 included) and allocate at most the string they return.
package textkey

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNormPasses bounds how often Fold re-normalises its own output. One
// pass is enough for real text; a second one is needed only when lower-casing
// made letters that NFC composes (J̌ → ǰ) or when dropping an invisible
// character brought a base letter and its combining mark together.
const maxNormPasses = 4

// Fold returns s in Unicode NFC, fully lower-cased (Cyrillic too), with ё
// written е, every apostrophe-like sign used for the Uzbek and Turkic ʻ and ’
// (ʻ U+02BB, ‘ U+2018, ’ U+2019, ' U+0027, ʼ U+02BC, ` U+0060, ´ U+00B4,
// and also ‛ U+201B, ′ U+2032, ʽ U+02BD, ＇ U+FF07) written as the ASCII
// apostrophe ', each run of white space written as one space, and no space
// at either end.
//
// Fold keeps the script: it never transliterates. Invisible format
// characters (zero-width space, soft hyphen, byte order mark, direction
// marks), control characters and invalid UTF-8 are dropped. Fold is
// idempotent: Fold(Fold(s)) == Fold(s).
func Fold(s string) string {
	out := foldMap(toNFC(s))
	for i := 0; i < maxNormPasses && !isNFC(out); i++ {
		out = foldMap(norm.NFC.String(out))
	}
	return out
}

// isNFC reports whether s is in NFC, without allocating when the quick
// check is sure.
func isNFC(s string) bool {
	return isPlainNFC(s) || norm.NFC.QuickSpanString(s) == len(s) || norm.NFC.IsNormalString(s)
}

// isPlainNFC reports whether every rune of s is one that is in NFC by itself
// and never combines with its neighbours (see nfcPlain); such a string is in
// NFC. It is a fast path for the names and numbers Kordon keys.
func isPlainNFC(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !nfcPlain(r) {
			return false
		}
		i += n
	}
	return true
}

// nfcPlain reports whether r is in NFC by itself and has canonical
// combining class 0, which TestNFCPlain checks for every such rune: the
// Latin, IPA and spacing modifier blocks, the Cyrillic letters, and the
// typographic quotes and dashes.
func nfcPlain(r rune) bool {
	return r < 0x0300 || 0x0400 <= r && r <= 0x0482 || 0x048A <= r && r <= 0x052F || 0x2010 <= r && r <= 0x2027
}

// toNFC returns s in NFC; s itself if it is already.
func toNFC(s string) string {
	if isNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// foldMap applies Fold's per-rune mapping to s, which should be in NFC. It
// returns s itself when nothing changes.
func foldMap(s string) string {
	if isFolded(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false // a space is pending: written only before the next kept rune
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch m := foldRune(r); {
		case m == ' ':
			space = len(b) > 0
		case m < 0:
			// dropped
		default:
			if space {
				b = append(b, ' ')
				space = false
			}
			b = utf8.AppendRune(b, m)
		}
	}
	return string(b)
}

// isFolded reports whether foldMap would return s unchanged.
func isFolded(s string) bool {
	prevSpace := true // a space at the start is not folded
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case 'A' <= c && c <= 'Z', c < ' ', c == 0x7f, c == '`':
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if foldRune(r) != r {
			return false
		}
		prevSpace = false
		i += n
	}
	return !prevSpace || len(s) == 0
}

// foldRune maps one rune for Fold: ' ' for white space, -1 for a rune to
// drop, else the rune to write.
func foldRune(r rune) rune {
	if r < rune(len(foldTable)) {
		return foldTable[r]
	}
	return foldRuneSlow(r)
}

// foldTable holds foldRune of the runes below U+0530: Latin, Greek and
// Cyrillic.
var foldTable = func() (t [0x530]rune) {
	for r := range t {
		t[r] = foldRuneSlow(rune(r))
	}
	return t
}()

// foldRuneSlow is foldRune without the table.
func foldRuneSlow(r rune) rune {
	switch {
	case r == utf8.RuneError:
		return -1
	case isApostrophe(r):
		return '\''
	case unicode.IsSpace(r):
		return ' '
	case r < ' ' || r == 0x7f || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
		return -1
	case r == 'ё' || r == 'Ё':
		return 'е'
	}
	return unicode.ToLower(r)
}

// isApostrophe reports whether r is one of the signs typed for the Uzbek
// and Turkic apostrophe (ʻ in Oʻ and Gʻ, ’ for the glottal stop).
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '\u00B4', '\u02BB', '\u02BC', '\u02BD', '\u2018', '\u2019', '\u201B', '\u2032', '\uFF07':
		return true
	}
	return false
}

// Words splits s, normally the result of [Fold], into search words: maximal
// runs of letters, digits and combining marks. An apostrophe between two
// such characters belongs to the word (oʻrinov stays one word); apostrophes
// at either end of a word are dropped, and every other character (space,
// hyphen, punctuation, symbol) separates words. The words are substrings of
// s, in order; Words returns nil when s has none.
func Words(s string) []string {
	var words []string
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		start, end := i, i+n
		i = end
		for i < len(s) {
			r, n = utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) {
				i += n
				end = i
			} else if isApostrophe(r) {
				i += n
			} else {
				break
			}
		}
		if words == nil {
			words = make([]string, 0, 4)
		}
		words = append(words, s[start:end])
	}
	return words
}

// isWordRune reports whether r can be part of a search word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if isApostrophe(r) || r == utf8.RuneError {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}
