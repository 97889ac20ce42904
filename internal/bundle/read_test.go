package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"hash/crc32"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCraftedBundleIsValid(t *testing.T) {
	fx := newFixture(t)
	path := fx.save(t, "ok.kordon", craft{}.build(t, fx))
	rd, err := Open(path, fx.verifyOpts())
	require.NoError(t, err)
	defer rd.Close()
	recs, audit, media := readAll(t, rd)
	c := sampleContent()
	require.Equal(t, c.records, recs)
	require.Equal(t, c.audit, audit)
	require.Len(t, media, 2)
}

// withPart returns the base parts plus extra.
func withPart(extra ...part) []part { return append(baseParts(), extra...) }

// replacePart returns the base parts with the one named name replaced.
func replacePart(name string, p part) []part {
	ps := baseParts()
	for i := range ps {
		if ps[i].name == name {
			ps[i] = p
		}
	}
	return ps
}

// firstMedia returns the first sample attachment and its entry name.
func firstMedia() ([]byte, string) {
	m := sampleContent().media[0]
	return m, MediaPrefix + sha(m)
}

func TestOpenRefusals(t *testing.T) {
	media, mediaName := firstMedia()
	zeros := make([]byte, 64<<20)
	recs := lines(sampleContent().records)

	type tc struct {
		name  string
		craft craft
		file  func(t *testing.T, fx *fixture) []byte // instead of craft
		opts  func(o *VerifyOptions)
		kind  *Error
		key   string
	}
	tests := []tc{
		// A byte changed in any file. A raw change breaks the zip CRC;
		// a change with the CRC made to match breaks the hash or signature.
		{name: "record byte changed", kind: ErrTampered, key: "bundle.err.entry_changed",
			craft: craft{bytesMod: func(d []byte) []byte { return flipIn(t, d, []byte("АК-74"), 1) }}},
		{name: "record changed, CRC matching", kind: ErrTampered, key: "bundle.err.entry_changed",
			craft: craft{
				parts:    replacePart(RecordsName, part{name: RecordsName, data: bytes.Replace(recs, []byte("АК-74"), []byte("АК-47"), 1)}),
				manifest: func(m *Manifest) { setFile(m, RecordsName, func(f *File) { f.SHA256 = sha(recs) }) },
			}},
		{name: "media byte changed", kind: ErrTampered, key: "bundle.err.entry_changed",
			craft: craft{bytesMod: func(d []byte) []byte { return flipIn(t, d, media[100:120], 3) }}},
		{name: "media changed, CRC matching", kind: ErrTampered, key: "bundle.err.entry_changed",
			craft: craft{
				parts:    replacePart(mediaName, part{name: mediaName, data: flipIn(t, media, media[100:120], 3)}),
				manifest: func(m *Manifest) { setFile(m, mediaName, func(f *File) { f.SHA256 = sha(media) }) },
			}},
		{name: "manifest byte changed", kind: ErrTampered, key: "bundle.err.entry_changed",
			craft: craft{bytesMod: func(d []byte) []byte { return flipIn(t, d, []byte(`"device_id": "laptop-1"`), 21) }}},
		{name: "manifest changed after signing, CRC matching", kind: ErrBadSignature, key: "bundle.err.bad_signature",
			craft: craft{
				raw: func(raw []byte) []byte { return bytes.Replace(raw, []byte("laptop-1"), []byte("laptop-2"), 1) },
				sig: func(raw []byte) []byte {
					k := seededKey(1)
					return marshalSig(k.KeyID(), k.sign(ManifestSigPrefix, bytes.Replace(raw, []byte("laptop-2"), []byte("laptop-1"), 1)))
				},
			}},
		{name: "signature byte changed", kind: ErrTampered, key: "bundle.err.entry_changed",
			craft: craft{bytesMod: func(d []byte) []byte {
				i := bytes.LastIndex(d, []byte("ed25519 "))
				require.Positive(t, i)
				d = bytes.Clone(d)
				d[i+30] ^= 0x01
				return d
			}}},
		{name: "signature changed, CRC matching", kind: ErrBadSignature, key: "bundle.err.bad_signature",
			craft: craft{sig: func(raw []byte) []byte {
				k := seededKey(1)
				s := k.sign(ManifestSigPrefix, raw)
				s[10] ^= 0x01
				return marshalSig(k.KeyID(), s)
			}}},
		{name: "valid signature over a different manifest", kind: ErrBadSignature, key: "bundle.err.bad_signature",
			craft: craft{sig: func(raw []byte) []byte {
				k := seededKey(1)
				other := bytes.Replace(raw, []byte(`"sequence": 1`), []byte(`"sequence": 7`), 1)
				return marshalSig(k.KeyID(), k.sign(ManifestSigPrefix, other))
			}}},
		{name: "signature without the domain prefix", kind: ErrBadSignature, key: "bundle.err.bad_signature",
			craft: craft{sig: func(raw []byte) []byte {
				k := seededKey(1)
				return marshalSig(k.KeyID(), ed25519.Sign(k.priv, raw))
			}}},
		{name: "signature made as a receipt", kind: ErrBadSignature, key: "bundle.err.bad_signature",
			craft: craft{sig: func(raw []byte) []byte {
				k := seededKey(1)
				return marshalSig(k.KeyID(), k.sign(ReceiptSigPrefix, raw))
			}}},
		{name: "malformed signature file", kind: ErrBadSignature, key: "bundle.err.signature_malformed",
			craft: craft{sig: func([]byte) []byte { return []byte("signed by me\n") }}},
		{name: "signature file too large", kind: ErrBadSignature, key: "bundle.err.signature_malformed",
			craft: craft{sig: func([]byte) []byte { return bytes.Repeat([]byte("A"), 10000) }}},
		{name: "no signature", kind: ErrTampered, key: "bundle.err.missing_file",
			craft: craft{noSig: true}},

		// Truncation.
		{name: "truncated to half", kind: ErrMalformed, key: "bundle.err.damaged",
			craft: craft{bytesMod: func(d []byte) []byte { return d[:len(d)/2] }}},
		{name: "truncated by one byte", kind: ErrMalformed, key: "bundle.err.damaged",
			craft: craft{bytesMod: func(d []byte) []byte { return d[:len(d)-1] }}},
		{name: "truncated encrypted", kind: ErrTampered, key: "bundle.err.encrypted_damaged",
			file: func(t *testing.T, fx *fixture) []byte {
				d := encryptedBundle(t, fx)
				return d[:len(d)-100]
			}},
		{name: "encrypted byte changed", kind: ErrTampered, key: "bundle.err.encrypted_damaged",
			file: func(t *testing.T, fx *fixture) []byte {
				d := encryptedBundle(t, fx)
				d[len(d)-500] ^= 0x01
				return d
			}},
		{name: "encrypted header cut", kind: ErrMalformed, key: "bundle.err.damaged",
			file: func(t *testing.T, fx *fixture) []byte { return encryptedBundle(t, fx)[:40] }},

		// Extra and missing files.
		{name: "extra file", kind: ErrTampered, key: "bundle.err.extra_file",
			craft: craft{parts: withPart(part{name: "notes.txt", data: []byte("hi"), unlisted: true})}},
		{name: "extra media", kind: ErrTampered, key: "bundle.err.extra_file",
			craft: craft{parts: withPart(part{name: MediaPrefix + sha([]byte("x")), data: []byte("x"), unlisted: true})}},
		{name: "missing media", kind: ErrTampered, key: "bundle.err.missing_file",
			craft: craft{parts: replacePart(mediaName, part{name: mediaName, data: media, notInZip: true})}},
		{name: "missing records", kind: ErrTampered, key: "bundle.err.missing_file",
			craft: craft{parts: replacePart(RecordsName, part{name: RecordsName, data: recs, notInZip: true})}},
		{name: "size differs from manifest", kind: ErrTampered, key: "bundle.err.entry_changed",
			craft: craft{manifest: func(m *Manifest) { setFile(m, mediaName, func(f *File) { f.Size++ }) }}},
		{name: "record count differs from manifest", kind: ErrTampered, key: "bundle.err.count_mismatch",
			craft: craft{manifest: func(m *Manifest) { m.Counts.Records = 5 }}},

		// Names and entry types.
		{name: "duplicate name", kind: ErrUnsafePath, key: "bundle.err.duplicate_name",
			craft: craft{parts: withPart(part{name: AuditName, data: []byte("{}\n"), unlisted: true})}},
		{name: "case-colliding names", kind: ErrUnsafePath, key: "bundle.err.case_collision",
			craft: craft{parts: withPart(part{name: "AUDIT.ndjson", data: []byte("{}\n"), unlisted: true})}},
		{name: "case-colliding media", kind: ErrUnsafePath, key: "bundle.err.case_collision",
			craft: craft{parts: withPart(part{name: strings.ToUpper(mediaName), data: media, unlisted: true})}},
		{name: "dot-dot path", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: "../x", data: []byte("x"), unlisted: true})}},
		{name: "dot-dot inside", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: "media/../../x", data: []byte("x"), unlisted: true})}},
		{name: "absolute path", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: "/abs", data: []byte("x"), unlisted: true})}},
		{name: "backslash", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: `a\b`, data: []byte("x"), unlisted: true})}},
		{name: "drive letter", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: "C:x", data: []byte("x"), unlisted: true})}},
		{name: "empty path element", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: "media//x", data: []byte("x"), unlisted: true})}},
		{name: "dot path element", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: "./records.ndjson", data: []byte("x"), unlisted: true})}},
		{name: "control character", kind: ErrUnsafePath, key: "bundle.err.unsafe_path",
			craft: craft{parts: withPart(part{name: "a\x00b", data: []byte("x"), unlisted: true})}},
		{name: "symlink", kind: ErrUnsafePath, key: "bundle.err.link_entry",
			craft: craft{parts: withPart(part{name: "link", data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777, unlisted: true})}},
		{name: "symlink named as media", kind: ErrUnsafePath, key: "bundle.err.link_entry",
			craft: craft{parts: replacePart(mediaName, part{name: mediaName, data: media, mode: fs.ModeSymlink | 0o777})}},
		{name: "directory", kind: ErrUnsafePath, key: "bundle.err.directory_entry",
			craft: craft{parts: withPart(part{name: "media/", mode: fs.ModeDir | 0o755, unlisted: true})}},
		{name: "directory mode without slash", kind: ErrUnsafePath, key: "bundle.err.directory_entry",
			craft: craft{parts: withPart(part{name: "dir", mode: fs.ModeDir | 0o755, unlisted: true})}},
		{name: "named pipe", kind: ErrUnsafePath, key: "bundle.err.special_entry",
			craft: craft{parts: withPart(part{name: "fifo", mode: fs.ModeNamedPipe | 0o644, unlisted: true})}},

		// Bytes outside the entries.
		{name: "trailing data", kind: ErrMalformed, key: "bundle.err.trailing_data",
			craft: craft{bytesMod: func(d []byte) []byte { return append(bytes.Clone(d), "appended"...) }}},
		{name: "zip comment", kind: ErrMalformed, key: "bundle.err.trailing_data",
			craft: craft{zipMod: func(w *zip.Writer) error { return w.SetComment("hello") }}},
		{name: "prepended data", kind: ErrMalformed, key: "bundle.err.prepended_data",
			craft: craft{bytesMod: func(d []byte) []byte { return append([]byte("MZ\x90\x00 stub"), d...) }}},
		{name: "prepended data, offsets adjusted", kind: ErrMalformed, key: "bundle.err.prepended_data",
			craft: craft{prefix: []byte("#!/bin/sh\nexit 0\n")}},
		{name: "hidden data between entries", kind: ErrMalformed, key: "bundle.err.hidden_data",
			craft: craft{
				parts: replacePart(mediaName, part{name: mediaName, data: media, notInZip: true}),
				zipMod: func(w *zip.Writer) error {
					fw, err := w.CreateRaw(&zip.FileHeader{Name: mediaName, Method: zip.Store,
						CRC32: crc32.ChecksumIEEE(media), CompressedSize64: uint64(len(media)), UncompressedSize64: uint64(len(media))})
					if err != nil {
						return err
					}
					_, err = fw.Write(append(bytes.Clone(media), "HIDDEN PAYLOAD"...))
					return err
				},
			}},
		{name: "local header names another file", kind: ErrMalformed, key: "bundle.err.hidden_data",
			craft: craft{bytesMod: func(d []byte) []byte {
				d = bytes.Clone(d)
				i := bytes.Index(d, []byte(RecordsName))
				d[i] = 'R'
				return d
			}}},

		// Caps.
		{name: "zip bomb", kind: ErrTooLarge, key: "bundle.err.expansion",
			craft: craft{parts: withPart(part{name: MediaPrefix + sha(zeros), data: zeros, method: zip.Deflate})}},
		{name: "too many entries", kind: ErrTooLarge, key: "bundle.err.too_many_entries",
			opts: func(o *VerifyOptions) { o.Limits.MaxEntries = 5 }},
		{name: "entry too large", kind: ErrTooLarge, key: "bundle.err.entry_too_large",
			opts: func(o *VerifyOptions) { o.Limits.MaxEntrySize = 10000 }},
		{name: "total too large", kind: ErrTooLarge, key: "bundle.err.total_too_large",
			opts: func(o *VerifyOptions) { o.Limits.MaxTotalSize = 16000 }},
		{name: "file too large", kind: ErrTooLarge, key: "bundle.err.file_too_large",
			opts: func(o *VerifyOptions) { o.Limits.MaxFileSize = 1000 }},
		{name: "manifest too large", kind: ErrTooLarge, key: "bundle.err.entry_too_large",
			opts: func(o *VerifyOptions) { o.Limits.MaxManifestSize = 100 }},
		{name: "line too long", kind: ErrTooLarge, key: "bundle.err.line_too_long",
			opts: func(o *VerifyOptions) { o.Limits.MaxLineSize = 50 }},

		// Keys.
		{name: "unknown key", kind: ErrUnknownKey, key: "bundle.err.unknown_key",
			craft: craft{signer: seededKey(3)}},
		{name: "revoked key", kind: ErrRevokedKey, key: "bundle.err.revoked_key",
			craft: craft{signer: seededKey(4)}},
		{name: "another post's key", kind: ErrWrongPost, key: "bundle.err.wrong_post",
			craft: craft{signer: seededKey(2)}},
		{name: "manifest names another key", kind: ErrBadSignature, key: "bundle.err.key_mismatch",
			craft: craft{manifest: func(m *Manifest) { m.DeviceKeyID = seededKey(2).KeyID() }}},

		// Destination, format and schema.
		{name: "wrong destination", kind: ErrWrongDestination, key: "bundle.err.wrong_destination",
			craft: craft{manifest: func(m *Manifest) { m.Destination = "office-kg-bis" }}},
		{name: "unknown schema version", kind: ErrSchema, key: "bundle.err.schema_version",
			craft: craft{manifest: func(m *Manifest) { m.SchemaVersion = 2 }}},
		{name: "unknown format version", kind: ErrSchema, key: "bundle.err.format_version",
			craft: craft{manifest: func(m *Manifest) { m.FormatVersion = 2 }}},
		{name: "format version as text", kind: ErrSchema, key: "bundle.err.format_version",
			craft: craft{raw: replaceRaw(`"format_version": 1`, `"format_version": "1"`)}},
		{name: "other format", kind: ErrSchema, key: "bundle.err.format",
			craft: craft{manifest: func(m *Manifest) { m.Format = "other-app" }}},

		// Manifest JSON.
		{name: "malformed manifest JSON", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: func(r []byte) []byte { return r[:len(r)-2] }}},
		{name: "manifest is not an object", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: func([]byte) []byte { return []byte(`["kordon-bundle"]`) }}},
		{name: "unknown manifest field", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: replaceRaw(`"post":`, `"comment": "x", "post":`)}},
		{name: "unknown field in a file entry", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: replaceRaw(`"path":`, `"mode": 420, "path":`)}},
		{name: "field with other case", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: replaceRaw(`"post":`, `"POST": "KG-TOR", "post":`)}},
		{name: "duplicate manifest field", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: replaceRaw(`"post": "KZ-DOS"`, `"post": "KZ-DOS", "post": "KG-TOR"`)}},
		{name: "missing manifest field", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: replaceRaw(`"device_id": "laptop-1",`, ``)}},
		{name: "null manifest field", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: replaceRaw(`"prev_manifest_hash": ""`, `"prev_manifest_hash": null`)}},
		{name: "data after the manifest", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{raw: func(r []byte) []byte { return append(r, "{}"...) }}},
		{name: "files not sorted", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{manifest: func(m *Manifest) { m.Files[0], m.Files[1] = m.Files[1], m.Files[0] }}},
		{name: "media name is not its hash", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{parts: replacePart(mediaName, part{name: mediaName, data: []byte("other")})}},
		{name: "negative size", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{manifest: func(m *Manifest) { m.Files[0].Size = -1 }}},
		{name: "bad post code", kind: ErrMalformed, key: "bundle.err.bad_manifest",
			craft: craft{manifest: func(m *Manifest) { m.Post = "../../x" }}},
		// An office's own data, signed by a post: no post writes it.
		{name: "tracing records from a post", kind: ErrOfficeData, key: "bundle.err.office_data",
			craft: craft{parts: withPart(part{name: TracingName, data: []byte(`{"status":"established_tracing"}` + "\n")})}},
		{name: "tracing records in a folder", kind: ErrOfficeData, key: "bundle.err.office_data",
			craft: craft{parts: withPart(part{name: "tracing/x.json", data: []byte(`{}`)})}},
		{name: "tracing records not listed", kind: ErrTampered, key: "bundle.err.extra_file",
			craft: craft{parts: withPart(part{name: TracingName, data: []byte(`{}` + "\n"), unlisted: true})}},

		// NDJSON.
		{name: "malformed JSON in records", kind: ErrMalformed, key: "bundle.err.bad_json",
			craft: craft{parts: replacePart(RecordsName, part{name: RecordsName, data: []byte("{\"a\":1}\n{\"a\":\n")})}},
		{name: "record line not an object", kind: ErrMalformed, key: "bundle.err.bad_json",
			craft: craft{parts: replacePart(RecordsName, part{name: RecordsName, data: []byte("[1,2]\n")})}},
		{name: "empty record line", kind: ErrMalformed, key: "bundle.err.bad_json",
			craft: craft{parts: replacePart(RecordsName, part{name: RecordsName, data: []byte("{}\n\n{}\n")})}},
		{name: "record line with CR", kind: ErrMalformed, key: "bundle.err.bad_json",
			craft: craft{parts: replacePart(RecordsName, part{name: RecordsName, data: []byte("{}\r\n")})}},
		{name: "last record line without newline", kind: ErrMalformed, key: "bundle.err.bad_json",
			craft: craft{parts: replacePart(RecordsName, part{name: RecordsName, data: []byte("{}\n{}")})}},
		{name: "malformed JSON in audit", kind: ErrMalformed, key: "bundle.err.bad_json",
			craft: craft{parts: replacePart(AuditName, part{name: AuditName, data: []byte("{\"seq\":1}\n{seq:2}\n")})}},
		{name: "invalid UTF-8 in audit", kind: ErrMalformed, key: "bundle.err.bad_json",
			craft: craft{parts: replacePart(AuditName, part{name: AuditName, data: []byte("{\"a\":\"\xff\"}\n")})}},

		// Zip features a bundle does not use.
		{name: "unsupported compression", kind: ErrMalformed, key: "bundle.err.unsupported_entry",
			craft: craft{
				parts: replacePart(RecordsName, part{name: RecordsName, data: recs, notInZip: true}),
				zipMod: func(w *zip.Writer) error {
					fw, err := w.CreateRaw(&zip.FileHeader{Name: RecordsName, Method: 12,
						CRC32: crc32.ChecksumIEEE(recs), CompressedSize64: uint64(len(recs)), UncompressedSize64: uint64(len(recs))})
					if err != nil {
						return err
					}
					_, err = fw.Write(recs)
					return err
				},
			}},
		{name: "encrypted entry", kind: ErrMalformed, key: "bundle.err.unsupported_entry",
			craft: craft{header: func(h *zip.FileHeader, i int) {
				if i == 0 {
					h.Flags |= 0x1
				}
			}}},

		// Not a bundle at all.
		{name: "random bytes", kind: ErrMalformed, key: "bundle.err.not_bundle",
			file: func(*testing.T, *fixture) []byte { return bytes.Repeat([]byte("not a bundle "), 100) }},
		{name: "empty file", kind: ErrMalformed, key: "bundle.err.not_bundle",
			file: func(*testing.T, *fixture) []byte { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			var data []byte
			if tt.file != nil {
				data = tt.file(t, fx)
			} else {
				data = tt.craft.build(t, fx)
			}
			path := fx.save(t, "crafted.kordon", data)
			o := fx.verifyOpts()
			if tt.opts != nil {
				tt.opts(&o)
			}
			rd, err := Open(path, o)
			if rd != nil {
				rd.Close()
			}
			requireRefusal(t, err, tt.kind, tt.key)
			left, err := os.ReadDir(o.TempDir)
			require.NoError(t, err)
			require.Empty(t, left, "a refused bundle leaves no temporary file")
		})
	}
}

// setFile changes the manifest's entry for path.
func setFile(m *Manifest, path string, change func(f *File)) {
	for i := range m.Files {
		if m.Files[i].Path == path {
			change(&m.Files[i])
		}
	}
}

// replaceRaw returns a manifest hook replacing old with new once.
func replaceRaw(old, new string) func([]byte) []byte {
	return func(raw []byte) []byte {
		if !bytes.Contains(raw, []byte(old)) {
			panic("manifest lacks " + old)
		}
		return bytes.Replace(raw, []byte(old), []byte(new), 1)
	}
}

// encryptedBundle returns the bytes of a valid bundle encrypted to the
// fixture office.
func encryptedBundle(t *testing.T, fx *fixture) []byte {
	opts := fx.writeOpts()
	opts.Recipient = fx.officeID.Recipient()
	res := writeBundle(t, fx.path("enc.kordon"), opts, sampleContent())
	data, err := os.ReadFile(res.Path)
	require.NoError(t, err)
	return data
}
