package ui

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/links"
)

// benchCarriers are the records of a synthetic network of 200 nodes: 60
// records, 55 things each seen in 2 to 6 of them and 85 seen in one, about
// 300 edges. The cluster is the first shared thing's key; tag makes the
// labels of one network differ from another's.
func benchCarriers(tag string, records, shared, single int) (recs []links.Carrier, kind idkey.Kind, key string) {
	rnd := rand.New(rand.NewPCG(7, 8))
	posts := []string{"KZ-DOS", "KZ-KHO", "KG-TOR", "UZ-TER", "TJ-PAN", "TM-FAR"}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	recs = make([]links.Carrier, records)
	for i := range recs {
		post := posts[rnd.IntN(len(posts))]
		recs[i] = links.Carrier{
			Ref: fmt.Sprintf("device/%s-%03d", tag, i), ID: fmt.Sprintf("%s-%03d", tag, i),
			Number: fmt.Sprintf("%s-2025-%s%04d", post, tag, i), PostCode: post,
			OccurredAt: start.Add(time.Duration(rnd.IntN(365*24)) * time.Hour),
		}
	}
	strong := []idkey.Kind{idkey.Weapon, idkey.Person, idkey.Plate, idkey.Phone, idkey.Document, idkey.Registration, idkey.VIN}
	weak := []idkey.Kind{idkey.Serial, idkey.Name, idkey.Ammunition, idkey.Organisation, idkey.Container, idkey.PlateNumber}
	add := func(r int, k idkey.Kind, key string) {
		c := &recs[r]
		c.Idents = append(c.Idents, idkey.Ident{Kind: k, Key: key, Label: tag + " " + key,
			Entity: fmt.Sprintf("items[%d]", len(c.Idents))})
	}
	for j := 0; j < shared; j++ {
		k := strong[j%len(strong)]
		key := fmt.Sprintf("%s/S%05d", tag, j)
		for _, r := range rnd.Perm(records)[:2+rnd.IntN(5)] {
			add(r, k, key)
		}
	}
	for j := 0; j < single; j++ {
		k := weak[j%len(weak)]
		add(rnd.IntN(records), k, fmt.Sprintf("%s/U%05d", tag, j))
	}
	return recs, strong[0], fmt.Sprintf("%s/S%05d", tag, 0)
}

// BenchmarkNetwork200 lays out the network of a cluster with 200 nodes and
// draws it in a window of 900×600, as the Links screen shows it: built
// from the records around the cluster, laid out, put in a window and
// painted (Fyne's software painter, as the test driver has it). The fonts
// are loaded before, as in a running application, but the labels are new.
func BenchmarkNetwork200(b *testing.B) {
	b.Setenv("LANG", "en_US.UTF-8")
	b.Setenv("HOME", b.TempDir())
	test.NewTempApp(b)
	label := func(n *links.Node) string { return n.Label }
	draw := func(n *links.Network) {
		w := test.NewWindow(newNetworkView(n, label, nil))
		w.Resize(fyne.NewSize(900, 600))
		if img := w.Canvas().Capture(); img.Bounds().Dx() < 900 {
			b.Fatalf("captured %v", img.Bounds())
		}
		w.Close()
	}
	// A small network first: fonts and the painter ready.
	warm, kind, key := benchCarriers("warm", 6, 4, 4)
	n := links.Build(kind, key, warm, len(warm), 400)
	n.Layout()
	draw(n)

	var laying, drawing time.Duration
	var nodes, edges int
	op := 0
	for b.Loop() {
		b.StopTimer()
		recs, kind, key := benchCarriers(fmt.Sprintf("N%d", op), 60, 55, 85)
		op++
		b.StartTimer()
		start := time.Now()
		n := links.Build(kind, key, recs, len(recs), 400)
		n.Layout()
		laid := time.Now()
		draw(n)
		drawing += time.Since(laid)
		laying += laid.Sub(start)
		nodes, edges = len(n.Nodes), len(n.Edges)
	}
	if nodes != 200 {
		b.Fatalf("%d nodes, want 200", nodes)
	}
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(per(laying+drawing), "ms")
	b.ReportMetric(per(laying), "layout-ms")
	b.ReportMetric(per(drawing), "draw-ms")
	b.ReportMetric(float64(nodes), "nodes")
	b.ReportMetric(float64(edges), "edges")
}
