package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
)

var ctx = context.Background()

// now is the tests' clock: records from demo.New fall in 2025.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func open(t *testing.T) (*store.Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Open(dir, store.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.SetMeta(ctx, map[string]string{store.MetaDeviceID: "device-A", store.MetaPostCode: "KZ-DOS"}))
	return s, dir
}

// sample is a complete final record with one firearm.
func sample() *record.Interdiction {
	at := time.Date(2026, 2, 10, 9, 30, 0, 0, time.FixedZone("ALMT", 5*3600))
	return &record.Interdiction{
		Status:        record.StatusFinal,
		PostCode:      "KZ-DOS",
		Officers:      []record.Officer{{Name: "Қасымов Ерлан", Rank: "капитан"}},
		OccurredAt:    at,
		CrossingPoint: "Достык (авто)",
		LocationType:  "road",
		Direction:     "entry",
		Recovery:      "seized",
		LegalBasis:    "illicit_import",
		Detection:     []string{"xray"},
		Transport:     "truck",
		Conveyance:    &record.Conveyance{Plate: "777 ABC 02", Country: "KZ"},
		Narrative:     "Оружие обнаружено в тайнике под полом кузова.",
		People:        []record.Person{{Role: "driver", Name: "Иванов Пётр", NameLatin: "IVANOV PETR", DocumentNumber: "N1234567"}},
		Items: []record.Item{{
			Kind: record.KindFirearm, Quantity: 1,
			Firearm: &record.Firearm{
				Category: "assault_rifle", Make: "Izhmash", Model: "AKM",
				Calibre: record.Calibre{Code: "7.62x39", Stamped: "7,62"},
				Serials: []record.Serial{{Part: "frame", Number: "ХА 1234-56", State: "intact"}},
			},
		}},
	}
}

func TestSaveAssignsIdentityNumberAndVersion(t *testing.T) {
	s, _ := open(t)
	in := sample()
	require.NoError(t, s.Save(ctx, in, "officer"))
	assert.NotEqual(t, uuid.Nil, in.ID)
	assert.Equal(t, "KZ-DOS-2026-0001", in.Number)
	assert.Equal(t, 1, in.Version)
	assert.Equal(t, "device-A", in.Origin)

	got, err := s.Get(ctx, in.ID.String())
	require.NoError(t, err)
	assert.Equal(t, in.Number, got.Record.Number)
	assert.Equal(t, "ХА 1234-56", got.Record.Items[0].Firearm.Serials[0].Number)
	assert.True(t, got.Record.OccurredAt.Equal(in.OccurredAt))
	h, err := in.Hash()
	require.NoError(t, err)
	assert.Equal(t, h, got.Hash, "stored hash is the record's content hash")
}

func TestNumberingPerPostAndYear(t *testing.T) {
	s, _ := open(t)
	cases := []struct {
		post     string
		training bool
		year     int
		want     string
	}{
		{"KZ-DOS", false, 2026, "KZ-DOS-2026-0001"},
		{"KZ-DOS", false, 2026, "KZ-DOS-2026-0002"},
		{"KZ-DOS", false, 2025, "KZ-DOS-2025-0001"},
		{"KZ-KHO", true, 2026, "KZ-KHO-2026-0001"}, // a training office's records of several posts
		{"KZ-DOS", false, 2026, "KZ-DOS-2026-0003"},
	}
	for _, c := range cases {
		in := sample()
		in.PostCode, in.Training = c.post, c.training
		in.OccurredAt = time.Date(c.year, 1, 5, 10, 0, 0, 0, time.UTC)
		require.NoError(t, s.Save(ctx, in, "officer"))
		assert.Equal(t, c.want, in.Number)
	}
}

func TestANewRecordCannotChooseItsIdentity(t *testing.T) {
	s, dir := open(t)
	require.NoError(t, s.Save(ctx, sample(), "officer"))
	before := storetest.Dump(t, dir)
	for _, c := range []struct {
		name   string
		change func(in *record.Interdiction)
		path   string
		err    error
	}{
		{"a number given by hand", func(in *record.Interdiction) { in.Number = "KZ-DOS-2026-0002" }, "number", nil},
		{"another post's code", func(in *record.Interdiction) { in.PostCode = "KZ-KHO" }, "post_code", nil},
		{"another device as origin", func(in *record.Interdiction) { in.Origin = "device-B" }, "", store.ErrNotOwner},
		{"an id made by another device", func(in *record.Interdiction) { in.ID = record.NewID("device-B") }, "", store.ErrNotOwner},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := sample()
			c.change(in)
			err := s.Save(ctx, in, "officer")
			if c.err != nil {
				assert.ErrorIs(t, err, c.err)
			} else {
				var errs record.Errors
				require.ErrorAs(t, err, &errs)
				assert.Equal(t, c.path, errs[0].Path)
			}
			assert.Equal(t, before, storetest.Dump(t, dir))
		})
	}
	in := sample()
	require.NoError(t, s.Save(ctx, in, "officer"))
	assert.Equal(t, record.IDOfDevice, record.BindingOf(in.ID, "device-A"), "a new record's id names its device")
}

func TestDraftChangesInPlaceFinalGetsNewVersions(t *testing.T) {
	s, _ := open(t)
	in := sample()
	in.Status = record.StatusDraft
	in.Items = nil // a draft may be incomplete
	require.NoError(t, s.Save(ctx, in, "officer"))
	id := in.ID.String()

	in.Narrative = "уточнено"
	require.NoError(t, s.Save(ctx, in, "officer"))
	hist, err := s.History(ctx, id)
	require.NoError(t, err)
	require.Len(t, hist, 1, "a draft is edited in place")
	assert.Equal(t, "уточнено", hist[0].Record.Narrative)

	// Finalising applies the final rules: no items → refused.
	err = s.Finalise(ctx, id, "officer")
	var errs record.Errors
	require.ErrorAs(t, err, &errs)
	assert.Equal(t, "items", errs[0].Path)

	in.Items = sample().Items
	require.NoError(t, s.Save(ctx, in, "officer"))
	require.NoError(t, s.Finalise(ctx, id, "supervisor"))

	cur, err := s.Get(ctx, id)
	require.NoError(t, err)
	edit := cur.Record
	edit.Remarks = "исправлена опечатка"
	require.NoError(t, s.Save(ctx, edit, "supervisor"))
	assert.Equal(t, 2, edit.Version)

	hist, err = s.History(ctx, id)
	require.NoError(t, err)
	require.Len(t, hist, 2)
	assert.Equal(t, record.StatusFinal, hist[0].Record.Status)
	assert.Empty(t, hist[0].Record.Remarks, "version 1 is kept as it was")
	assert.Equal(t, "исправлена опечатка", hist[1].Record.Remarks)

	// The database itself refuses to change a final version in place.
	_, err = s.DB().Exec("UPDATE versions SET content = 'x' WHERE version = 1")
	assert.ErrorContains(t, err, "a final version never changes")

	entries, err := s.Audit(ctx, id)
	require.NoError(t, err)
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	assert.Equal(t, []string{store.ActionCreate, store.ActionEdit, store.ActionEdit, store.ActionFinalise, store.ActionVersion}, actions)
	require.NoError(t, s.Verify(ctx))
}

func TestSaveWithNothingNewWritesNothing(t *testing.T) {
	s, dir := open(t)
	in := sample()
	in.Status = record.StatusDraft
	require.NoError(t, s.Save(ctx, in, "officer"))
	before := storetest.Dump(t, dir)
	require.NoError(t, s.Save(ctx, in, "officer"))
	assert.Equal(t, before, storetest.Dump(t, dir), "an autosave without changes adds no audit entry")
}

func TestStaleEditRefused(t *testing.T) {
	s, _ := open(t)
	in := sample()
	require.NoError(t, s.Save(ctx, in, "a"))
	cur, err := s.Get(ctx, in.ID.String())
	require.NoError(t, err)
	stale := *cur.Record
	require.NoError(t, s.Save(ctx, cur.Record, "a")) // version 2
	stale.Remarks = "based on version 1"
	assert.ErrorIs(t, s.Save(ctx, &stale, "a"), store.ErrStaleVersion)
}

func TestDeleteIsATombstone(t *testing.T) {
	s, _ := open(t)
	in := sample()
	require.NoError(t, s.Save(ctx, in, "officer"))
	id := in.ID.String()
	require.NoError(t, s.Delete(ctx, id, "supervisor"))

	cur, err := s.Get(ctx, id)
	require.NoError(t, err)
	assert.True(t, cur.Deleted)
	hist, err := s.History(ctx, id)
	require.NoError(t, err)
	assert.Len(t, hist, 1, "versions stay")

	page, err := s.List(ctx, store.Filter{})
	require.NoError(t, err)
	assert.Empty(t, page.Records)
	hits, err := s.Search(ctx, "ХА1234")
	require.NoError(t, err)
	assert.Empty(t, hits)
	assert.ErrorIs(t, s.Save(ctx, cur.Record, "officer"), store.ErrDeleted)
	require.NoError(t, s.Verify(ctx))
}

func TestAddBatchIsAllOrNothing(t *testing.T) {
	s, dir := open(t)
	require.NoError(t, s.Save(ctx, sample(), "officer"))
	before := storetest.Dump(t, dir)

	bad := sample()
	bad.Items[0].Quantity = -2
	err := s.Add(ctx, []*record.Interdiction{sample(), bad, sample()}, "cli")
	var errs record.Errors
	require.ErrorAs(t, err, &errs)
	assert.Equal(t, "[1].items[0].quantity", errs[0].Path)
	assert.Equal(t, record.ErrNotPositive, errs[0].Key)
	assert.Equal(t, before, storetest.Dump(t, dir))

	dup := sample()
	require.NoError(t, s.Add(ctx, []*record.Interdiction{dup}, "cli"))
	before = storetest.Dump(t, dir)
	again := sample()
	again.ID = dup.ID
	err = s.Add(ctx, []*record.Interdiction{sample(), again}, "cli")
	assert.ErrorIs(t, err, store.ErrExists)
	assert.Equal(t, before, storetest.Dump(t, dir))
}

func TestPhotosAreContentAddressedAndChecked(t *testing.T) {
	s, dir := open(t)
	photo := []byte("\xff\xd8\xff\xe0 not really a jpeg, but bytes")
	sha := store.SHA256(photo)

	in := sample()
	in.Photos = []record.Photo{{SHA256: sha, Tag: "serial", Name: "IMG_0001.jpg"}}
	require.NoError(t, s.Save(ctx, in, "officer", photo))
	got, err := s.Media(ctx, sha)
	require.NoError(t, err)
	assert.Equal(t, photo, got)

	// A photo whose bytes were never given is refused, and nothing is written.
	before := storetest.Dump(t, dir)
	other := sample()
	other.Photos = []record.Photo{{SHA256: store.SHA256([]byte("missing"))}}
	assert.ErrorIs(t, s.Save(ctx, other, "officer"), store.ErrMissingMedia)
	assert.Equal(t, before, storetest.Dump(t, dir))

	// Bytes changed behind the store's back are detected on read.
	_, err = s.DB().Exec("UPDATE media SET data = ? WHERE sha256 = ?", []byte("changed"), sha)
	require.NoError(t, err)
	_, err = s.Media(ctx, sha)
	assert.ErrorIs(t, err, store.ErrMediaCorrupt)
}

func TestAuditChainDetectsTampering(t *testing.T) {
	cases := []struct {
		name string
		sql  []string
	}{
		{"audit entry edited", []string{"DROP TRIGGER audit_append_only_u", "UPDATE audit SET actor = 'someone else' WHERE seq = 2"}},
		{"audit entry removed", []string{"DROP TRIGGER audit_append_only_d", "DELETE FROM audit WHERE seq = 2"}},
		{"audit entries reordered", []string{"DROP TRIGGER audit_append_only_u", "UPDATE audit SET seq = seq + 100 WHERE seq IN (2, 3)", "UPDATE audit SET seq = 5 - (seq - 100) WHERE seq > 100"}},
		{"final version edited", []string{"DROP TRIGGER versions_final_locked", "UPDATE versions SET content = replace(content, 'AKM', 'AK-74')"}},
		{"deletion undone", []string{"UPDATE records SET deleted = 0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _ := open(t)
			for i := 0; i < 3; i++ {
				require.NoError(t, s.Save(ctx, sample(), "officer"))
			}
			if c.name == "deletion undone" {
				page, err := s.List(ctx, store.Filter{})
				require.NoError(t, err)
				require.NoError(t, s.Delete(ctx, page.Records[0].ID, "officer"))
			}
			require.NoError(t, s.Verify(ctx))
			for _, q := range c.sql {
				_, err := s.DB().Exec(q)
				require.NoError(t, err, q)
			}
			assert.ErrorIs(t, s.Verify(ctx), store.ErrAuditBroken)
		})
	}
}

func TestSaveNeedsAnInitialisedFolder(t *testing.T) {
	s, err := store.Open(t.TempDir())
	require.NoError(t, err)
	defer s.Close()
	assert.ErrorIs(t, s.Save(ctx, sample(), "x"), store.ErrNotInitialized)
}

func TestSearch(t *testing.T) {
	s, _ := open(t)
	a := sample()
	b := sample()
	b.People = []record.Person{{Role: "driver", Name: "Oʻrinov Jasur"}, {Role: "passenger", Name: "Şükürowa Gülnara"}}
	b.Items[0].Firearm.Serials[0].Number = "KT-778899"
	b.Conveyance.Plate = "01 A 123 BC"
	b.Narrative = "Пистолет спрятан в коробке с чаем."
	require.NoError(t, s.Save(ctx, a, "officer"))
	require.NoError(t, s.Save(ctx, b, "officer"))

	cases := []struct {
		query string
		want  []string
		// why is a match the first hit gives: field=value.
		why string
	}{
		{"ХА1234-56", []string{a.Number}, "items[0].firearm.serials[0].number=ХА 1234-56"},     // exact, as typed
		{"xa 123456", []string{a.Number}, "items[0].firearm.serials[0].number=ХА 1234-56"},     // Latin look-alikes, spaces
		{"123-45", []string{a.Number}, "items[0].firearm.serials[0].number=ХА 1234-56"},        // part of a serial
		{"778899", []string{b.Number}, "items[0].firearm.serials[0].number=KT-778899"},         // part, the other record
		{"ivanov", []string{a.Number}, "people[0].name=Иванов Пётр"},                           // Latin query, Cyrillic name
		{"ИВАНОВ", []string{a.Number}, "people[0].name=Иванов Пётр"},                           // case
		{"Иванов Петр", []string{a.Number}, "people[0].name=Иванов Пётр"},                      // ё/е and two words
		{"Ўринов", []string{b.Number}, "people[0].name=Oʻrinov Jasur"},                         // Cyrillic query, Latin name
		{"O'rinov", []string{b.Number}, "people[0].name=Oʻrinov Jasur"},                        // apostrophe variants
		{"Шукурова", []string{b.Number}, "people[1].name=Şükürowa Gülnara"},                    // Turkmen Latin ↔ Cyrillic
		{"01A123BC", []string{b.Number}, "conveyance.plate=01 A 123 BC"},                       // plate
		{"коробке с чаем", []string{b.Number}, "narrative=Пистолет спрятан в коробке с чаем."}, // narrative words
		{"N1234567", []string{a.Number}, "people[0].document_number=N1234567"},                 // document number
		{"Достык", []string{a.Number, b.Number}, "crossing_point=Достык (авто)"},               // place
		{"nothing like this", nil, ""},
		{"ab", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			hits, err := s.Search(ctx, c.query)
			require.NoError(t, err)
			require.NoError(t, s.Describe(ctx, c.query, hits))
			var got []string
			for _, h := range hits {
				got = append(got, h.Number)
				assert.NotEmpty(t, h.Matches, "%s was found, and must say why", h.Number)
			}
			assert.ElementsMatch(t, c.want, got)
			if c.why != "" {
				var why []string
				for _, m := range hits[0].Matches {
					why = append(why, m.Field+"="+m.Value)
				}
				assert.Contains(t, why, c.why)
			}
		})
	}
}

func TestListFiltersAndPages(t *testing.T) {
	s, _ := open(t)
	g := demo.New(demo.Options{Seed: 7})
	var all []*record.Interdiction
	for i := 0; i < 57; i++ {
		all = append(all, g.Record(3))
	}
	require.NoError(t, s.Add(ctx, all, "demo"))

	// Paging visits every record once, newest first.
	var seen []store.Summary
	f := store.Filter{Limit: 10}
	for {
		page, err := s.List(ctx, f)
		require.NoError(t, err)
		seen = append(seen, page.Records...)
		if page.Next == nil {
			break
		}
		f.After = page.Next
	}
	require.Len(t, seen, 57)
	for i := 1; i < len(seen); i++ {
		assert.False(t, seen[i].OccurredAt.After(seen[i-1].OccurredAt), "newest first")
	}

	want := func(keep func(*record.Interdiction) bool) int {
		n := 0
		for _, in := range all {
			if keep(in) {
				n++
			}
		}
		return n
	}
	from := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		filter store.Filter
		keep   func(*record.Interdiction) bool
	}{
		{"drafts", store.Filter{Status: record.StatusDraft}, func(in *record.Interdiction) bool { return in.Status == record.StatusDraft }},
		{"second quarter", store.Filter{From: from, To: to}, func(in *record.Interdiction) bool {
			return !in.OccurredAt.Before(from) && in.OccurredAt.Before(to)
		}},
		{"assault rifles", store.Filter{Category: "assault_rifle"}, func(in *record.Interdiction) bool {
			for _, it := range in.Items {
				if it.Category() == "assault_rifle" {
					return true
				}
			}
			return false
		}},
		{"crossing point", store.Filter{CrossingPoint: "Хоргос"}, func(in *record.Interdiction) bool { return in.CrossingPoint == "Хоргос" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := want(c.keep)
			require.Positive(t, n, "the demo data should have some")
			got, err := s.Count(ctx, c.filter)
			require.NoError(t, err)
			assert.Equal(t, n, got)
			c.filter.Limit = 1000
			page, err := s.List(ctx, c.filter)
			require.NoError(t, err)
			assert.Len(t, page.Records, n)
		})
	}
}

func TestStats(t *testing.T) {
	s, _ := open(t)
	a := sample()
	a.Items = append(a.Items, record.Item{Kind: record.KindAmmunition, Quantity: 3, Ammunition: &record.Ammunition{Calibre: record.Calibre{Code: "7.62x39"}, Rounds: 90}})
	b := sample()
	b.OccurredAt = time.Date(2026, 1, 31, 23, 30, 0, 0, time.FixedZone("ALMT", 5*3600)) // January locally, still January in UTC
	c := sample()
	c.Training = true
	require.NoError(t, s.Add(ctx, []*record.Interdiction{a, b, c}, "cli"))

	st, err := s.Stats(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, 2, st.Records)
	assert.Equal(t, 2, st.Pieces, "3 boxes of cartridges are not pieces")
	assert.Equal(t, 90, st.Rounds)
	assert.Equal(t, 1, st.TrainingLeftOut)
	assert.Equal(t, []store.CategoryCount{{Category: "assault_rifle", Items: 2, Pieces: 2}, {Category: "ammunition", Items: 1, Rounds: 90}}, st.ByCategory)
	assert.Equal(t, []store.MonthCount{{Month: "2026-01", Records: 1, Pieces: 1}, {Month: "2026-02", Records: 1, Pieces: 1, Rounds: 90}}, st.ByMonth)

	st, err = s.Stats(ctx, true)
	require.NoError(t, err)
	assert.Equal(t, 3, st.Records)
}

func TestConcurrentReadersDuringWrites(t *testing.T) {
	s, _ := open(t)
	done := make(chan error)
	go func() {
		for i := 0; i < 20; i++ {
			if err := s.Save(ctx, sample(), "officer"); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < 20; i++ {
		_, err := s.List(ctx, store.Filter{})
		require.NoError(t, err)
	}
	require.NoError(t, <-done)
	n, err := s.Count(ctx, store.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 20, n)
}

// An office's remarks are kept beside a record, never change it, and can
// be neither changed nor taken back; a remark that is not text is refused
// and nothing is written.
func TestRemarksAreKeptForGood(t *testing.T) {
	s, dir := open(t)
	in := sample()
	require.NoError(t, s.Save(ctx, in, "officer"))
	before, err := s.Get(ctx, in.Ref())
	require.NoError(t, err)
	require.NoError(t, s.AddRemark(ctx, in.Ref(), "Та же винтовка изъята на Торугарте.", "analyst"))
	require.NoError(t, s.AddRemark(ctx, in.Ref(), "Направлен запрос на отслеживание.", "analyst"))
	rs, err := s.Remarks(ctx, in.Ref())
	require.NoError(t, err)
	require.Len(t, rs, 2)
	assert.Equal(t, "Та же винтовка изъята на Торугарте.", rs[0].Text)
	assert.Equal(t, "analyst", rs[1].Actor)
	after, err := s.Get(ctx, in.Ref())
	require.NoError(t, err)
	assert.Equal(t, before.Hash, after.Hash)

	dump := storetest.Dump(t, dir)
	for _, bad := range []string{"", "   ", "a\u202eb", strings.Repeat("x", record.MaxText+1)} {
		assert.Error(t, s.AddRemark(ctx, in.Ref(), bad, "analyst"), "%q", bad)
	}
	assert.Error(t, s.AddRemark(ctx, "no-such-record", "text", "analyst"))
	assert.Equal(t, dump, storetest.Dump(t, dir), "a refused remark writes nothing")
	for _, q := range []string{"UPDATE remarks SET text = 'x'", "DELETE FROM remarks"} {
		_, err := s.DB().Exec(q)
		assert.Error(t, err, q)
	}
	require.NoError(t, s.Verify(ctx))
}
