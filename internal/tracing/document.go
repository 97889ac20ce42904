package tracing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
)

// Identification of a tracing request's JSON form.
const (
	DocumentFormat  = "kordon-tracing-request"
	DocumentVersion = 1
	// MaxDocument caps the JSON form read by ParseDocument.
	MaxDocument = 1 << 20
	// MaxPhotos caps the photos a request carries.
	MaxPhotos = 8
	// maxList caps the serials and criminal contexts a request carries.
	maxList = 50
)

// Clause is the confidentiality and intended-use clause of a request's
// JSON form, in English (the catalogs print it in each language of the
// printed request).
const Clause = "The information in this request is provided solely for the tracing of illicit small arms and light weapons under the International Instrument to Enable States to Identify and Trace, in a Timely and Reliable Manner, Illicit Small Arms and Light Weapons (International Tracing Instrument), adopted by the General Assembly of the United Nations by its decision 60/519 of 8 December 2005. It is to be used only for that purpose, kept confidential, and not passed to third parties without the consent of the requesting State."

// Document is a tracing request: everything a requested state needs to
// search its records for one item. The printed request and its JSON twin
// are made from the same Document; coded fields hold the record model's
// codes.
type Document struct {
	Format        string `json:"format"`
	FormatVersion int    `json:"format_version"`
	// Reference is the requester's reference of the request.
	Reference string `json:"reference"`
	// Date is the day the request was made, YYYY-MM-DD.
	Date string `json:"date"`
	// To is the requested state (ISO 3166-1 alpha-2).
	To string `json:"to"`
	// Priority is a Priorities code; Urgency says why a request is urgent.
	Priority  string    `json:"priority"`
	Urgency   string    `json:"urgency,omitempty"`
	Requester Requester `json:"requester"`
	Recovery  Recovery  `json:"recovery"`
	Item      Item      `json:"item"`
	Photos    []Photo   `json:"photos,omitempty"`
	// Clause is the confidentiality and intended-use clause, in English.
	Clause string `json:"clause"`
	Source Source `json:"source"`
	// Training marks a request made from a training record: an exercise,
	// never to be sent.
	Training bool `json:"training,omitempty"`
}

// Requester is the service that asks.
type Requester struct {
	// Country is the requesting state.
	Country    string `json:"country"`
	Agency     string `json:"agency,omitempty"`
	Office     string `json:"office,omitempty"`
	OfficeCode string `json:"office_code"`
	Officer    string `json:"officer,omitempty"`
	Contact    string `json:"contact,omitempty"`
}

// Recovery is when, where and how the item came into the service's hands.
type Recovery struct {
	// At is the local time of the inspection with its offset (RFC 3339).
	At              time.Time    `json:"at"`
	Post            string       `json:"post"`
	Place           string       `json:"place,omitempty"`
	GPS             *record.GPS  `json:"gps,omitempty"`
	Type            string       `json:"type,omitempty"`
	LegalBasis      string       `json:"legal_basis,omitempty"`
	LegalBasisText  string       `json:"legal_basis_text,omitempty"`
	CriminalContext []string     `json:"criminal_context,omitempty"`
	Route           record.Route `json:"route"`
}

// Item is the weapon or part to trace, as the record describes it.
type Item struct {
	ID string `json:"id"`
	// Kind is record.KindFirearm or record.KindPart; Category the
	// firearm's category, PartType the part's type.
	Kind            string          `json:"kind"`
	Category        string          `json:"category,omitempty"`
	PartType        string          `json:"part_type,omitempty"`
	Quantity        int             `json:"quantity"`
	Make            string          `json:"make,omitempty"`
	Model           string          `json:"model,omitempty"`
	Calibre         record.Calibre  `json:"calibre"`
	Serials         []record.Serial `json:"serials,omitempty"`
	Year            int             `json:"year,omitempty"`
	CountryMarked   string          `json:"country_marked,omitempty"`
	CountryAssessed string          `json:"country_assessed,omitempty"`
	ImportMark      *record.Mark    `json:"import_mark,omitempty"`
	Markings        string          `json:"markings,omitempty"`
	Condition       string          `json:"condition,omitempty"`
	Description     string          `json:"description,omitempty"`
}

// Photo is a photograph of the item the request shows.
type Photo struct {
	SHA256  string `json:"sha256"`
	Tag     string `json:"tag,omitempty"`
	Caption string `json:"caption,omitempty"`
}

// Source is the record the request was made from.
type Source struct {
	RecordID string `json:"record_id"`
	Number   string `json:"number"`
	Version  int    `json:"version"`
	// Hash is the hex SHA-256 of the record version.
	Hash string `json:"hash"`
}

// ErrNotTraced is returned by NewDocument for an item that is not traced
// (Applies) or not in the record.
var ErrNotTraced = errors.New("tracing: the item is not a firearm or major part of the record")

// NewDocument is the tracing request for item id of record in (version
// hash hash) to state to. Photos are the record's photos of the item:
// serial close-ups and markings first.
func NewDocument(in *record.Interdiction, hash string, id uuid.UUID, to string, req Requester) (*Document, error) {
	i := slices.IndexFunc(in.Items, func(it record.Item) bool { return it.ID == id })
	if i < 0 || !Applies(&in.Items[i]) {
		return nil, ErrNotTraced
	}
	it := &in.Items[i]
	d := &Document{
		Format: DocumentFormat, FormatVersion: DocumentVersion, To: to, Priority: "routine", Requester: req, Clause: Clause,
		Recovery: Recovery{
			At: in.OccurredAt, Post: in.PostCode, Place: in.CrossingPoint, GPS: in.GPS, Type: in.Recovery,
			LegalBasis: in.LegalBasis, LegalBasisText: in.LegalBasisText,
			CriminalContext: slices.Clone(in.CriminalContext), Route: in.Route,
		},
		Item:     Item{ID: it.ID.String(), Kind: it.Kind, Quantity: it.Quantity, Description: it.Description},
		Source:   Source{RecordID: in.ID.String(), Number: in.Number, Version: in.Version, Hash: hash},
		Training: in.Training,
	}
	d.Recovery.Route.Transit = slices.Clone(in.Route.Transit)
	switch {
	case it.Firearm != nil:
		f := it.Firearm
		d.Item.Category, d.Item.Make, d.Item.Model, d.Item.Calibre = f.Category, f.Make, f.Model, f.Calibre
		d.Item.Serials = slices.Clone(f.Serials)
		d.Item.Year, d.Item.CountryMarked, d.Item.CountryAssessed = f.Year, f.CountryMarked, f.CountryAssessed
		d.Item.Markings, d.Item.Condition = f.OtherMarkings, f.Condition
		if f.ImportMark != nil {
			m := *f.ImportMark
			d.Item.ImportMark = &m
		}
	case it.Part != nil:
		p := it.Part
		d.Item.PartType, d.Item.Make, d.Item.Model, d.Item.Calibre = p.Type, p.Make, p.Model, p.Calibre
		d.Item.Serials = slices.Clone(p.Serials)
		d.Item.Markings = p.Markings
	}
	rank := func(tag string) int {
		switch tag {
		case "serial":
			return 0
		case "marking":
			return 1
		}
		return 2
	}
	var photos []record.Photo
	for _, ph := range in.Photos {
		if ph.Item == it.ID {
			photos = append(photos, ph)
		}
	}
	slices.SortStableFunc(photos, func(a, b record.Photo) int { return rank(a.Tag) - rank(b.Tag) })
	for _, ph := range photos[:min(len(photos), MaxPhotos)] {
		d.Photos = append(d.Photos, Photo{SHA256: ph.SHA256, Tag: ph.Tag, Caption: ph.Caption})
	}
	return d, nil
}

// JSON is d's JSON form, indented, ending in a newline.
func (d *Document) JSON() ([]byte, error) {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("tracing request %s: %w", d.Reference, err)
	}
	return append(data, '\n'), nil
}

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseDocument reads a tracing request's JSON form, as written by another
// system or by hand: at most MaxDocument bytes, one object of exactly the
// fields of this version, every coded field from its list and every text
// as a record's would be. The problems are record.Errors where a field is
// wrong.
func ParseDocument(data []byte) (*Document, error) {
	if len(data) > MaxDocument {
		return nil, fmt.Errorf("tracing request: %d bytes, at most %d", len(data), MaxDocument)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("tracing request: not valid UTF-8")
	}
	// encoding/json takes a key in any case and the last of two alike:
	// the keys are checked first, as this version writes them.
	keys := json.NewDecoder(bytes.NewReader(data))
	if err := checkKeys(keys, reflect.TypeFor[Document](), 1); err != nil {
		return nil, fmt.Errorf("tracing request: %w", err)
	}
	if _, err := keys.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("tracing request: more than one JSON value")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	d := new(Document)
	if err := dec.Decode(d); err != nil {
		return nil, fmt.Errorf("tracing request: %w", err)
	}
	if d.Format != DocumentFormat || d.FormatVersion != DocumentVersion {
		return nil, fmt.Errorf("tracing request: format %q version %d, not %s %d", d.Format, d.FormatVersion, DocumentFormat, DocumentVersion)
	}
	if errs := d.check(); len(errs) > 0 {
		return nil, errs
	}
	return d, nil
}

// maxDepth bounds the nesting of a request's JSON form (it has three
// levels).
const maxDepth = 8

// checkKeys reads one JSON value from dec, of Go type t: every object key
// one of t's fields as its JSON name writes it, none twice, no nesting
// deeper than maxDepth.
func checkKeys(dec *json.Decoder, t reflect.Type, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	d, isDelim := tok.(json.Delim)
	switch {
	case !isDelim:
		return nil // a scalar: its type is the decoder's to check
	case d == '[':
		if t.Kind() != reflect.Slice {
			return fmt.Errorf("an array where %s belongs", t)
		}
		for dec.More() {
			if err := checkKeys(dec, t.Elem(), depth+1); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	case d != '{' || t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]():
		return fmt.Errorf("an object where %s belongs", t)
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fields[name] = f.Type
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := tok.(string)
		ft, ok := fields[k]
		switch {
		case !ok:
			return fmt.Errorf("unknown field %q", k)
		case seen[k]:
			return fmt.Errorf("field %q given twice", k)
		}
		seen[k] = true
		if err := checkKeys(dec, ft, depth+1); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	_, err = dec.Token()
	return err
}

// check reports the problems of a document read from outside.
func (d *Document) check() record.Errors {
	c := &checker{today: time.Now().AddDate(0, 0, 1).Format(time.DateOnly)}
	need := func(path, v string) {
		if v == "" {
			c.add(path, record.ErrRequired)
		}
	}
	names := func(path string, vs ...string) {
		for _, v := range vs {
			if err := record.CheckName(path, v); err != nil {
				c.errs = append(c.errs, err.(record.Errors)...)
			}
		}
	}
	need("reference", d.Reference)
	names("reference", d.Reference)
	if d.Date != "" {
		c.date("date", d.Date)
	} else {
		need("date", d.Date)
	}
	need("to", d.To)
	c.country("to", d.To)
	need("priority", d.Priority)
	c.code("priority", Priorities, d.Priority)
	if d.Priority == "urgent" {
		need("urgency", d.Urgency)
	}
	c.text("urgency", d.Urgency)
	need("clause", d.Clause)
	r := d.Requester
	c.country("requester.country", r.Country)
	names("requester", r.Agency, r.Office, r.Officer, r.Contact)
	if r.OfficeCode != "" && !record.ValidPostCode(r.OfficeCode) {
		c.add("requester.office_code", record.ErrFormat, "value", short(r.OfficeCode), "format", "KZ-ALM")
	}
	v := d.Recovery
	if v.At.IsZero() {
		c.add("recovery.at", record.ErrRequired)
	}
	if v.Post != "" && !record.ValidPostCode(v.Post) {
		c.add("recovery.post", record.ErrFormat, "value", short(v.Post), "format", "KZ-DOS")
	}
	names("recovery.place", v.Place)
	c.code("recovery.type", record.RecoveryTypes, v.Type)
	c.code("recovery.legal_basis", record.LegalBases, v.LegalBasis)
	c.text("recovery.legal_basis_text", v.LegalBasisText)
	if len(v.CriminalContext) > maxList || len(v.Route.Transit) > maxList {
		c.add("recovery", record.ErrRange, "min", 0, "max", maxList)
	}
	for _, cc := range v.CriminalContext {
		c.code("recovery.criminal_context", record.CriminalContexts, cc)
	}
	for _, cc := range append([]string{v.Route.Departure, v.Route.Destination}, v.Route.Transit...) {
		c.country("recovery.route", cc)
	}
	for _, cc := range v.Route.Transit {
		need("recovery.route.transit", cc)
	}
	if v.GPS != nil && (v.GPS.Lat < -90 || v.GPS.Lat > 90 || v.GPS.Lon < -180 || v.GPS.Lon > 180) {
		c.add("recovery.gps", record.ErrRange, "min", -180, "max", 180)
	}
	it := d.Item
	if _, err := uuid.Parse(it.ID); err != nil {
		c.add("item.id", record.ErrFormat, "value", short(it.ID), "format", "UUID")
	}
	switch it.Kind {
	case record.KindFirearm:
		need("item.category", it.Category)
		c.code("item.category", record.FirearmCategories, it.Category)
		if it.PartType != "" {
			c.add("item.part_type", record.ErrKindMismatch, "value", it.Kind)
		}
	case record.KindPart:
		if !slices.Contains(MajorParts, it.PartType) {
			c.add("item.part_type", record.ErrUnknownCode, "value", short(it.PartType))
		}
		if it.Category != "" || it.Year != 0 || it.CountryMarked != "" || it.CountryAssessed != "" || it.ImportMark != nil || it.Condition != "" {
			c.add("item", record.ErrKindMismatch, "value", it.Kind)
		}
	default:
		c.add("item.kind", ErrKind, "value", short(it.Kind), "kind", short(it.Kind))
	}
	if it.Quantity < 1 || it.Quantity > 1_000_000 {
		c.add("item.quantity", record.ErrRange, "min", 1, "max", 1_000_000)
	}
	names("item", it.Make, it.Model, it.Calibre.Code, it.Calibre.Stamped)
	if it.Calibre.Code != "" {
		if _, ok := record.LookupCalibre(it.Calibre.Code); !ok {
			c.add("item.calibre.code", record.ErrUnknownCode, "value", short(it.Calibre.Code))
		}
	}
	if len(it.Serials) > maxList {
		c.add("item.serials", record.ErrRange, "min", 0, "max", maxList)
	}
	for _, s := range it.Serials {
		names("item.serials", s.Number)
		if s.Part != "" && !record.PartTypes.Has(s.Part) {
			c.add("item.serials", record.ErrUnknownCode, "value", short(s.Part))
		}
		c.code("item.serials", record.SerialStates, s.State)
	}
	if it.Year != 0 && (it.Year < 1800 || it.Year > 9999) {
		c.add("item.year", record.ErrRange, "min", 1800, "max", 9999)
	}
	c.country("item.country_marked", it.CountryMarked)
	c.country("item.country_assessed", it.CountryAssessed)
	if it.ImportMark != nil {
		c.country("item.import_mark.country", it.ImportMark.Country)
	}
	c.text("item.markings", it.Markings)
	c.code("item.condition", record.FirearmConditions, it.Condition)
	c.text("item.description", it.Description)
	if len(d.Photos) > MaxPhotos {
		c.add("photos", record.ErrRange, "min", 0, "max", MaxPhotos)
	}
	for _, p := range d.Photos {
		if !sha256RE.MatchString(p.SHA256) {
			c.add("photos", record.ErrFormat, "value", short(p.SHA256), "format", "SHA-256")
		}
		c.code("photos", record.PhotoTags, p.Tag)
		c.text("photos", p.Caption)
	}
	c.text("clause", d.Clause)
	s := d.Source
	if _, err := uuid.Parse(s.RecordID); err != nil {
		c.add("source.record_id", record.ErrFormat, "value", short(s.RecordID), "format", "UUID")
	}
	names("source.number", s.Number)
	if s.Version < 1 {
		c.add("source.version", record.ErrNotPositive, "value", s.Version)
	}
	if !sha256RE.MatchString(s.Hash) {
		c.add("source.hash", record.ErrFormat, "value", short(s.Hash), "format", "SHA-256")
	}
	return c.errs
}
