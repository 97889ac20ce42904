package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/store/storetest"
)

// twoSeizures is a post with two seizures of one rifle, written two ways,
// and the same truck.
func twoSeizures(t *testing.T) string {
	t.Helper()
	dir := setUp(t)
	ok := func(r result) result { t.Helper(); require.Equal(t, 0, r.code, r.stderr); return r }
	body, err := os.ReadFile("../../testdata/record.json")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	delete(m, "photos")
	b, err := json.Marshal(m)
	require.NoError(t, err)
	ok(kordon(t, "", "--data", dir, "record", "add", writeInput(t, string(b))))
	m["occurred_at"] = "2026-03-01T08:00:00+05:00"
	m["ended_at"] = "2026-03-01T09:00:00+05:00"
	m["people"] = []any{map[string]any{"role": "driver", "name": "Сидоров Пётр", "birth_date": "1970-01-01"}}
	m["organisations"] = []any{}
	m["conveyance"] = map[string]any{"plate": "777 АВС 02", "country": "KZ"}
	m["items"] = []any{map[string]any{"kind": "firearm", "quantity": 1, "firearm": map[string]any{"category": "assault_rifle",
		"make": "IZHMASH", "calibre": map[string]any{"code": "7.62x39"}, "serials": []any{map[string]any{"number": "XA-1234567", "state": "intact"}}}}}
	b, err = json.Marshal(m)
	require.NoError(t, err)
	ok(kordon(t, "", "--data", dir, "record", "add", writeInput(t, string(b))))
	return dir
}

type jsonCluster struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Key      string `json:"key"`
	Strength string `json:"strength"`
	Records  []struct {
		ID         string `json:"id"`
		Number     string `json:"number"`
		PostCode   string `json:"post_code"`
		OccurredAt string `json:"occurred_at"`
	} `json:"records"`
	Judgement *struct {
		Verdict string `json:"verdict"`
		Note    string `json:"note"`
	} `json:"judgement"`
}

func clusters(t *testing.T, args ...string) []jsonCluster {
	t.Helper()
	r := kordon(t, "", append(args, "--json")...)
	require.Equal(t, 0, r.code, r.stderr)
	var out []jsonCluster
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out), r.stdout)
	return out
}

func TestLinksThroughTheCommandLine(t *testing.T) {
	dir := twoSeizures(t)
	cs := clusters(t, "--data", dir, "links")
	var got []string
	for _, c := range cs {
		got = append(got, c.ID)
		assert.Equal(t, "link", c.Strength)
		require.Len(t, c.Records, 2)
		assert.Equal(t, "KZ-DOS", c.Records[0].PostCode)
		assert.NotEmpty(t, c.Records[0].ID)
		assert.Nil(t, c.Judgement)
	}
	assert.ElementsMatch(t, []string{"weapon:ijmash/XA1234567", "plate:KZ/777ABC02"}, got)

	// Newest first; by kind and dates.
	assert.Len(t, clusters(t, "--data", dir, "links", "--kind", "plate"), 1)
	assert.Empty(t, clusters(t, "--data", dir, "links", "--from", "2026-03-02"))
	assert.Len(t, clusters(t, "--data", dir, "links", "--to", "2026-03-01"), 2)
	// The serial alone is no suggestion: both rifles have a make.
	for _, c := range clusters(t, "--data", dir, "links", "--suggestions") {
		assert.NotEqual(t, "serial", c.Kind)
	}

	// The links of one record, by its number.
	mine := clusters(t, "--data", dir, "links", "KZ-DOS-2026-0002")
	assert.Len(t, mine, 2)
	assert.Len(t, clusters(t, "--data", dir, "links", "KZ-DOS-2026-0002", "--kind", "plate"), 1, "the filters apply to one record's links")
	assert.Empty(t, clusters(t, "--data", dir, "links", "KZ-DOS-2026-0002", "--from", "2026-03-02"))

	// Judge one; it is kept with its note, and a different one leaves the list.
	r := kordon(t, "", "--data", dir, "links", "judge", "weapon:ijmash/XA1234567", "different", "--note", "два разных автомата")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "judged")
	left := clusters(t, "--data", dir, "links")
	require.Len(t, left, 1)
	assert.Equal(t, "plate:KZ/777ABC02", left[0].ID)
	all := clusters(t, "--data", dir, "links", "--all")
	for _, c := range all {
		if c.Kind == "weapon" {
			require.NotNil(t, c.Judgement)
			assert.Equal(t, "different", c.Judgement.Verdict)
			assert.Equal(t, "два разных автомата", c.Judgement.Note)
		}
	}

	// record show and search say which identifiers a record carries.
	r = kordon(t, "", "--data", dir, "record", "show", "KZ-DOS-2026-0002")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Identifiers (for links):")
	assert.Contains(t, r.stdout, "plate:KZ/777ABC02")
	assert.Contains(t, r.stdout, "also in 1 other record")
	r = kordon(t, "", "--data", dir, "search", "XA1234567")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "weapon (make and serial) IZHMASH XA-1234567")

	// Exports for Analyst's Notebook and FollowTheMoney.
	out := t.TempDir()
	anb := filepath.Join(out, "links.csv")
	r = kordon(t, "", "--data", dir, "links", "export", "--format", "anb-csv", "--out", anb, "--all")
	require.Equal(t, 0, r.code, r.stderr)
	f, err := os.Open(anb)
	require.NoError(t, err)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	require.NoError(t, err)
	assert.Equal(t, []string{"entity1", "type1", "link", "entity2", "type2", "datetime"}, rows[0])
	assert.Len(t, rows, 5, "a row per record of each of the two links")
	assert.Equal(t, "Seizure", rows[1][1])
	ftm := filepath.Join(out, "links.ftmjson")
	r = kordon(t, "", "--data", dir, "links", "export", "--format", "ftm-json", "--out", ftm)
	require.Equal(t, 0, r.code, r.stderr)
	data, err := os.ReadFile(ftm)
	require.NoError(t, err)
	schemas := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e struct {
			ID         string              `json:"id"`
			Schema     string              `json:"schema"`
			Properties map[string][]string `json:"properties"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &e), line)
		assert.NotEmpty(t, e.ID)
		schemas[e.Schema]++
		if e.Schema == "Vehicle" {
			assert.Contains(t, e.Properties["registrationNumber"], "777 ABC 02")
			assert.Contains(t, e.Properties["country"], "kz")
		}
	}
	assert.Equal(t, map[string]int{"Vehicle": 1, "Event": 2}, schemas, "the rifle judged different is left out; two seizures")
	r = kordon(t, "", "--data", dir, "links", "export", "--format", "ftm-json", "--out", ftm)
	assert.Equal(t, 1, r.code, "an existing file is not replaced without --force")
}

func TestBadLinksInputFailsAndChangesNothing(t *testing.T) {
	dir := twoSeizures(t)
	before := storetest.Dump(t, dir)
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"links", "judge", "weapon:ijmash/NOSUCH", "same"}, "No two records share weapon:ijmash/NOSUCH"},
		{[]string{"links", "judge", "rocket:x", "same"}, "'rocket' is not a kind of identifier"},
		{[]string{"links", "judge", "weapon:ijmash/XA1234567", "probably"}, "'probably' is not a judgement"},
		{[]string{"links", "judge", "nokind", "same"}, "is not a link: give it as KIND:KEY"},
		{[]string{"links", "--kind", "rocket"}, "'rocket' is not a kind of identifier"},
		{[]string{"links", "--from", "2026-13-45"}, "is not a date of the form YYYY-MM-DD"},
		{[]string{"links", "--to", "yesterday"}, "is not a date of the form YYYY-MM-DD"},
		{[]string{"links", "export", "--format", "xlsx", "--out", filepath.Join(t.TempDir(), "x")}, "'xlsx' is not an export format"},
		{[]string{"links", "KZ-DOS-2026-9999"}, ""},
	} {
		r := kordon(t, "", append([]string{"--data", dir}, c.args...)...)
		assert.Equal(t, 1, r.code, "%v: %s", c.args, r.stderr)
		assert.Contains(t, r.stderr, c.says, c.args)
	}
	assert.Equal(t, before, storetest.Dump(t, dir), "refused commands leave the store as it was")
}
