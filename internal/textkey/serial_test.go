package textkey

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSerial(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"key already", "AK12345", "AK12345"},
		{"Cyrillic look-alikes", "АК 12-345", "AK12345"},
		{"Cyrillic lower case", "ак12345", "AK12345"},
		{"all look-alikes", "АВЕКМНОРСТУХ авекмнорстух", "ABEKMHOPCTYXABEKMHOPCTYX"},
		{"Latin lower case and separators", "ak-12 345", "AK12345"},
		{"dots and slashes", "12.34/56\\78", "12345678"},
		{"number sign №", "№ 123456", "123456"},
		{"number sign No.", "No. 123456", "123456"},
		{"number sign No and a digit", "No 123456", "123456"},
		{"number sign Nr.", "Nr.4471", "4471"},
		{"number sign N°", "N° 55", "55"},
		{"number sign Nº", "Nº55", "55"},
		{"number sign #", "#ЕН4471", "EH4471"},
		{"NO as the serial's own letters", "NO123", "NO123"},
		{"No followed by letters", "No AK", "NOAK"},
		{"No at the end", "AK No", "AKNO"},
		{"No inside a serial", "ANo. 5", "ANO5"},
		{"plate", "01 А 123 ВС", "01A123BC"},
		{"other Cyrillic letters", "ГЛ-1234", "GL1234"},
		{"Ж and Я", "ЖД 12 Я", "ZHD12IA"},
		{"hard and soft signs dropped", "ЪЬ1", "1"},
		{"Ё as Е", "Ё12", "E12"},
		{"Kazakh letters with a tail", "ҚҢҲ", "KHX"},
		{"Kazakh and Tajik letters", "ӘҒӨҮҰҺІӢӮҶЎ", "AGOYYHIIYCHY"},
		{"Latin with diacritics", "ŞÇÖÜ-ß", "SCOUSS"},
		{"fullwidth", "ＡＫ－４７", "AK47"},
		{"Arabic-Indic digits", "٤٧", "47"},
		{"calibre", "7.62×39mm", "76239MM"},
		{"invalid UTF-8", "AK\xff47", "AK47"},
		{"other scripts dropped", "ΑΚ47", "47"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Serial(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, got, Serial(got), "idempotent")
		})
	}
}

// TestSerialSame checks identifiers that must give one key.
func TestSerialSame(t *testing.T) {
	for _, group := range [][]string{
		{"АК 12-345", "AK12345", "ak 12 345", "AK-12-345", "№ АК12345"},
		{"ЕН 4471", "EH4471", "ен-4471", "No. EH 4471"},
		{"ТО 7702", "TO7702", "то7702"},
		{"КА 1953 МР", "KA1953MP"},
		{"ВХ 0056", "BX0056", "вх-0056"},
		{"123 ҚАЗ 02", "123KAZ02", "123 КАЗ 02"},
		{"MSKU 123456-7", "MSKU1234567", "МSКU 1234567"},
	} {
		want := Serial(group[0])
		for _, s := range group[1:] {
			assert.Equal(t, want, Serial(s), "%q and %q", group[0], s)
		}
	}
}

// TestSerialDifferent checks that different identifiers do not meet.
func TestSerialDifferent(t *testing.T) {
	for _, tc := range [][2]string{
		{"AK12345", "AK12346"},
		{"ГЛ1234", "ГД1234"},
		{"O123", "0123"},
		{"I123", "1123"},
		{"AK47", "AK74"},
	} {
		assert.NotEqual(t, Serial(tc[0]), Serial(tc[1]), "%q and %q", tc[0], tc[1])
	}
}

func TestSerialDoesNotAllocateForAKey(t *testing.T) {
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Serial("AK12345") }))
}
