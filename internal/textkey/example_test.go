package textkey_test

import (
	"fmt"

	"github.com/kordon/kordon/internal/textkey"
)

func ExampleFold() {
	fmt.Println(textkey.Fold("  ЁҚУБОВ   Oʻrinov  "))
	// Output: еқубов o'rinov
}

func ExampleLatin() {
	for _, name := range []string{"Ўринов", "Oʻrinov", "O'rinov", "Urinov"} {
		fmt.Println(textkey.Latin(name))
	}
	fmt.Println(textkey.Latin("Қасымов") == textkey.Latin("Qasymov"))
	fmt.Println(textkey.Latin("Шукурова") == textkey.Latin("Şükürowa"))
	// Output:
	// urinuv
	// urinuv
	// urinuv
	// urinuv
	// true
	// true
}

func ExampleSerial() {
	fmt.Println(textkey.Serial("АК 12-345")) // Cyrillic А and К
	fmt.Println(textkey.Serial("No. ak12345"))
	// Output:
	// AK12345
	// AK12345
}

func ExampleWords() {
	fmt.Printf("%q\n", textkey.Words(textkey.Fold("Oʻrinov, Kara-Balta")))
	// Output: ["o'rinov" "kara" "balta"]
}
