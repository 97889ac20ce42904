package i18n

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// part is one piece of a compiled message: literal text, or a placeholder
// when name is not empty.
type part struct {
	text string // literal text with "{{" and "}}" already unescaped
	name string // placeholder name; empty for literal text
}

// template is a message split into literal text and placeholders.
type template []part

// isNameByte reports whether c may appear in a placeholder name.
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// scanPlaceholder looks at s[i], which is '{' or '}', and reports what is
// there: a literal brace written twice (width 2, name empty, ok), a
// placeholder (width covering "{name}", its name, ok), or a malformed
// brace (ok false).
func scanPlaceholder(s string, i int) (width int, name string, ok bool) {
	if i+1 < len(s) && s[i+1] == s[i] {
		return 2, "", true
	}
	if s[i] == '}' {
		return 0, "", false
	}
	j := i + 1
	for j < len(s) && isNameByte(s[j]) {
		j++
	}
	if j == i+1 || j >= len(s) || s[j] != '}' {
		return 0, "", false
	}
	return j + 1 - i, s[i+1 : j], true
}

// parseTemplate compiles msg, or reports the first malformed brace in it.
func parseTemplate(msg string) (template, error) {
	var (
		tpl template
		lit strings.Builder
	)
	flush := func() {
		if lit.Len() > 0 {
			tpl = append(tpl, part{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(msg); {
		c := msg[i]
		if c != '{' && c != '}' {
			lit.WriteByte(c)
			i++
			continue
		}
		width, name, ok := scanPlaceholder(msg, i)
		switch {
		case !ok:
			return nil, malformedError(msg, i)
		case name == "":
			lit.WriteByte(c)
		default:
			flush()
			tpl = append(tpl, part{name: name})
		}
		i += width
	}
	flush()
	return tpl, nil
}

// malformedError describes the malformed brace at byte i of msg.
func malformedError(msg string, i int) error {
	at := utf8.RuneCountInString(msg[:i]) + 1
	if msg[i] == '}' {
		return fmt.Errorf("malformed placeholder: unmatched '}' at character %d of %q "+
			"(write }} for a literal brace)", at, msg)
	}
	end := strings.IndexByte(msg[i:], '}')
	if end < 0 || end > 40 {
		end = min(len(msg)-i, 40)
	} else {
		end++
	}
	snippet := strings.ToValidUTF8(msg[i:i+end], "")
	return fmt.Errorf("malformed placeholder %q at character %d of %q "+
		"(a placeholder is {name} with ASCII letters, digits and _; write {{ for a literal brace)",
		snippet, at, msg)
}

// Placeholders returns the sorted set of placeholder names in msg, without
// braces: Placeholders("{count} of {total}, {count}") is ["count", "total"].
// Escaped braces ("{{", "}}") are not placeholders, and malformed ones are
// skipped. It returns nil when msg has no placeholder.
func Placeholders(msg string) []string {
	var names []string
	for i := 0; i < len(msg); {
		if msg[i] != '{' && msg[i] != '}' {
			i++
			continue
		}
		width, name, ok := scanPlaceholder(msg, i)
		if !ok {
			i++
			continue
		}
		if name != "" {
			names = append(names, name)
		}
		i += width
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// render writes tpl with each placeholder replaced by value(name); a
// placeholder without a value stays as {name}.
func (tpl template) render(value func(name string) (string, bool)) string {
	var b strings.Builder
	for _, p := range tpl {
		if p.name == "" {
			b.WriteString(p.text)
			continue
		}
		if v, ok := value(p.name); ok {
			b.WriteString(v)
			continue
		}
		b.WriteByte('{')
		b.WriteString(p.name)
		b.WriteByte('}')
	}
	return b.String()
}
