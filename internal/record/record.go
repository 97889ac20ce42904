// Package record defines Kordon's record model: an interdiction (one
// inspection at a post that found something) with its seized items, the
// people, organisations and conveyance it names, photo references and custody
// events; the controlled vocabularies every coded field draws from; and the
// validation that reports problems field by field.
//
// Coded fields hold stable ASCII codes (see Vocabularies), never translated
// text, so a record reads the same in every language and across versions of
// the program. The package imports nothing of Kordon's own.
package record

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// SchemaVersion is the version of the record's JSON form. Bundles carry it;
// an importer refuses records of a newer schema than its own. Version 2
// added no_person; a record of version 1 is a record of version 2 without
// it, byte for byte. Version 3 added phone (of a person and of an
// organisation); a record of an earlier version is a record of version 3
// without it, byte for byte.
const SchemaVersion = 3

// Status of an interdiction record.
const (
	// StatusDraft records may change freely.
	StatusDraft = "draft"
	// StatusFinal records are locked: a change is a new version.
	StatusFinal = "final"
)

// Item kinds.
const (
	KindFirearm    = "firearm"
	KindPart       = "part"
	KindAmmunition = "ammunition"
	KindExplosive  = "explosive"
	KindOther      = "other"
)

// Interdiction is one event at a post: an inspection that found something.
// It owns its items; people, organisations and the conveyance belong to it.
type Interdiction struct {
	// ID is made on the device that created the record and never changes.
	ID uuid.UUID `json:"id"`
	// Version counts from 1; each version of a final record is kept.
	Version int `json:"version"`
	// Status is StatusDraft or StatusFinal.
	Status string `json:"status"`
	// Number is the post-local number, e.g. KZ-DOS-2026-0042, given by the
	// store when the record is first saved.
	Number string `json:"number,omitempty"`
	// PostCode is the code of the post that recorded it, e.g. KZ-DOS.
	PostCode string `json:"post_code"`
	// Origin is the device that owns the record; other places never rewrite it.
	Origin string `json:"origin,omitempty"`
	// Training marks synthetic records made for training and benchmarks.
	Training bool `json:"training,omitempty"`

	Officers []Officer `json:"officers,omitempty"`

	// OccurredAt is the local time of the inspection with its UTC offset.
	OccurredAt time.Time `json:"occurred_at"`
	// EndedAt is when the protocol was closed, if known.
	EndedAt *time.Time `json:"ended_at,omitempty"`

	CrossingPoint string `json:"crossing_point,omitempty"`
	LocationType  string `json:"location_type,omitempty"`
	GPS           *GPS   `json:"gps,omitempty"`
	Direction     string `json:"direction,omitempty"`
	Recovery      string `json:"recovery,omitempty"`
	LegalBasis    string `json:"legal_basis,omitempty"`
	// LegalBasisText cites the article or explains an "other" basis.
	LegalBasisText  string      `json:"legal_basis_text,omitempty"`
	CriminalContext []string    `json:"criminal_context,omitempty"`
	Detection       []string    `json:"detection,omitempty"`
	Transport       string      `json:"transport,omitempty"`
	Conveyance      *Conveyance `json:"conveyance,omitempty"`
	Concealment     []string    `json:"concealment,omitempty"`
	ConcealmentNote string      `json:"concealment_note,omitempty"`
	Route           Route       `json:"route"`
	// LinkedContraband lists other contraband found in the same event.
	LinkedContraband []string `json:"linked_contraband,omitempty"`
	Narrative        string   `json:"narrative,omitempty"`
	Remarks          string   `json:"remarks,omitempty"`

	People        []Person       `json:"people,omitempty"`
	Organisations []Organisation `json:"organisations,omitempty"`
	// NoPerson says why a seizure names no one it was seized from: a
	// NoPersonReasons code (schema 2).
	NoPerson string         `json:"no_person,omitempty"`
	Items    []Item         `json:"items,omitempty"`
	Photos   []Photo        `json:"photos,omitempty"`
	Custody  []CustodyEvent `json:"custody,omitempty"`
}

// Officer is a member of the service who took part in the inspection.
type Officer struct {
	Name     string `json:"name"`
	Rank     string `json:"rank,omitempty"`
	Position string `json:"position,omitempty"`
}

// GPS is a position in decimal degrees (WGS 84).
type GPS struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Route is where the goods came from and were going, as ISO 3166-1 alpha-2
// country codes.
type Route struct {
	Departure   string   `json:"departure,omitempty"`
	Transit     []string `json:"transit,omitempty"`
	Destination string   `json:"destination,omitempty"`
}

// Conveyance is the vehicle, train, flight or parcel the items were found in.
type Conveyance struct {
	Description string `json:"description,omitempty"`
	Plate       string `json:"plate,omitempty"`
	// Country of registration.
	Country string `json:"country,omitempty"`
	VIN     string `json:"vin,omitempty"`
	// Container holds a container or trailer number.
	Container string `json:"container,omitempty"`
	// Voyage holds a train or flight number.
	Voyage string `json:"voyage,omitempty"`
}

// Person is someone the record names. Every field is personal data.
type Person struct {
	ID   uuid.UUID `json:"id"`
	Role string    `json:"role"`
	// Name as written in the identity document, in its own script.
	Name string `json:"name"`
	// NameLatin is the Latin form, as in the document's machine-readable zone.
	NameLatin string `json:"name_latin,omitempty"`
	// BirthDate is YYYY-MM-DD.
	BirthDate      string `json:"birth_date,omitempty"`
	Nationality    string `json:"nationality,omitempty"`
	DocumentType   string `json:"document_type,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
	DocumentIssuer string `json:"document_issuer,omitempty"`
	Sex            string `json:"sex,omitempty"`
	Detained       bool   `json:"detained,omitempty"`
	Address        string `json:"address,omitempty"`
	// Phone is a telephone number as given (schema 3).
	Phone string `json:"phone,omitempty"`
}

// Organisation is a company or body the record names (consignor, carrier…).
type Organisation struct {
	ID           uuid.UUID `json:"id"`
	Role         string    `json:"role"`
	Name         string    `json:"name"`
	NameLatin    string    `json:"name_latin,omitempty"`
	Country      string    `json:"country,omitempty"`
	Registration string    `json:"registration,omitempty"`
	// Phone is a telephone number as given (schema 3).
	Phone string `json:"phone,omitempty"`
}

// Item is one seized thing, or a batch of identical things (Quantity). The
// sub-record matching Kind carries the kind's own fields.
type Item struct {
	ID       uuid.UUID `json:"id"`
	Kind     string    `json:"kind"`
	Quantity int       `json:"quantity"`
	// Description is free text, and the whole description for KindOther.
	Description string `json:"description,omitempty"`
	Packaging   string `json:"packaging,omitempty"`
	SealNumber  string `json:"seal_number,omitempty"`

	Firearm    *Firearm    `json:"firearm,omitempty"`
	Part       *Part       `json:"part,omitempty"`
	Ammunition *Ammunition `json:"ammunition,omitempty"`
	Explosive  *Explosive  `json:"explosive,omitempty"`
}

// Calibre is a calibre from the controlled list (Code) and the text as
// stamped on the item, which is kept even when it matches a code.
type Calibre struct {
	Code    string `json:"code,omitempty"`
	Stamped string `json:"stamped,omitempty"`
}

// Empty reports whether neither a code nor a stamped text is known.
func (c Calibre) Empty() bool { return c.Code == "" && c.Stamped == "" }

// Serial is one serial number and the part it is stamped on.
type Serial struct {
	// Part is a PartTypes code (frame, slide, barrel…), empty if unknown.
	Part   string `json:"part,omitempty"`
	Number string `json:"number,omitempty"`
	// State is a SerialStates code: intact, partly obliterated, obliterated, none.
	State string `json:"state"`
}

// Mark is a country and year marking, e.g. an import mark.
type Mark struct {
	Country string `json:"country,omitempty"`
	Year    int    `json:"year,omitempty"`
}

// Firearm holds the identifying marks of a firearm or light weapon. The
// minimum for a trace request is manufacturer, country, type, serial and
// calibre.
type Firearm struct {
	Category string   `json:"category"`
	Make     string   `json:"make,omitempty"`
	Model    string   `json:"model,omitempty"`
	Calibre  Calibre  `json:"calibre"`
	Serials  []Serial `json:"serials,omitempty"`
	// CountryMarked is the country of manufacture as marked.
	CountryMarked string `json:"country_marked,omitempty"`
	// CountryAssessed is the country of manufacture as the officer assesses it.
	CountryAssessed string `json:"country_assessed,omitempty"`
	Year            int    `json:"year,omitempty"`
	ImportMark      *Mark  `json:"import_mark,omitempty"`
	OtherMarkings   string `json:"other_markings,omitempty"`
	Condition       string `json:"condition,omitempty"`
}

// Part is a part or component of a firearm.
type Part struct {
	Type     string   `json:"type"`
	Make     string   `json:"make,omitempty"`
	Model    string   `json:"model,omitempty"`
	Calibre  Calibre  `json:"calibre"`
	Serials  []Serial `json:"serials,omitempty"`
	Markings string   `json:"markings,omitempty"`
}

// Ammunition is a lot of cartridges or rounds. Item.Quantity counts the
// packages, Rounds the rounds in all of them.
type Ammunition struct {
	Calibre Calibre `json:"calibre"`
	Rounds  int     `json:"rounds"`
	Type    string  `json:"type,omitempty"`
	// Headstamp factory code and year, as stamped.
	HeadstampFactory string `json:"headstamp_factory,omitempty"`
	HeadstampYear    string `json:"headstamp_year,omitempty"`
	Lot              string `json:"lot,omitempty"`
	PackagingMarks   string `json:"packaging_marks,omitempty"`
}

// Explosive is explosive material or ordnance.
type Explosive struct {
	Type string `json:"type"`
	// WeightGrams is the net weight, when weighed.
	WeightGrams float64 `json:"weight_grams,omitempty"`
	// Count is the number of pieces, when counted.
	Count int `json:"count,omitempty"`
	// EODSafe is set once explosive ordnance disposal declared it safe to handle.
	EODSafe  bool   `json:"eod_safe,omitempty"`
	Markings string `json:"markings,omitempty"`
}

// Photo references a picture stored by its SHA-256.
type Photo struct {
	SHA256 string `json:"sha256"`
	// Name is the original file name, for the officer's reference.
	Name      string    `json:"name,omitempty"`
	MediaType string    `json:"media_type,omitempty"`
	Tag       string    `json:"tag,omitempty"`
	TakenBy   string    `json:"taken_by,omitempty"`
	TakenAt   time.Time `json:"taken_at,omitzero"`
	// Item is the ID of the item shown, if the photo shows one.
	Item    uuid.UUID `json:"item,omitzero"`
	Caption string    `json:"caption,omitempty"`
}

// CustodyEvent records a hand-over of seized items.
type CustodyEvent struct {
	ID         uuid.UUID `json:"id"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	At         time.Time `json:"at"`
	Place      string    `json:"place,omitempty"`
	SealNumber string    `json:"seal_number,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// Counts are what the record seized, counted as a protocol counts it: the
// pieces of every item but ammunition, and the rounds of ammunition (its
// Quantity counts packages, not rounds).
func (in *Interdiction) Counts() (pieces, rounds int) {
	for _, it := range in.Items {
		if it.Kind == KindAmmunition {
			if it.Ammunition != nil {
				rounds += it.Ammunition.Rounds
			}
			continue
		}
		pieces += it.Quantity
	}
	return pieces, rounds
}

// Category is the item's most specific classification code: the firearm
// category, part type, explosive type, or the kind itself.
func (it *Item) Category() string {
	switch {
	case it.Kind == KindFirearm && it.Firearm != nil && it.Firearm.Category != "":
		return it.Firearm.Category
	case it.Kind == KindPart && it.Part != nil && it.Part.Type != "":
		return "part." + it.Part.Type
	case it.Kind == KindExplosive && it.Explosive != nil && it.Explosive.Type != "":
		return "explosive." + it.Explosive.Type
	}
	return it.Kind
}

// SeizedFrom reports whether the record names someone the items were taken
// from: a person other than a witness or an interpreter, or an
// organisation.
func (in *Interdiction) SeizedFrom() bool {
	for _, p := range in.People {
		if p.Role != "witness" && p.Role != "interpreter" {
			return true
		}
	}
	return len(in.Organisations) > 0
}

// CategoryLabelKey is the catalog key naming an item category as Category
// gives it: a firearm category, "part.<type>", "explosive.<type>" or a kind.
func CategoryLabelKey(code string) string {
	if rest, ok := strings.CutPrefix(code, "part."); ok {
		return PartTypes.LabelKey(rest)
	}
	if rest, ok := strings.CutPrefix(code, "explosive."); ok {
		return ExplosiveTypes.LabelKey(rest)
	}
	if ItemKinds.Has(code) {
		return ItemKinds.LabelKey(code)
	}
	return FirearmCategories.LabelKey(code)
}

// Serials returns the serial numbers of the item, whatever its kind.
func (it *Item) Serials() []Serial {
	switch {
	case it.Firearm != nil:
		return it.Firearm.Serials
	case it.Part != nil:
		return it.Part.Serials
	}
	return nil
}

// CalibreOf returns the item's calibre, whatever its kind.
func (it *Item) CalibreOf() Calibre {
	switch {
	case it.Firearm != nil:
		return it.Firearm.Calibre
	case it.Part != nil:
		return it.Part.Calibre
	case it.Ammunition != nil:
		return it.Ammunition.Calibre
	}
	return Calibre{}
}

// AssignIDs gives the record an ID bound to device (see NewID), and a
// fresh UUID to every person, organisation, item and custody event, where
// they have none yet.
func (in *Interdiction) AssignIDs(device string) {
	if in.ID == uuid.Nil {
		in.ID = NewID(device)
	}
	for i := range in.People {
		if in.People[i].ID == uuid.Nil {
			in.People[i].ID = uuid.New()
		}
	}
	for i := range in.Organisations {
		if in.Organisations[i].ID == uuid.Nil {
			in.Organisations[i].ID = uuid.New()
		}
	}
	for i := range in.Items {
		if in.Items[i].ID == uuid.Nil {
			in.Items[i].ID = uuid.New()
		}
	}
	for i := range in.Custody {
		if in.Custody[i].ID == uuid.Nil {
			in.Custody[i].ID = uuid.New()
		}
	}
}

// Hash is the hex SHA-256 of the record's JSON form: the content hash that
// identifies one version, printed on the protocol so a paper copy can be
// checked against the database.
func (in *Interdiction) Hash() (string, error) {
	b, err := json.Marshal(in)
	if err != nil {
		return "", fmt.Errorf("record %s: hash: %w", in.ID, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
