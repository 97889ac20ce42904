package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/store"
)

func TestAListIsKeptWholeAndReplacedInOneStep(t *testing.T) {
	s, dir := open(t)
	info, content, err := s.HeldList(ctx, "un")
	require.NoError(t, err)
	assert.Nil(t, info, "no list before one is loaded")
	assert.Nil(t, content)

	first := []byte("<CONSOLIDATED_LIST dateGenerated=\"2020-03-20T19:09:21.822-04:00\"/>")
	gen := time.Date(2020, 3, 20, 23, 9, 21, 0, time.UTC)
	require.NoError(t, s.KeepList(ctx, store.ListInfo{Source: "un", Generated: gen, SHA256: store.SHA256(first), Entries: 1}, first, "analyst"))
	second := []byte("<CONSOLIDATED_LIST dateGenerated=\"2021-01-01T00:00:00Z\"/>")
	err = s.KeepList(ctx, store.ListInfo{Source: "un", Generated: gen, SHA256: store.SHA256(first), Entries: 1}, second, "analyst")
	assert.Error(t, err, "a list whose hash is not its content's is refused")
	require.NoError(t, s.KeepList(ctx, store.ListInfo{Source: "un", Generated: gen.AddDate(1, 0, 0), SHA256: store.SHA256(second), Entries: 2}, second, "analyst"))

	info, content, err = s.HeldList(ctx, "un")
	require.NoError(t, err)
	assert.Equal(t, second, content)
	assert.Equal(t, 2, info.Entries)
	assert.Equal(t, "analyst", info.Actor)
	assert.True(t, info.Generated.Equal(gen.AddDate(1, 0, 0)))
	require.NoError(t, s.Verify(ctx), "each load is in the audit chain")

	// A list changed behind the program's back is found.
	require.NoError(t, s.Close())
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	require.NoError(t, err)
	_, err = db.Exec("UPDATE lists SET content = ?, sha256 = ?", first, store.SHA256(first))
	require.NoError(t, err)
	require.NoError(t, db.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	assert.Error(t, s.Verify(ctx))
}
