package service_test

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// manifestSchema reads the schema_version of a plain bundle's manifest.
func manifestSchema(t *testing.T, path string) int {
	t.Helper()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	f, err := zr.Open("manifest.json")
	require.NoError(t, err)
	defer f.Close()
	data, err := io.ReadAll(f)
	require.NoError(t, err)
	var m struct {
		Schema int `json:"schema_version"`
	}
	require.NoError(t, json.Unmarshal(data, &m))
	return m.Schema
}

// A bundle declares the oldest record schema that holds its records, so
// that an office that runs the previous version still takes the bundles
// of a post that has upgraded; one with a no_person reason is schema 2.
func TestABundleDeclaresTheOldestSchemaItNeeds(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	addRecord(t, post, uuid.Nil) // names its driver
	first := exportTo(t, post)
	assert.Equal(t, 1, manifestSchema(t, first))

	in, err := exampleRecord(t)
	require.NoError(t, err)
	in.People, in.Organisations, in.NoPerson = nil, nil, "unattended"
	require.NoError(t, service.StoreOf(post).Save(ctx, in, "test"))
	second := exportTo(t, post)
	assert.Equal(t, 2, manifestSchema(t, second))
	for _, b := range []string{first, second} {
		_, err := office.Import(ctx, b, nil)
		require.NoError(t, err)
	}
	cur, err := office.Get(ctx, in.Ref())
	require.NoError(t, err)
	assert.Equal(t, "unattended", cur.Record.NoPerson)
}

// An office of this version imports the bundle of a post that runs the
// previous one (testdata/schema1: made by that version's kordon; the
// office's backup from before the import, and the bundle, encrypted to
// it): a final seizure that names no one is final as that version made
// it, although this version would ask why.
func TestAnOfficeImportsTheBundleOfAPostOfThePreviousVersion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	_, err := service.Restore(ctx, dir, "testdata/schema1/office.kordon-backup", false)
	require.NoError(t, err)
	office, err := service.Open(ctx, dir)
	require.NoError(t, err)
	defer office.Close()
	res, err := office.Import(ctx, "testdata/schema1/bundle.kordon", nil)
	require.NoError(t, err)
	assert.Equal(t, 1, res.New)
	page, err := office.List(ctx, view.Filter{})
	require.NoError(t, err)
	require.Len(t, page.Records, 1)
	cur, err := office.Get(ctx, page.Records[0].Ref())
	require.NoError(t, err)
	assert.Empty(t, cur.Record.People)
	assert.Equal(t, "seized", cur.Record.Recovery)
	require.NoError(t, office.Verify(ctx))
}
