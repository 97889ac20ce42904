package screening

import (
	"strings"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/textkey"
)

// Scoring parameters.
const (
	// pairMin is the least Jaro-Winkler similarity at which two tokens
	// pair: below it, a token counts as unmatched. Unrelated names of the
	// region score 0.5–0.75 (Rustam/Gulmurod 0.48, Ahmad/Ali 0.69); spelling
	// variants that the Latin key leaves apart score above 0.85
	// (Dokka/Doku 0.88, Muhamed/Muhamad 0.94).
	pairMin = 0.82
	// listedWeight is how much the listed name's unmatched tokens count
	// against a query's, so that "surname given" still meets a listed name
	// of four tokens (given, father's, surname, tribe): 2 of 4 listed
	// tokens matched scores (1 + 0.25·0.5)/1.25 = 0.90.
	listedWeight = 0.25
	// weakWeight is the weight of a generic word (company, trading) or a
	// place (Iraq, Kabul) in an organisation's name.
	weakWeight = 0.3
)

// JaroWinkler returns the Jaro-Winkler similarity of a and b, compared byte
// by byte, in [0, 1]: the Jaro similarity raised by 0.1 for each of the
// first four bytes the strings share (MARTHA/MARHTA 0.961, DWAYNE/DUANE
// 0.840, DIXON/DICKSONX 0.813).
func JaroWinkler(a, b string) float64 {
	j := jaro(a, b)
	l := 0
	for l < 4 && l < len(a) && l < len(b) && a[l] == b[l] {
		l++
	}
	return j + float64(l)*0.1*(1-j)
}

// jaro returns the Jaro similarity of a and b.
func jaro(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := lb/2 - 1
	if window < 0 {
		window = 0
	}
	var fa, fb [64]bool
	var ma, mb []bool
	if la <= 64 && lb <= 64 {
		ma, mb = fa[:la], fb[:lb]
	} else {
		ma, mb = make([]bool, la), make([]bool, lb)
	}
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for k := lo; k < hi; k++ {
			if !mb[k] && a[i] == b[k] {
				ma[i], mb[k] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, k := 0, 0
	for i := 0; i < la; i++ {
		if !ma[i] {
			continue
		}
		for !mb[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	fm := float64(m)
	return (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
}

// nameParticles are the words of Arabic and other names that the key of a
// person's name leaves out, as textkey.Latin folds them: the article (al-,
// el-, ad-, ar-, as-, at-, az-, written as a word of its own since Latin
// splits at hyphens), bin, ibn, bint, ben (son, daughter of), abu, abou
// (father of), ould.
var nameParticles = foldedWords("al", "el", "ad", "ar", "as", "at", "az", "bin", "ibn", "bint", "ben", "abu", "abou", "ould")

// patronymicParticles are the particles of Turkic patronymics, as
// idkey.NameKey drops them (idkey does not export its list).
var patronymicParticles = foldedWords("ўғли", "угли", "oʻgʻli", "ugli", "оглы", "ogly", "oğlu", "oglu",
	"уулу", "uulu", "ұлы", "uly", "қизи", "кизи", "qizi", "кызы", "kyzy", "қызы", "гызы", "gyzy", "gizi")

// orgStopWords are left out of organisations' names.
var orgStopWords = foldedWords("al", "el", "of", "the", "and", "in", "for", "de", "du", "la", "le", "des")

// weakOrgWords are generic words and places, which count little in an
// organisation's name: two companies that are both a "trading company" of
// Kabul are not one.
var weakOrgWords = foldedWords(
	"company", "companies", "trading", "trade", "group", "international", "general", "foundation",
	"trust", "bank", "charity", "charitable", "organization", "organisation", "committee", "corporation",
	"industries", "industrial", "industry", "development", "export", "import", "services", "service",
	"commercial", "enterprise", "enterprises", "holding", "holdings", "establishment", "agency",
	"society", "association", "branch", "office", "center", "centre", "national", "islamic", "republic",
	"exchange", "money", "transport", "shipping", "logistics", "marketing", "investment", "network",
	"brigade", "brigades", "front", "movement", "army", "people", "state", "fund", "relief",
	"компания", "торговый", "торговая", "группа",
	// Places: countries, their adjectives, regions and the cities that
	// listed entities and the region's companies name.
	"afghanistan", "afghan", "iraq", "iraqi", "pakistan", "pakistani", "syria", "syrian", "iran", "iranian",
	"indonesia", "indonesian", "somalia", "somali", "yemen", "yemeni", "libya", "libyan", "mali",
	"egypt", "egyptian", "tunisia", "tunisian", "algeria", "algerian", "morocco", "maghreb", "sudan",
	"saudi", "arabia", "arabian", "peninsula", "kuwait", "qatar", "jordan", "lebanon", "turkey",
	"korea", "korean", "china", "chinese", "russia", "russian", "europe", "european", "america",
	"bangladesh", "india", "philippines", "kenya", "tanzania", "comoros", "albania", "bosnia",
	"ethiopia", "netherlands", "levant", "caucasus", "uzbekistan", "uzbek", "tajikistan", "tajik",
	"kazakhstan", "kazakh", "kyrgyzstan", "kyrgyz", "turkmenistan", "turkmen", "asia", "central",
	"kabul", "kandahar", "baghdad", "karachi", "peshawar", "lahore", "islamabad", "quetta",
	"damascus", "mogadishu", "tehran", "pyongyang", "dubai", "istanbul", "moscow", "tashkent",
	"almaty", "astana", "bishkek", "dushanbe", "ashgabat", "samarkand", "khujand", "osh",
	"Афганистан", "Ирак", "Пакистан", "Сирия", "Иран", "Россия", "Узбекистан", "Таджикистан",
	"Казахстан", "Кыргызстан", "Туркменистан", "Ташкент", "Алматы", "Бишкек", "Душанбе", "Ашхабад",
	"Кабул", "Москва", "Азия",
)

func foldedWords(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		for _, k := range strings.Fields(textkey.Latin(w)) {
			m[k] = true
		}
	}
	return m
}

// latinKey is textkey.Latin with one more fold of the Arabic names' Latin
// spellings: ee is i (Rasheed, Rashid). textkey.Latin already folds kh/h,
// dzh/j, yu/iu, ya/ia, ou/u and doubled letters, so nothing else is folded
// twice.
func latinKey(s string) string {
	if strings.Contains(s, "ee") || strings.Contains(s, "EE") || strings.Contains(s, "Ee") {
		s = strings.NewReplacer("ee", "i", "EE", "I", "Ee", "I").Replace(s)
	}
	return textkey.Latin(s)
}

// personTokens returns the tokens of a person's name: the words of its
// Latin key without initials, name particles, Turkic patronymic particles
// (with the father's name before them, while more than two words remain)
// and, while more than two words remain, patronymics (-vich, -vna, -ichna,
// -uly, -kyzy, never the first word), as idkey.NameKey drops them.
func personTokens(name string) []string {
	var toks []string
	for w := range strings.SplitSeq(latinKey(name), " ") {
		switch {
		case len(w) < 2 || nameParticles[w]:
		case patronymicParticles[w]:
			// The father's name before the particle goes too, while
			// more than two words remain (Urinov Baxtiyor Rustam oʻgʻli).
			if len(toks) > 2 {
				toks = toks[:len(toks)-1]
			}
		default:
			toks = append(toks, w)
		}
	}
	for len(toks) > 2 {
		i := 1
		for i < len(toks) && !isPatronymic(toks[i]) {
			i++
		}
		if i == len(toks) {
			break
		}
		toks = append(toks[:i], toks[i+1:]...)
	}
	return dedupe(toks)
}

// isPatronymic is idkey's rule, reimplemented (it is not exported).
func isPatronymic(w string) bool {
	for _, suf := range [...]string{"vich", "vna", "ichna", "uli", "kizi"} {
		if len(w) >= len(suf)+3 && strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// orgTokens returns the tokens of an organisation's name, the words of
// idkey.OrgKey (legal forms removed) without stop words, and their
// weights: weakWeight for generic words and places, 1 for the others.
func orgTokens(name string) ([]string, []float32) {
	if strings.Contains(name, "ee") || strings.Contains(name, "EE") {
		name = strings.NewReplacer("ee", "i", "EE", "I").Replace(name)
	}
	k := idkey.OrgKey(name)
	if k == "" {
		return nil, nil
	}
	var toks []string
	for w := range strings.SplitSeq(k, "_") {
		if w != "" && !orgStopWords[w] {
			toks = append(toks, w)
		}
	}
	toks = dedupe(toks)
	ws := make([]float32, len(toks))
	for i, w := range toks {
		ws[i] = 1
		if weakOrgWords[w] || len(w) < 3 {
			ws[i] = weakWeight
		}
	}
	return toks, ws
}

func dedupe(toks []string) []string {
	out := toks[:0]
	for i, t := range toks {
		dup := false
		for _, u := range toks[:i] {
			if u == t {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

// Pair is a query token paired with a listed token, and their similarity.
type Pair struct {
	Query  string  `json:"query"`
	Listed string  `json:"listed"`
	Score  float64 `json:"score"`
}

// nameScore scores a query's tokens against a listed name's: each listed
// token pairs with at most one query token, the best pairs first (greedy),
// whatever their order; a pair counts when its similarity is at least
// pairMin. The score is (Cq + listedWeight·Cl)/(1 + listedWeight), where Cq
// and Cl are the weighted shares of the query's and the listed name's
// tokens matched, each weighed by its pair's similarity. sim(i, j) is the
// similarity of query token i and listed token j. ok is false when too few
// tokens pair: fewer than two when the listed name has two or more (a
// single word, a surname alone, is not a hit), or, for an organisation, no
// pair of tokens of weight 1 — unless the listed name has none (ISLAMIC
// MOVEMENT OF UZBEKISTAN), when two pairs covering 70% of its weight do.
func nameScore(nq int, wq []float32, nl int, wl []float32, org bool, sim func(i, j int) float64) (score float64, pairs [][2]int, sims []float64, ok bool) {
	if nq == 0 || nl == 0 || nq > 16 || nl > 32 {
		return 0, nil, nil, false
	}
	type cand struct {
		i, j int
		s    float64
	}
	var buf [64]cand
	cands := buf[:0]
	for i := 0; i < nq; i++ {
		for j := 0; j < nl; j++ {
			if s := sim(i, j); s >= pairMin {
				cands = append(cands, cand{i, j, s})
			}
		}
	}
	if len(cands) == 0 {
		return 0, nil, nil, false
	}
	// Insertion sort, best first: there are few.
	for a := 1; a < len(cands); a++ {
		for b := a; b > 0 && cands[b].s > cands[b-1].s; b-- {
			cands[b], cands[b-1] = cands[b-1], cands[b]
		}
	}
	var usedQ uint32
	var usedL uint32
	var sq, sl, tq, tl float64
	strong := false
	for _, c := range cands {
		if usedQ&(1<<c.i) != 0 || usedL&(1<<c.j) != 0 {
			continue
		}
		usedQ |= 1 << c.i
		usedL |= 1 << c.j
		pairs = append(pairs, [2]int{c.i, c.j})
		sims = append(sims, c.s)
		sq += float64(weight(wq, c.i)) * c.s
		sl += float64(weight(wl, c.j)) * c.s
		if weight(wq, c.i) == 1 && weight(wl, c.j) == 1 && c.s >= 0.9 {
			strong = true
		}
	}
	for i := 0; i < nq; i++ {
		tq += float64(weight(wq, i))
	}
	for j := 0; j < nl; j++ {
		tl += float64(weight(wl, j))
	}
	if org {
		allWeak := true
		for j := 0; j < nl; j++ {
			if weight(wl, j) == 1 {
				allWeak = false
			}
		}
		if !strong && !(allWeak && len(pairs) >= min(2, nl) && sl/tl >= 0.7) {
			return 0, nil, nil, false
		}
	} else if len(pairs) < min(2, nl) {
		return 0, nil, nil, false
	}
	score = (sq/tq + listedWeight*sl/tl) / (1 + listedWeight)
	return min(score, 1), pairs, sims, true
}

func weight(w []float32, i int) float32 {
	if w == nil {
		return 1
	}
	return w[i]
}
