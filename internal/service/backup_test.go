package service_test

import (
	"context"
	"database/sql"
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

func TestBackupWhileInUseAndRestoreAfterAPowerCut(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	addRecord(t, post, uuid.Nil)
	bundle1 := exportTo(t, post)
	addRecord(t, post, uuid.Nil)

	// A backup while another Kordon holds the write lock, as an import or
	// the open desktop does.
	other, err := store.Open(post.Dir)
	require.NoError(t, err)
	tx, err := other.DB().Begin()
	require.NoError(t, err)
	_, err = tx.Exec("INSERT INTO meta (key, value) VALUES ('busy', 'yes')")
	require.NoError(t, err)
	backup := filepath.Join(t.TempDir(), "kordon-backup.db")
	res, err := post.Backup(ctx, backup)
	require.NoError(t, err)
	require.NoError(t, tx.Rollback())
	require.NoError(t, other.Close())
	assert.Equal(t, 2, res.Records)
	fi, err := os.Stat(backup)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "it holds the device key")
	_, err = post.Backup(ctx, backup)
	assert.Error(t, err, "a backup never replaces a file")
	want := storetest.Dump(t, post.Dir)
	key, err := post.SigningKey()
	require.NoError(t, err)

	// The disk dies: a power cut empties the database.
	dir := post.Dir
	require.NoError(t, post.Close())
	require.NoError(t, os.Truncate(filepath.Join(dir, store.FileName), 0))
	_, err = service.Open(ctx, dir)
	require.ErrorIs(t, err, store.ErrEmptyDatabase)

	r, err := service.Restore(ctx, dir, backup, false)
	require.NoError(t, err)
	assert.Equal(t, 2, r.Records)
	assert.Equal(t, int64(1), r.LastBundle)
	assert.FileExists(t, r.Aside, "the damaged file is kept, never deleted")
	restored, err := service.Open(ctx, dir)
	require.NoError(t, err)
	defer restored.Close()
	require.NoError(t, restored.Verify(ctx))
	assert.Equal(t, want, storetest.Dump(t, dir), "the folder holds exactly what it held")
	again, err := restored.SigningKey()
	require.NoError(t, err)
	assert.Equal(t, key.KeyID(), again.KeyID())

	// The restored post goes on with its next bundle.
	imp, err := office.Import(ctx, bundle1, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, imp.New)
	res2, err := restored.Export(ctx, service.ExportOptions{Out: t.TempDir(), Plain: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), res2.Sequence)
	_, err = office.Import(ctx, res2.Path, nil)
	require.NoError(t, err)
}

func TestRestoreRefusesWhatWouldLoseOrMixRecords(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	addRecord(t, post, uuid.Nil)
	backup := filepath.Join(t.TempDir(), "backup.db")
	_, err := post.Backup(ctx, backup)
	require.NoError(t, err)

	// A backup whose schema brings a trigger of its own: it would run in
	// the restored folder, on every record saved.
	evil := filepath.Join(t.TempDir(), "evil.db")
	require.NoError(t, os.WriteFile(evil, bytesOf(t, backup), 0o600))
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(evil))
	require.NoError(t, err)
	_, err = db.Exec("CREATE TRIGGER evil AFTER INSERT ON versions BEGIN UPDATE meta SET value = 'x' WHERE key = 'post_code'; END")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	// A folder open in another Kordon (the desktop, an import).
	open := initFolder(t, "KZ-DOS", "Достык", false)
	openBackup := filepath.Join(t.TempDir(), "open.db")
	_, err = open.Backup(ctx, openBackup)
	require.NoError(t, err)

	// The folder exported a bundle after the backup was made.
	ahead := initFolder(t, "KZ-DOS", "Достык", false)
	office := initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, ahead, office)
	addRecord(t, ahead, uuid.Nil)
	aheadBackup := filepath.Join(t.TempDir(), "ahead.db")
	_, err = ahead.Backup(ctx, aheadBackup)
	require.NoError(t, err)
	exportTo(t, ahead)

	other := initFolder(t, "KZ-KHO", "Хоргос", false)
	for _, s := range []*service.Service{post, ahead, other} {
		require.NoError(t, s.Close())
	}
	for _, c := range []struct {
		name    string
		dir     string
		file    string
		replace bool
		want    error
	}{
		{"a folder in order", post.Dir, backup, false, service.ErrFolderInOrder},
		{"a folder open in another Kordon", open.Dir, openBackup, true, service.ErrFolderInUse},
		{"a folder that exported after the backup", ahead.Dir, aheadBackup, true, service.ErrRestoreBehind},
		{"another device's folder", other.Dir, backup, true, service.ErrOtherDevice},
		{"a file that is not a backup", t.TempDir(), writeBytes(t, []byte("not a backup")), false, service.ErrBadBackup},
		{"a backup with a trigger of its own", t.TempDir(), evil, false, service.ErrBadBackup},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := tree(t, c.dir)
			_, err := service.Restore(ctx, c.dir, c.file, c.replace)
			assert.ErrorIs(t, err, c.want)
			after := tree(t, c.dir)
			for k := range after {
				if _, ok := before[k]; !ok {
					t.Errorf("new file %s", k)
				} else if before[k] != after[k] {
					t.Errorf("changed file %s", k)
				}
			}
			for k := range before {
				if _, ok := after[k]; !ok {
					t.Errorf("file %s is gone", k)
				}
			}
		})
	}
}

func TestADamagedBackupIsNeverWritten(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	addRecord(t, post, uuid.Nil)
	backup := filepath.Join(t.TempDir(), "backup.db")
	_, err := post.Backup(ctx, backup)
	require.NoError(t, err)
	data, err := os.ReadFile(backup)
	require.NoError(t, err)
	// A stick that went bad: the bookkeeping of every page after the
	// first few scribbled over.
	const page = 4096
	require.Greater(t, len(data), 8*page)
	for at := 4 * page; at+12 <= len(data); at += page {
		for i := range 12 {
			data[at+i] ^= 0x5a
		}
	}
	bad := writeBytes(t, data)
	dir := t.TempDir()
	_, err = service.Restore(ctx, dir, bad, false)
	assert.ErrorIs(t, err, service.ErrBadBackup)
	assert.NoFileExists(t, filepath.Join(dir, store.FileName))
}

// A backup made by the previous Kordon (schema 6, testdata: kordon init,
// then a record with two rifles, 2 zinc cases of 1,440 rounds and 10 boxes
// of 160, and a draft with 3 ammunition packages and 4 magazines, deleted)
// restores into an empty folder, is brought to this schema and checks out;
// its ammunition is now counted in rounds.
func TestABackupOfTheLastVersionRestores(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r, err := service.Restore(ctx, dir, "testdata/schema6.kordon-backup", false)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Records)
	svc, err := service.Open(ctx, dir)
	require.NoError(t, err)
	defer svc.Close()
	require.NoError(t, svc.Verify(ctx))
	st, err := svc.Stats(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, 2, st.Pieces, "two rifles; packages are not pieces")
	assert.Equal(t, 1600, st.Rounds)
	post, err := svc.Post(ctx)
	require.NoError(t, err)
	assert.Equal(t, "KZ-DOS", post.Code)
	_, err = svc.SigningKey()
	require.NoError(t, err, "the device key comes back from the backup")
}
