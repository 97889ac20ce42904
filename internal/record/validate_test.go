package record_test

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/record"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func final() *record.Interdiction {
	return &record.Interdiction{
		Status:        record.StatusFinal,
		PostCode:      "KG-TOR",
		Officers:      []record.Officer{{Name: "Асанбаев Нурлан"}},
		OccurredAt:    now.Add(-2 * time.Hour),
		CrossingPoint: "Торугарт",
		LocationType:  "road",
		Direction:     "exit",
		Recovery:      "seized",
		LegalBasis:    "illicit_export",
		Detection:     []string{"dog"},
		Transport:     "truck",
		People:        []record.Person{{Role: "driver", Name: "Токтогулов Азамат"}},
		Items: []record.Item{
			{Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{
				Category: "pistol", Calibre: record.Calibre{Code: "9x18"},
				Serials: []record.Serial{{Part: "frame", Number: "ЕМ 4411", State: "intact"}},
			}},
			{Kind: record.KindAmmunition, Quantity: 2, Ammunition: &record.Ammunition{Calibre: record.Calibre{Stamped: "9 мм ПМ"}, Rounds: 32}},
		},
	}
}

// problems returns path → key of every problem found.
func problems(t *testing.T, in *record.Interdiction) map[string]string {
	t.Helper()
	err := in.Validate(now)
	if err == nil {
		return nil
	}
	var errs record.Errors
	require.True(t, errors.As(err, &errs), "want record.Errors, got %T", err)
	out := map[string]string{}
	for _, e := range errs {
		out[e.Path] = e.Key
	}
	return out
}

func TestValidRecordsPass(t *testing.T) {
	assert.Nil(t, problems(t, final()))
	draft := &record.Interdiction{Status: record.StatusDraft, PostCode: "TJ-PAN", OccurredAt: now}
	assert.Nil(t, problems(t, draft), "a draft needs only post and time")
}

func TestValidationProblems(t *testing.T) {
	cases := []struct {
		name   string
		change func(in *record.Interdiction)
		path   string
		key    string
	}{
		{"status missing", func(in *record.Interdiction) { in.Status = "" }, "status", record.ErrRequired},
		{"status unknown", func(in *record.Interdiction) { in.Status = "approved" }, "status", record.ErrUnknownCode},
		{"post code malformed", func(in *record.Interdiction) { in.PostCode = "Torugart" }, "post_code", record.ErrFormat},
		{"post code country unknown", func(in *record.Interdiction) { in.PostCode = "XX-TOR" }, "post_code", record.ErrFormat},
		{"time missing", func(in *record.Interdiction) { in.OccurredAt = time.Time{} }, "occurred_at", record.ErrRequired},
		{"time in the future", func(in *record.Interdiction) { in.OccurredAt = now.Add(11 * time.Minute) }, "occurred_at", record.ErrFuture},
		{"end before start", func(in *record.Interdiction) { e := in.OccurredAt.Add(-time.Minute); in.EndedAt = &e }, "ended_at", record.ErrBeforeStart},
		{"final without officer", func(in *record.Interdiction) { in.Officers = nil }, "officers", record.ErrRequired},
		{"officer without name", func(in *record.Interdiction) { in.Officers[0].Name = " " }, "officers[0].name", record.ErrRequired},
		{"final without crossing point", func(in *record.Interdiction) { in.CrossingPoint = "" }, "crossing_point", record.ErrRequired},
		{"final without detection", func(in *record.Interdiction) { in.Detection = nil }, "detection", record.ErrRequired},
		{"unknown detection", func(in *record.Interdiction) { in.Detection = []string{"dog", "psychic"} }, "detection[1]", record.ErrUnknownCode},
		{"unknown direction", func(in *record.Interdiction) { in.Direction = "sideways" }, "direction", record.ErrUnknownCode},
		{"unknown route country", func(in *record.Interdiction) { in.Route.Transit = []string{"KG", "SU"} }, "route.transit[1]", record.ErrCountry},
		{"GPS out of range", func(in *record.Interdiction) { in.GPS = &record.GPS{Lat: 91, Lon: 74} }, "gps.lat", record.ErrRange},
		{"GPS not a number", func(in *record.Interdiction) { in.GPS = &record.GPS{Lat: 40, Lon: math.NaN()} }, "gps.lon", record.ErrRange},
		{"final without items", func(in *record.Interdiction) { in.Items = nil }, "items", record.ErrNoItems},
		{"item kind unknown", func(in *record.Interdiction) { in.Items[0].Kind = "drone" }, "items[0].kind", record.ErrUnknownCode},
		{"quantity zero", func(in *record.Interdiction) { in.Items[1].Quantity = 0 }, "items[1].quantity", record.ErrRequired},
		{"quantity negative", func(in *record.Interdiction) { in.Items[1].Quantity = -1 }, "items[1].quantity", record.ErrNotPositive},
		{"quantity that overflows the totals", func(in *record.Interdiction) { in.Items[1].Quantity = math.MaxInt64 }, "items[1].quantity", record.ErrRange},
		{"rounds beyond any seizure", func(in *record.Interdiction) { in.Items[1].Ammunition.Rounds = math.MaxInt32 * 4 }, "items[1].ammunition.rounds", record.ErrRange},
		{"rounds negative", func(in *record.Interdiction) { in.Items[1].Ammunition.Rounds = -5 }, "items[1].ammunition.rounds", record.ErrNegative},
		{"details of another kind", func(in *record.Interdiction) { in.Items[0].Part = &record.Part{Type: "barrel"} }, "items[0].part", record.ErrKindMismatch},
		{"final firearm without details", func(in *record.Interdiction) { in.Items[0].Firearm = nil }, "items[0].firearm", record.ErrRequired},
		{"firearm category unknown", func(in *record.Interdiction) { in.Items[0].Firearm.Category = "blaster" }, "items[0].firearm.category", record.ErrUnknownCode},
		{"final firearm without category", func(in *record.Interdiction) { in.Items[0].Firearm.Category = "" }, "items[0].firearm.category", record.ErrRequired},
		{"final firearm without calibre", func(in *record.Interdiction) { in.Items[0].Firearm.Calibre = record.Calibre{} }, "items[0].firearm.calibre", record.ErrRequired},
		{"calibre code unknown", func(in *record.Interdiction) { in.Items[0].Firearm.Calibre.Code = "7.62x99" }, "items[0].firearm.calibre.code", record.ErrUnknownCode},
		{"final firearm without serial", func(in *record.Interdiction) { in.Items[0].Firearm.Serials = nil }, "items[0].firearm.serials", record.ErrTraceSerial},
		{"intact serial without number", func(in *record.Interdiction) { in.Items[0].Firearm.Serials[0].Number = "" }, "items[0].firearm.serials[0].number", record.ErrRequired},
		{"serial state unknown", func(in *record.Interdiction) { in.Items[0].Firearm.Serials[0].State = "scratched" }, "items[0].firearm.serials[0].state", record.ErrUnknownCode},
		{"serial part unknown", func(in *record.Interdiction) { in.Items[0].Firearm.Serials[0].Part = "handle" }, "items[0].firearm.serials[0].part", record.ErrUnknownCode},
		{"manufacture country unknown", func(in *record.Interdiction) { in.Items[0].Firearm.CountryMarked = "USSR" }, "items[0].firearm.country_marked", record.ErrCountry},
		{"year before firearms", func(in *record.Interdiction) { in.Items[0].Firearm.Year = 1500 }, "items[0].firearm.year", record.ErrRange},
		{"final ammunition without calibre", func(in *record.Interdiction) { in.Items[1].Ammunition.Calibre = record.Calibre{} }, "items[1].ammunition.calibre", record.ErrRequired},
		{"explosive weight negative", func(in *record.Interdiction) {
			in.Items = append(in.Items, record.Item{Kind: record.KindExplosive, Quantity: 1, Explosive: &record.Explosive{Type: "tnt", WeightGrams: -200}})
		}, "items[2].explosive.weight_grams", record.ErrNegative},
		{"final other item without description", func(in *record.Interdiction) {
			in.Items = append(in.Items, record.Item{Kind: record.KindOther, Quantity: 1})
		}, "items[2].description", record.ErrRequired},
		{"person without role", func(in *record.Interdiction) { in.People = []record.Person{{Name: "Токтогулов"}} }, "people[0].role", record.ErrRequired},
		{"birth date malformed", func(in *record.Interdiction) {
			in.People = []record.Person{{Role: "driver", Name: "Токтогулов", BirthDate: "17.05.1984"}}
		}, "people[0].birth_date", record.ErrFormat},
		{"birth date in the future", func(in *record.Interdiction) {
			in.People = []record.Person{{Role: "driver", Name: "Токтогулов", BirthDate: "2030-01-01"}}
		}, "people[0].birth_date", record.ErrFuture},
		{"nationality unknown", func(in *record.Interdiction) {
			in.People = []record.Person{{Role: "driver", Name: "Токтогулов", Nationality: "Kyrgyz"}}
		}, "people[0].nationality", record.ErrCountry},
		{"photo hash malformed", func(in *record.Interdiction) { in.Photos = []record.Photo{{SHA256: "abc"}} }, "photos[0].sha256", record.ErrFormat},
		{"photo of an unknown item", func(in *record.Interdiction) {
			in.Photos = []record.Photo{{SHA256: "a3f1c9b0e2d4f6a8b0c2e4f6a8b0c2e4f6a8b0c2e4f6a8b0c2e4f6a8b0c2e4f6", Item: uuid.New()}}
		}, "photos[0].item", record.ErrUnknownItem},
		{"two items of one id", func(in *record.Interdiction) {
			in.Items[0].ID = uuid.New()
			in.Items = append(in.Items, in.Items[0])
		}, "items[2].id", record.ErrDuplicateID},
		{"custody without receiver", func(in *record.Interdiction) {
			in.Custody = []record.CustodyEvent{{From: "Асанбаев", At: now}}
		}, "custody[0].to", record.ErrRequired},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := final()
			c.change(in)
			got := problems(t, in)
			assert.Equal(t, c.key, got[c.path], "all problems: %v", got)
		})
	}
}

func TestClockSkewIsAllowed(t *testing.T) {
	in := final()
	in.OccurredAt = now.Add(9 * time.Minute)
	assert.Nil(t, problems(t, in))
}

func TestObliteratedOrAbsentSerialIsTraceReady(t *testing.T) {
	for _, state := range []string{"obliterated", "none"} {
		in := final()
		in.Items[0].Firearm.Serials = []record.Serial{{State: state}}
		assert.Nil(t, problems(t, in), state)
	}
}

func TestDraftIsCheckedForFormNotCompleteness(t *testing.T) {
	in := final()
	in.Status = record.StatusDraft
	in.Items[0].Firearm.Serials = nil
	in.CrossingPoint = ""
	in.Items[1].Ammunition.Calibre = record.Calibre{}
	assert.Nil(t, problems(t, in))
	in.Items[1].Quantity = -3
	assert.Equal(t, map[string]string{"items[1].quantity": record.ErrNotPositive}, problems(t, in))
}

func TestNormalizeTidiesWhatPeopleType(t *testing.T) {
	in := final()
	in.PostCode = " kg-tor "
	in.Route.Destination = "ru"
	in.Items[0].Firearm.Serials = []record.Serial{{Number: " 12345 "}}
	in.Normalize()
	assert.Equal(t, "KG-TOR", in.PostCode)
	assert.Equal(t, "RU", in.Route.Destination)
	assert.Equal(t, record.Serial{Number: "12345", State: "intact"}, in.Items[0].Firearm.Serials[0])
	assert.Nil(t, problems(t, in))
}

func TestErrorsCarryKeysAndPositions(t *testing.T) {
	in := final()
	in.Items[1].Quantity = -1
	err := in.Validate(now)
	var errs record.Errors
	require.ErrorAs(t, err, &errs)
	prefixed := errs.Prefix("[4]")
	assert.Equal(t, "[4].items[1].quantity", prefixed[0].Path)
	assert.Equal(t, "items[1].quantity", errs[0].Path, "Prefix does not change the original")
	assert.Equal(t, []any{"field", "[4].items[1].quantity", "value", -1}, prefixed[0].MessageArgs())
	var fe *record.FieldError
	require.ErrorAs(t, error(prefixed), &fe)
	assert.Equal(t, record.ErrNotPositive, fe.MessageKey())
}

func TestVocabulariesAreStableCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range record.Vocabularies {
		assert.False(t, seen[v.Name], "duplicate vocabulary %s", v.Name)
		seen[v.Name] = true
		codes := map[string]bool{}
		for _, c := range v.Codes {
			assert.Regexp(t, `^[a-z0-9_]+$`, c, "%s code", v.Name)
			assert.False(t, codes[c], "%s: duplicate code %s", v.Name, c)
			codes[c] = true
		}
	}
	for _, want := range []string{"7.62x39", "5.45x39", "5.56x45", "7.62x54r", "7.62x25", "9x18", "9x19", "12.7x108", "14.5x114", "12ga", "16ga", "20ga", "40mm_vog25", "40mm_pg7", "82mm_mortar"} {
		_, ok := record.LookupCalibre(want)
		assert.True(t, ok, want)
	}
	for _, c := range record.LightWeaponCategories {
		assert.True(t, record.FirearmCategories.Has(c), c)
	}
	assert.True(t, record.IsCountry("KZ"))
	assert.True(t, record.IsCountry("TM"))
	assert.False(t, record.IsCountry("SU"))
	assert.False(t, record.IsCountry("kz"))
}

func TestHashIsStableAcrossJSON(t *testing.T) {
	in := final()
	in.ID = uuid.MustParse("0b6f8c52-8a58-4b59-9d4e-3f3a8a1f2c11")
	h1, err := in.Hash()
	require.NoError(t, err)
	b, err := json.Marshal(in)
	require.NoError(t, err)
	var back record.Interdiction
	require.NoError(t, json.Unmarshal(b, &back))
	h2, err := back.Hash()
	require.NoError(t, err)
	assert.Equal(t, h1, h2)
	back.Items[0].Firearm.Serials[0].Number = "ЕМ 4412"
	h3, _ := back.Hash()
	assert.NotEqual(t, h1, h3)
}

func TestItemHelpers(t *testing.T) {
	in := final()
	pieces, rounds := in.Counts()
	assert.Equal(t, 1, pieces, "2 boxes of cartridges are not pieces")
	assert.Equal(t, 32, rounds)
	assert.Equal(t, "pistol", in.Items[0].Category())
	assert.Equal(t, "ammunition", in.Items[1].Category())
	assert.Equal(t, "part.barrel", (&record.Item{Kind: record.KindPart, Part: &record.Part{Type: "barrel"}}).Category())
	assert.Equal(t, "9×18mm Makarov", in.Items[0].CalibreOf().Label())
	assert.Equal(t, "9 мм ПМ", in.Items[1].CalibreOf().Label())
	in.AssignIDs("device-A")
	assert.NotEqual(t, uuid.Nil, in.ID)
	assert.NotEqual(t, uuid.Nil, in.Items[1].ID)
}

func TestFormatDocListsEveryCode(t *testing.T) {
	doc, err := os.ReadFile("../../docs/record-json.md")
	require.NoError(t, err)
	for _, v := range record.Vocabularies {
		if v.Name == "item_kind" || v.Name == "status" {
			continue
		}
		for _, c := range v.Codes {
			assert.Contains(t, string(doc), "`"+c+"`", "%s code missing from docs/record-json.md", v.Name)
		}
	}
	for _, c := range record.Calibres {
		assert.Contains(t, string(doc), "`"+c.Code+"`", "calibre missing from docs/record-json.md")
	}
}

func TestTextThatCannotBeShownOrCarriedIsRefused(t *testing.T) {
	serial := func(in *record.Interdiction) *string { return &in.Items[0].Firearm.Serials[0].Number }
	cases := []struct {
		name   string
		change func(in *record.Interdiction)
		path   string
		key    string
	}{
		{"a 10,000-character serial", func(in *record.Interdiction) { *serial(in) = strings.Repeat("7", 10000) },
			"items[0].firearm.serials[0].number", record.ErrTooLong},
		{"a NUL in a name", func(in *record.Interdiction) { in.Officers[0].Name = "Асанбаев\x00Нурлан" }, "officers[0].name", record.ErrBadChar},
		{"a line break in a serial", func(in *record.Interdiction) { *serial(in) = "ЕМ\n4411" },
			"items[0].firearm.serials[0].number", record.ErrBadChar},
		{"a right-to-left override in a serial", func(in *record.Interdiction) { *serial(in) = "ЕМ \u202e1144" },
			"items[0].firearm.serials[0].number", record.ErrBadChar},
		{"a direction isolate in a plate", func(in *record.Interdiction) { in.Conveyance = &record.Conveyance{Plate: "01\u2067KG123"} },
			"conveyance.plate", record.ErrBadChar},
		{"letters lost to a wrong encoding", func(in *record.Interdiction) { in.Narrative = "\ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd" },
			"narrative", record.ErrBadChar},
		{"an escape character in the narrative", func(in *record.Interdiction) { in.Narrative = "ok\x1b[31m" }, "narrative", record.ErrBadChar},
		{"a narrative of a whole book", func(in *record.Interdiction) { in.Narrative = strings.Repeat("Оружие. ", 3000) }, "narrative", record.ErrTooLong},
		{"a name of 201 letters", func(in *record.Interdiction) {
			in.People = []record.Person{{Role: "driver", Name: strings.Repeat("Ж", 201)}}
		}, "people[0].name", record.ErrTooLong},
		{"another post's number", func(in *record.Interdiction) { in.Number = "KZ-KHO-2026-0001" }, "number", record.ErrFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := final()
			c.change(in)
			assert.Equal(t, map[string]string{c.path: c.key}, problems(t, in))
		})
	}
	in := final()
	in.Narrative = "Строка первая.\n\tСтрока вторая.\r\n" + strings.Repeat("ж", record.MaxNarrative-40)
	in.Number = "KG-TOR-2026-0042"
	*serial(in) = strings.Repeat("Ж", record.MaxIdentifier)
	assert.Nil(t, problems(t, in), "line breaks in a narrative, and text at its cap, are fine")

	long := final()
	long.Direction = strings.Repeat("x", 1<<20)
	err := long.Validate(now)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 200, "a message never quotes a huge value whole")
}

func TestRecordIDsNameTheirDevice(t *testing.T) {
	id := record.NewID("device-A")
	assert.Equal(t, uuid.Version(8), id.Version())
	assert.Equal(t, uuid.RFC4122, id.Variant())
	assert.NotEqual(t, id, record.NewID("device-A"), "random beyond the device's tag")
	assert.Equal(t, record.IDOfDevice, record.BindingOf(id, "device-A"))
	assert.Equal(t, record.IDOfOther, record.BindingOf(id, "device-B"))
	assert.Equal(t, record.IDUnbound, record.BindingOf(uuid.New(), "device-A"), "IDs made before are bound to none")
	parsed, err := uuid.Parse(id.String())
	require.NoError(t, err)
	assert.Equal(t, record.IDOfDevice, record.BindingOf(parsed, "device-A"), "the binding survives the text form")
}

// A final seizure names whom it was taken from, or says why it cannot, as
// an obliterated serial says why there is no number.
func TestASeizureNamesWhomOrSaysWhyNot(t *testing.T) {
	witness := record.Person{Role: "witness", Name: "Исаев Бакыт"}
	cases := []struct {
		name   string
		change func(in *record.Interdiction)
		want   string // the problem with no_person, "" for none
	}{
		{"a driver", func(in *record.Interdiction) {}, ""},
		{"no one", func(in *record.Interdiction) { in.People = nil }, record.ErrNoPerson},
		{"only a witness", func(in *record.Interdiction) { in.People = []record.Person{witness} }, record.ErrNoPerson},
		{"no one, and why", func(in *record.Interdiction) { in.People, in.NoPerson = nil, "fled" }, ""},
		{"a consignor company", func(in *record.Interdiction) {
			in.People = nil
			in.Organisations = []record.Organisation{{Role: "consignor", Name: "ТОО «Арай»"}}
		}, ""},
		{"found, not seized", func(in *record.Interdiction) { in.People, in.Recovery = nil, "found" }, ""},
		{"a draft", func(in *record.Interdiction) { in.People, in.Status = nil, record.StatusDraft }, ""},
		{"a reason not in the list", func(in *record.Interdiction) { in.People, in.NoPerson = nil, "escaped" }, record.ErrUnknownCode},
		{"a reason, and a driver named", func(in *record.Interdiction) { in.NoPerson = "fled" }, record.ErrNoPersonNamed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := final()
			c.change(in)
			assert.Equal(t, c.want, problems(t, in)["no_person"])
		})
	}
}

// A record of schema 1, as a bundle of a post that runs the previous
// version declares it, is checked by the rules of schema 1: a seizure that
// names no one is final, and the field schema 2 added is refused.
func TestARecordIsCheckedByTheRulesOfItsSchema(t *testing.T) {
	in := final()
	in.People = nil
	assert.Nil(t, in.ValidateSchema(now, 1))
	assert.Equal(t, record.ErrNoPerson, problems(t, in)["no_person"])
	in.NoPerson = "fled"
	var errs record.Errors
	require.ErrorAs(t, in.ValidateSchema(now, 1), &errs)
	assert.Equal(t, "no_person", errs[0].Path)
	assert.Equal(t, record.ErrNotInSchema, errs[0].Key)
}

// A phone, of a person or of an organisation, when given, reads as a
// telephone number: at most record.MaxPhone characters, at least
// record.MinPhoneDigits digits, and only digits, spaces and + - ( ) .
func TestAPhoneReadsAsATelephoneNumber(t *testing.T) {
	cases := []struct {
		phone string
		want  string // the problem, "" for none
	}{
		{"", ""},
		{"+7 (701) 555-12-34", ""},
		{"+998.90.123.45.67", ""},
		{"8 3712 55 12 34", ""},
		{"0(312)62-12-12", ""},
		{"12345", ""},
		{"+996 555 123 456 (доб. 12)", record.ErrPhone}, // letters
		{"1234", record.ErrPhone},                       // four digits
		{"+7 (   ) -- . .", record.ErrPhone},            // no digits
		{"+7 701 555 12 34 ext. 5", record.ErrPhone},
		{"+7 701 555 12 34, +7 702 555 12 34", record.ErrPhone}, // a comma
		{"+7/701/5551234", record.ErrPhone},
		{"+7\u00a0701\u00a05551234", record.ErrPhone}, // a no-break space
		{"+7 701 555 12 34\n", record.ErrPhone},
		{"+７ ７０１ ５５５ １２ ３４", record.ErrPhone}, // full-width digits
		{"٠١٢٣٤٥٦٧", record.ErrPhone},         // Arabic-Indic digits
		{strings.Repeat("1", record.MaxPhone), ""},
		{strings.Repeat("1", record.MaxPhone+1), record.ErrPhone},
		{"+7 (701) 555-12-34 " + strings.Repeat("0", 14), record.ErrPhone}, // 33 characters
	}
	for _, c := range cases {
		t.Run(c.phone, func(t *testing.T) {
			assert.Equal(t, c.want == "", record.ValidPhone(c.phone) || c.phone == "")
			in := final()
			in.People[0].Phone = c.phone
			in.Organisations = []record.Organisation{{Role: "carrier", Name: "ОсОО «Ала-Тоо Транс»", Phone: c.phone}}
			got := problems(t, in)
			assert.Equal(t, c.want, got["people[0].phone"], "the person's")
			assert.Equal(t, c.want, got["organisations[0].phone"], "the organisation's")
			delete(got, "people[0].phone")
			delete(got, "organisations[0].phone")
			assert.Empty(t, got, "only the phone is a problem")
		})
	}
}

// A phone that is refused is quoted in the message, and a draft is held
// to the same rule.
func TestAPhoneProblemSaysWhatWasGiven(t *testing.T) {
	in := &record.Interdiction{Status: record.StatusDraft, PostCode: "TJ-PAN", OccurredAt: now,
		People: []record.Person{{Role: "driver", Name: "Раҳимов Фаррух", Phone: "спросить у брата"}}}
	var errs record.Errors
	require.ErrorAs(t, in.Validate(now), &errs)
	require.Len(t, errs, 1)
	assert.Equal(t, "people[0].phone", errs[0].Path)
	assert.Equal(t, record.ErrPhone, errs[0].Key)
	assert.Equal(t, []any{"field", "people[0].phone", "value", "спросить у брата"}, errs[0].MessageArgs())
}

// Normalize trims the spaces around a phone, and keeps those inside it.
func TestNormalizeTrimsPhones(t *testing.T) {
	in := final()
	in.People[0].Phone = "  +996 (555) 12-34-56 \t"
	in.Organisations = []record.Organisation{{Role: "carrier", Name: "ОсОО «Ала-Тоо Транс»", Phone: " 0312 62 12 12 "}}
	in.Normalize()
	assert.Equal(t, "+996 (555) 12-34-56", in.People[0].Phone)
	assert.Equal(t, "0312 62 12 12", in.Organisations[0].Phone)
	assert.Nil(t, problems(t, in))
}

// A phone is a field of schema 3: a record of schema 1 or 2, as a bundle
// of a post that runs an earlier version declares it, may not hold one,
// however well it reads; one that reads badly is refused for that first.
func TestAPhoneIsRefusedInARecordOfAnEarlierSchema(t *testing.T) {
	cases := []struct {
		name   string
		schema int
		set    func(in *record.Interdiction, phone string)
		path   string
		phone  string
		want   string
	}{
		{"a person's, schema 1", 1, func(in *record.Interdiction, p string) { in.People[0].Phone = p }, "people[0].phone", "+7 701 555 12 34", record.ErrNotInSchema},
		{"a person's, schema 2", 2, func(in *record.Interdiction, p string) { in.People[0].Phone = p }, "people[0].phone", "+7 701 555 12 34", record.ErrNotInSchema},
		{"a person's, schema 3", 3, func(in *record.Interdiction, p string) { in.People[0].Phone = p }, "people[0].phone", "+7 701 555 12 34", ""},
		{"an organisation's, schema 2", 2, func(in *record.Interdiction, p string) {
			in.Organisations = []record.Organisation{{Role: "carrier", Name: "ТОО «Жетісу Транс»", Phone: p}}
		}, "organisations[0].phone", "+7 727 250 00 00", record.ErrNotInSchema},
		{"an organisation's, schema 3", 3, func(in *record.Interdiction, p string) {
			in.Organisations = []record.Organisation{{Role: "carrier", Name: "ТОО «Жетісу Транс»", Phone: p}}
		}, "organisations[0].phone", "+7 727 250 00 00", ""},
		{"a bad one, schema 2", 2, func(in *record.Interdiction, p string) { in.People[0].Phone = p }, "people[0].phone", "none", record.ErrNotInSchema},
		{"a bad one, schema 3", 3, func(in *record.Interdiction, p string) { in.People[0].Phone = p }, "people[0].phone", "none", record.ErrPhone},
		{"none, schema 1", 1, func(in *record.Interdiction, p string) {}, "people[0].phone", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := final()
			c.set(in, c.phone)
			err := in.ValidateSchema(now, c.schema)
			if c.want == "" {
				assert.NoError(t, err)
				return
			}
			var errs record.Errors
			require.ErrorAs(t, err, &errs)
			require.Len(t, errs, 1, "%v", err)
			assert.Equal(t, c.path, errs[0].Path)
			assert.Equal(t, c.want, errs[0].Key)
			if c.want == record.ErrNotInSchema {
				assert.Equal(t, []any{"field", c.path, "schema", strconv.Itoa(c.schema)}, errs[0].MessageArgs())
			}
		})
	}
	assert.NoError(t, final().ValidateSchema(now, record.SchemaVersion), "Validate is ValidateSchema of the current schema")
	assert.Equal(t, 3, record.SchemaVersion)
}

// A phone field takes no more than a phone may hold.
func TestTextCapOfAPhone(t *testing.T) {
	assert.Equal(t, record.MaxPhone, record.TextCap("people[3].phone"))
	assert.Equal(t, record.MaxPhone, record.TextCap("organisations[0].phone"))
}
