package bundle

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// syntheticRecord returns a record line of about 1 KiB that differs from
// its neighbours as real records do.
func syntheticRecord(i int) []byte {
	return fmt.Appendf(nil, `{"id":"%08x-0000-4000-8000-%012x","version":1,"status":"final","number":"KZ-DOS-2026-%05d",`+
		`"post_code":"KZ-DOS","origin":"laptop-1","training":true,"officers":[{"name":"Officer %d","rank":"captain"}],`+
		`"occurred_at":"2026-03-%02dT%02d:%02d:00+05:00","crossing_point":"dostyk-road","location_type":"road",`+
		`"direction":"entry","recovery":"seized","legal_basis":"illicit_trafficking","criminal_context":["trafficking"],`+
		`"detection":["xray"],"transport":"truck","conveyance":{"plate":"%03dABC02","country":"KZ"},`+
		`"concealment":["built_compartment"],"route":{"departure":"CN","destination":"KZ"},`+
		`"items":[{"id":"%08x-1111-4000-8000-%012x","kind":"firearm","firearm":{"category":"assault_rifle",`+
		`"make":"Izhmash","model":"AK-74","calibre":{"code":"5.45x39","stamped":"5,45"},`+
		`"serials":[{"part":"receiver","number":"%d","state":"intact"}]}}],`+
		`"narrative":"Driver %d declared spare parts; X-ray image showed a compartment under the floor with %d items."}`,
		i, i*7919, i%100000, i%37, i%28+1, i%24, i%60, i%1000, i, i*104729, 1000000+i*31, i, i%5+1)
}

func BenchmarkWrite100kRecords(b *testing.B) {
	const n = 100_000
	fx := newFixture(b)
	recs := make([][]byte, n)
	var size int64
	for i := range recs {
		recs[i] = syntheticRecord(i)
		size += int64(len(recs[i])) + 1
	}
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(fx.dir, fmt.Sprintf("bench-%d.kordon", i))
		w, err := Create(out, fx.writeOpts())
		require.NoError(b, err)
		for _, r := range recs {
			if err := w.AddRecord(r); err != nil {
				b.Fatal(err)
			}
		}
		require.NoError(b, w.AddAudit([]byte(`{"seq":1,"action":"export"}`)))
		_, err = w.Close()
		require.NoError(b, err)
		b.StopTimer()
		os.Remove(out)
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkOpenVerify(b *testing.B) {
	for _, encrypt := range []bool{false, true} {
		b.Run(fmt.Sprintf("encrypted=%v", encrypt), func(b *testing.B) {
			fx := newFixture(b)
			c := content{}
			var size int64
			for i := range 10_000 {
				c.records = append(c.records, syntheticRecord(i))
				size += int64(len(c.records[i])) + 1
			}
			for range 32 {
				m := make([]byte, 1<<20)
				_, _ = rand.Read(m)
				c.media = append(c.media, m)
				size += int64(len(m))
			}
			opts := fx.writeOpts()
			if encrypt {
				opts.Recipient = fx.officeID.Recipient()
			}
			res := writeBundle(b, fx.path("bench.kordon"), opts, c)
			vo := fx.verifyOpts()
			b.SetBytes(size)
			b.ResetTimer()
			for b.Loop() {
				rd, err := Open(res.Path, vo)
				if err != nil {
					b.Fatal(err)
				}
				rd.Close()
			}
			b.ReportMetric(float64(res.Size)/1e6, "bundle-MB")
		})
	}
}

// TestSyntheticRecordIsJSON keeps the benchmark's records valid.
func TestSyntheticRecordIsJSON(t *testing.T) {
	for _, i := range []int{0, 1, 99_999} {
		require.True(t, validLine(syntheticRecord(i)), string(syntheticRecord(i)))
	}
	require.False(t, bytes.Equal(syntheticRecord(1), syntheticRecord(2)))
}
