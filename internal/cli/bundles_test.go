package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store/storetest"
)

// twoFolders sets up a post and its regional office that trust each other,
// through the commands an officer and an analyst would type.
func twoFolders(t *testing.T) (post, office, keys string) {
	t.Helper()
	root := t.TempDir()
	post, office, keys = filepath.Join(root, "post"), filepath.Join(root, "office"), filepath.Join(root, "keys")
	require.NoError(t, os.MkdirAll(keys, 0o700))
	ok := func(r result) result { t.Helper(); require.Equal(t, 0, r.code, r.stderr); return r }
	ok(kordon(t, "", "--data", post, "init", "--post", "KZ-DOS", "--name", "Достык"))
	ok(kordon(t, "", "--data", office, "init", "--office", "--post", "KZ-ALM", "--name", "Алматинское управление"))
	ok(kordon(t, "", "--data", post, "keys", "export", "--out", filepath.Join(keys, "post.pub")))
	ok(kordon(t, "", "--data", office, "keys", "export", "--out", filepath.Join(keys, "office.pub")))

	// The analyst compares the fingerprint read over the phone, then confirms.
	show := ok(kordon(t, "", "--data", post, "keys", "show"))
	r := ok(kordon(t, "да\n", "--data", office, "keys", "trust", filepath.Join(keys, "post.pub")))
	fp := strings.Fields(strings.SplitN(show.stdout, "\n", 3)[1])
	assert.Contains(t, r.stdout, fp[len(fp)-1], "the office is shown the fingerprint the post reads out")
	ok(kordon(t, "", "--data", post, "keys", "trust", filepath.Join(keys, "office.pub"), "--yes"))
	return post, office, keys
}

func recordsOf(t *testing.T, dir string) map[string]record.Interdiction {
	t.Helper()
	r := kordon(t, "", "--data", dir, "record", "list", "--json")
	require.Equal(t, 0, r.code, r.stderr)
	var list []struct{ ID string }
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &list))
	out := map[string]record.Interdiction{}
	for _, s := range list {
		r := kordon(t, "", "--data", dir, "record", "show", s.ID, "--json")
		require.Equal(t, 0, r.code, r.stderr)
		var in record.Interdiction
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &in))
		out[s.ID] = in
	}
	return out
}

func TestPostToOfficeThroughBundles(t *testing.T) {
	post, office, keys := twoFolders(t)
	usb := t.TempDir()
	ok := func(r result) result { t.Helper(); require.Equal(t, 0, r.code, r.stderr); return r }

	ok(kordon(t, "", "--data", post, "record", "add", example(t)))
	ok(kordon(t, "", "--data", post, "demo", "--records", "5", "--items", "3"))
	r := ok(kordon(t, "", "--data", post, "export", "--out", usb))
	assert.Contains(t, r.stdout, "Bundle 1")
	first := filepath.Join(usb, "KZ-DOS-000001.kordon")
	require.FileExists(t, first)

	r = ok(kordon(t, "", "--data", post, "export", "--out", usb))
	assert.Contains(t, r.stdout, "Nothing new")

	r = ok(kordon(t, "", "--data", office, "verify", first))
	assert.Contains(t, r.stdout, "KZ-DOS")
	assert.Contains(t, r.stdout, "valid")

	before := storetest.Dump(t, office)
	r = kordon(t, "", "--data", post, "import", first)
	assert.Equal(t, 1, r.code, "a post does not import bundles")

	r = ok(kordon(t, "", "--data", office, "import", first))
	assert.Contains(t, r.stdout, "imported")
	assert.NotEqual(t, before, storetest.Dump(t, office))

	postRecs, officeRecs := recordsOf(t, post), recordsOf(t, office)
	finals := 0
	for id, in := range postRecs {
		if in.Status != record.StatusFinal || in.Training {
			assert.NotContains(t, officeRecs, id, "drafts and training records stay at the post")
			continue
		}
		finals++
		assert.Equal(t, in, officeRecs[id], "the office has the post's record as it is")
	}
	assert.Len(t, officeRecs, finals)

	// Importing again changes nothing.
	before = storetest.Dump(t, office)
	r = ok(kordon(t, "", "--data", office, "import", first))
	assert.Contains(t, r.stdout, "imported before")
	assert.Equal(t, before, storetest.Dump(t, office))

	// A finalised record edited at the post arrives as a second version.
	id := ""
	for k, in := range postRecs {
		if in.Number == "KZ-DOS-2026-0001" {
			id = k
		}
	}
	require.NotEmpty(t, id)
	edited := postRecs[id]
	edited.Remarks = "Уточнено: водитель дал объяснения."
	b, _ := json.Marshal(edited)
	input := filepath.Join(t.TempDir(), "edit.json")
	require.NoError(t, os.WriteFile(input, b, 0o600))
	// record add only adds; an edit goes through the service's Save (the GUI).
	r = kordon(t, "", "--data", post, "record", "add", input)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "already stored")
	editAt(t, post, &edited)

	r = ok(kordon(t, "", "--data", post, "export", "--out", usb, "--to", filepath.Join(keys, "office.pub")))
	second := filepath.Join(usb, "KZ-DOS-000002.kordon")
	head, err := os.ReadFile(second)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(head), "age-encryption.org/"), "--to encrypts the bundle")
	ok(kordon(t, "", "--data", office, "import", second))
	r = ok(kordon(t, "", "--data", office, "record", "show", id, "--history"))
	assert.Contains(t, r.stdout, "v1")
	assert.Contains(t, r.stdout, "v2")
	assert.Contains(t, r.stdout, "водитель дал объяснения")

	// The office's receipt, carried back, marks both bundles acknowledged.
	receipt := filepath.Join(usb, "receipt.json")
	r = ok(kordon(t, "", "--data", office, "receipt", "--post", "KZ-DOS", "--out", receipt))
	assert.Contains(t, r.stdout, "Bundles: 2")
	r = ok(kordon(t, "", "--data", post, "import", receipt))
	assert.Contains(t, r.stdout, "Bundles newly acknowledged: 2")

	r = ok(kordon(t, "", "--data", office, "posts", "--json"))
	var posts []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &posts))
	require.Len(t, posts, 1)
	assert.Equal(t, "KZ-DOS", posts[0]["post"])
	assert.EqualValues(t, 2, posts[0]["last_sequence"])
	assert.Nil(t, posts[0]["gaps"])

	ok(kordon(t, "", "--data", office, "audit"))
	ok(kordon(t, "", "--data", post, "audit"))
}

func TestBundleGapIsShownAndRevokedKeyRefused(t *testing.T) {
	post, office, _ := twoFolders(t)
	usb := t.TempDir()
	ok := func(r result) result { t.Helper(); require.Equal(t, 0, r.code, r.stderr); return r }
	for i := 0; i < 3; i++ {
		ok(kordon(t, "", "--data", post, "record", "add", withoutPhotos(t)))
		ok(kordon(t, "", "--data", post, "export", "--out", usb))
	}
	ok(kordon(t, "", "--data", office, "import", filepath.Join(usb, "KZ-DOS-000001.kordon")))
	r := ok(kordon(t, "", "--data", office, "import", filepath.Join(usb, "KZ-DOS-000003.kordon")))
	assert.Contains(t, r.stdout, "still missing: 2")
	r = ok(kordon(t, "", "--data", office, "posts"))
	assert.Contains(t, r.stdout, "2")

	// The missing bundle arrives late; the gap closes.
	ok(kordon(t, "", "--data", office, "import", filepath.Join(usb, "KZ-DOS-000002.kordon")))
	r = ok(kordon(t, "", "--data", office, "posts", "--json"))
	assert.NotContains(t, r.stdout, `"gaps"`)

	show := ok(kordon(t, "", "--data", post, "keys", "show"))
	var fp string
	for _, line := range strings.Split(show.stdout, "\n") {
		if strings.HasPrefix(line, "Fingerprint:") {
			fp = strings.TrimSpace(strings.TrimPrefix(line, "Fingerprint:"))
		}
	}
	ok(kordon(t, "", "--data", office, "keys", "revoke", fp))
	ok(kordon(t, "", "--data", post, "record", "add", withoutPhotos(t)))
	ok(kordon(t, "", "--data", post, "export", "--out", usb))
	before := storetest.Dump(t, office)
	r = kordon(t, "", "--data", office, "import", filepath.Join(usb, "KZ-DOS-000004.kordon"))
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "revoked")
	assert.Equal(t, before, storetest.Dump(t, office))
}

// withoutPhotos is the example record without its photo, as a file.
// inputs counts the inputs withoutPhotos made, so each is another record.
var inputs atomic.Int64

// withoutPhotos writes the example record without its photo, each time a
// record of its own (the same input is added only once).
func withoutPhotos(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(example(t))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	delete(m, "photos")
	m["remarks"] = fmt.Sprintf("Запись %d.", inputs.Add(1))
	b, err = json.Marshal(m)
	require.NoError(t, err)
	return writeInput(t, string(b))
}

// editAt saves a changed record as the desktop application does.
func editAt(t *testing.T, dir string, in *record.Interdiction) {
	t.Helper()
	svc, err := service.Open(context.Background(), dir)
	require.NoError(t, err)
	defer svc.Close()
	svc.Actor = "test-officer"
	require.NoError(t, svc.SaveRecord(context.Background(), in))
}
