package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/internal/view"
	"github.com/kordon/kordon/translations"
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
// that an office that runs a previous version still takes the bundles
// of a post that has upgraded; one with a no_person reason is schema 2,
// one with a phone schema 3, and the next without a phone is 2 or 1 again.
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

	withPhone, err := exampleRecord(t)
	require.NoError(t, err)
	withPhone.Organisations[0].Phone = "+7 727 250 00 00"
	require.NoError(t, service.StoreOf(post).Save(ctx, withPhone, "test"))
	nobody, err := exampleRecord(t)
	require.NoError(t, err)
	nobody.People, nobody.Organisations, nobody.NoPerson = nil, nil, "fled"
	require.NoError(t, service.StoreOf(post).Save(ctx, nobody, "test"))
	third := exportTo(t, post)
	assert.Equal(t, 3, manifestSchema(t, third), "a phone and a no_person: schema 3")

	addRecord(t, post, uuid.Nil)
	fourth := exportTo(t, post)
	assert.Equal(t, 1, manifestSchema(t, fourth), "each bundle by its own records")
	for _, b := range []string{first, second, third, fourth} {
		_, err := office.Import(ctx, b, nil)
		require.NoError(t, err)
	}
	cur, err := office.Get(ctx, in.Ref())
	require.NoError(t, err)
	assert.Equal(t, "unattended", cur.Record.NoPerson)
	cur, err = office.Get(ctx, withPhone.Ref())
	require.NoError(t, err)
	assert.Equal(t, "+7 727 250 00 00", cur.Record.Organisations[0].Phone)
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

// An office of this version imports the bundle of a post that runs the
// version before phones (testdata/schema2: made by that version's kordon;
// the office's backup from before the import, and the bundle, encrypted
// to it, with a seizure from no one that says why): a bundle of schema 2
// is a bundle of schema 3 without phones.
func TestAnOfficeImportsTheSchema2BundleOfAPostOfThePreviousVersion(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	_, err := service.Restore(ctx, dir, "testdata/schema2/office.kordon-backup", false)
	require.NoError(t, err)
	office, err := service.Open(ctx, dir)
	require.NoError(t, err)
	defer office.Close()
	rd, err := office.OpenBundle(ctx, "testdata/schema2/bundle.kordon")
	require.NoError(t, err)
	assert.Equal(t, 2, rd.Manifest().SchemaVersion)
	rd.Close()
	res, err := office.Import(ctx, "testdata/schema2/bundle.kordon", nil)
	require.NoError(t, err)
	assert.Equal(t, 1, res.New)
	page, err := office.List(ctx, view.Filter{})
	require.NoError(t, err)
	require.Len(t, page.Records, 1)
	cur, err := office.Get(ctx, page.Records[0].Ref())
	require.NoError(t, err)
	assert.Equal(t, "fled", cur.Record.NoPerson)
	for _, p := range cur.Record.People {
		assert.Empty(t, p.Phone)
	}
	require.NoError(t, office.Verify(ctx))
}

// craftSchema writes a bundle signed by post's key that declares schema
// and carries records, as a post of that schema's version would.
func craftSchema(t *testing.T, post *service.Service, officeKey string, schema int, records ...[]byte) string {
	t.Helper()
	ctx := context.Background()
	p, err := post.Post(ctx)
	require.NoError(t, err)
	key, err := post.SigningKey()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), fmt.Sprintf("schema%d.kordon", schema))
	w, err := bundle.Create(path, bundle.Options{Key: key, Post: p.Code, DeviceID: p.DeviceID, Sequence: 1,
		SchemaVersion: schema, Destination: officeKey})
	require.NoError(t, err)
	for _, r := range records {
		require.NoError(t, w.AddRecord(r))
	}
	_, err = w.Close()
	require.NoError(t, err)
	return path
}

// A phone is a field of schema 3: a bundle that declares schema 2 may not
// carry one (an office of the previous version would not know it), and
// one that declares 3 brings it in.
func TestAPhoneComesOnlyInABundleOfSchema3(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	officeKey, err := service.StoreOf(office).Meta(ctx, service.MetaKeyID)
	require.NoError(t, err)
	in, err := exampleRecord(t)
	require.NoError(t, err)
	in.People[0].Phone = "+998 (90) 123-45-67"
	in.Organisations[0].Phone = "+7 727 250 00 00"
	require.NoError(t, service.StoreOf(post).Save(ctx, in, "test"))
	var line []byte
	require.NoError(t, service.StoreOf(post).PendingVersions(ctx, func(_ store.VersionRef, c []byte) error { line = c; return nil }))
	require.Contains(t, string(line), `"phone":"+998 (90) 123-45-67"`)

	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	for _, schema := range []int{1, 2} {
		before := storetest.Dump(t, office.Dir)
		_, err = office.Import(ctx, craftSchema(t, post, officeKey, schema, line), nil)
		var errs record.Errors
		require.ErrorAs(t, err, &errs, "schema %d", schema)
		var paths []string
		for _, e := range errs {
			assert.Equal(t, record.ErrNotInSchema, e.Key, "%s", e)
			paths = append(paths, e.Path)
		}
		assert.ElementsMatch(t, []string{"people[0].phone", "organisations[0].phone"}, paths)
		assert.Contains(t, cat.For("en").Error(err), fmt.Sprintf("people[0].phone is not a field of records of schema %d", schema))
		assert.Equal(t, before, storetest.Dump(t, office.Dir), "the office is as it was")
	}

	res, err := office.Import(ctx, craftSchema(t, post, officeKey, 3, line), nil)
	require.NoError(t, err)
	assert.Equal(t, 1, res.New)
	cur, err := office.Get(ctx, in.Ref())
	require.NoError(t, err)
	assert.Equal(t, "+998 (90) 123-45-67", cur.Record.People[0].Phone)
	assert.Equal(t, "+7 727 250 00 00", cur.Record.Organisations[0].Phone)
	require.NoError(t, office.Verify(ctx))
}

// The JSON intake takes a phone of a person and of an organisation, and
// trims the spaces around it.
func TestTheIntakeTakesAPhone(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	m := exampleMap(t)
	m["people"].([]any)[0].(map[string]any)["phone"] = " +998 90 123 45 67 "
	m["organisations"].([]any)[0].(map[string]any)["phone"] = "8 (727) 250.00.00"
	res, err := post.AddJSON(ctx, bytes.NewReader(marshal(t, m)), service.Intake{})
	require.NoError(t, err)
	require.Len(t, res.Added, 1)
	cur, err := post.Get(ctx, res.Added[0].Ref())
	require.NoError(t, err)
	assert.Equal(t, "+998 90 123 45 67", cur.Record.People[0].Phone)
	assert.Equal(t, "8 (727) 250.00.00", cur.Record.Organisations[0].Phone)
}
