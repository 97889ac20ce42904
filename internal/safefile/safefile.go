// Package safefile writes new files so that a crash, a power cut or a
// failure never leaves a half-written file under the final name: the content
// goes to "<name>.partial" beside it, is synced to disk and renamed into
// place, and the folder is synced so the rename survives a power cut. An
// existing file is replaced only when asked (Replace, WriteOver).
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// PartialSuffix is added to a file's name while it is being written.
const PartialSuffix = ".partial"

// File is a new file being written; Commit puts it in place, Abort gives it
// up. It writes through to the partial file.
type File struct {
	*os.File
	path, tmp string
	mode      os.FileMode
	done      bool
	replace   bool
}

// Create starts a new file that Commit will put at path, with mode. It
// fails with an error matching fs.ErrExist if something is at path. A
// leftover partial file of an interrupted write is replaced.
func Create(path string, mode os.FileMode) (*File, error) {
	if err := refuseExisting(path); err != nil {
		return nil, err
	}
	return create(path, mode)
}

// Replace is Create for a file that may replace one at path when
// committed; until then the old file stays as it was.
func Replace(path string, mode os.FileMode) (*File, error) {
	f, err := create(path, mode)
	if err != nil {
		return nil, err
	}
	f.replace = true
	return f, nil
}

func create(path string, mode os.FileMode) (*File, error) {
	tmp := path + PartialSuffix
	// Remove a leftover first, so the new file never inherits looser
	// permissions from an old one.
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("remove leftover %s: %w", tmp, err)
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", tmp, err)
	}
	return &File{File: f, path: path, tmp: tmp, mode: mode}, nil
}

// Path is the name the file gets on Commit.
func (f *File) Path() string { return f.path }

// Commit syncs and closes the file and renames it to its path, unless
// something appeared there meanwhile (an error matching fs.ErrExist). On
// failure the partial file is removed.
func (f *File) Commit() (err error) {
	if f.done {
		return errors.New("safefile: file already finished")
	}
	f.done = true
	defer func() {
		if err != nil {
			f.File.Close()
			os.Remove(f.tmp)
		}
	}()
	if err := f.Chmod(f.mode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("chmod %s: %w", f.tmp, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", f.tmp, err)
	}
	if err := f.File.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.tmp, err)
	}
	if !f.replace {
		if err := refuseExisting(f.path); err != nil {
			return err
		}
	}
	if err := os.Rename(f.tmp, f.path); err != nil {
		return fmt.Errorf("rename %s: %w", f.tmp, err)
	}
	SyncDir(filepath.Dir(f.path))
	return nil
}

// Abort gives the file up and removes the partial file. It is safe to call
// after Commit, and more than once.
func (f *File) Abort() error {
	if f.done {
		return nil
	}
	f.done = true
	f.File.Close()
	if err := os.Remove(f.tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", f.tmp, err)
	}
	return nil
}

// Write makes a new file at path with mode from what write writes, or
// leaves nothing behind.
func Write(path string, mode os.FileMode, write func(io.Writer) error) error {
	f, err := Create(path, mode)
	if err != nil {
		return err
	}
	return finish(f, write)
}

// WriteOver is Write that replaces a file at path, as one step: a reader
// sees the old file or the new one, never part of either.
func WriteOver(path string, mode os.FileMode, write func(io.Writer) error) error {
	f, err := Replace(path, mode)
	if err != nil {
		return err
	}
	return finish(f, write)
}

func finish(f *File, write func(io.Writer) error) error {
	path := f.path
	if err := write(f); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// refuseExisting fails with fs.ErrExist if something is at path.
func refuseExisting(path string) error {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist}
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("check %s: %w", path, err)
	}
}

// Sync flushes the content of the file at path to disk.
func Sync(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return f.Close()
}

// SyncDir flushes a folder's entries to disk where the system allows it;
// Windows cannot open folders for syncing, and there a rename is already
// durable enough.
func SyncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}
