package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/service"
)

// BenchmarkRecordAdd100kItems is `kordon record add` of a JSON array of
// 10,000 interdictions with 10 items each: decode, validate, store, index
// and audit, in one transaction.
func BenchmarkRecordAdd100kItems(b *testing.B) {
	ctx := context.Background()
	g := demo.New(demo.Options{Seed: 5})
	for b.Loop() {
		b.StopTimer()
		ins := make([]any, 10_000)
		for i := range ins {
			ins[i] = g.Record(10)
		}
		data, err := json.Marshal(ins)
		if err != nil {
			b.Fatal(err)
		}
		svc, err := service.Init(ctx, b.TempDir(), service.Setup{PostCode: "KZ-DOS", PostName: "Bench"})
		if err != nil {
			b.Fatal(err)
		}
		svc.Actor = "bench"
		b.StartTimer()
		start := time.Now()
		added, err := svc.AddJSON(ctx, bytes.NewReader(data), ".")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(100_000/time.Since(start).Seconds(), "items/s")
		b.StopTimer()
		if len(added) != 10_000 {
			b.Fatalf("added %d records", len(added))
		}
		svc.Close()
		b.StartTimer()
	}
}
