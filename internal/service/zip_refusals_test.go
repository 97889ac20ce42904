package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/store/storetest"
)

// entry is one file of a bundle as a test rewrites it.
type entry struct {
	name string
	data []byte
	mode os.FileMode
}

// entries reads a plain (unencrypted) bundle's files in order.
func entries(t *testing.T, path string) []entry {
	t.Helper()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	var out []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		out = append(out, entry{f.Name, data, f.Mode()})
	}
	return out
}

// rezip writes the entries as a new bundle file.
func rezip(t *testing.T, es []entry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return writeBytes(t, buf.Bytes())
}

// resign replaces the manifest (after edit changes it) and signs it again
// with key, as a post would.
func resign(t *testing.T, es []entry, key ed25519.PrivateKey, edit func(m map[string]any)) []entry {
	t.Helper()
	out := append([]entry(nil), es...)
	for i := range out {
		if out[i].name != bundle.ManifestName {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal(out[i].data, &m))
		edit(m)
		data, err := json.MarshalIndent(m, "", "  ")
		require.NoError(t, err)
		out[i].data = data
		sig := ed25519.Sign(key, append([]byte(bundle.ManifestSigPrefix), data...))
		keyID := bundle.KeyID(key.Public().(ed25519.PublicKey))
		for j := range out {
			if out[j].name == bundle.SignatureName {
				out[j].data = []byte("ed25519 " + keyID + " " + base64.StdEncoding.EncodeToString(sig) + "\n")
			}
		}
	}
	return out
}

// fileHash updates the manifest's entry for name to data's size and hash.
func fileHash(m map[string]any, name string, data []byte) {
	sum := sha256.Sum256(data)
	for _, f := range m["files"].([]any) {
		f := f.(map[string]any)
		if f["path"] == name {
			f["size"] = len(data)
			f["sha256"] = hex.EncodeToString(sum[:])
		}
	}
}

func privateKey(t *testing.T, dataDir string) ed25519.PrivateKey {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dataDir, "keys", "device.key"))
	require.NoError(t, err)
	block, _ := pem.Decode(raw)
	require.NotNil(t, block)
	return ed25519.NewKeyFromSeed(block.Bytes)
}

func replaced(es []entry, name string, data []byte) []entry {
	out := append([]entry(nil), es...)
	for i := range out {
		if out[i].name == name {
			out[i].data = data
		}
	}
	return out
}

// TestCraftedZipsAreRefusedAndChangeNothing takes the post's real bundle
// apart and puts it together wrong in every way the issue names; the office
// refuses each, says why, and its store is the same before and after.
func TestCraftedZipsAreRefusedAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	p := newPair(t)
	es := entries(t, p.bundle)
	key := privateKey(t, p.post.Dir)
	other := initFolder(t, "KZ-KHO", "Хоргос", false)
	ppk, err := other.PublicKey(ctx)
	require.NoError(t, err)
	require.NoError(t, p.office.Trust(ctx, ppk, ""))
	otherKey := privateKey(t, other.Dir)
	records := func() []byte {
		for _, e := range es {
			if e.name == bundle.RecordsName {
				return e.data
			}
		}
		t.Fatal("no records")
		return nil
	}()
	bomb := make([]byte, 64<<20)

	cases := []struct {
		name string
		file func() string
		key  string // bundle.err.<key>: the reason given
	}{
		{"changed byte in the records", func() string {
			return rezip(t, replaced(es, bundle.RecordsName, bytes.Replace(records, []byte("AKM"), []byte("AKS"), 1)))
		}, "entry_changed"},
		{"extra file", func() string { return rezip(t, append(es, entry{name: "notes.txt", data: []byte("hello")})) }, "extra_file"},
		{"missing file", func() string {
			var out []entry
			for _, e := range es {
				if !strings.HasPrefix(e.name, bundle.MediaPrefix) {
					out = append(out, e)
				}
			}
			return rezip(t, out)
		}, "missing_file"},
		{"duplicate name", func() string { return rezip(t, append(es, es[0])) }, "duplicate_name"},
		{"case-colliding name", func() string {
			return rezip(t, append(es, entry{name: strings.ToUpper(bundle.RecordsName), data: records}))
		}, "case_collision"},
		{"parent path", func() string { return rezip(t, append(es, entry{name: "../records.ndjson", data: records})) }, "unsafe_path"},
		{"absolute path", func() string { return rezip(t, append(es, entry{name: "/etc/records.ndjson", data: records})) }, "unsafe_path"},
		{"backslash path", func() string { return rezip(t, append(es, entry{name: `media\x`, data: records})) }, "unsafe_path"},
		{"symlink", func() string {
			return rezip(t, append(es, entry{name: "link", data: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777}))
		}, "link_entry"},
		{"zip bomb", func() string { return rezip(t, append(es, entry{name: "zeros", data: bomb})) }, "expansion"},
		{"valid signature over a different manifest", func() string {
			// The post's genuine signature, but over another manifest.
			var sig []byte
			for _, e := range resign(t, es, key, func(m map[string]any) { m["sequence"] = 9 }) {
				if e.name == bundle.SignatureName {
					sig = e.data
				}
			}
			return rezip(t, replaced(es, bundle.SignatureName, sig))
		}, "bad_signature"},
		{"signed by another post's key", func() string {
			return rezip(t, resign(t, es, otherKey, func(m map[string]any) { m["device_key_id"] = bundle.KeyID(otherKey.Public().(ed25519.PublicKey)) }))
		}, "wrong_post"},
		{"malformed JSON in the records", func() string {
			bad := append(append([]byte(nil), records...), []byte("{\"id\": \n")...)
			return rezip(t, resign(t, replaced(es, bundle.RecordsName, bad), key, func(m map[string]any) {
				fileHash(m, bundle.RecordsName, bad)
				c := m["counts"].(map[string]any)
				c["records"] = c["records"].(float64) + 1
			}))
		}, "bad_json"},
		{"malformed JSON in the manifest", func() string {
			return rezip(t, resign(t, es, key, func(m map[string]any) { m["files"] = "not a list" }))
		}, "bad_manifest"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := c.file()
			before := storetest.Dump(t, p.office.Dir)
			_, err := p.office.Import(ctx, bad, nil)
			require.Error(t, err)
			assert.Equal(t, before, storetest.Dump(t, p.office.Dir), "the office store is unchanged")
			var msg interface{ MessageKey() string }
			require.ErrorAs(t, err, &msg, "a refusal the officer can read: %v", err)
			assert.Equal(t, "bundle.err."+c.key, msg.MessageKey(), "%v", err)
		})
	}
	// After all that, the genuine bundle imports.
	res, err := p.office.Import(ctx, p.bundle, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, res.New)
}
