// Package screening screens people and organisations against the United
// Nations Security Council Consolidated List: it reads the list's XML
// strictly and defensively (Parse), and finds the listed individuals and
// entities whose names, across the Cyrillic and Latin scripts, dates of
// birth, nationalities and document numbers match a query (NewIndex,
// Index.Screen).
//
// The package is pure: it keeps nothing on disk, knows no store and no user
// interface, and its functions are safe for concurrent use once an Index is
// built.
package screening

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"hash"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kordon/kordon/internal/fault"
)

// Limits of Parse. The real list is about 1.5 MB, 1,000 entries, 6 levels
// deep and 150,000 tokens; the limits leave a wide margin and stop a hostile
// file long before it exhausts memory.
const (
	MaxBytes   = 64 << 20  // bytes read at most
	MaxDepth   = 16        // elements nested at most
	MaxTokens  = 5_000_000 // XML tokens at most
	MaxEntries = 100_000   // individuals and entities at most
)

// Errors of Parse. Each is returned as a *fault.Error of that key, with
// placeholders where useful; errors.Is matches them.
var (
	// ErrEmpty: the file is empty, or a list without entries.
	ErrEmpty = &fault.Error{Key: "screening.err.empty"}
	// ErrNotList: the file is not the UN Consolidated List (other XML,
	// HTML, JSON, binary). Args: "root" (the root element found, if any).
	ErrNotList = &fault.Error{Key: "screening.err.not_list"}
	// ErrTooLarge: the file is larger than MaxBytes. Args: "max".
	ErrTooLarge = &fault.Error{Key: "screening.err.too_large"}
	// ErrTooDeep: elements nested deeper than MaxDepth. Args: "max".
	ErrTooDeep = &fault.Error{Key: "screening.err.too_deep"}
	// ErrTooManyTokens: more than MaxTokens XML tokens. Args: "max".
	ErrTooManyTokens = &fault.Error{Key: "screening.err.too_many_tokens"}
	// ErrTooManyEntries: more than MaxEntries entries. Args: "max".
	ErrTooManyEntries = &fault.Error{Key: "screening.err.too_many_entries"}
	// ErrTruncated: the file ends before the list does.
	ErrTruncated = &fault.Error{Key: "screening.err.truncated"}
	// ErrEntity: a DTD, an entity declaration, or a reference to an entity
	// other than XML's five predefined ones.
	ErrEntity = &fault.Error{Key: "screening.err.entity"}
	// ErrSyntax: malformed XML inside the list. Args: "line".
	ErrSyntax = &fault.Error{Key: "screening.err.syntax"}
	// ErrNoReference: an entry without REFERENCE_NUMBER. Args: "entry"
	// (its DATAID or position).
	ErrNoReference = &fault.Error{Key: "screening.err.no_reference"}
	// ErrNoName: an entry without any name. Args: "reference".
	ErrNoName = &fault.Error{Key: "screening.err.no_name"}
	// ErrTooManyNames: an entry with more than MaxNamesPerEntry names (or
	// dates of birth, or documents), or a name or alias text longer than
	// the list ever writes. Args: "reference", "max".
	ErrTooManyNames = &fault.Error{Key: "screening.err.too_many_names"}
)

// Caps on one entry: the real list's longest has under 60 names.
const (
	MaxNamesPerEntry = 200
	maxNameBytes     = 1000
	maxAliasBytes    = 64 << 10
)

// Kinds of entry.
const (
	KindIndividual = "individual"
	KindEntity     = "entity"
)

// Types of name.
const (
	NamePrimary  = "primary"  // FIRST_NAME … FOURTH_NAME
	NameOriginal = "original" // NAME_ORIGINAL_SCRIPT
	NameAlias    = "alias"    // an ALIAS_NAME, or its original script
)

// List is a parsed UN Security Council Consolidated List.
type List struct {
	// Generated is the list's dateGenerated; GeneratedRaw is it as written.
	Generated    time.Time
	GeneratedRaw string
	// SHA256 is the hex SHA-256 of the bytes read (the whole file).
	SHA256 string
	// Individuals and Entities are the entries, in the list's order.
	Individuals []Entry
	Entities    []Entry
}

// Len is the number of entries.
func (l *List) Len() int { return len(l.Individuals) + len(l.Entities) }

// Entry is a listed individual or entity.
type Entry struct {
	Kind      string // KindIndividual or KindEntity
	Reference string // REFERENCE_NUMBER, e.g. "QDi.372"
	DataID    string
	ListType  string // UN_LIST_TYPE, e.g. "Al-Qaida"
	ListedOn  string // yyyy-mm-dd
	Comments  string
	// Names: the primary name first, then the name in its original
	// script, then every alias (an ALIAS_NAME holding several names
	// separated by ";" gives several).
	Names      []Name
	BirthDates []DateOfBirth
	// Nationalities as written; NationalityCodes their ISO 3166-1
	// alpha-2 codes where known, without duplicates.
	Nationalities    []string
	NationalityCodes []string
	Documents        []Document
	// AddressCountries are the countries of the entry's addresses.
	AddressCountries []string
}

// Name is one name of an entry.
type Name struct {
	Text    string
	Type    string // NamePrimary, NameOriginal or NameAlias
	Quality string // of an alias: "Good", "Low", "a.k.a.", "f.k.a." or ""
}

// DateOfBirth is one date of birth of an individual. Type is "EXACT",
// "APPROXIMATELY" or "BETWEEN"; Date is yyyy-mm-dd when the full date is
// known; FromYear and ToYear bound the year (equal but for BETWEEN).
type DateOfBirth struct {
	Type     string
	Date     string
	FromYear int
	ToYear   int
}

// Document is an identity document of an individual.
type Document struct {
	Type    string
	Number  string
	Country string
}

// Parse reads a UN Security Council Consolidated List. It refuses, with a
// *fault.Error of one of the Err… keys and never a panic, a file that is
// not the list, truncated or malformed XML, DTDs and entity declarations
// (encoding/xml in strict mode expands only the five predefined entities
// and numeric character references, and refuses any other), and files
// beyond the limits MaxBytes, MaxDepth, MaxTokens and MaxEntries. Elements
// inside an entry that Parse does not know are skipped. Control characters
// and bidirectional overrides are dropped from the text.
func Parse(r io.Reader) (*List, error) {
	h := sha256.New()
	cr := &limitReader{r: r, n: MaxBytes, h: h}
	d := xml.NewDecoder(cr)
	d.Strict = true
	p := &parser{d: d}
	l, err := p.run()
	if err == nil {
		// Hash the whole file: read what follows the list, within the
		// limit.
		_, err = io.Copy(io.Discard, cr)
		if err != nil {
			err = p.wrap(err)
		}
	}
	if err != nil {
		return nil, err
	}
	l.SHA256 = hex.EncodeToString(h.Sum(nil))
	return l, nil
}

var errTooLarge = errors.New("too large")

// limitReader reads at most n bytes from r, hashing them, and fails with
// errTooLarge when r has more.
type limitReader struct {
	r     io.Reader
	n     int64
	h     hash.Hash
	total int64
}

func (l *limitReader) Read(b []byte) (int, error) {
	if l.n <= 0 {
		// Probe one byte: if there is any, the file is too large.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		if err == nil {
			return 0, nil
		}
		return 0, err
	}
	if int64(len(b)) > l.n {
		b = b[:l.n]
	}
	n, err := l.r.Read(b)
	l.n -= int64(n)
	l.total += int64(n)
	l.h.Write(b[:n])
	return n, err
}

// node is an element of an entry, with its text and children.
type node struct {
	name string
	text []byte
	kids []*node
}

type parser struct {
	d       *xml.Decoder
	tokens  int
	depth   int
	entries int
	root    bool // the root element was seen
}

func (p *parser) token() (xml.Token, error) {
	t, err := p.d.RawToken()
	if err != nil {
		return nil, p.wrap(err)
	}
	p.tokens++
	if p.tokens > MaxTokens {
		return nil, fault.New(ErrTooManyTokens, nil, "max", MaxTokens)
	}
	switch t := t.(type) {
	case xml.StartElement:
		p.depth++
		if p.depth > MaxDepth {
			return nil, fault.New(ErrTooDeep, nil, "max", MaxDepth)
		}
	case xml.EndElement:
		p.depth--
	case xml.Directive:
		s := strings.ToUpper(strings.Join(strings.Fields(string(t)), " "))
		if s == "DOCTYPE HTML" && !p.root {
			return t, nil // an HTML page: refused as not the list
		}
		return nil, fault.New(ErrEntity, nil, "decl", clip(string(t), 40))
	}
	return t, nil
}

// wrap turns a reading or XML error into the parser's fault.
func (p *parser) wrap(err error) error {
	var fe *fault.Error
	if errors.As(err, &fe) {
		return err
	}
	if errors.Is(err, errTooLarge) {
		return fault.New(ErrTooLarge, nil, "max", MaxBytes)
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		switch {
		case strings.Contains(msg, "entity"):
			return fault.New(ErrEntity, err)
		case strings.Contains(msg, "unexpected EOF"):
			return fault.New(ErrTruncated, err)
		case !p.root:
			return fault.New(ErrNotList, err)
		}
		return fault.New(ErrSyntax, err, "line", se.Line)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		if !p.root {
			return fault.New(ErrEmpty, nil)
		}
		return fault.New(ErrTruncated, err)
	}
	if !p.root {
		return fault.New(ErrNotList, err)
	}
	return fault.New(ErrSyntax, err)
}

// run reads the list.
func (p *parser) run() (*List, error) {
	// RawToken does not check that end elements match start elements
	// (Token would, but it also resolves name spaces, which the list does
	// not use): group and element check them.
	var root xml.StartElement
	for {
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			root = t
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, fault.New(ErrNotList, nil, "root", "")
			}
			continue
		case xml.EndElement:
			return nil, fault.New(ErrNotList, nil, "root", "")
		default:
			continue
		}
		break
	}
	p.root = true
	if root.Name.Local != "CONSOLIDATED_LIST" || root.Name.Space != "" {
		return nil, fault.New(ErrNotList, nil, "root", clip(root.Name.Local, 40))
	}
	l := &List{}
	for _, a := range root.Attr {
		if a.Name.Local == "dateGenerated" {
			l.GeneratedRaw = a.Value
			l.Generated = parseGenerated(a.Value)
		}
	}
	for {
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if t.Name.Local != "CONSOLIDATED_LIST" {
				return nil, fault.New(ErrSyntax, nil, "element", clip(t.Name.Local, 40))
			}
			if l.Len() == 0 {
				return nil, fault.New(ErrEmpty, nil)
			}
			return l, nil
		case xml.StartElement:
			var kind, child string
			var dst *[]Entry
			switch t.Name.Local {
			case "INDIVIDUALS":
				kind, child, dst = KindIndividual, "INDIVIDUAL", &l.Individuals
			case "ENTITIES":
				kind, child, dst = KindEntity, "ENTITY", &l.Entities
			default:
				if _, err := p.element(t); err != nil {
					return nil, err
				}
				continue
			}
			if err := p.group(t.Name.Local, kind, child, dst); err != nil {
				return nil, err
			}
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, fault.New(ErrNotList, nil, "root", "CONSOLIDATED_LIST")
			}
		}
	}
}

// group reads INDIVIDUALS or ENTITIES, after its start element.
func (p *parser) group(name, kind, child string, dst *[]Entry) error {
	for {
		t, err := p.token()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.EndElement:
			if t.Name.Local != name {
				return fault.New(ErrSyntax, nil, "element", clip(t.Name.Local, 40))
			}
			return nil
		case xml.StartElement:
			if t.Name.Local != child {
				return fault.New(ErrNotList, nil, "root", "CONSOLIDATED_LIST", "element", clip(t.Name.Local, 40))
			}
			p.entries++
			if p.entries > MaxEntries {
				return fault.New(ErrTooManyEntries, nil, "max", MaxEntries)
			}
			n, err := p.element(t)
			if err != nil {
				return err
			}
			e, err := makeEntry(kind, n, p.entries)
			if err != nil {
				return err
			}
			*dst = append(*dst, e)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return fault.New(ErrNotList, nil, "root", "CONSOLIDATED_LIST")
			}
		}
	}
}

// element reads the element that start opens into a tree.
func (p *parser) element(start xml.StartElement) (*node, error) {
	n := &node{name: start.Name.Local}
	for {
		t, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := t.(type) {
		case xml.StartElement:
			k, err := p.element(t)
			if err != nil {
				return nil, err
			}
			n.kids = append(n.kids, k)
		case xml.EndElement:
			if t.Name.Local != n.name || t.Name.Space != start.Name.Space {
				return nil, fault.New(ErrSyntax, nil, "element", clip(t.Name.Local, 40))
			}
			return n, nil
		case xml.CharData:
			if len(n.text)+len(t) <= 1<<20 {
				n.text = append(n.text, t...)
			}
		}
	}
}

// child returns the text of n's first child of that name.
func (n *node) child(name string) string {
	for _, k := range n.kids {
		if k.name == name {
			return cleanText(string(k.text))
		}
	}
	return ""
}

// values returns the texts of the VALUE children of n's children of that
// name.
func (n *node) values(name string) []string {
	var out []string
	for _, k := range n.kids {
		if k.name != name {
			continue
		}
		for _, v := range k.kids {
			if v.name == "VALUE" {
				if s := cleanText(string(v.text)); s != "" {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// makeEntry makes the entry of n, the i-th of the list.
func makeEntry(kind string, n *node, i int) (Entry, error) {
	e := Entry{
		Kind:      kind,
		Reference: n.child("REFERENCE_NUMBER"),
		DataID:    n.child("DATAID"),
		ListType:  n.child("UN_LIST_TYPE"),
		ListedOn:  n.child("LISTED_ON"),
		Comments:  n.child("COMMENTS1"),
	}
	if e.Reference == "" {
		id := e.DataID
		if id == "" {
			id = strconv.Itoa(i)
		}
		return e, fault.New(ErrNoReference, nil, "entry", clip(id, 40))
	}
	var parts []string
	for _, f := range [...]string{"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"} {
		if s := n.child(f); s != "" {
			parts = append(parts, s)
		}
	}
	seen := map[string]bool{}
	tooMany := false
	add := func(text, typ, quality string) {
		text = strings.Trim(text, " ,.")
		if text == "" || seen[text] {
			return
		}
		if len(e.Names) == MaxNamesPerEntry || len(text) > maxNameBytes {
			tooMany = true
			return
		}
		seen[text] = true
		e.Names = append(e.Names, Name{Text: text, Type: typ, Quality: quality})
	}
	// An entity's FIRST_NAME may hold several names separated by ";".
	for _, s := range splitTop(strings.Join(parts, " ")) {
		add(s, NamePrimary, "")
	}
	add(n.child("NAME_ORIGINAL_SCRIPT"), NameOriginal, "")
	for _, k := range n.kids {
		switch k.name {
		case "INDIVIDUAL_ALIAS", "ENTITY_ALIAS":
			q := k.child("QUALITY")
			alias := k.child("ALIAS_NAME")
			if len(alias) > maxAliasBytes {
				return e, fault.New(ErrTooManyNames, nil, "reference", clip(e.Reference, 40), "max", MaxNamesPerEntry)
			}
			for _, s := range splitAlias(alias) {
				add(s, NameAlias, q)
			}
			if note := k.child("NOTE"); hasPrefixFold(note, "original script:") {
				add(strings.TrimSpace(note[len("original script:"):]), NameAlias, q)
			}
			if s := k.child("DATE_OF_BIRTH"); s != "" {
				if b, ok := birthDate("EXACT", s, s, "", ""); ok {
					e.BirthDates = append(e.BirthDates, b)
				}
			}
		case "INDIVIDUAL_DATE_OF_BIRTH":
			if b, ok := birthDate(k.child("TYPE_OF_DATE"), k.child("DATE"), k.child("YEAR"),
				k.child("FROM_YEAR"), k.child("TO_YEAR")); ok {
				e.BirthDates = append(e.BirthDates, b)
			}
		case "INDIVIDUAL_DOCUMENT":
			d := Document{Type: k.child("TYPE_OF_DOCUMENT"), Number: k.child("NUMBER"),
				Country: k.child("ISSUING_COUNTRY")}
			if d.Country == "" {
				d.Country = k.child("COUNTRY_OF_ISSUE")
			}
			if d.Type != "" || d.Number != "" {
				e.Documents = append(e.Documents, d)
			}
		case "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS":
			if c := k.child("COUNTRY"); c != "" {
				e.AddressCountries = append(e.AddressCountries, c)
			}
		}
	}
	if tooMany || len(e.BirthDates) > MaxNamesPerEntry || len(e.Documents) > MaxNamesPerEntry {
		return e, fault.New(ErrTooManyNames, nil, "reference", clip(e.Reference, 40), "max", MaxNamesPerEntry)
	}
	if len(e.Names) == 0 {
		return e, fault.New(ErrNoName, nil, "reference", clip(e.Reference, 40))
	}
	e.Nationalities = n.values("NATIONALITY")
	for _, s := range e.Nationalities {
		if c := CountryCode(s); c != "" && !contains(e.NationalityCodes, c) {
			e.NationalityCodes = append(e.NationalityCodes, c)
		}
	}
	return e, nil
}

// splitAlias splits an ALIAS_NAME into its names: at ";" outside
// parentheses, and into the text outside and the names inside parentheses
// (the list writes "أبو بكر البغدادي (Abu Bakr al-Baghdadi; Abu Bakr)" and
// "Amir Khazmat (original script: Амир Хазмат)").
func splitAlias(s string) []string {
	var out []string
	var outer, inner strings.Builder
	depth := 0
	flushInner := func() {
		t := strings.TrimSpace(inner.String())
		if hasPrefixFold(t, "original script:") {
			t = strings.TrimSpace(t[len("original script:"):])
		}
		out = append(out, t)
		inner.Reset()
	}
	flushOuter := func() {
		out = append(out, strings.Join(strings.Fields(outer.String()), " "))
		outer.Reset()
	}
	for _, r := range s {
		switch {
		case r == '(':
			depth++
			if depth > 1 {
				inner.WriteRune(r)
			}
		case r == ')' && depth > 0:
			depth--
			if depth == 0 {
				flushInner()
			} else {
				inner.WriteRune(r)
			}
		case r == ';' && depth == 1:
			flushInner()
		case r == ';' && depth == 0:
			flushOuter()
		case depth > 0:
			inner.WriteRune(r)
		default:
			outer.WriteRune(r)
		}
	}
	if depth > 0 {
		flushInner()
	}
	flushOuter()
	res := out[:0]
	for _, t := range out {
		if t = strings.Trim(t, " ,."); t != "" {
			res = append(res, t)
		}
	}
	return res
}

// splitTop splits s at the ";" outside parentheses.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

// birthDate makes a date of birth from its elements.
func birthDate(typ, date, year, from, to string) (DateOfBirth, bool) {
	b := DateOfBirth{Type: strings.ToUpper(typ)}
	if b.Type == "" {
		b.Type = "EXACT"
	}
	if len(date) >= 10 && isDate(date[:10]) {
		b.Date = date[:10]
		y, _ := strconv.Atoi(date[:4])
		b.FromYear, b.ToYear = y, y
		return b, true
	}
	if y := parseYear(year); y > 0 {
		b.FromYear, b.ToYear = y, y
		return b, true
	}
	if len(date) == 4 {
		if y := parseYear(date); y > 0 {
			b.FromYear, b.ToYear = y, y
			return b, true
		}
	}
	f, t := parseYear(from), parseYear(to)
	if f > 0 && t >= f {
		b.Type = "BETWEEN"
		b.FromYear, b.ToYear = f, t
		return b, true
	}
	return b, false
}

func parseYear(s string) int {
	if len(s) != 4 {
		return 0
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1800 || y > 2200 {
		return 0
	}
	return y
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func parseGenerated(s string) time.Time {
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// cleanText drops control characters (white space becomes a space),
// invisible format characters and bidirectional overrides, collapses
// spaces and trims. Letters of every script are kept.
func cleanText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r):
			space = true
			continue
		case r == unicode.ReplacementChar, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue // includes U+200E, U+200F, U+202A–U+202E, U+2066–U+2069
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func clip(s string, n int) string {
	s = cleanText(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
