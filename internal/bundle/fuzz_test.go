package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/stretchr/testify/require"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{
	MaxFileSize: 1 << 20, MaxEntries: 64, MaxEntrySize: 256 << 10, MaxTotalSize: 1 << 20,
	MaxExpansionRatio: 50, MaxManifestSize: 64 << 10, MaxLineSize: 16 << 10,
}

// requireTyped fails unless err is nil or a refusal with a catalog message.
func requireTyped(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("not a refusal: %v", err)
	}
	if e.Kind == nil {
		t.Fatalf("refusal without a kind: %v", err)
	}
	if _, ok := catalogs["en"][e.Key]; !ok {
		t.Fatalf("refusal key %s not in the catalog", e.Key)
	}
}

func FuzzOpen(f *testing.F) {
	fx := newFixture(f)
	opts := fx.writeOpts()
	opts.BundleID = "0f0e0d0c-0b0a-4908-8706-050403020100"
	// Small seeds: the fuzzer mutates and minimizes them byte by byte.
	small := content{
		records: [][]byte{[]byte(`{"id":1}`), []byte(`{"id":2,"t":"АК"}`)},
		audit:   [][]byte{[]byte(`{"seq":1}`)},
		media:   [][]byte{[]byte("jpeg")},
	}
	plain := writeBundle(f, fx.path("plain.kordon"), opts, small)
	opts.Recipient = fx.officeID.Recipient()
	enc := writeBundle(f, fx.path("enc.kordon"), opts, content{records: small.records[:1]})
	for _, p := range []string{plain.Path, enc.Path} {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	parts := func(extra ...part) []part {
		return append([]part{
			{name: RecordsName, data: lines(small.records)},
			{name: AuditName, data: lines(small.audit)},
			{name: MediaPrefix + sha(small.media[0]), data: small.media[0]},
		}, extra...)
	}
	f.Add(craft{parts: parts()}.build(f, fx))
	f.Add(craft{parts: parts(part{name: "../x", data: []byte("x"), unlisted: true})}.build(f, fx))
	f.Add(craft{parts: parts(), bytesMod: func(d []byte) []byte { return append(d, "tail"...) }}.build(f, fx))
	f.Add([]byte("PK\x05\x06" + string(make([]byte, 18))))

	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "in.kordon")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(dir, "tmp")
		if err := os.Mkdir(tmp, 0o700); err != nil {
			t.Fatal(err)
		}
		rd, err := Open(path, VerifyOptions{
			Trust: fx.trust, Office: testOffice, MaxSchemaVersion: 1,
			Identities: []age.Identity{fx.officeID}, TempDir: tmp, Limits: fuzzLimits,
		})
		requireTyped(t, err)
		if err == nil {
			// Whatever Open accepted must read back without error.
			if err := rd.Records(func([]byte) error { return nil }); err != nil {
				t.Fatalf("records of an accepted bundle: %v", err)
			}
			if err := rd.Audit(func([]byte) error { return nil }); err != nil {
				t.Fatalf("audit of an accepted bundle: %v", err)
			}
			m := rd.Manifest()
			for _, h := range m.Media() {
				rc, err := rd.Media(h)
				if err != nil {
					t.Fatalf("media of an accepted bundle: %v", err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					t.Fatalf("media of an accepted bundle: %v", err)
				}
				rc.Close()
			}
			if sha(rd.ManifestBytes()) != rd.ManifestHash() {
				t.Fatal("manifest hash differs from its bytes")
			}
			if err := rd.Close(); err != nil {
				t.Fatal(err)
			}
		}
		left, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Fatalf("temporary files left: %v", left)
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	fx := newFixture(f)
	res := writeBundle(f, fx.path("b.kordon"), fx.writeOpts(), sampleContent())
	raw, err := res.Manifest.marshal()
	require.NoError(f, err)
	f.Add(raw)
	compact := new(bytes.Buffer)
	require.NoError(f, json.Compact(compact, raw))
	f.Add(compact.Bytes())
	f.Add([]byte(`{"format":"kordon-bundle","format_version":2}`))
	f.Add([]byte(`{"format":"kordon-bundle","format_version":1,"files":[{"path":"a","path":"b"}]}`))
	f.Add([]byte(`null`))

	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := parseManifest(data)
		requireTyped(t, err)
		if err != nil {
			return
		}
		if err := m.validate(); err != nil {
			t.Fatalf("accepted an invalid manifest: %v", err)
		}
		again, err := m.marshal()
		if err != nil {
			t.Fatal(err)
		}
		m2, err := parseManifest(again)
		if err != nil {
			t.Fatalf("re-encoded manifest refused: %v", err)
		}
		if !m.Created.Equal(m2.Created) {
			t.Fatal("created time changed on re-encoding")
		}
		m2.Created = m.Created
		require.Equal(t, m, m2)
	})
}

func FuzzParsePublicKey(f *testing.F) {
	fx := newFixture(f)
	for _, pk := range fx.keys {
		data, err := pk.Marshal()
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{"format":"kordon-public-key","version":1,"post":"KZ-DOS","name":"x","key":"AAAA","recipient":""}`))
	f.Add([]byte(`{}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		pk, err := ParsePublicKey(data)
		requireTyped(t, err)
		if err != nil {
			return
		}
		again, err := pk.Marshal()
		if err != nil {
			t.Fatalf("accepted key does not marshal: %v", err)
		}
		pk2, err := ParsePublicKey(again)
		if err != nil {
			t.Fatalf("re-encoded key refused: %v", err)
		}
		require.Equal(t, pk, pk2)
	})
}

func FuzzReadReceipt(f *testing.F) {
	fx := newFixture(f)
	var buf bytes.Buffer
	require.NoError(f, WriteReceipt(&buf, sampleReceipt(), fx.officeKey))
	valid := buf.Bytes()
	body := valid[:bytes.IndexByte(valid, '\n')]
	// resign: the input is a receipt body, signed here by the office, so the
	// fuzzer reaches the JSON parser; otherwise it is a whole receipt file.
	f.Add(valid, false)
	f.Add(bytes.Clone(body), true)
	f.Add([]byte(`{"format":"kordon-receipt","version":1}`), true)

	f.Fuzz(func(t *testing.T, data []byte, resign bool) {
		if resign {
			if bytes.IndexByte(data, '\n') >= 0 {
				return
			}
			data = append(append(bytes.Clone(data), '\n'), marshalSig(fx.officeKey.KeyID(), fx.officeKey.sign(ReceiptSigPrefix, data))...)
		}
		rc, err := ReadReceipt(data, fx.trust)
		requireTyped(t, err)
		if err != nil {
			return
		}
		if err := rc.validate(); err != nil {
			t.Fatalf("accepted an invalid receipt: %v", err)
		}
		if rc.OfficeKeyID != fx.officeKey.KeyID() || rc.Office != "KZ-ALA" {
			t.Fatalf("accepted a receipt of another office: %+v", rc)
		}
	})
}

func FuzzReadListFile(f *testing.F) {
	fx := newFixture(f)
	un := []byte(`<CONSOLIDATED_LIST dateGenerated="2020-03-20T19:09:21.822-04:00"><INDIVIDUALS/></CONSOLIDATED_LIST>`)
	sum := sha256.Sum256(un)
	var buf bytes.Buffer
	require.NoError(f, WriteListFile(&buf, &ListFile{Office: "KZ-ALA", Sequence: 1, UNGenerated: time.Date(2020, 3, 20, 23, 9, 21, 0, time.UTC),
		UNSHA256: hex.EncodeToString(sum[:]), UN: un}, fx.officeKey))
	valid := buf.Bytes()
	body := valid[:bytes.IndexByte(valid, '\n')]
	f.Add(valid, false)
	f.Add(bytes.Clone(body), true)
	f.Add([]byte(`{"format":"kordon-lists","version":1}`), true)

	f.Fuzz(func(t *testing.T, data []byte, resign bool) {
		if resign {
			if bytes.IndexByte(data, '\n') >= 0 {
				return
			}
			data = append(append(bytes.Clone(data), '\n'), marshalSig(fx.officeKey.KeyID(), fx.officeKey.sign(ListsSigPrefix, data))...)
		}
		lf, err := ReadListFile(data, fx.trust)
		requireTyped(t, err)
		if err != nil {
			return
		}
		if err := lf.validate(); err != nil {
			t.Fatalf("accepted an invalid list file: %v", err)
		}
		if lf.OfficeKeyID != fx.officeKey.KeyID() || lf.Office != "KZ-ALA" {
			t.Fatalf("accepted a list file of another office: %+v", lf)
		}
	})
}
