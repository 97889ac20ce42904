package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kordon/kordon/internal/record"
)

// Widths of the label column of labelled fields, in mm: wider when labels
// are in two languages.
const (
	labelW          = 52.0
	labelWBilingual = 64.0
)

// labelWidth is the width of the label column.
func (d *doc) labelWidth() float64 {
	if d.l2 != nil {
		return labelWBilingual
	}
	return labelW
}

// protocol lays out the whole document.
func (d *doc) protocol() {
	d.newPage()
	d.heading()
	d.placeAndTime()
	d.officers()
	d.legalBasis()
	d.persons()
	d.witnesses()
	d.circumstances()
	d.items()
	d.custody()
	d.photos()
	d.remarks()
	d.signatures()
}

// heading draws the first page's head: training banner, agency and post,
// title and number.
func (d *doc) heading() {
	d.trainingBanner()
	if agency := d.s.text(d.opt.Agency); agency != "" {
		d.paragraph(agency, 10.5, true, "C")
	}
	if post := d.postLine(); post != "" {
		d.paragraph(post, sizeBody, false, "C")
	}
	d.gap(2)
	d.rule(0.4)
	d.gap(4)
	titles := d.labels("pdf.title")
	d.paragraph(strings.ToUpper(titles[0]), 14, true, "C")
	for _, t := range titles[1:] {
		d.paragraph(strings.ToUpper(t), 11, true, "C")
	}
	number := d.s.line(d.in.Number)
	if number == "" {
		number = "________________"
	}
	d.paragraph(d.val("pdf.number", "number", number), 12, true, "C")
	d.gap(4)
}

// trainingBanner marks a training record's document as such, in a red
// frame across the head of its first page.
func (d *doc) trainingBanner() {
	if d.in.Training {
		text := d.label(d.kind.trainingBanner)
		d.setFont(true, sizeBody)
		lines := d.pdf.SplitText(text, contentWidth-4)
		h := float64(len(lines))*lineHeight(sizeBody) + 2.5
		y := d.y()
		d.pdf.SetDrawColor(190, 0, 0)
		d.pdf.SetLineWidth(0.6)
		d.pdf.Rect(marginLeft, y, contentWidth, h, "D")
		d.pdf.SetTextColor(190, 0, 0)
		for i, l := range lines {
			d.pdf.SetXY(marginLeft+2, y+1.25+float64(i)*lineHeight(sizeBody))
			d.pdf.CellFormat(contentWidth-4, lineHeight(sizeBody), l, "", 0, "CM", false, 0, "")
		}
		d.pdf.SetTextColor(0, 0, 0)
		d.pdf.SetXY(marginLeft, y+h+3)
	}
}

// sectionHead starts a numbered section. It keeps the heading on one page
// with next millimetres of what follows (three lines when next is 0).
func (d *doc) sectionHead(key string, next float64) {
	d.section++
	title := strconv.Itoa(d.section) + ". " + d.label(key)
	c := []cell{{w: contentWidth, size: sizeHeading, paras: []para{{text: title, bold: true}}}}
	st := rowStyle{pad: 0.3}
	if next == 0 {
		next = 3 * lineHeight(sizeBody)
	}
	d.ensure(2.5 + d.rowHeight(c, st) + 1.2 + next)
	if !d.atTop() {
		d.gap(2.5)
	}
	d.row(c, st)
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.25)
	d.pdf.Line(marginLeft, d.y(), pageW-marginRight, d.y())
	d.gap(1.2)
}

// subHead draws a bold line inside a section, kept with two lines after it.
func (d *doc) subHead(text string) {
	d.ensure(lineHeight(sizeBody)*3 + 2)
	if !d.atTop() {
		d.gap(1)
	}
	d.row([]cell{{w: contentWidth, size: sizeBody, paras: []para{{text: text, bold: true}}}}, rowStyle{pad: 0.3})
}

// field draws a labelled value; an empty value draws nothing.
func (d *doc) field(key, value string) {
	if value == "" {
		return
	}
	d.fieldRow(d.label(key), value, false)
}

// fieldRow draws a label and a value side by side.
func (d *doc) fieldRow(label, value string, bold bool) {
	d.row([]cell{
		{w: d.labelWidth(), size: sizeLabel, lh: lineHeight(sizeBody), color: 70, paras: []para{{text: label}}},
		{w: contentWidth - d.labelWidth(), size: sizeBody, paras: []para{{text: value, bold: bold}}},
	}, rowStyle{pad: 0.5})
}

// placeAndTime draws where and when the protocol was drawn up.
func (d *doc) placeAndTime() {
	in := d.in
	d.sectionHead("pdf.section.place", 0)
	d.field("pdf.place", d.s.line(in.CrossingPoint))
	d.field("pdf.location_type", d.enum(record.LocationTypes, in.LocationType))
	d.field("pdf.post", d.postLine())
	if in.GPS != nil {
		d.field("pdf.gps", fmt.Sprintf("%.6f, %.6f (WGS 84)", in.GPS.Lat, in.GPS.Lon))
	}
	d.field("pdf.direction", d.enum(record.Directions, in.Direction))
	blank := "____.____.________  ____:____"
	started := d.dateTime(in.OccurredAt)
	if started == "" {
		started = blank
	}
	d.field("pdf.started", started)
	ended := blank
	if in.EndedAt != nil && !in.EndedAt.IsZero() {
		ended = d.dateTime(*in.EndedAt)
	}
	d.field("pdf.ended", ended)
}

// officerName is "rank name".
func (d *doc) officerName(o record.Officer) string {
	return strings.TrimSpace(d.s.line(o.Rank) + " " + d.s.line(o.Name))
}

// officers lists who drew up the protocol.
func (d *doc) officers() {
	d.sectionHead("pdf.section.officers", 0)
	if len(d.in.Officers) == 0 {
		d.fieldRow(d.label("pdf.officer"), "________________________________________", false)
		return
	}
	for i, o := range d.in.Officers {
		label := d.label("pdf.officer")
		if len(d.in.Officers) > 1 {
			label = strconv.Itoa(i+1) + ". " + label
		}
		d.fieldRow(label, d.s.line(o.Name), true)
		d.field("pdf.rank", d.s.line(o.Rank))
		d.field("pdf.position", d.s.line(o.Position))
	}
}

// legalBasis draws the grounds of the seizure.
func (d *doc) legalBasis() {
	d.sectionHead("pdf.section.legal", 0)
	basis := d.enum(record.LegalBases, d.in.LegalBasis)
	if basis == "" && d.in.LegalBasisText == "" {
		basis = "—"
	}
	d.field("pdf.legal_basis", basis)
	d.field("pdf.legal_text", d.s.text(d.in.LegalBasisText))
}

// isAttending reports whether a person's role is witness or interpreter.
func isAttending(p record.Person) bool {
	return p.Role == "witness" || p.Role == "interpreter"
}

// persons lists the people the items were taken from: everyone but the
// witnesses and the interpreter.
func (d *doc) persons() {
	d.sectionHead("pdf.section.persons", 0)
	n := 0
	for _, p := range d.in.People {
		if isAttending(p) {
			continue
		}
		n++
		head := d.label("pdf.person_n", "n", strconv.Itoa(n))
		if role := d.enum(record.PersonRoles, p.Role); role != "" {
			head += " — " + role
		}
		d.subHead(head)
		d.person(p)
	}
	if n == 0 {
		why := "—"
		if r := d.enum(record.NoPersonReasons, d.in.NoPerson); r != "" {
			why = "— (" + r + ")"
		}
		d.fieldRow(d.label("pdf.person"), why, false)
	}
}

// witnesses lists the attesting witnesses and the interpreter.
func (d *doc) witnesses() {
	d.sectionHead("pdf.section.witnesses", 0)
	var witnesses, interpreters []record.Person
	for _, p := range d.in.People {
		switch p.Role {
		case "witness":
			witnesses = append(witnesses, p)
		case "interpreter":
			interpreters = append(interpreters, p)
		}
	}
	if len(witnesses) == 0 {
		d.fieldRow(d.label("pdf.witness"), "—", false)
	}
	for i, p := range witnesses {
		d.subHead(d.label("pdf.witness_n", "n", strconv.Itoa(i+1)))
		d.person(p)
	}
	for i, p := range interpreters {
		head := d.label("pdf.interpreter")
		if len(interpreters) > 1 {
			head = strconv.Itoa(i+1) + ". " + head
		}
		d.subHead(head)
		d.person(p)
	}
}

// person draws the identity of one person.
func (d *doc) person(p record.Person) {
	d.fieldRow(d.label("pdf.name"), d.s.line(p.Name), true)
	if p.NameLatin != "" && p.NameLatin != p.Name {
		d.fieldRow(d.label("pdf.name_latin"), d.s.line(p.NameLatin), true)
	}
	d.field("pdf.birth_date", d.date(p.BirthDate))
	d.field("pdf.sex", d.enum(record.Sexes, p.Sex))
	d.field("pdf.nationality", d.country(p.Nationality))
	var doc []string
	if t := d.enum(record.DocumentTypes, p.DocumentType); t != "" {
		doc = append(doc, t)
	}
	if p.DocumentNumber != "" {
		doc = append(doc, d.val("pdf.doc_number", "number", d.s.line(p.DocumentNumber)))
	}
	if p.DocumentIssuer != "" {
		doc = append(doc, d.val("pdf.doc_issuer", "issuer", d.s.line(p.DocumentIssuer)))
	}
	d.field("pdf.document", strings.Join(doc, ", "))
	d.field("pdf.phone", d.s.line(p.Phone))
	d.field("pdf.address", d.s.text(p.Address))
	if p.Detained {
		d.field("pdf.detained", d.val("pdf.yes"))
	}
}

// country returns a country's name in the first language with its code,
// "Kazakhstan (KZ)", or the text as recorded when it is not a country code.
func (d *doc) country(code string) string {
	if code == "" {
		return ""
	}
	if !record.IsCountry(code) {
		return d.s.line(code)
	}
	name := d.l1.Country(code)
	if name == "" {
		return code
	}
	if d.bothValues && d.l2 != nil {
		if n2 := d.l2.Country(code); n2 != "" && n2 != name {
			name += " / " + n2
		}
	}
	return d.s.line(name) + " (" + code + ")"
}

// countries joins country names with arrows or commas.
func (d *doc) countries(codes []string, sep string) string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if c != "" {
			out = append(out, d.country(c))
		}
	}
	return strings.Join(out, sep)
}

// circumstances draws how the items were found.
func (d *doc) circumstances() {
	in := d.in
	d.sectionHead("pdf.section.circumstances", 0)
	d.field("pdf.detection", d.enums(record.DetectionMethods, in.Detection))
	d.field("pdf.transport", d.enum(record.TransportModes, in.Transport))
	if c := in.Conveyance; c != nil {
		d.field("pdf.conveyance", d.s.text(c.Description))
		d.field("pdf.plate", d.s.line(c.Plate))
		d.field("pdf.registration_country", d.country(c.Country))
		d.field("pdf.vin", d.s.line(c.VIN))
		d.field("pdf.container", d.s.line(c.Container))
		d.field("pdf.voyage", d.s.line(c.Voyage))
	}
	d.field("pdf.concealment", d.enums(record.ConcealmentMethods, in.Concealment))
	d.field("pdf.concealment_note", d.s.text(in.ConcealmentNote))
	d.field("pdf.route_departure", d.country(in.Route.Departure))
	d.field("pdf.route_transit", d.countries(in.Route.Transit, ", "))
	d.field("pdf.route_destination", d.country(in.Route.Destination))
	d.field("pdf.recovery", d.enum(record.RecoveryTypes, in.Recovery))
	d.field("pdf.criminal_context", d.enums(record.CriminalContexts, in.CriminalContext))
	d.field("pdf.linked_contraband", d.enums(record.ContrabandTypes, in.LinkedContraband))
	for _, o := range in.Organisations {
		label := d.label("pdf.organisation")
		if role := d.enum(record.OrganisationRoles, o.Role); role != "" {
			label += " (" + role + ")"
		}
		parts := []string{d.s.line(o.Name)}
		if o.NameLatin != "" && o.NameLatin != o.Name {
			parts = append(parts, d.s.line(o.NameLatin))
		}
		if o.Country != "" {
			parts = append(parts, d.country(o.Country))
		}
		if o.Registration != "" {
			parts = append(parts, d.val("pdf.org_registration", "number", d.s.line(o.Registration)))
		}
		if o.Phone != "" {
			parts = append(parts, d.val("pdf.org_phone", "number", d.s.line(o.Phone)))
		}
		d.fieldRow(label, strings.Join(parts, ", "), false)
	}
	narrative := d.s.text(in.Narrative)
	if narrative == "" {
		return
	}
	d.ensure(4 * lineHeight(sizeBody))
	d.gap(1)
	d.row([]cell{{w: contentWidth, size: sizeLabel, color: 70, paras: []para{{text: d.label("pdf.narrative"), bold: false}}}}, rowStyle{pad: 0.3})
	d.row([]cell{{w: contentWidth, size: sizeBody, paras: []para{{text: narrative, bold: false}}}}, rowStyle{pad: 0.5})
}

// remarks draws the remarks, and lines for statements written by hand.
func (d *doc) remarks() {
	d.sectionHead("pdf.section.remarks", 0)
	if r := d.s.text(d.in.Remarks); r != "" {
		d.row([]cell{{w: contentWidth, size: sizeBody, paras: []para{{text: r, bold: false}}}}, rowStyle{pad: 0.5})
		d.gap(1)
	}
	d.row([]cell{{w: contentWidth, size: sizeLabel, color: 70, paras: []para{{text: d.label("pdf.handwritten"), bold: false}}}}, rowStyle{pad: 0.3})
	for range 3 {
		d.ensure(7)
		d.gap(6.5)
		d.pdf.SetDrawColor(120, 120, 120)
		d.pdf.SetLineWidth(0.2)
		d.pdf.Line(marginLeft, d.y(), pageW-marginRight, d.y())
	}
	d.gap(1)
}

// signatures draws the signature lines of every participant, together on
// one page when they fit on one.
func (d *doc) signatures() {
	type signer struct{ label, name string }
	var signers []signer
	if len(d.in.Officers) == 0 {
		signers = append(signers, signer{d.label("pdf.sign.officer"), ""})
	}
	for _, o := range d.in.Officers {
		signers = append(signers, signer{d.label("pdf.sign.officer"), d.officerName(o)})
	}
	for _, p := range d.in.People {
		if !isAttending(p) {
			signers = append(signers, signer{d.label("pdf.sign.person"), d.personName(p)})
		}
	}
	n := 0
	for _, p := range d.in.People {
		if p.Role == "witness" {
			n++
			signers = append(signers, signer{d.label("pdf.sign.witness_n", "n", strconv.Itoa(n)), d.personName(p)})
		}
	}
	for _, p := range d.in.People {
		if p.Role == "interpreter" {
			signers = append(signers, signer{d.label("pdf.sign.interpreter"), d.personName(p)})
		}
	}
	for _, p := range d.in.People {
		if !isAttending(p) {
			signers = append(signers, signer{d.label("pdf.sign.copy_received"), d.personName(p)})
		}
	}
	statement := []cell{{w: contentWidth, size: sizeBody, paras: []para{{text: d.label("pdf.statement")}}}}
	stStyle := rowStyle{pad: 0.3}
	block := d.rowHeight(statement, stStyle) + 1
	for _, s := range signers {
		block += d.signLineHeight(s.label, s.name)
	}
	if block > contentBot-runningTop-15 {
		// Too many to keep together: keep the heading with the first few.
		block = d.rowHeight(statement, stStyle) + 1 + 3*d.signLineHeight(signers[0].label, signers[0].name)
	}
	d.sectionHead("pdf.section.signatures", block)
	d.row(statement, stStyle)
	d.gap(1)
	for _, s := range signers {
		d.signLine(s.label, s.name)
	}
}

// personName is the name as in the document, with its Latin form.
func (d *doc) personName(p record.Person) string {
	name := d.s.line(p.Name)
	if p.NameLatin != "" && p.NameLatin != p.Name {
		name += " (" + d.s.line(p.NameLatin) + ")"
	}
	return name
}

// Geometry of a signature line, in mm: label, line and name columns.
const (
	signLabelW = 62.0
	signLineW  = 56.0
	signNameW  = contentWidth - signLabelW - signLineW
)

// signCells are the label and name cells of a signature line.
func (d *doc) signCells(label, name string) (lc, nc cell) {
	lc = cell{w: signLabelW, size: sizeLabel, lh: lineHeight(sizeBody), paras: []para{{text: label}}}
	nc = cell{w: signNameW, size: sizeBody, paras: []para{{text: name}}}
	return lc, nc
}

// maxSignLines bounds the lines of a label or name at a signature line,
// so that a signature line always fits on a page; the full name is in the
// sections above.
const maxSignLines = 6

// signLines lays out a signature line's label and name, each at most
// maxSignLines long.
func (d *doc) signLines(label, name string) (lc, nc cell, ll, nl []line) {
	lc, nc = d.signCells(label, name)
	return lc, nc, capLines(d.split(&lc)), capLines(d.split(&nc))
}

// capLines cuts lines to maxSignLines, marking the cut with an ellipsis.
func capLines(lines []line) []line {
	if len(lines) <= maxSignLines {
		return lines
	}
	lines = lines[:maxSignLines]
	last := []rune(lines[maxSignLines-1].text)
	if len(last) > 2 {
		last = last[:len(last)-2]
	}
	lines[maxSignLines-1].text = string(last) + "…"
	return lines
}

// signSpace is the height above a signature line: the taller of label and
// name, and at least two lines to sign in.
func signSpace(label, name []line) float64 {
	return max(height(label), height(name), 2*lineHeight(sizeBody)) + 1
}

// signLineHeight is the height signLine takes.
func (d *doc) signLineHeight(label, name string) float64 {
	_, _, ll, nl := d.signLines(label, name)
	return signSpace(ll, nl) + lineHeight(sizeSmall) + 1.5
}

// signLine draws a label, a line to sign on with "(signature)" under it,
// and the printed name, the label and name standing on the line.
func (d *doc) signLine(label, name string) {
	lc, nc, ll, nl := d.signLines(label, name)
	capH := lineHeight(sizeSmall)
	d.ensure(d.signLineHeight(label, name))
	bottom := d.y() + signSpace(ll, nl)
	put := func(c cell, lines []line, x float64) {
		y := bottom - height(lines)
		for _, l := range lines {
			d.setFont(l.bold, l.size)
			d.pdf.SetXY(x, y)
			d.pdf.CellFormat(c.w, l.h, l.text, "", 0, "LM", false, 0, "")
			y += l.h
		}
	}
	put(lc, ll, marginLeft)
	put(nc, nl, marginLeft+signLabelW+signLineW)
	x := marginLeft + signLabelW + 2
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.25)
	d.pdf.Line(x, bottom, x+signLineW-4, bottom)
	d.pdf.SetTextColor(100, 100, 100)
	d.setFont(false, sizeSmall)
	d.pdf.SetXY(x, bottom+0.2)
	d.pdf.CellFormat(signLineW-4, capH, d.label("pdf.signature"), "", 0, "CT", false, 0, "")
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.SetXY(marginLeft, bottom+capH+1.5)
}
