package idkey

import "github.com/kordon/kordon/internal/record"

// sampleRecord is a realistic record: a car at a Kazakh post with a driver
// and a passenger, a carrier, three firearms, a frame and a lot of
// cartridges.
func sampleRecord() *record.Interdiction {
	return &record.Interdiction{
		PostCode: "KZ-DOS",
		Conveyance: &record.Conveyance{
			Description: "Toyota Camry", Plate: "123 АВА 02", Country: "KZ", VIN: "JTNB11HK903012345",
		},
		People: []record.Person{
			{Role: "driver", Name: "Ўринов Бахтиёр Рустамович", NameLatin: "URINOV BAKHTIYOR", BirthDate: "1985-03-12",
				Nationality: "UZ", DocumentType: "passport", DocumentNumber: "FA 1234567", DocumentIssuer: "UZ", Phone: "+998 90 123-45-67"},
			{Role: "passenger", Name: "Жұмабеков Ерлан", NameLatin: "ZHUMABEKOV YERLAN", BirthDate: "1990-11-02",
				Nationality: "KZ", DocumentType: "national_id", DocumentNumber: "045123789", DocumentIssuer: "МВД РК", Phone: "8 701 234 56 78"},
		},
		Organisations: []record.Organisation{
			{Role: "carrier", Name: "ТОО «Восток-Транзит»", NameLatin: "Vostok-Tranzit LLP", Country: "KZ", Registration: "120 540 012 345", Phone: "8 (7172) 55-12-34"},
		},
		Items: []record.Item{
			{Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{Category: "assault_rifle", Make: "Калашников", Model: "АКМ",
				Serials: []record.Serial{{Part: "receiver", Number: "ХА 672039", State: "intact"}}}},
			{Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{Category: "pistol", Make: "Makarov", Model: "PM",
				Serials: []record.Serial{{Part: "frame", Number: "ТЛ 1953", State: "intact"}, {Part: "slide", Number: "ТЛ1953", State: "intact"}}}},
			{Kind: record.KindFirearm, Quantity: 1, Firearm: &record.Firearm{Category: "pistol", Make: "Glock", Model: "17",
				Serials: []record.Serial{{Part: "frame", Number: "BKRT 512", State: "partly_obliterated"}}}},
			{Kind: record.KindPart, Quantity: 1, Part: &record.Part{Type: "barrel", Make: "Izhmash",
				Serials: []record.Serial{{Part: "barrel", Number: "XA672039", State: "intact"}}}},
			{Kind: record.KindAmmunition, Quantity: 2, Ammunition: &record.Ammunition{Rounds: 60,
				HeadstampFactory: "539", HeadstampYear: "1984", Lot: "12-84"}},
		},
	}
}
