package textkey

import "testing"

// benchNames are typical values of the name fields of one record.
var benchNames = []string{
	"Ўринов Жасур Бахтиёрович", "Oʻrinov Jasur Baxtiyorovich",
	"Жұмабеков Ерлан", "ŞÜKÜROWA Jeren", "Иванов Иван Иванович",
	"Жалал-Абад", "Khujand", "IVANOV<<IVAN",
}

// benchSerials are typical identifiers of one record.
var benchSerials = []string{
	"АК 12-345", "AK12345", "No. 1953 МР", "01 А 123 ВС", "MSKU 123456-7",
	"ГЛ-1234", "7.62×39mm",
}

func BenchmarkLatin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchNames {
			_ = Latin(s)
		}
	}
}

func BenchmarkSerial(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchSerials {
			_ = Serial(s)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchNames {
			_ = Fold(s)
		}
	}
}

func BenchmarkWords(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range benchNames {
			_ = Words(s)
		}
	}
}
