package i18n

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// form is one text of a message: its source as written in the catalog and
// its compiled template.
type form struct {
	raw string
	tpl template
}

// message is one catalog entry. A plain string is stored as its only form,
// under "other", so that T and N can treat both kinds alike.
type message struct {
	plural bool
	forms  map[string]form
}

// Catalog holds the messages of every language, loaded once by [Load]. It
// is never modified afterwards, so it is safe for concurrent use.
type Catalog struct {
	langs       map[string]map[string]message
	translators map[string]*Translator
}

// Load reads every <code>.json file at the root of fsys, where code is one
// of [Languages]; other files and directories are ignored. en.json must be
// there, since every other language falls back to it; the others may be
// missing (see [Catalog.Has]).
//
// Load is strict. Each of these is an error naming the file and, where
// there is one, the key: invalid JSON or UTF-8, a byte order mark, a top
// level that is not an object, a duplicated key or plural category, a key
// that is not dot-separated ASCII words, a value that is neither a string
// nor a plural object, an empty text, an unknown plural category, a plural
// object without "other", a malformed placeholder, and a <code>.json whose
// code is not supported. All problems found are returned together.
func Load(fsys fs.FS) (*Catalog, error) {
	if fsys == nil {
		return nil, errors.New("i18n: load catalogs: no file system given")
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("i18n: load catalogs: %w", err)
	}
	c := &Catalog{langs: make(map[string]map[string]message)}
	var problems []error
	sawDefault := false
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".json" {
			continue
		}
		code := strings.TrimSuffix(name, ".json")
		if !isSupported(code) {
			problems = append(problems, unknownFileError(name, code))
			continue
		}
		sawDefault = sawDefault || code == Default
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", name, err))
			continue
		}
		msgs, errs := parseCatalog(name, data)
		if len(errs) > 0 {
			problems = append(problems, errs...)
			continue
		}
		c.langs[code] = msgs
	}
	if !sawDefault {
		problems = append(problems, fmt.Errorf("%s.json: missing; it is the fallback of every other language", Default))
	}
	switch len(problems) {
	case 0:
	case 1:
		return nil, fmt.Errorf("i18n: load catalogs: %w", problems[0])
	default:
		return nil, fmt.Errorf("i18n: load catalogs: %d problems:\n%w", len(problems), errors.Join(problems...))
	}
	c.translators = make(map[string]*Translator, len(c.langs))
	for code, msgs := range c.langs {
		c.translators[code] = &Translator{lang: code, msgs: msgs, fallback: c.langs[Default]}
	}
	return c, nil
}

// unknownFileError explains why name is not a catalog of a supported language.
func unknownFileError(name, code string) error {
	hint := ""
	if m := Match(code); m != Default || strings.EqualFold(code, Default) {
		hint = fmt.Sprintf(" (did you mean %s.json?)", m)
	}
	return fmt.Errorf("%s: unknown language code %q%s; catalogs are named after one of: %s",
		name, code, hint, strings.Join(supported[:], ", "))
}

// Has reports whether the catalog holds a file for the language code lang,
// which must be spelt exactly as in [Languages].
func (c *Catalog) Has(lang string) bool {
	if c == nil {
		return false
	}
	_, ok := c.langs[lang]
	return ok
}

// Keys returns the sorted keys of the catalog of the language code lang
// (spelt as in [Languages]), or nil if there is none.
func (c *Catalog) Keys(lang string) []string {
	if c == nil {
		return nil
	}
	msgs, ok := c.langs[lang]
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(msgs))
	for k := range msgs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// For returns the translator for [Match](lang). When the catalog has no
// file for that language, it returns the [Default] translator, so that
// text, dates and numbers are never mixed from two languages. Missing keys
// fall back to English and then to the key itself.
func (c *Catalog) For(lang string) *Translator {
	if c != nil {
		if t, ok := c.translators[Match(lang)]; ok {
			return t
		}
		if t, ok := c.translators[Default]; ok {
			return t
		}
	}
	return &Translator{lang: Default}
}

// parseCatalog parses one catalog file. It returns every problem it finds,
// each naming file and key; the messages are only meaningful without them.
func parseCatalog(file string, data []byte) (map[string]message, []error) {
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		return nil, []error{fmt.Errorf("%s: starts with a byte order mark; save it as UTF-8 without BOM", file)}
	}
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		line, col := position(data, off)
		return nil, []error{fmt.Errorf("%s: invalid UTF-8 at line %d, column %d; save it as UTF-8", file, line, col)}
	}
	p := &parser{file: file, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	msgs := p.parse()
	return msgs, p.problems
}

// parser reads a catalog token by token, so that it can report duplicate
// keys and several problems at once.
type parser struct {
	file     string
	data     []byte
	dec      *json.Decoder
	key      string // the key being read, for error messages
	problems []error
}

// errSyntax stops parsing a file whose JSON cannot be read any further.
var errSyntax = errors.New("invalid JSON")

// token returns the next JSON token, recording a syntax error if there is one.
func (p *parser) token() (json.Token, error) {
	tok, err := p.dec.Token()
	if err == nil {
		return tok, nil
	}
	off := p.dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	line, col := position(p.data, off)
	where := ""
	if p.key != "" {
		where = fmt.Sprintf(" (in or after key %q)", p.key)
	}
	p.problems = append(p.problems, fmt.Errorf("%s: %w at line %d, column %d%s: %w",
		p.file, errSyntax, line, col, where, err))
	return nil, errSyntax
}

// fail records a problem with the current key.
func (p *parser) fail(format string, args ...any) {
	p.problems = append(p.problems, fmt.Errorf("%s: key %q: %s", p.file, p.key, fmt.Sprintf(format, args...)))
}

// failErr records a problem with the current key that has an underlying error.
func (p *parser) failErr(err error) {
	p.problems = append(p.problems, fmt.Errorf("%s: key %q: %w", p.file, p.key, err))
}

// parse reads the whole file.
func (p *parser) parse() map[string]message {
	tok, err := p.token()
	if err != nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		p.problems = append(p.problems, fmt.Errorf("%s: the top level must be a JSON object of key: message, not %s",
			p.file, describe(tok)))
		return nil
	}
	msgs := make(map[string]message)
	for p.dec.More() {
		tok, err := p.token()
		if err != nil {
			return nil
		}
		p.key, _ = tok.(string) // object keys are always strings
		if err := checkKey(p.key); err != nil {
			p.failErr(err)
		}
		_, dup := msgs[p.key]
		if dup {
			p.fail("appears more than once")
		}
		m, ok, err := p.value()
		if err != nil {
			return nil
		}
		if ok && !dup {
			msgs[p.key] = m
		}
	}
	if _, err := p.token(); err != nil { // the closing brace
		return nil
	}
	end := p.dec.InputOffset()
	if rest := bytes.TrimLeft(p.data[end:], " \t\r\n"); len(rest) > 0 {
		line, col := position(p.data, int64(len(p.data)-len(rest)))
		p.problems = append(p.problems, fmt.Errorf("%s: unexpected data after the top-level object at line %d, column %d",
			p.file, line, col))
	}
	return msgs
}

// value reads the value of the current key. ok is false when the value was
// rejected (and a problem recorded); err is set only on a syntax error.
func (p *parser) value() (m message, ok bool, err error) {
	tok, err := p.token()
	if err != nil {
		return message{}, false, err
	}
	switch v := tok.(type) {
	case string:
		f, ok := p.text(v, "")
		if !ok {
			return message{}, false, nil
		}
		return message{forms: map[string]form{catOther: f}}, true, nil
	case json.Delim:
		if v == '{' {
			return p.plural()
		}
		if err := p.skip(); err != nil {
			return message{}, false, err
		}
	}
	p.fail("the value is %s; want a string or a plural object such as "+
		`{"one": "{count} record", "other": "{count} records"}`, describe(tok))
	return message{}, false, nil
}

// plural reads a plural object after its opening brace.
func (p *parser) plural() (message, bool, error) {
	m := message{plural: true, forms: make(map[string]form)}
	ok := true
	for p.dec.More() {
		tok, err := p.token()
		if err != nil {
			return message{}, false, err
		}
		cat, _ := tok.(string)
		tok, err = p.token()
		if err != nil {
			return message{}, false, err
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			if d == '{' || d == '[' {
				if err := p.skip(); err != nil {
					return message{}, false, err
				}
			}
		}
		switch _, dup := m.forms[cat]; {
		case !isCategory(cat):
			p.fail("unknown plural category %q; the categories are zero, one, two, few, many and other", cat)
			ok = false
			continue
		case dup:
			p.fail("plural category %q appears more than once", cat)
			ok = false
			continue
		}
		s, isString := tok.(string)
		if !isString {
			p.fail("plural category %q is %s; want a string", cat, describe(tok))
			ok = false
			continue
		}
		f, good := p.text(s, cat)
		if !good {
			ok = false
			continue
		}
		m.forms[cat] = f
	}
	if _, err := p.token(); err != nil { // the closing brace
		return message{}, false, err
	}
	if _, has := m.forms[catOther]; ok && !has {
		p.fail(`plural object has no "other" form, which every language needs`)
		ok = false
	}
	return m, ok, nil
}

// text checks and compiles one text; cat names its plural category, if any.
func (p *parser) text(s, cat string) (form, bool) {
	in := ""
	if cat != "" {
		in = fmt.Sprintf("plural category %q: ", cat)
	}
	if strings.TrimSpace(s) == "" {
		p.fail("%sthe text is empty; remove the key instead, so that English is shown", in)
		return form{}, false
	}
	tpl, err := parseTemplate(s)
	if err != nil {
		if cat != "" {
			err = fmt.Errorf("plural category %q: %w", cat, err)
		}
		p.failErr(err)
		return form{}, false
	}
	return form{raw: s, tpl: tpl}, true
}

// skip consumes the rest of an array or object whose opening delimiter has
// just been read.
func (p *parser) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
		}
	}
	return nil
}

// describe names the kind of a JSON token for error messages.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

// checkKey reports whether key is dot-separated words of ASCII letters,
// digits, '_' and '-', such as "enum.firearm_category.assault_rifle".
func checkKey(key string) error {
	if key == "" {
		return errors.New("the key is empty")
	}
	for _, word := range strings.Split(key, ".") {
		if word == "" {
			return errors.New("the key has an empty part between dots")
		}
		for i := 0; i < len(word); i++ {
			if c := word[i]; !isNameByte(c) && c != '-' {
				return fmt.Errorf("the key has the character %q; keys are dot-separated ASCII letters, digits, _ and -",
					firstRune(word[i:]))
			}
		}
	}
	return nil
}

// firstRune returns the first character of s.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// invalidUTF8Offset returns the offset of the first invalid UTF-8 in data.
func invalidUTF8Offset(data []byte) int64 {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return int64(i)
		}
		i += size
	}
	return int64(len(data))
}

// position turns a byte offset into a 1-based line and column (in characters).
func position(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	col = utf8.RuneCount(before[lineStart:]) + 1
	return line, col
}
