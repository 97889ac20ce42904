package demo_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/record"
)

func TestRecordsAreValidTrainingData(t *testing.T) {
	g := demo.New(demo.Options{Seed: 3})
	posts := map[string]bool{}
	months := map[string]bool{}
	scripts := map[bool]bool{}
	for i := 0; i < 300; i++ {
		in := g.Record(5)
		require.NoError(t, in.Validate(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), "record %d", i)
		assert.True(t, in.Training)
		assert.Len(t, in.Items, 5)
		posts[in.PostCode] = true
		months[in.OccurredAt.Format("2006-01")] = true
		for _, p := range in.People {
			latin := p.Name[0] < 0x80
			scripts[latin] = true
		}
	}
	assert.Greater(t, len(posts), 5, "several posts")
	assert.Greater(t, len(months), 6, "several months")
	assert.Len(t, scripts, 2, "names in Cyrillic and Latin script")
}

func TestSameSeedSameRecords(t *testing.T) {
	a, b := demo.New(demo.Options{Seed: 9}), demo.New(demo.Options{Seed: 9})
	for i := 0; i < 300; i++ { // pooled identifiers among them
		ra, rb := a.Record(3), b.Record(3)
		ha, _ := ra.Hash()
		hb, _ := rb.Hash()
		assert.Equal(t, ha, hb)
	}
}

func TestOnePost(t *testing.T) {
	g := demo.New(demo.Options{Posts: []demo.Post{demo.PostFor("TM-FAR", "Farap")}, Final: 1})
	for i := 0; i < 20; i++ {
		in := g.Record(2)
		assert.Equal(t, "TM-FAR", in.PostCode)
		assert.Equal(t, record.StatusFinal, in.Status)
	}
	p := demo.PostFor("XX-NEW", "New post")
	assert.Equal(t, []string{"New post"}, p.Points)
}

// shared is what the records of a generated batch share: for each kind and
// key, the records that carry it, the posts they are at and how each
// writes it.
type shared struct {
	records int
	posts   map[string]bool
	labels  map[string]bool
}

func sharedKeys(ins []*record.Interdiction) map[idkey.Kind]map[string]*shared {
	out := map[idkey.Kind]map[string]*shared{}
	for _, in := range ins {
		for _, id := range idkey.Of(in) {
			byKey := out[id.Kind]
			if byKey == nil {
				byKey = map[string]*shared{}
				out[id.Kind] = byKey
			}
			s := byKey[id.Key]
			if s == nil {
				s = &shared{posts: map[string]bool{}, labels: map[string]bool{}}
				byKey[id.Key] = s
			}
			s.records++
			s.posts[in.PostCode] = true
			s.labels[id.Label] = true
		}
	}
	return out
}

func TestRepeatsOfANetwork(t *testing.T) {
	const n = 2000
	g := demo.New(demo.Options{Seed: 1})
	ins := make([]*record.Interdiction, n)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range ins {
		ins[i] = g.Record(10)
		require.NoError(t, ins[i].Validate(now), "record %d", i)
	}
	keys := sharedKeys(ins)
	cases := []struct {
		kind idkey.Kind
		// varies: the records write the identifier in more than one way
		// (script, spaces, local or international form).
		varies bool
	}{
		{idkey.Person, true},       // Ўринов Жасур / URINOV JASUR
		{idkey.Document, true},     // FA 1234567 / FA1234567
		{idkey.Plate, true},        // 01 123 АВЕ / 01 123 ABE
		{idkey.VIN, false},         // with the plate, in some records
		{idkey.Weapon, true},       // ХН 672039 / XH-672039
		{idkey.Registration, true}, // 1205 4001 2345 / 120540012345
		{idkey.Phone, true},        // 8 701 234 56 78 / +7 701 234 5678
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			repeats, varied := 0, 0
			for key, s := range keys[c.kind] {
				if s.records < 2 {
					continue
				}
				repeats++
				assert.LessOrEqual(t, s.records, 6, "%s:%s", c.kind, key)
				assert.GreaterOrEqual(t, len(s.posts), 2, "%s:%s at one post", c.kind, key)
				if len(s.labels) > 1 {
					varied++
				}
			}
			t.Logf("%d keys repeated, %d of them written differently", repeats, varied)
			assert.Positive(t, repeats, "no %s repeated", c.kind)
			if c.varies {
				assert.Positive(t, varied, "every repeated %s written one way", c.kind)
			}
		})
	}

	// Nothing strong is shared by chance, and a few percent of records
	// carry what the network shares.
	linked := 0
	for _, in := range ins {
		for _, id := range idkey.Of(in) {
			if id.Kind.Strong() && keys[id.Kind][id.Key].records > 1 {
				linked++
				break
			}
		}
	}
	for _, k := range idkey.Kinds() {
		if !k.Strong() {
			continue
		}
		for key, s := range keys[k] {
			if s.records > 1 {
				assert.LessOrEqual(t, s.records, 6, "%s:%s", k, key)
			}
		}
	}
	share := float64(linked) / n
	t.Logf("%d records of %d linked", linked, n)
	assert.True(t, share >= 0.02 && share <= 0.05, "%.1f%% of records linked", 100*share)
}

func TestNetworkNamesMeetAcrossScripts(t *testing.T) {
	// Records at Latin-script posts write the network's people in Latin,
	// the others in Cyrillic; the person keys meet.
	g := demo.New(demo.Options{Seed: 2})
	scripts := map[string]map[bool]bool{} // person key: Latin or not
	for i := 0; i < 3000; i++ {
		in := g.Record(1)
		for _, id := range idkey.Of(in) {
			if id.Kind == idkey.Person && id.Key[len(id.Key)-10:len(id.Key)-6] >= "2000" {
				if scripts[id.Key] == nil {
					scripts[id.Key] = map[bool]bool{}
				}
				scripts[id.Key][id.Label[0] < 0x80] = true
			}
		}
	}
	both := 0
	for _, s := range scripts {
		if len(s) == 2 {
			both++
		}
	}
	assert.Positive(t, both, "a network person written in both scripts")
}
