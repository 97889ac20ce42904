package report

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
)

// TraceRequest writes the tracing request d to w as PDF, its labels in
// opt.Lang and, when set, opt.Lang2 ("label1 / label2", as the protocol
// does). opt.Photo/opt.Prepared load photos as for Protocol. Warnings as
// for Protocol.
//
// The request is laid out as the International Tracing Instrument asks of
// one: the request (reference, date, requested state, priority), the
// requesting service, the recovery of the item, the item with every serial
// number and marking, its photos, the confidentiality and intended-use
// clause, and the requesting officer's signature and stamp. The requesting
// agency and office head the first page (opt.Agency stands in for a request
// that names no agency); every page's footer names the record the request
// was made from (d.Source) and its hash, instead of opt.Hash. The file is
// dated with the request's date, so that the same request always gives the
// same bytes.
func TraceRequest(w io.Writer, d *tracing.Document, opt Options) (warnings []string, err error) {
	if d == nil {
		return nil, errors.New("report: tracing request: no request given")
	}
	if opt.Lang == nil {
		return nil, fmt.Errorf("report: tracing request %q: no language given", d.Reference)
	}
	if err := loadFonts(); err != nil {
		return nil, fmt.Errorf("report: tracing request %q: %w", d.Reference, err)
	}
	defer func() {
		// As for the protocol: a failure of fpdf must not take the
		// application down.
		if r := recover(); r != nil {
			warnings, err = nil, fmt.Errorf("report: tracing request %q: pdf library failed: %v", d.Reference, r)
		}
	}()
	p := newTraceDoc(d, opt)
	p.traceRequest()
	if err := p.pdf.Error(); err != nil {
		return nil, fmt.Errorf("report: tracing request %q: %w", d.Reference, err)
	}
	if err := p.pdf.Output(w); err != nil {
		return nil, fmt.Errorf("report: tracing request %q: write pdf: %w", d.Reference, err)
	}
	return p.warnings, nil
}

// newTraceDoc starts the tracing request req. Its pages are those of a
// record holding only what the running head, the footer and the photos
// need: the request's reference as its number, the source record's
// version, the requesting office's code, the recovery's time and the
// request's photos.
func newTraceDoc(req *tracing.Document, opt Options) *doc {
	r := req.Requester
	if r.Agency != "" {
		opt.Agency = r.Agency
	}
	opt.PostName = r.Office
	opt.Hash = req.Source.Hash
	in := &record.Interdiction{
		Number: req.Reference, Version: req.Source.Version, PostCode: r.OfficeCode, OccurredAt: req.Recovery.At,
		Training: req.Training,
	}
	for _, ph := range req.Photos {
		in.Photos = append(in.Photos, record.Photo{SHA256: ph.SHA256, Tag: ph.Tag, Caption: ph.Caption})
	}
	d := newDocOf(traceKind, in, req.Source.RecordID, opt)
	d.req = req
	d.bothValues = true
	if t, err := time.Parse(time.DateOnly, req.Date); err == nil {
		d.pdf.SetCreationDate(t)
		d.pdf.SetModificationDate(t)
	}
	return d
}

// traceRequest lays out the whole request.
func (d *doc) traceRequest() {
	d.newPage()
	d.traceHeading()
	d.traceRequestFields()
	d.traceRequester()
	d.traceRecovery()
	d.traceItem()
	d.photos()
	d.traceClause()
	d.traceSignature()
}

// traceHeading draws the first page's head: the requesting agency and
// office, the title and what it is made under in each label language, and
// the reference.
func (d *doc) traceHeading() {
	d.trainingBanner()
	if agency := d.s.text(d.opt.Agency); agency != "" {
		d.paragraph(agency, 10.5, true, "C")
	}
	if office := d.postLine(); office != "" {
		d.paragraph(office, sizeBody, false, "C")
	}
	d.gap(2)
	d.rule(0.4)
	d.gap(4)
	titles := d.labels("pdf.trace.title")
	d.paragraph(strings.ToUpper(titles[0]), 14, true, "C")
	for _, t := range titles[1:] {
		d.paragraph(strings.ToUpper(t), 11, true, "C")
	}
	d.gap(0.5)
	for _, s := range d.labels("pdf.trace.subtitle") {
		d.paragraph(s, sizeLabel, false, "C")
	}
	d.gap(1)
	ref := d.s.line(d.req.Reference)
	if ref == "" {
		ref = "________________"
	}
	d.paragraph(d.val("pdf.number", "number", ref), 12, true, "C")
	d.gap(4)
}

// traceRequestFields draws what the request is: its reference and date,
// the state asked, the priority, and the record and item it is made from.
func (d *doc) traceRequestFields() {
	r := d.req
	d.sectionHead("pdf.trace.section.request", 0)
	d.field("pdf.trace.reference", d.s.line(r.Reference))
	d.field("pdf.trace.date", d.date(r.Date))
	d.field("pdf.trace.to", d.country(r.To))
	d.field("pdf.trace.priority", d.priority(r.Priority))
	if r.Priority == "urgent" || r.Urgency != "" {
		d.field("pdf.trace.urgency", or(d.s.text(r.Urgency), "—"))
	}
	if s := r.Source; s.Number != "" || s.Version != 0 {
		d.field("pdf.trace.source", d.val("pdf.trace.source_value", "number", or(d.s.line(s.Number), "—"), "version", strconv.Itoa(s.Version)))
	}
	d.field("pdf.trace.item_id", d.s.line(r.Item.ID))
}

// priority is the label of a request's priority, or the code itself when
// no catalog has one.
func (d *doc) priority(code string) string { return d.enum(tracing.Priorities, code) }

// or returns s, or blank when s is empty.
func or(s, blank string) string {
	if s == "" {
		return blank
	}
	return s
}

// traceRequester draws the service that asks.
func (d *doc) traceRequester() {
	r := d.req.Requester
	d.sectionHead("pdf.trace.section.requester", 0)
	d.field("pdf.trace.requester_country", d.country(r.Country))
	// Who asks, and how to answer, is never left out: a blank line is
	// filled in by hand.
	const blank = "________________________________________"
	d.fieldRow(d.label("pdf.trace.agency"), or(d.s.text(r.Agency), blank), false)
	d.field("pdf.trace.office", d.postLine())
	d.fieldRow(d.label("pdf.trace.officer"), or(d.s.line(r.Officer), blank), true)
	d.fieldRow(d.label("pdf.trace.contact"), or(d.s.text(r.Contact), blank), false)
}

// traceRecovery draws when, where and how the item came into the
// service's hands.
func (d *doc) traceRecovery() {
	v := d.req.Recovery
	d.sectionHead("pdf.trace.section.recovery", 0)
	d.field("pdf.trace.recovered_at", or(d.dateTime(v.At), "____.____.________  ____:____"))
	d.field("pdf.post", d.s.line(v.Post))
	d.field("pdf.trace.place", d.s.line(v.Place))
	if v.GPS != nil {
		d.field("pdf.gps", fmt.Sprintf("%.6f, %.6f (WGS 84)", v.GPS.Lat, v.GPS.Lon))
	}
	d.field("pdf.recovery", d.enum(record.RecoveryTypes, v.Type))
	d.field("pdf.legal_basis", d.enum(record.LegalBases, v.LegalBasis))
	d.field("pdf.legal_text", d.s.text(v.LegalBasisText))
	d.field("pdf.criminal_context", d.enums(record.CriminalContexts, v.CriminalContext))
	d.field("pdf.route_departure", d.country(v.Route.Departure))
	d.field("pdf.route_transit", d.countries(v.Route.Transit, ", "))
	d.field("pdf.route_destination", d.country(v.Route.Destination))
}

// traceItem draws the weapon or part to trace: what it is, its maker and
// calibre, every serial number with its part and state, and its other
// identifying marks.
func (d *doc) traceItem() {
	it := d.req.Item
	d.sectionHead("pdf.trace.section.item", 0)
	d.field("pdf.trace.kind", d.enum(record.ItemKinds, it.Kind))
	d.field("pdf.trace.category", d.enum(record.FirearmCategories, it.Category))
	d.field("pdf.trace.part_type", d.enum(record.PartTypes, it.PartType))
	if it.Quantity != 0 {
		d.field("pdf.col.quantity", d.number(it.Quantity))
	}
	d.field("pdf.trace.make", d.s.line(it.Make))
	d.field("pdf.trace.model", d.s.line(it.Model))
	d.field("pdf.calibre", d.calibreCode(it.Calibre.Code))
	d.field("pdf.trace.calibre_stamped", d.s.line(it.Calibre.Stamped))
	if it.Year != 0 {
		d.field("pdf.year", strconv.Itoa(it.Year))
	}
	d.field("pdf.country_marked", d.country(it.CountryMarked))
	d.field("pdf.country_assessed", d.country(it.CountryAssessed))
	d.field("pdf.import_mark", d.importMark(it.ImportMark))
	markings := "pdf.trace.other_markings"
	if it.Kind == record.KindPart {
		// A part has no serial column of its own: its markings are all.
		markings = "pdf.markings"
	}
	d.field(markings, d.s.text(it.Markings))
	d.field("pdf.condition", d.enum(record.FirearmConditions, it.Condition))
	d.field("pdf.trace.description", d.s.text(it.Description))
	d.serials(it.Serials)
}

// calibreCode is the designation of a calibre of the controlled list in
// each language, or the code as recorded when it is not one.
func (d *doc) calibreCode(code string) string {
	if code == "" {
		return ""
	}
	if info, ok := record.LookupCalibre(code); ok {
		c := d.l1.Calibre(info.Code, info.Label)
		if d.l2 != nil {
			if c2 := d.l2.Calibre(info.Code, info.Label); c2 != c {
				c += " / " + c2
			}
		}
		return d.s.line(c)
	}
	return d.s.line(code)
}

// importMark is the country and year of an import mark.
func (d *doc) importMark(m *record.Mark) string {
	if m == nil {
		return ""
	}
	var parts []string
	if c := d.country(m.Country); c != "" {
		parts = append(parts, c)
	}
	if m.Year != 0 {
		parts = append(parts, strconv.Itoa(m.Year))
	}
	return strings.Join(parts, ", ")
}

// Column widths of the serial number table, in mm; they add up to
// contentWidth.
var serialCols = [...]float64{9, 68, 50, 51}

// serials draws the table of serial numbers with the part each is stamped
// on and its state.
func (d *doc) serials(ss []record.Serial) {
	if len(ss) == 0 {
		d.fieldRow(d.label("pdf.trace.col.serial"), "—", false)
		return
	}
	header := []cell{
		d.headCell(serialCols[0], "pdf.col.no"),
		d.headCell(serialCols[1], "pdf.trace.col.serial"),
		d.headCell(serialCols[2], "pdf.trace.col.part"),
		d.headCell(serialCols[3], "pdf.trace.col.state"),
	}
	st := rowStyle{border: true, pad: rowPad, keep: true}
	d.gap(1.5)
	d.tableStart(header, d.serialRow(ss, 0), st)
	for i := range ss {
		d.row(d.serialRow(ss, i), st)
	}
	d.tableHeader = nil
	d.gap(1)
}

// serialRow is the table row of serial i.
func (d *doc) serialRow(ss []record.Serial, i int) []cell {
	s := ss[i]
	return []cell{
		{w: serialCols[0], size: sizeTable, lh: lineHeight(sizeBody), align: "C", paras: []para{{text: strconv.Itoa(i + 1), bold: true}}},
		{w: serialCols[1], size: sizeBody, paras: []para{{text: or(d.s.line(s.Number), "—"), bold: true}}},
		{w: serialCols[2], size: sizeTable, lh: lineHeight(sizeBody), paras: []para{{text: or(d.enum(record.PartTypes, s.Part), "—")}}},
		{w: serialCols[3], size: sizeTable, lh: lineHeight(sizeBody), paras: []para{{text: or(d.enum(record.SerialStates, s.State), "—")}}},
	}
}

// traceClause draws the confidentiality and intended-use clause: the
// request's own, or the catalog's in each label language.
func (d *doc) traceClause() {
	texts := d.clauses()
	cells := make([][]cell, len(texts))
	first := 0.0
	for i, t := range texts {
		cells[i] = []cell{{w: contentWidth, size: sizeBody, paras: []para{{text: t}}}}
	}
	if len(cells) > 0 {
		first = min(d.rowHeight(cells[0], rowStyle{pad: 0.5}), (contentBot-runningTop)/3)
	}
	d.sectionHead("pdf.trace.section.clause", first)
	for i, c := range cells {
		if i > 0 {
			d.gap(1.5)
		}
		d.row(c, rowStyle{pad: 0.5})
	}
}

// clauses are the paragraphs of the clause. A request's own clause is
// printed as it is, unless it is the catalog's clause in a label language:
// then, as when the request has none, the catalog's clause is printed in
// each label language.
func (d *doc) clauses() []string {
	texts := []string{d.s.text(d.l1.T("pdf.trace.clause"))}
	if d.l2 != nil {
		if b := d.s.text(d.l2.T("pdf.trace.clause")); b != texts[0] {
			texts = append(texts, b)
		}
	}
	own := strings.TrimSpace(d.s.text(d.req.Clause))
	if own == "" || slices.Contains(texts, own) {
		return texts
	}
	return []string{own}
}

// stampR is the radius of the circle marking the place of the stamp, in
// mm: a round official stamp is 40 to 45 mm across.
const stampR = 21.0

// traceSignature draws the requesting officer's signature line and the
// place of the official stamp, together on one page.
func (d *doc) traceSignature() {
	label := d.label("pdf.trace.sign.officer")
	name := d.s.line(d.req.Requester.Officer)
	d.sectionHead("pdf.trace.section.signature", d.signLineHeight(label, name)+d.stampHeight())
	d.signLine(label, name)
	d.stampPlace()
}

// stampLabel is the cell naming the place of the stamp.
func (d *doc) stampLabel() cell {
	return cell{w: signLabelW, size: sizeLabel, lh: lineHeight(sizeBody), paras: []para{{text: d.label("pdf.trace.stamp")}}}
}

// stampHeight is the height stampPlace takes.
func (d *doc) stampHeight() float64 {
	c := d.stampLabel()
	return max(2*stampR, height(d.split(&c))) + 3
}

// stampPlace draws a dashed circle where the official stamp goes, its
// label beside it.
func (d *doc) stampPlace() {
	h := d.stampHeight()
	d.ensure(h)
	top := d.y() + 1.5
	c := d.stampLabel()
	lines := d.split(&c)
	y := top + stampR - height(lines)/2
	for _, l := range lines {
		d.setFont(l.bold, l.size)
		d.pdf.SetXY(marginLeft, y)
		d.pdf.CellFormat(c.w, l.h, l.text, "", 0, "LM", false, 0, "")
		y += l.h
	}
	d.pdf.SetDrawColor(150, 150, 150)
	d.pdf.SetLineWidth(0.3)
	d.pdf.SetDashPattern([]float64{1.5, 1}, 0)
	d.pdf.Circle(marginLeft+signLabelW+signLineW/2, top+stampR, stampR, "D")
	d.pdf.SetDashPattern(nil, 0)
	d.pdf.SetXY(marginLeft, top+h-1.5)
}
