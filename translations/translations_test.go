package translations_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/translations"
)

// literals returns every string literal in the program's Go files (tests
// left out).
func literals(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, root := range []string{"../cmd", "../internal"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						out[s] = true
					}
				}
				return true
			})
			return nil
		})
		require.NoError(t, err)
	}
	return out
}

// TestEveryKeyIsUsed keeps the catalogs free of messages nothing shows: a
// key is used when the code names it, when it labels a code of a
// vocabulary, or when the code builds it from a prefix it names (a literal
// ending in ".").
func TestEveryKeyIsUsed(t *testing.T) {
	data, err := translations.FS.ReadFile("en.json")
	require.NoError(t, err)
	var cat map[string]any
	require.NoError(t, json.Unmarshal(data, &cat))
	lits := literals(t)
	labels := map[string]bool{}
	for _, v := range append(slices.Clone(record.Vocabularies), tracing.Vocabularies...) {
		for _, c := range v.Codes {
			labels[v.LabelKey(c)] = true
		}
	}
	var prefixes []string
	for l := range lits {
		if strings.HasSuffix(l, ".") && strings.Count(l, ".") >= 1 && !strings.Contains(l, " ") {
			prefixes = append(prefixes, l)
		}
	}
	var unused []string
	for key := range cat {
		if lits[key] || labels[key] {
			continue
		}
		built := false
		for _, p := range prefixes {
			if strings.HasPrefix(key, p) && !strings.HasPrefix(key, "enum.") {
				built = true
				break
			}
		}
		if !built {
			unused = append(unused, key)
		}
	}
	sort.Strings(unused)
	require.Empty(t, unused, "keys no code uses: remove them from every catalog")
}

// In English and Russian a noun after a number changes with the number
// ("1 record", "5 records"; «1 запись», «5 записей»): a count is either
// given as {count} of a plural message, which the language's rule words,
// or set after a label («Записей: 5»), never written before a noun in a
// plain message.
func TestCountsAreWordedByThePluralRules(t *testing.T) {
	counts := regexp.MustCompile(`\{(count|records|entries|media|audit|new|known|after|items|pieces|versions|photos|bundles|total)\}\s+(\p{L}+)`)
	units := regexp.MustCompile(`^(bytes?|байт|MB|МБ|of|из|allowed|допустим\p{L}*|is|раз|times)$`)
	for _, lang := range []string{"en", "ru"} {
		var cat map[string]any
		b, err := translations.FS.ReadFile(lang + ".json")
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &cat))
		for key, v := range cat {
			msg, plain := v.(string)
			if !plain {
				continue
			}
			for _, m := range counts.FindAllStringSubmatch(msg, -1) {
				if !units.MatchString(m[2]) {
					t.Errorf("%s %s: %q puts a count before a noun; make it a plural message or a label", lang, key, m[0])
				}
			}
		}
	}
}

// A calibre whose designation has words ("82mm mortar bomb") is named in
// every language by its catalog key, and every such key names a calibre of
// the list; the others only have their units translated.
func TestCalibreWordsAreTranslated(t *testing.T) {
	words := regexp.MustCompile(`\b(grenade|rocket|mortar|bomb|round)\b`)
	data, err := translations.FS.ReadFile("en.json")
	require.NoError(t, err)
	var cat map[string]any
	require.NoError(t, json.Unmarshal(data, &cat))
	for key := range cat {
		if code, ok := strings.CutPrefix(key, "calibre."); ok {
			_, known := record.LookupCalibre(code)
			require.True(t, known, "%s names no calibre of record.Calibres", key)
		}
	}
	for _, c := range record.Calibres {
		if words.MatchString(c.Label) {
			require.Contains(t, cat, "calibre."+c.Code, "%q has words to translate", c.Label)
		}
	}
}

// The clause of a tracing request's JSON form is the English catalog's.
func TestTheTracingClauseIsTheCatalogs(t *testing.T) {
	data, err := translations.FS.ReadFile("en.json")
	require.NoError(t, err)
	var cat map[string]any
	require.NoError(t, json.Unmarshal(data, &cat))
	require.Equal(t, cat["pdf.trace.clause"], tracing.Clause)
}
