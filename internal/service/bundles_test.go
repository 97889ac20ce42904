package service_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/translations"
)

type pair struct {
	post, office *service.Service
	signing      *bundle.SigningKey
	officeKey    string
	bundle       string // the post's first bundle
}

func initFolder(t *testing.T, code, name string, office bool) *service.Service {
	t.Helper()
	svc, err := service.Init(context.Background(), t.TempDir(), service.Setup{PostCode: code, PostName: name, Office: office})
	require.NoError(t, err)
	t.Cleanup(func() { svc.Close() })
	svc.Actor = "test"
	return svc
}

func trustEachOther(t *testing.T, post, office *service.Service) {
	t.Helper()
	ctx := context.Background()
	ppk, err := post.PublicKey(ctx)
	require.NoError(t, err)
	opk, err := office.PublicKey(ctx)
	require.NoError(t, err)
	require.NoError(t, office.Trust(ctx, ppk, ""))
	require.NoError(t, post.Trust(ctx, opk, ""))
}

func newPair(t *testing.T) *pair {
	t.Helper()
	ctx := context.Background()
	p := &pair{post: initFolder(t, "KZ-DOS", "Достык", false), office: initFolder(t, "KZ-ALM", "Алматы", true)}
	trustEachOther(t, p.post, p.office)
	f, err := os.Open("../../testdata/record.json")
	require.NoError(t, err)
	defer f.Close()
	_, err = p.post.AddJSON(ctx, f, service.Intake{PhotoDir: "../../testdata"})
	require.NoError(t, err)
	res, err := p.post.Export(ctx, service.ExportOptions{Out: t.TempDir(), Plain: true}, nil)
	require.NoError(t, err)
	p.bundle = res.Path
	p.signing, err = p.post.SigningKey()
	require.NoError(t, err)
	p.officeKey, err = service.StoreOf(p.office).Meta(ctx, service.MetaKeyID)
	require.NoError(t, err)
	return p
}

// craft writes a bundle signed with the post's key, with the given changes.
func (p *pair) craft(t *testing.T, change func(o *bundle.Options, records [][]byte) [][]byte) string {
	t.Helper()
	ctx := context.Background()
	post, err := p.post.Post(ctx)
	require.NoError(t, err)
	var records [][]byte
	require.NoError(t, service.StoreOf(p.post).PendingVersions(ctx, func(_ store.VersionRef, c []byte) error { records = append(records, c); return nil }))
	if len(records) == 0 {
		rd, err := p.post.OpenBundle(ctx, p.bundle)
		require.NoError(t, err)
		require.NoError(t, rd.Records(func(l []byte) error { records = append(records, append([]byte(nil), l...)); return nil }))
		rd.Close()
	}
	opts := bundle.Options{Key: p.signing, Post: post.Code, DeviceID: post.DeviceID, Sequence: 2,
		SchemaVersion: record.SchemaVersion, Destination: p.officeKey}
	records = change(&opts, records)
	path := filepath.Join(t.TempDir(), "crafted.kordon")
	w, err := bundle.Create(path, opts)
	require.NoError(t, err)
	for _, r := range records {
		require.NoError(t, w.AddRecord(r))
	}
	_, err = w.Close()
	require.NoError(t, err)
	return path
}

func editRecord(t *testing.T, line []byte, f func(in *record.Interdiction)) []byte {
	t.Helper()
	var in record.Interdiction
	require.NoError(t, json.Unmarshal(line, &in))
	f(&in)
	b, err := json.Marshal(&in)
	require.NoError(t, err)
	return b
}

func bytesOf(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func writeBytes(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bad.kordon")
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return p
}

func TestImportRefusalsLeaveTheOfficeAsItWas(t *testing.T) {
	ctx := context.Background()
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	en, ru := cat.For("en"), cat.For("ru")

	cases := []struct {
		name string
		make func(t *testing.T, p *pair) string
		want string // in the English message
	}{
		{"changed byte", func(t *testing.T, p *pair) string {
			b := bytesOf(t, p.bundle)
			b[len(b)/3] ^= 0x40
			return writeBytes(t, b)
		}, "Nothing was imported"},
		{"truncated", func(t *testing.T, p *pair) string {
			b := bytesOf(t, p.bundle)
			return writeBytes(t, b[:len(b)/2])
		}, "damaged or incomplete"},
		{"trailing data", func(t *testing.T, p *pair) string {
			return writeBytes(t, append(bytesOf(t, p.bundle), []byte("extra")...))
		}, ""},
		{"prepended data", func(t *testing.T, p *pair) string {
			return writeBytes(t, append([]byte("MZ\x90\x00"), bytesOf(t, p.bundle)...))
		}, ""},
		{"unknown key", func(t *testing.T, p *pair) string {
			stranger := initFolder(t, "KZ-DOS", "Достык, второй компьютер", false)
			opk, err := p.office.PublicKey(ctx)
			require.NoError(t, err)
			require.NoError(t, stranger.Trust(ctx, opk, ""))
			f, _ := os.Open("../../testdata/record.json")
			defer f.Close()
			_, err = stranger.AddJSON(ctx, f, service.Intake{PhotoDir: "../../testdata"})
			require.NoError(t, err)
			res, err := stranger.Export(ctx, service.ExportOptions{Out: t.TempDir(), Plain: true}, nil)
			require.NoError(t, err)
			return res.Path
		}, ""},
		{"addressed to another office", func(t *testing.T, p *pair) string {
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.Destination = "0123456789abcdef"
				o.Sequence = 1
				return r
			})
		}, ""},
		{"encrypted for another office", func(t *testing.T, p *pair) string {
			other, err := bundle.GenerateOfficeIdentity()
			require.NoError(t, err)
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte { o.Recipient, o.Sequence = other.Recipient(), 1; return r })
		}, ""},
		{"unknown schema version", func(t *testing.T, p *pair) string {
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.SchemaVersion, o.Sequence = record.SchemaVersion+1, 1
				return r
			})
		}, ""},
		{"record of another device", func(t *testing.T, p *pair) string {
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.Sequence = 1
				return [][]byte{editRecord(t, r[0], func(in *record.Interdiction) { in.Origin = "someone-else" })}
			})
		}, "was not made by that post's device"},
		{"replay with changed content", func(t *testing.T, p *pair) string {
			require.NoError(t, func() error { _, err := p.office.Import(ctx, p.bundle, nil); return err }())
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.Sequence = 1
				return [][]byte{editRecord(t, r[0], func(in *record.Interdiction) { in.Remarks = "rewritten" })}
			})
		}, "ALARM"},
		{"chain does not continue", func(t *testing.T, p *pair) string {
			require.NoError(t, func() error { _, err := p.office.Import(ctx, p.bundle, nil); return err }())
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.Sequence, o.PrevManifestHash = 2, strings.Repeat("ab", 32)
				return [][]byte{editRecord(t, r[0], func(in *record.Interdiction) { in.Version = 2 })}
			})
		}, "ALARM"},
		{"draft record", func(t *testing.T, p *pair) string {
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.Sequence = 1
				return [][]byte{editRecord(t, r[0], func(in *record.Interdiction) { in.Status = record.StatusDraft })}
			})
		}, "not final"},
		{"a phone in a bundle of schema 2", func(t *testing.T, p *pair) string {
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.SchemaVersion, o.Sequence = 2, 1
				return [][]byte{editRecord(t, r[0], func(in *record.Interdiction) { in.People[0].Phone = "+998 90 123 45 67" })}
			})
		}, "people[0].phone is not a field of records of schema 2"},
		{"invalid record", func(t *testing.T, p *pair) string {
			return p.craft(t, func(o *bundle.Options, r [][]byte) [][]byte {
				o.Sequence = 1
				return [][]byte{editRecord(t, r[0], func(in *record.Interdiction) { in.Items[0].Quantity = -1 })}
			})
		}, "items[0].quantity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPair(t)
			bad := c.make(t, p)
			before := storetest.Dump(t, p.office.Dir)
			_, err := p.office.Import(ctx, bad, nil)
			require.Error(t, err)
			assert.Equal(t, before, storetest.Dump(t, p.office.Dir), "the office store is unchanged")
			msg := en.Error(err)
			assert.Contains(t, msg, c.want)
			assert.NotContains(t, msg, "err.", "a message, not a key: %s", msg)
			assert.NotEqual(t, msg, ru.Error(err), "the message is translated")
			// The real bundle still imports afterwards.
			_, err = p.office.Import(ctx, p.bundle, nil)
			require.NoError(t, err)
		})
	}
}

func TestInterruptedExportIsSafe(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	f, err := os.Open("../../testdata/record.json")
	require.NoError(t, err)
	_, err = post.AddJSON(ctx, f, service.Intake{PhotoDir: "../../testdata"})
	f.Close()
	require.NoError(t, err)
	usb := t.TempDir()
	// A power cut during the last export left a partial file behind.
	partial := filepath.Join(usb, "KZ-DOS-000001.kordon.partial")
	require.NoError(t, os.WriteFile(partial, []byte("PK\x03\x04half a bundle"), 0o600))
	res, err := post.Export(ctx, service.ExportOptions{Out: usb, Plain: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), res.Sequence)
	assert.NoFileExists(t, partial)
	imp, err := office.Import(ctx, res.Path, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, imp.New)
	assert.Equal(t, 1, imp.Media)
	_, err = post.Export(ctx, service.ExportOptions{Out: usb, Plain: true}, nil)
	assert.ErrorIs(t, err, service.ErrNothingNew)
}
