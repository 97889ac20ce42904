package service_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

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
