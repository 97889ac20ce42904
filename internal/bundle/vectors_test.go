package bundle

// Test vectors of the v1 bundle and receipt (docs/canonical-form.md), after
// filippo.io/age's testkit: committed files that Open and ReadReceipt must
// accept, with the values testdata/vectors/vectors.json lists, and that
// Create and WriteReceipt must write again byte for byte from the same
// inputs. The bundles carry the records of internal/record/testdata/vectors
// and the audit entries of internal/store/testdata/vectors, as a post's
// export writes them. The keys are test-only and protect nothing. The
// vectors are never edited: a change of the format is a new version with
// new vectors.

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
)

const (
	vecDir       = "testdata/vectors"
	vecRecordDir = "../record/testdata/vectors"
	vecAuditFile = "../store/testdata/vectors/audit-v1.ndjson"
)

// vecFrozen are the SHA-256 of the vector files. They never change: a
// vector that no longer passes means the code broke the format.
var vecFrozen = map[string]string{
	"bundle-v1-seq1.kordon":     "86c5d7158fefc5f733132ad92250b4ba835b5ce63b722ee323f28fab0a9dc94d",
	"bundle-v1-seq1-age.kordon": "d6dffd3590802a7a6f97eb6afc111880bfe648bf3c0a063897113c4d01b15c91",
	"bundle-v1-seq2.kordon":     "a3d07e2f919b14db3de0e819eabcf0a28034f4f37940cedc32ab37a26fc53eb9",
	"device-KZ-DOS.pub":         "a80df5d807c8b61eb9c1dfcccd674fa7e51652633a2f08e3fe71f20eaf3d730a",
	"office-KZ-ALA.pub":         "b1e8034b2c6ae4c6367069e812344d605a0dbd9cdc63a422475a02a308e295a8",
	"receipt-v1.txt":            "9aa5620e3fa08f3266c241b7bbfc62f029284d4d33e95fbe21a899ad627b747c",
}

// vecManifest is testdata/vectors/vectors.json.
type vecManifest struct {
	Keys []struct {
		Name         string `json:"name"`
		Post         string `json:"post"`
		PostName     string `json:"post_name"`
		SeedHex      string `json:"seed_hex"`
		PublicBase64 string `json:"public_base64"`
		KeyID        string `json:"key_id"`
		Fingerprint  string `json:"fingerprint"`
		// KeyFileFingerprint is the key file's: of an office's key file,
		// it covers its encryption key too.
		KeyFileFingerprint string `json:"key_file_fingerprint"`
		KeyFile            string `json:"key_file"`
		AgeIdentity        string `json:"age_identity"`
		AgeRecipient       string `json:"age_recipient"`
	} `json:"keys"`
	Bundles []struct {
		File          string    `json:"file"`
		Encrypted     bool      `json:"encrypted"`
		Plain         string    `json:"plain"`
		Signer        string    `json:"signer"`
		Destination   string    `json:"destination"`
		BundleID      string    `json:"bundle_id"`
		DeviceID      string    `json:"device_id"`
		Sequence      uint64    `json:"sequence"`
		PrevHash      string    `json:"prev_manifest_hash"`
		Created       time.Time `json:"created"`
		SchemaVersion int       `json:"schema_version"`
		Records       int64     `json:"records"`
		AuditFrom     int       `json:"audit_from"`
		Audit         int64     `json:"audit"`
		Media         []string  `json:"media"`
		ManifestHash  string    `json:"manifest_hash"`
	} `json:"bundles"`
	Receipts []struct {
		File         string    `json:"file"`
		Signer       string    `json:"signer"`
		Office       string    `json:"office"`
		Post         string    `json:"post"`
		LastSequence uint64    `json:"last_sequence"`
		Acknowledged []string  `json:"acknowledged"`
		Created      time.Time `json:"created"`
	} `json:"receipts"`
}

// vecWorld is the vectors' manifest with its keys made.
type vecWorld struct {
	vecManifest
	signing  map[string]*SigningKey // by key name
	keyID    map[string]string      // key id by key name
	trusted  map[string]*PublicKey  // by key id, from the key files
	identity *age.X25519Identity    // the office's
}

func loadVectors(t *testing.T) *vecWorld {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vecDir, "vectors.json"))
	require.NoError(t, err)
	w := &vecWorld{signing: map[string]*SigningKey{}, keyID: map[string]string{}, trusted: map[string]*PublicKey{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&w.vecManifest))
	for _, k := range w.Keys {
		seed, err := hex.DecodeString(k.SeedHex)
		require.NoError(t, err)
		require.Len(t, seed, ed25519.SeedSize)
		w.signing[k.Name] = &SigningKey{priv: ed25519.NewKeyFromSeed(seed)}
		w.keyID[k.Name] = k.KeyID
		file, err := os.ReadFile(filepath.Join(vecDir, k.KeyFile))
		require.NoError(t, err)
		pk, err := ParsePublicKey(file)
		require.NoError(t, err, k.KeyFile)
		w.trusted[pk.KeyID()] = pk
		if k.AgeIdentity != "" {
			w.identity, err = age.ParseX25519Identity(k.AgeIdentity)
			require.NoError(t, err)
		}
	}
	require.NotNil(t, w.identity, "no key has an age identity")
	return w
}

func (w *vecWorld) trust(keyID string) (*PublicKey, error) {
	if pk, ok := w.trusted[keyID]; ok {
		return pk, nil
	}
	return nil, fmt.Errorf("key %s: %w", keyID, ErrUnknownKey)
}

func (w *vecWorld) verifyOpts(t *testing.T) VerifyOptions {
	return VerifyOptions{Trust: w.trust, Office: w.keyID["office"], MaxSchemaVersion: record.SchemaVersion,
		Identities: []age.Identity{w.identity}, TempDir: t.TempDir()}
}

// TestVectorsFrozen: the vector files are the bytes committed with them.
func TestVectorsFrozen(t *testing.T) {
	for name, want := range vecFrozen {
		data, err := os.ReadFile(filepath.Join(vecDir, name))
		if !assert.NoError(t, err) {
			continue
		}
		assert.Equal(t, want, sha(data), "%s changed: vectors are never edited; restore it (git checkout) and add a vector "+
			"of a new format version instead. Check also that git did not convert its line endings (testdata/vectors/.gitattributes).", name)
	}
	files, err := os.ReadDir(vecDir)
	require.NoError(t, err)
	for _, f := range files {
		switch name := f.Name(); {
		case name == "vectors.json" || name == "README.md" || name == ".gitattributes":
		default:
			assert.Contains(t, vecFrozen, name, "a vector file that vecFrozen does not hold")
		}
	}
}

// TestVectorKeys: each key's seed gives its public key, key id and
// fingerprint, and its key file, which ParsePublicKey reads and Marshal
// writes again byte for byte.
func TestVectorKeys(t *testing.T) {
	w := loadVectors(t)
	for _, k := range w.Keys {
		sk := w.signing[k.Name]
		assert.Equal(t, k.PublicBase64, base64.StdEncoding.EncodeToString(sk.Public()), k.Name)
		assert.Equal(t, k.KeyID, sk.KeyID(), k.Name)
		assert.Equal(t, k.Fingerprint, sk.Fingerprint(), k.Name)
		pk := w.trusted[k.KeyID]
		require.NotNil(t, pk, "%s: the key file holds another key", k.KeyFile)
		assert.Equal(t, k.Post, pk.Post)
		assert.Equal(t, k.PostName, pk.Name)
		assert.Equal(t, k.AgeRecipient, pk.Recipient)
		assert.Equal(t, k.KeyFileFingerprint, pk.Fingerprint(), "%s: the fingerprint of the key file", k.Name)
		file, err := os.ReadFile(filepath.Join(vecDir, k.KeyFile))
		require.NoError(t, err)
		again, err := pk.Marshal()
		require.NoError(t, err)
		assert.Equal(t, string(file), string(again), "%s written again", k.KeyFile)
		if k.AgeIdentity != "" {
			assert.Equal(t, k.AgeRecipient, w.identity.Recipient().String())
		}
	}
}

// vecZip returns the entries of a plain bundle file in their order.
func vecZip(t *testing.T, data []byte) ([]*zip.File, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	content := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		content[f.Name] = b
	}
	return zr.File, content
}

// vecPlain returns a bundle vector's zip: the file itself, or decrypted.
func vecPlain(t *testing.T, w *vecWorld, name string, encrypted bool) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vecDir, name))
	require.NoError(t, err)
	if !encrypted {
		return data
	}
	r, err := age.Decrypt(bytes.NewReader(data), w.identity)
	require.NoError(t, err)
	plain, err := io.ReadAll(r)
	require.NoError(t, err)
	return plain
}

// TestBundleVectors opens each bundle vector as the office does and checks
// its manifest against vectors.json, its records against the record
// vectors (each line the canonical form of its record), its audit entries
// against the audit vector, and its attachments against their names.
func TestBundleVectors(t *testing.T) {
	w := loadVectors(t)
	audit := vecLines(t, vecAuditFile)
	// logged are the content hashes the audit vector logged, by record
	// version.
	logged := map[string]string{}
	for _, l := range audit {
		var e struct {
			Action      string `json:"action"`
			RecordID    string `json:"record_id"`
			Version     int    `json:"version"`
			ContentHash string `json:"content_hash"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &e))
		if e.Action == "create" || e.Action == "new_version" {
			logged[fmt.Sprintf("%s v%d", e.RecordID, e.Version)] = e.ContentHash
		}
	}
	full, err := os.ReadFile(filepath.Join(vecRecordDir, "record-full.json"))
	require.NoError(t, err)
	for _, v := range w.Bundles {
		t.Run(v.File, func(t *testing.T) {
			rd, err := Open(filepath.Join(vecDir, v.File), w.verifyOpts(t))
			require.NoError(t, err)
			defer rd.Close()
			assert.Equal(t, v.Encrypted, rd.Encrypted())
			assert.Equal(t, v.ManifestHash, rd.ManifestHash())
			assert.Equal(t, v.ManifestHash, sha(rd.ManifestBytes()))
			signer := rd.Signer()
			assert.Equal(t, w.keyID[v.Signer], signer.KeyID())
			m := rd.Manifest()
			assert.Equal(t, Format, m.Format)
			assert.Equal(t, "kordon-bundle", m.Format)
			assert.Equal(t, 1, m.FormatVersion)
			assert.Equal(t, v.BundleID, m.BundleID)
			assert.Equal(t, w.trusted[w.keyID[v.Signer]].Post, m.Post)
			assert.Equal(t, v.DeviceID, m.DeviceID)
			assert.Equal(t, w.keyID[v.Signer], m.DeviceKeyID)
			assert.Equal(t, v.Sequence, m.Sequence)
			assert.Equal(t, v.PrevHash, m.PrevManifestHash)
			assert.True(t, v.Created.Equal(m.Created), "created %s", m.Created)
			assert.Equal(t, time.UTC, m.Created.Location())
			assert.Equal(t, v.SchemaVersion, m.SchemaVersion)
			assert.Equal(t, w.keyID[v.Destination], m.Destination)
			assert.Equal(t, Counts{Records: v.Records, Audit: v.Audit, Media: int64(len(v.Media))}, m.Counts)
			assert.ElementsMatch(t, v.Media, m.Media())
			var paths []string
			for _, f := range m.Files {
				paths = append(paths, f.Path)
			}
			wantPaths := []string{AuditName}
			for _, s := range v.Media {
				wantPaths = append(wantPaths, MediaPrefix+s)
			}
			assert.Equal(t, append(wantPaths, RecordsName), paths, "files, sorted by path")

			var records [][]byte
			require.NoError(t, rd.Records(func(line []byte) error {
				records = append(records, bytes.Clone(line))
				return nil
			}))
			require.Len(t, records, int(v.Records))
			for i, line := range records {
				var in record.Interdiction
				dec := json.NewDecoder(bytes.NewReader(line))
				dec.DisallowUnknownFields()
				require.NoError(t, dec.Decode(&in), "record line %d", i+1)
				again, err := json.Marshal(&in)
				require.NoError(t, err)
				assert.Equal(t, string(line), string(again), "record line %d is not canonical", i+1)
				assert.Equal(t, v.DeviceID, in.Origin)
				assert.Equal(t, record.StatusFinal, in.Status)
				h, err := in.Hash()
				require.NoError(t, err)
				assert.Equal(t, logged[fmt.Sprintf("%s v%d", in.ID, in.Version)], h, "record line %d: the hash the audit vector logged", i+1)
			}
			if v.Sequence == 1 {
				assert.Equal(t, string(full), string(records[0]), "the first record of bundle 1 is record-full.json")
			}
			var entries []string
			require.NoError(t, rd.Audit(func(line []byte) error {
				entries = append(entries, string(line))
				return nil
			}))
			assert.Equal(t, audit[v.AuditFrom-1:v.AuditFrom-1+int(v.Audit)], entries, "the audit entries are those of the audit vector")
			for _, s := range v.Media {
				r, err := rd.Media(s)
				require.NoError(t, err)
				data, err := io.ReadAll(r)
				r.Close()
				require.NoError(t, err)
				assert.Equal(t, s, sha(data))
				_, err = png.Decode(bytes.NewReader(data))
				assert.NoError(t, err, "the photo is a PNG")
			}
		})
	}
}

// vecLines reads an NDJSON file: every line ends with "\n".
func vecLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasSuffix(data, []byte("\n")))
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// TestBundleVectorLayout checks the plain zip of each bundle vector with
// archive/zip and crypto/ed25519 alone, as another implementation would:
// the entries and their order, methods and times; the manifest bytes, which
// are the indented JSON of the manifest and end with a newline; and the
// signature line, the signing key's Ed25519 signature over the prefix and
// the manifest bytes.
func TestBundleVectorLayout(t *testing.T) {
	w := loadVectors(t)
	for _, v := range w.Bundles {
		t.Run(v.File, func(t *testing.T) {
			files, content := vecZip(t, vecPlain(t, w, v.File, v.Encrypted))
			var names []string
			for _, f := range files {
				names = append(names, f.Name)
				stored := f.Name != RecordsName && f.Name != AuditName
				assert.Equal(t, map[bool]uint16{true: zip.Store, false: zip.Deflate}[stored], f.Method, f.Name)
				assert.Equal(t, os.FileMode(0o644), f.Mode(), f.Name)
				assert.True(t, v.Created.Equal(f.Modified), "%s: modified %s", f.Name, f.Modified)
				assert.Empty(t, f.Comment)
			}
			want := []string{RecordsName, AuditName}
			for _, s := range v.Media {
				want = append(want, MediaPrefix+s)
			}
			assert.Equal(t, append(want, ManifestName, SignatureName), names, "entries in the order they are written")

			raw := content[ManifestName]
			var m Manifest
			require.NoError(t, json.Unmarshal(raw, &m))
			indented, err := json.MarshalIndent(&m, "", "  ")
			require.NoError(t, err)
			assert.Equal(t, string(indented)+"\n", string(raw), "the manifest is its indented JSON and a newline")
			for _, f := range m.Files {
				assert.Equal(t, f.SHA256, sha(content[f.Path]), f.Path)
				assert.Equal(t, f.Size, int64(len(content[f.Path])), f.Path)
			}

			sigLine := string(content[SignatureName])
			fields := strings.Fields(sigLine)
			require.Len(t, fields, 3)
			assert.Equal(t, "ed25519 "+w.keyID[v.Signer]+" "+fields[2]+"\n", sigLine)
			sig, err := base64.StdEncoding.Strict().DecodeString(fields[2])
			require.NoError(t, err)
			msg := append([]byte("kordon-bundle-manifest-v1\n"), raw...)
			assert.Equal(t, "kordon-bundle-manifest-v1\n", ManifestSigPrefix)
			assert.True(t, ed25519.Verify(w.signing[v.Signer].Public(), msg, sig), "signature")
			assert.Equal(t, sig, ed25519.Sign(w.signing[v.Signer].priv, msg), "Ed25519 signatures are deterministic")
		})
	}
}

// TestBundleVectorsRewritten: Create, given what a plain bundle vector
// holds and the options its manifest records, writes the vector again byte
// for byte: the writer is deterministic (fixed entry order, times and
// modes from Created, flate at a fixed level, a deterministic signature).
// That holds for one build of Go: compress/flate's output is not promised
// across Go releases, and a change there shows here first (the manifest
// and signature, which the format identifies a bundle by, stay the same).
// An encrypted bundle is not reproducible at all: age draws a new file key
// and ephemeral share each time; inside, it is the plain bundle exactly.
func TestBundleVectorsRewritten(t *testing.T) {
	w := loadVectors(t)
	for _, v := range w.Bundles {
		t.Run(v.File, func(t *testing.T) {
			rd, err := Open(filepath.Join(vecDir, v.File), w.verifyOpts(t))
			require.NoError(t, err)
			defer rd.Close()
			m := rd.Manifest()
			opts := Options{
				Key: w.signing[v.Signer], Post: m.Post, DeviceID: m.DeviceID, Sequence: m.Sequence,
				PrevManifestHash: m.PrevManifestHash, SchemaVersion: m.SchemaVersion, Destination: m.Destination,
				BundleID: m.BundleID, Created: m.Created,
			}
			if v.Encrypted {
				opts.Recipient = w.identity.Recipient()
			}
			path := filepath.Join(t.TempDir(), "again.kordon")
			bw, err := Create(path, opts)
			require.NoError(t, err)
			require.NoError(t, rd.Records(func(line []byte) error { return bw.AddRecord(line) }))
			require.NoError(t, rd.Audit(func(line []byte) error { return bw.AddAudit(line) }))
			for _, s := range m.Media() {
				r, err := rd.Media(s)
				require.NoError(t, err)
				require.NoError(t, bw.AddMedia(s, r))
				r.Close()
			}
			res, err := bw.Close()
			require.NoError(t, err)
			assert.Equal(t, v.ManifestHash, res.ManifestHash)
			again, err := os.ReadFile(path)
			require.NoError(t, err)
			vector, err := os.ReadFile(filepath.Join(vecDir, v.File))
			require.NoError(t, err)
			if v.Encrypted {
				assert.NotEqual(t, vector, again, "age encryption is randomised")
				plain, err := os.ReadFile(filepath.Join(vecDir, v.Plain))
				require.NoError(t, err)
				assert.Equal(t, plain, vecPlain(t, w, v.File, true), "the vector decrypts to its plain form")
				dec, err := age.Decrypt(bytes.NewReader(again), w.identity)
				require.NoError(t, err)
				inner, err := io.ReadAll(dec)
				require.NoError(t, err)
				assert.Equal(t, plain, inner, "written again, it decrypts to the same plain form")
				return
			}
			if !bytes.Equal(vector, again) {
				_, a := vecZip(t, vector)
				_, b := vecZip(t, again)
				same := len(a) == len(b)
				for name := range a {
					same = same && bytes.Equal(a[name], b[name])
				}
				if same {
					t.Fatalf("written again, the bundle differs from %s although every entry's content (manifest and signature too) is the same: "+
						"the zip or flate encoding changed (a new Go release?). The format is intact, but bundles are no longer reproducible "+
						"byte for byte across this change; do not edit the vector", v.File)
				}
				t.Fatalf("written again, the bundle differs from %s in its content: the writer changed the format", v.File)
			}
		})
	}
}

// TestBundleVectorTampered: a byte changed in any entry's data, the
// manifest or the signature included, is refused; a byte changed anywhere
// else is refused or changes nothing that is read. (The zip's framing is
// not signed, and some of it is not checked: times, version and attribute
// fields, the local headers' CRC and sizes, which the data descriptors
// replace, and the final-block bit of a deflate stream that ends with an
// empty final block. Such a change leaves every entry as it was, but it
// makes another file: a bundle is named by its manifest hash, never by
// the hash of its file.)
func TestBundleVectorTampered(t *testing.T) {
	w := loadVectors(t)
	name := w.Bundles[0].File
	vector, err := os.ReadFile(filepath.Join(vecDir, name))
	require.NoError(t, err)
	files, content := vecZip(t, vector)
	dir := t.TempDir()
	open := func(data []byte) (map[string][]byte, error) {
		path := filepath.Join(dir, name)
		os.Remove(path)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		rd, err := Open(path, w.verifyOpts(t))
		if err != nil {
			var e *Error
			assert.True(t, errors.As(err, &e), "not a refusal: %v", err)
			return nil, err
		}
		defer rd.Close()
		got := map[string][]byte{ManifestName: rd.ManifestBytes()}
		for _, f := range rd.Manifest().Files {
			r, err := rd.idx.files[f.Path].Open()
			require.NoError(t, err)
			got[f.Path], err = io.ReadAll(r)
			r.Close()
			require.NoError(t, err)
		}
		return got, nil
	}
	for _, f := range files {
		off, err := f.DataOffset()
		require.NoError(t, err)
		ats := []int64{int64(f.CompressedSize64) / 2, int64(f.CompressedSize64) - 1}
		if f.Method == zip.Store {
			ats = append(ats, 0)
		}
		for _, at := range ats {
			bad := bytes.Clone(vector)
			bad[off+at] ^= 0x01
			if _, err := open(bad); err == nil {
				t.Errorf("%s: a byte changed at %d of %s's data is not noticed", name, at, f.Name)
			}
		}
	}
	for i := 0; i < len(vector); i += 17 {
		bad := bytes.Clone(vector)
		bad[i] ^= 0x01
		got, err := open(bad)
		if err != nil {
			continue
		}
		for path, data := range got {
			if !bytes.Equal(data, content[path]) {
				t.Errorf("a byte changed at %d: %s reads otherwise, and Open did not notice", i, path)
			}
		}
		assert.Len(t, got, len(content)-1, "a byte changed at %d: the entries", i) // the signature is not an entry of the manifest
	}
}

// TestReceiptVector: ReadReceipt accepts the receipt vector with the values
// vectors.json lists; the office's key signed its first line; the hashes
// it acknowledges are those of the bundle vectors; and WriteReceipt writes
// it again byte for byte (JSON and Ed25519 are deterministic), whatever the
// order of the hashes and the zone of the time it is given.
func TestReceiptVector(t *testing.T) {
	w := loadVectors(t)
	manifests := map[string]bool{}
	for _, b := range w.Bundles {
		manifests[b.ManifestHash] = true
	}
	for _, v := range w.Receipts {
		t.Run(v.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vecDir, v.File))
			require.NoError(t, err)
			rc, err := ReadReceipt(data, w.trust)
			require.NoError(t, err)
			assert.Equal(t, v.Office, rc.Office)
			assert.Equal(t, w.keyID[v.Signer], rc.OfficeKeyID)
			assert.Equal(t, v.Post, rc.Post)
			assert.Equal(t, v.LastSequence, rc.LastSequence)
			assert.Equal(t, v.Acknowledged, rc.Acknowledged)
			assert.True(t, v.Created.Equal(rc.Created))
			for _, h := range rc.Acknowledged {
				assert.True(t, manifests[h], "acknowledges %s, no bundle vector's manifest", h)
			}

			body, sigLine, ok := strings.Cut(string(data), "\n")
			require.True(t, ok)
			wantBody, err := json.Marshal(struct {
				Format       string    `json:"format"`
				Version      int       `json:"version"`
				Office       string    `json:"office"`
				OfficeKeyID  string    `json:"office_key_id"`
				Post         string    `json:"post"`
				LastSequence uint64    `json:"last_sequence"`
				Acknowledged []string  `json:"acknowledged"`
				Created      time.Time `json:"created"`
			}{"kordon-receipt", 1, v.Office, w.keyID[v.Signer], v.Post, v.LastSequence, v.Acknowledged, v.Created})
			require.NoError(t, err)
			assert.Equal(t, string(wantBody), body, "the first line is the receipt's JSON, fields in this order")
			fields := strings.Fields(sigLine)
			require.Len(t, fields, 3)
			assert.Equal(t, "ed25519 "+w.keyID[v.Signer]+" "+fields[2]+"\n", sigLine, "the second line, and nothing after it")
			sig, err := base64.StdEncoding.Strict().DecodeString(fields[2])
			require.NoError(t, err)
			assert.True(t, ed25519.Verify(w.signing[v.Signer].Public(), append([]byte("kordon-receipt-v1\n"), body...), sig))

			ack := append([]string(nil), v.Acknowledged...)
			for i, j := 0, len(ack)-1; i < j; i, j = i+1, j-1 {
				ack[i], ack[j] = ack[j], ack[i]
			}
			var buf bytes.Buffer
			require.NoError(t, WriteReceipt(&buf, &Receipt{
				Office: v.Office, Post: v.Post, LastSequence: v.LastSequence, Acknowledged: append(ack, ack[0]),
				Created: v.Created.In(time.FixedZone("", 5*3600)).Add(999 * time.Millisecond),
			}, w.signing[v.Signer]))
			assert.Equal(t, string(data), buf.String(), "written again")
		})
	}
}
