package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"unicode"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of the JSON documents this package parses;
// none of them goes deeper than a few levels.
const maxJSONDepth = 8

var (
	hex64RE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	keyIDRE = regexp.MustCompile(`^[0-9a-f]{16}$`)
	tokenRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)
	uuidRE  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// shape describes the exact layout of a JSON document this package reads:
// an object with exactly the named fields (all required), an array of
// elements of one shape, or, for a nil *shape, a scalar that is not null.
type shape struct {
	fields map[string]*shape // object fields; used when array is false
	array  bool
	elem   *shape // element shape when array is true
}

// object returns the shape of an object with exactly these fields.
func object(fields map[string]*shape) *shape { return &shape{fields: fields} }

// arrayOf returns the shape of an array of elements of shape elem.
func arrayOf(elem *shape) *shape { return &shape{array: true, elem: elem} }

// decodeStrict decodes the single JSON document in data into v after
// checking it against s: valid UTF-8, exactly the fields s names at every
// level (same case, none missing, none extra, none twice), no nulls,
// nesting no deeper than maxJSONDepth, and nothing after the document.
func decodeStrict(data []byte, s *shape, v any) error {
	if !utf8.Valid(data) {
		return errors.New("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := walk(dec, s, 1); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON document")
	}
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// walk reads one value of shape s from dec.
func walk(dec *json.Decoder, s *shape, depth int) error {
	if depth > maxJSONDepth {
		return errors.New("nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return errors.New("null value")
	}
	d, isDelim := tok.(json.Delim)
	switch {
	case s == nil:
		if isDelim {
			return fmt.Errorf("unexpected %v where a single value belongs", d)
		}
		return nil
	case s.array:
		if !isDelim || d != '[' {
			return errors.New("expected an array")
		}
		for dec.More() {
			if err := walk(dec, s.elem, depth+1); err != nil {
				return err
			}
		}
		_, err := dec.Token() // ']'
		return err
	}
	if !isDelim || d != '{' {
		return errors.New("expected an object")
	}
	seen := make(map[string]bool, len(s.fields))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := tok.(string)
		sub, known := s.fields[k]
		switch {
		case !known:
			return fmt.Errorf("unknown field %q", k)
		case seen[k]:
			return fmt.Errorf("duplicate field %q", k)
		}
		seen[k] = true
		if err := walk(dec, sub, depth+1); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(s.fields)) {
		if !seen[k] {
			return fmt.Errorf("missing field %q", k)
		}
	}
	return nil
}

// validText reports whether s is a short, printable, single-line text of
// 1..max characters with no surrounding spaces, as names in key files are.
func validText(s string, max int) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return false
		}
	}
	return s[0] != ' ' && s[len(s)-1] != ' '
}
