package store_test

// Test vectors of the audit chain (docs/canonical-form.md):
// testdata/vectors/audit-v1.ndjson holds the audit entries a post's store
// writes in a fixed story, one JSON object a line, exactly as bundles carry
// them in audit.ndjson. The story starts from the record vectors of
// internal/record/testdata/vectors and ends in the bundle vectors of
// internal/bundle/testdata/vectors, so the three are checked against one
// another. The vectors are never edited: a change of the entry hash or of
// the entry's JSON form is a new format with new vectors.

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
)

const (
	vecAuditFile   = "testdata/vectors/audit-v1.ndjson"
	vecRecordDir   = "../record/testdata/vectors"
	vecBundleDir   = "../bundle/testdata/vectors"
	vecDevice      = "3f2b8c1e-6a4d-4e8f-9b7a-2c5d1e0f4a6b"
	vecPost        = "KZ-DOS"
	vecOfficer     = "Қасымов Е.М."
	vecOfficer2    = "Oʻrinboyev Sh."
	vecBundle1     = "0f6f7a34-5b2e-4c1d-8e9a-1b2c3d4e5f60"
	vecBundle2     = "7d3c2b1a-0e9f-4a8b-b7c6-d5e4f3a2b1c0"
	vecCustodyID   = "5e1d7c9b-3a2f-4e6d-8c0b-9a8f7e6d5c4b"
	vecAuditSHA256 = "f2442c1ab85a9c9089372852b2b83fe1367bb515cd18e2327f00dfc7aa080d8c"
)

// Test-only Ed25519 seeds (32 bytes each) of the device's key, which signs
// checkpoints and bundles, and of the office's key, whose id the bundles
// are addressed to. They protect nothing.
var (
	vecDeviceKey = newVecKey("kordon-test-vector-device-key-01")
	vecOfficeKey = newVecKey("kordon-test-vector-office-key-01")
)

// vecKey is a store.Signer with the key ids of package bundle: the hex of
// the first 8 bytes of the SHA-256 of the public key.
type vecKey struct{ priv ed25519.PrivateKey }

func newVecKey(seed string) *vecKey { return &vecKey{ed25519.NewKeyFromSeed([]byte(seed))} }

func (k *vecKey) public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

func (k *vecKey) KeyID() string {
	sum := sha256.Sum256(k.public())
	return hex.EncodeToString(sum[:8])
}

func (k *vecKey) Sign(prefix string, msg []byte) []byte {
	return ed25519.Sign(k.priv, append([]byte(prefix), msg...))
}

func (k *vecKey) keys(id string) (ed25519.PublicKey, error) {
	if id != k.KeyID() {
		return nil, nil
	}
	return k.public(), nil
}

// vecTimes are the store's clock at each step of the story.
var vecTimes = []time.Time{
	time.Date(2026, 2, 10, 7, 15, 0, 250_000_000, time.UTC), // create A (final), first checkpoint
	time.Date(2026, 2, 10, 7, 20, 31, 7, time.UTC),          // create B (draft)
	time.Date(2026, 2, 10, 7, 22, 0, 0, time.UTC),           // edit B
	time.Date(2026, 2, 10, 7, 30, 0, 500_000_000, time.UTC), // A version 2
	time.Date(2026, 2, 10, 7, 31, 0, 0, time.UTC),           // delete B
	time.Date(2026, 2, 10, 7, 45, 0, 999_999_999, time.UTC), // reserve bundle 1: checkpoint
	time.Date(2026, 2, 10, 7, 45, 2, 0, time.UTC),           // bundle 1 written: export
	time.Date(2026, 2, 10, 8, 10, 0, 0, time.UTC),           // A version 3
	time.Date(2026, 2, 10, 8, 20, 0, 0, time.UTC),           // reserve bundle 2: checkpoint
	time.Date(2026, 2, 10, 8, 20, 1, 0, time.UTC),           // bundle 2 written: export
}

// vecActions are the actions of the story's entries, in order.
var vecActions = []string{
	store.ActionCreate, store.ActionCheckpoint, store.ActionCreate, store.ActionEdit, store.ActionVersion,
	store.ActionDelete, store.ActionCheckpoint, store.ActionExport, store.ActionVersion, store.ActionCheckpoint,
	store.ActionExport,
}

// vecExport is what the store hands an export: a reserved bundle's
// content, as the service writes it into the bundle.
type vecExport struct {
	Seq                      int64
	BundleID, Prev, Dest     string
	Created                  time.Time
	Records, Audit, MediaSHA []string
	Media                    map[string][]byte
}

// vecOutcome is what the story leaves.
type vecOutcome struct {
	s *store.Store
	// FullV1 and MinimalV1 are record A and B as created.
	FullV1, MinimalV1 []byte
	Entries           []store.AuditEntry
}

// vecStory runs the story on a new post store: record A (final, with its
// photo) and B (a draft) are created, B edited and deleted, A given a
// second version, bundle 1 exported, A given a third version, bundle 2
// exported. export writes a bundle and returns its manifest hash.
func vecStory(t *testing.T, a, b *record.Interdiction, photo []byte, export func(vecExport) string) *vecOutcome {
	t.Helper()
	clock := vecTimes[0]
	s, err := store.Open(t.TempDir(), store.WithClock(func() time.Time { return clock }), store.WithSigner(vecDeviceKey))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.SetMeta(ctx, map[string]string{store.MetaDeviceID: vecDevice, store.MetaPostCode: vecPost}))
	out := &vecOutcome{s: s}
	marshal := func(in *record.Interdiction) []byte {
		data, err := json.Marshal(in)
		require.NoError(t, err)
		return data
	}

	require.NoError(t, s.Create(ctx, a, vecOfficer, photo))
	out.FullV1 = marshal(a)
	clock = vecTimes[1]
	require.NoError(t, s.Create(ctx, b, vecOfficer))
	out.MinimalV1 = marshal(b)
	clock = vecTimes[2]
	b.Remarks = "Досмотр продолжается; понятые вызваны."
	require.NoError(t, s.Save(ctx, b, vecOfficer2))
	clock = vecTimes[3]
	a.Remarks += " Дополнено: груз следовал транзитом через Узбекистан (Oʻzbekiston)."
	require.NoError(t, s.Save(ctx, a, vecOfficer))
	clock = vecTimes[4]
	require.NoError(t, s.Delete(ctx, b.ID.String(), vecOfficer))

	bundle := func(id string, reserve, finish time.Time) {
		clock = reserve
		ob, err := s.Reserve(ctx, store.Reservation{BundleID: id, Created: reserve.Truncate(time.Second), Destination: vecOfficeKey.KeyID(), File: "bundle.kordon"},
			vecDeviceKey, vecOfficer)
		require.NoError(t, err)
		ex := vecExport{Seq: ob.Seq, BundleID: ob.BundleID, Prev: ob.PrevHash, Dest: ob.Destination, Created: ob.Created, Media: map[string][]byte{}}
		require.NoError(t, s.BundleVersions(ctx, ob.Seq, func(content []byte) error {
			ex.Records = append(ex.Records, string(content))
			return nil
		}))
		require.NoError(t, s.AuditRange(ctx, ob.AuditFrom, ob.AuditTo, func(e store.AuditEntry) error {
			ex.Audit = append(ex.Audit, string(marshalEntry(t, e)))
			return nil
		}))
		ex.MediaSHA, err = s.BundleMedia(ctx, ob.Seq)
		require.NoError(t, err)
		for _, sha := range ex.MediaSHA {
			ex.Media[sha], err = s.Media(ctx, sha)
			require.NoError(t, err)
		}
		hash := export(ex)
		clock = finish
		require.NoError(t, s.Finish(ctx, ob.Seq, hash, "bundle.kordon", vecOfficer))
	}
	bundle(vecBundle1, vecTimes[5], vecTimes[6])
	clock = vecTimes[7]
	a.Custody = append(a.Custody, record.CustodyEvent{
		ID: uuid.MustParse(vecCustodyID), From: "Склад т/п «Достык»", To: "ДЭКГП МВД РК, г. Алматы",
		At: time.Date(2026, 2, 10, 13, 5, 0, 0, time.FixedZone("", 5*3600)), Place: "Достык", SealNumber: "0012351",
		Note: "Направлено на баллистическую экспертизу",
	})
	require.NoError(t, s.Save(ctx, a, vecOfficer))
	bundle(vecBundle2, vecTimes[8], vecTimes[9])

	require.NoError(t, s.AuditRange(ctx, 1, 1<<62, func(e store.AuditEntry) error {
		out.Entries = append(out.Entries, e)
		return nil
	}))
	return out
}

// marshalEntry is an audit entry's line, as the service puts it in a bundle.
func marshalEntry(t *testing.T, e store.AuditEntry) []byte {
	t.Helper()
	data, err := json.Marshal(e)
	require.NoError(t, err)
	return data
}

// readVecLines reads an NDJSON vector: every line ends with "\n".
func readVecLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasSuffix(data, []byte("\n")), "%s: the last line has no newline", path)
	require.NotContains(t, string(data), "\r", "%s: carriage returns (did git convert the line endings?)", path)
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// specEntryHash is the entry hash as docs/canonical-form.md defines it,
// written from the document and not from the store's code: SHA-256 over
// "kordon-audit-v1", seq, at, actor, action, record_id, version,
// content_hash and prev, each followed by a zero byte, in lower-case hex.
func specEntryHash(e store.AuditEntry) string {
	var b []byte
	for _, f := range []string{"kordon-audit-v1", strconv.FormatInt(e.Seq, 10), e.At, e.Actor, e.Action, e.RecordID,
		strconv.Itoa(e.Version), e.ContentHash, e.Prev} {
		b = append(append(b, f...), 0)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

var atRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$`)

// TestAuditVectorFrozen: the vector is the bytes committed with it.
func TestAuditVectorFrozen(t *testing.T) {
	data, err := os.ReadFile(vecAuditFile)
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	assert.Equal(t, vecAuditSHA256, hex.EncodeToString(sum[:]),
		"%s changed: vectors are never edited; restore it (git checkout) and add a vector of a new format instead", vecAuditFile)
}

// TestAuditVectorChain checks the committed entries on their own: each
// line is the exact JSON form of its entry; the entries are numbered from
// 1 and each links to the one before; each hashes, by the documented rule
// and by the store's own function, to its hash; and each checkpoint is the
// device key's signature over the documented message.
func TestAuditVectorChain(t *testing.T) {
	lines := readVecLines(t, vecAuditFile)
	require.Len(t, lines, len(vecActions))
	assert.Equal(t, "kordon-audit-checkpoint-v1\n", store.CheckpointSigPrefix)
	prev := ""
	checkpoints := 0
	for i, line := range lines {
		var e store.AuditEntry
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&e), "line %d", i+1)
		assert.Equal(t, line, string(marshalEntry(t, e)), "line %d is not the entry's JSON form", i+1)
		assert.Equal(t, int64(i+1), e.Seq)
		assert.Equal(t, vecActions[i], e.Action, "line %d", i+1)
		assert.Equal(t, prev, e.Prev, "entry %d does not link to the one before", e.Seq)
		assert.Regexp(t, atRE, e.At, "entry %d", e.Seq)
		assert.Equal(t, e.Hash, specEntryHash(e), "entry %d: the documented hash", e.Seq)
		assert.Equal(t, e.Hash, store.EntryHash(e), "entry %d: the store's hash", e.Seq)
		if e.Action == store.ActionCheckpoint {
			checkpoints++
			assert.Equal(t, vecDeviceKey.KeyID(), e.RecordID)
			assert.Zero(t, e.Version)
			sig, ok := strings.CutPrefix(e.ContentHash, "ed25519:")
			require.True(t, ok, "entry %d: content hash %q", e.Seq, e.ContentHash)
			raw, err := hex.DecodeString(sig)
			require.NoError(t, err)
			msg := "kordon-audit-checkpoint-v1\n" + vecDevice + "\n" + strconv.FormatInt(e.Seq-1, 10) + "\n" + e.Prev + "\n" + e.At + "\n"
			assert.True(t, ed25519.Verify(vecDeviceKey.public(), []byte(msg), raw), "entry %d: checkpoint signature", e.Seq)
		}
		prev = e.Hash
	}
	assert.Equal(t, 3, checkpoints)
}

// TestAuditVectorStory runs the story on a new store and requires exactly
// the committed entries, byte for byte, records A and B as created equal
// to the record vectors, and bundles with the content of the bundle
// vectors; the store then verifies end to end.
func TestAuditVectorStory(t *testing.T) {
	full := readVecRecord(t, "record-full.json")
	minimal := readVecRecord(t, "record-minimal.json")
	a, b := decodeVecRecord(t, full), decodeVecRecord(t, minimal)
	// The store gives these itself: a new record may not bring them.
	for _, in := range []*record.Interdiction{a, b} {
		in.Number, in.Origin, in.Version = "", "", 0
	}
	photo := vecBundleMedia(t, 1, a.Photos[0].SHA256)
	got := vecStory(t, a, b, photo, func(ex vecExport) string { return checkVecBundle(t, ex) })

	assert.Equal(t, string(full), string(got.FullV1), "record A as created is not record-full.json")
	assert.Equal(t, string(minimal), string(got.MinimalV1), "record B as created is not record-minimal.json")
	want := readVecLines(t, vecAuditFile)
	require.Len(t, got.Entries, len(want))
	for i, e := range got.Entries {
		assert.Equal(t, want[i], string(marshalEntry(t, e)), "entry %d", i+1)
	}
	assert.Equal(t, store.SHA256(full), got.Entries[0].ContentHash)
	assert.Equal(t, store.SHA256(minimal), got.Entries[2].ContentHash)
	rep, err := got.s.VerifyWith(ctx, vecDeviceKey.keys)
	require.NoError(t, err)
	assert.Equal(t, int64(len(want)), rep.Entries)
	assert.Equal(t, 3, rep.Checkpoints)
}

// TestAuditVectorImport: an office takes in the committed entries, and the
// record versions the bundle vectors carry, as an import of those bundles
// does (each record line must be canonical); one byte changed in an entry
// is refused.
func TestAuditVectorImport(t *testing.T) {
	office, err := store.Open(t.TempDir(), store.WithClock(func() time.Time { return vecTimes[9].Add(time.Hour) }))
	require.NoError(t, err)
	t.Cleanup(func() { office.Close() })
	require.NoError(t, office.SetMeta(ctx, map[string]string{store.MetaDeviceID: "office-kz-ala", store.MetaPostCode: "KZ-ALA"}))
	lines := readVecLines(t, vecAuditFile)
	var versions []string
	for seq := int64(1); seq <= 2; seq++ {
		records := string(vecBundleFiles(t, seq)["records.ndjson"])
		versions = append(versions, strings.Split(strings.TrimSuffix(records, "\n"), "\n")...)
	}
	require.Len(t, versions, 3)

	tampered := strings.Replace(lines[3], `"action":"edit"`, `"action":"edjt"`, 1)
	require.NotEqual(t, lines[3], tampered)
	err = office.Import(ctx, "import", func(im *store.Importer) error {
		for _, l := range lines[:3] {
			if err := im.Audit(ctx, vecDevice, []byte(l), vecDeviceKey.keys); err != nil {
				return err
			}
		}
		return im.Audit(ctx, vecDevice, []byte(tampered), vecDeviceKey.keys)
	})
	assert.ErrorIs(t, err, store.ErrConflict, "a changed entry is refused")

	require.NoError(t, office.Import(ctx, "import", func(im *store.Importer) error {
		for i, l := range lines {
			if err := im.Audit(ctx, vecDevice, []byte(l), vecDeviceKey.keys); err != nil {
				return fmt.Errorf("entry %d: %w", i+1, err)
			}
		}
		for i, v := range versions {
			if err := im.Version(ctx, []byte(v), vecDevice, vecPost, 1); err != nil {
				return fmt.Errorf("record version %d: %w", i+1, err)
			}
		}
		if im.New != len(versions) {
			return fmt.Errorf("%d record versions new, want %d", im.New, len(versions))
		}
		return nil
	}))
}

func readVecRecord(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vecRecordDir, name))
	require.NoError(t, err)
	return data
}

func decodeVecRecord(t *testing.T, data []byte) *record.Interdiction {
	t.Helper()
	var in record.Interdiction
	require.NoError(t, json.Unmarshal(data, &in))
	return &in
}

// vecBundleFiles reads the entries of bundle vector seq.
func vecBundleFiles(t *testing.T, seq int64) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join(vecBundleDir, fmt.Sprintf("bundle-v1-seq%d.kordon", seq)))
	require.NoError(t, err)
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		files[f.Name] = data
	}
	return files
}

func vecBundleMedia(t *testing.T, seq int64, sha string) []byte {
	t.Helper()
	data, ok := vecBundleFiles(t, seq)["media/"+sha]
	require.True(t, ok, "bundle vector %d has no media/%s", seq, sha)
	return data
}

// checkVecBundle requires the bundle vector of ex.Seq to carry what the
// store exports, and returns its manifest hash.
func checkVecBundle(t *testing.T, ex vecExport) string {
	t.Helper()
	files := vecBundleFiles(t, ex.Seq)
	lines := func(ls []string) string {
		if len(ls) == 0 {
			return ""
		}
		return strings.Join(ls, "\n") + "\n"
	}
	assert.Equal(t, lines(ex.Records), string(files["records.ndjson"]), "bundle %d: records", ex.Seq)
	assert.Equal(t, lines(ex.Audit), string(files["audit.ndjson"]), "bundle %d: audit entries", ex.Seq)
	media := 0
	for name := range files {
		if strings.HasPrefix(name, "media/") {
			media++
		}
	}
	assert.Equal(t, len(ex.MediaSHA), media, "bundle %d: media", ex.Seq)
	for sha, data := range ex.Media {
		assert.Equal(t, data, files["media/"+sha], "bundle %d: media %s", ex.Seq, sha)
	}
	var m struct {
		BundleID   string    `json:"bundle_id"`
		Sequence   int64     `json:"sequence"`
		Prev       string    `json:"prev_manifest_hash"`
		Created    time.Time `json:"created"`
		DeviceID   string    `json:"device_id"`
		Post       string    `json:"post"`
		Dest       string    `json:"destination"`
		DeviceKey  string    `json:"device_key_id"`
		SchemaVers int       `json:"schema_version"`
	}
	raw := files["manifest.json"]
	require.NoError(t, json.Unmarshal(raw, &m))
	assert.Equal(t, ex.BundleID, m.BundleID)
	assert.Equal(t, ex.Seq, m.Sequence)
	assert.Equal(t, ex.Prev, m.Prev)
	assert.True(t, ex.Created.Equal(m.Created), "created %s, manifest %s", ex.Created, m.Created)
	assert.Equal(t, vecDevice, m.DeviceID)
	assert.Equal(t, vecPost, m.Post)
	assert.Equal(t, ex.Dest, m.Dest)
	assert.Equal(t, vecDeviceKey.KeyID(), m.DeviceKey)
	assert.Equal(t, 1, m.SchemaVers, "the vectors are bundles of record schema 1")
	return store.SHA256(raw)
}
