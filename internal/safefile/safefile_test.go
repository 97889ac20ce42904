package safefile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/safefile"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteLeavesAFileOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "receipt.json")
	boom := errors.New("the stick was pulled")
	err := safefile.Write(path, 0o600, func(w io.Writer) error {
		w.Write([]byte("half of it"))
		return boom
	})
	assert.ErrorIs(t, err, boom)
	assert.Empty(t, names(t, dir), "a failed write leaves nothing, not even the partial file")

	require.NoError(t, safefile.Write(path, 0o600, func(w io.Writer) error { _, err := w.Write([]byte("whole")); return err }))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "whole", string(got))
	assert.Equal(t, []string{"receipt.json"}, names(t, dir))

	err = safefile.Write(path, 0o600, func(w io.Writer) error { _, err := w.Write([]byte("other")); return err })
	assert.ErrorIs(t, err, fs.ErrExist, "an existing file is never replaced")
	got, _ = os.ReadFile(path)
	assert.Equal(t, "whole", string(got))
}

func TestCommitRefusesAFileThatAppearedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bundle.kordon")
	f, err := safefile.Create(path, 0o600)
	require.NoError(t, err)
	_, err = f.Write([]byte("new"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, []byte("someone else's"), 0o600))
	assert.ErrorIs(t, f.Commit(), fs.ErrExist)
	assert.Equal(t, []string{"bundle.kordon"}, names(t, dir), "the partial file is gone")
	got, _ := os.ReadFile(path)
	assert.Equal(t, "someone else's", string(got))
}

func TestCreateReplacesALeftoverOfAnInterruptedWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	require.NoError(t, os.WriteFile(path+safefile.PartialSuffix, []byte("left by a power cut"), 0o644))
	f, err := safefile.Create(path, 0o600)
	require.NoError(t, err)
	_, err = f.Write([]byte("fresh"))
	require.NoError(t, err)
	require.NoError(t, f.Commit())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "never the leftover's looser mode")
	assert.Equal(t, []string{"backup.db"}, names(t, dir))
	require.NoError(t, f.Abort(), "Abort after Commit does nothing")
}

func TestWriteOverReplacesOnlyOnCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "protocol.pdf")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))

	require.ErrorIs(t, safefile.Write(path, 0o644, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }), fs.ErrExist)
	err := safefile.WriteOver(path, 0o644, func(w io.Writer) error {
		w.Write([]byte("half"))
		return errors.New("disk pulled out")
	})
	require.Error(t, err)
	got, _ := os.ReadFile(path)
	assert.Equal(t, "old", string(got), "a failed write leaves the old file")
	assert.Equal(t, []string{"protocol.pdf"}, names(t, dir))

	require.NoError(t, safefile.WriteOver(path, 0o644, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }))
	got, _ = os.ReadFile(path)
	assert.Equal(t, "new", string(got))
	assert.Equal(t, []string{"protocol.pdf"}, names(t, dir))
}
