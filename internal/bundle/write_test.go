package bundle

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"filippo.io/age"
	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		encrypt bool
		content content
	}{
		{"plain", false, sampleContent()},
		{"encrypted", true, sampleContent()},
		{"empty", false, content{}},
		{"encrypted empty", true, content{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			opts := fx.writeOpts()
			if tt.encrypt {
				opts.Recipient = fx.officeID.Recipient()
			}
			out := fx.path("KZ-DOS-0001.kordon")
			res := writeBundle(t, out, opts, tt.content)
			require.Equal(t, out, res.Path)
			_, err := os.Stat(out + partialSuffix)
			require.ErrorIs(t, err, os.ErrNotExist, "the partial file must be gone")
			fi, err := os.Stat(out)
			require.NoError(t, err)
			require.Equal(t, fi.Size(), res.Size)

			head := make([]byte, 4)
			f, err := os.Open(out)
			require.NoError(t, err)
			_, err = io.ReadFull(f, head)
			require.NoError(t, err)
			f.Close()
			if tt.encrypt {
				require.Equal(t, "age-", string(head))
			} else {
				require.Equal(t, "PK\x03\x04", string(head))
			}

			vo := fx.verifyOpts()
			require.NoError(t, os.MkdirAll(vo.TempDir, 0o700))
			rd, err := Open(out, vo)
			require.NoError(t, err)
			require.Equal(t, tt.encrypt, rd.Encrypted())
			m := rd.Manifest()
			require.Equal(t, res.Manifest, m)
			require.Equal(t, res.ManifestHash, rd.ManifestHash())
			require.Equal(t, sha(rd.ManifestBytes()), rd.ManifestHash())
			require.Equal(t, Format, m.Format)
			require.Equal(t, FormatVersion, m.FormatVersion)
			require.Equal(t, testPost, m.Post)
			require.Equal(t, testDevice, m.DeviceID)
			require.Equal(t, fx.dev.KeyID(), m.DeviceKeyID)
			require.Equal(t, uint64(1), m.Sequence)
			require.Equal(t, testOffice, m.Destination)
			require.Equal(t, int64(len(tt.content.records)), m.Counts.Records)
			require.Equal(t, int64(len(tt.content.audit)), m.Counts.Audit)
			require.Equal(t, int64(len(tt.content.media)), m.Counts.Media)
			require.Regexp(t, `^[0-9a-f-]{36}$`, m.BundleID)
			require.Equal(t, testPost, rd.Signer().Post)

			recs, audit, media := readAll(t, rd)
			require.Equal(t, tt.content.records, recs)
			require.Equal(t, tt.content.audit, audit)
			require.Len(t, media, len(tt.content.media))
			for _, d := range tt.content.media {
				require.Equal(t, d, media[sha(d)])
			}
			require.NoError(t, rd.Close())
			require.NoError(t, rd.Close(), "Close twice")
			left, err := os.ReadDir(vo.TempDir)
			require.NoError(t, err)
			require.Empty(t, left, "Close must remove the decrypted copy")
		})
	}
}

func TestSequenceChain(t *testing.T) {
	fx := newFixture(t)
	first := writeBundle(t, fx.path("1.kordon"), fx.writeOpts(), sampleContent())
	opts := fx.writeOpts()
	opts.Sequence = 2
	opts.PrevManifestHash = first.ManifestHash
	second := writeBundle(t, fx.path("2.kordon"), opts, content{records: sampleContent().records[:1]})
	rd, err := Open(second.Path, fx.verifyOpts())
	require.NoError(t, err)
	defer rd.Close()
	require.Equal(t, uint64(2), rd.Manifest().Sequence)
	require.Equal(t, first.ManifestHash, rd.Manifest().PrevManifestHash)
	require.NotEqual(t, first.Manifest.BundleID, second.Manifest.BundleID)
}

func TestWriterRefusals(t *testing.T) {
	fx := newFixture(t)
	c := sampleContent()

	t.Run("exists", func(t *testing.T) {
		out := fx.save(t, "exists.kordon", []byte("old"))
		_, err := Create(out, fx.writeOpts())
		requireRefusal(t, err, ErrExists, "bundle.err.exists")
		data, _ := os.ReadFile(out)
		require.Equal(t, "old", string(data))
	})

	t.Run("bad lines are refused and the writer goes on", func(t *testing.T) {
		out := fx.path("lines.kordon")
		w, err := Create(out, fx.writeOpts())
		require.NoError(t, err)
		for _, bad := range []string{``, `[]`, `"x"`, `{"a":1`, "{\"a\":\n1}", ` {"a":1}`, `{"a":1} `, "{\"a\":\"\xff\"}", `{"a":1}{"b":2}`} {
			requireRefusal(t, w.AddRecord([]byte(bad)), ErrMalformed, "bundle.err.bad_json")
		}
		require.NoError(t, w.AddRecord(c.records[0]))
		requireRefusal(t, w.AddAudit([]byte(`nope`)), ErrMalformed, "bundle.err.bad_json")
		require.NoError(t, w.AddAudit(c.audit[0]))
		res, err := w.Close()
		require.NoError(t, err)
		require.Equal(t, int64(1), res.Manifest.Counts.Records)
		require.Equal(t, int64(1), res.Manifest.Counts.Audit)
	})

	t.Run("out of order", func(t *testing.T) {
		w, err := Create(fx.path("order.kordon"), fx.writeOpts())
		require.NoError(t, err)
		defer w.Abort()
		require.NoError(t, w.AddAudit(c.audit[0]))
		require.Error(t, w.AddRecord(c.records[0]))
		require.NoError(t, w.AddMedia(sha(c.media[0]), bytes.NewReader(c.media[0])))
		require.Error(t, w.AddAudit(c.audit[0]))
		require.Error(t, w.AddMedia("ABC", bytes.NewReader(nil)))
	})

	t.Run("media hash mismatch leaves no file", func(t *testing.T) {
		out := fx.path("mismatch.kordon")
		w, err := Create(out, fx.writeOpts())
		require.NoError(t, err)
		require.NoError(t, w.AddRecord(c.records[0]))
		err = w.AddMedia(sha(c.media[0]), bytes.NewReader(c.media[1]))
		requireRefusal(t, err, ErrTampered, "bundle.err.media_mismatch")
		requireRefusal(t, w.AddMedia(sha(c.media[1]), bytes.NewReader(c.media[1])), ErrTampered, "")
		_, err = w.Close()
		requireRefusal(t, err, ErrTampered, "bundle.err.media_mismatch")
		for _, p := range []string{out, out + partialSuffix} {
			_, err := os.Stat(p)
			require.ErrorIs(t, err, os.ErrNotExist, p)
		}
	})

	t.Run("media read error leaves no file", func(t *testing.T) {
		out := fx.path("readerr.kordon")
		w, err := Create(out, fx.writeOpts())
		require.NoError(t, err)
		boom := errors.New("disk gone")
		require.ErrorIs(t, w.AddMedia(sha(c.media[0]), iotest.ErrReader(boom)), boom)
		_, err = w.Close()
		require.ErrorIs(t, err, boom)
		_, err = os.Stat(out)
		require.ErrorIs(t, err, os.ErrNotExist)
	})

	t.Run("duplicate media are written once", func(t *testing.T) {
		out := fx.path("dupmedia.kordon")
		w, err := Create(out, fx.writeOpts())
		require.NoError(t, err)
		require.NoError(t, w.AddMedia(sha(c.media[0]), bytes.NewReader(c.media[0])))
		require.NoError(t, w.AddMedia(sha(c.media[0]), iotest.ErrReader(errors.New("must not be read"))))
		res, err := w.Close()
		require.NoError(t, err)
		require.Equal(t, int64(1), res.Manifest.Counts.Media)
		rd, err := Open(out, fx.verifyOpts())
		require.NoError(t, err)
		rd.Close()
	})

	t.Run("interrupted export leaves nothing under the final name", func(t *testing.T) {
		out := fx.path("interrupted.kordon")
		w, err := Create(out, fx.writeOpts())
		require.NoError(t, err)
		require.NoError(t, w.AddRecord(c.records[0]))
		// The program dies here: no Close.
		_, err = os.Stat(out)
		require.ErrorIs(t, err, os.ErrNotExist)
		_, err = os.Stat(out + partialSuffix)
		require.NoError(t, err)
		// A later export replaces the leftover partial file.
		writeBundle(t, out, fx.writeOpts(), c)
		require.NoError(t, w.Abort())
		_, err = os.Stat(out)
		require.NoError(t, err, "Abort of the dead writer must not remove the new bundle")
	})

	t.Run("abort removes the partial file", func(t *testing.T) {
		out := fx.path("abort.kordon")
		w, err := Create(out, fx.writeOpts())
		require.NoError(t, err)
		require.NoError(t, w.AddRecord(c.records[0]))
		require.NoError(t, w.Abort())
		require.NoError(t, w.Abort())
		_, err = os.Stat(out + partialSuffix)
		require.ErrorIs(t, err, os.ErrNotExist)
		_, err = w.Close()
		require.Error(t, err)
	})

	t.Run("invalid options", func(t *testing.T) {
		base := fx.writeOpts()
		for name, mod := range map[string]func(o *Options){
			"no key":          func(o *Options) { o.Key = nil },
			"bad post":        func(o *Options) { o.Post = "dostyk" },
			"bad device":      func(o *Options) { o.DeviceID = "a/b" },
			"sequence 0":      func(o *Options) { o.Sequence = 0 },
			"prev on first":   func(o *Options) { o.PrevManifestHash = strings.Repeat("a", 64) },
			"no prev":         func(o *Options) { o.Sequence = 2 },
			"schema 0":        func(o *Options) { o.SchemaVersion = 0 },
			"no destination":  func(o *Options) { o.Destination = "" },
			"bad bundle id":   func(o *Options) { o.BundleID = "x" },
			"bad compression": func(o *Options) { o.CompressionLevel = 42 },
		} {
			o := base
			mod(&o)
			_, err := Create(filepath.Join(fx.dir, "opts-"+strings.ReplaceAll(name, " ", "-")), o)
			require.Error(t, err, name)
		}
	})
}

func TestOpenConfig(t *testing.T) {
	fx := newFixture(t)
	res := writeBundle(t, fx.path("b.kordon"), fx.writeOpts(), sampleContent())
	for name, mod := range map[string]func(o *VerifyOptions){
		"no trust":  func(o *VerifyOptions) { o.Trust = nil },
		"no office": func(o *VerifyOptions) { o.Office = "" },
		"no schema": func(o *VerifyOptions) { o.MaxSchemaVersion = 0 },
	} {
		o := fx.verifyOpts()
		mod(&o)
		_, err := Open(res.Path, o)
		require.Error(t, err, name)
	}
	o := fx.verifyOpts()
	o.Office, o.AnyDestination = "", true
	rd, err := Open(res.Path, o)
	require.NoError(t, err)
	rd.Close()

	o = fx.verifyOpts()
	o.Trust = func(string) (*PublicKey, error) { return nil, errors.New("database locked") }
	_, err = Open(res.Path, o)
	require.ErrorContains(t, err, "database locked")
	var e *Error
	require.False(t, errors.As(err, &e), "a failing TrustFunc is not a refusal")

	o = fx.verifyOpts()
	o.Trust = func(string) (*PublicKey, error) { return fx.keys[fx.other.KeyID()], nil }
	_, err = Open(res.Path, o)
	requireRefusal(t, err, ErrUnknownKey, "bundle.err.unknown_key")
}

func TestReader(t *testing.T) {
	fx := newFixture(t)
	c := sampleContent()
	res := writeBundle(t, fx.path("b.kordon"), fx.writeOpts(), c)
	rd, err := Open(res.Path, fx.verifyOpts())
	require.NoError(t, err)
	defer rd.Close()

	t.Run("callback error stops and names the line", func(t *testing.T) {
		stop := errors.New("duplicate version")
		n := 0
		err := rd.Records(func([]byte) error {
			n++
			if n == 2 {
				return stop
			}
			return nil
		})
		require.ErrorIs(t, err, stop)
		require.ErrorContains(t, err, "records.ndjson line 2")
		require.Equal(t, 2, n)
	})

	t.Run("unknown media", func(t *testing.T) {
		_, err := rd.Media(strings.Repeat("0", 64))
		requireRefusal(t, err, ErrNotFound, "bundle.err.no_media")
		_, err = rd.Media("../../etc/passwd")
		requireRefusal(t, err, ErrNotFound, "bundle.err.no_media")
	})

	t.Run("manifest copy", func(t *testing.T) {
		m := rd.Manifest()
		m.Files[0].Path = "changed"
		require.NotEqual(t, "changed", rd.Manifest().Files[0].Path)
	})

	t.Run("concurrent media reads", func(t *testing.T) {
		done := make(chan error, 8)
		for range 8 {
			go func() {
				mr, err := rd.Media(sha(c.media[0]))
				if err != nil {
					done <- err
					return
				}
				defer mr.Close()
				data, err := io.ReadAll(mr)
				if err == nil && !bytes.Equal(data, c.media[0]) {
					err = errors.New("wrong content")
				}
				done <- err
			}()
		}
		for range 8 {
			require.NoError(t, <-done)
		}
	})
}

func TestChangedAfterOpen(t *testing.T) {
	fx := newFixture(t)
	c := sampleContent()
	res := writeBundle(t, fx.path("b.kordon"), fx.writeOpts(), c)
	rd, err := Open(res.Path, fx.verifyOpts())
	require.NoError(t, err)
	defer rd.Close()

	// Someone changes a photo on the stick while the import runs.
	data, err := os.ReadFile(res.Path)
	require.NoError(t, err)
	i := bytes.Index(data, c.media[0][20:40])
	require.Positive(t, i)
	f, err := os.OpenFile(res.Path, os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte{data[i] ^ 0xff}, int64(i))
	require.NoError(t, err)
	require.NoError(t, f.Close())

	mr, err := rd.Media(sha(c.media[0]))
	require.NoError(t, err)
	_, err = io.ReadAll(mr)
	requireRefusal(t, err, ErrTampered, "bundle.err.entry_changed")
	mr.Close()
}

func TestEncryptedForAnother(t *testing.T) {
	fx := newFixture(t)
	opts := fx.writeOpts()
	opts.Recipient = fx.otherID.Recipient()
	res := writeBundle(t, fx.path("b.kordon"), opts, sampleContent())
	_, err := Open(res.Path, fx.verifyOpts())
	requireRefusal(t, err, ErrNotForUs, "bundle.err.not_for_us")

	o := fx.verifyOpts()
	o.Identities = nil
	_, err = Open(res.Path, o)
	requireRefusal(t, err, ErrNoIdentity, "bundle.err.no_identity")

	o = fx.verifyOpts()
	o.Identities = []age.Identity{fx.officeID, fx.otherID}
	require.NoError(t, os.MkdirAll(o.TempDir, 0o700))
	rd, err := Open(res.Path, o)
	require.NoError(t, err, "an office with its old key too can read it")
	rd.Close()
}

func TestZip64ManyEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 70,000 entries")
	}
	fx := newFixture(t)
	out := fx.path("many.kordon")
	w, err := Create(out, fx.writeOpts())
	require.NoError(t, err)
	require.NoError(t, w.AddRecord(sampleContent().records[0]))
	const n = 70_000 // more than a plain zip's 65,535 entries
	for i := range n {
		m := []byte(strconv.Itoa(i))
		require.NoError(t, w.AddMedia(sha(m), bytes.NewReader(m)))
	}
	res, err := w.Close()
	require.NoError(t, err)
	require.Equal(t, int64(n), res.Manifest.Counts.Media)

	rd, err := Open(out, fx.verifyOpts())
	require.NoError(t, err)
	mr, err := rd.Media(sha([]byte("69999")))
	require.NoError(t, err)
	data, err := io.ReadAll(mr)
	require.NoError(t, err)
	require.Equal(t, "69999", string(data))
	require.NoError(t, rd.Close())

	o := fx.verifyOpts()
	o.Limits.MaxEntries = n
	_, err = Open(out, o)
	requireRefusal(t, err, ErrTooLarge, "bundle.err.too_many_entries")

	// Appending to a zip64 bundle is caught as well.
	f, err := os.OpenFile(out, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("tail")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	_, err = Open(out, fx.verifyOpts())
	requireRefusal(t, err, ErrMalformed, "bundle.err.trailing_data")
}
