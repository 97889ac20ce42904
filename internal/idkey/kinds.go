package idkey

// Kind is the kind of an identifier. Its value is stable: the store keeps
// it and cluster ids (kind:key) carry it.
type Kind string

// The kinds of identifier, strong ones first. Records that share a key of a
// strong kind are linked; a key of a weak kind only suggests a link that an
// analyst has to look at.
const (
	Weapon       Kind = "weapon"       // strong: make + serial
	Document     Kind = "document"     // strong: type + number (+ issuing country where known)
	Person       Kind = "person"       // strong: name key + birth date
	Plate        Kind = "plate"        // strong: plate + country of registration
	VIN          Kind = "vin"          // strong
	Registration Kind = "registration" // strong: an organisation's registration number
	Phone        Kind = "phone"        // strong: E.164
	Serial       Kind = "serial"       // weak: a serial number alone
	PartSerial   Kind = "part"         // weak: a part's serial (with the part's make where given)
	Ammunition   Kind = "ammo"         // weak: lot + headstamp
	Name         Kind = "name"         // weak: a person's name key alone
	PlateNumber  Kind = "plateno"      // weak: a plate without its country
	Container    Kind = "container"    // weak: container/trailer number
	Organisation Kind = "org"          // weak: organisation name without legal form
)

// kinds lists every kind in the order Kinds gives them.
var kinds = [...]Kind{
	Weapon, Document, Person, Plate, VIN, Registration, Phone,
	Serial, PartSerial, Ammunition, Name, PlateNumber, Container, Organisation,
}

// Strong reports whether a key of kind k identifies one thing, so that two
// records sharing it are linked rather than only suggested. An unknown kind
// is not strong.
func (k Kind) Strong() bool {
	switch k {
	case Weapon, Document, Person, Plate, VIN, Registration, Phone:
		return true
	}
	return false
}

// Kinds returns every kind, strong ones first, in the order of the
// constants. The slice is the caller's to keep.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	copy(out, kinds[:])
	return out
}

// ParseKind returns the kind whose value is s ("weapon", "plateno"…),
// and false if s is none: the match is exact, case included.
func ParseKind(s string) (Kind, bool) {
	for _, k := range kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Version numbers the rules by which Of makes keys and labels. A store
// that indexed its records under another version indexes them again, so
// that records indexed before and after a change still meet.
const Version = 2
