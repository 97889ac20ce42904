package textkey

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"folded already", "o'rinov jasur", "o'rinov jasur"},
		{"Latin case", "IVANOV Ivan", "ivanov ivan"},
		{"Cyrillic case", "ИВАНОВ Иван Иванович", "иванов иван иванович"},
		{"Kazakh letters", "ӘҒҚҢӨҰҮҺІ", "әғқңөұүһі"},
		{"Tajik letters", "ҒӢҚӮҲҶ", "ғӣқӯҳҷ"},
		{"Uzbek Cyrillic letters", "ЎҚҒҲ", "ўқғҳ"},
		{"Turkmen letters", "ŞÜKÜROWA ÄÇŇÖÝŽ", "şükürowa äçňöýž"},
		{"ё", "Ёлкин Фёдор", "елкин федор"},
		{"ё decomposed", "Фе\u0308дор", "федор"},
		{"й decomposed", "Сергеи\u0306", "сергей"},
		{"ş decomposed", "S\u0327ukurowa", "şukurowa"},
		{"turned comma ʻ", "Oʻrinov Gʻafur", "o'rinov g'afur"},
		{"left quote ‘", "O‘rinov", "o'rinov"},
		{"right quote ’", "O’rinov Ma’ruf", "o'rinov ma'ruf"},
		{"modifier apostrophe ʼ", "Oʼrinov", "o'rinov"},
		{"grave accent", "O`rinov", "o'rinov"},
		{"acute accent", "O´rinov", "o'rinov"},
		{"ASCII apostrophe", "O'rinov", "o'rinov"},
		{"white space", "\t Иванов \n\r Иван\u00a0Иванович\u2003 ", "иванов иван иванович"},
		{"invisible characters", "Ива\u200bнов\u00ad\ufeff", "иванов"},
		{"control characters", "Ива\x00нов\x1b", "иванов"},
		{"invalid UTF-8", "Ива\xffнов", "иванов"},
		{"punctuation kept", "Кара-Балта, №12", "кара-балта, №12"},
		{"Turkish dotted I", "İSTANBUL", "istanbul"},
		{"Greek kept", "ΑΘΗΝΑ", "αθηνα"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Fold(tc.in)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, got, Fold(got), "idempotent")
		})
	}
}

func TestFoldDoesNotAllocateWhenFolded(t *testing.T) {
	s := "o'rinov jasur baxtiyorovich"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Fold(s) }))
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" , - ", nil},
		{"o'rinov jasur", []string{"o'rinov", "jasur"}},
		{"'jasur' o'rinov'", []string{"jasur", "o'rinov"}},
		{"''", nil},
		{"кара-балта, 2-й пост", []string{"кара", "балта", "2", "й", "пост"}},
		{"№12 ак-47", []string{"12", "ак", "47"}},
		{"rock'n'roll", []string{"rock'n'roll"}},
		{"oʻrinov gʻafur", []string{"oʻrinov", "gʻafur"}},
		{"е\u0308лкин", []string{"е\u0308лкин"}},
		{"ivanov<<ivan", []string{"ivanov", "ivan"}},
		{"7.62×39", []string{"7", "62", "39"}},
	} {
		assert.Equal(t, tc.want, Words(tc.in), "%q", tc.in)
	}
}

func TestWordsOfFold(t *testing.T) {
	assert.Equal(t, []string{"o'rinov", "jasur", "baxtiyorovich"}, Words(Fold("  OʻRINOV   Jasur\tBaxtiyorovich ")))
}

// TestNFCPlain checks what nfcPlain promises: each of its runes is in NFC by
// itself, has combining class 0, and is not changed by NFC after a letter.
func TestNFCPlain(t *testing.T) {
	for r := rune(0); r <= 0x2FFF; r++ {
		if !nfcPlain(r) || !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		p := norm.NFC.PropertiesString(s)
		require.True(t, norm.NFC.IsNormalString(s), "%U", r)
		require.Zero(t, p.CCC(), "%U", r)
		require.True(t, norm.NFC.IsNormalString("a"+s+"a"), "%U", r)
		require.True(t, norm.NFC.IsNormalString("и"+s+"и"), "%U", r)
	}
}
