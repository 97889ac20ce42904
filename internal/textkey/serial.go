package textkey

import (
	"unicode"
	"unicode/utf8"
)

// Serial returns the key of a serial number, a vehicle plate, a container,
// seal, lot or document number: upper-case ASCII letters and digits only, so
// that "АК 12-345" typed in Cyrillic, "AK12345" and "ak-12 345" give the same
// key, AK12345.
//
// Spaces, hyphens, dots, slashes and every other sign are dropped, and so is
// a number sign before the identifier: №, #, and No, Nr or N° when a dot, or
// spaces and a digit, follow them ("No. 1234" and "№1234" are 1234, but
// "NO1234" is kept whole, since serials may begin with those letters).
//
// Cyrillic letters that look like Latin ones are that Latin letter: А→A В→B
// Е→E К→K М→M Н→H О→O Р→P С→C Т→T У→Y Х→X, lower-case too, and Ѕ→S І→I Ј→J
// Ү→Y. A Cyrillic letter that is another one with a tail, a stroke, a breve,
// a macron or a diaeresis is read as that letter, because a stamp or a hand
// copy easily loses the mark: Қ→K, Ң→H, Ҳ→X, Ұ Ў Ӯ→Y, Ё→E, Ғ→G, Ҷ→CH. Other
// Cyrillic letters are transliterated as [Latin] transliterates them before
// it folds spelling (Б→B, Г→G, Д→D, Ж→ZH, Ш→SH, Я→IA, Ә→A, Ө→O, Һ→H); the
// hard and soft signs are dropped. Latin letters lose their diacritics
// (Ş→S, Ö→O), and ß is SS.
//
// Serial does not merge letters with digits that look like them (O and 0,
// I and 1, З and 3): both occur in real serials. It is idempotent:
// Serial(Serial(s)) == Serial(s).
func Serial(s string) string {
	if isSerialKey(s) {
		return s
	}
	var buf [64]byte
	b := buf[:0]
	wordStart := true
	for i := 0; i < len(s); {
		if wordStart {
			if n := numberSign(s[i:]); n > 0 {
				i += n
				continue
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
				b = append(b, c)
			case 'a' <= c && c <= 'z':
				b = append(b, c-'a'+'A')
			}
			wordStart = !isASCIIAlnum(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		t := serialOf(r)
		b = append(b, t...)
		wordStart = t == "" && !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}
	return string(b)
}

// isSerialKey reports whether s is already a key: only A-Z and 0-9.
func isSerialKey(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// isASCIIAlnum reports whether c is an ASCII letter or digit.
func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// numberSign returns the length of the number sign that s begins with, or
// 0: No, Nr or N followed by °/º, where No and Nr must be followed by a dot,
// or by spaces and a digit.
func numberSign(s string) int {
	if len(s) < 2 || s[0] != 'N' && s[0] != 'n' {
		return 0
	}
	switch s[1] {
	case 'o', 'O', 'r', 'R':
	default:
		if r, n := utf8.DecodeRuneInString(s[1:]); r == '°' || r == 'º' {
			return 1 + n
		}
		return 0
	}
	rest := s[2:]
	if rest == "" {
		return 0
	}
	if rest[0] == '.' {
		return 3
	}
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
		i++
	}
	if i > 0 && i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
		return 2 + i
	}
	return 0
}

// serialOf returns the upper-case ASCII that a non-ASCII rune stands for in
// a serial key, or "".
func serialOf(r rune) string {
	switch {
	case isCyrillic(r):
		return serialCyr[r-cyrFirst]
	case latFirst <= r && r < latFirst+rune(len(latLatin)):
		return serialLatin[r-latFirst]
	case latAddFirst <= r && r < latAddFirst+rune(len(latAddLatin)):
		return serialLatAdd[r-latAddFirst]
	case 0xFF10 <= r && r <= 0xFF19: // fullwidth digits
		return asciiSerial[r-0xFF10+'0']
	case 0xFF21 <= r && r <= 0xFF3A: // fullwidth capitals
		return asciiSerial[r-0xFF21+'A']
	case 0xFF41 <= r && r <= 0xFF5A: // fullwidth small letters
		return asciiSerial[r-0xFF41+'A']
	}
	if d := digitValue(r); d >= 0 {
		return asciiSerial['0'+d]
	}
	return ""
}

// asciiSerial holds the one-letter strings A-Z and 0-9, indexed by byte.
var asciiSerial = func() (t [128]string) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = string(c)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = string(c)
	}
	return t
}()

// serialLookalike maps the upper-case Cyrillic letters that look like a
// Latin letter to that letter.
var serialLookalike = map[rune]string{
	'А': "A", 'В': "B", 'Е': "E", 'К': "K", 'М': "M", 'Н': "H", 'О': "O",
	'Р': "P", 'С': "C", 'Т': "T", 'У': "Y", 'Х': "X",
	'Ѕ': "S", 'І': "I", 'Ј': "J", 'Ү': "Y", 'Ӏ': "I", 'Ԛ': "Q", 'Ԝ': "W",
}

// serialBase maps upper-case Cyrillic letters that are another letter with
// a tail or a stroke, and do not decompose in Unicode, to that letter.
var serialBase = map[rune]rune{
	'Қ': 'К', 'Ҡ': 'К', 'Ҝ': 'К', 'Ҟ': 'К', 'Ӄ': 'К',
	'Ң': 'Н', 'Ӈ': 'Н', 'Ӊ': 'Н',
	'Ҳ': 'Х', 'Ӽ': 'Х', 'Ӿ': 'Х',
	'Ұ': 'У', 'Ҫ': 'С', 'Ҭ': 'Т', 'Ӎ': 'М',
	'Ғ': 'Г', 'Ҕ': 'Г', 'Ӷ': 'Г',
	'Ҷ': 'Ч', 'Ҹ': 'Ч', 'Ӌ': 'Ч',
	'Ҙ': 'З', 'Җ': 'Ж', 'Ӆ': 'Л', 'Ө': 'О', 'Ӫ': 'О',
}

// serialCyr is what each rune from U+0400 to U+052F is in a serial key:
// the Latin letter its base letter looks like, or the base letter's
// transliteration.
var serialCyr = func() (t [0x130]string) {
	for i := range t {
		r := rune(cyrFirst + i)
		if !unicode.IsLetter(r) {
			continue
		}
		u := unicode.ToUpper(r)
		if b, ok := serialBase[u]; ok {
			u = b
		} else if b := baseRune(u); b != u && isCyrillicRange(b) {
			u = b // Ё, Й, Ў, Ӯ, Ӣ, Ӧ, Ї…
		}
		if lat, ok := serialLookalike[u]; ok {
			t[i] = lat
		} else if isCyrillicRange(u) {
			t[i] = upperASCII(cyrLatin[u-cyrFirst])
		}
	}
	return t
}()

// serialLatin and serialLatAdd are what the runes of U+0080-U+02AF and of
// U+1E00-U+1EFF are in a serial key: Latin letters without their
// diacritics, and nothing for the other runes.
var (
	serialLatin  = buildSerialLatin(latFirst, len(latLatin))
	serialLatAdd = buildSerialLatin(latAddFirst, len(latAddLatin))
)

// serialLatinSpecial holds the upper-case Latin letters that do not
// decompose to an ASCII letter and a diacritic.
var serialLatinSpecial = map[rune]string{
	'ß': "SS", 'ẞ': "SS", 'Æ': "AE", 'Œ': "OE", 'Ø': "O", 'Þ': "TH", 'Ð': "D",
	'Đ': "D", 'Ł': "L", 'Ħ': "H", 'Ŋ': "N", 'Ə': "A", 'Ƶ': "Z", 'ı': "I",
	'ſ': "S",
}

// buildSerialLatin builds the serial table of the n runes from first on.
func buildSerialLatin(first rune, n int) []string {
	t := make([]string, n)
	for i := range t {
		r := first + rune(i)
		if !unicode.IsLetter(r) {
			continue
		}
		if s, ok := serialLatinSpecial[r]; ok {
			t[i] = s
			continue
		}
		u := unicode.ToUpper(r)
		if s, ok := serialLatinSpecial[u]; ok {
			t[i] = s
		} else if b := baseRune(u); 'A' <= b && b <= 'Z' {
			t[i] = string(b)
		}
	}
	return t
}

// upperASCII returns the letters and digits of an ASCII string, upper-cased.
func upperASCII(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}
