package report

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
)

// Column widths of the items table, in mm; they add up to contentWidth.
var itemCols = [...]float64{9, 52, 63, 19, 35}

// items draws the numbered table of seized items.
func (d *doc) items() {
	if len(d.in.Items) == 0 {
		d.sectionHead("pdf.section.items", 0)
		d.paragraph("—", sizeBody, false, "L")
		return
	}
	header := []cell{
		d.headCell(itemCols[0], "pdf.col.no"),
		d.headCell(itemCols[1], "pdf.col.item"),
		d.headCell(itemCols[2], "pdf.col.marks"),
		d.headCell(itemCols[3], "pdf.col.quantity"),
		d.headCell(itemCols[4], "pdf.col.packaging"),
	}
	st := rowStyle{border: true, pad: rowPad, keep: true}
	d.sectionHead("pdf.section.items", d.tableLead(header, d.itemRow(0), st))
	d.tableStart(header, d.itemRow(0), st)
	for i := range d.in.Items {
		d.row(d.itemRow(i), st)
	}
	d.tableHeader = nil
	d.gap(1)
	pieces, rounds := d.in.Counts()
	d.paragraph(d.val("pdf.items_total", "items", d.number(len(d.in.Items)), "pieces", d.number(pieces), "rounds", d.number(rounds)), sizeBody, true, "L")
}

// itemRow is the table row of item i.
func (d *doc) itemRow(i int) []cell {
	it := &d.in.Items[i]
	return []cell{
		{w: itemCols[0], size: sizeTable, align: "C", paras: []para{{text: strconv.Itoa(i + 1), bold: true}}},
		{w: itemCols[1], size: sizeTable, paras: d.itemDescription(it)},
		{w: itemCols[2], size: sizeTable, paras: d.itemMarks(it)},
		{w: itemCols[3], size: sizeTable, align: "C", paras: d.itemQuantity(it)},
		{w: itemCols[4], size: sizeTable, paras: d.itemPackaging(it)},
	}
}

// headCell is a table header cell with the column's label(s).
func (d *doc) headCell(w float64, key string) cell {
	return cell{w: w, size: sizeTable, align: "C", fill: 225, paras: []para{{text: d.label(key), bold: true}}}
}

// tableLead is the height a table needs on the page where it starts: its
// header and first row, or part of the row when the row is taller than a
// third of a page.
func (d *doc) tableLead(header, first []cell, st rowStyle) float64 {
	hst := rowStyle{pad: rowPad}
	return d.rowHeight(header, hst) + min(d.rowHeight(first, st), (contentBot-runningTop)/3)
}

// tableStart draws a table header, on the next page unless the first row
// fits under it, and remembers it for the pages the table continues on.
func (d *doc) tableStart(header, first []cell, st rowStyle) {
	d.ensure(d.tableLead(header, first, st))
	d.row(header, rowStyle{border: true, pad: rowPad})
	d.tableHeader = header
}

// labelled is "label: value".
func (d *doc) labelled(key, value string) string {
	return d.label(key) + ": " + value
}

// calibre is the calibre's controlled designation and the text stamped
// on the item, when it says something else.
func (d *doc) calibre(c record.Calibre) string {
	if c.Empty() {
		return ""
	}
	stamped := d.s.line(c.Stamped)
	info, ok := record.LookupCalibre(c.Code)
	if !ok {
		if stamped == "" {
			return d.s.line(c.Code)
		}
		return stamped
	}
	local := d.l1.Calibre(info.Code, info.Label)
	s := d.s.line(local)
	// An earlier version kept a label picked from the list as stamped, with
	// only its units translated: that is no marking either.
	if stamped != "" && stamped != info.Label && stamped != local && stamped != d.s.line(d.l1.Calibre("", info.Label)) {
		s += " (" + d.label("pdf.stamped") + ": " + stamped + ")"
	}
	return s
}

// itemDescription is what the item is: its kind or category, make and
// model, calibre, condition, origin and description.
func (d *doc) itemDescription(it *record.Item) []para {
	var head string
	var lines []string
	add := func(key, v string) {
		if v != "" {
			lines = append(lines, d.labelled(key, v))
		}
	}
	makeModel := func(mk, model string) string {
		return strings.TrimSpace(d.s.line(mk) + " " + d.s.line(model))
	}
	switch {
	case it.Firearm != nil:
		f := it.Firearm
		head = d.enum(record.FirearmCategories, f.Category)
		add("pdf.make_model", makeModel(f.Make, f.Model))
		add("pdf.calibre", d.calibre(f.Calibre))
		add("pdf.condition", d.enum(record.FirearmConditions, f.Condition))
		add("pdf.country_marked", d.country(f.CountryMarked))
		add("pdf.country_assessed", d.country(f.CountryAssessed))
		if f.Year != 0 {
			add("pdf.year", strconv.Itoa(f.Year))
		}
		if m := f.ImportMark; m != nil && (m.Country != "" || m.Year != 0) {
			v := d.country(m.Country)
			if m.Year != 0 {
				v = strings.TrimSpace(v + " " + strconv.Itoa(m.Year))
			}
			add("pdf.import_mark", v)
		}
	case it.Part != nil:
		p := it.Part
		head = d.enum(record.PartTypes, p.Type)
		if head == "" {
			head = d.enum(record.ItemKinds, it.Kind)
		}
		add("pdf.make_model", makeModel(p.Make, p.Model))
		add("pdf.calibre", d.calibre(p.Calibre))
	case it.Ammunition != nil:
		a := it.Ammunition
		head = d.enum(record.ItemKinds, it.Kind)
		add("pdf.calibre", d.calibre(a.Calibre))
		add("pdf.ammo_type", d.enum(record.AmmunitionTypes, a.Type))
	case it.Explosive != nil:
		head = d.enum(record.ExplosiveTypes, it.Explosive.Type)
		if head == "" {
			head = d.enum(record.ItemKinds, it.Kind)
		}
	default:
		head = d.enum(record.ItemKinds, it.Kind)
	}
	if desc := d.s.text(it.Description); desc != "" {
		lines = append(lines, desc)
	}
	ps := []para{{text: head, bold: true}}
	if head == "" {
		ps = nil
	}
	if len(lines) > 0 {
		ps = append(ps, para{text: strings.Join(lines, "\n"), bold: false})
	}
	return ps
}

// itemMarks are the identifying marks: serial numbers with their part and
// state, markings, headstamp and lot.
func (d *doc) itemMarks(it *record.Item) []para {
	var ps []para
	for _, s := range it.Serials() {
		number := d.s.line(s.Number)
		if number == "" {
			number = "—"
		}
		var quals []string
		if p := d.enum(record.PartTypes, s.Part); p != "" {
			quals = append(quals, lowerFirst(p))
		}
		if st := d.enum(record.SerialStates, s.State); st != "" {
			quals = append(quals, lowerFirst(st))
		}
		ps = append(ps, para{text: d.label("pdf.serial") + " " + number, bold: true})
		if len(quals) > 0 {
			ps = append(ps, para{text: "(" + strings.Join(quals, ", ") + ")", bold: false})
		}
	}
	var lines []string
	add := func(key, v string) {
		if v != "" {
			lines = append(lines, d.labelled(key, v))
		}
	}
	switch {
	case it.Firearm != nil:
		add("pdf.markings", d.s.text(it.Firearm.OtherMarkings))
	case it.Part != nil:
		add("pdf.markings", d.s.text(it.Part.Markings))
	case it.Ammunition != nil:
		a := it.Ammunition
		add("pdf.headstamp", strings.TrimSpace(d.s.line(a.HeadstampFactory)+" "+d.s.line(a.HeadstampYear)))
		add("pdf.lot", d.s.line(a.Lot))
		add("pdf.packaging_marks", d.s.text(a.PackagingMarks))
	case it.Explosive != nil:
		add("pdf.markings", d.s.text(it.Explosive.Markings))
		if it.Explosive.EODSafe {
			lines = append(lines, d.label("pdf.eod_safe"))
		}
	}
	if len(lines) > 0 {
		ps = append(ps, para{text: strings.Join(lines, "\n"), bold: false})
	}
	if len(ps) == 0 {
		ps = []para{{text: "—", bold: false}}
	}
	return ps
}

// itemQuantity is the number of pieces, with the count or weight of an
// explosive; of ammunition, the rounds (its packages are told under
// packaging).
func (d *doc) itemQuantity(it *record.Item) []para {
	if it.Ammunition != nil {
		// The number on a line of its own: a narrow column must not break it.
		n := it.Ammunition.Rounds
		return []para{{text: d.number(n), bold: true}, {text: d.val("pdf.rounds_unit", "count", n), bold: false}}
	}
	ps := []para{{text: d.number(it.Quantity), bold: true}}
	var lines []string
	switch {
	case it.Explosive != nil:
		if it.Explosive.Count != 0 {
			lines = append(lines, d.val("pdf.count", "count", d.number(it.Explosive.Count)))
		}
		if it.Explosive.WeightGrams != 0 {
			lines = append(lines, d.val("pdf.weight", "grams", it.Explosive.WeightGrams))
		}
	}
	if len(lines) > 0 {
		ps = append(ps, para{text: strings.Join(lines, "\n"), bold: false})
	}
	return ps
}

// itemPackaging is the packaging and the seal number; for ammunition the
// number of packages (boxes, zinc cases) first.
func (d *doc) itemPackaging(it *record.Item) []para {
	var ps []para
	if it.Ammunition != nil && it.Quantity > 0 {
		ps = append(ps, para{text: d.val("pdf.packages", "count", d.number(it.Quantity)), bold: false})
	}
	if p := d.s.text(it.Packaging); p != "" {
		ps = append(ps, para{text: p, bold: false})
	}
	if s := d.s.line(it.SealNumber); s != "" {
		ps = append(ps, para{text: d.label("pdf.seal") + " " + s, bold: true})
	}
	if len(ps) == 0 {
		ps = []para{{text: "—", bold: false}}
	}
	return ps
}

// Column widths of the custody table, in mm.
var custodyCols = [...]float64{27, 38, 38, 30, 22, 23}

// custody draws the hand-overs of the seized items.
func (d *doc) custody() {
	if len(d.in.Custody) == 0 {
		return
	}
	header := []cell{
		d.headCell(custodyCols[0], "pdf.custody.at"),
		d.headCell(custodyCols[1], "pdf.custody.from"),
		d.headCell(custodyCols[2], "pdf.custody.to"),
		d.headCell(custodyCols[3], "pdf.custody.place"),
		d.headCell(custodyCols[4], "pdf.seal"),
		d.headCell(custodyCols[5], "pdf.custody.note"),
	}
	st := rowStyle{border: true, pad: rowPad, keep: true}
	d.sectionHead("pdf.section.custody", d.tableLead(header, d.custodyRow(0), st))
	d.tableStart(header, d.custodyRow(0), st)
	for i := range d.in.Custody {
		d.row(d.custodyRow(i), st)
	}
	d.tableHeader = nil
}

// custodyRow is the table row of custody event i.
func (d *doc) custodyRow(i int) []cell {
	e := d.in.Custody[i]
	return []cell{
		{w: custodyCols[0], size: sizeTable, paras: []para{{text: d.dateTime(e.At)}}},
		{w: custodyCols[1], size: sizeTable, paras: []para{{text: d.s.text(e.From)}}},
		{w: custodyCols[2], size: sizeTable, paras: []para{{text: d.s.text(e.To)}}},
		{w: custodyCols[3], size: sizeTable, paras: []para{{text: d.s.text(e.Place)}}},
		{w: custodyCols[4], size: sizeTable, paras: []para{{text: d.s.line(e.SealNumber), bold: true}}},
		{w: custodyCols[5], size: sizeTable, paras: []para{{text: d.s.text(e.Note)}}},
	}
}

// Photo frame geometry, in mm: two frames side by side.
const (
	photoGap    = 6.0
	photoFrameW = (contentWidth - photoGap) / 2
	photoFrameH = photoFrameW * 3 / 4
)

// photos draws the photographs two to a row, each with its caption; a
// photo that cannot be printed leaves a marked gap.
func (d *doc) photos() {
	ph := d.in.Photos
	if len(ph) == 0 {
		return
	}
	if d.opt.Photo == nil {
		d.sectionHead("pdf.section.photos", 0)
		d.paragraph(d.label("pdf.photos_not_attached"), sizeLabel, false, "L")
		d.gap(1)
		for i := 0; i < len(ph); i += 2 {
			d.captionRow(ph, i)
			d.gap(2)
		}
		return
	}
	shas := make([]string, len(ph))
	for i, p := range ph {
		shas[i] = p.SHA256
	}
	results := preparePhotos(shas, d.opt.Photo, d.opt.Prepared)
	for i := 0; i < len(ph); i += 2 {
		captionH := 0.0
		for j := i; j < min(i+2, len(ph)); j++ {
			c := d.captionCell(j)
			captionH = max(captionH, height(d.split(&c)))
		}
		need := photoFrameH + 1.5 + min(captionH, 40)
		if i == 0 {
			d.sectionHead("pdf.section.photos", need)
		}
		d.ensure(need)
		y := d.y()
		for j := i; j < min(i+2, len(ph)); j++ {
			x := marginLeft + float64(j-i)*(photoFrameW+photoGap)
			d.photoFrame(j, results[j], x, y)
		}
		d.pdf.SetXY(marginLeft, y+photoFrameH+1.5)
		d.captionRow(ph, i)
		d.gap(3)
	}
}

// captionRow draws the captions of photos i and i+1 side by side.
func (d *doc) captionRow(ph []record.Photo, i int) {
	cells := []cell{d.captionCell(i), {w: photoGap, size: sizeTable}}
	if i+1 < len(ph) {
		cells = append(cells, d.captionCell(i+1))
	}
	d.row(cells, rowStyle{pad: 0.2})
}

// captionCell is the caption of photo i: number and tag, caption, the item
// shown, who took it and when, file name and SHA-256.
func (d *doc) captionCell(i int) cell {
	p := d.in.Photos[i]
	head := d.label("pdf.photo_n", "n", strconv.Itoa(i+1))
	if tag := d.enum(record.PhotoTags, p.Tag); tag != "" {
		head += ". " + tag
	}
	ps := []para{{text: head, bold: true}}
	var lines []string
	if c := d.s.text(p.Caption); c != "" {
		lines = append(lines, c)
	}
	if n, ok := d.itemNo[p.Item.String()]; ok && p.Item != uuid.Nil {
		lines = append(lines, d.val("pdf.photo_item", "n", strconv.Itoa(n)))
	}
	var taken []string
	if p.TakenBy != "" {
		taken = append(taken, d.s.line(p.TakenBy))
	}
	if !p.TakenAt.IsZero() {
		taken = append(taken, d.dateTime(p.TakenAt))
	}
	if len(taken) > 0 {
		lines = append(lines, d.labelled("pdf.photo_taken", strings.Join(taken, ", ")))
	}
	if p.Name != "" {
		lines = append(lines, d.labelled("pdf.photo_file", d.s.line(p.Name)))
	}
	ps = append(ps, para{text: strings.Join(lines, "\n")}, para{text: "SHA-256:\n" + d.s.line(p.SHA256), size: 6})
	return cell{w: photoFrameW, size: sizeTable, paras: ps}
}

// photoFrame places photo i in its frame at x, y, or marks the gap.
func (d *doc) photoFrame(i int, res photoResult, x, y float64) {
	p := d.in.Photos[i]
	name := p.Name
	if name == "" {
		name = p.SHA256
	}
	var reason string
	switch {
	case res.err != nil:
		reason = res.err.Error()
	case res.mismatch != "":
		reason = "SHA-256 " + res.mismatch + " ≠ " + p.SHA256
	}
	if reason != "" || res.photo == nil {
		d.warnings = append(d.warnings, d.l1.T(d.kind.photoWarning, "n", strconv.Itoa(i+1), "name", name, "reason", reason))
		d.dashedRect(x, y, photoFrameW, photoFrameH)
		text := d.label("pdf.photo_missing") + "\n" + d.s.line(name)
		c := cell{w: photoFrameW - 10, size: sizeBody, align: "C", paras: []para{{text: text, bold: true}}}
		lh := lineHeight(sizeBody)
		lines := d.split(&c)
		if most := int((photoFrameH - 6) / lh); len(lines) > most {
			lines = lines[:most]
		}
		top := y + (photoFrameH-float64(len(lines))*lh)/2
		d.pdf.SetFillColor(255, 255, 255)
		d.pdf.Rect(x+5, top-1, photoFrameW-10, float64(len(lines))*lh+2, "F")
		for k, l := range lines {
			d.setFont(l.bold, sizeBody)
			d.pdf.SetXY(x+5, top+float64(k)*lh)
			d.pdf.CellFormat(photoFrameW-10, lh, l.text, "", 0, "CM", false, 0, "")
		}
		return
	}
	img := res.photo
	w, h := photoFrameW, photoFrameW*float64(img.h)/float64(img.w)
	if h > photoFrameH {
		h = photoFrameH
		w = h * float64(img.w) / float64(img.h)
	}
	opt := fpdf.ImageOptions{ImageType: "JPG"}
	imgName := "photo" + strconv.Itoa(i)
	d.pdf.RegisterImageOptionsReader(imgName, opt, bytes.NewReader(img.jpeg))
	d.pdf.SetDrawColor(160, 160, 160)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Rect(x, y, photoFrameW, photoFrameH, "D")
	d.pdf.ImageOptions(imgName, x+(photoFrameW-w)/2, y+(photoFrameH-h)/2, w, h, false, opt, 0, "")
}

// lowerFirst lowers the first letter of a label used inside a phrase,
// unless the label starts with an abbreviation ("VIN", "X-ray").
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) < 2 || !unicode.IsUpper(r[0]) || !unicode.IsLower(r[1]) {
		return s
	}
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
