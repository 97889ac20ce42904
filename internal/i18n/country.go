package i18n

import (
	"regexp"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is the name of the country with the ISO 3166-1 code in t's
// language ("Казахстан" for KZ in Russian), from the Unicode CLDR; where
// the language has no name for it, the Russian name, then the English
// one; "" when the code names no region.
func (t *Translator) Country(code string) string {
	region, err := language.ParseRegion(code)
	if err != nil {
		return ""
	}
	for _, lang := range []string{t.Lang(), "ru", "en"} {
		if lang == "uz-Cyrl" {
			lang = "uz-Cyrl-UZ"
		}
		tag, err := language.Parse(lang)
		if err != nil {
			continue
		}
		if n := display.Regions(tag); n != nil {
			if name := n.Name(region); name != "" && name != code {
				return name
			}
		}
	}
	return ""
}

var (
	millimetres = regexp.MustCompile(`(\d)mm`)
	gauge       = regexp.MustCompile(`^(\d+) gauge$`)
)

// Calibre is the designation of the controlled calibre code, whose English
// label is label, in t's language: the catalog's "calibre.<code>" where the
// designation has words ("82 мм миномётная мина"), otherwise the label with
// its units translated ("7.62×39 мм", "12 калибр").
func (t *Translator) Calibre(code, label string) string {
	if _, _, ok := t.lookup("calibre." + code); ok && code != "" {
		return t.T("calibre." + code)
	}
	if m := gauge.FindStringSubmatch(label); m != nil {
		return t.T("unit.gauge", "n", m[1])
	}
	return millimetres.ReplaceAllString(label, "${1} "+t.T("unit.mm"))
}
