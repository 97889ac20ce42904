package idkey

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kordon/kordon/internal/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ids returns the identifiers as "kind:key" strings, in order.
func ids(list []Ident) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, id := range list {
		out[i] = string(id.Kind) + ":" + id.Key
	}
	return out
}

// find returns the identifier of kind and key in list.
func find(t *testing.T, list []Ident, kind Kind, key string) Ident {
	t.Helper()
	for _, id := range list {
		if id.Kind == kind && id.Key == key {
			return id
		}
	}
	require.Failf(t, "identifier missing", "%s:%s not in %v", kind, key, ids(list))
	return Ident{}
}

// ofKind returns the keys of the identifiers of kind in list.
func ofKind(list []Ident, kind Kind) []string {
	var out []string
	for _, id := range list {
		if id.Kind == kind {
			out = append(out, id.Key)
		}
	}
	return out
}

// firearm returns a record with one firearm of make and serials.
func firearm(make string, serials ...string) *record.Interdiction {
	f := &record.Firearm{Category: "pistol", Make: make}
	for _, s := range serials {
		f.Serials = append(f.Serials, record.Serial{Part: "frame", Number: s, State: "intact"})
	}
	return &record.Interdiction{PostCode: "KZ-DOS", Items: []record.Item{{Kind: record.KindFirearm, Quantity: 1, Firearm: f}}}
}

// person returns a record naming one person.
func person(p record.Person) *record.Interdiction {
	return &record.Interdiction{PostCode: "KZ-DOS", People: []record.Person{p}}
}

// car returns a record with one conveyance.
func car(v record.Conveyance) *record.Interdiction {
	return &record.Interdiction{PostCode: "KZ-DOS", Conveyance: &v}
}

func TestOfSample(t *testing.T) {
	got := Of(sampleRecord())
	assert.Equal(t, []string{
		"plate:KZ/123ABA02",
		"plateno:123ABA02",
		"vin:JTNB11HK903012345",
		"person:bahter_urinuv/1985-03-12",
		"name:bahter_urinuv",
		"document:passport/UZ/FA1234567",
		"phone:+998901234567",
		"person:erlan_jumabekuv/1990-11-02",
		"name:erlan_jumabekuv",
		"document:national_id/KZ/045123789",
		"phone:+77012345678",
		"org:tranzit_vustuk",
		"registration:KZ/120540012345",
		"phone:+77172551234",
		"weapon:kalashnikuv/XA672039",
		"serial:XA672039",
		"weapon:makaruv/TL1953",
		"serial:TL1953",
		"serial:BKRT512",
		"part:ijmash/XA672039",
		"ammo:539/84/1284",
	}, ids(got))

	assert.Equal(t, Ident{Kind: Plate, Key: "KZ/123ABA02", Label: "123 АВА 02 (KZ)", Entity: "conveyance", Country: "KZ"}, got[0])
	assert.Equal(t, Ident{Kind: Person, Key: "bahter_urinuv/1985-03-12", Label: "Ўринов Бахтиёр Рустамович, 1985-03-12",
		Entity: "people[0]", Country: "UZ"}, got[3])
	assert.Equal(t, Ident{Kind: Name, Key: "bahter_urinuv", Label: "Ўринов Бахтиёр Рустамович", Entity: "people[0]", Country: "UZ"}, got[4])
	assert.Equal(t, Ident{Kind: Document, Key: "passport/UZ/FA1234567", Label: "FA 1234567 (UZ)", Entity: "people[0]", Country: "UZ"}, got[5])
	assert.Equal(t, Ident{Kind: Phone, Key: "+998901234567", Label: "+998 90 123-45-67", Entity: "people[0]", Country: "UZ"}, got[6])
	assert.Equal(t, Ident{Kind: Organisation, Key: "tranzit_vustuk", Label: "ТОО «Восток-Транзит»", Partial: true,
		Entity: "organisations[0]", Country: "KZ"}, got[11])
	assert.Equal(t, Ident{Kind: Weapon, Key: "kalashnikuv/XA672039", Label: "Калашников АКМ ХА 672039", Entity: "items[0]"}, got[14])
	assert.Equal(t, Ident{Kind: Serial, Key: "XA672039", Label: "Калашников АКМ ХА 672039", Entity: "items[0]"}, got[15])
	assert.Equal(t, Ident{Kind: Ammunition, Key: "539/84/1284", Label: "539 1984 №12-84", Partial: true, Entity: "items[4]"}, got[20])

	// Deterministic, and every key of its kind's shape.
	assert.Equal(t, got, Of(sampleRecord()))
	for _, id := range got {
		checkShape(t, id)
	}
}

func TestOfNothing(t *testing.T) {
	assert.Nil(t, Of(nil))
	assert.Nil(t, Of(&record.Interdiction{}))
	assert.Nil(t, Of(&record.Interdiction{
		PostCode:      "KZ-DOS",
		Conveyance:    &record.Conveyance{Description: "пешком", Plate: " ", VIN: "—"},
		People:        []record.Person{{Role: "driver"}, {Role: "witness", Name: "Бахтиёр"}},
		Organisations: []record.Organisation{{Role: "carrier", Name: "ТОО"}},
		Items: []record.Item{
			{Kind: record.KindFirearm, Firearm: &record.Firearm{Make: "Макаров", Serials: []record.Serial{{State: "none"}, {Number: "12", State: "intact"}}}},
			{Kind: record.KindPart, Part: &record.Part{Type: "barrel"}},
			{Kind: record.KindAmmunition, Ammunition: &record.Ammunition{HeadstampFactory: "539", HeadstampYear: "84"}},
			{Kind: record.KindExplosive, Explosive: &record.Explosive{Type: "tnt", Markings: "ТНТ 400г"}},
			{Kind: record.KindOther, Description: "телефон"},
			{Kind: record.KindFirearm}, // no sub-record
		},
	}))
}

func TestOfWeapons(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rec    *record.Interdiction
		want   []string
		serial bool // the Serial key is partial
	}{
		{"make and serial", firearm("Калашников", "ХА 672039"), []string{"weapon:kalashnikuv/XA672039", "serial:XA672039"}, false},
		{"no make", firearm("", "ХА 672039"), []string{"serial:XA672039"}, true},
		{"unknown make", firearm("неизвестно", "ХА 672039"), []string{"serial:XA672039"}, true},
		{"make of signs", firearm("—", "ХА 672039"), []string{"serial:XA672039"}, true},
		{"three characters: no Serial key", firearm("Makarov", "1A7"), []string{"weapon:makaruv/1A7"}, false},
		{"three characters, no make", firearm("", "1A7"), nil, false},
		{"two characters", firearm("Makarov", "17"), nil, false},
		{"one character repeated", firearm("Makarov", "0000", "XXXX", "ххх", "1111111"), nil, false},
		{"unreadable characters", firearm("Makarov", "ХА67**39", "12?456", "1234…"), nil, false},
		{"number sign", firearm("Makarov", "№ ТЛ 1953", "No. ТЛ1953"), []string{"weapon:makaruv/TL1953", "serial:TL1953"}, false},
		{"two makes' spellings", firearm("Izhmash", "1234"), []string{"weapon:ijmash/1234", "serial:1234"}, false},
		{"make with spaces", firearm("Česká zbrojovka", "A123456"), []string{"weapon:cheskazbrujuvka/A123456", "serial:A123456"}, false},
		{"frame and slide with one number", firearm("Glock", "BKRT512", "BKRT 512", "BKRT-512"), []string{"weapon:gluk/BKRT512", "serial:BKRT512"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Of(tc.rec)
			assert.Equal(t, tc.want, ids(got))
			for _, id := range got {
				switch id.Kind {
				case Weapon:
					assert.False(t, id.Partial)
				case Serial:
					assert.Equal(t, tc.serial, id.Partial)
				}
				assert.Equal(t, "items[0]", id.Entity)
			}
		})
	}
}

// TestOfLookalikeSerials: serials typed with Cyrillic look-alike letters,
// Latin letters, spaces and hyphens give one key.
func TestOfLookalikeSerials(t *testing.T) {
	for _, group := range [][]string{
		{"ХА672039", "XA672039", "XA 672-039", "ха672039", "Xа 672 039", "№ХА672039"}, // Cyrillic Х А, Latin X A, mixed
		{"АК 12-345", "AK12345", "ak-12 345"},
		{"ТЛ 1953", "TL1953"},
		{"ҚА 1234", "KA1234"}, // Kazakh Қ loses its tail
	} {
		want := ids(Of(firearm("Kalashnikov", group[0])))
		require.Len(t, want, 2)
		for _, s := range group[1:] {
			assert.Equal(t, want, ids(Of(firearm("Калашников", s))), "%s and %s", group[0], s)
		}
	}
	// Makes meet across scripts.
	for _, pair := range [][2]string{{"Калашников", "Kalashnikov"}, {"Макаров", "MAKAROV"}, {"Ижмаш", "Izhmash"}, {"ИЖ", "IZh"}, {"Norinco", "NORINCO"}} {
		assert.Equal(t, Of(firearm(pair[0], "1234"))[0].Key, Of(firearm(pair[1], "1234"))[0].Key, "%s and %s", pair[0], pair[1])
	}
}

// TestOfMustNotLink lists identifiers that look alike but must not give
// one strong key.
func TestOfMustNotLink(t *testing.T) {
	// The same short serial on a Makarov and on a TT: different weapons,
	// one suggestion, and the Serial key is not partial on either.
	pm, tt := Of(firearm("Макаров", "1234")), Of(firearm("ТТ", "1234"))
	assert.Equal(t, []string{"weapon:makaruv/1234", "serial:1234"}, ids(pm))
	assert.Equal(t, []string{"weapon:t/1234", "serial:1234"}, ids(tt))
	assert.False(t, pm[1].Partial)
	assert.False(t, tt[1].Partial)

	// The same name with another birth date.
	a := Of(person(record.Person{Name: "Иванов Иван", BirthDate: "1980-01-01"}))
	b := Of(person(record.Person{Name: "Иванов Иван", BirthDate: "1981-01-01"}))
	assert.NotEqual(t, ofKind(a, Person), ofKind(b, Person))
	assert.Equal(t, ofKind(a, Name), ofKind(b, Name)) // a suggestion only

	// A plate of another country.
	kz := Of(car(record.Conveyance{Plate: "123 ABA 02", Country: "KZ"}))
	kg := Of(car(record.Conveyance{Plate: "123 ABA 02", Country: "KG"}))
	assert.NotEqual(t, ofKind(kz, Plate), ofKind(kg, Plate))
	assert.Equal(t, ofKind(kz, PlateNumber), ofKind(kg, PlateNumber))

	// A document number of another type or country.
	p1 := Of(person(record.Person{Name: "A", DocumentType: "passport", DocumentNumber: "AA1234567", DocumentIssuer: "UZ"}))
	p2 := Of(person(record.Person{Name: "A", DocumentType: "passport", DocumentNumber: "AA1234567", DocumentIssuer: "TJ"}))
	p3 := Of(person(record.Person{Name: "A", DocumentType: "national_id", DocumentNumber: "AA1234567", DocumentIssuer: "UZ"}))
	assert.NotEqual(t, ofKind(p1, Document), ofKind(p2, Document))
	assert.NotEqual(t, ofKind(p1, Document), ofKind(p3, Document))

	// O and 0 are different in serials.
	assert.NotEqual(t, ids(Of(firearm("Makarov", "AO1234"))), ids(Of(firearm("Makarov", "A01234"))))
}

func TestOfParts(t *testing.T) {
	rec := &record.Interdiction{PostCode: "KZ-DOS", Items: []record.Item{
		{Kind: record.KindPart, Part: &record.Part{Type: "frame", Make: "Glock", Serials: []record.Serial{{Part: "frame", Number: "BKRT 512", State: "intact"}}}},
		{Kind: record.KindPart, Part: &record.Part{Type: "barrel", Serials: []record.Serial{
			{Number: "ХА672039", State: "partly_obliterated"}, {Number: "77", State: "intact"}, {Number: "A12", State: "intact"}, {Number: "—", State: "none"},
		}}},
	}}
	got := Of(rec)
	assert.Equal(t, []string{"part:gluk/BKRT512", "serial:BKRT512", "part:XA672039", "serial:XA672039", "part:A12"}, ids(got))
	assert.False(t, got[0].Partial)
	assert.True(t, got[1].Partial, "a part's serial alone is partial")
	assert.True(t, got[2].Partial, "no make")
	assert.Equal(t, "items[1]", got[2].Entity)

	// A frame seized alone meets the rifle it came from as a suggestion.
	rifle := Of(firearm("Калашников", "ХА 672039"))
	frame := Of(&record.Interdiction{Items: []record.Item{{Kind: record.KindPart, Part: &record.Part{Type: "receiver", Make: "Izhmash",
		Serials: []record.Serial{{Number: "XA672039", State: "intact"}}}}}})
	assert.Equal(t, ofKind(rifle, Serial), ofKind(frame, Serial))
	assert.Empty(t, ofKind(frame, Weapon))
}

func TestOfAmmunition(t *testing.T) {
	ammo := func(a record.Ammunition) []string {
		return ids(Of(&record.Interdiction{Items: []record.Item{{Kind: record.KindAmmunition, Quantity: 1, Ammunition: &a}}}))
	}
	assert.Equal(t, []string{"ammo:539/84/1284"}, ammo(record.Ammunition{HeadstampFactory: "539", HeadstampYear: "84", Lot: "12-84"}))
	assert.Equal(t, []string{"ammo:539/84/1284"}, ammo(record.Ammunition{HeadstampFactory: " 539 ", HeadstampYear: "1984", Lot: "12 84"}))
	assert.Equal(t, []string{"ammo:LVZ/16/7"}, ammo(record.Ammunition{HeadstampFactory: "LVZ", HeadstampYear: "2016", Lot: "№7"}))
	assert.Equal(t, []string{"ammo://12"}, ammo(record.Ammunition{Lot: "12"}))
	assert.Equal(t, []string{"ammo:711/K/3"}, ammo(record.Ammunition{HeadstampFactory: "711", HeadstampYear: "к", Lot: "3"}))
	assert.Nil(t, ammo(record.Ammunition{HeadstampFactory: "539", HeadstampYear: "84"}), "no lot")
	assert.Nil(t, ammo(record.Ammunition{HeadstampFactory: "539", Lot: "—"}), "a lot of signs")
}

func TestOfPeople(t *testing.T) {
	t.Run("name forms give one key", func(t *testing.T) {
		got := Of(person(record.Person{Name: "Ўринов Бахтиёр Рустамович", NameLatin: "URINOV BAKHTIYOR", BirthDate: "1985-03-12", Nationality: "UZ"}))
		assert.Equal(t, []string{"person:bahter_urinuv/1985-03-12", "name:bahter_urinuv"}, ids(got))
		assert.False(t, got[1].Partial)
		assert.Equal(t, "UZ", got[0].Country)
	})
	t.Run("name forms give two keys", func(t *testing.T) {
		got := Of(person(record.Person{Name: "Якубов Шерзод", NameLatin: "YOQUBOV SHERZOD", BirthDate: "1990-01-31"}))
		assert.Equal(t, []string{"person:iakubuv_sherzud/1990-01-31", "name:iakubuv_sherzud", "person:ekubuv_sherzud/1990-01-31", "name:ekubuv_sherzud"}, ids(got))
		assert.Equal(t, "YOQUBOV SHERZOD, 1990-01-31", got[2].Label)
		assert.Equal(t, "", got[2].Country)
	})
	t.Run("no birth date", func(t *testing.T) {
		got := Of(person(record.Person{Name: "Ўринов Бахтиёр"}))
		assert.Equal(t, []string{"name:bahter_urinuv"}, ids(got))
		assert.True(t, got[0].Partial)
	})
	t.Run("invalid birth dates", func(t *testing.T) {
		for _, d := range []string{"1985-02-30", "1985-13-01", "1985-00-00", "12.03.1985", "1985-3-12", "1985", "1700-01-01", "１９８５-03-12"} {
			got := Of(person(record.Person{Name: "Ўринов Бахтиёр", BirthDate: d}))
			assert.Equal(t, []string{"name:bahter_urinuv"}, ids(got), d)
		}
		assert.Len(t, Of(person(record.Person{Name: "Ўринов Бахтиёр", BirthDate: "2000-02-29"})), 2)
		assert.Len(t, Of(person(record.Person{Name: "Ўринов Бахтиёр", BirthDate: "1900-02-29"})), 1)
	})
	t.Run("one word with a birth date", func(t *testing.T) {
		got := Of(person(record.Person{Name: "Бахтиёр", BirthDate: "1985-03-12"}))
		assert.Equal(t, []string{"person:bahter/1985-03-12"}, ids(got))
	})
	t.Run("one word too long for a key", func(t *testing.T) {
		assert.Nil(t, Of(person(record.Person{Name: strings.Repeat("Бахтиёр", 30), BirthDate: "1985-03-12"})))
	})
	t.Run("Uzbek apostrophes", func(t *testing.T) {
		want := ids(Of(person(record.Person{Name: "Oʻrinov Gʻayrat", BirthDate: "1985-03-12"})))
		assert.Equal(t, []string{"person:gairat_urinuv/1985-03-12", "name:gairat_urinuv"}, want)
		for _, n := range []string{"O'rinov G'ayrat", "O‘rinov G‘ayrat", "O’rinov G’ayrat", "O`rinov G`ayrat", "Oʼrinov Gʼayrat",
			"Ўринов Ғайрат", "Уринов Гайрат", "URINOV GAYRAT", "Orinov Gayrat"} {
			assert.Equal(t, want, ids(Of(person(record.Person{Name: n, BirthDate: "1985-03-12"}))), n)
		}
	})
}

func TestOfDocuments(t *testing.T) {
	doc := func(p record.Person) Ident {
		t.Helper()
		list := Of(person(p))
		for _, id := range list {
			if id.Kind == Document {
				return id
			}
		}
		return Ident{}
	}
	for _, tc := range []struct {
		name    string
		p       record.Person
		key     string
		country string
	}{
		{"issuer code", record.Person{DocumentType: "passport", DocumentNumber: "FA 1234567", DocumentIssuer: "UZ", Nationality: "TJ"}, "passport/UZ/FA1234567", "UZ"},
		{"issuer code in lower case", record.Person{DocumentType: "passport", DocumentNumber: "FA1234567", DocumentIssuer: " uz "}, "passport/UZ/FA1234567", "UZ"},
		{"issuer alpha-3", record.Person{DocumentType: "passport", DocumentNumber: "N1234567", DocumentIssuer: "KAZ"}, "passport/KZ/N1234567", "KZ"},
		{"issuer authority: nationality", record.Person{DocumentType: "national_id", DocumentNumber: "045123789", DocumentIssuer: "МВД РК", Nationality: "KZ"}, "national_id/KZ/045123789", "KZ"},
		{"issuer not a country: nationality", record.Person{DocumentType: "passport", DocumentNumber: "AN1234567", DocumentIssuer: "XX", Nationality: "KG"}, "passport/KG/AN1234567", "KG"},
		{"no country", record.Person{DocumentType: "passport", DocumentNumber: "AA1234567"}, "passport//AA1234567", ""},
		{"no type", record.Person{DocumentNumber: "АА 1234567", Nationality: "TJ"}, "doc/TJ/AA1234567", "TJ"},
		{"unknown type", record.Person{DocumentType: "Паспорт", DocumentNumber: "АА 1234567", Nationality: "TJ"}, "doc/TJ/AA1234567", "TJ"},
		{"Cyrillic series", record.Person{DocumentType: "passport", DocumentNumber: "№ ТМ 123456", Nationality: "TM"}, "passport/TM/TM123456", "TM"},
		{"short number", record.Person{DocumentType: "passport", DocumentNumber: "123", Nationality: "TM"}, "", ""},
		{"placeholder number", record.Person{DocumentType: "passport", DocumentNumber: "000000", Nationality: "TM"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := doc(tc.p)
			assert.Equal(t, tc.key, id.Key)
			if tc.key != "" {
				assert.Equal(t, tc.country, id.Country)
				assert.Equal(t, tc.country == "", id.Partial)
			}
		})
	}
}

func TestOfPlates(t *testing.T) {
	for _, tc := range []struct {
		plate, country string
		want           []string
	}{
		{"01 123 АВА", "KZ", []string{"plate:KZ/01123ABA", "plateno:01123ABA"}},
		{"01123ABA", "KZ", []string{"plate:KZ/01123ABA", "plateno:01123ABA"}},
		{"123 ABA 02", "KZ", []string{"plate:KZ/123ABA02", "plateno:123ABA02"}},
		{"01KG 123 ABC", "KG", []string{"plate:KG/01KG123ABC", "plateno:01KG123ABC"}},
		{"01 KG 123 АВС", "kg", []string{"plate:KG/01KG123ABC", "plateno:01KG123ABC"}},
		{"01 A 123 BC", "UZ", []string{"plate:UZ/01A123BC", "plateno:01A123BC"}},
		{"01 А 123 ВС", "UZ", []string{"plate:UZ/01A123BC", "plateno:01A123BC"}},
		{"1234 АА 01", "TJ", []string{"plate:TJ/1234AA01", "plateno:1234AA01"}},
		{"1234AA01", "TJ", []string{"plate:TJ/1234AA01", "plateno:1234AA01"}},
		{"А 123 ВС 77", "RU", []string{"plate:RU/A123BC77", "plateno:A123BC77"}},
		{"AG 1234", "TM", []string{"plate:TM/AG1234", "plateno:AG1234"}},
		{"01 123 ABA", "", []string{"plateno:01123ABA"}},
		{"01 123 ABA", "Kazakhstan", []string{"plateno:01123ABA"}},
		{"A12", "KZ", nil},
		{"б/н", "KZ", nil},
		{"0000", "KZ", nil},
	} {
		got := Of(car(record.Conveyance{Plate: tc.plate, Country: tc.country}))
		assert.Equal(t, tc.want, ids(got), "%q %q", tc.plate, tc.country)
		for _, id := range got {
			assert.Equal(t, "conveyance", id.Entity)
			if id.Kind == PlateNumber {
				assert.Equal(t, id.Country == "", id.Partial, "%q %q", tc.plate, tc.country)
			}
		}
	}
	assert.Equal(t, "01 123 ABA (KZ)", Of(car(record.Conveyance{Plate: "01  123 ABA ", Country: "KZ"}))[0].Label)
	assert.Equal(t, PlateKey("01 123 АВА"), PlateKey("01123aba"))
}

func TestOfVINAndContainer(t *testing.T) {
	got := Of(car(record.Conveyance{VIN: "XTA 21099 0 12345678", Container: "MSKU 123456-7", Country: "RU"}))
	assert.Equal(t, []string{"vin:XTA21099012345678", "container:MSKU1234567"}, ids(got))
	assert.False(t, got[0].Partial)
	assert.True(t, got[1].Partial)

	// Cyrillic look-alikes, and O, I, Q misread for 0, 1 in a 17-character VIN.
	assert.Equal(t, []string{"vin:XTA21099012345678"}, ids(Of(car(record.Conveyance{VIN: "ХТА 21099O I2345678"}))))
	assert.Equal(t, []string{"vin:JTNB11HK903012345"}, ids(Of(car(record.Conveyance{VIN: "jtnb11hk9o3o12345"}))))
	// Too short.
	assert.Nil(t, Of(car(record.Conveyance{VIN: "XTA2109", Container: "ABC"})))
}

func TestOfOrganisations(t *testing.T) {
	rec := &record.Interdiction{PostCode: "UZ-YAL", Organisations: []record.Organisation{
		{Role: "consignor", Name: "ООО «Ташкент Экспорт»", NameLatin: "Tashkent Eksport MChJ", Country: "UZ", Registration: "302 123 456", Phone: "90 123 45 67"},
		{Role: "carrier", Name: `ТОО "Восток-Транзит"`, NameLatin: "Vostok-Tranzit Logistics LLP", Registration: "120540012345"},
	}}
	got := Of(rec)
	assert.Equal(t, []string{
		"org:ekspurt_tashkent", "registration:UZ/302123456", "phone:+998901234567",
		"org:tranzit_vustuk", "org:lugistiks_tranzit_vustuk", "registration:/120540012345",
	}, ids(got))
	assert.Equal(t, "UZ", got[0].Country)
	assert.True(t, got[0].Partial)
	assert.False(t, got[1].Partial)
	assert.True(t, got[5].Partial, "no country")
	assert.Equal(t, "organisations[1]", got[5].Entity)
	assert.Equal(t, "302 123 456 (UZ)", got[1].Label)
}

func TestOfPhones(t *testing.T) {
	phone := func(post string, p record.Person) []string {
		return ofKind(Of(&record.Interdiction{PostCode: post, People: []record.Person{p}}), Phone)
	}
	// The nationality decides.
	assert.Equal(t, []string{"+998901234567"}, phone("KZ-DOS", record.Person{Nationality: "UZ", Phone: "8 90 123 45 67"}))
	assert.Equal(t, []string{"+996555123456"}, phone("KZ-DOS", record.Person{Nationality: "KG", Phone: "0555 123 456"}))
	// Else the post's country.
	assert.Equal(t, []string{"+77012345678"}, phone("KZ-DOS", record.Person{Phone: "8 701 234 56 78"}))
	assert.Equal(t, []string{"+992931234567"}, phone("TJ-DUS", record.Person{Phone: "93 123 4567"}))
	// A Kazakh number of an Uzbek national at a Kazakh post.
	assert.Equal(t, []string{"+77012345678"}, phone("KZ-DOS", record.Person{Nationality: "UZ", Phone: "8 701 234 56 78"}))
	// No way to read it.
	assert.Nil(t, phone("", record.Person{Phone: "8 701 234 56 78"}))
	assert.Nil(t, phone("KZ-DOS", record.Person{Phone: "12"}))

	// The country of the number, not of the person.
	got := Of(&record.Interdiction{PostCode: "KZ-DOS", People: []record.Person{{Nationality: "UZ", Phone: "+7 916 123 45 67"}}})
	require.Len(t, got, 1)
	assert.Equal(t, "RU", got[0].Country)
}

// TestOfDistinct: a record that carries one identifier many times gives
// it once, the first occurrence kept, also past the point where Of keeps a
// set of its keys.
func TestOfDistinct(t *testing.T) {
	rec := &record.Interdiction{PostCode: "KZ-DOS"}
	for i := range 60 {
		rec.Items = append(rec.Items, record.Item{Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{
			Make: "Makarov", Serials: []record.Serial{{Number: fmt.Sprintf("ТЛ%04d", i%40), State: "intact"}},
		}})
	}
	got := Of(rec)
	assert.Len(t, got, 80)
	seen := map[string]bool{}
	for _, k := range ids(got) {
		assert.False(t, seen[k], k)
		seen[k] = true
	}
	assert.Equal(t, "items[0]", find(t, got, Weapon, "makaruv/TL0000").Entity)
	assert.Equal(t, "items[39]", find(t, got, Serial, "TL0039").Entity)
	assert.Equal(t, got, Of(rec))
}

// TestOfKeysWellFormed checks every key of a record full of odd input.
func TestOfKeysWellFormed(t *testing.T) {
	long := strings.Repeat("Ж", 300)
	rec := &record.Interdiction{
		PostCode:   "kz-dos",
		Conveyance: &record.Conveyance{Plate: long + "1", Country: "KZ", VIN: strings.Repeat("1A", 100), Container: "AB:CD 12"},
		People: []record.Person{{Name: long + " " + long, NameLatin: "IVANOV\tIVAN\n", BirthDate: "1985-03-12", DocumentType: "passport",
			DocumentNumber: "AB:1234", DocumentIssuer: "UZ", Phone: "+7 701 234 56 78"}},
		Organisations: []record.Organisation{{Name: strings.Repeat("Восток ", 50), Registration: "12:34:56"}},
		Items: []record.Item{{Kind: record.KindFirearm, Firearm: &record.Firearm{Make: strings.Repeat("Калашников", 20),
			Serials: []record.Serial{{Number: "ХА 672039", State: "intact"}, {Number: long, State: "intact"}}}}},
	}
	got := Of(rec)
	assert.NotEmpty(t, got)
	for _, id := range got {
		assert.True(t, validKey(id.Key), "%s:%q", id.Kind, id.Key)
	}
	assert.Equal(t, "IVANOV IVAN", find(t, got, Name, "ivan_ivanuv").Label)
	assert.Equal(t, "AB:CD 12", find(t, got, Container, "ABCD12").Label)
}

func TestValidKey(t *testing.T) {
	for _, k := range []string{"a", "kalashnikuv/XA672039", "passport//AA1234567", "+77012345678", strings.Repeat("a", 128)} {
		assert.True(t, validKey(k), k)
	}
	for _, k := range []string{"", " ", "a b", "a:b", "a\tb", "ж", "a\x7f", strings.Repeat("a", 129)} {
		assert.False(t, validKey(k), k)
	}
}

func TestLabel(t *testing.T) {
	assert.Equal(t, "Ўринов Бахтиёр", label("Ўринов Бахтиёр"))
	assert.Equal(t, "Ўринов Бахтиёр", label("  Ўринов\u00a0 Бахтиёр\n"))
	assert.Equal(t, "Glock 17 BKRT 512", label("Glock", "", " 17 ", "BKRT  512"))
	assert.Equal(t, "", label("", " "))
}

func TestOfLeavesWitnessesOut(t *testing.T) {
	witness := record.Person{Role: "witness", Name: "Петрова Анна Сергеевна", BirthDate: "1979-04-02",
		DocumentType: "national_id", DocumentNumber: "041234567", Nationality: "KZ", Phone: "+7 701 555 12 34"}
	interpreter := witness
	interpreter.Role = "interpreter"
	assert.Nil(t, Of(&record.Interdiction{PostCode: "KZ-DOS", People: []record.Person{witness, interpreter}}))
	driver := witness
	driver.Role = "driver"
	assert.Len(t, Of(&record.Interdiction{PostCode: "KZ-DOS", People: []record.Person{driver}}), 4, "the same person as a driver: person, name, document, phone")
}

func TestOfPlaceholdersLinkNothing(t *testing.T) {
	for _, typed := range []string{"отсутствует", "без номера", "не установлен", "unknown", "NONE", "спилен", "нет", "б/н"} {
		in := &record.Interdiction{PostCode: "KZ-DOS",
			Conveyance:    &record.Conveyance{Plate: typed, Country: "KZ", VIN: typed, Container: typed},
			People:        []record.Person{{Role: "driver", Name: "Иванов Иван", DocumentType: "passport", DocumentNumber: typed, Nationality: "KZ", Phone: "8 700 000 00 00"}},
			Organisations: []record.Organisation{{Role: "carrier", Name: "ТОО Тест", Registration: typed, Country: "KZ"}},
			Items: []record.Item{{Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{Make: "Калашников",
				Serials: []record.Serial{{Number: typed, State: "intact"}}}}},
		}
		for _, id := range Of(in) {
			assert.Contains(t, []Kind{Name, Organisation}, id.Kind, "%q gave %s:%s", typed, id.Kind, id.Key)
		}
	}
}

func TestOfObliteratedSerialsAreHints(t *testing.T) {
	for _, state := range []string{"obliterated", "partly_obliterated"} {
		got := Of(&record.Interdiction{PostCode: "KZ-DOS", Items: []record.Item{{Kind: record.KindFirearm, Quantity: 1,
			Firearm: &record.Firearm{Make: "Izhmash", Serials: []record.Serial{{Number: "XA 67239", State: state}}}}}})
		require.Len(t, got, 1, state)
		assert.Equal(t, Serial, got[0].Kind)
		assert.True(t, got[0].Partial, "a serial read off an obliterated stamp only suggests")
	}
}
