package service_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/screening"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/translations"
)

const unList = "../../../shared/data/un-sc-consolidated-2020-03-20.xml"

func realList(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(unList); err != nil {
		t.Skip("the UN list of 2020-03-20 is not here:", err)
	}
	return unList
}

func TestTheOfficeLoadsTheUNListAndScreens(t *testing.T) {
	ctx := context.Background()
	office := initFolder(t, "KZ-ALM", "Алматы", true)
	_, err := office.Screen(ctx, screening.Query{Name: "Доку Умаров"})
	assert.ErrorIs(t, err, service.ErrNoList)

	info, err := office.LoadList(ctx, realList(t))
	require.NoError(t, err)
	assert.Equal(t, 1014, info.Entries, "709 individuals and 305 entities")
	assert.Equal(t, "2020-03-20", info.Generated.UTC().Format("2006-01-02"))
	assert.Len(t, info.SHA256, 64)

	hits, err := office.Screen(ctx, screening.Query{Name: "Умаров Доку", Kind: screening.QueryPerson, BirthDate: "1964"})
	require.NoError(t, err)
	require.NotEmpty(t, hits)
	assert.Equal(t, "QDi.290", hits[0].Entry.Reference)

	// A post with a listed person in a record: the whole store is screened.
	addJSON(t, office, seizure(t, "KZ-ALM", func(m map[string]any) {
		m["people"] = []any{map[string]any{"role": "driver", "name": "Гулмурод Ҳалимов", "birth_date": "1975-05-14", "nationality": "TJ"},
			map[string]any{"role": "witness", "name": "Доку Умаров"}}
	}))
	all, err := office.ScreenAll(ctx, false, nil)
	require.NoError(t, err)
	require.Len(t, all, 1, "the driver, not the witness")
	assert.Equal(t, "QDi.372", all[0].Entry.Reference)
	assert.Equal(t, "people[0]", all[0].Path)
	assert.Equal(t, "KZ-ALM-2026-0001", all[0].Record.Number)
	_, err = office.CheckAudit(ctx)
	require.NoError(t, err, "the load is in the audit chain")
}

func TestABadListLeavesTheListHeld(t *testing.T) {
	ctx := context.Background()
	office := initFolder(t, "KZ-ALM", "Алматы", true)
	_, err := office.LoadList(ctx, realList(t))
	require.NoError(t, err)
	good, err := os.ReadFile(unList)
	require.NoError(t, err)
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		body []byte
		want error
	}{
		{"truncated", good[:len(good)/2], screening.ErrTruncated},
		{"another XML file", []byte(`<?xml version="1.0"?><rss><channel/></rss>`), screening.ErrNotList},
		{"entity expansion", []byte(`<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>`), screening.ErrEntity},
		{"deeply nested", []byte(`<CONSOLIDATED_LIST>` + strings.Repeat("<a>", 5000)), screening.ErrTooDeep},
		{"empty", nil, screening.ErrEmpty},
	} {
		path := filepath.Join(dir, c.name+".xml")
		require.NoError(t, os.WriteFile(path, c.body, 0o600))
		before := storetest.Dump(t, office.Dir)
		_, err := office.LoadList(ctx, path)
		assert.ErrorIs(t, err, c.want, c.name)
		assert.Equal(t, before, storetest.Dump(t, office.Dir), "%s: the store is as it was", c.name)
	}
	info, err := office.ListInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1014, info.Entries, "the list held is kept")

	post := initFolder(t, "KZ-DOS", "Достык", false)
	_, err = post.LoadList(ctx, unList)
	assert.ErrorIs(t, err, service.ErrPostList, "a post receives the list from its office")
}

func TestAnImportSaysWhoIsOnTheList(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	office := initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	_, err := office.LoadList(ctx, realList(t))
	require.NoError(t, err)
	addJSON(t, post, seizure(t, "KZ-DOS", func(m map[string]any) {
		people := m["people"].([]any)
		m["people"] = append(people, map[string]any{"role": "passenger", "name": "Халимов Гулмурод", "birth_date": "1975-05-14", "nationality": "TJ"})
	}))
	_, err = office.AddWatch(ctx, "serial", "XA1234567", "автомат из тайника", "")
	require.NoError(t, err)
	res, err := office.Import(ctx, exportAll(t, post), nil)
	require.NoError(t, err)
	require.Len(t, res.Watched, 1, "the rifle's serial is on the office's watch list")
	assert.Equal(t, "items[0]", res.Watched[0].Path)
	assert.Equal(t, "KZ-DOS-2026-0001", res.Watched[0].Number)
	require.Len(t, res.Listed, 1)
	h := res.Listed[0]
	assert.Equal(t, "QDi.372", h.Entry.Reference)
	assert.Equal(t, "Халимов Гулмурод", h.Who)
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	assert.Contains(t, h.Text(cat.For("ru")), "Халимов Гулмурод (KZ-DOS-2026-0001): в перечне как")
}

func TestAFalseMatchIsNotRaisedAgain(t *testing.T) {
	ctx := context.Background()
	office := initFolder(t, "KZ-ALM", "Алматы", true)
	_, err := office.LoadList(ctx, realList(t))
	require.NoError(t, err)
	driver := func(m map[string]any) {
		m["people"] = []any{map[string]any{"role": "driver", "name": "Халимов Гулмурод", "birth_date": "1975-05-14", "nationality": "TJ"}}
		m["organisations"] = []any{}
	}
	addJSON(t, office, seizure(t, "KZ-ALM", driver))
	addJSON(t, office, seizure(t, "KZ-ALM", func(m map[string]any) {
		driver(m)
		m["occurred_at"] = "2026-03-01T08:00:00+05:00"
		m["ended_at"] = "2026-03-01T09:00:00+05:00"
	}))
	all, err := office.ScreenAll(ctx, false, nil)
	require.NoError(t, err)
	require.Len(t, all, 2, "the same man in two records")
	ref := all[0].Record.Ref()

	for _, c := range []struct {
		path, reference, verdict string
		want                     error
	}{
		{"people[0]", "QDi.372", "maybe", service.ErrVerdict},
		{"people[1]", "QDi.372", service.HitFalseMatch, service.ErrNoHit},
		{"people[0]", "QDi.999", service.HitFalseMatch, service.ErrNoHit},
	} {
		before := storetest.Dump(t, office.Dir)
		assert.ErrorIs(t, office.Decide(ctx, ref, c.path, c.reference, c.verdict, ""), c.want)
		assert.Equal(t, before, storetest.Dump(t, office.Dir), "a refused decision changes nothing")
	}

	require.NoError(t, office.Decide(ctx, ref, "people[0]", "QDi.372", service.HitConfirmed, "паспорт сверен"))
	all, err = office.ScreenAll(ctx, false, nil)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.NotNil(t, all[1].Decision, "a confirmed hit says so, in every record of the man")
	assert.Equal(t, service.HitConfirmed, all[1].Decision.Verdict)

	require.NoError(t, office.Decide(ctx, ref, "people[0]", "QDi.372", service.HitFalseMatch, "другой человек, сверено по фото"))
	all, err = office.ScreenAll(ctx, false, nil)
	require.NoError(t, err)
	assert.Empty(t, all, "a false match is not raised again, in any record")
	require.NoError(t, office.Decide(ctx, ref, "people[0]", "QDi.372", service.HitConfirmed, "это он: ошибка исправлена"))
	all, err = office.ScreenAll(ctx, false, nil)
	require.NoError(t, err)
	assert.Len(t, all, 2, "a false match is taken back by the next decision")
	require.NoError(t, office.Decide(ctx, ref, "people[0]", "QDi.372", service.HitFalseMatch, ""))
	_, err = office.CheckAudit(ctx)
	require.NoError(t, err, "each decision is in the audit chain")

	db := storetest.Open(t, office.Dir)
	_, err = db.Exec("DROP TRIGGER screening_decisions_append_only_u; UPDATE screening_decisions SET verdict = 'confirmed' WHERE seq = 2; " +
		"CREATE TRIGGER screening_decisions_append_only_u BEFORE UPDATE ON screening_decisions BEGIN SELECT RAISE(ABORT, 'decisions are never changed'); END")
	require.NoError(t, err)
	db.Close()
	_, err = office.CheckAudit(ctx)
	assert.Error(t, err, "a decision changed behind the program's back is found")
}

func TestThePostReceivesTheListSignedByItsOffice(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	office := initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	_, err := office.ExportLists(ctx, filepath.Join(t.TempDir(), "x.kordon-lists"), false)
	assert.ErrorIs(t, err, service.ErrNoList, "nothing to carry before a list is loaded")
	_, err = office.LoadList(ctx, realList(t))
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "un.kordon-lists")
	_, err = office.ExportLists(ctx, file, false)
	require.NoError(t, err)

	// The XML itself is not what a post takes: only its office's file.
	before := storetest.Dump(t, post.Dir)
	_, err = post.LoadList(ctx, unList)
	assert.Error(t, err)
	assert.Equal(t, before, storetest.Dump(t, post.Dir))

	info, err := post.LoadList(ctx, file)
	require.NoError(t, err)
	assert.Equal(t, 1014, info.Entries)
	hits, err := post.Screen(ctx, screening.Query{Name: "Гулмурод Ҳалимов"})
	require.NoError(t, err)
	require.NotEmpty(t, hits, "the post screens offline with its office's list")
	again, err := post.LoadList(ctx, file)
	require.NoError(t, err)
	assert.Equal(t, info.LoadedAt, again.LoadedAt, "the same list again changes nothing")

	// A list file signed by another office, or changed on the way, is refused.
	other := initFolder(t, "KG-BIS", "Бишкек", true)
	_, err = other.LoadList(ctx, unList)
	require.NoError(t, err)
	foreign := filepath.Join(t.TempDir(), "other.kordon-lists")
	_, err = other.ExportLists(ctx, foreign, false)
	require.NoError(t, err)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	changed := filepath.Join(t.TempDir(), "changed.kordon-lists")
	require.NoError(t, os.WriteFile(changed, []byte(strings.Replace(string(data), `"office":"KZ-ALM"`, `"office":"KZ-ALN"`, 1)), 0o600))
	for _, path := range []string{foreign, changed} {
		before := storetest.Dump(t, post.Dir)
		_, err := post.LoadList(ctx, path)
		assert.Error(t, err, path)
		assert.Equal(t, before, storetest.Dump(t, post.Dir))
	}
}

func TestTheOfficesWatchListReachesThePost(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	office := initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	_, err := office.LoadList(ctx, realList(t))
	require.NoError(t, err)

	for _, c := range []struct{ kind, value, until string }{
		{"rocket", "X", ""},
		{"serial", "нет", ""},
		{"plate", "777 ABC 02", "2001-01-01"},
	} {
		_, err := office.AddWatch(ctx, c.kind, c.value, "", c.until)
		assert.Error(t, err, "%v is refused", c)
	}
	_, err = post.AddWatch(ctx, "serial", "XA 672039", "", "")
	assert.ErrorIs(t, err, service.ErrNotOffice)

	rifle, err := office.AddWatch(ctx, "serial", "ХА-672039", "автомат из тайника у Хоргоса", "")
	require.NoError(t, err)
	_, err = office.AddWatch(ctx, "phone", "8 701 234 56 78", "звонил водителю", "")
	require.NoError(t, err)
	plate, err := office.AddWatch(ctx, "plate", "555 XYZ 01", "", "")
	require.NoError(t, err)
	require.NoError(t, office.RemoveWatch(ctx, plate.ID))
	list, err := office.Watch(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2, "the plate was taken off")

	file := filepath.Join(t.TempDir(), "lists.kordon-lists")
	_, err = office.ExportLists(ctx, file, false)
	require.NoError(t, err)
	_, err = post.LoadList(ctx, file)
	require.NoError(t, err)
	held, err := post.Watch(ctx)
	require.NoError(t, err)
	require.Len(t, held, 2)

	// A seizure at the post with the rifle (in Latin letters) and the
	// phone in its international form.
	addJSON(t, post, seizure(t, "KZ-DOS", func(m map[string]any) {
		m["status"] = "draft"
		m["people"] = []any{map[string]any{"role": "driver", "name": "Сидоров Пётр", "birth_date": "1970-01-01", "nationality": "KZ", "phone": "+7 701 234 5678"}}
		m["organisations"] = []any{}
		m["items"] = []any{map[string]any{"kind": "firearm", "quantity": 1, "firearm": map[string]any{"category": "assault_rifle",
			"make": "Izhmash", "calibre": map[string]any{"code": "7.62x39"}, "serials": []any{map[string]any{"number": "XA 672039", "state": "intact"}}}}}
	}))
	ref, err := post.Resolve(ctx, "KZ-DOS-2026-0001")
	require.NoError(t, err)
	cur, err := post.Get(ctx, ref)
	require.NoError(t, err)
	// The officer saves it from the form: the alerts go to the audit trail.
	require.NoError(t, post.SaveRecord(ctx, cur.Record))
	hits, err := post.WatchHits(ctx, cur.Record)
	require.NoError(t, err)
	var paths []string
	for _, h := range hits {
		paths = append(paths, h.Path+" "+h.Entry.Kind)
		if h.Entry.Kind == "serial" {
			assert.Equal(t, rifle.ID, h.Entry.ID)
			assert.Equal(t, "автомат из тайника у Хоргоса", h.Entry.Reason)
		}
	}
	assert.ElementsMatch(t, []string{"items[0] serial", "people[0] phone"}, paths)
	audit, err := post.Audit(ctx, ref)
	require.NoError(t, err)
	alerts := 0
	for _, e := range audit {
		if e.Action == "alert" {
			alerts++
		}
	}
	assert.Equal(t, 2, alerts, "saving kept both alerts in the audit trail")
	_, err = post.CheckAudit(ctx)
	require.NoError(t, err)

	// An older list file is refused.
	older := filepath.Join(t.TempDir(), "older.kordon-lists")
	require.NoError(t, copyFile(file, older))
	_, err = office.AddWatch(ctx, "document", "AB1234567", "", "")
	require.NoError(t, err)
	newer := filepath.Join(t.TempDir(), "newer.kordon-lists")
	_, err = office.ExportLists(ctx, newer, false)
	require.NoError(t, err)
	_, err = post.LoadList(ctx, newer)
	require.NoError(t, err)
	held, err = post.Watch(ctx)
	require.NoError(t, err)
	assert.Len(t, held, 3)
	_, err = post.LoadList(ctx, older)
	assert.ErrorIs(t, err, service.ErrOlderListFile, "a post never goes back to an older file")

	// A removal at the office reaches the post with the next file.
	require.NoError(t, office.RemoveWatch(ctx, rifle.ID))
	latest := filepath.Join(t.TempDir(), "latest.kordon-lists")
	_, err = office.ExportLists(ctx, latest, false)
	require.NoError(t, err)
	_, err = post.LoadList(ctx, latest)
	require.NoError(t, err)
	held, err = post.Watch(ctx)
	require.NoError(t, err)
	assert.Len(t, held, 2)
	for _, svc := range []*service.Service{office, post} {
		_, err = svc.CheckAudit(ctx)
		require.NoError(t, err)
		db := storetest.Open(t, svc.Dir)
		_, err = db.Exec("UPDATE watch SET reason = 'ничего' WHERE kind = 'phone'")
		require.NoError(t, err)
		db.Close()
		_, err = svc.CheckAudit(ctx)
		assert.Error(t, err, "a watch list changed behind the program's back is found")
	}
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}
