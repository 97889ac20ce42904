package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/cli"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// result is what one run of the command printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// kordon runs the command line as the binary would, with its own
// environment: English unless lang is given.
func kordon(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cli.Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errOut,
		Getenv: func(k string) string {
			if k == "LANG" {
				return "en_US.UTF-8"
			}
			if k == "USER" {
				return "test-officer"
			}
			return ""
		},
	}
	code := cli.Run(context.Background(), args, env)
	return result{code, out.String(), errOut.String()}
}

func setUp(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	r := kordon(t, "", "--data", dir, "init", "--post", "KZ-DOS", "--name", "Достык")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "KZ-DOS")
	return dir
}

func example(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs("../../testdata/record.json")
	require.NoError(t, err)
	return p
}

// subset asserts that every value in want appears at the same place in got.
func subset(t *testing.T, path string, want, got any) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		require.True(t, ok, "%s: want an object, got %v", path, got)
		for k, v := range w {
			if k == "file" {
				continue // a photo file becomes its sha256
			}
			subset(t, path+"."+k, v, g[k])
		}
	case []any:
		g, ok := got.([]any)
		require.True(t, ok, "%s: want an array, got %v", path, got)
		require.Len(t, g, len(w), path)
		for i := range w {
			subset(t, path+"["+string(rune('0'+i))+"]", w[i], g[i])
		}
	default:
		if w == "" || w == false {
			return // empty values are left out of the stored form
		}
		assert.Equal(t, want, got, path)
	}
}

func TestRecordAddShowRoundTrip(t *testing.T) {
	dir := setUp(t)
	r := kordon(t, "", "--data", dir, "record", "add", example(t))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "KZ-DOS-2026-0001")
	assert.Contains(t, r.stdout, "1 record added.", "one record, in the singular")

	r = kordon(t, "", "--data", dir, "record", "list", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var list []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &list))
	require.Len(t, list, 1)
	id := list[0]["id"].(string)
	assert.Len(t, id, 36)

	r = kordon(t, "", "--data", dir, "record", "show", id, "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var shown map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &shown))
	input, err := os.ReadFile(example(t))
	require.NoError(t, err)
	var took map[string]any
	require.NoError(t, json.Unmarshal(input, &took))
	subset(t, "", took, shown)
	assert.Equal(t, id, shown["id"])
	assert.Equal(t, "KZ-DOS-2026-0001", shown["number"])
	photo := shown["photos"].([]any)[0].(map[string]any)
	jpeg, err := os.ReadFile(filepath.Join(filepath.Dir(example(t)), "photos", "serial.jpg"))
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%x", sha256.Sum256(jpeg)), photo["sha256"])

	// The human form shows the same content hash the protocol prints.
	var in record.Interdiction
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &in))
	hash, err := in.Hash()
	require.NoError(t, err)
	r = kordon(t, "", "--data", dir, "record", "show", "KZ-DOS-2026-0001")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, hash)
	assert.Contains(t, r.stdout, "Assault rifle")
	assert.Contains(t, r.stdout, "ХА 1234567")
}

func TestSearchListStatsThroughTheCommandLine(t *testing.T) {
	dir := setUp(t)
	require.Equal(t, 0, kordon(t, "", "--data", dir, "record", "add", example(t)).code)

	for _, c := range []struct{ query, field string }{
		{"XA1234567", "items[0].firearm.serials[0].number"},
		{"234-56", "items[0].firearm.serials[0].number"},
		{"Urinov", "people[0].name"},
		{"Ўринов", "people[0].name"},
		{"777ABC02", "conveyance.plate"},
		{"тайник", "narrative"},
	} {
		r := kordon(t, "", "--data", dir, "search", c.query, "--json")
		require.Equal(t, 0, r.code, r.stderr)
		var hits []view.Summary
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &hits), r.stdout)
		require.Len(t, hits, 1, c.query)
		var fields []string
		for _, m := range hits[0].Matches {
			fields = append(fields, m.Field)
			assert.NotEmpty(t, m.Value)
		}
		assert.Contains(t, fields, c.field, "%s: why it matched", c.query)
	}
	r := kordon(t, "", "--data", dir, "search", "Ўринов")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Found in")
	assert.Contains(t, r.stdout, "people[0].name = ")
	r = kordon(t, "", "--data", dir, "search", "nobody", "--json")
	require.Equal(t, 0, r.code)
	assert.Equal(t, "[]\n", r.stdout)

	r = kordon(t, "", "--data", dir, "stats", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var st view.Stats
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &st))
	assert.Equal(t, 1, st.Records)
	// Two zinc cases of 1,440 rounds are counted as rounds, not pieces.
	assert.Equal(t, []view.MonthCount{{Month: "2026-02", Records: 1, Pieces: 9, Rounds: 1440}}, st.ByMonth)
	assert.Equal(t, 1440, st.Rounds)
	assert.Contains(t, st.ByCategory, view.CategoryCount{Category: "part.magazine", Items: 1, Pieces: 4})

	r = kordon(t, "", "--data", dir, "stats")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Magazine")
	assert.Contains(t, r.stdout, "rounds: 1,440")
	assert.Contains(t, r.stdout, "2026-02")

	r = kordon(t, "", "--data", dir, "audit")
	assert.Equal(t, 0, r.code, r.stderr)
}

func TestDemoFillsATrainingStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "training")
	r := kordon(t, "", "--data", dir, "demo", "--records", "30", "--items", "4")
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", dir, "record", "list", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var list []view.Summary
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &list))
	require.Len(t, list, 30)
	posts := map[string]bool{}
	for _, s := range list {
		assert.True(t, s.Training)
		posts[s.PostCode] = true
	}
	assert.Greater(t, len(posts), 2, "several posts")
	r = kordon(t, "", "--data", dir, "stats")
	assert.Contains(t, r.stdout, "30 training records not counted")
}

// writeInput puts JSON in a file beside a copy of the example's photo.
func writeInput(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "in.json")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

func TestBadInputLeavesTheStoreAsItWas(t *testing.T) {
	good, err := os.ReadFile(example(t))
	require.NoError(t, err)
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		require.NoError(t, json.Unmarshal(good, &m))
		delete(m, "photos")
		f(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return string(b)
	}
	item := func(m map[string]any, i int) map[string]any { return m["items"].([]any)[i].(map[string]any) }
	valid := edit(func(map[string]any) {})

	cases := []struct {
		name  string
		input string
		want  []string // in the message
	}{
		{"malformed JSON", `{"status": "final",, }`, []string{"line 1, column 20"}},
		{"unknown field", edit(func(m map[string]any) { m["colour"] = "red" }), []string{"unknown field 'colour'"}},
		{"wrong type", edit(func(m map[string]any) { item(m, 0)["quantity"] = "two" }), []string{"items.quantity", "expected number"}},
		{"unknown code", edit(func(m map[string]any) { item(m, 0)["firearm"].(map[string]any)["category"] = "laser_gun" }), []string{"items[0].firearm.category", "laser_gun"}},
		{"future date", edit(func(m map[string]any) { m["occurred_at"] = "2099-01-01T10:00:00+05:00"; delete(m, "ended_at") }), []string{"occurred_at", "future"}},
		{"negative quantity", edit(func(m map[string]any) { item(m, 2)["quantity"] = -4 }), []string{"items[2].quantity"}},
		{"final firearm without serial", edit(func(m map[string]any) {
			item(m, 0)["firearm"].(map[string]any)["serials"] = []any{}
		}), []string{"items[0].firearm.serials", "serial number"}},
		{"unknown country", edit(func(m map[string]any) { m["route"].(map[string]any)["destination"] = "XX" }), []string{"route.destination", "XX"}},
		{"one bad record in a batch", "[" + valid + "," + edit(func(m map[string]any) { item(m, 1)["quantity"] = 0 }) + "," + valid + "]", []string{"[1].items[1].quantity"}},
		{"type error in a batch", "[" + valid + "," + edit(func(m map[string]any) { m["detection"] = "xray" }) + "]", []string{"Record [1]", "detection"}},
		{"empty input", "", []string{"JSON ends too early"}},
		{"trailing data", valid + " {}", []string{"after the end"}},
		{"missing photo file", edit(func(m map[string]any) { m["photos"] = []any{map[string]any{"file": "nowhere.jpg"}} }), []string{"photos[0].file", "nowhere.jpg"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := setUp(t)
			require.Equal(t, 0, kordon(t, "", "--data", dir, "record", "add", example(t)).code)
			before := storetest.Dump(t, dir)
			r := kordon(t, "", "--data", dir, "record", "add", writeInput(t, c.input))
			assert.Equal(t, 1, r.code, r.stdout)
			for _, w := range c.want {
				assert.Contains(t, r.stderr, w)
			}
			assert.Equal(t, before, storetest.Dump(t, dir), "the store is unchanged")

			// The same from standard input.
			r = kordon(t, c.input, "--data", dir, "record", "add", "-")
			assert.Equal(t, 1, r.code)
			assert.Equal(t, before, storetest.Dump(t, dir))
		})
	}
}

func TestDataFolderProblems(t *testing.T) {
	t.Run("not set up", func(t *testing.T) {
		r := kordon(t, "", "--data", filepath.Join(t.TempDir(), "none"), "record", "list")
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "not set up yet")
	})
	t.Run("cannot be written", func(t *testing.T) {
		blocker := filepath.Join(t.TempDir(), "file")
		require.NoError(t, os.WriteFile(blocker, []byte("x"), 0o600))
		r := kordon(t, "", "--data", filepath.Join(blocker, "data"), "init", "--post", "KZ-DOS", "--name", "X")
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "Cannot write to")
	})
	t.Run("not a database", func(t *testing.T) {
		dir := t.TempDir()
		junk := []byte("PK\x03\x04 a zip file, not a database")
		path := filepath.Join(dir, service.DatabaseFile)
		require.NoError(t, os.WriteFile(path, junk, 0o600))
		r := kordon(t, "", "--data", dir, "record", "add", example(t))
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "is not a Kordon database")
		got, _ := os.ReadFile(path)
		assert.Equal(t, junk, got)
	})
	t.Run("newer version", func(t *testing.T) {
		dir := setUp(t)
		db := storetest.Open(t, dir)
		_, err := db.Exec("PRAGMA user_version = 42")
		require.NoError(t, err)
		db.Close()
		before := storetest.Dump(t, dir)
		r := kordon(t, "", "--data", dir, "record", "add", example(t))
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "newer version of Kordon")
		assert.Equal(t, before, storetest.Dump(t, dir))
	})
	t.Run("already set up", func(t *testing.T) {
		dir := setUp(t)
		r := kordon(t, "", "--data", dir, "init", "--post", "KZ-KHO", "--name", "Other")
		assert.Equal(t, 1, r.code)
		assert.Contains(t, r.stderr, "already set up")
	})
	t.Run("KORDON_DATA", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "env")
		var out, errOut bytes.Buffer
		env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
			if k == "KORDON_DATA" {
				return dir
			}
			return ""
		}}
		require.Equal(t, 0, cli.Run(context.Background(), []string{"init", "--post", "UZ-TER", "--name", "Termiz"}, env), errOut.String())
		assert.FileExists(t, filepath.Join(dir, service.DatabaseFile))
	})
}

func TestUsageAndExitCodes(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{nil, 2, "Usage: kordon"},
		{[]string{"help"}, 0, "Commands:"},
		{[]string{"version"}, 0, "kordon " + cli.Version},
		{[]string{"frobnicate"}, 2, "Unknown command 'frobnicate'"},
		{[]string{"record"}, 2, "Wrong arguments"},
		{[]string{"record", "show"}, 2, "Wrong arguments"},
		{[]string{"record", "list", "--from", "yesterday"}, 2, "'yesterday' is not a date"},
		{[]string{"init", "--post", "KZ-DOS"}, 2, "--name NAME"},
		{[]string{"init", "--post", "Dostyk", "--name", "X"}, 1, "'DOSTYK' is not a post code"},
		{[]string{"stats", "--bogus"}, 2, "Bad option"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			args := append([]string{"--data", filepath.Join(t.TempDir(), "d")}, c.args...)
			r := kordon(t, "", args...)
			assert.Equal(t, c.code, r.code, r.stderr)
			assert.Contains(t, r.stdout+r.stderr, c.out)
		})
	}
}

func TestMessagesInTheUsersLanguage(t *testing.T) {
	dir := setUp(t)
	r := kordon(t, "", "--data", dir, "--lang", "ru", "record", "add", example(t))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Добавлена 1 запись.")
	r = kordon(t, "", "--data", dir, "--lang", "ru", "record", "list")
	assert.Contains(t, r.stdout, "1 запись.")

	bad := writeInput(t, `{"status": "final", "post_code": "KZ-DOS", "occurred_at": "2026-01-01T10:00:00+05:00"}`)
	r = kordon(t, "", "--data", dir, "--lang", "ru", "record", "add", bad)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "crossing_point: обязательное поле")
	assert.Contains(t, r.stderr, "хотя бы один предмет")
}

func TestEveryCodeHasALabelInEveryCatalog(t *testing.T) {
	cat, err := cli.Catalog()
	require.NoError(t, err)
	for _, lang := range []string{"en", "ru"} {
		for _, v := range append(slices.Clone(record.Vocabularies), tracing.Vocabularies...) {
			for _, code := range v.Codes {
				key := v.LabelKey(code)
				assert.Contains(t, cat.Keys(lang), key, "%s: %s", lang, key)
			}
		}
	}
}

func TestReportPrintsTheProtocol(t *testing.T) {
	dir := setUp(t)
	require.Equal(t, 0, kordon(t, "", "--data", dir, "record", "add", example(t)).code)
	out := filepath.Join(t.TempDir(), "protocol.pdf")
	r := kordon(t, "", "--data", dir, "report", "KZ-DOS-2026-0001", "--out", out, "--lang", "kk", "--lang2", "ru")
	require.Equal(t, 0, r.code, r.stderr)
	pdf, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
	assert.NoFileExists(t, out+".partial")

	r = kordon(t, "", "--data", dir, "report", "KZ-DOS-2026-0001", "--out", out, "--lang", "xx")
	assert.Equal(t, 2, r.code)
	r = kordon(t, "", "--data", dir, "report", "KZ-DOS-2026-9999", "--out", out)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "No record")
	r = kordon(t, "", "--data", dir, "report", "KZ-DOS-2026-0001", "--version", "9", "--out", out+"-v9.pdf")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "no version 9: it has 1 version.")
	assert.NoFileExists(t, out+"-v9.pdf")
	r = kordon(t, "", "--data", dir, "report", "KZ-DOS-2026-0001", "--version", "1", "--out", out+"-v1.pdf")
	assert.Equal(t, 0, r.code, r.stderr)
}

func TestInitTakesTheCrossingPoints(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	r := kordon(t, "", "--data", dir, "init", "--post", "KG-TOR", "--name", "Торугарт", "--points", "Торугарт (авто); Торугарт (грузовой) ;")
	require.Equal(t, 0, r.code, r.stderr)
	svc, err := service.Open(context.Background(), dir)
	require.NoError(t, err)
	defer svc.Close()
	points, err := svc.CrossingPoints(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"Торугарт (авто)", "Торугарт (грузовой)"}, points)
}

func TestCtrlCStopsACommandAndSaysNothingIsHalfDone(t *testing.T) {
	post, office, _ := twoFolders(t)
	require.Equal(t, 0, kordon(t, "", "--data", post, "record", "add", withoutPhotos(t)).code)
	for _, args := range [][]string{
		{"--data", post, "export", "--out", t.TempDir()},
		{"--data", office, "demo", "--records", "5000"},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // Ctrl+C before the work is done
		var out, errOut bytes.Buffer
		env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
		code := cli.Run(ctx, args, env)
		assert.Equal(t, cli.ExitInterrupted, code, "%v: %s", args, errOut.String())
		assert.Contains(t, errOut.String(), "Nothing was left half-done", "%v", args)
	}
	// The export stopped is written by the next one, as bundle 1.
	usb := t.TempDir()
	r := kordon(t, "", "--data", post, "export", "--out", usb)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Bundle 1 written")
}

func TestImportReadsOnlyFilesAndStopsAtCtrlC(t *testing.T) {
	post, office, _ := twoFolders(t)
	require.Equal(t, 0, kordon(t, "", "--data", post, "record", "add", withoutPhotos(t)).code)
	usb := t.TempDir()
	require.Equal(t, 0, kordon(t, "", "--data", post, "export", "--out", usb).code)
	bundles, _ := filepath.Glob(filepath.Join(usb, "*.kordon"))
	require.Len(t, bundles, 1)

	if fifo := filepath.Join(t.TempDir(), "pipe.kordon"); mkfifo(fifo) == nil {
		for _, dir := range []string{office, post} { // a bundle at the office, a receipt at the post
			r := kordon(t, "", "--data", dir, "import", fifo)
			assert.Equal(t, 1, r.code)
			assert.Contains(t, r.stderr, "is not a file")
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := cli.Run(ctx, []string{"--data", office, "--lang", "ru", "import", bundles[0], bundles[0]}, env)
	assert.Equal(t, cli.ExitInterrupted, code, errOut.String())
	assert.Contains(t, errOut.String(), "Ничего не осталось сделанным наполовину")
	assert.NotContains(t, errOut.String(), "context canceled")
	r := kordon(t, "", "--data", office, "import", bundles[0])
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "imported", "the stopped import imported nothing: it is done now")
}

func TestAFileIsReplacedOnlyWithForce(t *testing.T) {
	dir := setUp(t)
	out := filepath.Join(t.TempDir(), "post.pub")
	require.NoError(t, os.WriteFile(out, []byte("mine"), 0o644))
	r := kordon(t, "", "--data", dir, "keys", "export", "--out", out)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "already exists")
	assert.Contains(t, r.stderr, "Add --force to replace it.")
	got, _ := os.ReadFile(out)
	assert.Equal(t, "mine", string(got))
	require.Equal(t, 0, kordon(t, "", "--data", dir, "keys", "export", "--out", out, "--force").code)
	r = kordon(t, "", "--data", dir, "keys", "export", "--out", filepath.Join(dir, "kordon.db"), "--force")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "among Kordon's own files")
	r = kordon(t, "", "--data", dir, "export", "--out", t.TempDir(), "--plain", "--to", "age1x")
	assert.Equal(t, 2, r.code, "--plain with --to is a usage mistake")
}
