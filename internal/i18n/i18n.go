// Package i18n provides the application's own message catalogs, plural
// rules, and date and number formats for the eight languages Kordon speaks.
//
// Fyne's lang package is not used: go-i18n has no plural rule for Tajik,
// never selects uz-Cyrl, and cannot switch language at runtime. Instead the
// catalogs are flat JSON files, translations/<code>.json, loaded once with
// [Load] and read through a [Translator] per language:
//
//	{
//	  "cli.record_added": "Record {id} added",
//	  "cli.records": {"one": "{count} record", "other": "{count} records"}
//	}
//
// A value is either a string or a plural object whose keys are CLDR plural
// categories (zero, one, two, few, many, other; "other" is required). A
// placeholder is {name}, where name is ASCII letters, digits and '_'; "{{"
// and "}}" stand for literal braces. Any other brace is an error at load
// time, so a typo in a translation stops the build's tests rather than
// showing a broken message to an officer.
//
// # Plural rules
//
// [PluralCategory] implements the CLDR cardinal rules for integers (CLDR 48,
// common/supplemental/plurals.xml):
//
//   - en: one (n = 1), other. Catalogs need one and other.
//   - ru: one (n%10 = 1, n%100 != 11), few (n%10 = 2..4, n%100 != 12..14),
//     many (everything else among integers); other exists only for
//     fractions, but CLDR lists it and [Load] demands it, so Russian plural
//     messages carry all four forms.
//   - kk, ky, tk, uz, uz-Cyrl: one (n = 1), other.
//   - tg: CLDR has no Tajik entry, so the root rule applies: other only.
//     That matches the grammar: a Tajik noun stays singular after a numeral
//     ("5 китоб"). Tajik plural messages need only "other".
//
// # Dates
//
// CLDR's short date patterns are: en M/d/yy, ru dd.MM.y, kk dd.MM.yy,
// ky d/M/yy, tg dd/MM/yy, tk dd.MM.y, uz dd/MM/yy, uz-Cyrl dd/MM/yy.
// Kordon deliberately uses one unambiguous pattern instead:
//
//   - en: ISO 8601, 2006-01-02, because en-US month-first order is read
//     wrongly by almost everyone in the region.
//   - every other language: 02.01.2006 (day.month.four-digit year). That is
//     CLDR's pattern for ru and tk, and the form of customs declarations and
//     official documents across the region. The two-digit years and slashes
//     of CLDR's kk, ky, tg and uz patterns are not used: a two-digit year
//     cannot tell a birth in 1925 from one in 2025.
//
// Times are 24-hour HH:MM in every language (as in CLDR for all eight
// except en), joined to the date by a single space. Dates are formatted in
// the location of the time.Time given; convert with In or Local first.
//
// # Numbers
//
// Following CLDR 48 number symbols: en groups with "," and uses "." as the
// decimal separator; ru, kk, ky, tg, tk, uz and uz-Cyrl all group with a
// no-break space U+00A0 (not the narrow U+202F that fr uses) and use ",".
// minimumGroupingDigits is 1 for all eight, so 1234 is grouped too
// ("1,234", "1\u00A0234"). The minus
// sign is the ASCII hyphen-minus in all eight.
package i18n

import (
	"os"
	"strings"
)

// Default is the language code used when nothing better matches, and the
// language every other catalog falls back to for a missing key.
const Default = "en"

// Languages lists the supported language codes in the order shown in
// language pickers. Treat it as read-only; the package keeps its own copy.
var Languages = []string{"en", "ru", "kk", "ky", "tg", "tk", "uz", "uz-Cyrl"}

// supported is the package's own, unchangeable copy of Languages.
var supported = [...]string{"en", "ru", "kk", "ky", "tg", "tk", "uz", "uz-Cyrl"}

// isSupported reports whether code is exactly one of the supported codes.
func isSupported(code string) bool {
	for _, s := range supported {
		if s == code {
			return true
		}
	}
	return false
}

// Match returns the supported language code that best fits a BCP 47 tag
// ("uz-Cyrl-UZ", "kk-KZ") or a POSIX locale name ("ru_RU.UTF-8",
// "uz_UZ@cyrillic"). Case is ignored, and so are region, codeset and
// extensions. ISO 639-2 codes (rus, kaz, kir, tgk, tuk, uzb, eng) are
// accepted too.
//
// Uzbek is uz-Cyrl when the tag names the Cyrillic script (Cyrl, or the
// POSIX modifier @cyrillic) and uz, the Latin orthography, otherwise. For
// the other languages the script is ignored: kk-Latn gets the Cyrillic
// Kazakh catalog, the only Kazakh there is, rather than English.
//
// "C", "POSIX", "" and anything unsupported give [Default].
func Match(tag string) string {
	s := strings.TrimSpace(tag)
	var modifier string
	if i := strings.IndexByte(s, '@'); i >= 0 {
		modifier = strings.ToLower(s[i+1:])
		s = s[:i]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(strings.ReplaceAll(s, "_", "-"))
	subtags := strings.Split(s, "-")
	var script string
	for _, st := range subtags[1:] {
		st = strings.TrimPrefix(st, "#") // Java writes uz_UZ_#Cyrl
		if len(st) == 1 {
			break // an extension or private-use part follows
		}
		if len(st) == 4 && isASCIILetters(st) && script == "" {
			script = st
		}
	}
	switch modifier {
	case "cyrillic":
		script = "cyrl"
	case "latin":
		script = "latn"
	}
	switch subtags[0] {
	case "en", "eng":
		return "en"
	case "ru", "rus":
		return "ru"
	case "kk", "kaz":
		return "kk"
	case "ky", "kir":
		return "ky"
	case "tg", "tgk":
		return "tg"
	case "tk", "tuk":
		return "tk"
	case "uz", "uzb":
		if script == "cyrl" {
			return "uz-Cyrl"
		}
		return "uz"
	}
	return Default
}

// isASCIILetters reports whether s is made only of ASCII letters.
func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// envVars are the variables FromEnv reads, most specific first.
var envVars = [...]string{"KORDON_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}

// FromEnv returns the language the environment asks for: the first
// non-empty of KORDON_LANG, LC_ALL, LC_MESSAGES and LANG, passed through
// [Match]. As in POSIX, the first non-empty variable decides, so LC_ALL=C
// gives [Default] even when LANG names a supported language. getenv is
// usually os.Getenv, which is also used when getenv is nil.
func FromEnv(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, name := range envVars {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return Match(v)
		}
	}
	return Default
}
