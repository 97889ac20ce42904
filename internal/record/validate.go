package record

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ClockSkew is how far in the future a time may lie before it is refused:
// post laptops' clocks drift.
const ClockSkew = 10 * time.Minute

// Message keys of validation problems; the catalogs translate them.
const (
	ErrRequired      = "err.required"        // a required field is empty
	ErrUnknownCode   = "err.unknown_code"    // {value} is not in the field's list
	ErrCountry       = "err.country"         // {value} is not an ISO 3166 country code
	ErrFuture        = "err.future"          // a time lies in the future
	ErrNotPositive   = "err.not_positive"    // a quantity is zero or negative
	ErrNegative      = "err.negative"        // a count or weight is negative
	ErrFormat        = "err.format"          // {value} does not have the form {format}
	ErrNoItems       = "err.no_items"        // a final record without items
	ErrTraceSerial   = "err.trace_serial"    // a final firearm without serial or an obliterated/none state
	ErrKindMismatch  = "err.kind_mismatch"   // item details of another kind than the item's
	ErrBeforeStart   = "err.before_start"    // an end before the start
	ErrRange         = "err.range"           // a number outside {min}..{max}
	ErrUnknownItem   = "err.unknown_item"    // a photo names an item the record lacks
	ErrNoPerson      = "err.no_person"       // a final seizure names no one it was seized from, and not why
	ErrNoPersonNamed = "err.no_person_named" // a final record gives why no one is named, and names someone
	ErrNotInSchema   = "err.not_in_schema"   // {field} is not a field of records of {schema}
	ErrPhone         = "err.phone"           // {value} is not a telephone number
	ErrDuplicateID   = "err.duplicate_id"    // two items of a record share the id {value}
)

// FieldError is one problem with one field. Path names the field as in the
// JSON form of the record, e.g. items[2].firearm.serials[0].number.
type FieldError struct {
	Path string
	Key  string
	// Args are extra name/value pairs for the message, after "field".
	Args []any
}

// Error returns a plain English form, for logs; users see the catalog's.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Key, "err."))
	for i := 0; i+1 < len(e.Args); i += 2 {
		fmt.Fprintf(&b, " %v=%v", e.Args[i], e.Args[i+1])
	}
	return b.String()
}

// MessageKey is the catalog key of the message.
func (e *FieldError) MessageKey() string { return e.Key }

// MessageArgs are the message's placeholders: the field and the Args.
func (e *FieldError) MessageArgs() []any { return append([]any{"field", e.Path}, e.Args...) }

// Errors is the list of problems found in a record.
type Errors []*FieldError

// Error joins the problems, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each problem, so errors.As and localisation see them.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Prefix returns the problems with prefix put before every path, e.g. the
// record's position in a batch: "[3]".
func (es Errors) Prefix(prefix string) Errors {
	out := make(Errors, len(es))
	for i, e := range es {
		c := *e
		if strings.HasPrefix(c.Path, "[") || c.Path == "" {
			c.Path = prefix + c.Path
		} else {
			c.Path = prefix + "." + c.Path
		}
		out[i] = &c
	}
	return out
}

var (
	postCodeRE = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{2,8}$`)
	dateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	sha256RE   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// ValidPostCode reports whether code has the form of a post code: the
// country's ISO code, a hyphen, and 2–8 capital letters or digits (KZ-DOS).
func ValidPostCode(code string) bool {
	return postCodeRE.MatchString(code) && IsCountry(code[:2])
}

// Normalize tidies what people type before validation: surrounding spaces
// are trimmed from codes, identifiers and telephone numbers, country codes
// are upper-cased, and
// a serial number given without a state is taken as intact.
func (in *Interdiction) Normalize() {
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	country := func(p *string) { *p = strings.ToUpper(strings.TrimSpace(*p)) }
	trim(&in.Status)
	country(&in.PostCode)
	trim(&in.CrossingPoint)
	country(&in.Route.Departure)
	country(&in.Route.Destination)
	for i := range in.Route.Transit {
		country(&in.Route.Transit[i])
	}
	if in.Conveyance != nil {
		country(&in.Conveyance.Country)
		trim(&in.Conveyance.Plate)
	}
	for i := range in.People {
		country(&in.People[i].Nationality)
		trim(&in.People[i].Name)
		trim(&in.People[i].Phone)
	}
	for i := range in.Organisations {
		country(&in.Organisations[i].Country)
		trim(&in.Organisations[i].Phone)
	}
	for i := range in.Items {
		it := &in.Items[i]
		serials := it.Serials()
		for j := range serials {
			trim(&serials[j].Number)
			if serials[j].State == "" && serials[j].Number != "" {
				serials[j].State = "intact"
			}
		}
		if f := it.Firearm; f != nil {
			country(&f.CountryMarked)
			country(&f.CountryAssessed)
			if f.ImportMark != nil {
				country(&f.ImportMark.Country)
			}
		}
	}
}

// validator collects problems while walking a record.
type validator struct {
	now    time.Time
	schema int // the record's schema version
	errs   Errors
}

func (v *validator) add(path, key string, args ...any) {
	for i := 1; i < len(args); i += 2 {
		if s, ok := args[i].(string); ok {
			args[i] = short(s) // a quoted value is never the whole of a huge field
		}
	}
	v.errs = append(v.errs, &FieldError{Path: path, Key: key, Args: args})
}

func (v *validator) required(path, value string) bool {
	if strings.TrimSpace(value) == "" {
		v.add(path, ErrRequired)
		return false
	}
	return true
}

// code checks an optional coded field; required fields call required first.
func (v *validator) code(path string, voc Vocabulary, value string) {
	if value != "" && !voc.Has(value) {
		v.add(path, ErrUnknownCode, "value", value)
	}
}

func (v *validator) codes(path string, voc Vocabulary, values []string) {
	for i, c := range values {
		v.code(fmt.Sprintf("%s[%d]", path, i), voc, c)
	}
}

func (v *validator) country(path, value string) {
	if value != "" && !IsCountry(value) {
		v.add(path, ErrCountry, "value", value)
	}
}

func (v *validator) notFuture(path string, t time.Time) {
	if t.After(v.now.Add(ClockSkew)) {
		v.add(path, ErrFuture)
	}
}

func (v *validator) year(path string, y int) {
	if y != 0 && (y < 1800 || y > v.now.Year()) {
		v.add(path, ErrRange, "min", "1800", "max", strconv.Itoa(v.now.Year()))
	}
}

// Validate checks the record as of now and returns every problem found, or
// nil. A draft needs only its post and time, and whatever it holds must be
// well formed; a final record must also be complete, with every firearm
// ready for a trace request (category, calibre, and a serial or a serial
// state of obliterated or none).
func (in *Interdiction) Validate(now time.Time) error {
	return in.ValidateSchema(now, SchemaVersion)
}

// ValidateSchema is Validate for a record of the given schema version, as
// a bundle of that version declares it: the rules a later schema added
// (a seizure says whom from, schema 2) do not apply to a record made
// before them, and a field a later schema added (no_person, schema 2; the
// phone of a person or an organisation, schema 3) is refused.
func (in *Interdiction) ValidateSchema(now time.Time, schema int) error {
	v := &validator{now: now, schema: schema}
	final := in.Status == StatusFinal
	if v.required("status", in.Status) {
		v.code("status", Statuses, in.Status)
	}
	if v.required("post_code", in.PostCode) && !ValidPostCode(in.PostCode) {
		v.add("post_code", ErrFormat, "value", in.PostCode, "format", "KZ-DOS")
	}
	if in.Number != "" && !NumberOf(in.Number, in.PostCode) {
		v.add("number", ErrFormat, "value", in.Number, "format", in.PostCode+"-2026-0001")
	}
	v.texts(in)
	if in.OccurredAt.IsZero() {
		v.add("occurred_at", ErrRequired)
	} else {
		v.notFuture("occurred_at", in.OccurredAt)
	}
	if in.EndedAt != nil {
		v.notFuture("ended_at", *in.EndedAt)
		if !in.OccurredAt.IsZero() && in.EndedAt.Before(in.OccurredAt) {
			v.add("ended_at", ErrBeforeStart)
		}
	}
	if final {
		if len(in.Officers) == 0 {
			v.add("officers", ErrRequired)
		}
		v.required("crossing_point", in.CrossingPoint)
		v.required("location_type", in.LocationType)
		v.required("direction", in.Direction)
		v.required("recovery", in.Recovery)
		v.required("legal_basis", in.LegalBasis)
		v.required("transport", in.Transport)
		if len(in.Detection) == 0 {
			v.add("detection", ErrRequired)
		}
		if len(in.Items) == 0 {
			v.add("items", ErrNoItems)
		}
		if schema >= 2 && in.Recovery == "seized" && !in.SeizedFrom() && in.NoPerson == "" {
			v.add("no_person", ErrNoPerson)
		}
		if in.NoPerson != "" && in.SeizedFrom() {
			v.add("no_person", ErrNoPersonNamed)
		}
	}
	for i, o := range in.Officers {
		v.required(fmt.Sprintf("officers[%d].name", i), o.Name)
	}
	v.code("location_type", LocationTypes, in.LocationType)
	v.code("direction", Directions, in.Direction)
	v.code("recovery", RecoveryTypes, in.Recovery)
	if schema < 2 && in.NoPerson != "" {
		v.add("no_person", ErrNotInSchema, "schema", strconv.Itoa(schema))
	} else {
		v.code("no_person", NoPersonReasons, in.NoPerson)
	}
	v.code("legal_basis", LegalBases, in.LegalBasis)
	v.code("transport", TransportModes, in.Transport)
	v.codes("criminal_context", CriminalContexts, in.CriminalContext)
	v.codes("detection", DetectionMethods, in.Detection)
	v.codes("concealment", ConcealmentMethods, in.Concealment)
	v.codes("linked_contraband", ContrabandTypes, in.LinkedContraband)
	if g := in.GPS; g != nil {
		if !(g.Lat >= -90 && g.Lat <= 90) { // also refuses NaN
			v.add("gps.lat", ErrRange, "min", -90, "max", 90)
		}
		if !(g.Lon >= -180 && g.Lon <= 180) {
			v.add("gps.lon", ErrRange, "min", -180, "max", 180)
		}
	}
	v.country("route.departure", in.Route.Departure)
	v.country("route.destination", in.Route.Destination)
	for i, c := range in.Route.Transit {
		v.country(fmt.Sprintf("route.transit[%d]", i), c)
	}
	if c := in.Conveyance; c != nil {
		v.country("conveyance.country", c.Country)
	}
	for i, p := range in.People {
		v.person(fmt.Sprintf("people[%d]", i), p)
	}
	for i, o := range in.Organisations {
		path := fmt.Sprintf("organisations[%d]", i)
		if v.required(path+".role", o.Role) {
			v.code(path+".role", OrganisationRoles, o.Role)
		}
		v.required(path+".name", o.Name)
		v.country(path+".country", o.Country)
		v.phone(path+".phone", o.Phone)
	}
	if len(in.Items) > MaxItems {
		v.add("items", ErrRange, "min", 1, "max", MaxItems)
	}
	items := make(map[uuid.UUID]bool, len(in.Items))
	for i := range in.Items {
		v.item(fmt.Sprintf("items[%d]", i), &in.Items[i], final)
		if id := in.Items[i].ID; id != uuid.Nil && items[id] {
			// Photos and the office's traces name an item by its id.
			v.add(fmt.Sprintf("items[%d].id", i), ErrDuplicateID, "value", id.String())
		}
		items[in.Items[i].ID] = true
	}
	for i, ph := range in.Photos {
		path := fmt.Sprintf("photos[%d]", i)
		if v.required(path+".sha256", ph.SHA256) && !sha256RE.MatchString(ph.SHA256) {
			v.add(path+".sha256", ErrFormat, "value", ph.SHA256, "format", "sha256 (64 hex)")
		}
		v.code(path+".tag", PhotoTags, ph.Tag)
		if !ph.TakenAt.IsZero() {
			v.notFuture(path+".taken_at", ph.TakenAt)
		}
		if ph.Item != uuid.Nil && !items[ph.Item] {
			v.add(path+".item", ErrUnknownItem, "value", ph.Item.String())
		}
	}
	for i, c := range in.Custody {
		path := fmt.Sprintf("custody[%d]", i)
		v.required(path+".from", c.From)
		v.required(path+".to", c.To)
		if c.At.IsZero() {
			v.add(path+".at", ErrRequired)
		} else {
			v.notFuture(path+".at", c.At)
		}
	}
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

func (v *validator) person(path string, p Person) {
	if v.required(path+".role", p.Role) {
		v.code(path+".role", PersonRoles, p.Role)
	}
	v.required(path+".name", p.Name)
	if p.BirthDate != "" {
		d, err := time.Parse(time.DateOnly, p.BirthDate)
		switch {
		case !dateRE.MatchString(p.BirthDate) || err != nil:
			v.add(path+".birth_date", ErrFormat, "value", p.BirthDate, "format", "YYYY-MM-DD")
		case d.After(v.now):
			v.add(path+".birth_date", ErrFuture)
		}
	}
	v.country(path+".nationality", p.Nationality)
	v.code(path+".document_type", DocumentTypes, p.DocumentType)
	v.code(path+".sex", Sexes, p.Sex)
	v.phone(path+".phone", p.Phone)
}

// phone checks an optional telephone number, a field schema 3 added: it is
// refused in a record of an earlier schema, and must read as a number.
func (v *validator) phone(path, value string) {
	switch {
	case value == "":
	case v.schema < 3:
		v.add(path, ErrNotInSchema, "schema", strconv.Itoa(v.schema))
	case !ValidPhone(value):
		v.add(path, ErrPhone, "value", value)
	}
}

// MinPhoneDigits is how many digits a telephone number has at least.
const MinPhoneDigits = 5

// ValidPhone reports whether s reads as a telephone number: at most
// MaxPhone characters, at least MinPhoneDigits digits, and nothing but
// digits, spaces and + - ( ) . ("+7 (701) 555-12-34", "8.3712.55.12.34").
func ValidPhone(s string) bool {
	if len(s) > MaxPhone {
		return false // every character allowed is one byte
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == ' ', c == '+', c == '-', c == '(', c == ')', c == '.':
		default:
			return false
		}
	}
	return digits >= MinPhoneDigits
}

func (v *validator) item(path string, it *Item, final bool) {
	if !v.required(path+".kind", it.Kind) {
		return
	}
	if !ItemKinds.Has(it.Kind) {
		v.add(path+".kind", ErrUnknownCode, "value", it.Kind)
		return
	}
	switch {
	case it.Quantity == 0:
		v.add(path+".quantity", ErrRequired)
	case it.Quantity < 0:
		v.add(path+".quantity", ErrNotPositive, "value", it.Quantity)
	case it.Quantity > MaxQuantity:
		v.add(path+".quantity", ErrRange, "min", 1, "max", MaxQuantity)
	}
	details := map[string]bool{
		KindFirearm:    it.Firearm != nil,
		KindPart:       it.Part != nil,
		KindAmmunition: it.Ammunition != nil,
		KindExplosive:  it.Explosive != nil,
	}
	for kind, present := range details {
		if present && kind != it.Kind {
			v.add(path+"."+kind, ErrKindMismatch, "value", it.Kind)
		}
	}
	if final && it.Kind != KindOther && !details[it.Kind] {
		v.add(path+"."+it.Kind, ErrRequired)
	}
	if final && it.Kind == KindOther {
		v.required(path+".description", it.Description)
	}
	switch {
	case it.Firearm != nil && it.Kind == KindFirearm:
		v.firearm(path+".firearm", it.Firearm, final)
	case it.Part != nil && it.Kind == KindPart:
		p := it.Part
		if final {
			v.required(path+".part.type", p.Type)
		}
		v.code(path+".part.type", PartTypes, p.Type)
		v.calibre(path+".part.calibre", p.Calibre)
		v.serials(path+".part.serials", p.Serials)
	case it.Ammunition != nil && it.Kind == KindAmmunition:
		a := it.Ammunition
		if final && a.Calibre.Empty() {
			v.add(path+".ammunition.calibre", ErrRequired)
		}
		v.calibre(path+".ammunition.calibre", a.Calibre)
		switch {
		case a.Rounds < 0:
			v.add(path+".ammunition.rounds", ErrNegative, "value", a.Rounds)
		case final && a.Rounds == 0:
			v.add(path+".ammunition.rounds", ErrRequired)
		case a.Rounds > MaxRounds:
			v.add(path+".ammunition.rounds", ErrRange, "min", 0, "max", MaxRounds)
		}
		v.code(path+".ammunition.type", AmmunitionTypes, a.Type)
	case it.Explosive != nil && it.Kind == KindExplosive:
		e := it.Explosive
		if final {
			v.required(path+".explosive.type", e.Type)
		}
		v.code(path+".explosive.type", ExplosiveTypes, e.Type)
		switch {
		case !(e.WeightGrams >= 0):
			v.add(path+".explosive.weight_grams", ErrNegative, "value", e.WeightGrams)
		case e.WeightGrams > MaxWeightGrams:
			v.add(path+".explosive.weight_grams", ErrRange, "min", 0, "max", MaxWeightGrams)
		}
		switch {
		case e.Count < 0:
			v.add(path+".explosive.count", ErrNegative, "value", e.Count)
		case e.Count > MaxQuantity:
			v.add(path+".explosive.count", ErrRange, "min", 0, "max", MaxQuantity)
		}
	}
}

func (v *validator) firearm(path string, f *Firearm, final bool) {
	if final {
		v.required(path+".category", f.Category)
		if f.Calibre.Empty() {
			v.add(path+".calibre", ErrRequired)
		}
		traceable := false
		for _, s := range f.Serials {
			if s.Number != "" || s.State == "obliterated" || s.State == "none" {
				traceable = true
			}
		}
		if !traceable {
			v.add(path+".serials", ErrTraceSerial)
		}
	}
	v.code(path+".category", FirearmCategories, f.Category)
	v.calibre(path+".calibre", f.Calibre)
	v.serials(path+".serials", f.Serials)
	v.country(path+".country_marked", f.CountryMarked)
	v.country(path+".country_assessed", f.CountryAssessed)
	v.year(path+".year", f.Year)
	if m := f.ImportMark; m != nil {
		v.country(path+".import_mark.country", m.Country)
		v.year(path+".import_mark.year", m.Year)
	}
	v.code(path+".condition", FirearmConditions, f.Condition)
}

func (v *validator) calibre(path string, c Calibre) {
	if c.Code != "" {
		if _, ok := LookupCalibre(c.Code); !ok {
			v.add(path+".code", ErrUnknownCode, "value", c.Code)
		}
	}
}

func (v *validator) serials(path string, ss []Serial) {
	for i, s := range ss {
		p := fmt.Sprintf("%s[%d]", path, i)
		v.code(p+".part", PartTypes, s.Part)
		if v.required(p+".state", s.State) {
			v.code(p+".state", SerialStates, s.State)
		}
		if (s.State == "intact" || s.State == "partly_obliterated") && s.Number == "" {
			v.add(p+".number", ErrRequired)
		}
	}
}
