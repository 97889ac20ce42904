package bundle

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"

	"github.com/kordon/kordon/internal/safefile"
)

// partialSuffix is added to the name of a file while it is being written.
const partialSuffix = safefile.PartialSuffix

// writeFileAtomic writes data to a new file at path with the given mode,
// through a partial file that is synced and renamed. It refuses to replace
// an existing file (ErrExists).
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	err := safefile.Write(path, mode, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	return existsError(path, err)
}

// existsError says ErrExists for a file that is in the way.
func existsError(path string, err error) error {
	if errors.Is(err, fs.ErrExist) {
		return refuse(ErrExists, "bundle.err.exists", nil, "path", path)
	}
	return err
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
