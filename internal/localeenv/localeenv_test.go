package localeenv

import "testing"

func TestReadable(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"ru_RU.UTF-8", true}, {"kk_KZ", true}, {"tg_TJ.UTF-8", true}, {"en", true}, {"es_419.UTF-8", true}, {"uz-UZ", true},
		{"C.UTF-8", false}, {"c.utf8", false}, {"POSIX.UTF-8", false}, {"posix", false}, {"C@euro", false},
		{"uz_UZ@cyrillic", false}, {"uz_UZ.UTF-8@cyrillic", true}, // the modifier goes with the character set
		{"sr_RS@latin", false}, {"ca_ES@valencia", false}, {"uz@cyrillic", false}, {"", false},
	} {
		if got := Readable(c.v); got != c.want {
			t.Errorf("Readable(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}
