package record_test

// Test vectors of the record's canonical JSON form (docs/canonical-form.md),
// after filippo.io/age's testkit: committed bytes that this and any other
// implementation must reproduce exactly. testdata/vectors/vectors.json
// lists them with their schema version and hash. The vectors of a released
// schema version are never edited: a change of the JSON form is a new
// SchemaVersion with new vectors beside the old ones.

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kordon/kordon/internal/record"
)

var updateShape = flag.Bool("update", false,
	"write testdata/vectors/shape-vN.txt for a NEW record.SchemaVersion N; an existing shape file is never rewritten")

const vectorDir = "testdata/vectors"

// frozenVectors are the SHA-256 of the files of released schema versions.
// They never change: a vector that no longer passes means the code broke
// the format, not that the vector needs regenerating.
var frozenVectors = map[string]string{
	"record-full.json":       "7968df1dba00d1b0be66ca535d334bd399672465675398bdd3b1532b76ebaa91",
	"record-minimal.json":    "f04aed7fab93c04d8cad71c6399a302a73bad369a17c976231877475b56dd284",
	"record-edge.json":       "ee3b263405843a0ff30ea2f670ddc76929f642d4b33dd3f6269e8761a5c0faa8",
	"shape-v1.txt":           "cd73c121806ef75205ac254db036f881c2c04122b5c6806965f30230fd834b76",
	"record-v2-edge.json":    "ee3b263405843a0ff30ea2f670ddc76929f642d4b33dd3f6269e8761a5c0faa8",
	"record-v2-full.json":    "7968df1dba00d1b0be66ca535d334bd399672465675398bdd3b1532b76ebaa91",
	"record-v2-minimal.json": "f04aed7fab93c04d8cad71c6399a302a73bad369a17c976231877475b56dd284",
	"record-v2-nobody.json":  "b5c0d2166d1738ac39d88244cbec64f6491242dbccb8e2fd3b3ad8a7804eaaca",
	"shape-v2.txt":           "e8c76c3de92e884dbce8202fa2ca0020ffb00e154f71890270dfbfd6e8bc0770",
	"record-v3-edge.json":    "ee3b263405843a0ff30ea2f670ddc76929f642d4b33dd3f6269e8761a5c0faa8",
	"record-v3-full.json":    "7968df1dba00d1b0be66ca535d334bd399672465675398bdd3b1532b76ebaa91",
	"record-v3-minimal.json": "f04aed7fab93c04d8cad71c6399a302a73bad369a17c976231877475b56dd284",
	"record-v3-nobody.json":  "b5c0d2166d1738ac39d88244cbec64f6491242dbccb8e2fd3b3ad8a7804eaaca",
	"record-v3-phone.json":   "ff089fee31d6343d5200439205e5d479d52b9f1f3312495a8b49cf2e4f9e8c74",
	"shape-v3.txt":           "4340de17435ce11b18d99f44ed9bed35bf25b7440cd65025cd24ac8a6859725b",
}

// vectorManifest is testdata/vectors/vectors.json.
type vectorManifest struct {
	Vectors []struct {
		// File is the vector's name in the folder: the exact canonical
		// bytes of one record, with no newline at the end.
		File          string `json:"file"`
		SchemaVersion int    `json:"schema_version"`
		// SHA256 is the record's Hash: the lower-case hex SHA-256 of the
		// file's bytes.
		SHA256 string `json:"sha256"`
		// ValidAt is a time at which the record passes Validate.
		ValidAt time.Time `json:"valid_at"`
		About   string    `json:"about"`
	} `json:"vectors"`
}

func readManifest(t *testing.T) vectorManifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorDir, "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m vectorManifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("vectors.json: %v", err)
	}
	if len(m.Vectors) == 0 {
		t.Fatal("vectors.json lists no vector")
	}
	return m
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestVectorsFrozen: the files of released schema versions are exactly
// the bytes committed with them.
func TestVectorsFrozen(t *testing.T) {
	for name, want := range frozenVectors {
		data, err := os.ReadFile(filepath.Join(vectorDir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := sha256Hex(data); got != want {
			t.Errorf("%s changed (SHA-256 %s, frozen %s): the vectors of a released schema version are never edited; "+
				"restore it (git checkout) and add a vector of a new SchemaVersion instead. Check also that git did not "+
				"convert its line endings (testdata/vectors/.gitattributes).", name, got, want)
		}
	}
	files, err := os.ReadDir(vectorDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		switch name := f.Name(); name {
		case "vectors.json", "README.md", ".gitattributes":
		default:
			if _, ok := frozenVectors[name]; !ok {
				t.Errorf("%s is not in frozenVectors: freeze every vector once it is committed", name)
			}
		}
	}
}

// TestVectorsListed: every record vector in the folder is listed, and
// every listed one is there.
func TestVectorsListed(t *testing.T) {
	m := readManifest(t)
	listed := map[string]bool{}
	for _, v := range m.Vectors {
		if listed[v.File] {
			t.Errorf("%s is listed twice", v.File)
		}
		listed[v.File] = true
		if v.SchemaVersion < 1 || v.SchemaVersion > record.SchemaVersion {
			t.Errorf("%s: schema_version %d, this code knows 1..%d", v.File, v.SchemaVersion, record.SchemaVersion)
		}
	}
	files, err := filepath.Glob(filepath.Join(vectorDir, "record-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s is not listed in vectors.json", filepath.Base(f))
		}
		delete(listed, filepath.Base(f))
	}
	for f := range listed {
		t.Errorf("vectors.json lists %s, which is missing", f)
	}
}

// TestVectorsCanonical: each vector of the current schema decodes into an
// Interdiction (no unknown field) and encodes back to the very same bytes;
// Hash gives the listed hash; and the record is valid. A vector of an
// older schema must still decode, and hash to its listed hash.
func TestVectorsCanonical(t *testing.T) {
	for _, v := range readManifest(t).Vectors {
		t.Run(v.File, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectorDir, v.File))
			if err != nil {
				t.Fatal(err)
			}
			if got := sha256Hex(data); got != v.SHA256 {
				t.Fatalf("SHA-256 of the file is %s, vectors.json says %s", got, v.SHA256)
			}
			if bytes.HasSuffix(data, []byte("\n")) {
				t.Fatal("the file ends with a newline: canonical bytes have none (did an editor add it?)")
			}
			var in record.Interdiction
			dec := json.NewDecoder(bytes.NewReader(data))
			if v.SchemaVersion == record.SchemaVersion {
				dec.DisallowUnknownFields()
			}
			if err := dec.Decode(&in); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if v.SchemaVersion < record.SchemaVersion {
				return // an older form: it must decode; its bytes are its own
			}
			again, err := json.Marshal(&in)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, data) {
				t.Fatalf("re-encoding changes the bytes:\n%s", firstDifference(data, again))
			}
			h, err := in.Hash()
			if err != nil {
				t.Fatal(err)
			}
			if h != v.SHA256 {
				t.Fatalf("Hash() = %s, want %s", h, v.SHA256)
			}
			if err := in.Validate(v.ValidAt); err != nil {
				t.Fatalf("not valid at %s:\n%v", v.ValidAt, err)
			}
		})
	}
}

// firstDifference shows where two byte strings part.
func firstDifference(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(i-40, 0)
	return fmt.Sprintf("at byte %d:\nwant …%s…\ngot  …%s…", i, want[from:min(i+40, len(want))], got[from:min(i+40, len(got))])
}

// TestVectorFullCoversTheModel: record-full.json keeps what it is there
// for: every kind of item, an obliterated serial, a conveyance, people,
// text in the scripts of the region, and the characters encoding/json
// escapes.
func TestVectorFullCoversTheModel(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(vectorDir, "record-full.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in record.Interdiction
	if err := json.Unmarshal(data, &in); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	obliterated := false
	for _, it := range in.Items {
		kinds[it.Kind] = true
		for _, s := range it.Serials() {
			if s.State == "obliterated" && s.Number == "" {
				obliterated = true
			}
		}
	}
	for _, k := range record.ItemKinds.Codes {
		if !kinds[k] {
			t.Errorf("no item of kind %s", k)
		}
	}
	if !obliterated {
		t.Error("no obliterated serial")
	}
	if in.Conveyance == nil || len(in.People) == 0 || len(in.Organisations) == 0 || len(in.Photos) == 0 || len(in.Custody) == 0 {
		t.Error("conveyance, people, organisations, photos or custody missing")
	}
	for _, s := range []string{
		"Ўринов",   // Uzbek Cyrillic
		"Ғуломова", // Uzbek Cyrillic
		"koʻchasi", // Uzbek Latin, U+02BB
		"İsmail",   // U+0130
		"Yıldırım", // U+0131
		"Нұрланов", // Kazakh
		"\\u003cXR-0412\\u003e",
		"\\u0026",
		"\\n\\t",
	} {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("no %q in the bytes", s)
		}
	}
	if bytes.ContainsAny(data, "<>&\n\t") {
		t.Error("a raw <, >, &, newline or tab: encoding/json escapes them")
	}
	if b := record.BindingOf(in.ID, in.Origin); b != record.IDOfDevice {
		t.Errorf("the record's id is not bound to its origin (%v)", b)
	}
}

// TestVectorsCoverEveryField: together, the vectors of the current schema
// hold every field of the JSON form at least once, so that another
// implementation is tested on all of them.
func TestVectorsCoverEveryField(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range readManifest(t).Vectors {
		if v.SchemaVersion != record.SchemaVersion {
			continue
		}
		data, err := os.ReadFile(filepath.Join(vectorDir, v.File))
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		jsonPaths(doc, "", seen)
	}
	for _, p := range modelPaths() {
		if !seen[p] {
			t.Errorf("no vector of schema %d has %s", record.SchemaVersion, p)
		}
	}
}

// jsonPaths notes the path of every object key in v: "items[].firearm.calibre.code".
func jsonPaths(v any, prefix string, seen map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, sub := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			seen[p] = true
			jsonPaths(sub, p, seen)
		}
	case []any:
		for _, sub := range v {
			jsonPaths(sub, prefix+"[]", seen)
		}
	}
}

// TestSchemaShape fails when the JSON form of Interdiction changes (a field
// added, removed, renamed, retyped, reordered or given other options, or a
// type that encodes itself) while SchemaVersion stays the same.
func TestSchemaShape(t *testing.T) {
	wrote, err := checkShape(vectorDir, record.SchemaVersion, modelShape(), *updateShape)
	if err != nil {
		t.Fatal(err)
	}
	if wrote != "" {
		t.Logf("wrote %s: add record vectors of schema version %d to %s/vectors.json (keep the old ones) and freeze them in frozenVectors",
			wrote, record.SchemaVersion, vectorDir)
	}
}

// checkShape compares shape with the shape file of schema version in dir.
// With update, it writes the file if there is none, and refuses to
// rewrite one; it returns the name of a file it wrote.
func checkShape(dir string, version int, shape string, update bool) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("shape-v%d.txt", version))
	want, err := os.ReadFile(path)
	switch {
	case update && err == nil:
		return "", fmt.Errorf("%s exists: the shape of a released schema version is never rewritten. "+
			"If the JSON form changed, raise record.SchemaVersion first; -update then records the new version's shape", path)
	case update && errors.Is(err, fs.ErrNotExist):
		return path, os.WriteFile(path, []byte(shape), 0o644)
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("no %s for record.SchemaVersion %d: run\n\tgo test ./internal/record/ -run TestSchemaShape -update\n"+
			"to record the new version's shape, and add vectors of the new version beside the old ones", path, version)
	case err != nil:
		return "", err
	}
	if shape != string(want) {
		return "", fmt.Errorf("the JSON form of record.Interdiction changed, but record.SchemaVersion is still %d:\n\n%s\n"+
			"Change SchemaVersion and add new vectors (go test ./internal/record/ -run TestSchemaShape -update writes shape-v%d.txt); "+
			"don't edit the old ones: records of schema %d are stored and carried in bundles with exactly those bytes and hashes",
			version, lineDiff(strings.Split(string(want), "\n"), strings.Split(shape, "\n")), version+1, version)
	}
	return "", nil
}

// TestSchemaShapeUpdate: -update writes the shape of a new version only,
// and never rewrites one that exists.
func TestSchemaShapeUpdate(t *testing.T) {
	dir := t.TempDir()
	v1 := filepath.Join(dir, "shape-v1.txt")
	if err := os.WriteFile(v1, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := checkShape(dir, 1, "new\n", true); err == nil || !strings.Contains(err.Error(), "never rewritten") {
		t.Errorf("-update over an existing shape file: %v", err)
	}
	if data, _ := os.ReadFile(v1); string(data) != "old\n" {
		t.Errorf("shape-v1.txt rewritten: %q", data)
	}
	if _, err := checkShape(dir, 1, "new\n", false); err == nil || !strings.Contains(err.Error(), "Change SchemaVersion and add new vectors") {
		t.Errorf("a changed shape: %v", err)
	}
	if _, err := checkShape(dir, 2, "new\n", false); err == nil || !strings.Contains(err.Error(), "-update") {
		t.Errorf("a new version without a shape file: %v", err)
	}
	if wrote, err := checkShape(dir, 2, "new\n", true); err != nil || wrote != filepath.Join(dir, "shape-v2.txt") {
		t.Errorf("-update for a new version: %q, %v", wrote, err)
	}
	if _, err := checkShape(dir, 2, "new\n", false); err != nil {
		t.Errorf("the shape just written: %v", err)
	}
}

// TestSchemaShapeSeesChanges: every kind of change to a struct of the
// JSON form changes its shape.
func TestSchemaShapeSeesChanges(t *testing.T) {
	type inner struct {
		A string `json:"a"`
	}
	type base struct {
		X int    `json:"x"`
		Y string `json:"y,omitempty"`
		N *inner `json:"n,omitempty"`
	}
	type renamed struct {
		X int    `json:"x"`
		Y string `json:"why,omitempty"`
		N *inner `json:"n,omitempty"`
	}
	type reordered struct {
		Y string `json:"y,omitempty"`
		X int    `json:"x"`
		N *inner `json:"n,omitempty"`
	}
	type options struct {
		X int    `json:"x"`
		Y string `json:"y"`
		N *inner `json:"n,omitempty"`
	}
	type retyped struct {
		X int64  `json:"x"`
		Y string `json:"y,omitempty"`
		N *inner `json:"n,omitempty"`
	}
	type added struct {
		X int    `json:"x"`
		Y string `json:"y,omitempty"`
		N *inner `json:"n,omitempty"`
		Z bool   `json:"z,omitempty"`
	}
	type removed struct {
		X int    `json:"x"`
		N *inner `json:"n,omitempty"`
	}
	type inner2 struct {
		A string `json:"a"`
		B string `json:"b"`
	}
	type nested struct {
		X int     `json:"x"`
		Y string  `json:"y,omitempty"`
		N *inner2 `json:"n,omitempty"`
	}
	type encoded struct {
		X int         `json:"x"`
		Y selfEncoded `json:"y,omitempty"`
		N *inner      `json:"n,omitempty"`
	}
	type encodedStruct struct {
		X int          `json:"x"`
		Y string       `json:"y,omitempty"`
		N *selfEncoder `json:"n,omitempty"`
	}
	// The type names differ by construction: compare the rest.
	strip := func(s string) string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			switch name, rest, _ := strings.Cut(l, " "); {
			case strings.HasPrefix(l, "#"):
				continue
			case name == "type":
				_, rest, _ = strings.Cut(rest, " ")
				l = "type " + rest
			default:
				_, l, _ = strings.Cut(l, ".")
			}
			out = append(out, strings.NewReplacer("inner", "", "selfEncoder", "").Replace(l))
		}
		return strings.Join(out, "\n")
	}
	b := strip(shapeOf(reflect.TypeFor[base](), 1))
	if again := strip(shapeOf(reflect.TypeFor[base](), 1)); again != b {
		t.Fatal("the shape is not deterministic")
	}
	for name, typ := range map[string]reflect.Type{
		"renamed": reflect.TypeFor[renamed](), "reordered": reflect.TypeFor[reordered](), "options": reflect.TypeFor[options](),
		"retyped": reflect.TypeFor[retyped](), "added": reflect.TypeFor[added](), "removed": reflect.TypeFor[removed](),
		"nested": reflect.TypeFor[nested](), "encoded": reflect.TypeFor[encoded](), "encoded struct": reflect.TypeFor[encodedStruct](),
	} {
		if strip(shapeOf(typ, 1)) == b {
			t.Errorf("%s: the shape did not change:\n%s", name, b)
		}
	}
}

// selfEncoded is a type with an encoding of its own.
type selfEncoded string

func (s selfEncoded) MarshalText() ([]byte, error) { return []byte(strings.ToUpper(string(s))), nil }

// selfEncoder is a struct with an encoding of its own, and otherwise the
// fields of inner.
type selfEncoder struct {
	A string `json:"a"`
}

func (s *selfEncoder) MarshalJSON() ([]byte, error) { return json.Marshal(s.A) }

// lineDiff lists the lines only one side has, and the first line where the
// two part.
func lineDiff(want, got []string) string {
	var b strings.Builder
	for i := 0; i < max(len(want), len(got)); i++ {
		if i >= len(want) || i >= len(got) || want[i] != got[i] {
			w, g := "(end)", "(end)"
			if i < len(want) {
				w = want[i]
			}
			if i < len(got) {
				g = got[i]
			}
			fmt.Fprintf(&b, "first difference at line %d:\n  shape file: %s\n  code:       %s\n", i+1, w, g)
			break
		}
	}
	for _, l := range want {
		if !slices.Contains(got, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// modelShape is the shape of the JSON form of Interdiction; see shapeOf.
func modelShape() string {
	return shapeOf(reflect.TypeFor[record.Interdiction](), record.SchemaVersion)
}

// shapeOf describes the JSON form of root as encoding/json sees it: one
// line per struct type of root's package that the form holds, saying
// whether it encodes itself, then one line per field in struct order with
// its JSON tag, Go type and kind, and how a type from outside the package
// encodes itself.
func shapeOf(root reflect.Type, version int) string {
	lines, _ := walkShape(root)
	head := []string{
		fmt.Sprintf("# The JSON form of %s at schema version %d, as TestSchemaShape sees it.", root, version),
		"# Written once by go test -update when the version was new; never edited.",
	}
	return strings.Join(append(head, lines...), "\n") + "\n"
}

// modelPaths are the JSON paths of every field of Interdiction's form:
// "items[].firearm.calibre.code".
func modelPaths() []string {
	_, paths := walkShape(reflect.TypeFor[record.Interdiction]())
	return paths
}

// walkShape returns the lines of shapeOf and the JSON path of every field.
func walkShape(root reflect.Type) (lines, paths []string) {
	pkg := root.PkgPath()
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		first := !seen[t]
		seen[t] = true
		if first {
			lines = append(lines, fmt.Sprintf("type %s codec=%s", t.Name(), codec(t)))
		}
		var nested []func()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue // encoding/json never sees it
			}
			tag, hasTag := f.Tag.Lookup("json")
			name, _, _ := strings.Cut(tag, ",")
			if !hasTag {
				tag = "(none)"
			}
			if name == "" {
				name = f.Name
			}
			elem := f.Type
			for elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice || elem.Kind() == reflect.Array && elem.PkgPath() == "" {
				elem = elem.Elem()
			}
			if first {
				line := fmt.Sprintf("%s.%s json=%q type=%s kind=%s", t.Name(), f.Name, tag, f.Type, f.Type.Kind())
				if f.Anonymous {
					line += " embedded"
				}
				if elem.PkgPath() != "" && (elem.Kind() != reflect.Struct || elem.PkgPath() != pkg) {
					line += " codec=" + codec(elem) // structs of the package say it on their own line
				}
				lines = append(lines, line)
			}
			if name == "-" && tag != "-," {
				continue
			}
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			if elem != f.Type && f.Type.Kind() == reflect.Slice {
				path += "[]"
			}
			if !f.Anonymous {
				paths = append(paths, strings.TrimSuffix(path, "[]"))
			}
			if elem.Kind() == reflect.Struct && elem.PkgPath() == pkg {
				sub := path
				if f.Anonymous {
					sub = prefix
				}
				nested = append(nested, func() { walk(elem, sub) })
			}
		}
		for _, n := range nested {
			n()
		}
	}
	walk(root, "")
	return lines, paths
}

// codec says how encoding/json encodes a type that has its own encoding.
func codec(t reflect.Type) string {
	pt := reflect.PointerTo(t)
	switch {
	case t.Implements(jsonMarshaler):
		return "json"
	case pt.Implements(jsonMarshaler):
		return "json(pointer)"
	case t.Implements(textMarshaler):
		return "text"
	case pt.Implements(textMarshaler):
		return "text(pointer)"
	}
	return "-"
}
