package store_test

import (
	"bytes"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
)

// testKey signs checkpoints in tests.
type testKey struct{ priv ed25519.PrivateKey }

func newTestKey(seed byte) *testKey {
	return &testKey{ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))}
}

func (k *testKey) KeyID() string {
	return fmt.Sprintf("test-key-%x", k.priv.Public().(ed25519.PublicKey)[:4])
}

func (k *testKey) Sign(prefix string, msg []byte) []byte {
	return ed25519.Sign(k.priv, append([]byte(prefix), msg...))
}

// keys finds k's public key, and knows no other.
func (k *testKey) keys(id string) (ed25519.PublicKey, error) {
	if id != k.KeyID() {
		return nil, nil
	}
	return k.priv.Public().(ed25519.PublicKey), nil
}

var signer = newTestKey(7)

// exportAll reserves the next bundle, collects what it carries and notes it
// finished.
func exportAll(t *testing.T, s *store.Store) [][]byte {
	t.Helper()
	b, err := s.Reserve(ctx, store.Reservation{BundleID: fmt.Sprintf("bundle-%d", time.Now().UnixNano()), Created: now, Destination: "office", File: "f"}, signer, "officer")
	if errors.Is(err, store.ErrNothingNew) {
		return nil
	}
	require.NoError(t, err)
	var contents [][]byte
	require.NoError(t, s.BundleVersions(ctx, b.Seq, func(content []byte) error {
		contents = append(contents, content)
		return nil
	}))
	require.NoError(t, s.Finish(ctx, b.Seq, fmt.Sprintf("manifest-%d", b.Seq), "f", "officer"))
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
	a.Remarks = "version 3"
	require.NoError(t, s.Save(ctx, a, "officer"))
	pending, err = s.PendingCount(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, pending, "one record waits, however many of its versions")
	second := exportAll(t, s)
	require.Len(t, second, 2, "each final version goes, once")
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
	_, err = s.VerifyWith(ctx, signer.keys)
	require.NoError(t, err)
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
				if err := im.Version(ctx, c, "device-A", "KZ-DOS", record.SchemaVersion); err != nil {
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
				if err := im.Audit(ctx, "device-A", l, nil); err != nil {
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

func TestCheckpointsAnchorTheChain(t *testing.T) {
	dir := t.TempDir()
	clock := now
	s, err := store.Open(dir, store.WithClock(func() time.Time { return clock }), store.WithSigner(signer))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.SetMeta(ctx, map[string]string{store.MetaDeviceID: "device-A", store.MetaPostCode: "KZ-DOS"}))
	entries := func() (checkpoints, all int) {
		t.Helper()
		rep, err := s.VerifyWith(ctx, signer.keys)
		require.NoError(t, err)
		return rep.Checkpoints, int(rep.Entries)
	}

	require.NoError(t, s.Save(ctx, sample(), "officer"))
	cps, all := entries()
	assert.Equal(t, [2]int{1, 2}, [2]int{cps, all}, "a chain never anchored is anchored by its first write")
	require.NoError(t, s.Save(ctx, sample(), "officer"))
	cps, all = entries()
	assert.Equal(t, [2]int{1, 3}, [2]int{cps, all}, "not again the same day")

	bad := sample()
	bad.Status = "approved"
	clock = clock.Add(store.CheckpointEvery + time.Hour)
	before := storetest.Dump(t, dir)
	assert.Error(t, s.Save(ctx, bad, "officer"))
	assert.Equal(t, before, storetest.Dump(t, dir), "a refused write leaves no checkpoint either")

	require.NoError(t, s.Save(ctx, sample(), "officer"))
	rep, err := s.VerifyWith(ctx, signer.keys)
	require.NoError(t, err)
	assert.Equal(t, int64(5), rep.Entries)
	assert.Equal(t, 2, rep.Checkpoints, "the first write of a new day is anchored")
	assert.Equal(t, int64(5), rep.LastCheckpoint)
	assert.Zero(t, rep.Unanchored())

	_, err = s.VerifyWith(ctx, newTestKey(9).keys)
	assert.ErrorIs(t, err, store.ErrBadCheckpoint, "a checkpoint is checked against its key")
	assert.ErrorIs(t, s.Verify(ctx), store.ErrCheckpointKey, "and never taken on trust")

	// The attack the checkpoint stops: triggers dropped, the first record
	// altered, and the whole chain hashed again.
	require.NoError(t, s.Close())
	behindTheBack(t, dir, func(db *sql.DB) {
		_, err := db.Exec("UPDATE versions SET content = replace(content, 'Иванов', 'Петров') WHERE rid = 1")
		require.NoError(t, err)
		rehash(t, db)
	})
	s, err = store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.VerifyWith(ctx, signer.keys)
	assert.ErrorIs(t, err, store.ErrBadCheckpoint, "a chain hashed again no longer matches the signed head")
	assert.Contains(t, fmt.Sprint(err), "seq=2")
}

// rehash makes every version's hash and the whole audit chain match what
// the rows now hold, as an attacker with the database file would.
func rehash(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query("SELECT rid, version, content FROM versions")
	require.NoError(t, err)
	type v struct {
		rid, version int64
		hash         string
	}
	var vs []v
	for rows.Next() {
		var x v
		var content []byte
		require.NoError(t, rows.Scan(&x.rid, &x.version, &content))
		x.hash = store.SHA256(content)
		vs = append(vs, x)
	}
	rows.Close()
	var id string
	for _, x := range vs {
		_, err := db.Exec("UPDATE versions SET hash = ? WHERE rid = ? AND version = ?", x.hash, x.rid, x.version)
		require.NoError(t, err)
		require.NoError(t, db.QueryRow("SELECT id FROM records WHERE rid = ?", x.rid).Scan(&id))
		_, err = db.Exec("UPDATE audit SET content_hash = ? WHERE record_id = ? AND version = ?", x.hash, id, x.version)
		require.NoError(t, err)
	}
	rows, err = db.Query("SELECT seq, at_utc, actor, action, record_id, version, content_hash FROM audit ORDER BY seq")
	require.NoError(t, err)
	var es []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		require.NoError(t, rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.RecordID, &e.Version, &e.ContentHash))
		es = append(es, e)
	}
	rows.Close()
	prev := ""
	for _, e := range es {
		e.Prev = prev
		e.Hash = store.EntryHash(e)
		_, err := db.Exec("UPDATE audit SET prev = ?, hash = ? WHERE seq = ?", e.Prev, e.Hash, e.Seq)
		require.NoError(t, err)
		prev = e.Hash
	}
}

func TestAuditSeesRowsChangedBehindTheProgramsBack(t *testing.T) {
	for _, c := range []struct {
		name string
		sql  []string
	}{
		{"a record hidden from the next bundle", []string{"UPDATE records SET training = 1"}},
		{"two numbers swapped", []string{"UPDATE records SET number = 'KZ-DOS-2026-0099' WHERE rid = 1"}},
		{"a record moved to another crossing point", []string{"UPDATE records SET crossing_point = 'Хоргос'"}},
		{"a trigger of someone's own", []string{"CREATE TRIGGER hide AFTER INSERT ON versions BEGIN UPDATE records SET training = 1 WHERE rid = NEW.rid; END"}},
		{"the append-only trigger dropped", []string{"DROP TRIGGER audit_append_only_d"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := open(t)
			require.NoError(t, s.Save(ctx, sample(), "officer"))
			require.NoError(t, s.Verify(ctx))
			for _, q := range c.sql {
				_, err := s.DB().Exec(q)
				require.NoError(t, err, q)
			}
			assert.ErrorIs(t, s.Verify(ctx), store.ErrAuditBroken)
			n, err := s.PendingCount(ctx)
			require.NoError(t, err)
			assert.Equal(t, 1, n, "the record still goes in the next bundle")
		})
	}
}

func TestAuditSeesACheckpointRemovedAfterItsBundle(t *testing.T) {
	s, dir := open(t)
	require.NoError(t, s.Save(ctx, sample(), "officer"))
	exportAll(t, s)
	require.NoError(t, s.Save(ctx, sample(), "officer"))
	_, err := s.VerifyWith(ctx, signer.keys)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// The attacker takes every checkpoint out and hashes the chain again.
	behindTheBack(t, dir, func(db *sql.DB) {
		_, err := db.Exec("DELETE FROM audit WHERE action = 'checkpoint'")
		require.NoError(t, err)
		renumber(t, db)
		rehash(t, db)
	})
	s, err = store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.VerifyWith(ctx, signer.keys)
	assert.ErrorIs(t, err, store.ErrAuditBroken, "the export ledger knows a checkpoint ended bundle 1")
	assert.Contains(t, fmt.Sprint(err), "bundle 1 ended with")
}

// behindTheBack changes the database in dir as an attacker with the file
// would: the triggers that guard the audit and the versions dropped, the
// change made, and the triggers put back exactly as they were.
func behindTheBack(t *testing.T, dir string, change func(db *sql.DB)) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(dir, store.FileName)))
	require.NoError(t, err)
	defer db.Close()
	rows, err := db.Query("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
	require.NoError(t, err)
	triggers := map[string]string{}
	for rows.Next() {
		var name, def string
		require.NoError(t, rows.Scan(&name, &def))
		triggers[name] = def
	}
	rows.Close()
	for name := range triggers {
		_, err := db.Exec("DROP TRIGGER " + name)
		require.NoError(t, err)
	}
	change(db)
	for _, def := range triggers {
		_, err := db.Exec(def)
		require.NoError(t, err, def)
	}
}

// renumber closes the gaps left by deleted audit entries.
func renumber(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query("SELECT seq FROM audit ORDER BY seq")
	require.NoError(t, err)
	var seqs []int64
	for rows.Next() {
		var seq int64
		require.NoError(t, rows.Scan(&seq))
		seqs = append(seqs, seq)
	}
	rows.Close()
	for i, seq := range seqs {
		_, err := db.Exec("UPDATE audit SET seq = ? WHERE seq = ?", i+1, seq)
		require.NoError(t, err)
	}
}

// The fields of an audit entry are hashed one after the other, each ended
// by a zero byte; fields holding that byte could pass text from one to the
// next and keep the hash, so such an entry is refused, as is one with a time
// not in the store's form or a name that turns the text around.
func TestAnAuditEntryWithAZeroByteIsRefused(t *testing.T) {
	office, dir := open(t)
	require.NoError(t, office.SetMeta(ctx, map[string]string{store.MetaDeviceID: "office"}))
	one := store.AuditEntry{Seq: 1, At: "2026-01-01T00:00:00.000000000Z", Actor: "officer\x00edit", Action: "create", RecordID: "r", Version: 1, ContentHash: "c"}
	other := one
	other.Actor, other.Action = "officer", "edit\x00create"
	one.Hash, other.Hash = store.EntryHash(one), store.EntryHash(other)
	require.Equal(t, one.Hash, other.Hash, "two different entries hash alike")
	before := storetest.Dump(t, dir)
	late := one
	late.Actor, late.At = "officer", "garbage"
	late.Hash = store.EntryHash(late)
	turned := one
	turned.Actor = "officer\u202eHTIMS"
	turned.Hash = store.EntryHash(turned)
	for _, e := range []store.AuditEntry{one, other, late, turned} {
		line, _ := json.Marshal(e)
		err := office.Import(ctx, "analyst", func(im *store.Importer) error { return im.Audit(ctx, "device-A", line, nil) })
		assert.ErrorIs(t, err, store.ErrConflict, "%q", e.Actor)
	}
	assert.Equal(t, before, storetest.Dump(t, dir))
}
