package i18n

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Translator renders messages, errors, dates and numbers in one language.
// Get one from [Catalog.For]; it is immutable and safe for concurrent use.
// The zero value, and a nil *Translator, translate nothing: T returns the
// key, and formats are English.
type Translator struct {
	lang     string
	msgs     map[string]message // this language
	fallback map[string]message // Default, for keys this language lacks
}

// Message is implemented by errors that can be shown in the user's
// language. [Translator.Error] renders such an error as
// T(MessageKey(), MessageArgs()...).
type Message interface {
	error
	// MessageKey returns the catalog key of the message, such as
	// "err.field_required".
	MessageKey() string
	// MessageArgs returns name/value pairs for the message's placeholders,
	// as for [Translator.T].
	MessageArgs() []any
}

// maxDepth bounds the nesting of errors within errors (as wrapped errors
// or as placeholder values), so that a cyclic error cannot hang the UI.
const maxDepth = 32

// Lang returns the language code of t, one of [Languages].
func (t *Translator) Lang() string {
	if t == nil || t.lang == "" {
		return Default
	}
	return t.lang
}

// lookup finds key in t's language, then in the fallback. It returns the
// message and the language its text is in.
func (t *Translator) lookup(key string) (message, string, bool) {
	if t == nil {
		return message{}, "", false
	}
	if m, ok := t.msgs[key]; ok {
		return m, t.Lang(), true
	}
	if m, ok := t.fallback[key]; ok {
		return m, Default, true
	}
	return message{}, "", false
}

// T returns the message key with its placeholders filled from args, which
// are name/value pairs: T("err.field_required", "field", "items[0].kind").
//
// Values are formatted with fmt's %v, except that integers and floats get
// the language's digit grouping and decimal separator (so pass identifiers
// and years as strings), and an error value is localized as by
// [Translator.Error]. A placeholder without a value stays as {name}; values
// without a placeholder are ignored. A key missing in t's language is taken
// from English, and a key missing there too is returned as it is; numbers
// are formatted for t's language either way. T on a plural message is N
// with the integer given as "count", so that no count escapes the plural
// rules; without one it uses the "other" form.
func (t *Translator) T(key string, args ...any) string {
	return t.render(key, 0, false, args, 0)
}

// asInt is an integer argument's value.
func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case int32:
		return int(n), true
	case uint64:
		return int(n), true
	case uint32:
		return int(n), true
	}
	return 0, false
}

// N returns the plural message key in the form that the language's CLDR
// cardinal rule chooses for n, with {count} set to n (formatted as a
// number) and the other placeholders filled from args as in T. If the
// message falls back to English, so does the rule. N on a plain string
// message formats that string.
func (t *Translator) N(key string, n int, args ...any) string {
	return t.render(key, n, true, args, 0)
}

// render implements T and N; depth counts the errors being localized
// around this message.
func (t *Translator) render(key string, n int, counted bool, args []any, depth int) string {
	for i := 0; !counted && i+1 < len(args); i += 2 {
		// A count given as an argument is worded by the plural rule, in
		// messages and errors alike.
		if argName(args[i]) == "count" {
			n, counted = asInt(args[i+1])
		}
	}
	m, lang, ok := t.lookup(key)
	if !ok {
		return key
	}
	f := m.forms[catOther]
	if counted && m.plural {
		if g, ok := m.forms[PluralCategory(lang, n)]; ok {
			f = g
		}
	}
	return f.tpl.render(func(name string) (string, bool) {
		if counted && name == "count" {
			return t.Number(int64(n)), true
		}
		for i := 0; i+1 < len(args); i += 2 {
			if argName(args[i]) == name {
				return t.formatValue(args[i+1], depth), true
			}
		}
		return "", false
	})
}

// argName returns the placeholder name an argument stands for.
func argName(a any) string {
	if s, ok := a.(string); ok {
		return s
	}
	return fmt.Sprint(a)
}

// formatValue formats one placeholder value in t's language.
func (t *Translator) formatValue(v any, depth int) string {
	switch x := v.(type) {
	case string:
		return x
	case error:
		if depth >= maxDepth {
			return fmt.Sprint(x)
		}
		return t.errorText(x, depth+1)
	case fmt.Stringer, fmt.Formatter:
		return fmt.Sprint(x)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return t.group(strconv.FormatInt(rv.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return t.group(strconv.FormatUint(rv.Uint(), 10))
	case reflect.Float32:
		return t.float(rv.Float(), 32)
	case reflect.Float64:
		return t.float(rv.Float(), 64)
	}
	return fmt.Sprint(v)
}

// Error returns err in t's language, or "" for nil.
//
// An error that is a [Message], or wraps one (as found by errors.As), is
// shown as that message; the English context of the wrappers around it is
// left out. An error tree (errors.Join, or any error with Unwrap() []error)
// is shown one line per branch, each branch localized on its own. A branch
// with no Message anywhere in it is shown as its Error() text, and so is a
// Message whose key is in no catalog.
func (t *Translator) Error(err error) string {
	if err == nil {
		return ""
	}
	return t.errorText(err, 0)
}

// errorText implements Error at a nesting depth.
func (t *Translator) errorText(err error, depth int) string {
	return strings.Join(t.errorLines(err, depth), "\n")
}

// errorLines returns the localized lines of err.
func (t *Translator) errorLines(err error, depth int) []string {
	var target Message
	if depth >= maxDepth || !errors.As(err, &target) {
		return []string{fmt.Sprint(err)}
	}
	if m, ok := messageOf(err); ok {
		if _, _, found := t.lookup(m.MessageKey()); !found {
			return []string{fmt.Sprint(err)}
		}
		return []string{t.render(m.MessageKey(), 0, false, m.MessageArgs(), depth)}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		var lines []string
		for _, e := range u.Unwrap() {
			if e != nil {
				lines = append(lines, t.errorLines(e, depth+1)...)
			}
		}
		return lines
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return t.errorLines(e, depth+1)
		}
	}
	return []string{fmt.Sprint(err)}
}

// messageOf returns err itself as a Message, without unwrapping, also when
// err converts to one through an As method.
func messageOf(err error) (Message, bool) {
	if m, ok := err.(Message); ok {
		return m, true
	}
	if a, ok := err.(interface{ As(any) bool }); ok {
		var m Message
		if a.As(&m) && m != nil {
			return m, true
		}
	}
	return nil, false
}

// Date formats the date of tm as the language writes it: 2006-01-02 (ISO
// 8601) in English and 02.01.2006 in every other language; the package
// documentation explains the choice.
func (t *Translator) Date(tm time.Time) string {
	return tm.Format(t.dateLayout())
}

// DateTime formats tm as [Translator.Date] followed by a space and the
// 24-hour time HH:MM.
func (t *Translator) DateTime(tm time.Time) string {
	return tm.Format(t.dateLayout() + " 15:04")
}

// dateLayout returns the time layout of a date in t's language.
func (t *Translator) dateLayout() string {
	if t.Lang() == "en" {
		return "2006-01-02"
	}
	return "02.01.2006"
}

// Number formats n with the language's digit grouping: 1,234,567 in
// English and 1 234 567, grouped with a no-break space U+00A0, in every
// other language.
func (t *Translator) Number(n int64) string {
	return t.group(strconv.FormatInt(n, 10))
}

// separators returns the digit group and decimal separators of t's language.
func (t *Translator) separators() (group, decimal string) {
	if t.Lang() == "en" {
		return ",", "."
	}
	return "\u00A0", ","
}

// group inserts group separators into digits, an optionally signed
// decimal integer.
func (t *Translator) group(digits string) string {
	sep, _ := t.separators()
	sign := ""
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	if len(digits) <= 3 {
		return sign + digits
	}
	var b strings.Builder
	b.WriteString(sign)
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// float formats f in the shortest form that reads back as the same value,
// with the language's grouping and decimal separator.
func (t *Translator) float(f float64, bits int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, bits)
	}
	s := strconv.FormatFloat(f, 'f', -1, bits)
	whole, frac, hasFrac := strings.Cut(s, ".")
	whole = t.group(whole)
	if !hasFrac {
		return whole
	}
	_, dec := t.separators()
	return whole + dec + frac
}
