// Package translit suggests the Latin form of a name written in Cyrillic,
// as an identity document's machine-readable zone writes it, so that an
// officer who types a name from a passport has its Latin form to check
// rather than to type again.
//
// The base is the ICAO Doc 9303 (Part 3, section 6) table for Cyrillic,
// which the region's passports follow. The letters the table lacks are
// written as the states' own passports write them: Kazakh and Kyrgyz Ә A,
// Ғ G, Қ K, Ң N, Ө O, Ұ U, Ү U, Һ H, І I; Tajik Ғ GH, Қ Q, Ҳ H, Ҷ J, Ӣ I,
// Ӯ U, and Ъ (a glottal stop) not written; Uzbek passports use the Uzbek
// Latin alphabet (Ў O, Қ Q, Ғ G, Ҳ H, Х X, Ж J, Й Y, Ё YO, Ю YU, Я YA).
// The result is a suggestion that the officer checks against the
// document: a name's spelling in a passport is whatever the issuing office
// wrote.
package translit

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// icao is the ICAO Doc 9303 table, lower-case Cyrillic to Latin capitals,
// with the Kazakh and Kyrgyz letters it lacks.
var icao = map[rune]string{
	'а': "A", 'б': "B", 'в': "V", 'г': "G", 'д': "D", 'е': "E", 'ё': "E",
	'ж': "ZH", 'з': "Z", 'и': "I", 'й': "I", 'к': "K", 'л': "L", 'м': "M",
	'н': "N", 'о': "O", 'п': "P", 'р': "R", 'с': "S", 'т': "T", 'у': "U",
	'ф': "F", 'х': "KH", 'ц': "TS", 'ч': "CH", 'ш': "SH", 'щ': "SHCH",
	'ъ': "IE", 'ы': "Y", 'ь': "", 'э': "E", 'ю': "IU", 'я': "IA",
	'і': "I", 'ї': "I", 'є': "IE", 'ґ': "G", 'ў': "U",
	// Kazakh and Kyrgyz.
	'ә': "A", 'ғ': "G", 'қ': "K", 'ң': "N", 'ө': "O", 'ұ': "U", 'ү': "U", 'һ': "H",
	// Tajik letters, where the name's country is not Tajikistan.
	'ҳ': "H", 'ҷ': "J", 'ӣ': "I", 'ӯ': "U",
}

// byCountry are the letters a state's passports write otherwise than
// icao, by ISO 3166 code of the nationality.
var byCountry = map[string]map[rune]string{
	"TJ": {'ғ': "GH", 'қ': "Q", 'ҳ': "H", 'ҷ': "J", 'ӣ': "I", 'ӯ': "U", 'ъ': ""},
	"UZ": {'ў': "O", 'қ': "Q", 'ғ': "G", 'ҳ': "H", 'х': "X", 'ж': "J", 'й': "Y", 'ё': "YO", 'ю': "YU", 'я': "YA", 'ц': "TS", 'ъ': "", 'ь': ""},
}

// MRZ is the suggested Latin form of name for a person of the given
// nationality (an ISO 3166 code, or ""): capitals A–Z, words separated by
// single spaces, hyphens kept. Latin letters lose their diacritics (ş S,
// ä A) and apostrophes go (Oʻrinov ORINOV); other characters are dropped.
// A name with no letter gives "".
func MRZ(name, nationality string) string {
	over := byCountry[strings.ToUpper(nationality)]
	var b strings.Builder
	space, letters := false, false
	// Composed first: й, ё, ў and ӣ are letters of their own, not и, е,
	// у with a mark.
	for _, r := range norm.NFC.String(name) {
		l := unicode.ToLower(r)
		var out string
		if t, ok := over[l]; ok {
			out = t
		} else if t, ok := icao[l]; ok {
			out = t
		}
		switch {
		case out != "" || isCyrillic(l):
		case 'a' <= l && l <= 'z':
			out = string(unicode.ToUpper(l))
		case unicode.IsLetter(l):
			out = latinBase(l)
		case r == '-':
			out = "-"
		case unicode.IsSpace(r), r == '<', r == ',':
			space = letters
			continue
		default:
			continue // apostrophes, digits, punctuation
		}
		if out == "" {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(out)
		letters = true
	}
	return b.String()
}

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

// latinBase is a Latin letter with its diacritics dropped, in capitals; ""
// for a letter of another script.
func latinBase(r rune) string {
	switch r {
	case 'ı':
		return "I"
	case 'ß':
		return "SS"
	case 'ə':
		return "A"
	}
	var out []rune
	for _, c := range norm.NFD.String(string(r)) {
		if 'a' <= c && c <= 'z' {
			out = append(out, unicode.ToUpper(c))
		}
	}
	return string(out)
}
