package store_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
)

// exportAll collects what the next bundle would carry and notes it exported.
func exportAll(t *testing.T, s *store.Store) [][]byte {
	t.Helper()
	seq, prev, auditFrom, err := s.NextExport(ctx)
	require.NoError(t, err)
	var refs []store.VersionRef
	var contents [][]byte
	require.NoError(t, s.PendingVersions(ctx, func(ref store.VersionRef, content []byte) error {
		refs = append(refs, ref)
		contents = append(contents, content)
		return nil
	}))
	var last int64
	require.NoError(t, s.AuditSince(ctx, auditFrom, func(e store.AuditEntry) error { last = e.Seq; return nil }))
	if len(refs) > 0 {
		require.NoError(t, s.RecordExport(ctx, store.OutBundle{Seq: seq, BundleID: "b" + string(rune('0'+seq)), ManifestHash: prev + "x", Created: now, File: "f", AuditTo: last}, refs, nil, "officer"))
	}
	return contents
}

func TestExportCarriesEachFinalVersionOnce(t *testing.T) {
	s, _ := open(t)
	a := sample()
	draft := sample()
	draft.Status = record.StatusDraft
	training := sample()
	training.Training = true
	require.NoError(t, s.Save(ctx, a, "officer"))
	require.NoError(t, s.Save(ctx, draft, "officer"))
	require.NoError(t, s.Save(ctx, training, "officer"))

	pending, err := s.PendingCount(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, pending, "drafts and training records are not counted")
	first := exportAll(t, s)
	assert.Len(t, first, 1, "drafts and training records stay at the post")
	assert.Empty(t, exportAll(t, s), "nothing new")
	pending, err = s.PendingCount(ctx)
	require.NoError(t, err)
	assert.Zero(t, pending)

	a.Remarks = "version 2"
	require.NoError(t, s.Save(ctx, a, "officer"))
	second := exportAll(t, s)
	require.Len(t, second, 1)
	var v2 record.Interdiction
	require.NoError(t, json.Unmarshal(second[0], &v2))
	assert.Equal(t, 2, v2.Version)

	bundles, err := s.Bundles(ctx)
	require.NoError(t, err)
	require.Len(t, bundles, 2)
	assert.Equal(t, int64(2), bundles[0].Seq)

	n, err := s.Acknowledge(ctx, map[int64]string{1: bundles[1].ManifestHash}, now, "officer")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = s.Acknowledge(ctx, map[int64]string{2: "forged"}, now, "officer")
	assert.ErrorIs(t, err, store.ErrConflict)
	require.NoError(t, s.Verify(ctx))
}

func TestImportKeepsOriginAndRefusesConflicts(t *testing.T) {
	post, _ := open(t)
	in := sample()
	require.NoError(t, post.Save(ctx, in, "officer"))
	v1 := exportAll(t, post)
	in.Remarks = "second version"
	require.NoError(t, post.Save(ctx, in, "officer"))
	v2 := exportAll(t, post)

	office, officeDir := open(t)
	require.NoError(t, office.SetMeta(ctx, map[string]string{store.MetaDeviceID: "office"}))
	importAll := func(contents ...[]byte) (*store.Importer, error) {
		var got *store.Importer
		err := office.Import(ctx, "analyst", func(im *store.Importer) error {
			got = im
			for _, c := range contents {
				if err := im.Version(ctx, c, "device-A", "KZ-DOS"); err != nil {
					return err
				}
			}
			return nil
		})
		return got, err
	}
	im, err := importAll(v1[0])
	require.NoError(t, err)
	assert.Equal(t, 1, im.New)
	im, err = importAll(v1[0], v2[0])
	require.NoError(t, err)
	assert.Equal(t, 1, im.New)
	assert.Equal(t, 1, im.Known)

	cur, err := office.Get(ctx, in.ID.String())
	require.NoError(t, err)
	assert.Equal(t, "device-A", cur.Record.Origin, "records keep their origin")
	assert.Equal(t, 2, cur.Record.Version)
	hist, err := office.History(ctx, in.ID.String())
	require.NoError(t, err)
	assert.Len(t, hist, 2)
	hits, err := office.Search(ctx, "ХА 1234-56")
	require.NoError(t, err)
	assert.Len(t, hits, 1)
	require.NoError(t, office.Verify(ctx))

	// The office cannot change a post's record.
	assert.ErrorIs(t, office.Save(ctx, cur.Record, "analyst"), store.ErrNotOwner)

	before := storetest.Dump(t, officeDir)
	var forged record.Interdiction
	require.NoError(t, json.Unmarshal(v2[0], &forged))
	forged.Remarks = "changed on the way"
	changed, _ := json.Marshal(&forged)
	_, err = importAll(changed)
	assert.ErrorIs(t, err, store.ErrConflict)

	spaced := append([]byte(" "), v2[0]...)
	_, err = importAll(spaced)
	assert.ErrorIs(t, err, store.ErrNonCanonical)

	forged.Version, forged.Status = 3, record.StatusDraft
	draft, _ := json.Marshal(&forged)
	_, err = importAll(draft)
	assert.ErrorIs(t, err, store.ErrNotFinal)
	assert.Equal(t, before, storetest.Dump(t, officeDir), "refused imports change nothing")
}

func TestTrustAndRevoke(t *testing.T) {
	s, _ := open(t)
	k := store.TrustedKey{KeyID: "abcd", PublicKey: "file", PostCode: "KZ-DOS", Name: "Достык", Fingerprint: "ABCD-EFGH"}
	require.NoError(t, s.Trust(ctx, k, "analyst"))
	assert.ErrorIs(t, s.Trust(ctx, k, "analyst"), store.ErrKeyKnown)
	got, err := s.Key(ctx, "abcd")
	require.NoError(t, err)
	assert.Nil(t, got.Revoked)
	require.NoError(t, s.Revoke(ctx, "abcd", "analyst"))
	got, err = s.Key(ctx, "abcd")
	require.NoError(t, err)
	require.NotNil(t, got.Revoked)
	assert.ErrorIs(t, s.Trust(ctx, k, "analyst"), store.ErrKeyKnown, "a revoked key is never trusted again")
	assert.ErrorIs(t, s.Revoke(ctx, "abcd", "analyst"), store.ErrNotFound)
	_, err = s.Key(ctx, "none")
	assert.ErrorIs(t, err, store.ErrNotFound)
	require.NoError(t, s.Verify(ctx))
}

func TestImportedAuditMustLinkToWhatTheOfficeHolds(t *testing.T) {
	post, _ := open(t)
	for i := 0; i < 4; i++ {
		require.NoError(t, post.Save(ctx, sample(), "officer"))
	}
	var lines [][]byte
	require.NoError(t, post.AuditSince(ctx, 1, func(e store.AuditEntry) error {
		b, err := json.Marshal(e)
		lines = append(lines, b)
		return err
	}))
	require.Len(t, lines, 4)
	office, dir := open(t)
	require.NoError(t, office.SetMeta(ctx, map[string]string{store.MetaDeviceID: "office"}))
	keep := func(ls ...[]byte) error {
		return office.Import(ctx, "analyst", func(im *store.Importer) error {
			for _, l := range ls {
				if err := im.Audit(ctx, "device-A", l); err != nil {
					return err
				}
			}
			return nil
		})
	}
	require.NoError(t, keep(lines[0], lines[1]))
	require.NoError(t, keep(lines[3]), "a later entry may arrive before the one it follows")
	require.NoError(t, keep(lines[1], lines[2]), "and the gap fills, linking both ways")

	// A history rewritten at the post: entry 3 changed and its hash made
	// again, so it no longer links to what the office holds.
	before := storetest.Dump(t, dir)
	var e store.AuditEntry
	require.NoError(t, json.Unmarshal(lines[2], &e))
	e.Actor = "someone else"
	forged, _ := json.Marshal(e)
	assert.ErrorIs(t, keep(forged), store.ErrConflict, "its hash no longer matches its content")

	post2, _ := open(t)
	for i := 0; i < 5; i++ {
		require.NoError(t, post2.Save(ctx, sample(), "officer"))
	}
	require.NoError(t, post2.AuditSince(ctx, 5, func(e store.AuditEntry) error {
		b, _ := json.Marshal(e)
		assert.ErrorIs(t, keep(b), store.ErrConflict, "a rewritten chain does not link to the entry the office holds")
		return nil
	}))
	assert.Equal(t, before, storetest.Dump(t, dir))
}
