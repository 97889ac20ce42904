package links

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/layout"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/kordon/kordon/internal/idkey"
)

// NodeType is what a node of a network stands for.
type NodeType string

// Node types.
const (
	NodeRecord       NodeType = "record"
	NodePerson       NodeType = "person"
	NodeVehicle      NodeType = "vehicle"
	NodeWeapon       NodeType = "weapon"
	NodeDocument     NodeType = "document"
	NodeOrganisation NodeType = "organisation"
	NodePhone        NodeType = "phone"
	NodeAmmunition   NodeType = "ammunition"
)

// TypeOf is the type of node an identifier of the kind belongs to.
func TypeOf(k idkey.Kind) NodeType {
	switch k {
	case idkey.Weapon, idkey.Serial, idkey.PartSerial:
		return NodeWeapon
	case idkey.Document:
		return NodeDocument
	case idkey.Person, idkey.Name:
		return NodePerson
	case idkey.Plate, idkey.PlateNumber, idkey.VIN, idkey.Container:
		return NodeVehicle
	case idkey.Organisation, idkey.Registration:
		return NodeOrganisation
	case idkey.Phone:
		return NodePhone
	case idkey.Ammunition:
		return NodeAmmunition
	}
	return NodeType(k)
}

// Node is a record, or a person, vehicle, weapon, document, organisation,
// phone or ammunition lot seen in one or more records.
type Node struct {
	Type NodeType
	// Label is the record's number, or the thing as a record writes it.
	Label string
	// Ref, PostCode and OccurredAt are a record node's.
	Ref        string
	PostCode   string
	OccurredAt time.Time
	// Records counts the records a thing is seen in.
	Records int
	// Seed marks the cluster's own records and the thing they share.
	Seed bool
	// X and Y place the node in the unit square once laid out.
	X, Y float64
}

// Edge joins a record to a thing seen in it.
type Edge struct{ From, To int }

// Network is what surrounds one cluster: its records, the records that
// share a strong key with them, and the things they name.
type Network struct {
	Nodes []Node
	Edges []Edge
	// Capped says that not everything found is shown: Found things and
	// records were found, len(Nodes) are shown.
	Capped bool
	Found  int
}

// entityOf names the thing in a record that an identifier belongs to: a
// person and the document and phone they hold are three things.
func entityOf(id *idkey.Ident) string { return id.Entity + "#" + string(TypeOf(id.Kind)) }

// Build makes the network of the cluster kind:key from the records found
// around it (the store's Neighbourhood), with at most max nodes: records
// first, then the things two or more records share, then the others.
// found counts the records found in all, shown or not. Things in
// different records are one node when they share a strong key, or the
// cluster's own key.
func Build(kind idkey.Kind, key string, recs []Carrier, found, max int) *Network {
	n := &Network{Found: found}
	type inst struct{ rec, ent string }
	parent := map[inst]inst{}
	var find func(x inst) inst
	find = func(x inst) inst {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	union := func(a, b inst) {
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[rb] = ra
		}
	}
	type thing struct {
		typ     NodeType
		label   string
		strong  bool
		seed    bool
		records map[string]bool
	}
	byKey := map[string]inst{}
	insts := map[inst]*thing{}
	var order []inst
	for _, r := range recs {
		for i := range r.Idents {
			id := &r.Idents[i]
			x := inst{r.Ref, entityOf(id)}
			if _, ok := parent[x]; !ok {
				parent[x] = x
				order = append(order, x)
			}
			t := insts[x]
			if t == nil {
				t = &thing{typ: TypeOf(id.Kind), records: map[string]bool{r.Ref: true}}
				insts[x] = t
			}
			// A strong identifier names the thing best.
			if t.label == "" || id.Kind.Strong() && !t.strong {
				t.label, t.strong = id.Label, id.Kind.Strong()
			}
			seed := id.Kind == kind && id.Key == key
			t.seed = t.seed || seed
			if id.Kind.Strong() || seed {
				ck := ID(id.Kind, id.Key)
				if y, ok := byKey[ck]; ok {
					union(y, x)
				} else {
					byKey[ck] = x
				}
			}
		}
	}
	// Merge the instances into things.
	merged := map[inst]*thing{}
	var roots []inst
	for _, x := range order {
		root := find(x)
		t := insts[x]
		m := merged[root]
		if m == nil {
			m = &thing{typ: t.typ, label: t.label, strong: t.strong, records: map[string]bool{}}
			merged[root] = m
			roots = append(roots, root)
		}
		if !m.strong && t.strong {
			m.label, m.strong = t.label, true
		}
		m.seed = m.seed || t.seed
		for ref := range t.records {
			m.records[ref] = true
		}
	}
	// Records, then things seen in several records, then the rest.
	sort.SliceStable(roots, func(i, j int) bool {
		a, b := merged[roots[i]], merged[roots[j]]
		if a.seed != b.seed {
			return a.seed
		}
		return len(a.records) > len(b.records)
	})
	seeds := map[string]bool{}
	index := map[string]int{}
	for _, r := range recs {
		for _, id := range r.Idents {
			if id.Kind == kind && id.Key == key {
				seeds[r.Ref] = true
			}
		}
	}
	for _, r := range recs {
		if len(n.Nodes) >= max {
			n.Capped = true
			break
		}
		index[r.Ref] = len(n.Nodes)
		n.Nodes = append(n.Nodes, Node{Type: NodeRecord, Label: r.Number, Ref: r.Ref, PostCode: r.PostCode, OccurredAt: r.OccurredAt, Records: 1, Seed: seeds[r.Ref]})
	}
	things := 0
	for _, root := range roots {
		t := merged[root]
		var ends []int
		for ref := range t.records {
			if i, ok := index[ref]; ok {
				ends = append(ends, i)
			}
		}
		if len(ends) == 0 {
			continue
		}
		things++
		if len(n.Nodes) >= max {
			n.Capped = true
			continue
		}
		sort.Ints(ends)
		at := len(n.Nodes)
		n.Nodes = append(n.Nodes, Node{Type: t.typ, Label: t.label, Records: len(t.records), Seed: t.seed})
		for _, e := range ends {
			n.Edges = append(n.Edges, Edge{From: e, To: at})
		}
	}
	n.Found += things
	if found > len(recs) {
		n.Capped = true
	}
	return n
}

// Layout places the nodes with the Eades force-directed layout (gonum),
// then scales them into the unit square. It is deterministic: the same
// network is laid out the same way each time.
func (n *Network) Layout() {
	switch len(n.Nodes) {
	case 0:
		return
	case 1:
		n.Nodes[0].X, n.Nodes[0].Y = 0.5, 0.5
		return
	}
	g := newPlane(n)
	eades := layout.EadesR2{Repulsion: 1, Rate: 0.05, Updates: 60, Theta: 0.5, Src: rand.NewPCG(12, 34)}
	opt := layout.NewOptimizerR2(g, eades.Update)
	for opt.Update() {
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range n.Nodes {
		c := opt.Coord2(int64(i))
		if math.IsNaN(c.X) || math.IsNaN(c.Y) || math.IsInf(c.X, 0) || math.IsInf(c.Y, 0) {
			c.X, c.Y = float64(i%7), float64(i/7)
		}
		n.Nodes[i].X, n.Nodes[i].Y = c.X, c.Y
		minX, maxX = math.Min(minX, c.X), math.Max(maxX, c.X)
		minY, maxY = math.Min(minY, c.Y), math.Max(maxY, c.Y)
	}
	w, h := maxX-minX, maxY-minY
	for i := range n.Nodes {
		if w > 0 {
			n.Nodes[i].X = (n.Nodes[i].X - minX) / w
		} else {
			n.Nodes[i].X = 0.5
		}
		if h > 0 {
			n.Nodes[i].Y = (n.Nodes[i].Y - minY) / h
		} else {
			n.Nodes[i].Y = 0.5
		}
	}
}

// plane is a network as gonum's undirected graph, its nodes and their
// neighbours always given in index order: the layout visits them in that
// order, so the same network is drawn the same way every time (gonum's
// own graphs give their nodes in map order).
type plane struct {
	nodes []graph.Node
	adj   [][]int
	edge  map[[2]int]bool
}

func newPlane(n *Network) *plane {
	p := &plane{nodes: make([]graph.Node, len(n.Nodes)), adj: make([][]int, len(n.Nodes)), edge: map[[2]int]bool{}}
	for i := range n.Nodes {
		p.nodes[i] = simple.Node(i)
	}
	for _, e := range n.Edges {
		if e.From == e.To || p.edge[[2]int{e.From, e.To}] {
			continue
		}
		p.edge[[2]int{e.From, e.To}], p.edge[[2]int{e.To, e.From}] = true, true
		p.adj[e.From] = append(p.adj[e.From], e.To)
		p.adj[e.To] = append(p.adj[e.To], e.From)
	}
	for _, a := range p.adj {
		sort.Ints(a)
	}
	return p
}

func (p *plane) valid(id int64) bool { return id >= 0 && id < int64(len(p.nodes)) }

func (p *plane) Node(id int64) graph.Node {
	if !p.valid(id) {
		return nil
	}
	return p.nodes[id]
}

func (p *plane) Nodes() graph.Nodes { return iterator.NewOrderedNodes(p.nodes) }

func (p *plane) From(id int64) graph.Nodes {
	if !p.valid(id) || len(p.adj[id]) == 0 {
		return graph.Empty
	}
	out := make([]graph.Node, len(p.adj[id]))
	for i, j := range p.adj[id] {
		out[i] = p.nodes[j]
	}
	return iterator.NewOrderedNodes(out)
}

func (p *plane) HasEdgeBetween(x, y int64) bool {
	return p.valid(x) && p.valid(y) && p.edge[[2]int{int(x), int(y)}]
}

func (p *plane) Edge(u, v int64) graph.Edge {
	if !p.HasEdgeBetween(u, v) {
		return nil
	}
	return simple.Edge{F: p.nodes[u], T: p.nodes[v]}
}

func (p *plane) EdgeBetween(x, y int64) graph.Edge { return p.Edge(x, y) }
