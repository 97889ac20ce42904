package i18n

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/translations"
)

// TestEmbeddedCatalogsLoad checks that the catalogs shipped in the binary
// pass Load's checks, whichever languages exist so far.
func TestEmbeddedCatalogsLoad(t *testing.T) {
	c, err := Load(translations.FS)
	require.NoError(t, err)
	assert.True(t, c.Has(Default))
}

// TestEmbeddedCatalogsAgree checks that the shipped catalogs are complete
// and consistent with English: every language has a file, every English
// key exists in every language with the same kind (string or plural), the
// same placeholders and the plural categories that language needs, and no
// catalog has a key English lacks.
func TestEmbeddedCatalogsAgree(t *testing.T) {
	c, err := Load(translations.FS)
	require.NoError(t, err)
	en := c.langs[Default]
	for _, lang := range Languages {
		t.Run(lang, func(t *testing.T) {
			require.True(t, c.Has(lang), "translations/%s.json is missing", lang)
			msgs := c.langs[lang]
			for _, key := range c.Keys(Default) {
				want := en[key]
				got, ok := msgs[key]
				if !assert.True(t, ok, "%s.json lacks key %q", lang, key) {
					continue
				}
				if !assert.Equal(t, kind(want), kind(got), "%s.json: key %q has the wrong kind", lang, key) {
					continue
				}
				assert.Equal(t, placeholders(want), placeholders(got),
					"%s.json: key %q has other placeholders than en.json", lang, key)
				if got.plural {
					checkPluralForms(t, lang, key, want, got)
				}
			}
			for _, key := range c.Keys(lang) {
				_, ok := en[key]
				assert.True(t, ok, "%s.json has key %q, which en.json lacks", lang, key)
			}
		})
	}
}

// checkPluralForms checks that a plural message has exactly the categories
// lang uses, and that a form covering more than one number shows {count}
// whenever the English message uses it: Russian "one" covers 1, 21, 31, …
// and Tajik "other" covers every number.
func checkPluralForms(t *testing.T, lang, key string, en, m message) {
	t.Helper()
	cats := slices.Sorted(maps.Keys(m.forms))
	want := slices.Sorted(slices.Values(pluralCategories(lang)))
	assert.Equal(t, want, cats, "%s.json: key %q has other plural categories than %s needs", lang, key, lang)
	if !slices.Contains(placeholders(en), "count") {
		return
	}
	for cat, f := range m.forms {
		if coversSeveral(lang, cat) {
			assert.Contains(t, Placeholders(f.raw), "count",
				"%s.json: key %q: plural form %q is used for several numbers, so it must show {count}", lang, key, cat)
		}
	}
}

// coversSeveral reports whether more than one integer takes category cat in lang.
func coversSeveral(lang, cat string) bool {
	if cat == catOther {
		return true
	}
	seen := 0
	for n := range 1000 {
		if PluralCategory(lang, n) == cat {
			seen++
		}
	}
	return seen > 1
}

// kind names the kind of a message for test failures.
func kind(m message) string {
	if m.plural {
		return "plural"
	}
	return "string"
}

// placeholders returns the sorted placeholders used in any form of m.
func placeholders(m message) []string {
	var all []string
	for _, f := range m.forms {
		all = append(all, Placeholders(f.raw)...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

func TestCheckPluralFormsHelpers(t *testing.T) {
	assert.True(t, coversSeveral("ru", "one"))
	assert.True(t, coversSeveral("ru", "few"))
	assert.False(t, coversSeveral("en", "one"))
	assert.False(t, coversSeveral("uz-Cyrl", "one"))
	assert.True(t, coversSeveral("tg", "other"))
	m := message{plural: true, forms: map[string]form{"one": {raw: "One {x}"}, "other": {raw: "{count} {x}s"}}}
	assert.Equal(t, []string{"count", "x"}, placeholders(m))
	assert.Equal(t, "plural", kind(m))
	assert.Equal(t, "string", kind(message{}))
}
