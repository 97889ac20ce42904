package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// tracingOffice is an office that imported the example seizure of
// Dostyk (its first item a rifle, its fourth ammunition).
func tracingOffice(t *testing.T) string {
	t.Helper()
	post, office, _ := twoFolders(t)
	usb := t.TempDir()
	ok := func(r result) { t.Helper(); require.Equal(t, 0, r.code, r.stderr) }
	ok(kordon(t, "", "--data", post, "record", "add", example(t)))
	ok(kordon(t, "", "--data", post, "export", "--out", usb))
	ok(kordon(t, "", "--data", office, "import", filepath.Join(usb, "KZ-DOS-000001.kordon")))
	return office
}

func TestTraceCommands(t *testing.T) {
	office := tracingOffice(t)
	dir := t.TempDir()
	pdf, js := filepath.Join(dir, "request.pdf"), filepath.Join(dir, "request.json")

	r := kordon(t, "", "--data", office, "--lang", "ru", "trace", "request", "KZ-DOS-2026-0001#1", "--to", "RU", "--out", pdf, "--json", js)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "KZ-DOS-2026-0001/1-RU")
	data, err := os.ReadFile(js)
	require.NoError(t, err)
	d, err := tracing.ParseDocument(data)
	require.NoError(t, err)
	assert.Equal(t, "RU", d.To)
	if _, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command("pdftotext", pdf, "-").Output()
		require.NoError(t, err)
		text := strings.ToUpper(strings.Join(strings.Fields(string(out)), " "))
		for _, want := range []string{"ЗАПРОС НА ОТСЛЕЖИВАНИЕ", "TRACING REQUEST", "ХА 1234567"} {
			assert.Contains(t, text, want, "Russian beside English by default")
		}
	}

	r = kordon(t, "", "--data", office, "trace", "update", "KZ-DOS-2026-0001#1", "--status", "request_sent", "--to", "ru", "--request-ref", d.Reference, "--channel", "iarms", "--sent", "2026-01-10", "--due", "2026-02-10")
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", office, "trace", "list", "--overdue", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var list view.TraceList
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &list))
	require.Len(t, list.Items, 1)
	assert.True(t, list.Items[0].Overdue)
	assert.Equal(t, d.Item.ID, list.Items[0].ItemID)

	r = kordon(t, "", "--data", office, "trace", "update", d.Item.ID, "--status", "established_tracing",
		"--diversion-country", "UA", "--diversion-type", "theft", "--last-legal-country", "UA", "--holder", "state_stockpile", "--note", "Украдено со склада в 2014 г.")
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", office, "trace", "list")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "KZ-DOS-2026-0001#1")
	r = kordon(t, "", "--data", office, "trace", "show", "KZ-DOS-2026-0001#1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Украдено со склада")
	require.Equal(t, 0, kordon(t, "", "--data", office, "audit").code)

	// Bad input: exit 1, the field named, the folder as it was.
	before := storetest.Dump(t, office)
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"an unknown item", []string{"update", "KZ-DOS-2026-0001#12", "--status", "request_sent", "--to", "RU"}, "KZ-DOS-2026-0001#12"},
		{"a status for a firearm on ammunition", []string{"update", "KZ-DOS-2026-0001#4", "--status", "not_traceable", "--reason", "no_marking"}, "status"},
		{"a due date before the sent date", []string{"update", "KZ-DOS-2026-0001#1", "--status", "request_sent", "--to", "CN", "--sent", "2026-03-01", "--due", "2026-02-01"}, "requests[1].due"},
		{"an unknown country", []string{"update", "KZ-DOS-2026-0001#1", "--status", "request_sent", "--to", "XX"}, "requests[1].to"},
		{"an unknown diversion type", []string{"update", "KZ-DOS-2026-0001#1", "--status", "established_tracing", "--diversion-type", "magic"}, "answer.diversion_type"},
		{"an unknown status", []string{"list", "--status", "finished"}, "status"},
		{"a request to an unknown state", []string{"request", "KZ-DOS-2026-0001#1", "--to", "XX", "--out", filepath.Join(dir, "x.pdf")}, "to"},
		{"a request for ammunition", []string{"request", "KZ-DOS-2026-0001#4", "--to", "RU", "--out", filepath.Join(dir, "y.pdf")}, "KZ-DOS-2026-0001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := kordon(t, "", append([]string{"--data", office, "trace"}, tc.args...)...)
			assert.Equal(t, 1, r.code, r.stdout+r.stderr)
			assert.Contains(t, r.stderr, tc.says)
			assert.Equal(t, before, storetest.Dump(t, office), "the folder is left as it was")
		})
	}
	assert.NoFileExists(t, filepath.Join(dir, "x.pdf"))
	r = kordon(t, "", "--data", office, "trace", "update", "KZ-DOS-2026-0001#1")
	assert.Equal(t, 2, r.code, "no status is a usage error")

	// An answer recorded by mistake is taken back by a correction.
	r = kordon(t, "", "--data", office, "trace", "update", "KZ-DOS-2026-0001#1", "--clear", "answer")
	assert.Equal(t, 2, r.code, "a clearing step without --correct needs its status")
	r = kordon(t, "", "--data", office, "trace", "update", "KZ-DOS-2026-0001#1", "--status", "established_tracing", "--clear", "answer")
	assert.Equal(t, 1, r.code, "clearing is a correction")
	assert.Contains(t, r.stderr, "--correct")
	r = kordon(t, "", "--data", office, "trace", "update", "KZ-DOS-2026-0001#1", "--correct", "--status", "request_sent", "--clear", "answer,answered")
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", office, "trace", "show", "KZ-DOS-2026-0001#1", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var steps []view.TraceState
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &steps))
	require.Len(t, steps, 3, "the mistake stays in the history")
	assert.Equal(t, tracing.RequestSent, steps[2].Trace.Status)
	assert.Nil(t, steps[2].Trace.Answer)
	require.Equal(t, 0, kordon(t, "", "--data", office, "audit").code)
}
