// Package localeenv hides, while packages initialise, a locale setting no
// language tag can be read from ("C.UTF-8", "POSIX.UTF-8", the defaults of
// services, containers and CI), so that the desktop toolkit, which reads the
// locale as it initialises, does not log an error on every command. It
// imports nothing that could initialise after the toolkit, so it runs
// first; Restore puts the environment back before the program starts.
package localeenv

import (
	"os"
	"strings"
)

// vars are the locale settings the toolkit reads, in its order.
var vars = []string{"LC_ALL", "LC_MESSAGES", "LANG"}

// hidden holds the settings changed, to restore.
var hidden = map[string]string{}

func init() {
	for _, name := range vars {
		v, ok := os.LookupEnv(name)
		if !ok || v == "" {
			continue
		}
		if Unreadable(v) {
			hidden[name] = v
			os.Setenv(name, "C") // the toolkit's own way of saying "no locale"
		}
		return // the first one set is the one that counts
	}
}

// Unreadable reports whether a locale setting names no language: the C or
// POSIX locale with a character set or modifier, such as "C.UTF-8".
func Unreadable(v string) bool {
	lang, _, _ := strings.Cut(v, ".")
	lang, _, _ = strings.Cut(lang, "@")
	return (lang == "C" || lang == "POSIX") && v != lang
}

// Restore puts back what init hid; programs started later (a PDF viewer)
// see the environment as it was.
func Restore() {
	for name, v := range hidden {
		os.Setenv(name, v)
	}
}
