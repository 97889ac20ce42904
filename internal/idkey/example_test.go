package idkey_test

import (
	"fmt"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/record"
)

func ExampleOf() {
	in := &record.Interdiction{
		PostCode:   "KZ-DOS",
		Conveyance: &record.Conveyance{Plate: "01 123 АВА", Country: "KZ"},
		People:     []record.Person{{Name: "Ўринов Бахтиёр", BirthDate: "1985-03-12", Nationality: "UZ", Phone: "8 701 234 56 78"}},
		Items: []record.Item{{Kind: record.KindFirearm, Firearm: &record.Firearm{Make: "Калашников", Model: "АКМ",
			Serials: []record.Serial{{Number: "ХА 672039", State: "intact"}}}}},
	}
	for _, id := range idkey.Of(in) {
		fmt.Printf("%s:%s %q partial=%v\n", id.Kind, id.Key, id.Label, id.Partial)
	}
	// Output:
	// plate:KZ/01123ABA "01 123 АВА (KZ)" partial=false
	// plateno:01123ABA "01 123 АВА" partial=false
	// person:bahter_urinuv/1985-03-12 "Ўринов Бахтиёр, 1985-03-12" partial=false
	// name:bahter_urinuv "Ўринов Бахтиёр" partial=false
	// phone:+77012345678 "8 701 234 56 78" partial=false
	// weapon:kalashnikuv/XA672039 "Калашников АКМ ХА 672039" partial=false
	// serial:XA672039 "Калашников АКМ ХА 672039" partial=false
}

func ExampleNameKey() {
	fmt.Println(idkey.NameKey("Ўринов Бахтиёр Рустамович"))
	fmt.Println(idkey.NameKey("Bakhtiyor Urinov"))
	fmt.Println(idkey.NameKey("Urinov Baxtiyor Rustam oʻgʻli"))
	fmt.Printf("%q\n", idkey.NameKey("Бахтиёр"))
	// Output:
	// bahter_urinuv
	// bahter_urinuv
	// bahter_urinuv
	// ""
}

func ExampleOrgKey() {
	fmt.Println(idkey.OrgKey(`«ТОО "Восток-Транзит"»`))
	fmt.Println(idkey.OrgKey("Vostok-Tranzit LLP"))
	// Output:
	// tranzit_vustuk
	// tranzit_vustuk
}

func ExamplePhoneE164() {
	fmt.Println(idkey.PhoneE164("8 701 234 56 78", "KZ"))
	fmt.Println(idkey.PhoneE164("0555 123 456", "KG"))
	fmt.Println(idkey.PhoneE164("8 65 123456", "TM"))
	fmt.Printf("%q\n", idkey.PhoneE164("8 701 234 56 78", ""))
	// Output:
	// +77012345678
	// +996555123456
	// +99365123456
	// ""
}

func ExamplePlateKey() {
	fmt.Println(idkey.PlateKey("01 123 АВА")) // Cyrillic А and В
	fmt.Println(idkey.PlateKey("01123aba"))
	// Output:
	// 01123ABA
	// 01123ABA
}
