package service_test

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/translations"
)

// seizure is testdata/record.json (without its photo) for the post, with
// the changes made to its JSON.
func seizure(t *testing.T, post string, change func(m map[string]any)) string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/record.json")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	delete(m, "photos")
	m["post_code"] = post
	change(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return string(out)
}

func addJSON(t *testing.T, svc *service.Service, text string) {
	t.Helper()
	_, err := svc.AddJSON(context.Background(), strings.NewReader(text), service.Intake{})
	require.NoError(t, err)
}

func exportAll(t *testing.T, svc *service.Service) string {
	t.Helper()
	res, err := svc.Export(context.Background(), service.ExportOptions{Out: t.TempDir(), Plain: true}, nil)
	require.NoError(t, err)
	return res.Path
}

func ids(cs []links.Cluster) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID())
	}
	sort.Strings(out)
	return out
}

// twoPosts sets up Dostyk and Torugart, each with one seizure of the same
// network written its own way, and an office that trusts both.
func twoPosts(t *testing.T) (dostyk, torugart, office *service.Service) {
	dostyk = initFolder(t, "KZ-DOS", "Достык", false)
	torugart = initFolder(t, "KG-TOR", "Торугарт", false)
	office = initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, dostyk, office)
	trustEachOther(t, torugart, office)
	addJSON(t, dostyk, seizure(t, "KZ-DOS", func(m map[string]any) {
		people := m["people"].([]any)
		people[0].(map[string]any)["phone"] = "+998 90 123 45 67"
		// Same name as at Torugart, another date of birth: not one man.
		m["people"] = append(people, map[string]any{"role": "passenger", "name": "Каримов Алишер", "birth_date": "1990-01-01", "nationality": "UZ"})
		items := m["items"].([]any)
		// A short serial on a Makarov, the same on a TT at Torugart.
		m["items"] = append(items, map[string]any{"kind": "firearm", "quantity": 1,
			"firearm": map[string]any{"category": "pistol", "make": "Izhmekh", "model": "PM", "calibre": map[string]any{"code": "9x18"},
				"serials": []any{map[string]any{"part": "frame", "number": "1234", "state": "intact"}}}})
	}))
	addJSON(t, torugart, seizure(t, "KG-TOR", func(m map[string]any) {
		m["occurred_at"] = "2026-03-02T14:00:00+06:00"
		m["ended_at"] = "2026-03-02T15:00:00+06:00"
		m["crossing_point"] = "Торугарт"
		// The driver as his passport writes him, his phone in the local form.
		m["people"] = []any{
			map[string]any{"role": "driver", "name": "URINOV JASUR", "birth_date": "1984-05-17", "nationality": "UZ",
				"document_type": "passport", "document_number": "FA 1234567", "phone": "90 123 45 67"},
			map[string]any{"role": "passenger", "name": "Karimov Alisher", "birth_date": "1991-02-02", "nationality": "UZ"},
			map[string]any{"role": "witness", "name": "Асанов Бакыт", "document_type": "national_id", "document_number": "041234567"},
		}
		// The plate typed in Cyrillic, the container and VIN not seen.
		m["conveyance"] = map[string]any{"plate": "777 АВС 02", "country": "KZ"}
		m["organisations"] = []any{map[string]any{"role": "carrier", "name": "Shelkovyi Put Trans", "country": "KZ", "registration": "18 0540 012345"}}
		m["items"] = []any{
			map[string]any{"kind": "firearm", "quantity": 1, "firearm": map[string]any{"category": "assault_rifle", "make": "ИЖМАШ", "model": "АКМ",
				"calibre": map[string]any{"code": "7.62x39"}, "serials": []any{map[string]any{"part": "receiver", "number": "XA-1234567", "state": "intact"}}}},
			map[string]any{"kind": "firearm", "quantity": 1, "firearm": map[string]any{"category": "pistol", "make": "Tula", "model": "TT-33",
				"calibre": map[string]any{"code": "7.62x25"}, "serials": []any{map[string]any{"part": "frame", "number": "1234", "state": "intact"}}}},
		}
	}))
	return dostyk, torugart, office
}

// linkedOffice is twoPosts with both posts' first bundles imported.
func linkedOffice(t *testing.T) (dostyk, torugart, office *service.Service) {
	t.Helper()
	dostyk, torugart, office = twoPosts(t)
	for _, post := range []*service.Service{dostyk, torugart} {
		_, err := office.Import(context.Background(), exportAll(t, post), nil)
		require.NoError(t, err)
	}
	return dostyk, torugart, office
}

func TestTwoPostsLinkAtTheOffice(t *testing.T) {
	ctx := context.Background()
	dostyk, torugart, office := twoPosts(t)

	first, err := office.Import(ctx, exportAll(t, dostyk), nil)
	require.NoError(t, err)
	assert.Empty(t, first.Links, "the first bundle has nothing to link to")

	second, err := office.Import(ctx, exportAll(t, torugart), nil)
	require.NoError(t, err)
	want := []string{
		"document:passport/UZ/FA1234567",
		"person:jasur_urinuv/1984-05-17",
		"phone:+998901234567",
		"plate:KZ/777ABC02",
		"registration:KZ/180540012345",
		"weapon:ijmash/XA1234567",
	}
	var hits []string
	for _, h := range second.Links {
		if h.Cluster.Strength == links.StrengthLink {
			hits = append(hits, h.Cluster.ID())
			require.Len(t, h.Held, 1)
			assert.Equal(t, "KZ-DOS", h.Held[0].PostCode, "the link is to the record held before")
			assert.Equal(t, "KG-TOR", h.New[0].PostCode)
		}
	}
	sort.Strings(hits)
	assert.Equal(t, want, hits, "the import says what the bundle links to")

	cs, err := office.Clusters(ctx, links.Filter{})
	require.NoError(t, err)
	assert.Equal(t, want, ids(cs), "the office finds exactly these links")
	for _, c := range cs {
		assert.Len(t, c.Records, 2, c.ID())
		assert.Equal(t, []string{"KG-TOR", "KZ-DOS"}, c.Posts(), c.ID())
	}

	// Suggestions stay apart; the carrier's name alone is one of them.
	all, err := office.Clusters(ctx, links.Filter{Suggestions: true})
	require.NoError(t, err)
	var sugg []string
	for _, c := range all {
		if c.Strength == links.StrengthSuggestion {
			sugg = append(sugg, c.ID())
		}
	}
	assert.Contains(t, sugg, "org:put_shelkuvi_trans")
	for _, id := range append(sugg, ids(cs)...) {
		assert.NotContains(t, id, "karimov", "same name, another date of birth: neither link nor suggestion")
		assert.NotContains(t, id, "1234/", "one short serial on two makes is no link")
		assert.NotEqual(t, "serial:1234", id)
	}
	for _, id := range ids(all) {
		assert.NotContains(t, id, "041234567", "witnesses link nothing")
	}

	// The links of one record, by its number.
	ref, err := office.Resolve(ctx, "KG-TOR-2026-0001")
	require.NoError(t, err)
	own, err := office.LinksOf(ctx, ref, links.Filter{Suggestions: true})
	require.NoError(t, err)
	assert.Len(t, own, len(want)+len(sugg))
	assert.Equal(t, links.StrengthSuggestion, own[len(own)-1].Strength, "links come before suggestions")
	onlyLinks, err := office.LinksOf(ctx, ref, links.Filter{})
	require.NoError(t, err)
	assert.Equal(t, want, ids(onlyLinks))

	// Text for the import summary, in Russian.
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	var lines []string
	for _, h := range second.Links {
		lines = append(lines, h.Text(cat.For("ru")))
	}
	assert.Contains(t, strings.Join(lines, "\n"), "XA-1234567: также изъято на KZ-DOS 10.02.2026 (KZ-DOS-2026-0001; теперь KG-TOR-2026-0001)")
}

func TestAJudgementOutlivesReimportAndNewVersions(t *testing.T) {
	ctx := context.Background()
	dostyk, torugart, office := twoPosts(t)
	_, err := office.Import(ctx, exportAll(t, dostyk), nil)
	require.NoError(t, err)
	bundleB := exportAll(t, torugart)
	_, err = office.Import(ctx, bundleB, nil)
	require.NoError(t, err)

	const id = "weapon:ijmash/XA1234567"
	require.NoError(t, office.Judge(ctx, id, links.Different, "two rifles: the receiver of one was rebuilt", nil))
	require.NoError(t, office.Judge(ctx, "person:jasur_urinuv/1984-05-17", links.Same, "", nil))
	cs, err := office.Clusters(ctx, links.Filter{})
	require.NoError(t, err)
	assert.NotContains(t, ids(cs), id, "a link judged different is no longer shown as one")

	// The same bundle again, and a new version of Torugart's record.
	again, err := office.Import(ctx, bundleB, nil)
	require.NoError(t, err)
	assert.True(t, again.Already)
	ref, err := torugart.Resolve(ctx, "KG-TOR-2026-0001")
	require.NoError(t, err)
	cur, err := torugart.Get(ctx, ref)
	require.NoError(t, err)
	in := cur.Record
	in.Narrative += " Дополнено."
	require.NoError(t, torugart.SaveRecord(ctx, in))
	res, err := office.Import(ctx, exportAll(t, torugart), nil)
	require.NoError(t, err)
	require.Equal(t, 1, res.New)
	assert.Empty(t, res.Links, "a new version sharing nothing new announces nothing again")

	all, err := office.Clusters(ctx, links.Filter{Dismissed: true})
	require.NoError(t, err)
	byID := map[string]links.Cluster{}
	for _, c := range all {
		byID[c.ID()] = c
	}
	require.Contains(t, byID, id)
	require.NotNil(t, byID[id].Judgement)
	assert.Equal(t, links.Different, byID[id].Judgement.Verdict)
	assert.Equal(t, "two rifles: the receiver of one was rebuilt", byID[id].Judgement.Note)
	assert.Equal(t, links.Same, byID["person:jasur_urinuv/1984-05-17"].Judgement.Verdict)
	_, err = office.CheckAudit(ctx)
	require.NoError(t, err, "judgements are in the audit chain and check out")
}

func TestRefusedJudgementsChangeNothing(t *testing.T) {
	ctx := context.Background()
	_, _, office := linkedOffice(t)
	before := storetest.Dump(t, office.Dir)
	for _, c := range []struct {
		id, verdict, note string
		want              error
	}{
		{"weapon:ijmash/NOSUCH", links.Same, "", links.ErrNoCluster},
		{"rocket:ijmash/XA1234567", links.Same, "", links.ErrKind},
		{"izhmash", links.Same, "", links.ErrClusterID},
		{"weapon:ijmash/XA1234567", "maybe", "", links.ErrVerdict},
		{"weapon:ijmash/XA1234567", links.Same, "bad\x00note", links.ErrNote},
		{"weapon:ijmash/XA1234567", links.Same, strings.Repeat("я", links.MaxNote+1), links.ErrNote},
		// A key only one record has is no cluster either.
		{"weapon:ijmash/1234567", links.Same, "", links.ErrNoCluster},
		// Nor a name both records give with a birth date: no suggestion.
		{"name:jasur_urinuv", links.Same, "", links.ErrNoCluster},
	} {
		err := office.Judge(ctx, c.id, c.verdict, c.note, nil)
		assert.ErrorIs(t, err, c.want, c.id)
	}
	assert.Equal(t, before, storetest.Dump(t, office.Dir), "a refused judgement leaves the store as it was")
}

func TestTheNetworkOfALink(t *testing.T) {
	ctx := context.Background()
	_, _, office := linkedOffice(t)
	n, err := office.Network(ctx, "weapon:ijmash/XA1234567", 0, false)
	require.NoError(t, err)
	types := map[links.NodeType]int{}
	for _, node := range n.Nodes {
		types[node.Type]++
		assert.True(t, node.X >= 0 && node.X <= 1 && node.Y >= 0 && node.Y <= 1, "laid out in the unit square")
	}
	assert.Equal(t, 2, types[links.NodeRecord], "both seizures")
	// One rifle, one driver, one truck, one passport, one phone, one carrier:
	// each seen at both posts is one node.
	var shared []string
	for _, node := range n.Nodes {
		if node.Type != links.NodeRecord && node.Records == 2 {
			shared = append(shared, string(node.Type))
		}
	}
	sort.Strings(shared)
	assert.Equal(t, []string{"document", "organisation", "person", "phone", "vehicle", "weapon"}, shared)
	assert.False(t, n.Capped)

	small, err := office.Network(ctx, "weapon:ijmash/XA1234567", 3, false)
	require.NoError(t, err)
	assert.Len(t, small.Nodes, 3)
	assert.True(t, small.Capped, "a network larger than asked is capped, and says so")
}

func TestARecordArrivingAfterAJudgementIsShownAgain(t *testing.T) {
	ctx := context.Background()
	_, torugart, office := linkedOffice(t)
	const id = "weapon:ijmash/XA1234567"
	require.NoError(t, office.Judge(ctx, id, links.Different, "", nil))

	// A third seizure of the rifle, at Torugart: the analyst judged two
	// records, not this one.
	addJSON(t, torugart, seizure(t, "KG-TOR", func(m map[string]any) {
		m["occurred_at"] = "2026-04-02T14:00:00+06:00"
		m["ended_at"] = "2026-04-02T15:00:00+06:00"
		m["people"] = []any{map[string]any{"role": "driver", "name": "Асанов Бакыт", "birth_date": "1990-01-01"}}
		m["organisations"] = []any{}
		m["conveyance"] = map[string]any{"plate": "01 123 ABC", "country": "KG"}
		m["items"] = []any{map[string]any{"kind": "firearm", "quantity": 1, "firearm": map[string]any{"category": "assault_rifle",
			"make": "Izhmash", "calibre": map[string]any{"code": "7.62x39"}, "serials": []any{map[string]any{"number": "XA1234567", "state": "intact"}}}}}
	}))
	res, err := office.Import(ctx, exportAll(t, torugart), nil)
	require.NoError(t, err)
	require.Len(t, res.Links, 1)
	assert.Equal(t, id, res.Links[0].Cluster.ID())
	assert.Len(t, res.Links[0].Held, 2)
	cs, err := office.Clusters(ctx, links.Filter{})
	require.NoError(t, err)
	assert.Contains(t, ids(cs), id, "judged different with 2 records, it has 3 now")
}

func TestTrainingRecordsLinkOnlyWhenAskedFor(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	addJSON(t, post, seizure(t, "KZ-DOS", func(map[string]any) {}))
	addJSON(t, post, seizure(t, "KZ-DOS", func(m map[string]any) {
		m["training"] = true
		m["occurred_at"] = "2026-03-01T08:00:00+05:00"
		m["ended_at"] = "2026-03-01T09:00:00+05:00"
	}))
	cs, err := post.Clusters(ctx, links.Filter{})
	require.NoError(t, err)
	assert.Empty(t, cs, "a training record does not link with a real seizure")
	cs, err = post.Clusters(ctx, links.Filter{Training: true})
	require.NoError(t, err)
	assert.NotEmpty(t, cs)
}

func TestAuditFindsTamperedLinks(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name, sql string
	}{
		{"a forged identifier", "INSERT INTO idents (kind, key, rid, label) SELECT 'weapon', 'forged/1', rid, 'x' FROM records"},
		{"a dropped identifier", "DELETE FROM idents WHERE kind = 'phone'"},
		{"a changed label", "UPDATE idents SET label = 'другой' WHERE kind = 'plate'"},
		{"a judgement given by someone else", "DROP TRIGGER judgements_append_only_u; UPDATE judgements SET actor = 'кто-то'; " +
			"CREATE TRIGGER judgements_append_only_u BEFORE UPDATE ON judgements BEGIN SELECT RAISE(ABORT, 'judgements are never changed'); END"},
		{"a judgement dropped", "DROP TRIGGER judgements_append_only_d; DELETE FROM judgements; " +
			"CREATE TRIGGER judgements_append_only_d BEFORE DELETE ON judgements BEGIN SELECT RAISE(ABORT, 'judgements are never taken back'); END"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, office := linkedOffice(t)
			require.NoError(t, office.Judge(ctx, "weapon:ijmash/XA1234567", links.Same, "", nil))
			_, err := office.CheckAudit(ctx)
			require.NoError(t, err)
			db := storetest.Open(t, office.Dir)
			_, err = db.Exec(c.sql)
			require.NoError(t, err)
			db.Close()
			_, err = office.CheckAudit(ctx)
			assert.Error(t, err, "audit must find %s", c.name)
		})
	}
}

func TestAnImportTellsOfAKeyHeldByAnEarlierVersion(t *testing.T) {
	ctx := context.Background()
	dostyk, _, office := linkedOffice(t)
	// Dostyk's record gets a new version with only a new phone, and a new
	// record carries its driver's passport: the passport was held before,
	// by the record's earlier version.
	ref, err := dostyk.Resolve(ctx, "KZ-DOS-2026-0001")
	require.NoError(t, err)
	cur, err := dostyk.Get(ctx, ref)
	require.NoError(t, err)
	in := cur.Record
	in.People[0].Phone = "+998 91 555 44 33"
	require.NoError(t, dostyk.SaveRecord(ctx, in))
	addJSON(t, dostyk, seizure(t, "KZ-DOS", func(m map[string]any) {
		m["occurred_at"] = "2026-05-02T14:00:00+05:00"
		m["ended_at"] = "2026-05-02T15:00:00+05:00"
		m["people"] = []any{map[string]any{"role": "driver", "name": "Другой Человек", "birth_date": "1991-01-01", "nationality": "UZ",
			"document_type": "passport", "document_number": "FA1234567"}}
		m["organisations"] = []any{}
		m["conveyance"] = map[string]any{"plate": "02 777 QQ", "country": "KZ"}
		m["items"] = []any{map[string]any{"kind": "other", "quantity": 1, "description": "патроны россыпью"}}
	}))
	res, err := office.Import(ctx, exportAll(t, dostyk), nil)
	require.NoError(t, err)
	var doc *links.Hit
	for i := range res.Links {
		if res.Links[i].Cluster.ID() == "document:passport/UZ/FA1234567" {
			doc = &res.Links[i]
		}
	}
	require.NotNil(t, doc, "the new record's passport was held by the records before")
	require.Len(t, doc.New, 1)
	assert.Equal(t, "KZ-DOS-2026-0002", doc.New[0].Number)
	var held []string
	for _, m := range doc.Held {
		held = append(held, m.Number)
	}
	assert.ElementsMatch(t, []string{"KZ-DOS-2026-0001", "KG-TOR-2026-0001"}, held)
}

func TestAJudgementCoversTheRecordsJudgedNotTheirCount(t *testing.T) {
	ctx := context.Background()
	_, torugart, office := linkedOffice(t)
	const id = "weapon:ijmash/XA1234567"
	require.NoError(t, office.Judge(ctx, id, links.Different, "", nil))
	// Torugart's record loses the rifle (a typing error mended), and a new
	// seizure of it comes: still two records, but not the two judged.
	ref, err := torugart.Resolve(ctx, "KG-TOR-2026-0001")
	require.NoError(t, err)
	cur, err := torugart.Get(ctx, ref)
	require.NoError(t, err)
	in := cur.Record
	in.Items = in.Items[1:]
	require.NoError(t, torugart.SaveRecord(ctx, in))
	addJSON(t, torugart, seizure(t, "KG-TOR", func(m map[string]any) {
		m["occurred_at"] = "2026-04-02T14:00:00+06:00"
		m["ended_at"] = "2026-04-02T15:00:00+06:00"
		m["people"] = []any{map[string]any{"role": "driver", "name": "Асанов Бакыт", "birth_date": "1990-01-01"}}
		m["organisations"] = []any{}
		m["conveyance"] = map[string]any{"plate": "01 123 ABC", "country": "KG"}
		m["items"] = []any{map[string]any{"kind": "firearm", "quantity": 1, "firearm": map[string]any{"category": "assault_rifle",
			"make": "Izhmash", "calibre": map[string]any{"code": "7.62x39"}, "serials": []any{map[string]any{"number": "XA1234567", "state": "intact"}}}}}
	}))
	_, err = office.Import(ctx, exportAll(t, torugart), nil)
	require.NoError(t, err)
	cs, err := office.Clusters(ctx, links.Filter{})
	require.NoError(t, err)
	assert.Contains(t, ids(cs), id, "a record the analyst did not judge makes the link show again")
}
