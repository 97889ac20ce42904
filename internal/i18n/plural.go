package i18n

// CLDR plural category names.
const (
	catZero  = "zero"
	catOne   = "one"
	catTwo   = "two"
	catFew   = "few"
	catMany  = "many"
	catOther = "other"
)

// isCategory reports whether s is one of the six CLDR plural category names.
func isCategory(s string) bool {
	switch s {
	case catZero, catOne, catTwo, catFew, catMany, catOther:
		return true
	}
	return false
}

// PluralCategory returns the CLDR cardinal plural category ("one", "few",
// "many", "other", …) of the integer n in lang, which is passed through
// [Match] first. Negative numbers take the category of their absolute
// value, as in CLDR. The rules are described in the package documentation.
func PluralCategory(lang string, n int) string {
	u := uint64(n)
	if n < 0 {
		u = ^u + 1 // absolute value, correct even for math.MinInt
	}
	switch Match(lang) {
	case "ru":
		mod10, mod100 := u%10, u%100
		switch {
		case mod10 == 1 && mod100 != 11:
			return catOne
		case mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14):
			return catFew
		default:
			return catMany
		}
	case "tg":
		return catOther
	default: // en, kk, ky, tk, uz, uz-Cyrl
		if u == 1 {
			return catOne
		}
		return catOther
	}
}

// pluralCategories returns the categories a plural message in lang must
// have, in CLDR order: every category PluralCategory can return for lang,
// plus "other".
func pluralCategories(lang string) []string {
	switch Match(lang) {
	case "ru":
		return []string{catOne, catFew, catMany, catOther}
	case "tg":
		return []string{catOther}
	default:
		return []string{catOne, catOther}
	}
}
