package service_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/service"
)

// BenchmarkScreenAll100k screens every person and organisation of the
// training store KORDON_BENCH_STORE names (100,000 records of make bench)
// against the UN list of 2020-03-20, on a copy of the store.
func BenchmarkScreenAll100k(b *testing.B) {
	src := os.Getenv("KORDON_BENCH_STORE")
	if src == "" {
		b.Skip("KORDON_BENCH_STORE is not set")
	}
	if _, err := os.Stat(unList); err != nil {
		b.Skip("the UN list is not here")
	}
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "store")
	if out, err := exec.Command("cp", "-a", src, dir).CombinedOutput(); err != nil {
		b.Fatalf("copy the store: %v %s", err, out)
	}
	svc, err := service.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	start := time.Now()
	if _, err := svc.LoadList(ctx, unList); err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	for b.Loop() {
		n := 0
		start := time.Now()
		hits, err := svc.ScreenAll(ctx, true, func(done int) { n = done })
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.ReportMetric(took.Seconds(), "s")
		b.ReportMetric(float64(n)/took.Seconds(), "records/s")
		b.ReportMetric(float64(len(hits)), "hits")
		b.ReportMetric(float64(load.Milliseconds()), "load-ms")
	}
}

// BenchmarkFormScreening is the work a form does when the officer stops
// typing: its people and organisations against the UN list, its fields
// against a watch list of 1,000 entries. make bench adds the form's wait
// (30 ms) for the time until the warning shows.
func BenchmarkFormScreening(b *testing.B) {
	if _, err := os.Stat(unList); err != nil {
		b.Skip("the UN list is not here")
	}
	ctx := context.Background()
	office, err := service.Init(ctx, b.TempDir(), service.Setup{PostCode: "KZ-ALM", PostName: "Алматы", Office: true})
	if err != nil {
		b.Fatal(err)
	}
	defer office.Close()
	office.Actor = "bench"
	if _, err := office.LoadList(ctx, unList); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if _, err := office.AddWatch(ctx, "serial", fmt.Sprintf("KT%06d", i), "", ""); err != nil {
			b.Fatal(err)
		}
	}
	g := demo.New(demo.Options{Seed: 3})
	var times []time.Duration
	for b.Loop() {
		for i := 0; i < 1000; i++ {
			in := g.Record(5)
			start := time.Now()
			if _, err := office.HitsOf(ctx, in); err != nil {
				b.Fatal(err)
			}
			if _, err := office.WatchHits(ctx, in); err != nil {
				b.Fatal(err)
			}
			times = append(times, time.Since(start))
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(0, "ns/op")
}
