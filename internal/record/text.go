package record

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Length caps of text fields, in characters. The store, the JSON intake
// and the desktop form all refuse longer text, so a record can always be
// shown, printed and carried.
const (
	// MaxIdentifier caps serial and document numbers, plates, VINs,
	// container and seal numbers, lots, headstamps and codes.
	MaxIdentifier = 64
	// MaxName caps names of people, organisations, officers and places.
	MaxName = 200
	// MaxText caps descriptions, markings, addresses, captions and notes.
	MaxText = 2000
	// MaxNarrative caps the narrative, remarks and concealment note.
	MaxNarrative = 20000
	// MaxPhone caps a telephone number (see ValidPhone).
	MaxPhone = 32
)

// Caps of numbers, so that no total overflows: a seizure is never larger.
const (
	MaxQuantity    = 1_000_000     // pieces of one item, explosives counted
	MaxRounds      = 100_000_000   // rounds of one lot of ammunition
	MaxWeightGrams = 1_000_000_000 // one tonne a thousand times over
	MaxItems       = 10_000        // items of one record
)

// Message keys of text problems.
const (
	ErrTooLong = "err.too_long" // longer than {max} characters
	ErrBadChar = "err.bad_char" // a control, direction-override or replacement character {char} at {pos}
)

// textRule is how a text field is checked: its cap and whether it may
// span lines.
type textRule struct {
	max       int
	multiline bool
}

var (
	identifier = textRule{MaxIdentifier, false}
	name       = textRule{MaxName, false}
	text       = textRule{MaxText, true}
	narrative  = textRule{MaxNarrative, true}
)

// text checks one text field: no longer than its cap; no control
// characters (line breaks and tabs only where the field may span lines);
// no characters that override the direction of text, which can make a
// serial number read differently on screen than it is stored; and no
// U+FFFD, the mark a wrong decoding leaves where it lost a letter.
func (v *validator) text(path, s string, rule textRule) {
	if s == "" {
		return
	}
	n := 0
	for i, r := range s {
		n++
		if badRune(r, rule.multiline) {
			v.add(path, ErrBadChar, "char", fmt.Sprintf("U+%04X", r), "pos", utf8.RuneCountInString(s[:i])+1)
			return
		}
	}
	if n > rule.max {
		v.add(path, ErrTooLong, "max", rule.max, "length", n)
	}
}

// BadRune reports whether r may not stand in a text field (see text):
// a control, a direction override, a replacement character; line breaks
// and tabs only where multiline is not set.
func BadRune(r rune, multiline bool) bool { return badRune(r, multiline) }

func badRune(r rune, multiline bool) bool {
	switch {
	case r == '\n' || r == '\t' || r == '\r':
		return !multiline
	case r < 0x20, r >= 0x7f && r < 0xa0: // C0 and C1 controls, NUL among them
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // embeddings, overrides, isolates
		return true
	case r == utf8.RuneError, r == 0xfeff, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// numberRE is the form of a post-local number: the post's code, the year,
// and the count within the year.
var numberRE = regexp.MustCompile(`^([A-Z]{2}-[A-Z0-9]{2,8})-\d{4}-\d{4,6}$`)

// NumberOf reports whether number is a post-local number of post.
func NumberOf(number, post string) bool {
	m := numberRE.FindStringSubmatch(number)
	return m != nil && m[1] == post
}

// short cuts a value quoted in a message to a readable length.
func short(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// texts checks every text field of the record against its rule.
func (v *validator) texts(in *Interdiction) {
	v.text("number", in.Number, identifier)
	v.text("origin", in.Origin, identifier)
	v.text("crossing_point", in.CrossingPoint, name)
	v.text("legal_basis_text", in.LegalBasisText, text)
	v.text("concealment_note", in.ConcealmentNote, narrative)
	v.text("narrative", in.Narrative, narrative)
	v.text("remarks", in.Remarks, narrative)
	for i, o := range in.Officers {
		p := fmt.Sprintf("officers[%d]", i)
		v.text(p+".name", o.Name, name)
		v.text(p+".rank", o.Rank, name)
		v.text(p+".position", o.Position, name)
	}
	if c := in.Conveyance; c != nil {
		v.text("conveyance.description", c.Description, text)
		v.text("conveyance.plate", c.Plate, identifier)
		v.text("conveyance.vin", c.VIN, identifier)
		v.text("conveyance.container", c.Container, identifier)
		v.text("conveyance.voyage", c.Voyage, identifier)
	}
	for i, p := range in.People {
		path := fmt.Sprintf("people[%d]", i)
		v.text(path+".name", p.Name, name)
		v.text(path+".name_latin", p.NameLatin, name)
		v.text(path+".document_number", p.DocumentNumber, identifier)
		v.text(path+".document_issuer", p.DocumentIssuer, name)
		v.text(path+".address", p.Address, text)
	}
	for i, o := range in.Organisations {
		path := fmt.Sprintf("organisations[%d]", i)
		v.text(path+".name", o.Name, name)
		v.text(path+".name_latin", o.NameLatin, name)
		v.text(path+".registration", o.Registration, identifier)
	}
	for i := range in.Items {
		it := &in.Items[i]
		path := fmt.Sprintf("items[%d]", i)
		v.text(path+".description", it.Description, text)
		v.text(path+".packaging", it.Packaging, text)
		v.text(path+".seal_number", it.SealNumber, identifier)
		switch {
		case it.Firearm != nil:
			f := it.Firearm
			v.text(path+".firearm.make", f.Make, name)
			v.text(path+".firearm.model", f.Model, name)
			v.text(path+".firearm.calibre.stamped", f.Calibre.Stamped, identifier)
			v.serialTexts(path+".firearm.serials", f.Serials)
			v.text(path+".firearm.other_markings", f.OtherMarkings, text)
		case it.Part != nil:
			p := it.Part
			v.text(path+".part.make", p.Make, name)
			v.text(path+".part.model", p.Model, name)
			v.text(path+".part.calibre.stamped", p.Calibre.Stamped, identifier)
			v.serialTexts(path+".part.serials", p.Serials)
			v.text(path+".part.markings", p.Markings, text)
		case it.Ammunition != nil:
			a := it.Ammunition
			v.text(path+".ammunition.calibre.stamped", a.Calibre.Stamped, identifier)
			v.text(path+".ammunition.headstamp_factory", a.HeadstampFactory, identifier)
			v.text(path+".ammunition.headstamp_year", a.HeadstampYear, identifier)
			v.text(path+".ammunition.lot", a.Lot, identifier)
			v.text(path+".ammunition.packaging_marks", a.PackagingMarks, text)
		case it.Explosive != nil:
			v.text(path+".explosive.markings", it.Explosive.Markings, text)
		}
	}
	for i, ph := range in.Photos {
		path := fmt.Sprintf("photos[%d]", i)
		v.text(path+".name", ph.Name, name)
		v.text(path+".media_type", ph.MediaType, identifier)
		v.text(path+".taken_by", ph.TakenBy, name)
		v.text(path+".caption", ph.Caption, text)
	}
	for i, c := range in.Custody {
		path := fmt.Sprintf("custody[%d]", i)
		v.text(path+".from", c.From, name)
		v.text(path+".to", c.To, name)
		v.text(path+".place", c.Place, name)
		v.text(path+".seal_number", c.SealNumber, identifier)
		v.text(path+".note", c.Note, text)
	}
}

func (v *validator) serialTexts(path string, ss []Serial) {
	for i, s := range ss {
		v.text(fmt.Sprintf("%s[%d].number", path, i), s.Number, identifier)
	}
}

// CheckName checks a name kept outside records that records and protocols
// show (a post's name, its agency, its crossing points): one line of at
// most MaxName characters without control or direction-override
// characters. path names the setting in the problem reported.
func CheckName(path, s string) error {
	v := &validator{}
	v.text(path, s, name)
	if len(v.errs) > 0 {
		return v.errs
	}
	return nil
}

// TextCap is the cap, in characters, of the text field at path (a JSON
// path such as "people[0].document_number"), by the field's own name:
// identifiers, names, texts, narratives and telephone numbers each have
// theirs.
func TextCap(path string) int {
	last := path[strings.LastIndexAny(path, ".")+1:]
	if i := strings.IndexByte(last, '['); i >= 0 {
		last = last[:i]
	}
	switch last {
	case "number", "origin", "plate", "vin", "container", "voyage", "document_number", "registration",
		"seal_number", "stamped", "headstamp_factory", "headstamp_year", "lot", "media_type":
		return MaxIdentifier
	case "crossing_point", "name", "name_latin", "rank", "position", "document_issuer", "make", "model",
		"taken_by", "from", "to", "place":
		return MaxName
	case "narrative", "remarks", "concealment_note":
		return MaxNarrative
	case "phone":
		return MaxPhone
	}
	return MaxText
}

// ValidateRemark checks a remark an office adds to a record it received:
// a text of at most MaxText characters, not empty, with no character a
// text field may not hold.
func ValidateRemark(s string) error {
	v := &validator{}
	if strings.TrimSpace(s) == "" {
		v.add("remark", ErrRequired)
	} else {
		v.text("remark", s, text)
	}
	if len(v.errs) == 0 {
		return nil
	}
	return v.errs
}

// CheckText checks a text kept outside records that documents print (an
// office's tracing notes): lines of at most MaxText characters in all,
// without control or direction-override characters. path names the field
// in the problem reported.
func CheckText(path, s string) error {
	v := &validator{}
	v.text(path, s, text)
	if len(v.errs) > 0 {
		return v.errs
	}
	return nil
}
