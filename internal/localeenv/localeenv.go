// Package localeenv hides, while packages initialise, locale settings no
// language tag can be read from ("C.UTF-8", "uz_UZ@cyrillic", the defaults
// of services, containers and CI), so that the desktop toolkit, which reads
// the locale as it initialises, does not log an error on every command. It
// imports nothing that could initialise after the toolkit, so it runs
// first; Restore puts the environment back before the program starts, and
// Kordon reads the settings as they were (uz_UZ@cyrillic is its Uzbek in
// Cyrillic).
package localeenv

import (
	"os"
	"strings"
)

// vars are the locale settings the toolkit reads, in its order; the first
// one set counts, and LANGUAGE (a list) is read only when that is not C.
var vars = []string{"LC_ALL", "LC_MESSAGES", "LANG"}

// hidden holds the settings changed, to restore; present means it was set.
var hidden = map[string]string{}

func init() {
	for _, name := range vars {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if v == "C" || v == "POSIX" {
			return // the toolkit reads these as "no locale"
		}
		if !Readable(v) {
			hide(name, "C")
			return
		}
		break
	}
	for _, l := range strings.Split(os.Getenv("LANGUAGE"), ":") {
		if l != "" && !Readable(l) {
			hide("LANGUAGE", "")
			return
		}
	}
}

func hide(name, with string) {
	hidden[name] = os.Getenv(name)
	if with == "" {
		os.Unsetenv(name)
	} else {
		os.Setenv(name, with)
	}
}

// Readable reports whether the toolkit can read a language tag from a
// locale setting as it reads one: the character set after "." dropped, the
// rest split at "_" or "-" into a language of two or three letters and an
// optional territory of two letters or three digits.
func Readable(v string) bool {
	v, _, _ = strings.Cut(v, ".")
	lang, territory, _ := strings.Cut(strings.ReplaceAll(v, "-", "_"), "_")
	return all(lang, isLetter) && len(lang) >= 2 && len(lang) <= 3 &&
		(territory == "" || len(territory) == 2 && all(territory, isLetter) || len(territory) == 3 && all(territory, isDigit))
}

func all(s string, f func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !f(s[i]) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// Restore puts back what init hid; programs started later (a PDF viewer)
// see the environment as it was.
func Restore() {
	for name, v := range hidden {
		os.Setenv(name, v)
	}
}
