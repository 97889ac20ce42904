package service_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
)

// tree lists every file under dir with its content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	require.NoError(t, filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = string(b)
		return err
	}))
	return out
}

func TestInitRefusesAFolderThatHoldsSomething(t *testing.T) {
	ctx := context.Background()
	setup := service.Setup{PostCode: "KZ-DOS", PostName: "Достык"}
	// used is a folder that was set up and exported from, as a stick or a
	// restored copy would bring it.
	used := func(t *testing.T) string {
		dir := t.TempDir()
		svc, err := service.Init(ctx, dir, setup)
		require.NoError(t, err)
		require.NoError(t, svc.Close())
		return dir
	}
	for _, c := range []struct {
		name string
		make func(t *testing.T) string
		want error
	}{
		{"set up already", used, service.ErrAlreadySetUp},
		{"database emptied by a power cut, keys kept", func(t *testing.T) string {
			dir := used(t)
			require.NoError(t, os.Truncate(filepath.Join(dir, store.FileName), 0))
			return dir
		}, store.ErrEmptyDatabase},
		{"database deleted, keys kept", func(t *testing.T) string {
			dir := used(t)
			require.NoError(t, os.Remove(filepath.Join(dir, store.FileName)))
			return dir
		}, service.ErrKeysExist},
		{"another program's database", func(t *testing.T) string {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, store.FileName), []byte("SQLite format 3\x00 but cut short"), 0o600))
			return dir
		}, store.ErrNotDatabase},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := c.make(t)
			before := tree(t, dir)
			_, err := service.Init(ctx, dir, service.Setup{PostCode: "KZ-KHO", PostName: "Хоргос"})
			assert.ErrorIs(t, err, c.want)
			assert.Equal(t, before, tree(t, dir), "the folder is left exactly as it was")
		})
	}
}

func TestInitFinishesAnInterruptedSetUp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	svc, err := service.Init(ctx, dir, service.Setup{PostCode: "KZ-DOS", PostName: "Достык"})
	require.NoError(t, err)
	old, err := svc.SigningKey()
	require.NoError(t, err)
	require.NoError(t, svc.Close())
	// What a power cut during Init leaves: its keys, still marked as an
	// unfinished set-up's, and a half-made database beside the folder's.
	require.NoError(t, os.Remove(filepath.Join(dir, store.FileName)))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "keys", ".setup-incomplete"), nil, 0o600))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, ".kordon-setup"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".kordon-setup", store.FileName), nil, 0o600))

	svc, err = service.Init(ctx, dir, service.Setup{PostCode: "KZ-DOS", PostName: "Достык"})
	require.NoError(t, err)
	defer svc.Close()
	key, err := svc.SigningKey()
	require.NoError(t, err)
	assert.NotEqual(t, old.KeyID(), key.KeyID(), "keys of an unfinished set-up are made again")
	id, err := service.StoreOf(svc).Meta(ctx, service.MetaKeyID)
	require.NoError(t, err)
	assert.Equal(t, key.KeyID(), id)
	assert.NoFileExists(t, filepath.Join(dir, "keys", ".setup-incomplete"))
	assert.NoDirExists(t, filepath.Join(dir, ".kordon-setup"))
}

func TestOpenRefusesAnEmptiedDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	svc, err := service.Init(ctx, dir, service.Setup{PostCode: "KZ-DOS", PostName: "Достык"})
	require.NoError(t, err)
	require.NoError(t, svc.Close())
	require.NoError(t, os.Truncate(filepath.Join(dir, store.FileName), 0))
	for _, opts := range [][]store.Option{nil, {service.ForReading()}} {
		_, err = service.Open(ctx, dir, opts...)
		assert.ErrorIs(t, err, store.ErrEmptyDatabase)
	}
	fi, err := os.Stat(filepath.Join(dir, store.FileName))
	require.NoError(t, err)
	assert.Zero(t, fi.Size())
}
