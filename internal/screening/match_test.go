package screening

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var realIndex struct {
	once sync.Once
	ix   *Index
}

func realIx(tb testing.TB) *Index {
	tb.Helper()
	l := realParsed(tb)
	realIndex.once.Do(func() { realIndex.ix = NewIndex(l) })
	return realIndex.ix
}

// hitOf returns the hit of the entry with that reference, or nil.
func hitOf(hits []Hit, ref string) *Hit {
	for i := range hits {
		if hits[i].Entry.Reference == ref {
			return &hits[i]
		}
	}
	return nil
}

func checkHits(t *testing.T, hits []Hit) {
	t.Helper()
	for i, h := range hits {
		assert.GreaterOrEqual(t, h.Score, Threshold)
		assert.LessOrEqual(t, h.Score, 1.0)
		assert.NotEmpty(t, h.Why)
		assert.NotEmpty(t, h.Matched)
		if i > 0 {
			assert.GreaterOrEqual(t, hits[i-1].Score, h.Score, "sorted best first")
		}
	}
}

func TestScreenRealListFound(t *testing.T) {
	ix := realIx(t)
	for _, c := range []struct {
		name    string
		q       Query
		ref     string
		matched string // the listed name or alias, if it matters
		why     string // a reason that must be given
	}{
		// A Tajik Cyrillic spelling of a listed Tajik name.
		{"tajik cyrillic", Query{Name: "Гулмурод Ҳалимов", Kind: QueryPerson}, "QDi.372", "GULMUROD KHALIMOV", "name 1.00"},
		{"tajik cyrillic, surname first", Query{Name: "Ҳалимов Гулмурод", Kind: QueryPerson, BirthDate: "1975-05-14", Nationality: "TJ"}, "QDi.372", "", "birth date 1975-05-14 matches"},
		{"russian spelling of the tajik name", Query{Name: "Халимов Гулмурод", BirthDate: "1975"}, "QDi.372", "", "birth year 1975 matches"},
		{"approximate year within one", Query{Name: "Gulmurod Halimov", BirthDate: "1976"}, "QDi.372", "", "birth year 1976 matches"},
		{"nationality", Query{Name: "Gulmurod Xalimov", Nationality: "TJ"}, "QDi.372", "", "nationality matches"},
		// A Russian spelling of a listed North-Caucasus name.
		{"russian, north caucasus", Query{Name: "Доку Умаров", Kind: QueryPerson}, "QDi.290", "", ""},
		{"russian with patronymic", Query{Name: "Умаров Доку Хаматович", Nationality: "RU", BirthDate: "1964"}, "QDi.290", "", "nationality matches"},
		{"russian spelling of Chataev", Query{Name: "Чатаев Ахмед Ражапович"}, "QDi.365", "", ""},
		{"latin spelling variant of Chataev", Query{Name: "Akhmad Chataev"}, "QDi.365", "", ""},
		// A listed alias found by its alias.
		{"alias", Query{Name: "Dokka Umarov"}, "QDi.290", "Dokka Umarov", ""},
		{"alias Lom-ali Butayev", Query{Name: "Ломали Бутаев"}, "QDi.290", "", ""},
		{"alias in cyrillic", Query{Name: "Салман Булгарский"}, "QDi.397", "", ""},
		{"alias Shishani", Query{Name: "Ахмад Шишани"}, "QDi.365", "", ""},
		{"al- dropped", Query{Name: "Abu Bakr Baghdadi"}, "QDi.299", "", ""},
		// A document number by itself.
		{"document", Query{Name: "Ivan Petrov", Document: "381 310 014"}, "KPi.033", "", "document number matches"},
		// Organisations.
		{"organisation", Query{Name: "Islamic Movement of Uzbekistan", Kind: QueryOrganisation}, "QDe.010", "", ""},
		{"organisation with legal form", Query{Name: "Al-Haramain Foundation Indonesia LLC", Kind: QueryOrganisation}, "", "", ""},
		{"organisation in any kind", Query{Name: "Al Qaida in Iraq"}, "QDe.115", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			hits := ix.Screen(c.q)
			checkHits(t, hits)
			if c.ref == "" {
				require.NotEmpty(t, hits)
				return
			}
			h := hitOf(hits, c.ref)
			require.NotNil(t, h, "%s not found in %v", c.ref, refs(hits))
			if c.matched != "" {
				assert.Equal(t, c.matched, h.Matched)
			}
			if c.why != "" {
				assert.Contains(t, h.Why, c.why)
			}
			assert.NotEmpty(t, h.Entry.ListType)
		})
	}
}

func TestScreenRealListNotFound(t *testing.T) {
	ix := realIx(t)
	for _, c := range []struct {
		name string
		q    Query
		ref  string // "" if no hit at all may be given
	}{
		// The same surname, another first name and another year of birth.
		{"same surname, other given name and year", Query{Name: "Рустам Халимов", BirthDate: "1988"}, "QDi.372"},
		{"same surname, other given name", Query{Name: "Rustam Khalimov"}, "QDi.372"},
		{"same surname, other given name, russian", Query{Name: "Умаров Руслан", BirthDate: "1990-02-03"}, "QDi.290"},
		{"surname alone", Query{Name: "Халимов"}, "QDi.372"},
		// The listed name, another year of birth: below the threshold.
		{"listed name, other year", Query{Name: "Гулмурод Ҳалимов", BirthDate: "1990"}, "QDi.372"},
		{"listed name, other year, nationality", Query{Name: "Gulmurod Khalimov", BirthDate: "1985-01-01", Nationality: "TJ"}, "QDi.372"},
		// Companies whose names contain a country's or a city's name that a
		// listed entity's name contains too.
		{"company named after uzbekistan", Query{Name: `ТОО "Узбекистан Транзит"`, Kind: QueryOrganisation}, ""},
		{"uzbekistan trading company", Query{Name: "Uzbekistan Trading Company LLC"}, ""},
		{"afghan trading", Query{Name: "Afghan Trading Company LLC", Kind: QueryOrganisation}, ""},
		{"indonesia foods", Query{Name: "PT Indonesia Foods", Kind: QueryOrganisation}, ""},
		{"iraq logistics", Query{Name: "Iraq Logistics Ltd"}, ""},
		{"pakistan cotton", Query{Name: "Pakistan Cotton Export Company"}, ""},
		{"kabul transport", Query{Name: "OOO Kabul Transport"}, ""},
		// Ordinary names of the region.
		{"ordinary name", Query{Name: "Иванов Иван Иванович", BirthDate: "1970"}, ""},
		{"ordinary uzbek name", Query{Name: "Ўринов Бахтиёр Рустамович"}, ""},
		{"document too short", Query{Name: "Zzz Yyy", Document: "381"}, ""},
		{"empty", Query{}, ""},
		{"arabic only", Query{Name: "أبو بكر"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			hits := ix.Screen(c.q)
			checkHits(t, hits)
			if c.ref == "" {
				assert.Empty(t, hits, "%v", refs(hits))
			} else {
				assert.Nil(t, hitOf(hits, c.ref), "%v", refs(hits))
			}
		})
	}
}

func TestScreenQualifiers(t *testing.T) {
	ix := realIx(t)
	score := func(q Query) float64 {
		h := hitOf(ix.Screen(q), "QDi.372")
		if h == nil {
			return 0
		}
		return h.Score
	}
	base := score(Query{Name: "Gulmurod Khalimova"})
	require.GreaterOrEqual(t, base, Threshold)
	require.Less(t, base, 1.0)
	assert.Greater(t, score(Query{Name: "Gulmurod Khalimova", Nationality: "TJ"}), base)
	assert.Less(t, score(Query{Name: "Gulmurod Khalimova", Nationality: "RU"}), base)
	assert.Greater(t, score(Query{Name: "Gulmurod Khalimova", BirthDate: "1975"}), base)
	assert.LessOrEqual(t, score(Query{Name: "Gulmurod Khalimov", BirthDate: "1975-05-14", Nationality: "TJ"}), 1.0)
	assert.Zero(t, score(Query{Name: "Gulmurod Khalimova", BirthDate: "1978"}))

	// Kind: a person is not screened against entities.
	for _, h := range ix.Screen(Query{Name: "Islamic Movement of Uzbekistan", Kind: QueryPerson}) {
		assert.Equal(t, KindIndividual, h.Entry.Kind)
	}
	for _, h := range ix.Screen(Query{Name: "Gulmurod Khalimov", Kind: QueryOrganisation}) {
		assert.Equal(t, KindEntity, h.Entry.Kind)
	}

	// The document is a hit by itself, first, with score 1.
	hits := ix.Screen(Query{Name: "Completely Different", Document: "381310014", BirthDate: "1900"})
	require.NotEmpty(t, hits)
	assert.Equal(t, "KPi.033", hits[0].Entry.Reference)
	assert.Equal(t, 1.0, hits[0].Score)
	assert.Equal(t, "document number matches", hits[0].Why[0])

	// The pairs say which tokens met.
	h := hitOf(ix.Screen(Query{Name: "Гулмурод Ҳалимов"}), "QDi.372")
	require.NotNil(t, h)
	assert.ElementsMatch(t, []Pair{{"gulmurud", "gulmurud", 1}, {"halimuv", "halimuv", 1}}, h.Pairs)
}

// A small hand-made list: a listed name of four tokens, a low-quality
// alias, birth dates of each type.
func TestScreenSmallList(t *testing.T) {
	l := &List{Individuals: []Entry{
		{Kind: KindIndividual, Reference: "TAi.001", ListType: "Taliban",
			Names: []Name{{Text: "JALALUDDIN KHAN MIR HAQQANI", Type: NamePrimary},
				{Text: "Jalal Haqqani", Type: NameAlias, Quality: "Low"}},
			BirthDates: []DateOfBirth{{Type: "BETWEEN", FromYear: 1950, ToYear: 1955}}},
		{Kind: KindIndividual, Reference: "TAi.002", ListType: "Taliban",
			Names:      []Name{{Text: "ABDUL KARIM SHAMIL BASAEV", Type: NamePrimary}},
			BirthDates: []DateOfBirth{{Type: "APPROXIMATELY", FromYear: 1965, ToYear: 1965}}},
	}}
	ix := NewIndex(l)
	assert.Same(t, l, ix.List())
	find := func(q Query, ref string) *Hit { return hitOf(ix.Screen(q), ref) }

	assert.NotNil(t, find(Query{Name: "Haqqani Jalaluddin"}, "TAi.001"), "surname given")
	assert.NotNil(t, find(Query{Name: "Хаккани Джалалуддин", BirthDate: "1953"}, "TAi.001"))
	assert.Nil(t, find(Query{Name: "Haqqani Jalaluddin", BirthDate: "1960"}, "TAi.001"), "outside BETWEEN")
	h := find(Query{Name: "Jalal Haqqani"}, "TAi.001")
	require.NotNil(t, h)
	assert.Equal(t, "Jalal Haqqani", h.Matched)
	assert.Equal(t, []string{"name 1.00", "low-quality alias"}, h.Why)
	assert.InDelta(t, 1-lowQualityPenalty, h.Score, 1e-9)
	h = find(Query{Name: "Jalaluddin Mir Haqqani"}, "TAi.001")
	require.NotNil(t, h)
	assert.Equal(t, "JALALUDDIN KHAN MIR HAQQANI", h.Matched, "the primary name scores above the low-quality alias")
	assert.NotNil(t, find(Query{Name: "Басаев Шамиль", BirthDate: "1966"}, "TAi.002"), "approximately: one year off")
	assert.Nil(t, find(Query{Name: "Басаев Шамиль", BirthDate: "1967"}, "TAi.002"), "approximately: two years off")
}

func refs(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Entry.Reference+" "+h.Matched+" "+strings.Join(h.Why, ","))
	}
	return out
}

// Names that only look alike are no hit, even when the birth year and the
// nationality match: found among 20,000 synthetic records.
func TestScreenQualifiersNeverMakeAHit(t *testing.T) {
	ix := realIx(t)
	for _, c := range []struct{ name, reference string }{
		{"Karimov Айгүл", "QDi.311"},
		{"Раҳимов Madina", "TAi.102"},
	} {
		var e *Entry
		for _, x := range ix.entries {
			if x.Reference == c.reference {
				e = x
			}
		}
		if e == nil || len(e.BirthDates) == 0 {
			t.Fatalf("%s is not in the list with a birth date", c.reference)
		}
		q := Query{Name: c.name, Kind: QueryPerson, BirthDate: fmt.Sprint(e.BirthDates[0].FromYear)}
		if len(e.NationalityCodes) > 0 {
			q.Nationality = e.NationalityCodes[0]
		}
		for _, h := range ix.Screen(q) {
			if h.Entry.Reference == c.reference {
				t.Errorf("%q hits %s (%s) at %.2f: %v", c.name, c.reference, h.Matched, h.Score, h.Why)
			}
		}
	}
}
