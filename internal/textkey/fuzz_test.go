package textkey

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are the seed inputs of every fuzz target: names of the region in
// both scripts, identifiers, and text that tests the edges (decomposed
// letters, invisible and control characters, invalid UTF-8).
var fuzzSeeds = []string{
	"", " ", "Иванов", "Ivanov", "Қасымов", "Qasymov", "Ўринов", "Oʻrinov",
	"O'rinov", "Şükürowa", "Жумабеков", "Äliýew", "Ёқубов", "Yoqubov",
	"Хрущёв", "Ивaнов", "Pеtrov", "IVANOV<<IVAN", "Жалал-Абад", "АК 12-345",
	"No. 123456", "Nº55", "ＡＫ－４７", "Фе\u0308дор", "S\u200b\u0327",
	"J\u030c", "Ива\xffнов", "\x00\t\n", "zhkhghdjngie", "sshchch", "yoyuye",
	"ьъ'’ʻ`´", "İSTANBUL", "ᾼ", "ﬃ",
}

func FuzzLatin(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Latin(s)
		if !isLatinKey(k) {
			t.Fatalf("Latin(%q) = %q: not lower-case ASCII words", s, k)
		}
		if k2 := Latin(k); k2 != k {
			t.Fatalf("Latin(%q) = %q, but Latin(%[2]q) = %q", s, k, k2)
		}
		if kf := Latin(Fold(s)); kf != k {
			t.Fatalf("Latin(%[1]q) = %[2]q, but Latin(Fold(%[1]q)) = %[3]q", s, k, kf)
		}
	})
}

func FuzzSerial(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Serial(s)
		for i := 0; i < len(k); i++ {
			if c := k[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				t.Fatalf("Serial(%q) = %q: not A-Z0-9", s, k)
			}
		}
		if k2 := Serial(k); k2 != k {
			t.Fatalf("Serial(%q) = %q, but Serial(%[2]q) = %q", s, k, k2)
		}
	})
}

func FuzzFold(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Fold(s)
		if !utf8.ValidString(k) {
			t.Fatalf("Fold(%q) = %q: invalid UTF-8", s, k)
		}
		if k != strings.TrimSpace(k) || strings.Contains(k, "  ") || strings.ContainsAny(k, "\t\n\r") {
			t.Fatalf("Fold(%q) = %q: white space not folded", s, k)
		}
		if k2 := Fold(k); k2 != k {
			t.Fatalf("Fold(%q) = %q, but Fold(%[2]q) = %q", s, k, k2)
		}
		for _, w := range Words(k) {
			if w == "" || strings.ContainsRune(w, ' ') || strings.HasPrefix(w, "'") || strings.HasSuffix(w, "'") {
				t.Fatalf("Words(%q) has %q", k, w)
			}
		}
	})
}
