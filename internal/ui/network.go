package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/links"
)

// nodeColours tell the types of node apart on the network and its legend.
var nodeColours = map[links.NodeType]color.NRGBA{
	links.NodeRecord:       {0x1f, 0x5f, 0xbf, 0xff},
	links.NodePerson:       {0xe0, 0x7b, 0x10, 0xff},
	links.NodeVehicle:      {0x2e, 0x8b, 0x3e, 0xff},
	links.NodeWeapon:       {0xc6, 0x28, 0x28, 0xff},
	links.NodeDocument:     {0x7b, 0x3f, 0xa0, 0xff},
	links.NodeOrganisation: {0x8d, 0x5a, 0x2b, 0xff},
	links.NodePhone:        {0x00, 0x83, 0x8f, 0xff},
	links.NodeAmmunition:   {0x61, 0x61, 0x61, 0xff},
}

// NetworkTypes are the node types in the order the legend shows them.
var networkTypes = []links.NodeType{links.NodeRecord, links.NodePerson, links.NodeVehicle, links.NodeWeapon,
	links.NodeDocument, links.NodeOrganisation, links.NodePhone, links.NodeAmmunition}

// networkView draws a laid-out network: records and the things they name
// as discs, an edge where a record names a thing, a label under each. A
// tap on a record opens it.
type networkView struct {
	widget.BaseWidget
	net   *links.Network
	label func(n *links.Node) string
	open  func(n *links.Node)
}

func newNetworkView(n *links.Network, label func(*links.Node) string, open func(*links.Node)) *networkView {
	v := &networkView{net: n, label: label, open: open}
	v.ExtendBaseWidget(v)
	return v
}

// Node radii, and the margin kept free around the drawing.
const (
	nodeRadius = 7
	seedRadius = 11
	netMargin  = 60
)

func (v *networkView) radius(n *links.Node) float32 {
	if n.Seed {
		return seedRadius
	}
	return nodeRadius
}

// at is where node i is drawn in a view of size s.
func (v *networkView) at(i int, s fyne.Size) fyne.Position {
	n := &v.net.Nodes[i]
	w, h := max(s.Width-2*netMargin, 1), max(s.Height-2*netMargin, 1)
	return fyne.NewPos(netMargin+float32(n.X)*w, netMargin/2+float32(n.Y)*h)
}

// Tapped opens the record under the tap, if any.
func (v *networkView) Tapped(ev *fyne.PointEvent) {
	if n := v.nodeAt(ev.Position); n != nil && v.open != nil {
		v.open(n)
	}
}

// nodeAt is the node drawn at p, nil if none.
func (v *networkView) nodeAt(p fyne.Position) *links.Node {
	if v.net == nil {
		return nil
	}
	size := v.Size()
	best, bestD := -1, float32(math.MaxFloat32)
	for i := range v.net.Nodes {
		c := v.at(i, size)
		d := float32(math.Hypot(float64(c.X-p.X), float64(c.Y-p.Y)))
		if d <= v.radius(&v.net.Nodes[i])+6 && d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return nil
	}
	return &v.net.Nodes[best]
}

func (v *networkView) MinSize() fyne.Size { return fyne.NewSize(420, 320) }

func (v *networkView) CreateRenderer() fyne.WidgetRenderer {
	r := &networkRenderer{v: v}
	r.make()
	return r
}

type networkRenderer struct {
	v     *networkView
	lines []*canvas.Line
	discs []*canvas.Circle
	texts []*canvas.Text
	all   []fyne.CanvasObject
	bg    *canvas.Rectangle
	drawn *links.Network
}

func (r *networkRenderer) make() {
	r.drawn = r.v.net
	r.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	r.all = []fyne.CanvasObject{r.bg}
	r.lines, r.discs, r.texts = nil, nil, nil
	if r.drawn == nil {
		return
	}
	edge := theme.Color(theme.ColorNameDisabled)
	for range r.drawn.Edges {
		l := canvas.NewLine(edge)
		l.StrokeWidth = 1
		r.lines = append(r.lines, l)
		r.all = append(r.all, l)
	}
	for i := range r.drawn.Nodes {
		n := &r.drawn.Nodes[i]
		c := canvas.NewCircle(nodeColours[n.Type])
		if n.Seed {
			c.StrokeColor = theme.Color(theme.ColorNameForeground)
			c.StrokeWidth = 2
		}
		r.discs = append(r.discs, c)
		r.all = append(r.all, c)
	}
	for i := range r.drawn.Nodes {
		t := canvas.NewText(r.v.label(&r.drawn.Nodes[i]), theme.Color(theme.ColorNameForeground))
		t.TextSize = theme.CaptionTextSize()
		t.Alignment = fyne.TextAlignCenter
		r.texts = append(r.texts, t)
		r.all = append(r.all, t)
	}
}

func (r *networkRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	if r.drawn == nil {
		return
	}
	for i, e := range r.drawn.Edges {
		r.lines[i].Position1 = r.v.at(e.From, s)
		r.lines[i].Position2 = r.v.at(e.To, s)
	}
	for i := range r.drawn.Nodes {
		p := r.v.at(i, s)
		rad := r.v.radius(&r.drawn.Nodes[i])
		r.discs[i].Move(fyne.NewPos(p.X-rad, p.Y-rad))
		r.discs[i].Resize(fyne.NewSize(2*rad, 2*rad))
		ts := r.texts[i].MinSize()
		r.texts[i].Move(fyne.NewPos(p.X-ts.Width/2, p.Y+rad+1))
		r.texts[i].Resize(ts)
	}
}

func (r *networkRenderer) MinSize() fyne.Size { return r.v.MinSize() }

func (r *networkRenderer) Refresh() {
	if r.drawn != r.v.net {
		r.make()
	}
	r.Layout(r.v.Size())
	canvas.Refresh(r.v)
}

func (r *networkRenderer) Objects() []fyne.CanvasObject { return r.all }

func (r *networkRenderer) Destroy() {}
