// Package idkey finds the identifiers a seizure record carries — weapons'
// serial numbers, documents, people, plates and VINs, registrations,
// telephone numbers, lots, containers, organisations — and makes of each a
// normalised key, so that the same weapon, person, vehicle or document
// recorded at two border posts, in two scripts or two spellings, gives the
// same key and the records can be linked.
//
// Each identifier has a Kind. A key of a strong kind (a weapon's make and
// serial, a document's type, country and number, a name with a birth
// date…) identifies one thing: records sharing it are linked. A key of a
// weak kind (a serial alone, a name alone, a plate without its country…)
// only suggests a link for an analyst to judge.
//
// Keys are printable ASCII without white space or ':', at most 128 bytes;
// their components are separated by "/" and the words of a name by "_".
// Names are folded with textkey.Latin (Ўринов and Oʻrinov meet), numbers
// with textkey.Serial (Cyrillic ХА672039 and Latin XA 672-039 meet).
//
// The functions are pure and safe for concurrent use.
package idkey

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/textkey"
)

// Limits on keys and their components.
const (
	maxKey     = 128 // a whole key
	maxNumber  = 64  // a serial, plate, document or other number
	maxMakeKey = 40  // a make, in a weapon's or part's key
	minSerial  = 3   // a weapon's or part's serial
	minWeak    = 4   // a serial alone; a plate, document, registration, container
	minVIN     = 11
)

// Ident is one identifier of a record and its key.
type Ident struct {
	Kind Kind
	// Key is the normalised key: records that carry the same Kind and Key
	// carry the same identifier.
	Key string
	// Label is the identifier as written in the record, for display, e.g.
	// "AKM ХА672039", "Ўринов Бахтиёр, 1985-03-12", "01 123 ABA (KZ)".
	Label string
	// Partial is set when the identifier lacks the qualifier of its strong
	// kind: a serial without its make, a name without a birth date, a plate
	// or document without its country. Kinds that have no strong form (a
	// part's serial alone, ammunition, container, organisation name) are
	// partial too.
	Partial bool
	// Entity is what in the record carries it: "items[2]", "people[0]",
	// "organisations[1]", "conveyance".
	Entity string
	// Country is the ISO 3166-1 alpha-2 country where known: a vehicle's
	// country of registration (for its plate and VIN), a document's issuing country, a person's
	// nationality, an organisation's country, the country of a telephone
	// number; "" otherwise.
	Country string
}

// Of returns the identifiers a record carries: distinct (Kind, Key) pairs,
// the first occurrence kept, in record order — conveyance, people,
// organisations, items — and for each entity in the order of its fields.
// It returns nil for a nil record or one that carries none. Attesting
// witnesses and interpreters carry none: they are the post's neighbours,
// called to many protocols, not part of what was seized.
func Of(in *record.Interdiction) []Ident {
	if in == nil {
		return nil
	}
	c := collector{post: postCountry(in.PostCode), capacity: capacity(in)}
	if in.Conveyance != nil {
		c.conveyance(in.Conveyance)
	}
	for i := range in.People {
		if p := &in.People[i]; p.Role != "witness" && p.Role != "interpreter" {
			c.person(p, entity("people[", i))
		}
	}
	for i := range in.Organisations {
		c.organisation(&in.Organisations[i], entity("organisations[", i))
	}
	for i := range in.Items {
		it := &in.Items[i]
		switch {
		case it.Kind == record.KindFirearm && it.Firearm != nil:
			c.firearm(it.Firearm, entity("items[", i))
		case it.Kind == record.KindPart && it.Part != nil:
			c.part(it.Part, entity("items[", i))
		case it.Kind == record.KindAmmunition && it.Ammunition != nil:
			c.ammunition(it.Ammunition, entity("items[", i))
		}
	}
	if len(c.out) == 0 {
		return nil
	}
	return c.out
}

// entity returns prefix, i and "]": "people[0]".
func entity(prefix string, i int) string {
	if i < len(entities[0]) {
		switch prefix {
		case "people[":
			return entities[0][i]
		case "organisations[":
			return entities[1][i]
		case "items[":
			return entities[2][i]
		}
	}
	return prefix + strconv.Itoa(i) + "]"
}

// entities holds the entity names of the first people, organisations and
// items, so that Of need not make them.
var entities = func() (t [3][16]string) {
	for j, prefix := range [3]string{"people[", "organisations[", "items["} {
		for i := range t[j] {
			t[j][i] = prefix + strconv.Itoa(i) + "]"
		}
	}
	return t
}()

// capacity estimates how many identifiers in carries, for Of to allocate
// its result once.
func capacity(in *record.Interdiction) int {
	n := 3 + 4*len(in.People) + 3*len(in.Organisations)
	for i := range in.Items {
		n += 1 + 2*len(in.Items[i].Serials())
	}
	return n
}

// PlateKey returns the key of a vehicle plate: textkey.Serial(plate), in
// which the Cyrillic letters of Russian-style plates are their Latin
// look-alikes, so that "01 123 АВА" and "01123ABA" give "01123ABA".
func PlateKey(plate string) string { return textkey.Serial(plate) }

// collector gathers the identifiers of one record.
type collector struct {
	post     string // the post's country
	capacity int    // of out, when it is made
	out      []Ident
	seen     map[kindKey]struct{} // the keys in out, once out is long
}

// kindKey is what makes an identifier distinct.
type kindKey struct {
	kind Kind
	key  string
}

// linearSeen is how many identifiers the collector checks one by one
// before it keeps a set of them.
const linearSeen = 32

// add appends an identifier unless the record already has its kind and
// key, or the key is not well-formed.
func (c *collector) add(id Ident) {
	if !validKey(id.Key) {
		return
	}
	k := kindKey{id.Kind, id.Key}
	if c.seen != nil {
		if _, dup := c.seen[k]; dup {
			return
		}
		c.seen[k] = struct{}{}
	} else {
		for i := range c.out {
			if c.out[i].Kind == id.Kind && c.out[i].Key == id.Key {
				return
			}
		}
		if len(c.out) == linearSeen {
			c.seen = make(map[kindKey]struct{}, 2*linearSeen)
			for i := range c.out {
				c.seen[kindKey{c.out[i].Kind, c.out[i].Key}] = struct{}{}
			}
			c.seen[k] = struct{}{}
		}
	}
	if c.out == nil {
		c.out = make([]Ident, 0, c.capacity)
	}
	c.out = append(c.out, id)
}

// validKey reports whether key is a well-formed key: 1 to maxKey bytes of
// printable ASCII, no space, no ':'.
func validKey(key string) bool {
	if key == "" || len(key) > maxKey {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// conveyance adds the plate, VIN and container of v.
func (c *collector) conveyance(v *record.Conveyance) {
	const ent = "conveyance"
	cc := countryCode(v.Country)
	if pk := numberKey(PlateKey(v.Plate), minWeak); pk != "" {
		plate := label(v.Plate)
		if cc != "" {
			c.add(Ident{Kind: Plate, Key: cc + "/" + pk, Label: plate + " (" + cc + ")", Entity: ent, Country: cc})
		}
		c.add(Ident{Kind: PlateNumber, Key: pk, Label: plate, Partial: cc == "", Entity: ent, Country: cc})
	}
	if vk := numberKey(vinKey(v.VIN), minVIN); vk != "" {
		c.add(Ident{Kind: VIN, Key: vk, Label: label(v.VIN), Entity: ent, Country: cc})
	}
	if ck := numberKey(textkey.Serial(v.Container), minWeak); ck != "" {
		c.add(Ident{Kind: Container, Key: ck, Label: label(v.Container), Partial: true, Entity: ent})
	}
}

// vinKey returns the key of a VIN: its serial key, in which a 17-character
// VIN has 0 for O and Q and 1 for I, letters that ISO 3779 leaves out of
// VINs because they are read for those digits.
func vinKey(vin string) string {
	k := textkey.Serial(vin)
	if len(k) != 17 || !strings.ContainsAny(k, "IOQ") {
		return k
	}
	b := []byte(k)
	for i, ch := range b {
		switch ch {
		case 'O', 'Q':
			b[i] = '0'
		case 'I':
			b[i] = '1'
		}
	}
	return string(b)
}

// person adds the names, document and telephone of p.
func (c *collector) person(p *record.Person, ent string) {
	nat := countryCode(p.Nationality)
	birth := ""
	if validDate(p.BirthDate) {
		birth = p.BirthDate
	}
	c.personName(p.Name, birth, nat, ent)
	c.personName(p.NameLatin, birth, nat, ent)
	if num := numberKey(textkey.Serial(p.DocumentNumber), minWeak); num != "" {
		typ := "doc"
		if record.DocumentTypes.Has(p.DocumentType) {
			typ = p.DocumentType
		}
		cc := issuerCountry(p.DocumentIssuer)
		if cc == "" {
			cc = nat
		}
		lbl := label(p.DocumentNumber)
		if cc != "" {
			lbl += " (" + cc + ")"
		}
		c.add(Ident{Kind: Document, Key: typ + "/" + cc + "/" + num, Label: lbl, Partial: cc == "", Entity: ent, Country: cc})
	}
	c.phone(p.Phone, nat, ent)
}

// personName adds the Person and Name identifiers of one form of a
// person's name.
func (c *collector) personName(name, birth, nat, ent string) {
	if name == "" {
		return
	}
	var arr [16]string
	toks := nameTokens(textkey.Latin(name), arr[:0])
	if len(toks) == 0 {
		return
	}
	many := len(toks) >= 2
	key := joinTokens(toks, maxNameKey)
	if key == "" { // one word longer than maxNameKey
		return
	}
	lbl := label(name)
	if birth != "" {
		c.add(Ident{Kind: Person, Key: key + "/" + birth, Label: lbl + ", " + birth, Entity: ent, Country: nat})
	}
	if many {
		c.add(Ident{Kind: Name, Key: key, Label: lbl, Partial: birth == "", Entity: ent, Country: nat})
	}
}

// phone adds a telephone number, read as national to hint or else to the
// post's country.
func (c *collector) phone(phone, hint, ent string) {
	if phone == "" {
		return
	}
	e := PhoneE164(phone, hint)
	if e == "" && c.post != hint {
		e = PhoneE164(phone, c.post)
	}
	if e != "" && !fillerPhone(e) {
		c.add(Ident{Kind: Phone, Key: e, Label: label(phone), Entity: ent, Country: phoneCountry(e)})
	}
}

// organisation adds the names, registration and telephone of o.
func (c *collector) organisation(o *record.Organisation, ent string) {
	cc := countryCode(o.Country)
	for _, name := range [2]string{o.Name, o.NameLatin} {
		if k := OrgKey(name); k != "" {
			c.add(Ident{Kind: Organisation, Key: k, Label: label(name), Partial: true, Entity: ent, Country: cc})
		}
	}
	if reg := numberKey(textkey.Serial(o.Registration), minWeak); reg != "" {
		lbl := label(o.Registration)
		if cc != "" {
			lbl += " (" + cc + ")"
		}
		c.add(Ident{Kind: Registration, Key: cc + "/" + reg, Label: lbl, Partial: cc == "", Entity: ent, Country: cc})
	}
	c.phone(o.Phone, cc, ent)
}

// firearm adds the Weapon and Serial identifiers of f's serials.
func (c *collector) firearm(f *record.Firearm, ent string) {
	mk := makeKey(f.Make)
	for _, s := range f.Serials {
		num := serialKey(s)
		if num == "" {
			continue
		}
		lbl := label(f.Make, f.Model, s.Number)
		// An obliterated serial is read in part at best: a hint, not a
		// match.
		read := s.State != "obliterated" && s.State != "partly_obliterated"
		if mk != "" && read {
			c.add(Ident{Kind: Weapon, Key: mk + "/" + num, Label: lbl, Entity: ent})
		}
		if len(num) >= minWeak {
			c.add(Ident{Kind: Serial, Key: num, Label: lbl, Partial: mk == "" || !read, Entity: ent})
		}
	}
}

// part adds the PartSerial and Serial identifiers of p's serials.
func (c *collector) part(p *record.Part, ent string) {
	mk := makeKey(p.Make)
	for _, s := range p.Serials {
		num := serialKey(s)
		if num == "" {
			continue
		}
		key := num
		if mk != "" {
			key = mk + "/" + num
		}
		lbl := label(p.Make, p.Model, s.Number)
		c.add(Ident{Kind: PartSerial, Key: key, Label: lbl, Partial: mk == "", Entity: ent})
		if len(num) >= minWeak {
			c.add(Ident{Kind: Serial, Key: num, Label: lbl, Partial: true, Entity: ent})
		}
	}
}

// ammunition adds the lot of a and its headstamp.
func (c *collector) ammunition(a *record.Ammunition, ent string) {
	lot := textkey.Serial(a.Lot)
	if lot == "" || len(lot) > maxNumber {
		return
	}
	factory := textkey.Serial(a.HeadstampFactory)
	year := headstampYear(textkey.Serial(a.HeadstampYear))
	if len(factory) > maxNumber || len(year) > maxNumber {
		return
	}
	lbl := label(a.HeadstampFactory, a.HeadstampYear)
	if lbl != "" {
		lbl += " "
	}
	lbl += "№" + label(a.Lot)
	c.add(Ident{Kind: Ammunition, Key: factory + "/" + year + "/" + lot, Label: lbl, Partial: true, Entity: ent})
}

// headstampYear returns a headstamp year key in two digits, as headstamps
// mostly stamp it: 1984 is 84.
func headstampYear(y string) string {
	if len(y) == 4 && (y[:2] == "19" || y[:2] == "20") && isDigits(y) {
		return y[2:]
	}
	return y
}

// serialKey returns the key of a serial number, or "" if it has none
// (state none, empty), has signs for unreadable characters ("ХА67**39",
// "12?45"), or its key is unusable (see numberKey).
func serialKey(s record.Serial) string {
	if s.State == "none" || s.Number == "" || strings.ContainsAny(s.Number, "?*…") {
		return ""
	}
	return numberKey(textkey.Serial(s.Number), minSerial)
}

// numberKey returns k, a serial key, if it has min to maxNumber characters,
// a digit among them, and is not one character repeated ("0000", "XXX");
// "" otherwise. Without a digit it is a word an officer typed for a number
// there was none of («отсутствует», "unknown", «нет»), which would tie
// every such record together.
func numberKey(k string, min int) string {
	if len(k) < min || len(k) > maxNumber || strings.IndexAny(k, "0123456789") < 0 {
		return ""
	}
	for i := 1; i < len(k); i++ {
		if k[i] != k[0] {
			return k
		}
	}
	return ""
}

// makeKey returns the key of a make: textkey.Latin without spaces, so that
// "Калашников" and "Kalashnikov" are "kalashnikuv", and "Иж-Маш" and
// "Izhmash" are "ijmash", cut to maxMakeKey bytes; "" if the make is empty
// or says it is unknown.
func makeKey(mk string) string {
	k := textkey.Latin(mk)
	if strings.IndexByte(k, ' ') >= 0 {
		k = strings.ReplaceAll(k, " ", "")
	}
	if len(k) > maxMakeKey {
		k = k[:maxMakeKey]
	}
	if unknownMake(k) {
		return ""
	}
	return k
}

// unknownMakes are the makes that say the make is unknown, as makeKey
// folds them.
var unknownMakes = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"unknown", "unk", "n/a", "неизвестно", "неизвестен", "неизв.",
		"не установлено", "не установлен", "nomaʼlum", "номаълум", "белгісіз", "белгисиз"} {
		m[strings.ReplaceAll(textkey.Latin(w), " ", "")] = true
	}
	return m
}()

// unknownMake reports whether k, a make key, says the make is unknown
// (unknown, n/a, неизвестно, не установлено, nomaʼlum, белгісіз…).
func unknownMake(k string) bool { return k == "" || unknownMakes[k] }

// countryCode returns cc, trimmed and upper-cased, if it is an ISO 3166-1
// alpha-2 code; "" otherwise.
func countryCode(cc string) string {
	cc = strings.TrimSpace(cc)
	if len(cc) != 2 {
		return ""
	}
	if record.IsCountry(cc) {
		return cc
	}
	if u := strings.ToUpper(cc); record.IsCountry(u) {
		return u
	}
	return ""
}

// alpha3 maps the ISO 3166-1 alpha-3 codes that machine-readable zones of
// the region's documents carry to alpha-2.
var alpha3 = map[string]string{
	"KAZ": "KZ", "KGZ": "KG", "TJK": "TJ", "TKM": "TM", "UZB": "UZ", "RUS": "RU",
	"AFG": "AF", "CHN": "CN", "IRN": "IR", "PAK": "PK", "IND": "IN", "MNG": "MN",
	"AZE": "AZ", "ARM": "AM", "GEO": "GE", "TUR": "TR", "UKR": "UA", "BLR": "BY",
}

// issuerCountry returns the country of a document issuer when it is an
// ISO 3166-1 code (alpha-2, or alpha-3 of the region as machine-readable
// zones write it); "" for an authority's name.
func issuerCountry(issuer string) string {
	if cc := countryCode(issuer); cc != "" {
		return cc
	}
	if s := strings.TrimSpace(issuer); len(s) == 3 {
		return alpha3[strings.ToUpper(s)]
	}
	return ""
}

// postCountry returns the country of a post code, the part before "-"
// ("KZ-DOS" is KZ).
func postCountry(post string) string {
	cc, _, _ := strings.Cut(post, "-")
	return countryCode(cc)
}

// validDate reports whether s is a date written YYYY-MM-DD.
func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) || !isDigits(s[5:7]) || !isDigits(s[8:]) {
		return false
	}
	y, _ := strconv.Atoi(s[:4])
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	d := int(s[8]-'0')*10 + int(s[9]-'0')
	if y < 1800 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// label joins the parts, each with its white space trimmed and its runs
// of white space made one space, with spaces; empty parts are left out.
func label(parts ...string) string {
	if len(parts) == 1 && clean(parts[0]) {
		return parts[0]
	}
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		for w := range strings.FieldsSeq(p) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

// clean reports whether label would give s back unchanged: s has no white
// space at either end and none inside but single spaces.
func clean(s string) bool {
	for i, r := range s {
		switch {
		case r == ' ':
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case r < ' ', r >= utf8.RuneSelf && unicode.IsSpace(r):
			return false
		}
	}
	return true
}

// fillerPhone reports whether an E.164 number ends in seven times the same
// digit (+77000000000, +998901111111): what is typed for a number not
// known, not a subscriber's.
func fillerPhone(e string) bool {
	if len(e) < 8 {
		return true
	}
	tail := e[len(e)-7:]
	return strings.Count(tail, tail[:1]) == len(tail)
}
