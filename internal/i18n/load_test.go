package i18n

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalogFS builds a file system of catalogs from file name to content.
func catalogFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func TestLoadValid(t *testing.T) {
	c, err := Load(catalogFS(map[string]string{
		"en.json": `{
			"cli.record_added": "Record {id} added",
			"cli.records": {"one": "{count} record", "other": "{count} records"},
			"enum.firearm_category.assault_rifle": "Assault rifle"
		}`,
		"ru.json":    `{"cli.records": {"one": "{count} запись", "few": "{count} записи", "many": "{count} записей", "other": "{count} записи"}}`,
		"tg.json":    `{}`,
		"README.md":  "not a catalog",
		"notes.txt":  "ignored",
		"sub/x.json": `not even JSON, and not at the root`,
	}))
	require.NoError(t, err)

	for _, lang := range []string{"en", "ru", "tg"} {
		assert.True(t, c.Has(lang), lang)
	}
	for _, lang := range []string{"kk", "ky", "tk", "uz", "uz-Cyrl", "fr", "", "RU"} {
		assert.False(t, c.Has(lang), lang)
	}
	assert.Equal(t, []string{"cli.record_added", "cli.records", "enum.firearm_category.assault_rifle"}, c.Keys("en"))
	assert.Equal(t, []string{"cli.records"}, c.Keys("ru"))
	assert.Empty(t, c.Keys("tg"))
	assert.Nil(t, c.Keys("kk"))
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // every one must appear in the error text
	}{
		{"invalid JSON", map[string]string{"en.json": "{\n  \"a\": \"x\",\n}"},
			[]string{"en.json", "invalid JSON", "line 3, column 1", `key "a"`}},
		{"truncated JSON", map[string]string{"en.json": `{"a": "x"`},
			[]string{"en.json", "invalid JSON", `key "a"`}},
		{"empty file", map[string]string{"en.json": ``},
			[]string{"en.json", "invalid JSON"}},
		{"top level array", map[string]string{"en.json": `["a"]`},
			[]string{"en.json", "top level must be a JSON object", "an array"}},
		{"top level string", map[string]string{"en.json": `"a"`},
			[]string{"en.json", "top level", "a string"}},
		{"trailing data", map[string]string{"en.json": "{}\n{}"},
			[]string{"en.json", "after the top-level object", "line 2, column 1"}},
		{"byte order mark", map[string]string{"en.json": "\uFEFF{}"},
			[]string{"en.json", "byte order mark"}},
		{"invalid UTF-8", map[string]string{"en.json": "{\"a\": \"x\xffy\"}"},
			[]string{"en.json", "invalid UTF-8", "line 1, column 9"}},
		{"number value", map[string]string{"en.json": `{"a.b": 5}`},
			[]string{"en.json", `key "a.b"`, "a number", "want a string or a plural object"}},
		{"boolean value", map[string]string{"en.json": `{"a": true}`},
			[]string{"en.json", `key "a"`, "a boolean"}},
		{"null value", map[string]string{"en.json": `{"a": null}`},
			[]string{"en.json", `key "a"`, "null"}},
		{"array value", map[string]string{"en.json": `{"a": ["x", {"y": 1}]}`},
			[]string{"en.json", `key "a"`, "an array"}},
		{"unknown plural category", map[string]string{"en.json": `{"n": {"one": "a", "several": "b", "other": "c"}}`},
			[]string{"en.json", `key "n"`, `unknown plural category "several"`}},
		{"nested object", map[string]string{"en.json": `{"n": {"other": {"x": "y"}}}`},
			[]string{"en.json", `key "n"`, `plural category "other" is an object`}},
		{"plural without other", map[string]string{"en.json": `{"n": {"one": "a"}}`},
			[]string{"en.json", `key "n"`, `no "other" form`}},
		{"empty plural object", map[string]string{"en.json": `{"n": {}}`},
			[]string{"en.json", `key "n"`, `no "other" form`}},
		{"duplicate plural category", map[string]string{"en.json": `{"n": {"one": "a", "one": "b", "other": "c"}}`},
			[]string{"en.json", `key "n"`, `"one" appears more than once`}},
		{"duplicate key", map[string]string{"en.json": `{"a": "x", "b": "y", "a": "z"}`},
			[]string{"en.json", `key "a"`, "appears more than once"}},
		{"empty text", map[string]string{"en.json": `{"a": " "}`},
			[]string{"en.json", `key "a"`, "empty"}},
		{"empty plural text", map[string]string{"en.json": `{"n": {"one": "", "other": "x"}}`},
			[]string{"en.json", `key "n"`, `plural category "one"`, "empty"}},
		{"lone open brace", map[string]string{"en.json": `{"a": "Total { items"}`},
			[]string{"en.json", `key "a"`, "malformed placeholder", "character 7"}},
		{"empty placeholder", map[string]string{"en.json": `{"a": "x {} y"}`},
			[]string{"en.json", `key "a"`, `malformed placeholder "{}"`}},
		{"space in placeholder", map[string]string{"en.json": `{"a": "{na me}"}`},
			[]string{"en.json", `key "a"`, `malformed placeholder "{na`}},
		{"unclosed placeholder", map[string]string{"en.json": `{"a": "x {name"}`},
			[]string{"en.json", `key "a"`, `malformed placeholder "{name"`}},
		{"hyphen in placeholder", map[string]string{"en.json": `{"a": "{na-me}"}`},
			[]string{"en.json", `key "a"`, "malformed placeholder"}},
		{"Cyrillic placeholder", map[string]string{"en.json": `{"a": "{имя}"}`},
			[]string{"en.json", `key "a"`, "malformed placeholder"}},
		{"stray close brace", map[string]string{"en.json": `{"a": "name} x"}`},
			[]string{"en.json", `key "a"`, "unmatched '}'", "character 5"}},
		{"malformed placeholder in plural", map[string]string{"en.json": `{"n": {"one": "{count", "other": "x"}}`},
			[]string{"en.json", `key "n"`, `plural category "one"`, "malformed placeholder"}},
		{"empty key", map[string]string{"en.json": `{"": "x"}`},
			[]string{"en.json", `key ""`, "empty"}},
		{"empty key part", map[string]string{"en.json": `{"a..b": "x"}`},
			[]string{"en.json", `key "a..b"`, "empty part"}},
		{"space in key", map[string]string{"en.json": `{"a b": "x"}`},
			[]string{"en.json", `key "a b"`, "' '"}},
		{"non-ASCII key", map[string]string{"en.json": `{"ключ": "x"}`},
			[]string{"en.json", `key "ключ"`, "'к'"}},
		{"unknown language", map[string]string{"en.json": `{}`, "fr.json": `{}`},
			[]string{"fr.json", `unknown language code "fr"`, "uz-Cyrl"}},
		{"misspelt language", map[string]string{"en.json": `{}`, "uz_Cyrl.json": `{}`},
			[]string{"uz_Cyrl.json", "did you mean uz-Cyrl.json?"}},
		{"missing English", map[string]string{"ru.json": `{}`},
			[]string{"en.json", "missing", "fallback"}},
		{"error in another language names its file", map[string]string{"en.json": `{"a": "x"}`, "uz-Cyrl.json": `{"a": "{"}`},
			[]string{"uz-Cyrl.json", `key "a"`, "malformed placeholder"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(catalogFS(tt.files))
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorContains(t, err, "i18n: load catalogs")
			for _, want := range tt.want {
				assert.ErrorContains(t, err, want)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load(catalogFS(map[string]string{
		"en.json": `{"a": 1, "b": "{", "c": {"one": "x"}, "d": "fine"}`,
		"kk.json": `{"e": [}`,
	}))
	require.Error(t, err)
	assert.ErrorContains(t, err, "4 problems")
	for _, want := range []string{`en.json: key "a"`, `en.json: key "b"`, `en.json: key "c"`, "kk.json: invalid JSON"} {
		assert.ErrorContains(t, err, want)
	}
	assert.NotContains(t, err.Error(), `key "d"`)
}

func TestLoadSyntaxErrorIsWrapped(t *testing.T) {
	_, err := Load(catalogFS(map[string]string{"en.json": `{"a" "x"}`}))
	require.Error(t, err)
	assert.ErrorIs(t, err, errSyntax)
}

// brokenFS is a file system whose directory cannot be read.
type brokenFS struct{}

var errBroken = errors.New("disk on fire")

func (brokenFS) Open(string) (fs.File, error) { return nil, errBroken }

func TestLoadFileSystemErrors(t *testing.T) {
	_, err := Load(brokenFS{})
	require.Error(t, err)
	assert.ErrorIs(t, err, errBroken)
	assert.ErrorContains(t, err, "i18n: load catalogs")

	_, err = Load(nil)
	assert.ErrorContains(t, err, "no file system")
}

func TestPlaceholders(t *testing.T) {
	tests := []struct {
		msg  string
		want []string
	}{
		{"", nil},
		{"no placeholders", nil},
		{"{count} of {total}, {count}", []string{"count", "total"}},
		{"{b}{a}{B}{_1}", []string{"B", "_1", "a", "b"}},
		{"{{literal}} and {real}", []string{"real"}},
		{"{{{name}}}", []string{"name"}},
		{"malformed {na me} {ok} {", []string{"ok"}},
		{"}{x}", []string{"x"}},
		{"Запись {id} добавлена", []string{"id"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Placeholders(tt.msg), tt.msg)
	}
}

func TestParseTemplateEscapes(t *testing.T) {
	tpl, err := parseTemplate("{{a}} {b} }}")
	require.NoError(t, err)
	got := tpl.render(func(name string) (string, bool) { return "<" + name + ">", true })
	assert.Equal(t, "{a} <b> }", got)
}
