package i18n

import (
	"errors"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to Load as a catalog file. Load must never
// panic, and whatever it accepts must render without panicking.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"a": "x"}`,
		`{"cli.records": {"one": "{count} record", "other": "{count} records"}}`,
		`{"a": "{{x}} {y} }}"}`,
		`{"a": "{", "b": "}", "c": "{x y}"}`,
		`{"a": {"one": "x"}, "b": {"several": "y", "other": "z"}}`,
		`{"a": [1, {"b": [2]}], "c": null, "d": true, "e": 1.5}`,
		`{"a": "x", "a": "y"}`,
		`{"a": {"other": {"x": [1, 2, {"y": {}}]}}}`,
		`[]`,
		`{"a": "x"} trailing`,
		"\uFEFF{}",
		"{\"a\": \"\xff\"}",
		`{"a": "Запись {id} добавлена", "b": "{имя}"}`,
		`{"a`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// As English, the fallback of everything.
		c, err := Load(fstest.MapFS{"en.json": {Data: data}})
		if err == nil {
			exercise(t, c, "en")
		} else if err.Error() == "" {
			t.Fatal("an error without text")
		}
		// As Russian, next to a valid English catalog.
		c, err = Load(fstest.MapFS{
			"en.json": {Data: []byte(`{"a": "x {y}", "n": {"one": "one", "other": "{count} n"}}`)},
			"ru.json": {Data: data},
		})
		if err == nil {
			exercise(t, c, "ru")
		}
	})
}

// exercise renders every key of lang in every way, with awkward arguments.
func exercise(t *testing.T, c *Catalog, lang string) {
	tr := c.For(lang)
	if tr.Lang() != lang {
		t.Fatalf("For(%q).Lang() = %q", lang, tr.Lang())
	}
	for _, key := range c.Keys(lang) {
		_ = tr.T(key)
		_ = tr.T(key, "count", 1234, "x", -1.5, "y", nil, 7)
		for _, n := range []int{-1, 0, 1, 2, 5, 21, 1 << 62} {
			_ = tr.N(key, n, "a", "b")
		}
		_ = tr.Error(&fieldError{key: key, args: []any{"x", errors.New("y")}})
	}
}
