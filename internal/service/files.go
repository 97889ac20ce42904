package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/safefile"
)

// ErrFileExists: a file is where a new one was to be written, and replacing
// it was not asked for.
var ErrFileExists = &Error{Key: "service.err.file_exists"}

// MaxReceipt caps a receipt file read at a post.
const MaxReceipt = 1 << 20

// Overwrite says whether a file written by a use case may replace one at
// its path: the desktop's save dialog asks the officer first, the command
// line needs --force. Without it nothing is ever replaced.
type Overwrite bool

// writeFile writes a new file at path from what write writes, atomically:
// the file appears complete and synced to disk, or not at all, and an
// existing file is replaced only when overwrite is set (and then only once
// the new one is complete).
func writeFile(path string, overwrite Overwrite, mode os.FileMode, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fileFault(path, err)
		}
	}
	put := safefile.Write
	if overwrite {
		put = safefile.WriteOver
	}
	if err := put(path, mode, write); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &Error{Key: ErrFileExists.Key, Args: []any{"path", path}, Err: err}
		}
		return fileFault(path, err)
	}
	return nil
}

// readLimited reads a file of at most limit bytes; a larger one is refused
// without being read.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Key: "cli.err.open_file", Args: []any{"path", path}, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &Error{Key: "cli.err.open_file", Args: []any{"path", path}, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &Error{Key: "service.err.file_too_large", Args: []any{"path", path, "size", fmt.Sprint(limit)}}
	}
	return data, nil
}

// WriteProtocol writes the seizure protocol of a record to path as PDF; see
// Protocol. It returns the warnings of the document.
func (s *Service) WriteProtocol(ctx context.Context, ref, path string, overwrite Overwrite, tr, tr2 *i18n.Translator) ([]string, error) {
	var warnings []string
	err := writeFile(path, overwrite, 0o644, func(w io.Writer) (err error) {
		warnings, err = s.Protocol(ctx, ref, w, tr, tr2)
		return err
	})
	return warnings, err
}

// WriteReceipt writes the signed receipt for a post's bundles to path; see
// Receipt.
func (s *Service) WriteReceipt(ctx context.Context, postCode, path string, overwrite Overwrite) (*bundle.Receipt, error) {
	var rc *bundle.Receipt
	err := writeFile(path, overwrite, 0o644, func(w io.Writer) (err error) {
		rc, err = s.Receipt(ctx, postCode, w)
		return err
	})
	return rc, err
}

// AcknowledgeFile reads an office's receipt file, of at most MaxReceipt
// bytes, and marks the bundles it lists as received; see Acknowledge.
func (s *Service) AcknowledgeFile(ctx context.Context, path string) (int, *bundle.Receipt, error) {
	data, err := readLimited(path, MaxReceipt)
	if err != nil {
		return 0, nil, err
	}
	return s.Acknowledge(ctx, data)
}

// WritePublicKey writes this device's public key file to path, for the
// office (or, at an office, for its posts).
func (s *Service) WritePublicKey(ctx context.Context, path string, overwrite Overwrite) (*bundle.PublicKey, error) {
	pk, err := s.PublicKey(ctx)
	if err != nil {
		return nil, err
	}
	data, err := pk.Marshal()
	if err != nil {
		return nil, err
	}
	return pk, writeFile(path, overwrite, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
