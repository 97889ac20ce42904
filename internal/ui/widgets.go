package ui

import (
	"unicode/utf8"

	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
)

// codeList is a vocabulary's codes (or the given subset) with their labels
// in tr's language.
type codeList struct {
	codes, labels []string
}

func newCodeList(tr *i18n.Translator, voc record.Vocabulary, codes []string) codeList {
	if codes == nil {
		codes = voc.Codes
	}
	l := codeList{codes: codes, labels: make([]string, len(codes))}
	for i, c := range codes {
		l.labels[i] = tr.T(voc.LabelKey(c))
	}
	return l
}

// label is the code's label, or the code itself when the list lacks it.
func (l codeList) label(code string) string {
	if i := slices.Index(l.codes, code); i >= 0 {
		return l.labels[i]
	}
	return code
}

// read is the code of what was typed or chosen: a label or a code of the
// list, in any case; "" for nothing typed; ok false for text that names no
// entry of the list.
func (l codeList) read(s string) (code string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	// Labels first: a label that reads as another entry's code is the
	// label's entry.
	for i, c := range l.codes {
		if strings.EqualFold(l.labels[i], s) {
			return c, true
		}
	}
	for _, c := range l.codes {
		if strings.EqualFold(c, s) {
			return c, true
		}
	}
	return "", false
}

// codeEntry is a pick list over a vocabulary that also takes typing: its
// drop-down narrows to the labels holding what is typed, so that an
// officer finds «Самозарядный пистолет» by typing «пист». It shows text,
// and changed is told the text; codeList.read turns it into a code.
func codeEntry(tr *i18n.Translator, l codeList, text string, changed func(text string)) *widget.SelectEntry {
	e := widget.NewSelectEntry(l.labels)
	e.PlaceHolder = tr.T("ui.choose_or_type")
	e.SetText(text)
	e.OnChanged = func(s string) {
		e.SetOptions(l.offer(s))
		changed(s)
	}
	return e
}

// offer is what the drop-down lists for the text typed: the labels holding
// it, or all of them when the text is an entry or holds none.
func (l codeList) offer(s string) []string {
	if _, ok := l.read(s); !ok {
		if m := matching(l.labels, s); len(m) > 0 {
			return m
		}
	}
	return l.labels
}

// codeChecks is a set of check boxes over a vocabulary for multi-valued
// fields, laid out in columns so that it never widens the window; it
// reports the codes checked, in the vocabulary's order.
func codeChecks(tr *i18n.Translator, voc record.Vocabulary, value []string, changed func(codes []string)) *fyne.Container {
	checked := make(map[string]bool, len(value))
	for _, c := range value {
		checked[c] = true
	}
	box := container.New(&columns{n: 2})
	for _, c := range voc.Codes {
		ch := widget.NewCheck(tr.T(voc.LabelKey(c)), nil)
		ch.SetChecked(checked[c])
		ch.OnChanged = func(on bool) {
			checked[c] = on
			var codes []string
			for _, k := range voc.Codes {
				if checked[k] {
					codes = append(codes, k)
				}
			}
			changed(codes)
		}
		box.Add(ch)
	}
	return box
}

// countryCodes lists the ISO 3166-1 codes, the region's first.
var countryCodes = func() []string {
	out := slices.Clone(record.RegionCountries)
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			c := string([]rune{a, b})
			if record.IsCountry(c) && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}()

// countryLabel shows a country as "Казахстан (KZ)" in tr's language.
func countryLabel(tr *i18n.Translator, code string) string {
	if name := tr.Country(code); name != "" && record.IsCountry(code) {
		return name + " (" + code + ")"
	}
	return code
}

// countryCode reads what was typed or chosen into a country field: a
// label's code, a code, or a name of the list; anything else as typed, in
// upper case, for validation to name.
func countryCode(tr *i18n.Translator, s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "("); i >= 0 && strings.HasSuffix(s, ")") {
		if c := strings.ToUpper(s[i+1 : len(s)-1]); record.IsCountry(c) {
			return c
		}
	}
	for _, c := range countryCodes {
		if strings.EqualFold(tr.Country(c), s) {
			return c
		}
	}
	return strings.ToUpper(s)
}

// matching are the options holding typed, in any case; all of them for
// nothing typed.
func matching(options []string, typed string) []string {
	q := strings.ToLower(strings.TrimSpace(typed))
	if q == "" {
		return options
	}
	var out []string
	for _, o := range options {
		if strings.Contains(strings.ToLower(o), q) {
			out = append(out, o)
		}
	}
	return out
}

// countryEntry picks a country by its name in the officer's language or
// its ISO code, typed or chosen; the region's countries come first, and
// the list narrows to those whose name or code holds what is typed. It
// reports the code.
func countryEntry(tr *i18n.Translator, value string, changed func(code string)) *widget.SelectEntry {
	all := make([]string, len(countryCodes))
	for i, c := range countryCodes {
		all[i] = countryLabel(tr, c)
	}
	e := widget.NewSelectEntry(all)
	if value != "" {
		e.SetText(countryLabel(tr, value))
	}
	e.OnChanged = func(s string) {
		code := countryCode(tr, s)
		if record.IsCountry(code) {
			e.SetOptions(all)
		} else {
			e.SetOptions(matching(all, s))
		}
		changed(code)
	}
	return e
}

// calibreLabels are the controlled calibres' designations in tr's
// language, for type-ahead.
func calibreLabels(tr *i18n.Translator) []string {
	out := make([]string, len(record.Calibres))
	for i, c := range record.Calibres {
		out[i] = tr.Calibre(c.Code, c.Label)
	}
	return out
}

// calibreOf reads what the officer typed or picked: a controlled calibre
// when it matches one by its label (in English or tr's language), code or
// alias. A label picked from the list is no marking on the item, so only
// the code is kept; a code or alias typed is what the item bears, and is
// kept as stamped too, as is any text that matches no calibre.
func calibreOf(tr *i18n.Translator, text string) record.Calibre {
	t := strings.TrimSpace(text)
	if t == "" {
		return record.Calibre{}
	}
	key := strings.ToLower(t)
	for _, c := range record.Calibres {
		if strings.ToLower(c.Label) == key || strings.ToLower(tr.Calibre(c.Code, c.Label)) == key || strings.ToLower(tr.Calibre("", c.Label)) == key {
			return record.Calibre{Code: c.Code}
		}
		if strings.ToLower(c.Code) == key || slices.Contains(c.Aliases, key) {
			return record.Calibre{Code: c.Code, Stamped: t}
		}
	}
	return record.Calibre{Stamped: t}
}

// calibreEntry is a type-ahead calibre field: the drop-down narrows to the
// controlled calibres containing what was typed, and any stamped text is
// accepted.
func calibreEntry(tr *i18n.Translator, value record.Calibre, changed func(record.Calibre)) *widget.SelectEntry {
	labels := calibreLabels(tr)
	e := widget.NewSelectEntry(labels)
	text := value.Stamped
	if text == "" {
		text = tr.Calibre(value.Code, value.Label())
	}
	e.SetText(text)
	e.OnChanged = func(s string) {
		key := strings.ToLower(strings.TrimSpace(s))
		var opts []string
		for _, l := range labels {
			if key == "" || strings.Contains(strings.ToLower(l), key) {
				opts = append(opts, l)
			}
		}
		if len(opts) == 0 {
			opts = labels
		}
		e.SetOptions(opts)
		changed(calibreOf(tr, s))
	}
	return e
}

// entry is a one-line text field bound to a string, holding at most
// record.MaxText characters (see cappedEntry).
func entry(value string, changed func(string)) *cappedEntry {
	e := newCappedEntry(record.MaxText, false)
	e.SetText(cut(value, e.max))
	e.OnChanged = changed
	return e
}

// cappedEntry is an Entry that holds at most max characters: typing stops
// at the cap and a paste is cut to fit, before Fyne lays the text out (a
// paste of 200,000 characters kept it busy for minutes), and onCut, if
// set, is told.
type cappedEntry struct {
	widget.Entry
	max   int
	onCut func()
}

func newCappedEntry(max int, multiline bool) *cappedEntry {
	e := &cappedEntry{max: max}
	e.MultiLine = multiline
	if multiline {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// room is how many characters may still be typed or pasted, the selection
// being replaced.
func (e *cappedEntry) room() int {
	return e.max - utf8.RuneCountInString(e.Text) + utf8.RuneCountInString(e.SelectedText())
}

func (e *cappedEntry) warnCut() {
	if e.onCut != nil {
		e.onCut()
	}
}

// TypedRune types r unless the field is full.
func (e *cappedEntry) TypedRune(r rune) {
	if e.room() <= 0 {
		e.warnCut()
		return
	}
	e.Entry.TypedRune(r)
}

// TypedShortcut pastes no more than fits, and passes the window's own
// shortcuts (Ctrl+S, Ctrl+N, Ctrl+F) on to it instead of swallowing them;
// other shortcuts are the Entry's.
func (e *cappedEntry) TypedShortcut(s fyne.Shortcut) {
	if windowShortcut(s) {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
			return
		}
	}
	p, ok := s.(*fyne.ShortcutPaste)
	if !ok || p.Clipboard == nil {
		e.Entry.TypedShortcut(s)
		return
	}
	text := p.Clipboard.Content()
	if room := max(e.room(), 0); utf8.RuneCountInString(text) > room {
		e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: fixedClipboard(cut(text, room))})
		e.warnCut()
		return
	}
	e.Entry.TypedShortcut(s)
}

// windowShortcut reports whether s is one of the window's own shortcuts.
func windowShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.Modifier == fyne.KeyModifierShortcutDefault &&
		(cs.KeyName == fyne.KeyS || cs.KeyName == fyne.KeyN || cs.KeyName == fyne.KeyF)
}

// fixedClipboard hands the Entry the part of a paste that fits.
type fixedClipboard string

func (c fixedClipboard) Content() string   { return string(c) }
func (c fixedClipboard) SetContent(string) {}

// cut is s without what lies beyond its first n characters.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// fieldRow is a labelled field with room for its validation message.
type fieldRow struct {
	label string
	err   *widget.Label
	obj   fyne.CanvasObject
}

func newFieldRow(label string, obj fyne.CanvasObject) *fieldRow {
	e := widget.NewLabel("")
	e.Importance = widget.DangerImportance
	e.Wrapping = fyne.TextWrapWord
	e.Hide()
	return &fieldRow{label: label, err: e, obj: obj}
}

// setError shows msg under the field, or hides the message when msg is "".
func (r *fieldRow) setError(msg string) {
	r.err.SetText(msg)
	if msg == "" {
		r.err.Hide()
	} else {
		r.err.Show()
	}
}

// grid lays fields out in columns of label-above-field cells. A label too
// long for its column wraps onto more lines rather than being cut short,
// and the fields of a row stay level with each other (see columns).
func grid(cols int, rows ...*fieldRow) fyne.CanvasObject {
	cells := make([]fyne.CanvasObject, len(rows))
	for i, r := range rows {
		l := widget.NewLabel(r.label)
		l.TextStyle.Bold = true
		l.Wrapping = fyne.TextWrapWord
		cells[i] = container.New(&fieldCell{}, l, r.obj, r.err)
	}
	return container.New(&columns{n: cols}, cells...)
}

// fieldCell stacks a field's label, the field and its message. Its label
// is at least labelHeight tall, so that in a row of cells whose labels wrap
// onto different numbers of lines the fields still line up.
type fieldCell struct{ labelHeight float32 }

func (c *fieldCell) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if i == 0 {
			m.Height = max(m.Height, c.labelHeight)
		} else {
			h += theme.Padding()
		}
		w, h = max(w, m.Width), h+m.Height
	}
	return fyne.NewSize(w, h)
}

func (c *fieldCell) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var y float32
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		if i > 0 {
			y += theme.Padding()
		}
		h := o.MinSize().Height
		if i == 0 {
			h = max(h, c.labelHeight)
		}
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}

// columnMin is the narrowest a column of fields asks the window to be: the
// fields shrink below their natural width rather than push the window wider
// than a 1024-pixel screen.
const columnMin = 140

// columns lays cells out left to right in n equal columns, each row as tall
// as its tallest cell.
type columns struct{ n int }

func (c *columns) rows(objs []fyne.CanvasObject) [][]fyne.CanvasObject {
	var rows [][]fyne.CanvasObject
	for i := 0; i < len(objs); i += c.n {
		rows = append(rows, objs[i:min(i+c.n, len(objs))])
	}
	return rows
}

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var h float32
	for i, row := range c.rows(objs) {
		if i > 0 {
			h += pad
		}
		var rh float32
		for _, o := range row {
			if o.Visible() {
				rh = max(rh, o.MinSize().Height)
			}
		}
		h += rh
	}
	return fyne.NewSize(float32(c.n)*columnMin+float32(c.n-1)*pad, h)
}

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	w := (size.Width - float32(c.n-1)*pad) / float32(c.n)
	var y float32
	for _, row := range c.rows(objs) {
		levelLabels(row, w)
		var rh float32
		for _, o := range row {
			if o.Visible() {
				rh = max(rh, o.MinSize().Height)
			}
		}
		for j, o := range row {
			o.Move(fyne.NewPos(float32(j)*(w+pad), y))
			o.Resize(fyne.NewSize(w, rh))
		}
		y += rh + pad
	}
}

// levelLabels gives the labels of a row of field cells the height of the
// tallest once wrapped at width w, so that the fields line up.
func levelLabels(row []fyne.CanvasObject, w float32) {
	var lh float32
	for _, o := range row {
		if cell, ok := o.(*fyne.Container); ok {
			if fc, ok := cell.Layout.(*fieldCell); ok && len(cell.Objects) > 0 {
				fc.labelHeight = 0
				l := cell.Objects[0]
				l.Resize(fyne.NewSize(w, l.MinSize().Height))
				lh = max(lh, l.MinSize().Height)
			}
		}
	}
	for _, o := range row {
		if cell, ok := o.(*fyne.Container); ok {
			if fc, ok := cell.Layout.(*fieldCell); ok {
				fc.labelHeight = lh
			}
		}
	}
}

// heading is a bold title line.
func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle.Bold = true
	l.SizeName = "subHeadingText"
	return l
}
