package idkey

import "testing"

// BenchmarkOf measures Of on a realistic record (sampleRecord: a driver
// and a passenger with documents and phones, a car with plate and VIN, a
// carrier, three firearms, a part and a lot of cartridges).
func BenchmarkOf(b *testing.B) {
	rec := sampleRecord()
	n := len(Of(rec))
	b.ReportAllocs()
	for b.Loop() {
		_ = Of(rec)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "idents/s")
}

func BenchmarkNameKey(b *testing.B) {
	names := []string{"Ўринов Бахтиёр Рустамович", "URINOV BAKHTIYOR", "Жұмабеков Ерлан", "Urinov Baxtiyor Rustam oʻgʻli"}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			_ = NameKey(n)
		}
	}
}

func BenchmarkPhoneE164(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = PhoneE164("8 701 234 56 78", "KZ")
		_ = PhoneE164("+998 90 123-45-67", "UZ")
	}
}
