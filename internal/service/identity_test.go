package service_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
)

// posts is an office and two posts it trusts: Dostyk, whose records are
// genuine, and Khorgos, which tries to claim, block or shadow them.
type posts struct {
	office, genuine, squatter *service.Service
	officeKey                 string
}

func newPosts(t *testing.T) *posts {
	t.Helper()
	ps := &posts{
		office:   initFolder(t, "KZ-ALM", "Алматы", true),
		genuine:  initFolder(t, "KZ-DOS", "Достык", false),
		squatter: initFolder(t, "KZ-KHO", "Хоргос", false),
	}
	trustEachOther(t, ps.genuine, ps.office)
	trustEachOther(t, ps.squatter, ps.office)
	var err error
	ps.officeKey, err = service.StoreOf(ps.office).Meta(context.Background(), service.MetaKeyID)
	require.NoError(t, err)
	return ps
}

// addExample adds the example record at post, with an id of the caller's
// choosing (uuid.Nil: the store makes one), and returns its stored form.
func addRecord(t *testing.T, post *service.Service, id uuid.UUID) []byte {
	t.Helper()
	ctx := context.Background()
	in, err := exampleRecord(t)
	require.NoError(t, err)
	p, err := post.Post(ctx)
	require.NoError(t, err)
	in.ID, in.PostCode = id, p.Code
	require.NoError(t, service.StoreOf(post).Save(ctx, in, "test"))
	var line []byte
	require.NoError(t, service.StoreOf(post).PendingVersions(ctx, func(ref store.VersionRef, c []byte) error {
		if ref.ID == in.ID.String() {
			line = c
		}
		return nil
	}))
	return line
}

func exampleRecord(t *testing.T) (*record.Interdiction, error) {
	t.Helper()
	var in record.Interdiction
	err := jsonDecode(marshal(t, exampleMap(t)), &in)
	return &in, err
}

// forge writes a bundle signed by post's key, as a post whose program was
// changed would, claiming device and carrying records.
func forge(t *testing.T, post *service.Service, officeKey, device string, records ...[]byte) string {
	t.Helper()
	ctx := context.Background()
	p, err := post.Post(ctx)
	require.NoError(t, err)
	key, err := post.SigningKey()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "forged.kordon")
	w, err := bundle.Create(path, bundle.Options{Key: key, Post: p.Code, DeviceID: device, Sequence: 1,
		SchemaVersion: record.SchemaVersion, Destination: officeKey})
	require.NoError(t, err)
	for _, r := range records {
		require.NoError(t, w.AddRecord(r))
	}
	_, err = w.Close()
	require.NoError(t, err)
	return path
}

// asSquatter rewrites a genuine record line as the squatter's own.
func asSquatter(t *testing.T, line []byte, squatter *service.Service) []byte {
	t.Helper()
	p, err := squatter.Post(context.Background())
	require.NoError(t, err)
	return editRecord(t, line, func(in *record.Interdiction) {
		in.Origin, in.PostCode, in.Number = p.DeviceID, p.Code, p.Code+"-2026-0001"
		in.Remarks = "Запись Хоргоса с чужим идентификатором."
	})
}

func exportTo(t *testing.T, post *service.Service) string {
	t.Helper()
	res, err := post.Export(context.Background(), service.ExportOptions{Out: t.TempDir(), Plain: true}, nil)
	require.NoError(t, err)
	return res.Path
}

func TestASquatterCannotClaimAnIDItDidNotMake(t *testing.T) {
	ctx := context.Background()
	ps := newPosts(t)
	line := addRecord(t, ps.genuine, uuid.Nil)
	genuine := exportTo(t, ps.genuine)
	sq, err := ps.squatter.Post(ctx)
	require.NoError(t, err)

	// The squatter's own program refuses the genuine id…
	in, err := exampleRecord(t)
	require.NoError(t, err)
	var got record.Interdiction
	require.NoError(t, jsonDecode(line, &got))
	in.ID, in.PostCode = got.ID, sq.Code
	assert.ErrorIs(t, service.StoreOf(ps.squatter).Save(ctx, in, "test"), store.ErrNotOwner)

	// …and a changed program's bundle reaches the office first, with an alarm.
	forged := forge(t, ps.squatter, ps.officeKey, sq.DeviceID, asSquatter(t, line, ps.squatter))
	before := storetest.Dump(t, ps.office.Dir)
	_, err = ps.office.Import(ctx, forged, nil)
	assert.ErrorIs(t, err, service.ErrClaimedID)
	assert.Equal(t, before, storetest.Dump(t, ps.office.Dir))

	res, err := ps.office.Import(ctx, genuine, nil)
	require.NoError(t, err, "the genuine post's bundle is never blocked")
	assert.Equal(t, 1, res.New)
	assert.Empty(t, res.Alarms)
}

func TestARecordIDSharedFromBeforeIDsWereBoundKeepsBothAndRaisesAnAlarm(t *testing.T) {
	ctx := context.Background()
	for _, squatterFirst := range []bool{true, false} {
		ps := newPosts(t)
		legacy := uuid.New() // made before record ids named their device
		line := addRecord(t, ps.genuine, legacy)
		genuine := exportTo(t, ps.genuine)
		sq, err := ps.squatter.Post(ctx)
		require.NoError(t, err)
		forged := forge(t, ps.squatter, ps.officeKey, sq.DeviceID, asSquatter(t, line, ps.squatter))

		first, second := genuine, forged
		if squatterFirst {
			first, second = forged, genuine
		}
		res, err := ps.office.Import(ctx, first, nil)
		require.NoError(t, err)
		assert.Empty(t, res.Alarms)
		res, err = ps.office.Import(ctx, second, nil)
		require.NoError(t, err, "neither bundle is refused")
		require.Len(t, res.Alarms, 1)
		assert.Equal(t, "service.alarm.shared_id", res.Alarms[0].Key)

		_, err = ps.office.Resolve(ctx, legacy.String())
		if err == nil {
			_, err = ps.office.Get(ctx, legacy.String())
		}
		assert.ErrorIs(t, err, store.ErrAmbiguous, "an id two devices share names neither")
		for number, remarks := range map[string]string{"KZ-DOS-2026-0001": "Водитель от объяснений отказался.", "KZ-KHO-2026-0001": "Запись Хоргоса с чужим идентификатором."} {
			ref, err := ps.office.Resolve(ctx, number)
			require.NoError(t, err)
			cur, err := ps.office.Get(ctx, ref)
			require.NoError(t, err)
			assert.Equal(t, remarks, cur.Record.Remarks, "each post's record is found by its number")
		}
		require.NoError(t, ps.office.Verify(ctx))
	}
}

func TestAKeySpeaksForOneDevice(t *testing.T) {
	ctx := context.Background()
	ps := newPosts(t)
	line := addRecord(t, ps.genuine, uuid.Nil)
	_, err := ps.office.Import(ctx, exportTo(t, ps.genuine), nil)
	require.NoError(t, err)
	gen, err := ps.genuine.Post(ctx)
	require.NoError(t, err)

	// The squatter's key signs a bundle in the name of the genuine device.
	impostor := editRecord(t, line, func(in *record.Interdiction) {
		in.PostCode, in.Number, in.ID = "KZ-KHO", "KZ-KHO-2026-0001", record.NewID(gen.DeviceID)
	})
	forged := forge(t, ps.squatter, ps.officeKey, gen.DeviceID, impostor)
	before := storetest.Dump(t, ps.office.Dir)
	_, err = ps.office.Import(ctx, forged, nil)
	assert.ErrorIs(t, err, service.ErrImpersonation)
	assert.Equal(t, before, storetest.Dump(t, ps.office.Dir))
}

func TestANumberOfAnotherPostIsRefused(t *testing.T) {
	ctx := context.Background()
	ps := newPosts(t)
	sq, err := ps.squatter.Post(ctx)
	require.NoError(t, err)
	line := addRecord(t, ps.squatter, uuid.Nil)
	shadow := editRecord(t, line, func(in *record.Interdiction) { in.Number = "KZ-DOS-2026-0001" })
	forged := forge(t, ps.squatter, ps.officeKey, sq.DeviceID, shadow)
	before := storetest.Dump(t, ps.office.Dir)
	_, err = ps.office.Import(ctx, forged, nil)
	var errs record.Errors
	require.ErrorAs(t, err, &errs)
	assert.Equal(t, "number", errs[0].Path)
	assert.Equal(t, before, storetest.Dump(t, ps.office.Dir))
}

func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }
