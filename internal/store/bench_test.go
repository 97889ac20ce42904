package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// The raw baseline: the rows one save writes, computed beforehand and
// inserted with plain prepared statements in one transaction.

type rawRows struct {
	in      *record.Interdiction
	content []byte
	hash    string
	doc     document
}

func precompute(ins []*record.Interdiction, device string) []rawRows {
	out := make([]rawRows, len(ins))
	for i, in := range ins {
		in.Origin, in.Version = device, 1
		if in.Number == "" {
			in.Number = fmt.Sprintf("%s-%d-%06d", in.PostCode, in.OccurredAt.Year(), i+1)
		}
		content, _ := json.Marshal(in)
		sum := sha256.Sum256(content)
		out[i] = rawRows{in, content, hex.EncodeToString(sum[:]), searchDoc(in)}
	}
	return out
}

var rawQueries = []string{
	`INSERT INTO records (id, origin, post_code, number, version, status, occurred_utc, occurred_month, occurred_offset, crossing_point, pieces, training, saved_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	`INSERT INTO versions (rid, version, status, hash, saved_utc, actor, content) VALUES (?, ?, ?, ?, ?, ?, ?)`,
	`INSERT INTO items (rid, idx, kind, category, calibre, quantity) VALUES (?, ?, ?, ?, ?, ?)`,
	`INSERT INTO serials (key, rid) VALUES (?, ?)`,
	`INSERT INTO search (rowid, serials, names, body) VALUES (?, ?, ?, ?)`,
	`INSERT INTO audit (seq, at_utc, actor, action, record_id, version, content_hash, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
}

func rawInsert(ctx context.Context, s *Store, rows []rawRows, seq *int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := make([]func(...any) (int64, error), len(rawQueries))
	for i, q := range rawQueries {
		p, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		defer p.Close()
		stmts[i] = func(args ...any) (int64, error) {
			res, err := p.ExecContext(ctx, args...)
			if err != nil {
				return 0, err
			}
			return res.LastInsertId()
		}
	}
	now := utc(time.Now())
	for _, r := range rows {
		in := r.in
		_, offset := in.OccurredAt.Zone()
		rid, err := stmts[0](in.ID.String(), in.Origin, in.PostCode, in.Number, 1, in.Status, utc(in.OccurredAt), in.OccurredAt.Format("2006-01"), offset, in.CrossingPoint, pieces(in), in.Training, now)
		if err != nil {
			return err
		}
		if _, err := stmts[1](rid, 1, in.Status, r.hash, now, "raw", r.content); err != nil {
			return err
		}
		for i := range in.Items {
			it := &in.Items[i]
			if _, err := stmts[2](rid, i, it.Kind, it.Category(), it.CalibreOf().Code, it.Quantity); err != nil {
				return err
			}
		}
		for _, k := range r.doc.keys {
			if _, err := stmts[3](k, rid); err != nil {
				return err
			}
		}
		if _, err := stmts[4](rid, strings.Join(r.doc.keys, " "), r.doc.names, r.doc.body); err != nil {
			return err
		}
		*seq++
		if _, err := stmts[5](*seq, now, "raw", ActionCreate, in.ID.String(), 1, r.hash, "", r.hash); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func benchStore(b *testing.B) *Store {
	b.Helper()
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := s.SetMeta(context.Background(), map[string]string{MetaDeviceID: "bench"}); err != nil {
		b.Fatal(err)
	}
	return s
}

// saves is how many single-record saves one Save benchmark op measures.
const saves = 200

// BenchmarkSave10Items saves interdictions of 10 items one at a time, each
// in its own transaction, as the desktop application does.
func BenchmarkSave10Items(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	g := demo.New(demo.Options{Seed: 3})
	for b.Loop() {
		ins := make([]*record.Interdiction, saves)
		for i := range ins {
			ins[i] = g.Record(10)
		}
		start := time.Now()
		for _, in := range ins {
			if err := s.Save(ctx, in, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/saves, "µs/save")
	}
}

// BenchmarkRawSave10Items writes the same rows as BenchmarkSave10Items with
// plain prepared statements, one transaction per record: the baseline.
func BenchmarkRawSave10Items(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	g := demo.New(demo.Options{Seed: 3})
	var seq int64
	for b.Loop() {
		ins := make([]*record.Interdiction, saves)
		for i := range ins {
			ins[i] = g.Record(10)
		}
		rows := precompute(ins, "bench")
		start := time.Now()
		for i := range rows {
			if err := rawInsert(ctx, s, rows[i:i+1], &seq); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/saves, "µs/save")
	}
}

// BenchmarkRawBulk100kItems is the baseline of the bulk record add: 10,000
// interdictions of 10 items inserted raw in one transaction.
func BenchmarkRawBulk100kItems(b *testing.B) {
	ctx := context.Background()
	g := demo.New(demo.Options{Seed: 5})
	for b.Loop() {
		b.StopTimer()
		s := benchStore(b)
		ins := make([]*record.Interdiction, 10_000)
		for i := range ins {
			ins[i] = g.Record(10)
		}
		rows := precompute(ins, "bench")
		var seq int64
		b.StartTimer()
		start := time.Now()
		if err := rawInsert(ctx, s, rows, &seq); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(100_000/time.Since(start).Seconds(), "items/s")
	}
}

// BenchmarkSearch1M searches the training store named by KORDON_BENCH_STORE
// (make bench builds one of 1,000,000 items with kordon demo) and reports
// the median and 95th percentile latency of each kind of query.
func BenchmarkSearch1M(b *testing.B) {
	dir := benchStoreDir(b)
	ctx := context.Background()
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var items int
	if err := s.db.QueryRow("SELECT count(*) FROM items").Scan(&items); err != nil {
		b.Fatal(err)
	}
	b.Logf("store %s: %d items", dir, items)

	// Queries made from what the store holds, spread over it.
	var serials, names []string
	rows, err := s.db.Query("SELECT key FROM serials WHERE rid % 500 = 0 AND length(key) >= 8 AND key GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9]' LIMIT 200")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		serials = append(serials, k)
	}
	rows.Close()
	names = sampleNames()
	kinds := []struct {
		name    string
		queries func() []string
		// explain is how many hits are explained after the search, as
		// the desktop explains the rows it shows.
		explain int
	}{
		{"serial-exact", func() []string { return serials }, 0},
		{"serial-partial", func() []string {
			out := make([]string, len(serials))
			for i, k := range serials {
				out[i] = k[len(k)-6 : len(k)-1] // five digits from the middle of the number
			}
			return out
		}, 0},
		{"person-name", func() []string { return names }, 0},
		{"person-name-explained", func() []string { return names }, 40},
	}
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			qs := k.queries()
			if len(qs) == 0 {
				b.Skip("no queries")
			}
			for b.Loop() {
				lat := make([]float64, 0, len(qs))
				for _, q := range qs {
					start := time.Now()
					hits, err := s.Search(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					if k.explain > 0 {
						if err := s.Describe(ctx, q, hits[:min(k.explain, len(hits))]); err != nil {
							b.Fatal(err)
						}
					}
					lat = append(lat, float64(time.Since(start).Microseconds())/1000)
				}
				slices.Sort(lat)
				b.ReportMetric(lat[len(lat)/2], "p50-ms")
				b.ReportMetric(lat[len(lat)*95/100], "p95-ms")
			}
		})
	}
}

// benchStoreDir is the training store named by KORDON_BENCH_STORE; the
// benchmark is skipped without one.
func benchStoreDir(b *testing.B) string {
	b.Helper()
	dir := os.Getenv("KORDON_BENCH_STORE")
	if dir == "" {
		b.Skip("KORDON_BENCH_STORE not set; make bench sets it")
	}
	return dir
}

// openBenchStore opens the training store named by KORDON_BENCH_STORE.
func openBenchStore(b *testing.B) *Store {
	b.Helper()
	dir := benchStoreDir(b)
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	var recs, items int
	if err := s.db.QueryRow("SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM items)").Scan(&recs, &items); err != nil {
		b.Fatal(err)
	}
	b.Logf("store %s: %d records, %d items", dir, recs, items)
	return s
}

// BenchmarkBackfillIdents1M upgrades a copy of the training store named by
// KORDON_BENCH_STORE from schema 8, as an office's first start of this
// version does: migrations 9 to 14 and their backfills (the identifier
// index, the items' ids and marks). It reports the upgrade's seconds and
// items per second, then the identifiers indexed per second when the index
// is made again alone (as on opening a folder indexed by other key rules).
func BenchmarkBackfillIdents1M(b *testing.B) {
	src := benchStoreDir(b)
	if v := SchemaVersion(); v != 14 {
		// The migrations after 8 run on the copy again: downgradeTo8
		// must drop what each of them makes.
		b.Fatalf("schema %d: downgradeTo8 knows the tables of schemas 9 to 14 only", v)
	}
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		if err := copyStore(src, dir); err != nil {
			b.Fatal(err)
		}
		if err := downgradeTo8(filepath.Join(dir, FileName)); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		s, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		upgrade := time.Since(start)
		b.StopTimer()
		var idents, recs, items int
		if err := s.db.QueryRow("SELECT (SELECT count(*) FROM idents), (SELECT count(*) FROM records), (SELECT count(*) FROM items WHERE item_id != '')").Scan(&idents, &recs, &items); err != nil {
			b.Fatal(err)
		}
		if idents == 0 || items == 0 {
			b.Fatal("nothing indexed")
		}
		if _, err := s.db.Exec("UPDATE meta SET value = '0' WHERE key = ?", MetaIdkeyVersion); err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.StartTimer()
		start = time.Now()
		if s, err = Open(dir); err != nil {
			b.Fatal(err)
		}
		reindex := time.Since(start)
		b.StopTimer()
		s.Close()
		b.ReportMetric(float64(idents)/reindex.Seconds(), "idents/s")
		b.ReportMetric(float64(idents), "idents")
		b.ReportMetric(float64(recs), "records")
		b.ReportMetric(upgrade.Seconds(), "upgrade-s")
		b.ReportMetric(float64(items)/upgrade.Seconds(), "upgrade-items/s")
		b.StartTimer()
	}
}

// copyStore copies the database of the data folder src, and its
// write-ahead log if it has one, to the folder dst.
func copyStore(src, dst string) error {
	for _, name := range []string{FileName, FileName + "-wal"} {
		in, err := os.Open(filepath.Join(src, name))
		if errors.Is(err, fs.ErrNotExist) && name != FileName {
			continue
		}
		if err != nil {
			return err
		}
		out, err := os.Create(filepath.Join(dst, name))
		if err == nil {
			_, err = io.Copy(out, in)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		in.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// downgradeTo8 takes the database at path back to schema 8: without the
// identifiers and judgements tables migration 9 makes.
func downgradeTo8(path string) error {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	db, err := sql.Open("sqlite", fileURI(path, q))
	if err != nil {
		return err
	}
	defer db.Close()
	for _, stmt := range []string{"DROP TABLE IF EXISTS idents", "DROP TABLE IF EXISTS judgements",
		"DROP TABLE IF EXISTS lists", "DROP TABLE IF EXISTS screening_decisions", "DROP TABLE IF EXISTS alerts", "DROP TABLE IF EXISTS watch",
		"DROP TABLE IF EXISTS traces", "DROP TABLE IF EXISTS trace_versions", "DROP INDEX IF EXISTS items_item", "DROP INDEX IF EXISTS items_traced",
		"DROP TRIGGER IF EXISTS items_trace_gone", "DROP TRIGGER IF EXISTS items_trace_back", "DROP TABLE IF EXISTS trace_counts",
		"ALTER TABLE items DROP COLUMN make", "ALTER TABLE items DROP COLUMN model", "ALTER TABLE items DROP COLUMN serial",
		"ALTER TABLE items DROP COLUMN traced", "ALTER TABLE items DROP COLUMN item_id",
		"PRAGMA user_version = 8",
		"PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := db.Exec(stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// BenchmarkLinksOfRecord1M reads the links of 1,000 records of the
// training store named by KORDON_BENCH_STORE, chosen at random, as the
// record screen does (links and suggestions), and reports the median and
// 95th percentile latency.
func BenchmarkLinksOfRecord1M(b *testing.B) {
	ctx := context.Background()
	s := openBenchStore(b)
	var refs []string
	rows, err := s.db.Query("SELECT origin, id FROM records WHERE deleted = 0 ORDER BY rid")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var origin, id string
		if err := rows.Scan(&origin, &id); err != nil {
			b.Fatal(err)
		}
		refs = append(refs, Ref(origin, id))
	}
	rows.Close()
	if len(refs) == 0 {
		b.Skip("no records")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	chosen := make([]string, 1000)
	for i := range chosen {
		chosen[i] = refs[rnd.IntN(len(refs))]
	}
	for b.Loop() {
		lat := make([]float64, 0, len(chosen))
		linked, clusters := 0, 0
		for _, ref := range chosen {
			start := time.Now()
			cs, err := s.LinksOf(ctx, ref, links.Filter{Suggestions: true})
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, float64(time.Since(start).Microseconds())/1000)
			if len(cs) > 0 {
				linked++
				clusters += len(cs)
			}
		}
		slices.Sort(lat)
		b.ReportMetric(lat[len(lat)/2], "p50-ms")
		b.ReportMetric(lat[len(lat)*95/100], "p95-ms")
		b.ReportMetric(lat[len(lat)-1], "max-ms")
		b.ReportMetric(float64(linked), "linked")
		b.ReportMetric(float64(clusters), "clusters")
	}
}

// BenchmarkAllClusters1M reads every link of the training store named by
// KORDON_BENCH_STORE, as `kordon links --training` does (its records are
// all training records, which links leave out otherwise), and reports the
// time; with KORDON_BIN (make bench sets it), also the time of
// `kordon links --json --training`.
func BenchmarkAllClusters1M(b *testing.B) {
	ctx := context.Background()
	dir := benchStoreDir(b)
	bin := os.Getenv("KORDON_BIN")
	for b.Loop() {
		s, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		cs, err := s.Clusters(ctx, links.Filter{Training: true})
		took := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.ReportMetric(float64(took.Microseconds())/1000, "ms")
		b.ReportMetric(float64(len(cs)), "clusters")
		if bin == "" {
			b.Log("KORDON_BIN not set: kordon links --json not timed")
			continue
		}
		cmd := exec.Command(bin, "--data", dir, "links", "--json", "--training")
		cmd.Env = append(os.Environ(), "KORDON_LANG=en")
		var errOut strings.Builder
		cmd.Stderr = &errOut // stdout: the null device
		start = time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("kordon links --json --training: %v\n%s", err, errOut.String())
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "cli-ms")
	}
}

// sampleNames are surnames as an analyst would type them, in either script.
func sampleNames() []string {
	var out []string
	for i := 0; i < 10; i++ {
		for _, n := range []string{"Иванов", "Kasymov", "Oʻrinov", "Шукурова", "Toshmatov", "Ғафуров", "Berdiyev", "Әлиев", "Nazarov", "Raximov"} {
			out = append(out, n)
		}
	}
	return out
}

// pieces is what the records table counts of in (record.Counts).
func pieces(in *record.Interdiction) int {
	p, _ := in.Counts()
	return p
}

// BenchmarkTraceList1M reads the tracing work list (training records
// included) of a copy of the training store named by KORDON_BENCH_STORE
// (a million items) in which every second traced item has a trace, of every status, a third of the
// open requests overdue: the first page (500 rows) and every count, as the
// Tracing screen reads them; then the overdue requests alone, the items
// not attempted alone, and the origins established by an authority alone.
// It reports the median and 95th percentile latency of the first, and the
// 95th percentile of the others.
func BenchmarkTraceList1M(b *testing.B) {
	ctx := context.Background()
	src := benchStoreDir(b)
	dir := b.TempDir()
	if err := copyStore(src, dir); err != nil {
		b.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	today := time.Now().UTC().Format(time.DateOnly)
	var items, traces int
	err = s.update(ctx, "bench", func(bt *batch) error {
		rows, err := bt.tx.QueryContext(ctx, `SELECT i.rid, i.item_id FROM items i WHERE i.traced != 0
			AND NOT EXISTS (SELECT 1 FROM trace_versions v WHERE v.rid = i.rid AND v.item_id = i.item_id) ORDER BY i.rid, i.idx`)
		if err != nil {
			return err
		}
		type key struct {
			rid int64
			id  string
		}
		var keys []key
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.rid, &k.id); err != nil {
				rows.Close()
				return err
			}
			items++
			if items%2 == 0 {
				keys = append(keys, k)
			}
		}
		rows.Close()
		statuses := []string{tracing.RequestSent, tracing.RequestSent, tracing.AnswerInsufficient, tracing.NotTraceable, tracing.EstablishedTracing, tracing.EstablishedAuthority}
		for i, k := range keys {
			t := &tracing.Trace{Status: statuses[i%len(statuses)]}
			switch t.Status {
			case tracing.NotTraceable:
				t.Reason = "obliterated"
			case tracing.RequestSent:
				due := time.Now().AddDate(0, 0, 60-(i%90)).Format(time.DateOnly)
				t.Requests = []tracing.Request{{To: "RU", Channel: "iarms", Sent: "2026-01-05", Due: due}}
			case tracing.AnswerInsufficient, tracing.EstablishedTracing:
				t.Requests = []tracing.Request{{To: "CN", Channel: "bilateral", Sent: "2026-01-05", Answered: "2026-02-01"}}
				t.Answer = &tracing.Answer{LastLegalCountry: "CN"}
			}
			body, _ := json.Marshal(t)
			at := utc(time.Now())
			if _, err := bt.exec(ctx, "INSERT INTO trace_versions (rid, item_id, version, body, actor, at_utc) VALUES (?, ?, 1, ?, 'bench', ?)", k.rid, k.id, body, at); err != nil {
				return err
			}
			if _, err := bt.exec(ctx, "INSERT INTO traces (rid, item_id, status, due, version, at_utc, live) VALUES (?, ?, ?, ?, 1, ?, 2)", k.rid, k.id, t.Status, t.NextDue(), at); err != nil {
				return err
			}
			traces++
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var all, overdue, none, status []time.Duration
	var list *view.TraceList
	for b.Loop() {
		for range 20 {
			start := time.Now()
			list, err = s.TraceList(ctx, view.TraceFilter{Today: today, Limit: 500, Training: true})
			all = append(all, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			start = time.Now()
			if _, err := s.TraceList(ctx, view.TraceFilter{Today: today, Overdue: true, Limit: 500, Training: true}); err != nil {
				b.Fatal(err)
			}
			overdue = append(overdue, time.Since(start))
			start = time.Now()
			if _, err := s.TraceList(ctx, view.TraceFilter{Today: today, Status: tracing.NotAttempted, Limit: 500, Training: true}); err != nil {
				b.Fatal(err)
			}
			none = append(none, time.Since(start))
			start = time.Now()
			if _, err := s.TraceList(ctx, view.TraceFilter{Today: today, Status: tracing.EstablishedAuthority, Limit: 500, Training: true}); err != nil {
				b.Fatal(err)
			}
			status = append(status, time.Since(start))
		}
	}
	if len(list.Items) != 500 || list.Traced < items {
		b.Fatalf("%d rows, %d traced of %d", len(list.Items), list.Traced, items)
	}
	p := func(ds []time.Duration, q float64) float64 {
		slices.Sort(ds)
		return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(p(all, 0.5), "p50-ms")
	b.ReportMetric(p(all, 0.95), "p95-ms")
	b.ReportMetric(p(overdue, 0.95), "overdue-p95-ms")
	b.ReportMetric(p(none, 0.95), "none-p95-ms")
	b.ReportMetric(p(status, 0.95), "status-p95-ms")
	b.ReportMetric(float64(items), "items")
	b.ReportMetric(float64(traces), "traces")
}
