package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/safefile"
	"github.com/kordon/kordon/internal/store"
)

// A backup is one file: a copy of the data folder's database, made while
// the folder may be in use, with the folder's key files in a table of its
// own (backup_keys), so that a post whose disk failed can be restored with
// its own key. Before a backup appears under its name, it is opened and its
// audit chain checked. It holds the device's private key: keep it as safe
// as the computer.

// Sentinels of backups.
var (
	ErrBadBackup       = &Error{Key: "service.err.bad_backup"}
	ErrOtherDevice     = &Error{Key: "service.err.backup_other_device"}
	ErrFolderInOrder   = &Error{Key: "service.err.folder_in_order"}
	ErrBackupKeyDiffer = &Error{Key: "service.err.backup_key_differs"}
	ErrRestoreBehind   = &Error{Key: "service.err.restore_behind"}
	ErrFolderInUse     = &Error{Key: "service.err.folder_in_use"}
)

// keyFiles are the files of the keys folder a backup carries.
var keyFiles = []string{signingKeyFile, officeIdentFile}

// BackupResult says what a backup holds.
type BackupResult struct {
	Path    string
	Records int
	Entries int64
	Size    int64
}

// Backup writes a backup of the data folder to path, a new file.
func (s *Service) Backup(ctx context.Context, path string) (*BackupResult, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, &Error{Key: ErrFileExists.Key, Args: []any{"path", path}}
	}
	abs, err := s.checkTarget(path)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(filepath.Dir(abs), ".kordon-backup-")
	if err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", filepath.Dir(abs)}, Err: err}
	}
	defer os.RemoveAll(work)
	copyPath := filepath.Join(work, store.FileName)
	if err := s.st.CopyTo(ctx, copyPath); err != nil {
		return nil, err
	}
	key, err := s.SigningKey()
	if err != nil {
		return nil, err
	}
	res, err := checkCopy(ctx, work, key)
	if err != nil {
		return nil, err
	}
	if err := s.addKeys(copyPath); err != nil {
		return nil, err
	}
	if err := os.Chmod(copyPath, 0o600); err != nil {
		return nil, fmt.Errorf("backup %s: %w", path, err)
	}
	if err := safefile.Sync(copyPath); err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", path}, Err: err}
	}
	if _, err := os.Lstat(abs); err == nil {
		return nil, &Error{Kind: bundle.ErrExists, Key: "bundle.err.exists", Args: []any{"path", path}}
	}
	if err := os.Rename(copyPath, abs); err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", path}, Err: err}
	}
	safefile.SyncDir(filepath.Dir(abs))
	fi, err := os.Stat(abs)
	if err == nil {
		res.Size = fi.Size()
	}
	res.Path = abs
	return res, nil
}

// addKeys puts the key files into the copy at path.
func (s *Service) addKeys(path string) error {
	files := map[string][]byte{}
	for _, name := range keyFiles {
		data, err := os.ReadFile(filepath.Join(s.Dir, keysDir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return &Error{Key: "cli.err.open_file", Args: []any{"path", filepath.Join(s.Dir, keysDir, name)}, Err: err}
		}
		files[name] = data
	}
	return store.AddBackupFiles(path, files)
}

// checkCopy brings the copy of a database at dir/kordon.db to this
// program's schema (a backup made by an earlier Kordon is migrated, once
// its schema is found exactly Kordon's), opens it read-only and checks it
// whole, as kordon audit does: SQLite's integrity check, exactly Kordon's
// schema (so that a file from outside brings no trigger or view of its
// own), the audit chain, and its checkpoints against key.
func checkCopy(ctx context.Context, dir string, key *bundle.SigningKey) (*BackupResult, error) {
	bad := func(err error) error {
		var fe *Error
		if errors.As(err, &fe) {
			return &Error{Kind: ErrBadBackup, Key: "service.err.bad_backup_because", Args: []any{"reason", fe}, Err: err}
		}
		return &Error{Key: ErrBadBackup.Key, Args: []any{"detail", err.Error()}, Err: err}
	}
	if err := store.Upgrade(dir); err != nil {
		return nil, bad(err)
	}
	st, err := store.Open(dir, store.ReadOnly())
	if err != nil {
		return nil, bad(err)
	}
	defer st.Close()
	rep, err := st.VerifyWith(ctx, func(id string) (ed25519.PublicKey, error) {
		if key == nil || id != key.KeyID() {
			return nil, nil
		}
		return key.Public(), nil
	})
	if err != nil {
		return nil, bad(err)
	}
	n, err := st.Count(ctx, store.Filter{})
	if err != nil {
		return nil, bad(err)
	}
	return &BackupResult{Records: n, Entries: rep.Entries}, nil
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	Records int
	Entries int64
	// Aside is where the database the backup replaced was kept, if any.
	Aside string
	// LastBundle is the number of the last bundle the backup knows of:
	// bundles exported after the backup was made are not in it.
	LastBundle int64
}

// Restore puts the backup at path in the data folder dir. A folder with no
// database, or a database that cannot be used (empty, damaged), is
// restored; the damaged file is kept beside it, never deleted. A database
// in order is replaced only when replace is set, and also kept beside. The
// backup must be of this folder's device, and its keys the folder's.
func Restore(ctx context.Context, dir, path string, replace bool) (res *RestoreResult, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", dir}, Err: err}
	}
	// Nobody may have the folder open while its database is replaced: the
	// desktop or an import would go on writing into the file set aside.
	lockPath := filepath.Join(dir, store.LockName)
	_, lerr := os.Lstat(lockPath)
	lock, err := store.LockFolder(ctx, dir)
	if errors.Is(err, store.ErrLocked) {
		return nil, &Error{Key: ErrFolderInUse.Key, Args: []any{"path", dir}, Err: err}
	}
	if err != nil {
		return nil, err
	}
	defer func() {
		lock.Unlock()
		if err != nil && errors.Is(lerr, fs.ErrNotExist) {
			os.Remove(lockPath) // a refused restore leaves the folder as it was
		}
	}()
	work, err := os.MkdirTemp(dir, ".kordon-restore-")
	if err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", dir}, Err: err}
	}
	defer os.RemoveAll(work)
	copyPath := filepath.Join(work, store.FileName)
	if err := copyFile(path, copyPath); err != nil {
		return nil, &Error{Key: "cli.err.open_file", Args: []any{"path", path}, Err: err}
	}
	keys, err := store.BackupFiles(copyPath)
	if err != nil {
		return nil, &Error{Key: ErrBadBackup.Key, Args: []any{"detail", err.Error()}, Err: err}
	}
	var key *bundle.SigningKey
	if data, ok := keys[signingKeyFile]; ok {
		if key, err = bundle.ParsePrivateKey(data); err != nil {
			return nil, &Error{Key: ErrBadBackup.Key, Args: []any{"detail", err.Error()}, Err: err}
		}
	}
	// The keys go back to the keys folder, never stay in the database.
	if err := store.DropBackupFiles(copyPath); err != nil {
		return nil, &Error{Key: ErrBadBackup.Key, Args: []any{"detail", err.Error()}, Err: err}
	}
	checked, err := checkCopy(ctx, work, key)
	if err != nil {
		return nil, err
	}
	device, lastBundle, err := backupIdentity(ctx, work)
	if err != nil {
		return nil, err
	}
	res = &RestoreResult{Records: checked.Records, Entries: checked.Entries, LastBundle: lastBundle}

	// What is in the folder now.
	current := filepath.Join(dir, store.FileName)
	if _, err := os.Lstat(current); err == nil {
		st, err := store.Open(dir, store.NoCreate(), store.ReadOnly())
		switch {
		case errors.Is(err, store.ErrEmptyDatabase), errors.Is(err, store.ErrNotDatabase), errors.Is(err, store.ErrDamaged):
			// A database that cannot be used: it is replaced, and kept.
		case err != nil:
			return nil, err // another program's, a newer Kordon's: not ours to replace
		default:
			err := checkCurrent(ctx, st, device, lastBundle, replace, dir)
			st.Close()
			if err != nil {
				return nil, err
			}
		}
	}
	for _, name := range keyFiles {
		have, err := os.ReadFile(filepath.Join(dir, keysDir, name))
		if err == nil && keys[name] != nil && string(have) != string(keys[name]) {
			return nil, &Error{Key: ErrBackupKeyDiffer.Key, Args: []any{"path", filepath.Join(dir, keysDir, name)}}
		}
	}
	if err := safefile.Sync(copyPath); err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", dir}, Err: err}
	}
	if _, err := os.Lstat(current); err == nil {
		res.Aside = freeName(current + ".before-restore-" + time.Now().UTC().Format("20060102-150405"))
		for _, side := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(current+side, res.Aside+side); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", dir}, Err: err}
			}
		}
	}
	if err := writeKeys(dir, keys); err != nil {
		return nil, err
	}
	if err := os.Rename(copyPath, current); err != nil {
		return nil, &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", dir}, Err: err}
	}
	safefile.SyncDir(dir)
	return res, nil
}

// checkCurrent decides whether a database in order may be replaced by a
// backup of device that knows bundles up to lastBundle: only with replace,
// only by a backup of its own device, and never by one older than a bundle
// the folder has exported: the next export would give that number again
// with other content, and the office would refuse every later bundle of
// the post.
func checkCurrent(ctx context.Context, st *store.Store, device string, lastBundle int64, replace bool, dir string) error {
	have, err := st.Meta(ctx, store.MetaDeviceID)
	if err != nil {
		return err
	}
	if have != device {
		return &Error{Key: ErrOtherDevice.Key, Args: []any{"path", dir}}
	}
	bundles, err := st.Bundles(ctx)
	if err != nil {
		return err
	}
	if len(bundles) > 0 && bundles[0].Seq > lastBundle {
		return &Error{Key: ErrRestoreBehind.Key, Args: []any{"path", dir, "have", bundles[0].Seq, "backup", lastBundle}}
	}
	if !replace {
		return &Error{Key: ErrFolderInOrder.Key, Args: []any{"path", dir}}
	}
	return nil
}

// backupIdentity reads the device and the last bundle of a backup.
func backupIdentity(ctx context.Context, dir string) (string, int64, error) {
	st, err := store.Open(dir, store.ReadOnly())
	if err != nil {
		return "", 0, &Error{Key: ErrBadBackup.Key, Args: []any{"detail", err.Error()}, Err: err}
	}
	defer st.Close()
	device, err := st.Meta(ctx, store.MetaDeviceID)
	if err != nil || device == "" {
		return "", 0, &Error{Key: ErrBadBackup.Key, Args: []any{"detail", "not set up"}, Err: err}
	}
	bundles, err := st.Bundles(ctx)
	if err != nil {
		return "", 0, err
	}
	var last int64
	if len(bundles) > 0 {
		last = bundles[0].Seq
	}
	return device, last, nil
}

// writeKeys puts the backup's key files in a keys folder that lacks them.
func writeKeys(dir string, keys map[string][]byte) error {
	kd := filepath.Join(dir, keysDir)
	if err := os.MkdirAll(kd, 0o700); err != nil {
		return &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", kd}, Err: err}
	}
	for _, name := range keyFiles {
		data, ok := keys[name]
		if !ok {
			continue
		}
		path := filepath.Join(kd, name)
		if _, err := os.Lstat(path); err == nil {
			continue // the same key, checked above
		}
		if err := safefile.Write(path, 0o600, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", kd}, Err: err}
		}
	}
	return nil
}

// copyFile copies the file at from to the new file to.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	return safefile.Write(to, 0o600, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
