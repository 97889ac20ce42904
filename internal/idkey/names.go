package idkey

import (
	"slices"
	"strings"

	"github.com/kordon/kordon/internal/textkey"
)

// Limits on the name keys, so that the keys made of them stay within
// maxKey: a person's key is a name key, "/" and a birth date.
const (
	maxNameKey = 100
	maxOrgKey  = 120
)

// NameKey returns the order-free key of a person's name: the words of
// textkey.Latin(name) without initials, patronymic particles and, in a
// name of more than two words, patronymics, sorted and joined with "_".
// So "Ўринов Бахтиёр", "URINOV BAKHTIYOR", "Bakhtiyor Urinov", "Ўринов
// Бахтиёр Рустамович" and "Urinov Baxtiyor Rustam oʻgʻli" all give
// "bahter_urinuv".
//
// Patronymics are recognised on the folded words: a word ending in -vich,
// -vna or -ichna (Рустамович, Рустамовна, Mälikgulyýewiç, Никитична), or
// the Kazakh -uly and -kyzy written as one word (Әбішұлы, Nurlanqyzy); the
// particles ugli, ogly, oglu, uulu, kyzy, kizi, gyzy and uly (ўғли, оглы,
// oğlu, уулу, кызы, қизи, qızı, ұлы, in any script) are always dropped, and
// the father's name before them too while more than two words remain. The
// first word is never taken for a patronymic, and a patronymic is kept when
// dropping it would leave fewer than two words: in "Абрамович Роман" it is
// the surname, and in the Kyrgyz "Адылбек уулу Эркин" the father's name is
// the surname.
//
// NameKey returns "" if fewer than two words are left: a single name links
// too much to be a key by itself. The key holds only a-z, 0-9 and "_", and
// at most 100 bytes (the words sorted last are dropped from a longer one).
func NameKey(name string) string {
	var arr [16]string
	toks := nameTokens(textkey.Latin(name), arr[:0])
	if len(toks) < 2 {
		return ""
	}
	return joinTokens(toks, maxNameKey)
}

// nameTokens appends to toks the words of key, a textkey.Latin key, that
// NameKey keeps, in their order.
func nameTokens(key string, toks []string) []string {
	for w := range strings.SplitSeq(key, " ") {
		if len(w) > 1 { // initials (И.И., I I) are no use for matching
			toks = append(toks, w)
		}
	}
	// Particles, and the father's name before them.
	for i := 0; i < len(toks); i++ {
		if !isParticle(toks[i]) {
			continue
		}
		toks = slices.Delete(toks, i, i+1)
		if i > 0 && len(toks) > 2 {
			toks = slices.Delete(toks, i-1, i)
			i--
		}
		i--
	}
	// Patronymics written as one word, never the first word.
	for len(toks) > 2 {
		i := 1
		for i < len(toks) && !isPatronymic(toks[i]) {
			i++
		}
		if i == len(toks) {
			break
		}
		toks = slices.Delete(toks, i, i+1)
	}
	return toks
}

// particles are the patronymic particles, as textkey.Latin folds them:
// ugli, uglu, ulu, kizi, gizi, uli.
var particles = foldedSet(
	"ўғли", "угли", "oʻgʻli", "o'g'li", "ugli", "оглы", "ogly", "oğlu", "оглу", "oglu", // son of
	"уулу", "uulu", "ұлы", "uly", // son of: Kyrgyz, Kazakh
	"қизи", "кизи", "qizi", "кызы", "kyzy", "қызы", "qızı", "гызы", "gyzy", "gizi", // daughter of
)

// isParticle reports whether w, a folded word, is a patronymic particle.
func isParticle(w string) bool { return particles[w] }

// isPatronymic reports whether w, a folded word, looks like a patronymic:
// Russian and Russian-style -vich, -vna (-evich, -ovna, Turkmen -ewiç),
// -ichna (Ильинична), and the Kazakh -uly, -kyzy written as one word. The
// stem must have at least three letters.
func isPatronymic(w string) bool {
	for _, suf := range [...]string{"vich", "vna", "ichna", "uli", "kizi"} {
		if len(w) >= len(suf)+3 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// OrgKey returns the key of an organisation's name: the words of
// textkey.Latin(name) without legal forms, sorted and joined with "_".
// So «ТОО "Восток-Транзит"», "Vostok-Tranzit LLP" and "VOSTOK TRANZIT" all
// give "tranzit_vustuk".
//
// Legal forms are dropped as whole words in any script and case: ТОО, ООО,
// ОсОО, ОАО, ЗАО, ПАО, АО, ИП, ЧП, МЧЖ (MChJ), АЖ (AJ), ХК (XK), QK, ЖШС,
// ЖЧК, ҶДММ, LLC, LLP, Ltd, Limited, Inc, Corp, PLC, JSC, CJSC, OJSC, GmbH,
// Co, and the spelled-out Russian, Kazakh, Kyrgyz, Tajik, Uzbek and English
// forms of a limited liability company or partnership (Общество с
// ограниченной ответственностью…). Quotes and other signs separate words.
// OrgKey returns "" if fewer than two letters or digits are left; the key
// holds only a-z, 0-9 and "_", and at most 120 bytes.
func OrgKey(name string) string {
	var arr [16]string
	toks := orgTokens(textkey.Latin(name), arr[:0])
	if len(toks) == 0 {
		return ""
	}
	k := joinTokens(toks, maxOrgKey)
	if len(k) < 2 {
		return ""
	}
	return k
}

// orgTokens appends to toks the words of key, a textkey.Latin key, that
// OrgKey keeps.
func orgTokens(key string, toks []string) []string {
	for w := range strings.SplitSeq(key, " ") {
		if w != "" {
			toks = append(toks, w)
		}
	}
	for _, p := range legalPhrases {
		for i := 0; i+len(p) <= len(toks); i++ {
			if slices.Equal(toks[i:i+len(p)], p) {
				toks = slices.Delete(toks, i, i+len(p))
				i--
			}
		}
	}
	return slices.DeleteFunc(toks, isLegalForm)
}

// legalForms are the abbreviated legal forms, as textkey.Latin folds them
// (ТОО and TOO are "tu", ООО is "u", LLC is "lk", Co is "ku").
var legalForms = foldedSet(
	"ТОО", "ООО", "ОсОО", "ОАО", "ЗАО", "ПАО", "АО", "ИП", "ЧП", // Russian
	"ЖШС",                                       // Kazakh LLP
	"ЖЧК",                                       // Kyrgyz LLC
	"ҶДММ",                                      // Tajik LLC
	"МЧЖ", "MChJ", "АЖ", "AJ", "ХК", "XK", "QK", // Uzbek
	"LLC", "LLP", "Ltd", "Limited", "Inc", "Corp", "PLC", "JSC", "CJSC", "OJSC", "GmbH", "Co",
)

// isLegalForm reports whether w, a folded word, is an abbreviated legal
// form.
func isLegalForm(w string) bool { return legalForms[w] }

// legalPhrases are spelled-out legal forms, as the words of textkey.Latin.
var legalPhrases = foldedPhrases(
	"Общество с ограниченной ответственностью",
	"Товарищество с ограниченной ответственностью",
	"Жауапкершілігі шектеулі серіктестік",
	"Жоопкерчилиги чектелген коом",
	"Ҷамъияти дорои масъулияти маҳдуд",
	"Masʼuliyati cheklangan jamiyat",
	"Limited Liability Company",
	"Limited Liability Partnership",
)

// foldedSet returns the set of the textkey.Latin keys of words.
func foldedSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[textkey.Latin(w)] = true
	}
	return m
}

// foldedPhrases returns the words of the textkey.Latin key of each phrase.
func foldedPhrases(phrases ...string) [][]string {
	out := make([][]string, len(phrases))
	for i, p := range phrases {
		out[i] = strings.Fields(textkey.Latin(p))
	}
	return out
}

// joinTokens sorts toks and joins them with "_", dropping the words sorted
// last while the key would be longer than max.
func joinTokens(toks []string, max int) string {
	slices.Sort(toks)
	n := -1
	end := 0
	for end < len(toks) && n+1+len(toks[end]) <= max {
		n += 1 + len(toks[end])
		end++
	}
	if end == 0 {
		return ""
	}
	if end == 1 {
		return toks[0]
	}
	var b strings.Builder
	b.Grow(n)
	for i, w := range toks[:end] {
		if i > 0 {
			b.WriteByte('_')
		}
		b.WriteString(w)
	}
	return b.String()
}
