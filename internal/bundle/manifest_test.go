package bundle

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// validManifest returns a manifest that passes every check.
func validManifest() *Manifest {
	c := sampleContent()
	m := &Manifest{
		Format: Format, FormatVersion: FormatVersion, BundleID: "3f1c0e8a-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
		Post: testPost, DeviceID: testDevice, DeviceKeyID: seededKey(1).KeyID(), Sequence: 2,
		PrevManifestHash: sha([]byte("previous")), Created: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
		SchemaVersion: 1, Destination: testOffice, Counts: Counts{Records: 3, Audit: 2, Media: 1},
		Files: []File{
			{Path: AuditName, Size: 10, SHA256: sha([]byte("a"))},
			{Path: MediaPrefix + sha(c.media[0]), Size: int64(len(c.media[0])), SHA256: sha(c.media[0])},
			{Path: RecordsName, Size: 20, SHA256: sha([]byte("r"))},
		},
	}
	return m
}

func TestParseManifest(t *testing.T) {
	raw, err := validManifest().marshal()
	require.NoError(t, err)
	m, err := parseManifest(raw)
	require.NoError(t, err)
	require.Equal(t, validManifest(), m)
	require.Len(t, m.Media(), 1)

	tests := []struct {
		name   string
		change func(m *Manifest)
		kind   *Error
	}{
		{"bundle id upper case", func(m *Manifest) { m.BundleID = strings.ToUpper(m.BundleID) }, ErrMalformed},
		{"bundle id not a UUID", func(m *Manifest) { m.BundleID = "bundle-1" }, ErrMalformed},
		{"bad post", func(m *Manifest) { m.Post = "KZ DOS" }, ErrMalformed},
		{"empty device id", func(m *Manifest) { m.DeviceID = "" }, ErrMalformed},
		{"device id with slash", func(m *Manifest) { m.DeviceID = "a/b" }, ErrMalformed},
		{"bad key id", func(m *Manifest) { m.DeviceKeyID = "xyz" }, ErrMalformed},
		{"sequence 0", func(m *Manifest) { m.Sequence = 0 }, ErrMalformed},
		{"first without empty prev", func(m *Manifest) { m.Sequence = 1 }, ErrMalformed},
		{"later without prev", func(m *Manifest) { m.PrevManifestHash = "" }, ErrMalformed},
		{"prev not a hash", func(m *Manifest) { m.PrevManifestHash = strings.Repeat("g", 64) }, ErrMalformed},
		{"zero time", func(m *Manifest) { m.Created = time.Time{} }, ErrMalformed},
		{"schema 0", func(m *Manifest) { m.SchemaVersion = 0 }, ErrMalformed},
		{"no destination", func(m *Manifest) { m.Destination = "" }, ErrMalformed},
		{"negative count", func(m *Manifest) { m.Counts.Audit = -1 }, ErrMalformed},
		{"media count wrong", func(m *Manifest) { m.Counts.Media = 2 }, ErrMalformed},
		{"no records file", func(m *Manifest) { m.Files = m.Files[:2] }, ErrMalformed},
		{"no audit file", func(m *Manifest) { m.Files = m.Files[1:] }, ErrMalformed},
		{"file listed twice", func(m *Manifest) { m.Files = append(m.Files, m.Files[2]) }, ErrMalformed},
		{"unsorted", func(m *Manifest) { m.Files[0], m.Files[2] = m.Files[2], m.Files[0] }, ErrMalformed},
		{"unknown file", func(m *Manifest) { m.Files = append(m.Files, File{Path: "x.txt", SHA256: sha(nil)}) }, ErrMalformed},
		{"media in a subfolder", func(m *Manifest) {
			m.Files[1].Path = MediaPrefix + "x/" + m.Files[1].SHA256
		}, ErrMalformed},
		{"hash upper case", func(m *Manifest) { m.Files[0].SHA256 = strings.ToUpper(m.Files[0].SHA256) }, ErrMalformed},
		{"negative size", func(m *Manifest) { m.Files[0].Size = -5 }, ErrMalformed},
		{"other format", func(m *Manifest) { m.Format = "kordon" }, ErrSchema},
		{"format version 0", func(m *Manifest) { m.FormatVersion = 0 }, ErrSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validManifest()
			tt.change(m)
			raw, err := json.Marshal(m)
			require.NoError(t, err)
			_, err = parseManifest(raw)
			requireRefusal(t, err, tt.kind, "")
		})
	}

	for name, raw := range map[string]string{
		"empty":          ``,
		"not JSON":       `manifest`,
		"array":          `[]`,
		"string":         `"kordon-bundle"`,
		"BOM":            "\ufeff" + string(raw),
		"files null":     strings.Replace(string(raw), `"files": [`, `"files": null, "x": [`, 1),
		"size as string": strings.Replace(string(raw), `"size": 10,`, `"size": "10",`, 1),
		"size as float":  strings.Replace(string(raw), `"size": 10,`, `"size": 10.5,`, 1),
		"huge sequence":  strings.Replace(string(raw), `"sequence": 2,`, `"sequence": 1e400,`, 1),
		"counts array":   strings.Replace(string(raw), `"counts": {`, `"counts": [], "y": {`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseManifest([]byte(raw))
			requireRefusal(t, err, ErrMalformed, "")
		})
	}
}

func TestSignatureLine(t *testing.T) {
	k := seededKey(1)
	line := marshalSig(k.KeyID(), k.sign(ManifestSigPrefix, []byte("x")))
	require.Len(t, line, sigLineLen)
	id, sig, err := parseSig(line)
	require.NoError(t, err)
	require.Equal(t, k.KeyID(), id)
	require.True(t, verify(k.Public(), ManifestSigPrefix, []byte("x"), sig))
	require.False(t, verify(k.Public(), ReceiptSigPrefix, []byte("x"), sig))
	require.False(t, verify(k.Public()[:31], ManifestSigPrefix, []byte("x"), sig))

	for name, bad := range map[string][]byte{
		"empty":           nil,
		"no newline":      line[:len(line)-1],
		"CRLF":            append(bytes.Clone(line[:len(line)-1]), '\r', '\n'),
		"two spaces":      bytes.Replace(line, []byte(" "), []byte("  "), 1)[:sigLineLen],
		"tab":             bytes.Replace(line, []byte(" "), []byte("\t"), 1),
		"short key id":    bytes.Replace(line, []byte(k.KeyID()), []byte(k.KeyID()[:15]+"-"), 1),
		"bad base64":      append(bytes.Clone(line[:len(line)-3]), '!', '=', '\n'),
		"non-canonical":   append(bytes.Clone(line[:len(line)-4]), 'B', '=', '=', '\n'),
		"other algorithm": bytes.Replace(line, []byte("ed25519"), []byte("ed448xx"), 1),
	} {
		_, _, err := parseSig(bad)
		require.Error(t, err, name)
	}
}
