package report

import (
	"math"
	"strings"
)

// Page geometry in millimetres: A4 portrait with the margins of official
// correspondence in the region (a wide left margin for binding).
const (
	pageW        = 210.0
	pageH        = 297.0
	marginLeft   = 20.0
	marginRight  = 12.0
	marginTop    = 14.0
	runningTop   = 19.0 // content top of pages after the first, below the running head
	contentBot   = 276.0
	contentWidth = pageW - marginLeft - marginRight
	cellMargin   = 1.0 // horizontal padding inside a cell
	rowPad       = 0.8 // vertical padding inside a table row
	ptToMM       = 25.4 / 72
	fontFamily   = "NotoSans"
)

// Font sizes in points.
const (
	sizeBody    = 9.0
	sizeLabel   = 8.0
	sizeTable   = 7.5
	sizeSmall   = 6.5
	sizeHeading = 10.0
)

// lineHeight is the distance between baselines for a font size, in mm.
func lineHeight(size float64) float64 { return size * ptToMM * 1.28 }

// para is a paragraph of a cell: text in one style. Line breaks in text
// start new lines.
type para struct {
	text string
	bold bool
	// size overrides the cell's font size when not 0.
	size float64
}

// cell is one column of a row: its width, font size and paragraphs.
type cell struct {
	w     float64
	size  float64
	align string // "L", "C" or "R"
	paras []para
	// lh overrides the line height when not 0, so that a smaller label
	// sits on the baseline of the value beside it.
	lh float64
	// fill is the background grey level, 0 for none.
	fill int
	// color is the text grey level (0 black).
	color int
}

// line is one laid-out line of a cell.
type line struct {
	text string
	bold bool
	size float64
	h    float64
}

// height is the total height of lines.
func height(lines []line) float64 {
	h := 0.0
	for _, l := range lines {
		h += l.h
	}
	return h
}

// rowStyle says how a row is framed.
type rowStyle struct {
	border bool
	// pad is the vertical padding above and below the text.
	pad float64
	// keep moves a row that does not fit to the next page whenever it fits
	// on a page of its own, rather than splitting it.
	keep bool
}

// setFont selects the document font.
func (d *doc) setFont(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(fontFamily, style, size)
}

// split lays out the paragraphs of c into lines that fit its width.
func (d *doc) split(c *cell) []line {
	var out []line
	for _, p := range c.paras {
		size := c.size
		if p.size != 0 {
			size = p.size
		}
		lh := c.lh
		if lh == 0 {
			lh = lineHeight(size)
		}
		d.setFont(p.bold, size)
		for _, text := range strings.Split(p.text, "\n") {
			if text == "" {
				out = append(out, line{"", p.bold, size, lh})
				continue
			}
			for _, l := range d.pdf.SplitText(text, c.w) {
				out = append(out, line{strings.TrimRight(l, " "), p.bold, size, lh})
			}
		}
	}
	return out
}

// rowHeight is the height of a row of cells, padding included.
func (d *doc) rowHeight(cells []cell, st rowStyle) float64 {
	h := 0.0
	for i := range cells {
		h = math.Max(h, height(d.split(&cells[i])))
	}
	return h + 2*st.pad
}

// y is the current vertical position.
func (d *doc) y() float64 { return d.pdf.GetY() }

// space returns the height left on the page below the current position.
func (d *doc) space() float64 { return contentBot - d.y() }

// ensure starts a new page unless h millimetres fit below the current
// position.
func (d *doc) ensure(h float64) {
	if d.y()+h > contentBot {
		d.newPage()
	}
}

// atTop reports whether nothing has been drawn yet on the current page.
func (d *doc) atTop() bool { return d.y() <= d.pageTop+0.01 }

// newPage starts a page and repeats the current table header, if any.
func (d *doc) newPage() {
	d.pdf.AddPage()
	d.pageTop = runningTop
	if d.pdf.PageNo() == 1 {
		d.pageTop = marginTop
	}
	d.pdf.SetXY(marginLeft, d.pageTop)
	if d.tableHeader != nil {
		hdr := d.tableHeader
		d.tableHeader = nil
		d.row(hdr, rowStyle{border: true, pad: rowPad})
		d.tableHeader = hdr
	}
}

// row draws cells side by side from the left margin, as tall as the
// tallest. A row that does not fit moves to the next page; a row taller
// than a page, or one that would leave much of a page empty, is split
// between pages line by line, so that no text is ever cut off or runs
// past the bottom margin.
func (d *doc) row(cells []cell, st rowStyle) {
	lines := make([][]line, len(cells))
	for i := range cells {
		lines[i] = d.split(&cells[i])
	}
	first := true
	for {
		need := 0.0
		for i := range cells {
			need = math.Max(need, height(lines[i]))
		}
		need += 2 * st.pad
		avail := d.space()
		if need <= avail+0.001 {
			d.drawRow(cells, lines, need, st)
			return
		}
		// Move the whole row to a new page when it fits on one and either
		// must be kept together or would not leave much of this page empty.
		full := contentBot - runningTop - d.headerHeight()
		fitsPage := need <= full
		if first && !d.atTop() && (fitsPage && (st.keep || avail < full/3) || avail < 3*lineHeight(sizeBody)+2*st.pad) {
			d.newPage()
			first = false
			continue
		}
		first = false
		chunk := make([][]line, len(cells))
		rest := make([][]line, len(cells))
		for i := range cells {
			fit, h := 0, 0.0
			for fit < len(lines[i]) && h+lines[i][fit].h <= avail-2*st.pad+0.001 {
				h += lines[i][fit].h
				fit++
			}
			chunk[i], rest[i] = lines[i][:fit], lines[i][fit:]
		}
		d.drawRow(cells, chunk, avail, st)
		lines = rest
		d.newPage()
	}
}

// headerHeight is the height of the repeated table header, 0 outside a
// table.
func (d *doc) headerHeight() float64 {
	if d.tableHeader == nil {
		return 0
	}
	return d.rowHeight(d.tableHeader, rowStyle{pad: rowPad})
}

// drawRow draws laid-out lines of cells in a row of height h at the
// current position and moves below it.
func (d *doc) drawRow(cells []cell, lines [][]line, h float64, st rowStyle) {
	x, y := marginLeft, d.y()
	for i, c := range cells {
		if c.fill > 0 {
			d.pdf.SetFillColor(c.fill, c.fill, c.fill)
			d.pdf.Rect(x, y, c.w, h, "F")
		}
		if st.border {
			d.pdf.SetDrawColor(90, 90, 90)
			d.pdf.SetLineWidth(0.2)
			d.pdf.Rect(x, y, c.w, h, "D")
		}
		d.pdf.SetTextColor(c.color, c.color, c.color)
		align := c.align
		if align == "" {
			align = "L"
		}
		ly := y + st.pad
		for _, l := range lines[i] {
			d.setFont(l.bold, l.size)
			d.pdf.SetXY(x, ly)
			d.pdf.CellFormat(c.w, l.h, l.text, "", 0, align+"M", false, 0, "")
			ly += l.h
		}
		x += c.w
	}
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.SetXY(marginLeft, y+h)
}

// gap moves down by h millimetres, or to the top of the next page.
func (d *doc) gap(h float64) {
	if d.y()+h > contentBot {
		d.newPage()
		return
	}
	d.pdf.SetXY(marginLeft, d.y()+h)
}

// paragraph draws full-width text.
func (d *doc) paragraph(text string, size float64, bold bool, align string) {
	d.row([]cell{{w: contentWidth, size: size, align: align, paras: []para{{text: text, bold: bold}}}}, rowStyle{pad: 0.3})
}

// rule draws a horizontal line across the text width.
func (d *doc) rule(width float64) {
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(width)
	d.pdf.Line(marginLeft, d.y(), pageW-marginRight, d.y())
}

// dashedRect draws a dashed frame, the mark of a missing photo.
func (d *doc) dashedRect(x, y, w, h float64) {
	d.pdf.SetDrawColor(120, 120, 120)
	d.pdf.SetLineWidth(0.3)
	d.pdf.SetDashPattern([]float64{1.5, 1}, 0)
	d.pdf.Rect(x, y, w, h, "D")
	d.pdf.Line(x, y, x+w, y+h)
	d.pdf.Line(x, y+h, x+w, y)
	d.pdf.SetDashPattern(nil, 0)
}
