package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
)

// MaxIntake caps the size of one JSON intake (records and photo files).
const MaxIntake = 1 << 30

// intakeRecord is the JSON intake form of a record: the record as
// `kordon record show --json` prints it, where a photo may name a file to
// read instead of the SHA-256 of one already stored.
type intakeRecord struct {
	record.Interdiction
	Photos []intakePhoto `json:"photos,omitempty"`
}

type intakePhoto struct {
	record.Photo
	// File is read relative to the JSON file's folder.
	File string `json:"file,omitempty"`
}

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

// MessageArgs are the message's placeholders; "record" is the position.
func (e *IntakeError) MessageArgs() []any {
	pos := "-"
	if e.Index >= 0 {
		pos = fmt.Sprintf("[%d]", e.Index)
	}
	return append([]any{"record", pos}, e.Args...)
}

// AddJSON reads one record (a JSON object) or several (an array) and adds
// them in one transaction: if any is malformed or invalid, none is written.
// Photos naming a file are read from baseDir. It returns the added records.
func (s *Service) AddJSON(ctx context.Context, r io.Reader, baseDir string) ([]*record.Interdiction, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxIntake+1))
	if err != nil {
		return nil, &IntakeError{Key: "intake.err.read", Index: -1, Err: err}
	}
	if len(data) > MaxIntake {
		return nil, &IntakeError{Key: "intake.err.too_large", Index: -1, Args: []any{"max", MaxIntake}}
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
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
	var ins []*record.Interdiction
	var media [][]byte
	for i, raw := range raws {
		idx := i
		if !array {
			idx = -1
		}
		var ir intakeRecord
		if err := strictDecode(raw, &ir); err != nil {
			return nil, intakeError(raw, idx, err)
		}
		in := ir.Interdiction
		for j, p := range ir.Photos {
			if p.File != "" {
				b, err := os.ReadFile(filepath.Join(baseDir, p.File))
				if err != nil {
					return nil, &IntakeError{Key: "intake.err.photo_file", Index: idx, Args: []any{"field", fmt.Sprintf("photos[%d].file", j), "path", p.File}, Err: err}
				}
				sha := store.SHA256(b)
				if p.SHA256 != "" && p.SHA256 != sha {
					return nil, &IntakeError{Key: "intake.err.photo_hash", Index: idx, Args: []any{"field", fmt.Sprintf("photos[%d].sha256", j), "path", p.File}}
				}
				p.SHA256 = sha
				media = append(media, b)
			}
			in.Photos = append(in.Photos, p.Photo)
		}
		ins = append(ins, &in)
	}
	if array {
		err = s.Add(ctx, ins, s.Actor, media...)
	} else {
		err = s.Create(ctx, ins[0], s.Actor, media...)
	}
	if err != nil {
		return nil, err
	}
	for _, m := range media {
		// Photos are printed from their print form; a file that is not a
		// picture simply has none.
		_ = s.PreparePrint(ctx, store.SHA256(m))
	}
	return ins, nil
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

// intakeError turns a decoder error into a message that names the line and
// column, the field, or the type expected.
func intakeError(data []byte, idx int, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset)
		return &IntakeError{Key: "intake.err.syntax", Index: idx, Args: []any{"line", line, "column", col}, Err: err}
	case errors.As(err, &typ):
		return &IntakeError{Key: "intake.err.type", Index: idx, Args: []any{"field", typ.Field, "want", jsonKind(typ.Type.Kind().String()), "got", typ.Value}, Err: err}
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
func lineCol(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off-1 && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
