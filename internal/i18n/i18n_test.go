package i18n

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLanguagesMatchInternalCopy(t *testing.T) {
	assert.Equal(t, supported[:], Languages)
	assert.Contains(t, Languages, Default)
}

func TestMatch(t *testing.T) {
	tests := []struct{ tag, want string }{
		{"ru_RU.UTF-8", "ru"},
		{"ru", "ru"},
		{"RU-ru", "ru"},
		{"ru-KZ", "ru"},
		{"rus", "ru"},
		{"kk-KZ", "kk"},
		{"kk_KZ.UTF-8", "kk"},
		{"kk-Latn-KZ", "kk"},
		{"kaz", "kk"},
		{"ky_KG", "ky"},
		{"ky-KG", "ky"},
		{"kir", "ky"},
		{"tg_TJ", "tg"},
		{"tg-Cyrl-TJ", "tg"},
		{"tgk", "tg"},
		{"tk_TM", "tk"},
		{"tk_TM.UTF-8", "tk"},
		{"tuk", "tk"},
		{"uz_UZ@cyrillic", "uz-Cyrl"},
		{"uz_UZ.UTF-8@cyrillic", "uz-Cyrl"},
		{"uz@cyrillic", "uz-Cyrl"},
		{"uz-Cyrl-UZ", "uz-Cyrl"},
		{"uz-Cyrl", "uz-Cyrl"},
		{"UZ-CYRL", "uz-Cyrl"},
		{"uz_UZ_#Cyrl", "uz-Cyrl"},
		{"uz-Latn", "uz"},
		{"uz-Latn-UZ", "uz"},
		{"uz_UZ", "uz"},
		{"uz_UZ@latin", "uz"},
		{"uz", "uz"},
		{"uzb", "uz"},
		{"uz-Arab-AF", "uz"},
		{"uz-UZ-x-cyrl", "uz"},
		{"uz-u-nu-latn", "uz"},
		{"en-US", "en"},
		{"en_GB.UTF-8", "en"},
		{"  ru_RU.UTF-8\n", "ru"},
		{"C", "en"},
		{"C.UTF-8", "en"},
		{"POSIX", "en"},
		{"", "en"},
		{"fr_FR.UTF-8", "en"},
		{"de", "en"},
		{"x-klingon", "en"},
		{"-", "en"},
		{"@cyrillic", "en"},
		{"_", "en"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Match(tt.tag), "Match(%q)", tt.tag)
	}
	for _, code := range Languages {
		assert.Equal(t, code, Match(code), "a supported code matches itself")
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", nil, "en"},
		{"LANG only", map[string]string{"LANG": "ru_RU.UTF-8"}, "ru"},
		{"LC_MESSAGES over LANG", map[string]string{"LC_MESSAGES": "kk_KZ.UTF-8", "LANG": "ru_RU.UTF-8"}, "kk"},
		{"LC_ALL over LC_MESSAGES", map[string]string{"LC_ALL": "uz_UZ@cyrillic", "LC_MESSAGES": "kk_KZ", "LANG": "ru_RU"}, "uz-Cyrl"},
		{"KORDON_LANG over everything", map[string]string{"KORDON_LANG": "tg", "LC_ALL": "ru_RU", "LANG": "ky_KG"}, "tg"},
		{"empty values are skipped", map[string]string{"KORDON_LANG": "", "LC_ALL": " ", "LANG": "tk_TM"}, "tk"},
		{"LC_ALL=C decides, as in POSIX", map[string]string{"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"},
		{"unsupported decides too", map[string]string{"KORDON_LANG": "fr", "LANG": "ru_RU.UTF-8"}, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromEnv(func(name string) string { return tt.env[name] })
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFromEnvNilUsesProcessEnvironment(t *testing.T) {
	t.Setenv("KORDON_LANG", "ky-KG")
	assert.Equal(t, "ky", FromEnv(nil))
}

func TestPluralCategoryRussian(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "many"}, {1, "one"}, {2, "few"}, {3, "few"}, {4, "few"}, {5, "many"},
		{10, "many"}, {11, "many"}, {12, "many"}, {14, "many"}, {15, "many"},
		{21, "one"}, {22, "few"}, {24, "few"}, {25, "many"}, {101, "one"},
		{111, "many"}, {112, "many"}, {1001, "one"}, {1_000_000, "many"},
		{-1, "one"}, {-22, "few"}, {-111, "many"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, PluralCategory("ru", tt.n), "ru %d", tt.n)
	}
	assert.Equal(t, "few", PluralCategory("ru_RU.UTF-8", 3), "the tag is matched first")
}

func TestPluralCategoryOneOther(t *testing.T) {
	for _, lang := range []string{"en", "kk", "ky", "tk", "uz", "uz-Cyrl"} {
		tests := []struct {
			n    int
			want string
		}{
			{0, "other"}, {1, "one"}, {2, "other"}, {5, "other"}, {11, "other"},
			{21, "other"}, {22, "other"}, {101, "other"}, {-1, "one"}, {-2, "other"},
		}
		for _, tt := range tests {
			assert.Equal(t, tt.want, PluralCategory(lang, tt.n), "%s %d", lang, tt.n)
		}
	}
}

func TestPluralCategoryTajik(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, 11, 21, 22, 101, -1, math.MaxInt, math.MinInt} {
		assert.Equal(t, "other", PluralCategory("tg", n), "tg %d", n)
	}
}

func TestPluralCategoryExtremes(t *testing.T) {
	for _, lang := range Languages {
		for _, n := range []int{math.MaxInt, math.MinInt, math.MinInt + 1} {
			got := PluralCategory(lang, n)
			assert.Contains(t, pluralCategories(lang), got, "%s %d", lang, n)
		}
	}
	// math.MinInt is -9223372036854775808: ends in 8, so "many" in Russian.
	assert.Equal(t, "many", PluralCategory("ru", math.MinInt))
	assert.Equal(t, "many", PluralCategory("ru", math.MaxInt)) // …807
}

func TestPluralCategoriesCoverTheRule(t *testing.T) {
	for _, lang := range Languages {
		seen := map[string]bool{"other": true}
		for n := range 1000 {
			seen[PluralCategory(lang, n)] = true
		}
		var got []string
		for c := range seen {
			got = append(got, c)
		}
		want := slices.Clone(pluralCategories(lang))
		slices.Sort(got)
		slices.Sort(want)
		assert.Equal(t, want, got, lang)
	}
}
