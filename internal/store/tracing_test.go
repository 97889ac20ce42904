package store_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// traced is a saved record of a firearm, a barrel and a box of
// ammunition, with the firearm's and the barrel's ids.
func traced(t *testing.T, s *store.Store, at time.Time) (*record.Interdiction, string, string) {
	t.Helper()
	in := sample()
	in.OccurredAt = at
	in.Items = append(in.Items,
		record.Item{Kind: record.KindPart, Quantity: 1, Part: &record.Part{Type: "barrel", Serials: []record.Serial{{Number: "B-77", State: "intact"}}}},
		record.Item{Kind: record.KindAmmunition, Quantity: 1, Ammunition: &record.Ammunition{Calibre: record.Calibre{Code: "7.62x39"}, Rounds: 30}})
	require.NoError(t, s.Save(ctx, in, "officer"))
	return in, in.Items[0].ID.String(), in.Items[1].ID.String()
}

func TestATraceIsKeptBesideTheRecordAndAudited(t *testing.T) {
	s, dir := open(t)
	in, gun, _ := traced(t, s, now.Add(-48*time.Hour))
	ref := store.Ref(in.Origin, in.ID.String())

	refs, isTraced, err := s.ItemRecords(ctx, gun)
	require.NoError(t, err)
	assert.Equal(t, []string{ref}, refs)
	assert.Equal(t, []bool{true}, isTraced)
	_, isTraced, err = s.ItemRecords(ctx, in.Items[2].ID.String())
	require.NoError(t, err)
	assert.Equal(t, []bool{false}, isTraced, "ammunition is found, not traced")

	st, err := s.Trace(ctx, ref, gun)
	require.NoError(t, err)
	assert.Nil(t, st, "nothing recorded yet")

	sent := &tracing.Trace{Status: tracing.RequestSent, Requests: []tracing.Request{{To: "RU", Channel: "bilateral", Reference: "R-1", Sent: "2026-02-11", Due: "2026-03-11"}}}
	st, err = s.PutTrace(ctx, ref, gun, 0, sent, "analyst")
	require.NoError(t, err)
	assert.Equal(t, 1, st.Version)
	_, err = s.PutTrace(ctx, ref, gun, 0, sent, "analyst")
	assert.ErrorIs(t, err, store.ErrTraceStale, "a second analyst working from the same state")
	_, err = s.PutTrace(ctx, ref, in.Items[2].ID.String(), 0, sent, "analyst")
	assert.ErrorIs(t, err, store.ErrNotTraced)

	answered := sent.Clone()
	answered.Status, answered.Requests[0].Answered = tracing.AnswerInsufficient, "2026-02-20"
	_, err = s.PutTrace(ctx, ref, gun, 1, answered, "analyst 2")
	require.NoError(t, err)
	h, err := s.TraceHistory(ctx, ref, gun)
	require.NoError(t, err)
	require.Len(t, h, 2)
	assert.Equal(t, sent, h[0].Trace)
	assert.Equal(t, answered, h[1].Trace)
	assert.Equal(t, "analyst 2", h[1].Actor)

	cur, err := s.Get(ctx, ref)
	require.NoError(t, err)
	assert.Equal(t, 1, cur.Record.Version, "the post's record is not touched")
	require.NoError(t, s.Verify(ctx), "each state is in the audit chain")

	// A new version that keeps the item keeps it on the work list; one
	// that drops it takes it off, its trace kept.
	count := func() (traced, insufficient int) {
		l, err := s.TraceList(ctx, view.TraceFilter{})
		require.NoError(t, err)
		return l.Traced, l.ByStatus[tracing.AnswerInsufficient]
	}
	in.Narrative = "Оружие обнаружено в тайнике под полом кузова (уточнено)."
	require.NoError(t, s.Save(ctx, in, "officer"))
	traced, insufficient := count()
	assert.Equal(t, []int{2, 1}, []int{traced, insufficient})
	in.Items = in.Items[1:]
	require.NoError(t, s.Save(ctx, in, "officer"))
	traced, insufficient = count()
	assert.Equal(t, []int{1, 0}, []int{traced, insufficient})
	h, err = s.TraceHistory(ctx, ref, gun)
	require.NoError(t, err)
	assert.Len(t, h, 2)
	require.NoError(t, s.Verify(ctx))

	require.NoError(t, s.Close())

	// A state changed behind the program's back is found.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	require.NoError(t, err)
	for _, q := range []string{"DROP TRIGGER trace_versions_append_only_u",
		`UPDATE trace_versions SET body = replace(body, '"RU"', '"UA"') WHERE version = 1`} {
		_, err = db.Exec(q)
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	assert.ErrorIs(t, s.Verify(ctx), store.ErrAuditBroken)
}

func TestATraceChangedOnlyInTheWorkListIsFound(t *testing.T) {
	s, dir := open(t)
	in, gun, _ := traced(t, s, now.Add(-48*time.Hour))
	ref := store.Ref(in.Origin, in.ID.String())
	_, err := s.PutTrace(ctx, ref, gun, 0, &tracing.Trace{Status: tracing.NotTraceable, Reason: "obliterated"}, "analyst")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	db := storetest.Open(t, dir)
	_, err = db.Exec("UPDATE traces SET status = 'established_tracing'") // the counting trigger follows
	require.NoError(t, err)
	require.NoError(t, db.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	assert.ErrorIs(t, s.Verify(ctx), store.ErrAuditBroken)
}

func TestTheWorkListsCountsChangedAreFound(t *testing.T) {
	s, dir := open(t)
	in, gun, _ := traced(t, s, now.Add(-48*time.Hour))
	_, err := s.PutTrace(ctx, store.Ref(in.Origin, in.ID.String()), gun, 0, &tracing.Trace{Status: tracing.NotTraceable, Reason: "obliterated"}, "analyst")
	require.NoError(t, err)
	require.NoError(t, s.Verify(ctx))
	require.NoError(t, s.Close())
	db := storetest.Open(t, dir)
	_, err = db.Exec("UPDATE trace_counts SET n = n + 5 WHERE live = 1 AND status = 'request_sent'")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	assert.ErrorIs(t, s.Verify(ctx), store.ErrAuditBroken)
}

func TestTheWorkListPutsOverdueRequestsFirst(t *testing.T) {
	s, _ := open(t)
	put := func(in *record.Interdiction, item string, tr *tracing.Trace) {
		t.Helper()
		_, err := s.PutTrace(ctx, store.Ref(in.Origin, in.ID.String()), item, 0, tr, "analyst")
		require.NoError(t, err)
	}
	req := func(due string) []tracing.Request {
		return []tracing.Request{{To: "RU", Channel: "iarms", Sent: "2026-01-05", Due: due}}
	}
	old, oldGun, oldBarrel := traced(t, s, now.Add(-30*24*time.Hour))
	mid, midGun, midBarrel := traced(t, s, now.Add(-20*24*time.Hour))
	newest, _, _ := traced(t, s, now.Add(-24*time.Hour))
	put(old, oldGun, &tracing.Trace{Status: tracing.RequestSent, Requests: req("2026-02-01")})    // overdue, later
	put(old, oldBarrel, &tracing.Trace{Status: tracing.RequestSent, Requests: req("2026-01-20")}) // overdue, earlier
	put(mid, midGun, &tracing.Trace{Status: tracing.RequestSent, Requests: req("2099-01-01")})    // due later
	put(mid, midBarrel, &tracing.Trace{Status: tracing.EstablishedAuthority})
	today := "2026-02-15"

	all, err := s.TraceList(ctx, view.TraceFilter{Today: today})
	require.NoError(t, err)
	assert.Equal(t, 6, all.Traced, "a firearm and a barrel in each of three records; ammunition is not traced")
	assert.Equal(t, 2, all.Overdue)
	assert.Equal(t, map[string]int{tracing.RequestSent: 3, tracing.EstablishedAuthority: 1, tracing.NotAttempted: 2,
		tracing.NotTraceable: 0, tracing.AnswerInsufficient: 0, tracing.EstablishedTracing: 0}, all.ByStatus, "every status, counted")
	var order []string
	for _, it := range all.Items {
		order = append(order, it.Number+"#"+string(rune('0'+it.Item))+" "+it.Status)
	}
	assert.Equal(t, []string{
		old.Number + "#2 request_sent", old.Number + "#1 request_sent", // overdue, earliest due first
		mid.Number + "#1 request_sent", // open, due later
		newest.Number + "#1 not_attempted", newest.Number + "#2 not_attempted",
		mid.Number + "#2 established_authority",
	}, order)
	assert.True(t, all.Items[0].Overdue)
	assert.False(t, all.Items[2].Overdue)
	assert.Equal(t, "Izhmash", all.Items[3].Make)
	assert.Equal(t, "ХА 1234-56", all.Items[3].Serial)
	assert.Equal(t, "B-77", all.Items[4].Serial)
	assert.Equal(t, "part.barrel", all.Items[4].Category)

	overdue, err := s.TraceList(ctx, view.TraceFilter{Today: today, Overdue: true})
	require.NoError(t, err)
	assert.Len(t, overdue.Items, 2)
	assert.Equal(t, 2, overdue.Matched)
	none, err := s.TraceList(ctx, view.TraceFilter{Today: today, Status: tracing.NotAttempted, Limit: 1})
	require.NoError(t, err)
	require.Len(t, none.Items, 1)
	assert.Equal(t, newest.Number, none.Items[0].Number, "newest first")
	assert.Equal(t, 2, none.Matched)
	first, err := s.TraceList(ctx, view.TraceFilter{Today: today, Limit: 3})
	require.NoError(t, err)
	assert.Len(t, first.Items, 3)

	// A record deleted leaves the work list, its traces kept.
	require.NoError(t, s.Delete(ctx, old.ID.String(), "officer"))
	all, err = s.TraceList(ctx, view.TraceFilter{Today: today})
	require.NoError(t, err)
	assert.Equal(t, 4, all.Traced)
	assert.Equal(t, 0, all.Overdue)
	require.NoError(t, s.Verify(ctx))
}

func TestTrainingWeaponsAreListedOnlyWhenAskedFor(t *testing.T) {
	s, _ := open(t)
	real, _, _ := traced(t, s, now.Add(-48*time.Hour))
	drill := sample()
	drill.Training = true
	require.NoError(t, s.Save(ctx, drill, "demo"))
	_, err := s.PutTrace(ctx, store.Ref(drill.Origin, drill.ID.String()), drill.Items[0].ID.String(), 0,
		&tracing.Trace{Status: tracing.NotTraceable, Reason: "craft_made"}, "demo")
	require.NoError(t, err)
	for _, tc := range []struct {
		training      bool
		traced, ended int
		numbers       []string
	}{
		{false, 2, 0, []string{real.Number, real.Number}},
		{true, 3, 1, []string{real.Number, real.Number, drill.Number}},
	} {
		l, err := s.TraceList(ctx, view.TraceFilter{Training: tc.training})
		require.NoError(t, err)
		assert.Equal(t, tc.traced, l.Traced)
		assert.Equal(t, tc.ended, l.ByStatus[tracing.NotTraceable])
		var numbers []string
		for _, it := range l.Items {
			numbers = append(numbers, it.Number)
		}
		assert.Equal(t, tc.numbers, numbers)
	}
	require.NoError(t, s.Verify(ctx))
}

// A weapon taken off the work list, or a serial changed in the items the
// list reads, behind the program's back, is found by the audit.
func TestItemsChangedBehindTheProgramAreFound(t *testing.T) {
	for _, q := range []string{
		"UPDATE items SET traced = 0 WHERE idx = 0",
		"UPDATE items SET serial = 'FAKE' WHERE idx = 0",
		"UPDATE items SET item_id = '00000000-0000-4000-8000-000000000000' WHERE idx = 1",
		"DELETE FROM items WHERE idx = 2",
	} {
		t.Run(q, func(t *testing.T) {
			s, dir := open(t)
			traced(t, s, now.Add(-48*time.Hour))
			require.NoError(t, s.Verify(ctx))
			require.NoError(t, s.Close())
			db := storetest.Open(t, dir)
			_, err := db.Exec(q)
			require.NoError(t, err)
			require.NoError(t, db.Close())
			s, err = store.Open(dir)
			require.NoError(t, err)
			defer s.Close()
			assert.ErrorIs(t, s.Verify(ctx), store.ErrAuditBroken)
		})
	}
}
