package bundle

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"unicode/utf8"
)

// validLine reports whether line is one NDJSON line of a bundle without its
// newline: a JSON object, valid UTF-8, with no white space around it and no
// line break (LF or CR) in it.
func validLine(line []byte) bool {
	return len(line) >= 2 && line[0] == '{' && line[len(line)-1] == '}' &&
		bytes.IndexByte(line, '\n') < 0 && bytes.IndexByte(line, '\r') < 0 && utf8.Valid(line) && json.Valid(line)
}

// scanLines reads the NDJSON entry file from r and calls fn with each line,
// without its newline; the slice is valid only during the call. Every line
// must pass validLine, be at most maxLine bytes and end with a newline. It
// returns the number of lines. Errors from fn are returned wrapped with the
// line number.
func scanLines(r io.Reader, file string, maxLine int, fn func(line []byte) error) (int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		n   int64
		buf []byte
	)
	for {
		frag, err := br.ReadSlice('\n')
		line := frag
		if errors.Is(err, bufio.ErrBufferFull) || len(buf) > 0 {
			buf = append(buf, frag...)
			line = buf
		}
		if len(line) > maxLine+1 {
			return n, refuse(ErrTooLarge, "bundle.err.line_too_long", nil, "file", file, "line", n+1, "limit", maxLine)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(line) > 0 {
				return n, refuse(ErrMalformed, "bundle.err.bad_json", errors.New("last line has no newline"), "file", file, "line", n+1)
			}
			return n, nil
		case err != nil:
			return n, err
		}
		n++
		line = line[:len(line)-1]
		if !validLine(line) {
			return n, refuse(ErrMalformed, "bundle.err.bad_json", nil, "file", file, "line", n)
		}
		if fn != nil {
			if err := fn(line); err != nil {
				return n, fmt.Errorf("%s line %d: %w", file, n, err)
			}
		}
		buf = buf[:0]
	}
}

// verifyingReader reads an entry and checks, at its end, that it has the
// size and SHA-256 the manifest gives; a mismatch is returned instead of
// io.EOF.
type verifyingReader struct {
	rc   io.ReadCloser
	r    io.Reader
	h    hash.Hash
	n    int64
	want File
	err  error
}

// openVerified opens the zip entry f, which the manifest lists as want.
func openVerified(f *zip.File, want File) (*verifyingReader, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, entryError(want.Path, err)
	}
	return &verifyingReader{rc: rc, r: io.LimitReader(rc, want.Size+1), h: sha256.New(), want: want}, nil
}

// Read reads from the entry, hashing what it reads.
func (v *verifyingReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	switch {
	case v.n > v.want.Size:
		v.err = changed(v.want.Path, errors.New("longer than the manifest says"))
	case errors.Is(err, io.EOF):
		if v.n != v.want.Size {
			v.err = changed(v.want.Path, fmt.Errorf("%d bytes, manifest says %d", v.n, v.want.Size))
		} else if got := hex.EncodeToString(v.h.Sum(nil)); got != v.want.SHA256 {
			v.err = changed(v.want.Path, errors.New("SHA-256 differs from the manifest"))
		} else {
			v.err = io.EOF
		}
	case err != nil:
		v.err = entryError(v.want.Path, err)
	}
	if v.err != nil {
		return n, v.err
	}
	return n, nil
}

// Close closes the entry.
func (v *verifyingReader) Close() error { return v.rc.Close() }

// changed is the refusal for an entry whose content is not what the
// manifest says.
func changed(file string, cause error) error {
	return refuse(ErrTampered, "bundle.err.entry_changed", cause, "file", file)
}

// entryError classifies an error reading entry file: damage to its bytes
// (bad checksum, bad compressed data, cut short) is tampering; anything else
// (a failing disk) is returned as it is, with context.
func entryError(file string, err error) error {
	var corrupt flate.CorruptInputError
	if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrAlgorithm) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &corrupt) {
		return changed(file, err)
	}
	return fmt.Errorf("read %s: %w", file, err)
}
