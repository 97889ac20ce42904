package links

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kordon/kordon/internal/fault"
	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/record"
)

// Export formats.
const (
	FormatANB = "anb-csv"
	FormatFTM = "ftm-json"
)

// ErrFormat: an export format that is neither FormatANB nor FormatFTM.
var ErrFormat = &fault.Error{Key: "links.err.format"}

// anbType is the entity type Analyst's Notebook is given for a node type.
var anbType = map[NodeType]string{
	NodeRecord: "Seizure", NodePerson: "Person", NodeVehicle: "Vehicle", NodeWeapon: "Weapon",
	NodeDocument: "Document", NodeOrganisation: "Organisation", NodePhone: "Phone", NodeAmmunition: "Ammunition",
}

// cell keeps a value a spreadsheet would run as a formula as text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteANB writes the clusters as the CSV IBM i2 Analyst's Notebook
// imports: entity1,type1,link,entity2,type2,datetime, one row for each
// record of each cluster (the seizure, the identifier's kind, the thing
// shared). A thing is named the same in every row, so that the notebook
// makes one entity of it.
func WriteANB(w io.Writer, cs []Cluster) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"entity1", "type1", "link", "entity2", "type2", "datetime"}); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for i := range cs {
		c := &cs[i]
		thing := c.Label + " [" + c.ID() + "]"
		for _, m := range c.Records {
			row := []string{cell(m.Number), anbType[NodeRecord], string(c.Kind), cell(thing), anbType[TypeOf(c.Kind)], m.OccurredAt.Format("2006-01-02T15:04:05")}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("write csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// ftmEntity is one FollowTheMoney entity.
type ftmEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

func ftmID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "kordon-" + hex.EncodeToString(sum[:10])
}

func (e *ftmEntity) add(prop string, values ...string) {
	for _, v := range values {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		if !slices.Contains(e.Properties[prop], v) {
			e.Properties[prop] = append(e.Properties[prop], v)
		}
	}
}

// WriteFTM writes the clusters as FollowTheMoney entities, one JSON
// object a line: a Person, Vehicle, Passport or Identification,
// Organization or Thing (a weapon, an ammunition lot, a phone) for each
// cluster's thing, with what the records say of it (get reads a record by
// its Ref), and an Event for each seizure, involving the things.
func WriteFTM(w io.Writer, cs []Cluster, get func(ref string) (*record.Interdiction, error)) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	events := map[string]*ftmEntity{}
	var eventOrder []string
	for i := range cs {
		c := &cs[i]
		e := &ftmEntity{ID: ftmID("cluster", c.ID()), Schema: ftmSchema(c.Kind), Properties: map[string][]string{}}
		for _, m := range c.Records {
			in, err := get(m.Ref)
			if err != nil {
				return fmt.Errorf("record %s: %w", m.Number, err)
			}
			describe(e, c.Kind, in, m.Entity, m.Label)
			ev := events[m.Ref]
			if ev == nil {
				ev = &ftmEntity{ID: ftmID("record", m.Ref), Schema: "Event", Properties: map[string][]string{}}
				ev.add("name", in.Number)
				ev.add("date", in.OccurredAt.Format("2006-01-02"))
				ev.add("location", in.CrossingPoint)
				if cc, _, ok := strings.Cut(in.PostCode, "-"); ok {
					ev.add("country", strings.ToLower(cc))
				}
				ev.add("summary", "Kordon "+in.Number+" ("+in.PostCode+")")
				events[m.Ref] = ev
				eventOrder = append(eventOrder, m.Ref)
			}
			ev.add("involved", e.ID)
		}
		if err := enc.Encode(e); err != nil {
			return fmt.Errorf("write entity: %w", err)
		}
	}
	for _, ref := range eventOrder {
		ev := events[ref]
		sort.Strings(ev.Properties["involved"])
		if err := enc.Encode(ev); err != nil {
			return fmt.Errorf("write entity: %w", err)
		}
	}
	return nil
}

func ftmSchema(k idkey.Kind) string {
	switch TypeOf(k) {
	case NodePerson:
		return "Person"
	case NodeVehicle:
		return "Vehicle"
	case NodeDocument:
		return "Identification"
	case NodeOrganisation:
		return "Organization"
	}
	return "Thing"
}

// describe adds to e what the record says of the thing at path.
func describe(e *ftmEntity, kind idkey.Kind, in *record.Interdiction, path, label string) {
	name, idx := splitPath(path)
	switch {
	case name == "people" && idx < len(in.People):
		p := &in.People[idx]
		switch TypeOf(kind) {
		case NodeDocument:
			if p.DocumentType == "passport" {
				e.Schema = "Passport"
			}
			e.add("number", p.DocumentNumber)
			e.add("type", p.DocumentType)
			e.add("country", strings.ToLower(p.Nationality))
			e.add("authority", p.DocumentIssuer)
			e.add("summary", p.Name)
		case NodePhone:
			e.add("name", p.Phone)
			e.add("summary", p.Name)
		default:
			e.add("name", p.Name, p.NameLatin)
			e.add("birthDate", p.BirthDate)
			e.add("nationality", strings.ToLower(p.Nationality))
			e.add("idNumber", p.DocumentNumber)
			e.add("phone", p.Phone)
		}
	case name == "organisations" && idx < len(in.Organisations):
		o := &in.Organisations[idx]
		if TypeOf(kind) == NodePhone {
			e.add("name", o.Phone)
			e.add("summary", o.Name)
			return
		}
		e.add("name", o.Name, o.NameLatin)
		e.add("registrationNumber", o.Registration)
		e.add("country", strings.ToLower(o.Country))
		e.add("phone", o.Phone)
	case name == "items" && idx < len(in.Items):
		it := &in.Items[idx]
		e.add("name", label)
		e.add("description", it.Description)
		var make, model string
		switch {
		case it.Firearm != nil:
			make, model = it.Firearm.Make, it.Firearm.Model
			e.add("country", strings.ToLower(it.Firearm.CountryMarked))
		case it.Part != nil:
			make, model = it.Part.Make, it.Part.Model
		}
		e.add("notes", strings.TrimSpace(make+" "+model))
	case name == "conveyance" && in.Conveyance != nil:
		cv := in.Conveyance
		e.add("name", label)
		e.add("registrationNumber", cv.Plate)
		e.add("country", strings.ToLower(cv.Country))
		e.add("type", cv.Description)
		if cv.VIN != "" {
			e.add("notes", "VIN "+cv.VIN)
		}
	default:
		e.add("name", label)
	}
}

// splitPath reads "items[2]" as items and 2; "conveyance" as itself and 0.
func splitPath(path string) (string, int) {
	name, rest, ok := strings.Cut(path, "[")
	if !ok {
		return path, 0
	}
	i, err := strconv.Atoi(strings.TrimSuffix(rest, "]"))
	if err != nil || i < 0 {
		return name, 1 << 30
	}
	return name, i
}
