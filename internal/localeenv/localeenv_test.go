package localeenv

import "testing"

func TestUnreadable(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"C.UTF-8", true}, {"C.utf8", true}, {"POSIX.UTF-8", true}, {"C@euro", true},
		{"C", false}, {"POSIX", false}, // the toolkit reads these as "none" already
		{"ru_RU.UTF-8", false}, {"kk_KZ", false}, {"uz_UZ.UTF-8@cyrillic", false}, {"", false},
	} {
		if got := Unreadable(c.v); got != c.want {
			t.Errorf("Unreadable(%q) = %v, want %v", c.v, got, c.want)
		}
	}
}
