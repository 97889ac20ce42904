package demo_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/demo"
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
	for i := 0; i < 20; i++ {
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
