package links

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kordon/kordon/internal/idkey"
)

// BenchmarkLayout200 builds and lays out the network of a cluster with
// 200 nodes: 60 records, 55 things each seen in 2 to 6 of them and 85
// seen in one, about 300 edges (the network BenchmarkNetwork200 of
// internal/ui also draws).
func BenchmarkLayout200(b *testing.B) {
	rnd := rand.New(rand.NewPCG(7, 8))
	recs := make([]Carrier, 60)
	for i := range recs {
		recs[i] = Carrier{Ref: fmt.Sprintf("device/%03d", i), ID: fmt.Sprint(i), Number: fmt.Sprintf("KZ-DOS-2025-%04d", i),
			PostCode: "KZ-DOS", OccurredAt: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)}
	}
	add := func(r int, k idkey.Kind, key string) {
		c := &recs[r]
		c.Idents = append(c.Idents, idkey.Ident{Kind: k, Key: key, Label: key, Entity: fmt.Sprintf("items[%d]", len(c.Idents))})
	}
	strong := []idkey.Kind{idkey.Weapon, idkey.Person, idkey.Plate, idkey.Phone, idkey.Document, idkey.Registration, idkey.VIN}
	weak := []idkey.Kind{idkey.Serial, idkey.Name, idkey.Ammunition, idkey.Organisation, idkey.Container, idkey.PlateNumber}
	for j := 0; j < 55; j++ {
		for _, r := range rnd.Perm(len(recs))[:2+rnd.IntN(5)] {
			add(r, strong[j%len(strong)], fmt.Sprintf("S%05d", j))
		}
	}
	for j := 0; j < 85; j++ {
		add(rnd.IntN(len(recs)), weak[j%len(weak)], fmt.Sprintf("U%05d", j))
	}
	var n *Network
	for b.Loop() {
		n = Build(strong[0], "S00000", recs, len(recs), 400)
		n.Layout()
	}
	if len(n.Nodes) != 200 {
		b.Fatalf("%d nodes, want 200", len(n.Nodes))
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms")
	b.ReportMetric(float64(len(n.Edges)), "edges")
}
