package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScreeningThroughTheCommandLine(t *testing.T) {
	list := "../../../shared/data/un-sc-consolidated-2020-03-20.xml"
	if _, err := os.Stat(list); err != nil {
		t.Skip("the UN list is not here")
	}
	dir := filepath.Join(t.TempDir(), "office")
	r := kordon(t, "", "--data", dir, "init", "--office", "--post", "KZ-ALM", "--name", "Алматы")
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", dir, "screening")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "No sanctions list is loaded")

	r = kordon(t, "", "--data", dir, "screening", "load", list)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "UN Security Council list of 2020-03-20, entries: 1,014")

	r = kordon(t, "", "--data", dir, "screen", "--name", "Гулмурод Ҳалимов", "--birth", "1975", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var hits []struct {
		Reference  string   `json:"reference"`
		ListType   string   `json:"list_type"`
		ListedName string   `json:"listed_name"`
		Matched    string   `json:"matched"`
		Score      float64  `json:"score"`
		Why        []string `json:"why"`
		Pairs      []struct {
			Query, Listed string
		} `json:"pairs"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &hits), r.stdout)
	require.NotEmpty(t, hits)
	assert.Equal(t, "QDi.372", hits[0].Reference)
	assert.Equal(t, "Al-Qaida", hits[0].ListType)
	assert.GreaterOrEqual(t, hits[0].Score, 0.85)
	assert.Contains(t, hits[0].Why, "birth year 1975 matches")
	assert.Len(t, hits[0].Pairs, 2, "the tokens paired say why")

	r = kordon(t, "", "--data", dir, "screen", "--name", "Иванов Пётр", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, "[]", r.stdout)

	// Every person of the records, and a false match decided.
	body, err := os.ReadFile("../../testdata/record.json")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m))
	delete(m, "photos")
	m["post_code"] = "KZ-ALM"
	m["people"] = []any{map[string]any{"role": "driver", "name": "Халимов Гулмурод", "birth_date": "1975-05-14", "nationality": "TJ"}}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	in := filepath.Join(t.TempDir(), "in.json")
	require.NoError(t, os.WriteFile(in, b, 0o600))
	r = kordon(t, "", "--data", dir, "record", "add", in)
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", dir, "screen", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var inStore []struct {
		Reference, Number, Who, Path string
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &inStore), r.stdout)
	require.Len(t, inStore, 1)
	assert.Equal(t, "KZ-ALM-2026-0001", inStore[0].Number)
	assert.Equal(t, "people[0]", inStore[0].Path)
	r = kordon(t, "", "--data", dir, "screen", "decide", "KZ-ALM-2026-0001", "people[0]", "QDi.372", "false_match", "--note", "другой человек")
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", dir, "screen", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, "[]", r.stdout, "a false match is not raised again")
	r = kordon(t, "", "--data", dir, "screen", "decide", "KZ-ALM-2026-0001", "people[0]", "QDi.372", "perhaps")
	assert.Equal(t, 1, r.code)

	// The office's own watch list.
	r = kordon(t, "", "--data", dir, "watch", "add", "--kind", "plate", "--value", "777 АВС 02", "--reason", "грузовик сети")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "On the watch list: plate 777 АВС 02")
	r = kordon(t, "", "--data", dir, "watch", "add", "--kind", "ship", "--value", "x")
	assert.Equal(t, 1, r.code)
	r = kordon(t, "", "--data", dir, "watch", "list", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var watch []struct{ ID, Kind, Key string }
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &watch))
	require.Len(t, watch, 1)
	assert.Equal(t, "777ABC02", watch[0].Key)
	r = kordon(t, "", "--data", dir, "watch", "remove", watch[0].ID)
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", dir, "watch", "remove", watch[0].ID)
	assert.Equal(t, 1, r.code, "an entry already taken off")
	lists := filepath.Join(t.TempDir(), "un.kordon-lists")
	r = kordon(t, "", "--data", dir, "screening", "export", "--out", lists)
	require.Equal(t, 0, r.code, r.stderr)
	assert.FileExists(t, lists)

	bad := filepath.Join(t.TempDir(), "list.xml")
	require.NoError(t, os.WriteFile(bad, []byte("<html><body>Security Council</body></html>"), 0o600))
	r = kordon(t, "", "--data", dir, "screening", "load", bad)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "is not the UN Security Council Consolidated List")

	r = kordon(t, "", "--data", dir, "screen", "--name", "x", "--kind", "ship")
	assert.Equal(t, 2, r.code)
}
