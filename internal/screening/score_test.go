package screening

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestJaroWinkler(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"MARTHA", "MARHTA", 0.961},
		{"DWAYNE", "DUANE", 0.840},
		{"DIXON", "DICKSONX", 0.813},
		{"JELLYFISH", "SMELLYFISH", 0.896},
		{"CRATE", "TRACE", 0.733},
		{"abc", "abc", 1},
		{"", "", 1},
		{"abc", "", 0},
		{"abc", "xyz", 0},
		{"a", "a", 1},
	} {
		got := JaroWinkler(c.a, c.b)
		assert.InDelta(t, c.want, got, 0.0005, "%s/%s", c.a, c.b)
		assert.InDelta(t, got, JaroWinkler(c.b, c.a), 1e-12, "symmetric %s/%s", c.a, c.b)
		assert.False(t, math.IsNaN(got))
	}
}

func TestPersonTokensAcrossScripts(t *testing.T) {
	same := [][]string{
		{"Абдурахмон", "Abdurakhmon", "Abdurahmon", "ABDURAXMON"},
		{"Басаев Шамиль", "Shamil Basaev", "SHAMIL BASAYEV"},
		{"Гулмурод Ҳалимов", "Gulmurod Khalimov", "Gulmurod Xalimov", "Гулмурод Халимов"},
		{"Abu Bakr al-Baghdadi", "Bakr Baghdadi", "Abou Bakr Al Baghdadi"},
		{"Юсуф ибн Ахмад", "Yusuf bin Ahmad", "Iusuf Ahmad"},
		{"Rasheed Ahmad", "Rashid Ahmad"},
		{"Умаров Доку Хаматович", "Doku Umarov", "UMAROV DOKU KHAMATOVICH"},
		{"Джамолиддин Ўринов", "Dzhamoliddin Urinov", "Jamoliddin Oʻrinov"},
		{"Салман Булгарский", "Salman Bulgarskiy"},
	}
	for _, group := range same {
		want := sortedCopy(personTokens(group[0]))
		for _, s := range group[1:] {
			assert.Equal(t, want, sortedCopy(personTokens(s)), "%s / %s", group[0], s)
		}
	}
	assert.Equal(t, []string{"bakr", "bagdadi"}, personTokens("Abu Bakr al-Baghdadi"))
	assert.Equal(t, []string{"urinuv", "bahter"}, personTokens("Ўринов Бахтиёр Рустамович"))
	assert.Equal(t, []string{"urinuv", "bahter"}, personTokens("Urinov Baxtiyor Rustam oʻgʻli"))
	assert.Empty(t, personTokens("أبو بكر"))
}

func TestOrgTokens(t *testing.T) {
	toks, w := orgTokens(`ТОО "Узбекистан Транзит"`)
	assert.Equal(t, []string{"tranzit", "uzbekistan"}, toks)
	assert.Equal(t, []float32{1, weakWeight}, w)
	toks, _ = orgTokens("AL-QAIDA IN IRAQ")
	assert.ElementsMatch(t, []string{"kaida", "irak"}, toks)
	toks, _ = orgTokens("Vostok-Tranzit LLP")
	assert.ElementsMatch(t, []string{"vustuk", "tranzit"}, toks)
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j] < c[j-1]; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	return c
}

func TestNameScore(t *testing.T) {
	score := func(q, l string) (float64, bool) {
		qt, lt := personTokens(q), personTokens(l)
		s, _, _, ok := nameScore(len(qt), nil, len(lt), nil, false, func(i, j int) float64 {
			return JaroWinkler(qt[i], lt[j])
		})
		return s, ok
	}
	for _, c := range []struct {
		q, l    string
		hit     bool
		atLeast float64
	}{
		{"Shamil Basaev", "Басаев Шамиль", true, 1},
		{"Doku Umarov", "Dokka Umarov", true, 0.9},
		{"Muhammad Karim", "Mohammed Kareem", true, 0.9},
		// "surname given" against given, father's, surname, tribe.
		{"Haqqani Jalaluddin", "JALALUDDIN KHAN MIR HAQQANI", true, 0.88},
		// One of two tokens differs: no hit.
		{"Rustam Khalimov", "Gulmurod Khalimov", false, 0},
		{"Khalimov", "Gulmurod Khalimov", false, 0},
		{"Ivan Petrov", "Gulmurod Khalimov", false, 0},
	} {
		s, ok := score(c.q, c.l)
		if c.hit {
			assert.True(t, ok && s >= Threshold && s >= c.atLeast-1e-9, "%s / %s: %.3f %v", c.q, c.l, s, ok)
		} else {
			assert.False(t, ok && s >= Threshold, "%s / %s: %.3f %v", c.q, c.l, s, ok)
		}
		assert.LessOrEqual(t, s, 1.0)
	}
}
