// Package report renders records as printable documents: the seizure
// protocol, and the tracing request of a seized firearm, as PDF.
//
// The protocol is the legal document that the officer, the person searched
// and the attesting witnesses sign on the spot. [Protocol] lays it out on
// A4 in the form customary in the region (agency and post, number, time and
// place, participants, circumstances, a numbered table of the items with
// their identifying marks, custody, photographs, remarks, signature lines),
// in one language or with every label in two. Each page carries "page x of
// y" and the record's UUID and content hash, so that a paper copy can be
// checked against the database.
//
// The text is set in the embedded Noto Sans (subset into the file), so it
// prints every letter of the region's languages and can be copied out of
// the PDF. The same record and options always give the same bytes.
//
// [TraceRequest] lays out a tracing request (tracing.Document) with the
// same machinery: the request, the requesting service, the recovery, the
// item with every serial and marking, its photos, the confidentiality
// clause of the International Tracing Instrument and the signature.
package report

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/kordon/kordon/assets"
	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
)

// Options say how a protocol is written, and a tracing request (which
// takes its agency, office and hash from the request; see TraceRequest).
type Options struct {
	// Lang is the language of the labels; required.
	Lang *i18n.Translator
	// Lang2, when set, is a second language (the state language and
	// Russian, say): every label is printed in both, "label1 / label2";
	// values are printed once, in Lang where they are translated.
	Lang2 *i18n.Translator
	// Agency names the service, e.g. "State Revenue Committee, Customs
	// Control"; it heads the first page.
	Agency string
	// PostName is the human name of the post.
	PostName string
	// Hash is the hex SHA-256 of the record version
	// (record.Interdiction.Hash), printed in the footer of every page.
	Hash string
	// Superseded, when not 0, is the number of the record's current
	// version: the version printed is an earlier one, and every page says
	// so across it.
	Superseded int
	// Photo loads the bytes of the photo with the given SHA-256; nil means
	// that no photos are available, and the protocol lists the photos
	// without pictures. It is called from one goroutine at a time.
	Photo func(sha256 string) ([]byte, error)
	// Prepared, when set, returns the print form PrintForm made earlier of
	// the photo with the given SHA-256, or nil; a prepared photo is placed
	// without decoding the original again, which makes the first print of
	// phone photos fast.
	Prepared func(sha256 string) []byte
}

// fonts holds the embedded fonts and the characters they cover, read once.
var fonts struct {
	once          sync.Once
	regular, bold []byte
	cov           *coverage
	err           error
}

func loadFonts() error {
	fonts.once.Do(func() {
		var err error
		if fonts.regular, err = assets.FS.ReadFile(assets.FontRegular); err != nil {
			fonts.err = fmt.Errorf("read font: %w", err)
			return
		}
		if fonts.bold, err = assets.FS.ReadFile(assets.FontBold); err != nil {
			fonts.err = fmt.Errorf("read font: %w", err)
			return
		}
		if fonts.cov, err = fontCoverage(fonts.regular, fonts.bold); err != nil {
			fonts.err = fmt.Errorf("read font character map: %w", err)
		}
	})
	return fonts.err
}

// epoch stands in for a record without a time, so that the document dates
// stay fixed (fpdf would use the current time for a zero time).
var epoch = time.Date(1970, 1, 1, 0, 0, 1, 0, time.UTC)

// Protocol writes the seizure protocol of in to w as PDF.
//
// Warnings list problems that did not stop the document, in the language
// of opt.Lang: a photo that could not be loaded or decoded, or whose
// content does not match its recorded SHA-256, leaves a marked gap with its
// file name, and a warning. An error means nothing usable was written.
func Protocol(w io.Writer, in *record.Interdiction, opt Options) (warnings []string, err error) {
	if in == nil {
		return nil, errors.New("report: protocol: no record given")
	}
	if opt.Lang == nil {
		return nil, fmt.Errorf("report: protocol of record %s: no language given", in.ID)
	}
	if err := loadFonts(); err != nil {
		return nil, fmt.Errorf("report: protocol of record %s: %w", in.ID, err)
	}
	defer func() {
		// fpdf reports some failures by panicking; a protocol that cannot be
		// printed must not take the application down with it.
		if r := recover(); r != nil {
			warnings, err = nil, fmt.Errorf("report: protocol of record %s: pdf library failed: %v", in.ID, r)
		}
	}()
	d := newDoc(in, opt)
	d.protocol()
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("report: protocol of record %s: %w", in.ID, err)
	}
	if err := d.pdf.Output(w); err != nil {
		return nil, fmt.Errorf("report: protocol of record %s: write pdf: %w", in.ID, err)
	}
	return d.warnings, nil
}

// doc is one document being written: a protocol, or a tracing request.
type doc struct {
	pdf    *fpdf.Fpdf
	in     *record.Interdiction
	opt    Options
	l1, l2 *i18n.Translator
	s      *sanitizer
	// kind is what the document is; recordID names the record it was made
	// from in every page's footer.
	kind     kind
	recordID string
	// req is the tracing request written, nil for a protocol.
	req *tracing.Document

	warnings []string
	// pageTop is where content starts on the current page.
	pageTop float64
	// tableHeader is repeated at the top of each new page while a table
	// is being drawn.
	tableHeader []cell
	// section numbers the protocol's sections.
	section int
	// itemNo maps an item's ID to its number in the table.
	itemNo map[string]int
	// bothValues: coded values (labels of codes, countries, calibres) are
	// given in both languages too, for a reader of either (a request to
	// another state); a protocol gives them in the first.
	bothValues bool
}

// kind is what differs between the kinds of document a doc lays out: the
// catalog keys of the title (in the file's properties and the running head),
// of the warning for a photo left out, and of the banner of a training
// record's document.
type kind struct {
	title, photoWarning, trainingBanner string
}

var (
	protocolKind = kind{title: "pdf.title", photoWarning: "pdf.warn.photo", trainingBanner: "pdf.training_banner"}
	traceKind    = kind{title: "pdf.trace.title", photoWarning: "pdf.trace.warn.photo", trainingBanner: "pdf.trace.training_banner"}
)

// newDoc starts the protocol of in.
func newDoc(in *record.Interdiction, opt Options) *doc {
	return newDocOf(protocolKind, in, in.ID.String(), opt)
}

// newDocOf starts a document of kind k made from record in, whose ID is
// recordID: its number heads every page after the first, and its ID,
// version and opt.Hash stand in every page's footer.
func newDocOf(k kind, in *record.Interdiction, recordID string, opt Options) *doc {
	d := &doc{
		in:       in,
		opt:      opt,
		l1:       opt.Lang,
		l2:       opt.Lang2,
		s:        newSanitizer(fonts.cov),
		itemNo:   make(map[string]int, len(in.Items)),
		kind:     k,
		recordID: recordID,
	}
	if d.l2 != nil && d.l2.Lang() == d.l1.Lang() {
		d.l2 = nil
	}
	for i, it := range in.Items {
		d.itemNo[it.ID.String()] = i + 1
	}
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	d.pdf = p
	p.AddUTF8FontFromBytes(fontFamily, "", fonts.regular)
	p.AddUTF8FontFromBytes(fontFamily, "B", fonts.bold)
	// After the fonts: fpdf then keeps the digits in every font subset.
	p.AliasNbPages(nbAlias)
	p.SetMargins(marginLeft, marginTop, marginRight)
	p.SetCellMargin(cellMargin)
	p.SetAutoPageBreak(false, pageH-contentBot)
	p.SetCatalogSort(true)
	p.SetCompression(true)

	stamp := in.OccurredAt
	if stamp.IsZero() {
		stamp = epoch
	}
	p.SetCreationDate(stamp)
	p.SetModificationDate(stamp)
	title := d.s.line(d.l1.T(k.title))
	if in.Number != "" {
		title += " " + d.s.line(d.l1.T("pdf.number", "number", in.Number))
	}
	p.SetTitle(title, true)
	p.SetSubject(d.s.line(d.l1.T(k.title)), true)
	if opt.Agency != "" {
		p.SetAuthor(d.s.line(opt.Agency), true)
	}
	p.SetCreator("Kordon", true)
	p.SetProducer("Kordon", true)
	p.SetKeywords(d.s.line(recordID+" "+opt.Hash), true)
	p.SetLang(d.l1.Lang())
	p.SetHeaderFuncMode(d.header, false)
	p.SetFooterFuncLpi(d.footer)
	return d
}

// nbAlias stands for the page count until the document is closed. It is
// made with private-use characters, which user text never contains (they
// are removed before drawing), so that no text typed into a record is
// ever replaced.
const nbAlias = "\uE000nb\uE000"

// label returns the label key in the label language(s): "label1 /
// label2" when bilingual and the two differ.
func (d *doc) label(key string, args ...any) string {
	a := d.s.line(d.l1.T(key, args...))
	if d.l2 == nil {
		return a
	}
	if b := d.s.line(d.l2.T(key, args...)); b != a {
		return a + " / " + b
	}
	return a
}

// labels returns the label key in each label language, one per element.
func (d *doc) labels(key string, args ...any) []string {
	out := []string{d.s.line(d.l1.T(key, args...))}
	if d.l2 != nil {
		if b := d.s.line(d.l2.T(key, args...)); b != out[0] {
			out = append(out, b)
		}
	}
	return out
}

// val returns a value in the first language (values are printed once).
func (d *doc) val(key string, args ...any) string {
	return d.s.line(d.l1.T(key, args...))
}

// enum returns the label of a code of a vocabulary, or the code itself
// when no catalog has a label for it.
func (d *doc) enum(v record.Vocabulary, code string) string {
	if code == "" {
		return ""
	}
	key := v.LabelKey(code)
	s := d.l1.T(key)
	if s == key {
		return d.s.line(code)
	}
	if d.bothValues && d.l2 != nil {
		if s2 := d.l2.T(key); s2 != key && s2 != s {
			s += " / " + s2
		}
	}
	return d.s.line(s)
}

// enums returns the labels of codes, joined by "; ".
func (d *doc) enums(v record.Vocabulary, codes []string) string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if c != "" {
			out = append(out, d.enum(v, c))
		}
	}
	return strings.Join(out, "; ")
}

// dateTime formats a time with its UTC offset: "12.03.2026 14:05 (UTC+05:00)".
func (d *doc) dateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return d.s.line(d.l1.DateTime(t) + " (UTC" + t.Format("-07:00") + ")")
}

// date formats a YYYY-MM-DD date in the language's form, or returns it as
// written when it is not one.
func (d *doc) date(s string) string {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return d.l1.Date(t)
	}
	return d.s.line(s)
}

// number formats an integer with the language's digit grouping.
func (d *doc) number(n int) string { return d.l1.Number(int64(n)) }

// header draws the training mark and, after the first page, the running
// head.
func (d *doc) header() {
	if d.in.Training {
		d.watermark(d.l1.T("pdf.training_mark"), 35)
	}
	if d.opt.Superseded != 0 {
		d.watermark(d.l1.T("pdf.superseded_mark", "version", strconv.Itoa(d.opt.Superseded)), -35)
	}
	if d.pdf.PageNo() == 1 {
		return
	}
	head := d.s.line(d.l1.T(d.kind.title))
	if d.in.Number != "" {
		head += " " + d.s.line(d.l1.T("pdf.number", "number", d.in.Number))
	}
	d.pdf.SetTextColor(90, 90, 90)
	d.setFont(false, sizeSmall)
	d.pdf.SetXY(marginLeft, 9)
	w := contentWidth / 2
	d.pdf.CellFormat(w, 4, d.fit(head, w, false, sizeSmall), "", 0, "LM", false, 0, "")
	post := d.postLine()
	d.pdf.CellFormat(w, 4, d.fit(post, w, false, sizeSmall), "", 0, "RM", false, 0, "")
	d.pdf.SetDrawColor(150, 150, 150)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginLeft, 13.5, pageW-marginRight, 13.5)
	d.pdf.SetTextColor(0, 0, 0)
}

// fit shortens s with an ellipsis until it fits in a one-line cell w wide.
func (d *doc) fit(s string, w float64, bold bool, size float64) string {
	d.setFont(bold, size)
	if d.pdf.GetStringWidth(s) <= w-2*cellMargin {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.pdf.GetStringWidth(string(r)+"…") > w-2*cellMargin {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// postLine is the post's name and code.
func (d *doc) postLine() string {
	name := d.s.line(d.opt.PostName)
	code := d.s.line(d.in.PostCode)
	switch {
	case name != "" && code != "":
		return name + " (" + code + ")"
	case name != "":
		return name
	}
	return code
}

// watermark draws a mark (training data, a superseded version) across the
// page at angle degrees, under everything else.
func (d *doc) watermark(mark string, angle float64) {
	text := d.s.line(mark)
	size := 54.0
	d.setFont(true, size)
	for d.pdf.GetStringWidth(text) > 230 && size > 20 {
		size -= 2
		d.setFont(true, size)
	}
	w := d.pdf.GetStringWidth(text)
	d.pdf.SetTextColor(246, 205, 205)
	d.pdf.TransformBegin()
	d.pdf.TransformRotate(angle, pageW/2, pageH/2)
	d.pdf.Text(pageW/2-w/2, pageH/2+size*ptToMM/3, text)
	d.pdf.TransformEnd()
	d.pdf.SetTextColor(0, 0, 0)
}

// footer draws the page number, the record's UUID and version, and the
// content hash.
func (d *doc) footer(last bool) {
	const y = 279.0
	d.pdf.SetDrawColor(150, 150, 150)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(marginLeft, y, pageW-marginRight, y)
	lh := lineHeight(sizeSmall)
	d.pdf.SetTextColor(60, 60, 60)
	d.setFont(false, sizeSmall)

	// The page count is not known before the end: other pages get the
	// alias, put in after the label is cleaned (which would remove its
	// private-use characters). The last page prints the count itself,
	// which also puts its digits into the font subset for the alias.
	const countMark = "999999999"
	count := nbAlias
	if last {
		count = strconv.Itoa(d.pdf.PageNo())
	}
	// One line per language; the column is as wide as the widest label
	// ("999 of 999"), up to 50 mm, so that the label stands at the same
	// place on every page.
	pages1 := d.labels("pdf.page", "page", strconv.Itoa(d.pdf.PageNo()), "pages", countMark)
	for i := range pages1 {
		pages1[i] = strings.Replace(pages1[i], countMark, count, 1)
	}
	d.setFont(true, sizeSmall+0.5)
	pageColW := 0.0
	widest := d.labels("pdf.page", "page", "999", "pages", "999")
	if d.in.Training {
		widest = append(widest, d.label("pdf.training_mark"))
	}
	if d.opt.Superseded != 0 {
		widest = append(widest, d.label("pdf.superseded_short"))
	}
	for _, l := range widest {
		pageColW = max(pageColW, d.pdf.GetStringWidth(l)+2*cellMargin+0.5)
	}
	pageColW = min(pageColW, 50)
	d.setFont(false, sizeSmall)
	left := contentWidth - pageColW - 2

	id := d.label("pdf.record_id") + ": " + d.s.line(d.recordID) + "   " +
		d.label("pdf.version") + ": " + strconv.Itoa(d.in.Version)
	hash := d.opt.Hash
	if hash == "" {
		hash = "—"
	}
	hashLine := d.label("pdf.hash") + ": " + d.s.line(hash)
	lines := append(d.pdf.SplitText(id, left), d.pdf.SplitText(hashLine, left)...)
	for i, l := range lines {
		d.pdf.SetXY(marginLeft, y+0.8+float64(i)*lh)
		d.pdf.CellFormat(left, lh, l, "", 0, "LM", false, 0, "")
	}
	d.setFont(true, sizeSmall+0.5)
	var right []string
	for _, l := range pages1 {
		right = append(right, d.pdf.SplitText(l, pageColW)...)
	}
	nPage := len(right)
	if d.in.Training {
		right = append(right, d.pdf.SplitText(d.label("pdf.training_mark"), pageColW)...)
	}
	if d.opt.Superseded != 0 {
		right = append(right, d.pdf.SplitText(d.label("pdf.superseded_short"), pageColW)...)
	}
	for i, l := range right {
		if i == nPage {
			d.pdf.SetTextColor(190, 0, 0)
		}
		d.pdf.SetXY(pageW-marginRight-pageColW, y+0.8+float64(i)*lh)
		// Left-aligned: the page count is filled in after the layout, so a
		// right-aligned label would end short of the margin by a varying
		// amount.
		d.pdf.CellFormat(pageColW, lh, l, "", 0, "LM", false, 0, "")
	}
	d.pdf.SetTextColor(0, 0, 0)
}
