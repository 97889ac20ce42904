package service_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
)

// intakeForm is a record as a JSON intake gives it: without what the
// program sets.
func intakeForm(tb testing.TB, in *record.Interdiction) map[string]any {
	raw, err := json.Marshal(in)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	delete(m, "id")
	delete(m, "version")
	return m
}

// BenchmarkRecordAdd100kItems is `kordon record add` of a JSON array of
// 10,000 interdictions with 10 items each: decode, validate, store, index
// and audit, in one transaction.
func BenchmarkRecordAdd100kItems(b *testing.B) {
	ctx := context.Background()
	g := demo.New(demo.Options{Seed: 5, Posts: []demo.Post{demo.PostFor("KZ-DOS", "Bench")}})
	for b.Loop() {
		b.StopTimer()
		ins := make([]any, 10_000)
		for i := range ins {
			ins[i] = intakeForm(b, g.Record(10))
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
		res, err := svc.AddJSON(ctx, bytes.NewReader(data), service.Intake{})
		if err != nil {
			b.Fatal(err)
		}
		added := res.Added
		b.ReportMetric(100_000/time.Since(start).Seconds(), "items/s")
		b.StopTimer()
		if len(added) != 10_000 {
			b.Fatalf("added %d records", len(added))
		}
		svc.Close()
		b.StartTimer()
	}
}

// benchPair makes a post and its office that trust each other.
func benchPair(b *testing.B) (post, office *service.Service, device string) {
	b.Helper()
	ctx := context.Background()
	post, err := service.Init(ctx, b.TempDir(), service.Setup{PostCode: "KZ-DOS", PostName: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	office, err = service.Init(ctx, b.TempDir(), service.Setup{PostCode: "KZ-ALM", PostName: "Office", Office: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { post.Close(); office.Close() })
	ppk, _ := post.PublicKey(ctx)
	opk, _ := office.PublicKey(ctx)
	if err := office.Trust(ctx, ppk, ""); err != nil {
		b.Fatal(err)
	}
	if err := post.Trust(ctx, opk, ""); err != nil {
		b.Fatal(err)
	}
	p, _ := post.Post(ctx)
	return post, office, p.DeviceID
}

// exportSetup makes a post with 10,000 final interdictions of 10 items
// and its office, trusting each other.
func exportSetup(b *testing.B) (post, office *service.Service) {
	b.Helper()
	ctx := context.Background()
	post, office, device := benchPair(b)
	g := demo.New(demo.Options{Seed: 9, Final: 1, Posts: []demo.Post{demo.PostFor("KZ-DOS", "Bench")}})
	for i := 0; i < 10; i++ {
		batch := make([]*record.Interdiction, 1000)
		for j := range batch {
			batch[j] = g.Record(10)
			batch[j].Status = record.StatusFinal
			batch[j].Training = false // training records are never exported
			batch[j].Origin = device
		}
		if err := service.StoreOf(post).Add(ctx, batch, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	return post, office
}

// BenchmarkExport100kItems writes the bundle of 10,000 interdictions /
// 100,000 items.
func BenchmarkExport100kItems(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		post, _ := exportSetup(b)
		b.StartTimer()
		start := time.Now()
		res, err := post.Export(ctx, service.ExportOptions{Out: b.TempDir(), Plain: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(100_000/time.Since(start).Seconds(), "items/s")
		b.ReportMetric(float64(res.Size)/1e6, "MB")
	}
}

// BenchmarkImport100kItems verifies and imports that bundle at the office.
func BenchmarkImport100kItems(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		post, office := exportSetup(b)
		res, err := post.Export(ctx, service.ExportOptions{Out: b.TempDir(), Plain: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		imp, err := office.Import(ctx, res.Path, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(100_000/time.Since(start).Seconds(), "items/s")
		if imp.New != 10_000 {
			b.Fatalf("imported %d versions", imp.New)
		}
	}
}

// benchPostOf makes another post that trusts the office and that the
// office trusts.
func benchPostOf(b *testing.B, office *service.Service, code, name string) (post *service.Service, device string) {
	b.Helper()
	ctx := context.Background()
	post, err := service.Init(ctx, b.TempDir(), service.Setup{PostCode: code, PostName: name})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { post.Close() })
	ppk, _ := post.PublicKey(ctx)
	opk, _ := office.PublicKey(ctx)
	if err := office.Trust(ctx, ppk, ""); err != nil {
		b.Fatal(err)
	}
	if err := post.Trust(ctx, opk, ""); err != nil {
		b.Fatal(err)
	}
	p, _ := post.Post(ctx)
	return post, p.DeviceID
}

// linkedSetup makes two posts and their office. The demo generator makes
// about 20,000 final interdictions of 10 items at the two posts: each post
// holds its own. The office has imported the other post's already; the
// post's, to export, share a courier, truck, weapon, company or telephone
// with some of them, as a network's records do.
func linkedSetup(b *testing.B) (post, office *service.Service) {
	b.Helper()
	ctx := context.Background()
	post, office, device := benchPair(b)
	other, otherDevice := benchPostOf(b, office, "UZ-TER", "Termiz")
	g := demo.New(demo.Options{Seed: 9, Final: 1, Posts: []demo.Post{demo.PostFor("KZ-DOS", "Bench"), demo.PostFor("UZ-TER", "Termiz")}})
	var own, held []*record.Interdiction
	flush := func(svc *service.Service, batch *[]*record.Interdiction) {
		if len(*batch) == 0 {
			return
		}
		if err := service.StoreOf(svc).Add(ctx, *batch, "bench"); err != nil {
			b.Fatal(err)
		}
		*batch = (*batch)[:0]
	}
	for n := 0; n < 10_000; {
		in := g.Record(10)
		in.Status, in.Training = record.StatusFinal, false // training records are never exported
		if in.PostCode == "KZ-DOS" {
			in.Origin = device
			if own = append(own, in); len(own) == 1000 {
				flush(post, &own)
			}
			n++
			continue
		}
		in.Origin = otherDevice
		if held = append(held, in); len(held) == 1000 {
			flush(other, &held)
		}
	}
	flush(post, &own)
	flush(other, &held)
	res, err := other.Export(ctx, service.ExportOptions{Out: b.TempDir(), Plain: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := office.Import(ctx, res.Path, nil); err != nil {
		b.Fatal(err)
	}
	return post, office
}

// summaryClock is the context an import is given to see when its link
// summary starts: the first time the summary (Service.newLinks) asks the
// context whether to stop, which it does before reading each key.
type summaryClock struct {
	context.Context
	seen  atomic.Bool
	once  sync.Once
	start time.Time
}

func (c *summaryClock) Err() error {
	if !c.seen.Load() && onStack("internal/service.(*Service).newLinks") {
		c.once.Do(func() { c.start = time.Now() })
		c.seen.Store(true)
	}
	return c.Context.Err()
}

// onStack reports whether the function fn (package path and name) called
// the caller of onStack's caller, or one further up.
func onStack(fn string) bool {
	var pcs [24]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs[:])])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, fn) {
			return true
		}
		if !more {
			return false
		}
	}
}

// BenchmarkImportLinkSummary imports the bundle of 10,000 interdictions /
// 100,000 items into an office that holds records it links to, and
// reports the import's time with and without the summary of its links
// (what Service.Import reads once the import is kept: the clusters its
// records' new identifiers make with records held before). summary-% is
// the summary's time over the rest of the import's.
func BenchmarkImportLinkSummary(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		post, office := linkedSetup(b)
		res, err := post.Export(context.Background(), service.ExportOptions{Out: b.TempDir(), Plain: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		ctx := &summaryClock{Context: context.Background()}
		b.StartTimer()
		start := time.Now()
		imp, err := office.Import(ctx, res.Path, nil)
		if err != nil {
			b.Fatal(err)
		}
		end := time.Now()
		b.StopTimer()
		if imp.New != 10_000 {
			b.Fatalf("imported %d versions", imp.New)
		}
		if len(imp.Alarms) > 0 {
			b.Fatalf("alarms: %v", imp.Alarms)
		}
		if !ctx.seen.Load() {
			b.Fatal("the link summary was not seen to start: does Service.newLinks still check its context?")
		}
		whole := end.Sub(start)
		summary := end.Sub(ctx.start)
		rest := whole - summary
		b.ReportMetric(float64(whole.Microseconds())/1000, "import-ms")
		b.ReportMetric(float64(rest.Microseconds())/1000, "nosummary-ms")
		b.ReportMetric(float64(summary.Microseconds())/1000, "summary-ms")
		b.ReportMetric(100*summary.Seconds()/rest.Seconds(), "summary-%")
		b.ReportMetric(float64(len(imp.Links)), "hits")
		b.ReportMetric(100_000/whole.Seconds(), "items/s")
		b.StartTimer()
	}
}

// BenchmarkImport1GBPeakRSS imports a bundle of about 1 GB, mostly photos,
// with the kordon binary named by KORDON_BIN (make bench sets it), and
// reports the import process's peak resident memory.
func BenchmarkImport1GBPeakRSS(b *testing.B) {
	bin := os.Getenv("KORDON_BIN")
	if bin == "" {
		b.Skip("KORDON_BIN not set; make bench sets it")
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		post, office := exportSetup1GB(b)
		res, err := post.Export(ctx, service.ExportOptions{Out: b.TempDir(), Plain: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		officeDir := office.Dir
		office.Close()
		b.StartTimer()
		cmd := exec.Command(bin, "--data", officeDir, "import", res.Path)
		cmd.Env = append(os.Environ(), "KORDON_LANG=en")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		// The kernel's peak for the child (rusage) counts this process's own
		// memory at the fork; the child's VmHWM is its own. It only grows,
		// so the last reading is the peak, give or take the last 20 ms.
		var peakKB int
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
	watch:
		for {
			select {
			case err := <-done:
				if err != nil {
					b.Fatalf("import: %v\n%s", err, out.String())
				}
				break watch
			case <-time.After(20 * time.Millisecond):
				if kb := vmHWM(cmd.Process.Pid); kb > peakKB {
					peakKB = kb
				}
			}
		}
		b.ReportMetric(float64(peakKB)/1024, "peak-MB")
		b.ReportMetric(float64(res.Size)/1e9, "GB")
	}
}

// vmHWM is a process's peak resident memory in KiB, from /proc.
func vmHWM(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb
		}
	}
	return 0
}

// exportSetup1GB makes a post with 100 final records of 5 photos of 2 MB
// each (incompressible, like JPEGs).
func exportSetup1GB(b *testing.B) (post, office *service.Service) {
	b.Helper()
	ctx := context.Background()
	post, office, device := benchPair(b)
	g := demo.New(demo.Options{Seed: 11, Final: 1, Posts: []demo.Post{demo.PostFor("KZ-DOS", "Bench")}})
	rnd := rand.New(rand.NewPCG(1, 2))
	photo := make([]byte, 2<<20)
	for i := 0; i < 100; i++ {
		in := g.Record(3)
		in.Status, in.Origin, in.Training = record.StatusFinal, device, false
		var media [][]byte
		for j := 0; j < 5; j++ {
			for k := 0; k+8 <= len(photo); k += 8 {
				binary.LittleEndian.PutUint64(photo[k:], rnd.Uint64())
			}
			data := append([]byte(nil), photo...)
			media = append(media, data)
			in.Photos = append(in.Photos, record.Photo{SHA256: store.SHA256(data), Tag: "overview"})
		}
		if err := service.StoreOf(post).Save(ctx, in, "bench", media...); err != nil {
			b.Fatal(err)
		}
	}
	return post, office
}
