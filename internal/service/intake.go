package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/textkey"
	"github.com/kordon/kordon/internal/view"
)

// MaxIntake caps the size of one JSON intake (the records; photo files are
// read one at a time).
const MaxIntake = 1 << 30

// Encodings of a JSON intake.
const (
	// UTF8 is the default, and what JSON is.
	UTF8 = "utf-8"
	// CP1251 is Windows-1251, what Excel and Notepad write on a Russian
	// Windows.
	CP1251 = "cp1251"
)

// Intake says where a JSON intake reads its photo files and how its text
// is encoded.
type Intake struct {
	// PhotoDir is the folder photo files are named in: the JSON file's
	// folder, or the one given with --photos. A photo must be inside it,
	// and never inside the data folder.
	PhotoDir string
	// Encoding is UTF8 (also when empty) or CP1251.
	Encoding string
}

// IntakeResult says what an intake added.
type IntakeResult struct {
	Added []*record.Interdiction
	// Before are the records of this input that an earlier intake of the
	// same input added, by their position in it.
	Before map[int]view.Added
}

// intakeRecord is the JSON intake form of a record: the record as
// `kordon record show --json` prints it, where a photo may name a file to
// read instead of the SHA-256 of one already stored.
type intakeRecord struct {
	record.Interdiction
	Photos []intakePhoto `json:"photos,omitempty"`
}

type intakePhoto struct {
	record.Photo
	// File is read from the intake's photo folder.
	File string `json:"file,omitempty"`
}

// programFields are the fields the program gives a record; an intake names
// them only in a record it printed itself (a round trip).
var programFields = []string{"id", "version", "number", "origin"}

// IntakeError says what is wrong with the JSON given to AddJSON, and where.
type IntakeError struct {
	Key   string
	Index int // the record's position in an array, or -1
	Args  []any
	Err   error
}

func (e *IntakeError) Error() string {
	where := ""
	if e.Index >= 0 {
		where = fmt.Sprintf("[%d] ", e.Index)
	}
	return fmt.Sprintf("%s%s %v: %v", where, e.Key, e.Args, e.Err)
}

// Unwrap gives the decoder's error.
func (e *IntakeError) Unwrap() error { return e.Err }

// MessageKey is the catalog key of the message.
func (e *IntakeError) MessageKey() string { return e.Key }

// MessageArgs are the message's placeholders; "record" is the position:
// "[3]" in an array, "1" for a single record.
func (e *IntakeError) MessageArgs() []any {
	pos := "1"
	if e.Index >= 0 {
		pos = fmt.Sprintf("[%d]", e.Index)
	}
	return append([]any{"record", pos}, e.Args...)
}

// AddJSON reads one record (a JSON object) or several (an array) and adds
// them in one transaction: if any is malformed or invalid, none is written.
// The input must be UTF-8 (or Windows-1251, when opts say so), may not name
// a key twice, and may not set what the program sets (id, number, version,
// origin) but in a record it printed itself. A record the same input added
// before is not added again, and is reported in the result.
func (s *Service) AddJSON(ctx context.Context, r io.Reader, opts Intake) (*IntakeResult, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxIntake+1))
	if err != nil {
		return nil, &IntakeError{Key: "intake.err.read", Index: -1, Args: []any{"detail", err.Error()}, Err: err}
	}
	if len(data) > MaxIntake {
		return nil, &IntakeError{Key: "intake.err.too_large", Index: -1, Args: []any{"max", MaxIntake}}
	}
	if data, err = decodeText(data, opts.Encoding); err != nil {
		return nil, err
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	array := len(trimmed) > 0 && trimmed[0] == '['
	var raws []json.RawMessage
	if array {
		if err := strictDecode(data, &raws); err != nil {
			return nil, intakeError(data, -1, err)
		}
	} else {
		raws = []json.RawMessage{data}
	}
	if len(raws) == 0 {
		return nil, &IntakeError{Key: "intake.err.empty", Index: -1}
	}
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	points, err := s.CrossingPoints(ctx)
	if err != nil {
		return nil, err
	}
	photos := newPhotoSource(opts.PhotoDir, s.Dir)
	defer photos.close()
	res := &IntakeResult{Before: map[int]store.Added{}}
	var srcs []store.Source
	var srcIndex []int // position in the input of each entry of srcs
	var media [][]byte
	forms := map[string][]byte{}
	for i, raw := range raws {
		idx := i
		if !array {
			idx = -1
		}
		var ir intakeRecord
		if err := strictDecode(raw, &ir); err != nil {
			return nil, intakeError(raw, idx, err)
		}
		top, err := objectKeys(raw, programFields...)
		if err != nil {
			return nil, intakeError(raw, idx, err)
		}
		in := ir.Interdiction
		for j, p := range ir.Photos {
			if p.File != "" {
				field := fmt.Sprintf("photos[%d].file", j)
				b, mediaType, form, err := photos.read(p.File)
				if err != nil {
					return nil, &IntakeError{Key: err.Key, Index: idx, Args: append([]any{"field", field, "path", p.File}, err.Args...), Err: err.Err}
				}
				sha := store.SHA256(b)
				if p.SHA256 != "" && p.SHA256 != sha {
					return nil, &IntakeError{Key: "intake.err.photo_hash", Index: idx, Args: []any{"field", fmt.Sprintf("photos[%d].sha256", j), "path", p.File}}
				}
				p.SHA256, p.MediaType = sha, mediaType
				if _, ok := forms[sha]; !ok {
					media = append(media, b)
					forms[sha] = form
				}
			}
			in.Photos = append(in.Photos, p.Photo)
		}
		if top["id"] {
			known, err := s.roundTrip(ctx, &in, post)
			if err != nil {
				return nil, intakeAt(err, idx)
			}
			res.Before[i] = *known
			continue
		}
		for _, f := range programFields {
			if top[f] {
				return nil, &IntakeError{Key: "intake.err.set_by_program", Index: idx, Args: []any{"field", f}}
			}
		}
		if err := checkPlace(&in, post.Code, points); err != nil {
			return nil, intakeAt(err, idx)
		}
		srcs = append(srcs, store.Source{Record: &in, Input: fingerprint(raw), Pos: i})
		srcIndex = append(srcIndex, i)
	}
	if len(srcs) > 0 {
		before, err := s.st.AddFrom(ctx, srcs, s.Actor, media...)
		if err != nil {
			if !array {
				err = unprefixed(err)
			}
			return nil, err
		}
		for k, src := range srcs {
			if a, ok := before[k]; ok {
				res.Before[srcIndex[k]] = a
				continue
			}
			res.Added = append(res.Added, src.Record)
		}
	}
	for sha, form := range forms {
		// Photos are printed from their print form, made once here.
		_ = s.st.PutPrintForm(ctx, sha, form)
	}
	// Screened as a save from the form is: an alert for each person,
	// organisation or field the lists name, in the audit trail.
	s.keepAlerts(ctx, res.Added...)
	return res, nil
}

// decodeText turns the input into UTF-8 text: Windows-1251 is converted
// when asked for; anything that is not valid UTF-8 is refused, never
// patched with U+FFFD, so no letter of the evidence is lost unseen.
func decodeText(data []byte, encoding string) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", UTF8, "utf8":
	case CP1251, "windows-1251", "cp-1251":
		if utf8.Valid(data) && !ascii(data) {
			// Letters read twice over: «Петров» would become «РџРµС‚СЂРѕРІ».
			return nil, &IntakeError{Key: "intake.err.already_utf8", Index: -1}
		}
		out, err := charmap.Windows1251.NewDecoder().Bytes(data)
		if err != nil {
			return nil, &IntakeError{Key: "intake.err.read", Index: -1, Args: []any{"detail", err.Error()}, Err: err}
		}
		return out, nil
	default:
		return nil, &IntakeError{Key: "intake.err.encoding", Index: -1, Args: []any{"value", encoding}}
	}
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) ||
		(len(data) > 1 && (data[0] == 0 || data[1] == 0)) {
		return nil, &IntakeError{Key: "intake.err.utf16", Index: -1}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		line, col := lineCol(data, int64(off)+1)
		return nil, &IntakeError{Key: "intake.err.not_utf8", Index: -1, Args: []any{"line", line, "column", col}}
	}
	return data, nil
}

// ascii reports whether data holds ASCII only.
func ascii(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// fingerprint identifies a record's input, whatever its white space and
// line endings: the SHA-256 of its JSON, compacted.
func fingerprint(raw []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		b.Reset()
		b.Write(bytes.TrimSpace(raw))
	}
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:])
}

// roundTrip takes back a record the program printed (it names its id): it
// must be this folder's own, stored with exactly this content, and is then
// reported as added before. An intake never changes a stored record.
func (s *Service) roundTrip(ctx context.Context, in *record.Interdiction, post Post) (*store.Added, error) {
	id := in.ID.String()
	cur, err := s.st.Get(ctx, store.Ref(post.DeviceID, id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, &IntakeError{Key: "intake.err.set_by_program", Args: []any{"field", "id"}}
	}
	if err != nil {
		return nil, err
	}
	in.Normalize()
	hash, err := in.Hash()
	if err != nil {
		return nil, err
	}
	if hash != cur.Hash {
		return nil, &IntakeError{Key: "intake.err.stored_differs", Args: []any{"number", cur.Record.Number}}
	}
	return &store.Added{ID: id, Number: cur.Record.Number}, nil
}

// checkPlace checks that a record is of this post, at one of its crossing
// points (where the post has listed them), spelt as the list spells it.
func checkPlace(in *record.Interdiction, post string, points []string) error {
	if code := strings.ToUpper(strings.TrimSpace(in.PostCode)); code != "" && code != post {
		return &IntakeError{Key: "intake.err.other_post", Args: []any{"field", "post_code", "value", in.PostCode, "post", post}}
	}
	cp := strings.TrimSpace(in.CrossingPoint)
	if cp == "" || len(points) == 0 {
		return nil
	}
	for _, p := range points {
		if textkey.Fold(p) == textkey.Fold(cp) {
			in.CrossingPoint = p
			return nil
		}
	}
	return &IntakeError{Key: "intake.err.crossing_point", Args: []any{"field", "crossing_point", "value", cp, "points", strings.Join(points, "; ")}}
}

// intakeAt places an intake error at the record's position.
func intakeAt(err error, idx int) error {
	var ie *IntakeError
	if errors.As(err, &ie) {
		ie.Index = idx
		return ie
	}
	return err
}

// unprefixed drops the position "[0]" the store puts before the problems of
// the only record of a single-object intake.
func unprefixed(err error) error {
	var errs record.Errors
	if !errors.As(err, &errs) {
		return err
	}
	out := make(record.Errors, len(errs))
	for i, e := range errs {
		c := *e
		c.Path = strings.TrimPrefix(strings.TrimPrefix(c.Path, "[0]"), ".")
		out[i] = &c
	}
	return out
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailing
	}
	return nil
}

var errTrailing = errors.New("data after the end of the JSON value")

// duplicateKey is an object that names a key twice: encoding/json would
// keep the last value and drop the first without a word.
type duplicateKey struct{ path string }

func (e *duplicateKey) Error() string { return "duplicate key " + e.path }

// objectKeys walks a JSON value that has been decoded already (so it is
// well formed), refuses an object that names a key twice, and reports
// which of the names asked for the outermost object has. encoding/json
// matches a key to a field whatever its case ("Status" sets status), so
// keys are compared so too. It reads the bytes once, without building
// values: every record of an intake passes through it.
func objectKeys(data []byte, names ...string) (map[string]bool, error) {
	type frame struct {
		object  bool
		wantKey bool
		keys    [][]byte
		path    string
		key     []byte // the last key read
		index   int
	}
	var stack []*frame
	var outer *frame
	child := func(f *frame) string {
		if f == nil {
			return ""
		}
		if f.object {
			if f.path == "" {
				return string(f.key)
			}
			return f.path + "." + string(f.key)
		}
		return fmt.Sprintf("%s[%d]", f.path, f.index)
	}
	for i := 0; i < len(data); i++ {
		var f *frame
		if n := len(stack); n > 0 {
			f = stack[n-1]
		}
		switch data[i] {
		case '"':
			j := i + 1
			escaped := false
			for ; j < len(data) && data[j] != '"'; j++ {
				if data[j] == '\\' {
					escaped = true
					j++
				}
			}
			if f != nil && f.object && f.wantKey {
				key := data[i+1 : min(j, len(data))]
				if escaped {
					var k string
					if err := json.Unmarshal(data[i:min(j+1, len(data))], &k); err != nil {
						return nil, err
					}
					key = []byte(k)
				}
				f.key, f.wantKey = key, false
				for _, k := range f.keys {
					if bytes.EqualFold(k, key) {
						return nil, &duplicateKey{path: child(f)}
					}
				}
				f.keys = append(f.keys, key)
			}
			i = j
		case '{', '[':
			nf := &frame{object: data[i] == '{', wantKey: true, path: child(f)}
			if f == nil && nf.object && outer == nil {
				outer = nf
			}
			stack = append(stack, nf)
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if f != nil && f.object {
				f.wantKey = true
			} else if f != nil {
				f.index++
			}
		}
	}
	has := map[string]bool{}
	if outer != nil {
		for _, name := range names {
			for _, k := range outer.keys {
				if bytes.EqualFold(k, []byte(name)) {
					has[name] = true
				}
			}
		}
	}
	return has, nil
}

// intakeError turns a decoder error into a message that names the line and
// column, the field, or the type expected.
func intakeError(data []byte, idx int, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var dup *duplicateKey
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset)
		return &IntakeError{Key: "intake.err.syntax", Index: idx, Args: []any{"line", line, "column", col}, Err: err}
	case errors.As(err, &typ):
		return &IntakeError{Key: "intake.err.type", Index: idx, Args: []any{"field", typ.Field, "want", jsonKind(typ.Type.Kind().String()), "got", typ.Value}, Err: err}
	case errors.As(err, &dup):
		return &IntakeError{Key: "intake.err.duplicate_key", Index: idx, Args: []any{"field", dup.path}, Err: err}
	case errors.Is(err, errTrailing):
		return &IntakeError{Key: "intake.err.trailing", Index: idx, Err: err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &IntakeError{Key: "intake.err.truncated", Index: idx, Err: err}
	}
	if name, ok := unknownField(err); ok {
		return &IntakeError{Key: "intake.err.unknown_field", Index: idx, Args: []any{"field", name}, Err: err}
	}
	// Values the model's own types refuse: a malformed UUID or time.
	return &IntakeError{Key: "intake.err.value", Index: idx, Args: []any{"detail", err.Error()}, Err: err}
}

// unknownField extracts the name from encoding/json's unknown-field error,
// which has no type of its own.
func unknownField(err error) (string, bool) {
	var name string
	if _, e := fmt.Sscanf(err.Error(), "json: unknown field %q", &name); e == nil {
		return name, true
	}
	return "", false
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int", "int64", "float64", "uint8":
		return "number"
	case "bool":
		return "true/false"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return "string"
}

// lineCol is the 1-based line and column of the byte before offset off:
// the decoder's offset points just past the byte it could not take.
// Columns count characters, not bytes.
func lineCol(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	end := int(min(off-1, int64(len(data))))
	for i := 0; i < end; {
		r, n := utf8.DecodeRune(data[i:])
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += n
	}
	return line, col
}
