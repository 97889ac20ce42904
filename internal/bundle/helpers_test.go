package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/stretchr/testify/require"
)

// Test-only age identities, fixed so fuzz corpora stay meaningful across
// runs. They protect nothing.
const (
	testOfficeIdentity = "AGE-SECRET-KEY-1R63U3V39YDCLPYWKR8DV93NGD40KW0MHEZ67LW3DLWYTR7M5W5PSAYG26H"
	testOtherIdentity  = "AGE-SECRET-KEY-1JQ4SFW0VAD2DPLNM9MS60K7DNJFSYY2M9QR4KQDXYY9T9TZLX9KSATT5TQ"
)

// Fixed identities of the fixture.
const (
	testPost   = "KZ-DOS"
	testOther  = "KG-TOR"
	testOffice = "office-kz-ala"
	testDevice = "laptop-1"
)

// seededKey returns a deterministic signing key.
func seededKey(b byte) *SigningKey {
	return &SigningKey{priv: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, ed25519.SeedSize))}
}

// fixture is a post device, another post's device, and an office that
// trusts both (and one revoked key).
type fixture struct {
	dir       string
	dev       *SigningKey // KZ-DOS, trusted
	other     *SigningKey // KG-TOR, trusted
	stranger  *SigningKey // not trusted
	revoked   *SigningKey // KZ-DOS, revoked
	officeKey *SigningKey // the office's receipt key
	officeID  *age.X25519Identity
	otherID   *age.X25519Identity
	keys      map[string]*PublicKey
	revokedID map[string]bool
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	officeID, err := age.ParseX25519Identity(testOfficeIdentity)
	require.NoError(t, err)
	otherID, err := age.ParseX25519Identity(testOtherIdentity)
	require.NoError(t, err)
	fx := &fixture{
		dir: t.TempDir(), dev: seededKey(1), other: seededKey(2), stranger: seededKey(3),
		revoked: seededKey(4), officeKey: seededKey(5), officeID: officeID, otherID: otherID,
		keys: map[string]*PublicKey{}, revokedID: map[string]bool{},
	}
	fx.keys[fx.dev.KeyID()] = &PublicKey{Post: testPost, Name: "Достык", Key: fx.dev.Public()}
	fx.keys[fx.other.KeyID()] = &PublicKey{Post: testOther, Name: "Торугарт", Key: fx.other.Public()}
	fx.keys[fx.revoked.KeyID()] = &PublicKey{Post: testPost, Name: "Достык", Key: fx.revoked.Public()}
	fx.keys[fx.officeKey.KeyID()] = &PublicKey{Post: "KZ-ALA", Name: "Алматы", Key: fx.officeKey.Public(), Recipient: officeID.Recipient().String()}
	fx.revokedID[fx.revoked.KeyID()] = true
	require.NoError(t, os.MkdirAll(filepath.Join(fx.dir, "tmp"), 0o700))
	return fx
}

// trust is the fixture office's TrustFunc.
func (fx *fixture) trust(keyID string) (*PublicKey, error) {
	if fx.revokedID[keyID] {
		return nil, fmt.Errorf("key %s revoked on 2026-01-02: %w", keyID, ErrRevokedKey)
	}
	pk, ok := fx.keys[keyID]
	if !ok {
		return nil, fmt.Errorf("key %s: %w", keyID, ErrUnknownKey)
	}
	return pk, nil
}

// verifyOpts are the office's options.
func (fx *fixture) verifyOpts() VerifyOptions {
	return VerifyOptions{
		Trust: fx.trust, Office: testOffice, MaxSchemaVersion: 1,
		Identities: []age.Identity{fx.officeID}, TempDir: filepath.Join(fx.dir, "tmp"),
	}
}

// path returns a file name in the fixture's folder.
func (fx *fixture) path(name string) string { return filepath.Join(fx.dir, name) }

// writeOpts are the device's options for a first bundle.
func (fx *fixture) writeOpts() Options {
	return Options{
		Key: fx.dev, Post: testPost, DeviceID: testDevice, Sequence: 1, SchemaVersion: 1,
		Destination: testOffice, Created: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC),
	}
}

// content is what a test bundle holds.
type content struct {
	records [][]byte
	audit   [][]byte
	media   [][]byte
}

// sampleContent returns a few records, audit entries and attachments.
func sampleContent() content {
	return content{
		records: [][]byte{
			[]byte(`{"id":"0b5c6a52-7d1e-4a39-9a8e-1f2d3c4b5a69","version":1,"post_code":"KZ-DOS","narrative":"АК-74 в тайнике"}`),
			[]byte(`{"id":"0b5c6a52-7d1e-4a39-9a8e-1f2d3c4b5a69","version":2,"post_code":"KZ-DOS","status":"final"}`),
			[]byte(`{"id":"6f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f","version":1,"post_code":"KZ-DOS","narrative":"Oʻzbekiston"}`),
		},
		audit: [][]byte{
			[]byte(`{"seq":1,"action":"create","record":"0b5c6a52-7d1e-4a39-9a8e-1f2d3c4b5a69"}`),
			[]byte(`{"seq":2,"action":"finalize","record":"0b5c6a52-7d1e-4a39-9a8e-1f2d3c4b5a69"}`),
		},
		media: [][]byte{
			append([]byte("\xff\xd8\xff\xe0 fake jpeg "), bytes.Repeat([]byte{0xa5, 0x5a, 0x01}, 5000)...),
			[]byte("\x89PNG\r\n\x1a\n fake png"),
		},
	}
}

// sha returns the hex SHA-256 of data.
func sha(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// writeBundle writes c to path with opts.
func writeBundle(t testing.TB, path string, opts Options, c content) *Result {
	t.Helper()
	w, err := Create(path, opts)
	require.NoError(t, err)
	for _, l := range c.records {
		require.NoError(t, w.AddRecord(l))
	}
	for _, l := range c.audit {
		require.NoError(t, w.AddAudit(l))
	}
	for _, m := range c.media {
		require.NoError(t, w.AddMedia(sha(m), bytes.NewReader(m)))
	}
	res, err := w.Close()
	require.NoError(t, err)
	return res
}

// part is one entry of a hand-crafted bundle.
type part struct {
	name     string
	data     []byte
	method   uint16      // zip.Store unless set
	mode     fs.FileMode // 0644 regular unless set
	unlisted bool        // in the zip, not in the manifest
	notInZip bool        // in the manifest, not in the zip
}

// craft describes a hand-made bundle; the zero value of each hook leaves
// that step as a writer would do it.
type craft struct {
	parts    []part
	manifest func(m *Manifest)              // change the manifest before signing
	raw      func(raw []byte) []byte        // change the manifest bytes before signing
	signer   *SigningKey                    // the fixture device if nil
	sig      func(raw []byte) []byte        // replace the signature file
	zipMod   func(w *zip.Writer) error      // add to the zip before the manifest
	bytesMod func(data []byte) []byte       // change the finished file
	noSig    bool                           // leave out manifest.sig
	header   func(h *zip.FileHeader, i int) // change entry i's header
	prefix   []byte                         // bytes before the zip, with offsets adjusted
}

// baseParts are the entries of a valid bundle with sampleContent.
func baseParts() []part {
	c := sampleContent()
	ps := []part{
		{name: RecordsName, data: lines(c.records)},
		{name: AuditName, data: lines(c.audit)},
	}
	for _, m := range c.media {
		ps = append(ps, part{name: MediaPrefix + sha(m), data: m})
	}
	return ps
}

// lines joins NDJSON lines.
func lines(ls [][]byte) []byte {
	var b bytes.Buffer
	for _, l := range ls {
		b.Write(l)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// build makes the bundle file c describes and returns its bytes.
func (c craft) build(t testing.TB, fx *fixture) []byte {
	t.Helper()
	if c.parts == nil {
		c.parts = baseParts()
	}
	signer := c.signer
	if signer == nil {
		signer = fx.dev
	}
	m := Manifest{
		Format: Format, FormatVersion: FormatVersion, BundleID: "3f1c0e8a-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
		Post: testPost, DeviceID: testDevice, DeviceKeyID: signer.KeyID(), Sequence: 1,
		Created: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC), SchemaVersion: 1, Destination: testOffice,
		Files: []File{},
	}
	for _, p := range c.parts {
		if p.unlisted {
			continue
		}
		m.Files = append(m.Files, File{Path: p.name, Size: int64(len(p.data)), SHA256: sha(p.data)})
		switch {
		case p.name == RecordsName:
			m.Counts.Records = int64(bytes.Count(p.data, []byte("\n")))
		case p.name == AuditName:
			m.Counts.Audit = int64(bytes.Count(p.data, []byte("\n")))
		case strings.HasPrefix(p.name, MediaPrefix):
			m.Counts.Media++
		}
	}
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	if c.manifest != nil {
		c.manifest(&m)
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	if c.raw != nil {
		raw = c.raw(raw)
	}
	sigFile := marshalSig(signer.KeyID(), signer.sign(ManifestSigPrefix, raw))
	if c.sig != nil {
		sigFile = c.sig(raw)
	}

	var buf bytes.Buffer
	buf.Write(c.prefix)
	zw := zip.NewWriter(&buf)
	zw.SetOffset(int64(len(c.prefix)))
	i := 0
	add := func(name string, data []byte, method uint16, mode fs.FileMode) {
		h := &zip.FileHeader{Name: name, Method: method, Modified: m.Created}
		if mode == 0 {
			mode = 0o644
		}
		h.SetMode(mode)
		if c.header != nil {
			c.header(h, i)
		}
		i++
		fw, err := zw.CreateHeader(h)
		require.NoError(t, err)
		_, err = fw.Write(data)
		require.NoError(t, err)
	}
	for _, p := range c.parts {
		if !p.notInZip {
			add(p.name, p.data, p.method, p.mode)
		}
	}
	if c.zipMod != nil {
		require.NoError(t, c.zipMod(zw))
	}
	add(ManifestName, raw, zip.Store, 0)
	if !c.noSig {
		add(SignatureName, sigFile, zip.Store, 0)
	}
	require.NoError(t, zw.Close())
	data := buf.Bytes()
	if c.bytesMod != nil {
		data = c.bytesMod(data)
	}
	return data
}

// save writes data to a new file in the fixture's folder.
func (fx *fixture) save(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := fx.path(name)
	require.NoError(t, os.WriteFile(p, data, 0o600))
	return p
}

// flipIn returns data with one byte changed inside the first occurrence of
// needle.
func flipIn(t testing.TB, data, needle []byte, at int) []byte {
	t.Helper()
	i := bytes.Index(data, needle)
	require.GreaterOrEqual(t, i, 0, "needle not found")
	out := bytes.Clone(data)
	out[i+at] ^= 0x01
	return out
}

// catalogs are the English and Russian message catalogs.
var catalogs = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, lang := range []string{"en", "ru"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "translations", lang+".json"))
		if err != nil {
			panic(err)
		}
		all := map[string]any{}
		if err := json.Unmarshal(data, &all); err != nil {
			panic(err)
		}
		m := map[string]string{}
		for k, v := range all {
			if s, ok := v.(string); ok && strings.HasPrefix(k, "bundle.") {
				m[k] = s
			}
		}
		out[lang] = m
	}
	return out
}()

var placeholderRE = regexp.MustCompile(`\{([A-Za-z0-9_]+)\}`)

// requireRefusal checks that err is a refusal of the given kind whose
// message key exists in every catalog with no placeholder the error does
// not supply.
func requireRefusal(t testing.TB, err error, kind *Error, key string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, kind, "got %v", err)
	var e *Error
	require.True(t, errors.As(err, &e), "not an *Error: %v", err)
	if key != "" {
		require.Equal(t, key, e.MessageKey(), "got %v", err)
	}
	requireMessage(t, e)
}

// requireMessage checks that m's key is in every catalog and that each
// placeholder of the message is among m's arguments.
func requireMessage(t testing.TB, m interface {
	MessageKey() string
	MessageArgs() []any
}) {
	t.Helper()
	args := map[string]bool{}
	a := m.MessageArgs()
	require.Zero(t, len(a)%2, "odd number of message args")
	for i := 0; i < len(a); i += 2 {
		name, ok := a[i].(string)
		require.True(t, ok, "arg name %v is not a string", a[i])
		args[name] = true
	}
	for lang, cat := range catalogs {
		msg, ok := cat[m.MessageKey()]
		require.True(t, ok, "%s: no message for %s", lang, m.MessageKey())
		for _, ph := range placeholderRE.FindAllStringSubmatch(msg, -1) {
			require.True(t, args[ph[1]], "%s: %s uses {%s}, which the error lacks", lang, m.MessageKey(), ph[1])
		}
	}
}

// readAll reads everything a reader offers.
func readAll(t testing.TB, rd *Reader) (recs, audit [][]byte, media map[string][]byte) {
	t.Helper()
	require.NoError(t, rd.Records(func(l []byte) error { recs = append(recs, bytes.Clone(l)); return nil }))
	require.NoError(t, rd.Audit(func(l []byte) error { audit = append(audit, bytes.Clone(l)); return nil }))
	media = map[string][]byte{}
	m := rd.Manifest()
	for _, h := range m.Media() {
		rc, err := rd.Media(h)
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		media[h] = data
	}
	return recs, audit, media
}
