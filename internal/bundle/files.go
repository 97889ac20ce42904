package bundle

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// partialSuffix is added to the name of a file while it is being written.
const partialSuffix = ".partial"

// writeFileAtomic writes data to path through path+".partial", synced and
// renamed, with the given mode. It refuses to replace an existing file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	if err := refuseExisting(path); err != nil {
		return err
	}
	tmp := path + partialSuffix
	f, err := createPartial(tmp, mode)
	if err != nil {
		return err
	}
	if err := finishFile(f, tmp, path, mode, func() error {
		_, err := f.Write(data)
		return err
	}); err != nil {
		return err
	}
	return nil
}

// createPartial creates tmp afresh with mode, removing a leftover of an
// interrupted write first, so the new file never inherits looser
// permissions from an old one.
func createPartial(tmp string, mode os.FileMode) (*os.File, error) {
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("remove leftover %s: %w", tmp, err)
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", tmp, err)
	}
	return f, nil
}

// finishFile runs write on f, then sets mode, syncs, closes and renames tmp
// to path. On any failure it removes tmp.
func finishFile(f *os.File, tmp, path string, mode os.FileMode, write func() error) (err error) {
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := f.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("chmod %s: %w", tmp, err)
	}
	return commit(f, tmp, path)
}

// commit syncs and closes f (written at tmp) and renames it to path, unless
// path exists by now; then it syncs the folder so the rename survives a
// power cut.
func commit(f *os.File, tmp, path string) error {
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	if err := refuseExisting(path); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// refuseExisting returns ErrExists if something is at path.
func refuseExisting(path string) error {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return refuse(ErrExists, "bundle.err.exists", nil, "path", path)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("check %s: %w", path, err)
	}
}

// syncDir flushes a folder's entries to disk where the system allows it;
// Windows cannot open folders for syncing, and there the rename is already
// durable enough.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}

// readPrivateFile reads a secret file of at most limit bytes, refusing on
// Unix a file that its group or others may read or write.
func readPrivateFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, refuse(ErrMalformed, "bundle.err.key_file", errors.New("not a regular file"), "path", path, "reason", "not a regular file")
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, refuse(ErrInsecureKey, "bundle.err.insecure_key_file", nil,
			"path", path, "mode", fmt.Sprintf("%04o", fi.Mode().Perm()))
	}
	if fi.Size() > limit {
		why := fmt.Sprintf("%d bytes, more than %d", fi.Size(), limit)
		return nil, refuse(ErrTooLarge, "bundle.err.key_file", errors.New(why), "path", path, "reason", why)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		why := fmt.Sprintf("more than %d bytes", limit)
		return nil, refuse(ErrTooLarge, "bundle.err.key_file", errors.New(why), "path", path, "reason", why)
	}
	return data, nil
}
