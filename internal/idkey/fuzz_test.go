package idkey

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kordon/kordon/internal/record"
)

// fuzzRecord builds a record from fuzzed field values: two people, an
// organisation, a conveyance, a firearm, a part and a lot of ammunition.
func fuzzRecord(post, name, latin, birth, nat, docType, docNum, issuer, phone, org, reg, plate, country, vin, container,
	make, serial, state, lot, factory, year string) *record.Interdiction {
	return &record.Interdiction{
		PostCode:   post,
		Conveyance: &record.Conveyance{Plate: plate, Country: country, VIN: vin, Container: container},
		People: []record.Person{
			{Name: name, NameLatin: latin, BirthDate: birth, Nationality: nat, DocumentType: docType,
				DocumentNumber: docNum, DocumentIssuer: issuer, Phone: phone},
			{Name: latin + " " + name, NameLatin: org, BirthDate: birth, Nationality: country, DocumentNumber: serial, Phone: reg},
		},
		Organisations: []record.Organisation{{Name: org, NameLatin: name, Country: nat, Registration: reg, Phone: phone}},
		Items: []record.Item{
			{Kind: record.KindFirearm, Firearm: &record.Firearm{Make: make, Serials: []record.Serial{
				{Number: serial, State: state}, {Number: docNum, State: "intact"}, {Number: plate, State: state}}}},
			{Kind: record.KindPart, Part: &record.Part{Make: factory, Serials: []record.Serial{{Number: serial, State: state}}}},
			{Kind: record.KindAmmunition, Ammunition: &record.Ammunition{HeadstampFactory: factory, HeadstampYear: year, Lot: lot}},
		},
	}
}

func FuzzOf(f *testing.F) {
	f.Add("KZ-DOS", "Ўринов Бахтиёр Рустамович", "URINOV BAKHTIYOR", "1985-03-12", "UZ", "passport", "FA 1234567", "UZ",
		"+998 90 123-45-67", `ТОО "Восток-Транзит"`, "120540012345", "01 123 АВА", "KZ", "XTA21099012345678", "MSKU 123456-7",
		"Калашников", "ХА 672039", "intact", "12-84", "539", "1984")
	f.Add("kg-tor", "Адылбек уулу Эркин", "oʻgʻli", "2000-02-29", "kg", "national_id", "№ ID1234567", "KGZ",
		"0555 123 456", "ОсОО Азия Карго LLC", "123", "01KG 123 ABC", "", "jtnb11hk9o3o12345", "",
		"", "0000", "none", "—", "", "")
	f.Add("", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "")
	f.Add("TJ-", "И.И.", "\xff\xfe", "1985-02-30", "XX", "Паспорт", "AB:12", "МВД", "8 10 998 90 123 45 67", "«»", "::::",
		"\u00a0\u200b", "Kazakhstan", "1A", "ab cd", "n/a", "12?45", "partly_obliterated", "7", "ЛВЗ", "к")
	f.Add("UZ-YAL", "ʻʻʻ", "Ёё Ўў Ққ Ғғ Ҳҳ", "0000-00-00", "UZ", "doc", "ХХХХ", "uz", "+", "Co Ltd Inc", "12 34",
		"ＡＢＣ１２３", "RU", "ХТА 21099O I2345678", "ЖЖЖЖ", "ИЖ", "ＡＫ－４７", "obliterated", "٠١٢٣", "Ѕ", "1999")
	f.Fuzz(func(t *testing.T, post, name, latin, birth, nat, docType, docNum, issuer, phone, org, reg, plate, country, vin, container,
		make, serial, state, lot, factory, year string) {
		rec := fuzzRecord(post, name, latin, birth, nat, docType, docNum, issuer, phone, org, reg, plate, country, vin, container,
			make, serial, state, lot, factory, year)
		got := Of(rec)
		if again := Of(rec); !reflect.DeepEqual(got, again) {
			t.Fatalf("Of is not deterministic:\n%v\n%v", got, again)
		}
		if got != nil && len(got) == 0 {
			t.Fatal("Of returned an empty, non-nil slice")
		}
		seen := map[kindKey]bool{}
		for _, id := range got {
			checkKey(t, id.Key)
			checkShape(t, id)
			if _, ok := ParseKind(string(id.Kind)); !ok {
				t.Fatalf("unknown kind %q", id.Kind)
			}
			if seen[kindKey{id.Kind, id.Key}] {
				t.Fatalf("%s:%s twice", id.Kind, id.Key)
			}
			seen[kindKey{id.Kind, id.Key}] = true
			if id.Entity == "" {
				t.Fatalf("%s:%s has no entity", id.Kind, id.Key)
			}
			if id.Country != "" && !record.IsCountry(id.Country) {
				t.Fatalf("%s:%s has country %q", id.Kind, id.Key, id.Country)
			}
		}
		for _, s := range []string{name, latin, org} {
			if k := NameKey(s); k != "" {
				checkWords(t, "NameKey", s, k, maxNameKey)
			}
			if k := OrgKey(s); k != "" {
				checkWords(t, "OrgKey", s, k, maxOrgKey)
			}
		}
		for _, cc := range []string{nat, country, "KZ", "RU", "UZ", "KG", "TJ", "TM", ""} {
			if e := PhoneE164(phone, cc); e != "" {
				if len(e) < 9 || len(e) > 16 || e[0] != '+' || !isDigits(e[1:]) {
					t.Fatalf("PhoneE164(%q, %q) = %q", phone, cc, e)
				}
			}
		}
		if k := PlateKey(plate); strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			t.Fatalf("PlateKey(%q) = %q", plate, k)
		}
	})
}

// checkKey fails unless key is well-formed: 1 to 128 bytes of printable
// ASCII, no space, no ':'.
func checkKey(t *testing.T, key string) {
	t.Helper()
	if key == "" || len(key) > maxKey {
		t.Fatalf("key %q: %d bytes", key, len(key))
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c > '~' || c == ':' {
			t.Fatalf("key %q: byte %#x", key, c)
		}
	}
}

// checkWords fails unless k, made by fn of s, is sorted words of a-z0-9
// joined with "_", at most max bytes.
func checkWords(t *testing.T, fn, s, k string, max int) {
	t.Helper()
	words := strings.Split(k, "_")
	if len(k) > max || !slices.IsSorted(words) || strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" || slices.Contains(words, "") {
		t.Fatalf("%s(%q) = %q", fn, s, k)
	}
}

// shapes gives, for each kind, which "/"-separated components its key has:
// true for one that may not be empty, false for one that may.
var shapes = map[Kind][][]bool{
	Weapon:       {{true, true}},
	Document:     {{true, false, true}},
	Person:       {{true, true}},
	Plate:        {{true, true}},
	VIN:          {{true}},
	Registration: {{false, true}},
	Phone:        {{true}},
	Serial:       {{true}},
	PartSerial:   {{true}, {true, true}},
	Ammunition:   {{false, false, true}},
	Name:         {{true}},
	PlateNumber:  {{true}},
	Container:    {{true}},
	Organisation: {{true}},
}

// checkShape fails unless the key of id has the components of its kind.
func checkShape(t *testing.T, id Ident) {
	t.Helper()
	parts := strings.Split(id.Key, "/")
	for _, shape := range shapes[id.Kind] {
		if len(shape) != len(parts) {
			continue
		}
		ok := true
		for i, required := range shape {
			ok = ok && (!required || parts[i] != "")
		}
		if ok {
			return
		}
	}
	t.Fatalf("%s:%s: not a key of its kind", id.Kind, id.Key)
}
