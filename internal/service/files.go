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

// ErrInDataFolder: a file was to be written among Kordon's own files (the
// database, the keys), which no export, protocol or receipt may replace.
var ErrInDataFolder = &Error{Key: "service.err.in_data_folder"}

// ProtocolsDir, in the data folder, holds the protocols the desktop prints:
// the one place there that use cases write files to.
const ProtocolsDir = "protocols"

// checkTarget refuses a path among the data folder's own files, wherever
// links or a relative path lead: only its protocols folder may be
// written to. It returns the path made absolute.
func (s *Service) checkTarget(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fileFault(path, err)
	}
	real := func(p string) string {
		// The nearest folder that exists, with its links followed.
		rest := ""
		for {
			if r, err := filepath.EvalSymlinks(p); err == nil {
				return filepath.Join(r, rest)
			}
			parent := filepath.Dir(p)
			if parent == p {
				return filepath.Join(p, rest)
			}
			rest = filepath.Join(filepath.Base(p), rest)
			p = parent
		}
	}
	target := filepath.Join(real(filepath.Dir(abs)), filepath.Base(abs))
	data := real(s.Dir)
	if within(target, data) && !within(target, filepath.Join(data, ProtocolsDir)) || target == filepath.Join(data, ProtocolsDir) {
		return "", &Error{Key: ErrInDataFolder.Key, Args: []any{"path", path}}
	}
	return abs, nil
}

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
func (s *Service) writeFile(path string, overwrite Overwrite, mode os.FileMode, write func(io.Writer) error) error {
	abs, err := s.checkTarget(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return &Error{Key: "service.err.target_folder", Args: []any{"path", path}}
	}
	if protocols := filepath.Join(s.Dir, ProtocolsDir); filepath.Dir(abs) == protocols {
		if err := os.MkdirAll(protocols, 0o755); err != nil {
			return fileFault(path, err)
		}
	}
	// Any other folder must exist: a mistyped /media/usbb must not land on
	// the computer's own disk.
	if fi, err := os.Stat(filepath.Dir(abs)); err != nil || !fi.IsDir() {
		return &Error{Key: "service.err.no_folder", Args: []any{"path", filepath.Dir(abs)}}
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

// RegularFile refuses what is not a regular file (a folder, a device, a
// named pipe that would block the reader for ever) before anything opens
// it.
func RegularFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return &Error{Key: "cli.err.open_file", Args: []any{"path", path}, Err: err}
	}
	if !fi.Mode().IsRegular() {
		return &Error{Key: "service.err.not_a_file", Args: []any{"path", path}}
	}
	return nil
}

// readLimited reads a file of at most limit bytes; a larger one is refused
// without being read.
func readLimited(path string, limit int64) ([]byte, error) {
	if err := RegularFile(path); err != nil {
		return nil, err
	}
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

// WriteProtocol writes the seizure protocol of a record's version (0: the
// current one) to path as PDF; see Protocol. It returns the warnings of the
// document.
func (s *Service) WriteProtocol(ctx context.Context, ref string, version int, path string, overwrite Overwrite, tr, tr2 *i18n.Translator) ([]string, error) {
	var warnings []string
	err := s.writeFile(path, overwrite, 0o644, func(w io.Writer) (err error) {
		warnings, err = s.Protocol(ctx, ref, version, w, tr, tr2)
		return err
	})
	return warnings, err
}

// WriteReceipt writes the signed receipt for a post's bundles to path; see
// Receipt.
func (s *Service) WriteReceipt(ctx context.Context, postCode, path string, overwrite Overwrite) (*bundle.Receipt, error) {
	var rc *bundle.Receipt
	err := s.writeFile(path, overwrite, 0o644, func(w io.Writer) (err error) {
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
	return pk, s.writeFile(path, overwrite, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
