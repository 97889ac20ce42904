package service_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
)

// The failures a hostile review of the first fixes found, each as a test.

func TestAnUnreadableKeyIsNotTakenForTampering(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	addRecord(t, post, uuid.Nil)
	exportTo(t, post) // a checkpoint in the chain
	key := filepath.Join(post.Dir, "keys", "device.key")
	require.NoError(t, os.Rename(key, key+".away"))
	_, err := post.CheckAudit(ctx)
	assert.ErrorIs(t, err, store.ErrCheckpointKey, "the key cannot be read: that is what audit says")
	assert.NotErrorIs(t, err, store.ErrBadCheckpoint, "not that the history was changed")
}

func TestOneExportAtATime(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	addRecord(t, post, uuid.Nil)
	running, err := store.LockFile(ctx, filepath.Join(post.Dir, "export.lock")) // another export's
	require.NoError(t, err)
	usb := t.TempDir()
	before := storetest.Dump(t, post.Dir)
	_, err = post.Export(ctx, service.ExportOptions{Out: usb, Plain: true}, nil)
	assert.ErrorIs(t, err, service.ErrExportRunning)
	assert.Equal(t, before, storetest.Dump(t, post.Dir))
	assert.Empty(t, bundleFiles(t, usb))
	require.NoError(t, running.Unlock())
	_, err = post.Export(ctx, service.ExportOptions{Out: usb, Plain: true}, nil)
	require.NoError(t, err)
}

func TestABundleIsEncryptedOnlyToItsOffice(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	stranger := initFolder(t, "KZ-AST", "Астана", true)
	addRecord(t, post, uuid.Nil)
	pk, err := stranger.PublicKey(ctx)
	require.NoError(t, err)
	data, err := pk.Marshal()
	require.NoError(t, err)
	other := filepath.Join(t.TempDir(), "other-office.pub")
	require.NoError(t, os.WriteFile(other, data, 0o600))
	before := storetest.Dump(t, post.Dir)
	for _, to := range []string{other, pk.Recipient} {
		_, err = post.Export(ctx, service.ExportOptions{Out: t.TempDir(), To: to, Plain: to == ""}, nil)
		assert.ErrorIs(t, err, service.ErrWrongOffice)
	}
	assert.Equal(t, before, storetest.Dump(t, post.Dir), "the bundle number is not spent")

	own, err := office.PublicKey(ctx)
	require.NoError(t, err)
	res, err := post.Export(ctx, service.ExportOptions{Out: t.TempDir(), To: own.Recipient, Plain: own.Recipient == ""}, nil)
	require.NoError(t, err)
	_, err = office.Import(ctx, res.Path, nil)
	require.NoError(t, err)

	require.NoError(t, post.RevokeKey(ctx, own.Fingerprint()))
	addRecord(t, post, uuid.Nil)
	_, err = post.Export(ctx, service.ExportOptions{Out: t.TempDir(), Plain: true}, nil)
	assert.ErrorIs(t, err, service.ErrOfficeRevoked)
}

func TestRestoreKeepsEveryFileItReplaces(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	addRecord(t, post, uuid.Nil)
	backup := filepath.Join(t.TempDir(), "b.db")
	_, err := post.Backup(ctx, backup)
	require.NoError(t, err)
	addRecord(t, post, uuid.Nil)
	require.NoError(t, post.Close())
	first, err := service.Restore(ctx, post.Dir, backup, true)
	require.NoError(t, err)
	second, err := service.Restore(ctx, post.Dir, backup, true)
	require.NoError(t, err)
	assert.NotEqual(t, first.Aside, second.Aside, "two restores in one second keep two files")
	assert.FileExists(t, first.Aside)
	assert.FileExists(t, second.Aside)
}

func TestRestoreLeavesADatabaseOfANewerKordon(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	addRecord(t, post, uuid.Nil)
	backup := filepath.Join(t.TempDir(), "b.db")
	_, err := post.Backup(ctx, backup)
	require.NoError(t, err)
	_, err = service.StoreOf(post).DB().Exec("PRAGMA user_version = 99")
	require.NoError(t, err)
	require.NoError(t, post.Close())
	before := tree(t, post.Dir)
	_, err = service.Restore(ctx, post.Dir, backup, false)
	assert.ErrorIs(t, err, store.ErrNewerSchema)
	assert.Equal(t, before, tree(t, post.Dir))
}

func TestWindows1251AskedForOnUTF8IsRefused(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	utf8 := []byte(`{"status": "draft", "post_code": "KZ-DOS", "occurred_at": "2026-02-10T09:30:00+05:00", "narrative": "Петров Сергей"}`)
	before := storetest.Dump(t, svc.Dir)
	_, err := svc.AddJSON(ctx, bytes.NewReader(utf8), service.Intake{Encoding: service.CP1251})
	assert.Equal(t, "intake.err.already_utf8", intakeKey(err))
	assert.Equal(t, before, storetest.Dump(t, svc.Dir))
}

func TestTheSameInputSavedAgainIsStillTheSame(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	lf := []byte("[\n" + string(marshal(t, exampleMap(t))) + "\n]\n")
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	indented := bytes.ReplaceAll(lf, []byte(`","`), []byte("\",\n    \""))
	_, err := svc.AddJSON(ctx, bytes.NewReader(lf), service.Intake{})
	require.NoError(t, err)
	for _, again := range [][]byte{crlf, indented} {
		res, err := svc.AddJSON(ctx, bytes.NewReader(again), service.Intake{})
		require.NoError(t, err)
		assert.Empty(t, res.Added, "white space and line endings make no new record")
	}
}

func TestAPhotoThatWouldNotFitInMemoryIsRefused(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	dir := t.TempDir()
	// A few kilobytes of PNG that claim 6,000 × 6,000 pixels of 16 bits.
	img := image.NewNRGBA64(image.Rect(0, 0, 6000, 6000))
	img.Set(0, 0, color.NRGBA64{R: 0xffff, A: 0xffff})
	var b bytes.Buffer
	require.NoError(t, (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img))
	require.Less(t, b.Len(), 4<<20)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bomb.png"), b.Bytes(), 0o600))
	before := storetest.Dump(t, svc.Dir)
	_, err := svc.AddJSON(ctx, bytes.NewReader(withPhoto(t, "bomb.png")), service.Intake{PhotoDir: dir})
	assert.Equal(t, "intake.err.photo_not_picture", intakeKey(err))
	assert.Equal(t, before, storetest.Dump(t, svc.Dir))
}

func TestARecordSharedWithATrainingOfficeIsFoundByItsNumber(t *testing.T) {
	ctx := context.Background()
	ps := newPosts(t)
	// A training record the office made for post KZ-DOS takes the post's
	// first number of the year.
	training, err := exampleRecord(t)
	require.NoError(t, err)
	training.Training = true
	require.NoError(t, service.StoreOf(ps.office).Save(ctx, training, "test"))
	require.Equal(t, "KZ-DOS-2026-0001", training.Number)
	line := addRecord(t, ps.genuine, uuid.Nil)
	_, err = ps.office.Import(ctx, exportTo(t, ps.genuine), nil)
	require.NoError(t, err)
	var in struct {
		ID     string `json:"id"`
		Origin string `json:"origin"`
		Number string `json:"number"`
	}
	require.NoError(t, jsonDecode(line, &in))
	require.Equal(t, training.Number, in.Number)
	ref, err := ps.office.Resolve(ctx, in.Number)
	require.NoError(t, err)
	cur, err := ps.office.Get(ctx, ref)
	require.NoError(t, err)
	assert.Equal(t, in.ID, cur.Record.ID.String(), "the post's real record, not a training one")
	assert.False(t, cur.Record.Training)
	ref, err = ps.office.Resolve(ctx, in.Origin+"/"+in.ID)
	require.NoError(t, err)
	_, err = ps.office.Get(ctx, ref)
	require.NoError(t, err, "DEVICE/ID names a record")
}
