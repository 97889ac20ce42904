package textkey

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Latin returns the Latin search key of a person's or a place's name, so
// that the same name written in the Cyrillic or Latin alphabets of Russia,
// Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan, or in a
// passport's machine-readable zone, gives the same key. The key holds only
// lower-case ASCII letters, digits and single spaces between words; it is
// made for comparing, not for display (Иванов is "ivanuv").
//
// Latin works in two steps. First, Cyrillic is transliterated with the ICAO
// Doc 9303 (Part 3) table that passports use, extended with the letters of
// the region that the table lacks, written as the states' own passports and
// Latin alphabets write them: Kazakh Ә a, Ғ g, Қ k, Ң n, Ө o, Ұ u, Ү u, Һ h,
// І i; Kyrgyz Ң Ө Ү likewise; Tajik Ғ g, Ӣ i, Қ k, Ӯ u, Ҳ h, Ҷ j; Uzbek
// Ў oʻ, Қ q, Ғ gʻ, Ҳ h. Latin letters with diacritics lose them, except
// those that stand for a Cyrillic letter (Turkmen and Turkish ş ç ž).
//
// Then the spelling is folded to a skeleton in which the conventions of the
// five states meet:
//
//   - case, apostrophes and the Cyrillic hard and soft signs are dropped
//     (Oʻ, O', O‘ and O are one; Маъруф is Maruf);
//   - oʻ, ö, ө, ў, ӯ, ü, ү, ұ, o and u are one vowel, written u: Russian
//     writes у for Uzbek ў (Ўринов, Уринов, Oʻrinov, Urinov) but о for
//     Kazakh ө (Өмірбеков, Омирбеков, Omirbekov), so the two cannot be told
//     apart across scripts;
//   - ä, ә and a are one; ы, и, і, ӣ, й, ý, y, ı and i are one (Қасымов,
//     Kasymov, Kasimov); a glide before e is dropped, so ICAO's ALIEV,
//     SERGEEV and EVGENII meet Aliyev, Äliýew, Sergeyev and Yevgeniy;
//   - ё is e, as in ICAO and in [Fold], and so is the yo, ýo or io of the
//     Latin alphabets (not oʻ, which is ў): Ёқубов, Еқубов, Yoqubov and
//     EKUBOV meet, and so do Фёдор, Федор, Fyodor and Fedor;
//   - sh, ş, ш (and щ, shch) are one; ch, ç, ч are one; zh, ž, j, dzh, dj,
//     ж, дж, ҷ are one, since Kazakh and Kyrgyz ж is Uzbek and Turkmen j
//     (Жумабеков, Zhumabekov, Jumabekov, Djumabekov);
//   - kh, x, h, х, ҳ, һ are one (Хасанов, Khasanov, Xasanov, Hasanov);
//     gʻ, gh, ğ, ғ and g are one; q, қ, k, and a lone c are one; ng, ň, ң
//     and n are one; w and v are one;
//   - a letter written twice counts once (Abdullaev, Abdulaev).
//
// Some differences are deliberately kept, because folding them would make
// too many different names collide: vowels that the two languages write
// differently although both alphabets have both letters (Uzbek and Tajik o
// for Russian а: Yoqubov and Якубов, Rahmonov and Рахманов, Toshkent and
// Ташкент; e for a: Ахмедов and Ahmadov); г for h (Гасанов is not Hasanov);
// ks for x (Alexey is not Aleksey, since x is х in Uzbek). Folding has a
// price the other way too: a few different names meet, such as Ёрқин and
// Эркин (yo is e), or Rodin and Rudin (o is u).
//
// In a word that mixes Cyrillic and Latin letters (text pasted or read by a
// scanner), letters that look alike in both scripts are read in the script
// of the word's other letters: Ивaнов with a Latin a is Иванов, and Pеtrov
// with a Cyrillic е is Petrov. Hyphens and other punctuation separate words;
// letters of other scripts are dropped.
//
// Latin is idempotent, Latin(Latin(s)) == Latin(s), and agrees with Fold,
// Latin(Fold(s)) == Latin(s), so a key may be made from either.
func Latin(s string) string {
	if clean, plain := scanInput(s); !clean {
		s = toNFC(dropInvisible(s))
	} else if !plain {
		s = toNFC(s)
	}
	var midBuf, keyBuf [128]byte
	mid := translit(midBuf[:0], s)
	key := skeleton(keyBuf[:0], mid)
	return string(key)
}

// scanInput reports whether s has none of the runes that Fold drops
// (control and format characters, invalid UTF-8), and whether isPlainNFC(s).
func scanInput(s string) (clean, plain bool) {
	plain = true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < ' ' || c == 0x7f) && !isASCIISpace(c) {
				return false, false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if foldRune(r) < 0 {
			return false, false
		}
		plain = plain && nfcPlain(r)
		i += n
	}
	return true, plain
}

// dropInvisible returns s without the runes that Fold drops, so that Latin
// composes what Fold composes.
func dropInvisible(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if foldRune(r) >= 0 {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// isASCIISpace reports whether c is ASCII white space.
func isASCIISpace(c byte) bool {
	return c == ' ' || '\t' <= c && c <= '\r'
}

// Script modes of a word for reading look-alike letters.
const (
	modeAsIs  = iota // read every letter in its own script
	modeAsCyr        // read Latin look-alikes as Cyrillic
	modeAsLat        // read Cyrillic look-alikes as Latin
)

// translit appends to mid the lower-case ASCII transliteration of s: letters
// a-z, digits, and a space for each separator. Apostrophes, marks and
// invisible characters are dropped. It reads each rune as Fold maps it, so
// that Latin(Fold(s)) == Latin(s).
func translit(mid []byte, s string) []byte {
	wordStart, midStart := 0, len(mid)
	sawCyr, sawLat := false, false
	for i := 0; i < len(s); {
		r, n := foldedRune(s, i)
		t := latinText(r)
		if t == " " {
			if sawCyr && sawLat {
				mid = retranslit(mid[:midStart], s[wordStart:i])
			}
			mid = append(mid, ' ')
			wordStart, midStart = i+n, len(mid)
			sawCyr, sawLat = false, false
		} else {
			if r == '\'' {
				mid = apostrophe(mid)
			}
			mid = append(mid, t...)
			if isCyrillic(r) {
				sawCyr = true
			} else if isLatinLetter(r) {
				sawLat = true
			}
		}
		i += n
	}
	if sawCyr && sawLat {
		mid = retranslit(mid[:midStart], s[wordStart:])
	}
	return mid
}

// foldedRune decodes the rune at s[i:] and returns it as Fold maps it (-1
// for a rune Fold drops), with its length in s.
func foldedRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return foldRune(rune(c)), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return foldRune(r), n
}

// latinText returns the transliteration of a rune that Fold has mapped:
// " " for a separator, "" for a rune to drop.
func latinText(r rune) string {
	switch {
	case r < 0:
		return ""
	case r < utf8.RuneSelf:
		return asciiLatin[r]
	}
	return latinOf(r)
}

// apostrophe notes an apostrophe in mid: it is dropped, but o before it is
// the Uzbek oʻ, that is ў, which is u and never the o of a yo.
func apostrophe(mid []byte) []byte {
	if n := len(mid); n > 0 && mid[n-1] == 'o' {
		mid[n-1] = 'u'
	}
	return mid
}

// retranslit appends the transliteration of word, which mixes Cyrillic and
// Latin letters, reading its look-alike letters in the script of the others.
func retranslit(mid []byte, word string) []byte {
	mode := wordMode(word)
	for i := 0; i < len(word); {
		r, n := foldedRune(word, i)
		i += n
		switch mode {
		case modeAsCyr:
			if c, ok := latToCyr[r]; ok {
				r = c
			}
		case modeAsLat:
			if c, ok := cyrToLat[r]; ok {
				r = c
			}
		}
		if r == '\'' {
			mid = apostrophe(mid)
		}
		mid = append(mid, latinText(r)...)
	}
	return mid
}

// wordMode decides how to read the look-alike letters of a word that mixes
// Cyrillic and Latin: in the script of its other letters if only one script
// has such letters; in the script of most of its letters if all of them are
// look-alikes; as they are if both scripts have letters of their own.
func wordMode(word string) int {
	var cyr, lat, cyrOwn, latOwn int
	for i := 0; i < len(word); {
		r, n := foldedRune(word, i)
		i += n
		switch {
		case isCyrillic(r):
			cyr++
			if _, ok := cyrToLat[r]; !ok {
				cyrOwn++
			}
		case isLatinLetter(r):
			lat++
			if _, ok := latToCyr[r]; !ok {
				latOwn++
			}
		}
	}
	switch {
	case cyrOwn > 0 && latOwn == 0:
		return modeAsCyr
	case latOwn > 0 && cyrOwn == 0:
		return modeAsLat
	case cyrOwn == 0 && latOwn == 0:
		if lat > cyr {
			return modeAsLat
		}
		return modeAsCyr
	}
	return modeAsIs
}

// lookalikes pairs the Latin and Cyrillic capitals that look alike. Their
// small letters are paired too, even those that look less alike (b and в),
// so that reading a word does not depend on its case.
var lookalikes = [...][2]rune{
	{'A', 'А'}, {'B', 'В'}, {'C', 'С'}, {'E', 'Е'}, {'H', 'Н'}, {'I', 'І'},
	{'J', 'Ј'}, {'K', 'К'}, {'M', 'М'}, {'O', 'О'}, {'P', 'Р'}, {'S', 'Ѕ'},
	{'T', 'Т'}, {'X', 'Х'}, {'Y', 'У'},
}

// latToCyr and cyrToLat map a letter of lookalikes, in either case, to its
// look-alike in the other script.
var latToCyr, cyrToLat = func() (l2c, c2l map[rune]rune) {
	l2c, c2l = map[rune]rune{}, map[rune]rune{}
	for _, p := range lookalikes {
		for _, f := range []func(rune) rune{unicode.ToUpper, unicode.ToLower} {
			l, c := f(p[0]), f(p[1])
			l2c[l], c2l[c] = c, l
		}
	}
	return l2c, c2l
}()

// isCyrillic reports whether r is in the Cyrillic blocks Latin transliterates.
func isCyrillic(r rune) bool { return cyrFirst <= r && r < cyrFirst+rune(len(cyrLatin)) }

// isLatinLetter reports whether r is a Latin letter.
func isLatinLetter(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r >= 0xC0 && unicode.Is(unicode.Latin, r)
}

// latinOf returns the lower-case ASCII transliteration of a non-ASCII rune:
// " " for a separator, "" for a rune to drop.
func latinOf(r rune) string {
	switch {
	case isCyrillic(r):
		return cyrLatin[r-cyrFirst]
	case latFirst <= r && r < latFirst+rune(len(latLatin)):
		return latLatin[r-latFirst]
	case latAddFirst <= r && r < latAddFirst+rune(len(latAddLatin)):
		return latAddLatin[r-latAddFirst]
	case 0xFF01 <= r && r <= 0xFF5E: // fullwidth ASCII
		return asciiLatin[r-0xFF01+'!']
	case isApostrophe(r), r == utf8.RuneError:
		return ""
	case unicode.IsSpace(r):
		return " "
	case unicode.IsLetter(r):
		if l := unicode.ToLower(r); l != r {
			return latinOf(l) // Kelvin sign K, Angstrom sign Å
		}
		return ""
	case unicode.IsMark(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Cc, r):
		return ""
	case unicode.IsDigit(r):
		if d := digitValue(r); d >= 0 {
			return asciiLatin['0'+d]
		}
		return ""
	}
	return " "
}

// digitValue returns the value of a decimal digit of the scripts that may
// appear in the region's documents (Arabic-Indic, Persian), or -1.
func digitValue(r rune) rune {
	switch {
	case 0x0660 <= r && r <= 0x0669:
		return r - 0x0660
	case 0x06F0 <= r && r <= 0x06F9:
		return r - 0x06F0
	}
	return -1
}

// asciiLatin is what Latin makes of each ASCII character, for the fullwidth
// forms and the digits of other scripts.
var asciiLatin = func() (t [128]string) {
	for c := range t {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			t[c] = string(rune(c))
		case 'A' <= c && c <= 'Z':
			t[c] = string(rune(c + 'a' - 'A'))
		case c == '\'' || c == '`':
			t[c] = ""
		default:
			t[c] = " "
		}
	}
	return t
}()

// Ranges of the transliteration tables.
const (
	cyrFirst    = 0x0400 // Cyrillic, Cyrillic Supplement: U+0400-U+052F
	latFirst    = 0x0080 // Latin-1 Supplement to IPA Extensions: U+0080-U+02AF
	latAddFirst = 0x1E00 // Latin Extended Additional: U+1E00-U+1EFF
)

// cyrLowerLatin is the transliteration of the lower-case Cyrillic letters:
// ICAO Doc 9303 for Russian and the other Slavic letters, except ъ (dropped,
// not ie: in Uzbek and Tajik it is the ’ sign, and in Russian the skeleton
// of ie is the same), and the letters of the region's other languages as
// their Latin alphabets and passports write them.
var cyrLowerLatin = map[rune]string{
	// Russian (ICAO Doc 9303).
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
	// Other Slavic letters (ICAO Doc 9303).
	'ґ': "g", 'ѓ': "g", 'ђ': "d", 'є': "ie", 'ѕ': "dz", 'і': "i", 'ї': "i",
	'ј': "j", 'љ': "lj", 'њ': "nj", 'ќ': "k", 'ћ': "c", 'џ': "dz",
	// Kazakh, Kyrgyz. Ө (O in passports) and the other rounded vowels are
	// written u, which the skeleton makes one with o, so that a glide
	// before them (йө, йў) is not taken for the yo of ё.
	'ә': "a", 'ғ': "gh", 'қ': "q", 'ң': "ng", 'ө': "u", 'ұ': "u", 'ү': "u",
	'һ': "h",
	// Tajik.
	'ӣ': "i", 'ӯ': "u", 'ҳ': "h", 'ҷ': "j",
	// Uzbek: ў is oʻ.
	'ў': "u",
	// Tatar, Bashkir, Chuvash, Azerbaijani and Moldovan Cyrillic, for names
	// from there.
	'җ': "zh", 'ҙ': "z", 'ҫ': "s", 'ҡ': "q", 'ҥ': "ng", 'ӈ': "ng", 'ӊ': "ng",
	'ӂ': "zh", 'ҹ': "ch", 'ҝ': "g", 'ҕ': "gh", 'ӏ': "", 'ӧ': "u",
}

// cyrLatin is the transliteration of every rune from U+0400 to U+052F: " "
// for the few that are not letters or marks, "" for a rune to drop.
var cyrLatin = func() (t [0x130]string) {
	for i := range t {
		r := rune(cyrFirst + i)
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			t[i] = " "
		}
	}
	// Letters with a diacritic that decomposes (ӑ, ӛ, ӝ…) read as their base.
	for i := range t {
		r := rune(cyrFirst + i)
		if base := baseRune(unicode.ToLower(r)); base != unicode.ToLower(r) {
			if lat, ok := cyrLowerLatin[base]; ok {
				t[i] = lat
			}
		}
	}
	for lower, lat := range cyrLowerLatin {
		t[lower-cyrFirst] = lat
		if upper := unicode.ToUpper(lower); isCyrillicRange(upper) {
			t[upper-cyrFirst] = lat
		}
	}
	return t
}()

// isCyrillicRange reports whether r is in the range of cyrLatin; unlike
// isCyrillic it is usable while cyrLatin is being built.
func isCyrillicRange(r rune) bool { return cyrFirst <= r && r < cyrFirst+0x130 }

// latLowerLatin is the transliteration of the lower-case Latin letters that
// do not simply lose their diacritic: those that stand for ш, ч, ж, ц, the
// rounded vowels ö and ø, written u like ө, and letters with no diacritic
// to lose.
var latLowerLatin = map[rune]string{
	'ş': "sh", 'ș': "sh", 'š': "sh", 'ŝ': "sh",
	'ç': "ch", 'č': "ch", 'ć': "ch", 'ĉ': "ch",
	'ž': "zh", 'ǯ': "zh", 'ĵ': "j",
	'ı': "i", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "u", 'þ': "th", 'ö': "u",
	'ð': "d", 'đ': "d", 'ł': "l", 'ħ': "h", 'ŋ': "ng", 'ə': "a", 'ǝ': "a",
	'ţ': "ts", 'ț': "ts", 'ĳ': "ij", 'ſ': "s", 'ƶ': "z",
}

// latLatin and latAddLatin are the transliteration of U+0080-U+02AF and of
// U+1E00-U+1EFF: letters lose their diacritics (Turkmen ä ö ü ň ý, Kazakh
// ğ ñ ū, Uzbek and Turkish ğ), apart from those in latLowerLatin; " " for
// punctuation and symbols; "" for letters with no Latin base.
var (
	latLatin    = buildLatin(latFirst, 0x230)
	latAddLatin = buildLatin(latAddFirst, 0x100)
)

// buildLatin builds the table of the n runes from first on.
func buildLatin(first rune, n int) []string {
	t := make([]string, n)
	for i := range t {
		r := first + rune(i)
		lower := unicode.ToLower(r)
		switch {
		case isApostrophe(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Cc, r) && !unicode.IsSpace(r):
			t[i] = ""
		case !unicode.IsLetter(r) && !unicode.IsMark(r):
			t[i] = " "
		case latLowerLatin[lower] != "":
			t[i] = latLowerLatin[lower]
		default:
			if b := baseRune(lower); 'a' <= b && b <= 'z' {
				t[i] = string(b)
			}
		}
	}
	return t
}

// baseRune returns the first rune of the canonical decomposition of r.
func baseRune(r rune) rune {
	b, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
	return b
}

// skeleton appends to key the skeleton of mid, the output of translit. The
// rules are in Latin's doc comment. The result is a fixed point (skeleton
// gives it back unchanged) because it has none of the letters c (but in ch),
// o, q, w, x, y, and push keeps out the pairs that skeleton reads as one.
func skeleton(key, mid []byte) []byte {
	for i := 0; i < len(mid); i++ {
		c := mid[i]
		var next byte
		if i+1 < len(mid) {
			next = mid[i+1]
		}
		switch c {
		case ' ':
			if n := len(key); n > 0 && key[n-1] != ' ' {
				key = append(key, ' ')
			}
			continue
		case 'a', 'b', 'd', 'e', 'f', 'h', 'i', 'j', 'l', 'm', 'n', 'p', 'r', 't', 'u', 'v':
		case 'o':
			if i > 0 && (mid[i-1] == 'i' || mid[i-1] == 'y') {
				c = 'e' // yo, ýo, io: ё
			} else {
				c = 'u'
			}
		case 'y':
			c = 'i'
		case 'w':
			c = 'v'
		case 'q':
			c = 'k'
		case 'x':
			c = 'h'
		case 'g':
			if next == 'h' {
				i++
			}
		case 'k':
			if next == 'h' {
				i++
				c = 'h'
			}
		case 'z':
			if next == 'h' {
				i++
				c = 'j'
			}
		case 's':
			if next == 'h' {
				i++
				if i+2 < len(mid) && mid[i+1] == 'c' && mid[i+2] == 'h' {
					i += 2
				}
				key = pushSH(key)
				continue
			}
		case 'c':
			if next == 'h' {
				i++
				key = pushCH(key)
				continue
			}
			c = 'k'
		default:
			if '0' <= c && c <= '9' {
				key = append(key, c)
			}
			continue
		}
		key = push(key, c)
	}
	if n := len(key); n > 0 && key[n-1] == ' ' {
		key = key[:n-1]
	}
	return key
}

// push appends the skeleton letter c to key, keeping key in the form that
// skeleton reads back unchanged: no letter twice in a row, none of the
// pairs zh, kh, gh, dj, ng, ie, which skeleton would read as one sound, and
// no sh twice in a row.
func push(key []byte, c byte) []byte {
	for {
		n := len(key)
		if n == 0 {
			return append(key, c)
		}
		top := key[n-1]
		if top == c {
			return key
		}
		switch {
		case c == 'h' && top == 'z': // з+х, z+h: read as zh
			key, c = key[:n-1], 'j'
			continue
		case c == 'h' && top == 'k': // к+х, k+h: read as kh
			key = key[:n-1]
			continue
		case c == 'h' && top == 'g': // г+х, g+h: read as gh
			return key
		case c == 'h' && top == 's' && n >= 3 && key[n-3] == 's' && key[n-2] == 'h':
			return key[:n-1] // шсх: the new sh is the sh before it
		case c == 'j' && top == 'd': // дж, dzh, dj
			key = key[:n-1]
			continue
		case c == 'g' && top == 'n': // ң, ng
			return key
		case c == 'e' && top == 'i': // the glide of ye, ie, ые: Aliyev, Алиев
			key = key[:n-1]
			continue
		}
		return append(key, c)
	}
}

// pushSH appends the sound of ш to key.
func pushSH(key []byte) []byte {
	return push(push(key, 's'), 'h')
}

// pushCH appends the sound of ч to key.
func pushCH(key []byte) []byte {
	if endsWith(key, 'c', 'h') || endsWith(key, 's', 'h') {
		return key
	}
	return append(key, 'c', 'h')
}

// endsWith reports whether key ends with the bytes a, b.
func endsWith(key []byte, a, b byte) bool {
	n := len(key)
	return n >= 2 && key[n-2] == a && key[n-1] == b
}
