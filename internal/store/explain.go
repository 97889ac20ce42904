package store

import (
	"fmt"
	"strings"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/textkey"
	"github.com/kordon/kordon/internal/view"
)

// How a field is found by search.
type fieldKind int

const (
	fieldKey  fieldKind = iota // an identifier: serial, plate, document…
	fieldName                  // a person's or organisation's name
	fieldText                  // words of a text
)

// searchFields calls fn with every field search finds a record by, its
// JSON path and its value: the index and the explanation of a match are
// made from the same list.
func searchFields(in *record.Interdiction, fn func(kind fieldKind, path, value string)) {
	f := func(kind fieldKind, path, value string) {
		if value != "" {
			fn(kind, path, value)
		}
	}
	f(fieldText, "number", in.Number)
	f(fieldText, "crossing_point", in.CrossingPoint)
	f(fieldText, "narrative", in.Narrative)
	f(fieldText, "remarks", in.Remarks)
	f(fieldText, "concealment_note", in.ConcealmentNote)
	f(fieldText, "legal_basis_text", in.LegalBasisText)
	for i, o := range in.Officers {
		f(fieldText, fmt.Sprintf("officers[%d].name", i), o.Name)
	}
	if c := in.Conveyance; c != nil {
		f(fieldKey, "conveyance.plate", c.Plate)
		f(fieldKey, "conveyance.vin", c.VIN)
		f(fieldKey, "conveyance.container", c.Container)
		f(fieldKey, "conveyance.voyage", c.Voyage)
		f(fieldText, "conveyance.description", c.Description)
	}
	for i, p := range in.People {
		f(fieldName, fmt.Sprintf("people[%d].name", i), p.Name)
		f(fieldName, fmt.Sprintf("people[%d].name_latin", i), p.NameLatin)
		f(fieldKey, fmt.Sprintf("people[%d].document_number", i), p.DocumentNumber)
		f(fieldKey, fmt.Sprintf("people[%d].phone", i), p.Phone)
	}
	for i, o := range in.Organisations {
		f(fieldName, fmt.Sprintf("organisations[%d].name", i), o.Name)
		f(fieldName, fmt.Sprintf("organisations[%d].name_latin", i), o.NameLatin)
		f(fieldKey, fmt.Sprintf("organisations[%d].registration", i), o.Registration)
		f(fieldKey, fmt.Sprintf("organisations[%d].phone", i), o.Phone)
	}
	for i := range in.Items {
		it := &in.Items[i]
		p := fmt.Sprintf("items[%d].", i)
		f(fieldKey, p+"seal_number", it.SealNumber)
		f(fieldText, p+"description", it.Description)
		f(fieldText, p+"packaging", it.Packaging)
		switch {
		case it.Firearm != nil:
			fa := it.Firearm
			for j, s := range fa.Serials {
				f(fieldKey, fmt.Sprintf("%sfirearm.serials[%d].number", p, j), s.Number)
			}
			f(fieldText, p+"firearm.make", fa.Make)
			f(fieldText, p+"firearm.model", fa.Model)
			f(fieldText, p+"firearm.other_markings", fa.OtherMarkings)
			f(fieldText, p+"firearm.calibre.stamped", fa.Calibre.Stamped)
		case it.Part != nil:
			pt := it.Part
			for j, s := range pt.Serials {
				f(fieldKey, fmt.Sprintf("%spart.serials[%d].number", p, j), s.Number)
			}
			f(fieldText, p+"part.make", pt.Make)
			f(fieldText, p+"part.model", pt.Model)
			f(fieldText, p+"part.markings", pt.Markings)
		case it.Ammunition != nil:
			a := it.Ammunition
			f(fieldText, p+"ammunition.headstamp_factory", a.HeadstampFactory)
			f(fieldText, p+"ammunition.lot", a.Lot)
			f(fieldKey, p+"ammunition.lot", a.Lot)
			f(fieldText, p+"ammunition.packaging_marks", a.PackagingMarks)
			f(fieldText, p+"ammunition.calibre.stamped", a.Calibre.Stamped)
		case it.Explosive != nil:
			f(fieldText, p+"explosive.markings", it.Explosive.Markings)
		}
	}
	for i, c := range in.Custody {
		f(fieldKey, fmt.Sprintf("custody[%d].seal_number", i), c.SealNumber)
	}
}

// explain says which fields of in a search for query matched, with their
// values, identifiers first; each field is named once.
func explain(in *record.Interdiction, query string) []view.Match {
	// Identifiers match the whole query as one serial ("XA 1234567") or
	// any word of it ("777 TGHU"), whole or any part of three or more.
	var serials []string
	if k := textkey.Serial(query); k != "" {
		serials = append(serials, k)
	}
	var words []string // every spelling of every word, as the index folds it
	for _, w := range strings.Fields(textkey.Fold(query)) {
		if k := textkey.Serial(w); len([]rune(k)) >= 3 {
			serials = append(serials, k)
		}
		for _, v := range []string{w, textkey.Latin(w), textkey.Serial(w)} {
			if len([]rune(v)) >= 3 {
				words = append(words, v)
			}
		}
	}
	var keys, rest []view.Match
	seen := map[string]bool{}
	add := func(list *[]view.Match, path, value string) {
		if !seen[path] {
			seen[path] = true
			*list = append(*list, view.Match{Field: path, Value: value})
		}
	}
	searchFields(in, func(kind fieldKind, path, value string) {
		switch kind {
		case fieldKey:
			k := textkey.Serial(value)
			for _, s := range serials {
				if k == s || len([]rune(s)) >= 3 && strings.Contains(k, s) {
					add(&keys, path, value)
					break
				}
			}
		case fieldName:
			if containsAny(textkey.Fold(value)+" "+textkey.Latin(value), words) {
				add(&rest, path, value)
			}
		case fieldText:
			if containsAny(textkey.Fold(value), words) {
				add(&rest, path, value)
			}
		}
	})
	return append(keys, rest...)
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
