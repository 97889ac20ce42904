package record

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Change is a field whose value differs between two versions of a record,
// by its JSON path ("conveyance.plate", "items[1].quantity"); Old or New is
// "" where the field was empty or absent.
type Change struct {
	Path, Old, New string
}

// Diff lists the fields that differ from a to b, by path, leaving out what
// every new version changes anyway (version, number of saves).
func Diff(a, b *Interdiction) ([]Change, error) {
	fa, err := flatten(a)
	if err != nil {
		return nil, err
	}
	fb, err := flatten(b)
	if err != nil {
		return nil, err
	}
	var out []Change
	for path := range union(fa, fb) {
		if path == "version" {
			continue
		}
		if fa[path] != fb[path] {
			out = append(out, Change{Path: path, Old: fa[path], New: fb[path]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func union(a, b map[string]string) map[string]bool {
	u := make(map[string]bool, len(a)+len(b))
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// flatten is the record's JSON form as path → value, one entry per scalar.
func flatten(in *Interdiction) (map[string]string, error) {
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("compare record: %w", err)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // numbers as written, never 1e+06
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("compare record: %w", err)
	}
	out := map[string]string{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case nil:
		default:
			s := strings.TrimSpace(fmt.Sprint(x))
			if s != "" && s != "false" && s != "0" {
				out[path] = s
			}
		}
	}
	walk("", v)
	return out, nil
}
