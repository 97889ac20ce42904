package store_test

import (
	"crypto/ed25519"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/internal/textkey"
	"github.com/kordon/kordon/internal/view"
)

// foreignDB makes an SQLite database of another program at path.
func foreignDB(t *testing.T, path string, pragmas ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
	require.NoError(t, err)
	defer db.Close()
	for _, q := range append(pragmas, "CREATE TABLE contacts (name TEXT, phone TEXT)", "INSERT INTO contacts VALUES ('Ivanov', '+77010000000')") {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
}

// folderFiles lists the names in dir with their content.
func folderFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = string(b)
	}
	return out
}

func TestOpenRefusesWhatIsNotKordonsAndLeavesItUntouched(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(t *testing.T, path string)
		want error
	}{
		{"empty file", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, nil, 0o600))
		}, store.ErrEmptyDatabase},
		{"not a database", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("this is a spreadsheet, not a database\n"), 0o600))
		}, store.ErrNotDatabase},
		{"a cut header", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("SQLite format 3\x00\x10\x00"), 0o600))
		}, store.ErrNotDatabase},
		{"another program's database", func(t *testing.T, path string) {
			foreignDB(t, path)
		}, store.ErrForeignDB},
		{"another program's database with its own application id", func(t *testing.T, path string) {
			foreignDB(t, path, "PRAGMA application_id = 42")
		}, store.ErrForeignDB},
		{"another program's database in WAL mode", func(t *testing.T, path string) {
			foreignDB(t, path, "PRAGMA journal_mode = WAL")
		}, store.ErrForeignDB},
		{"an empty SQLite database", func(t *testing.T, path string) {
			foreignDB(t, path)
			db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
			require.NoError(t, err)
			_, err = db.Exec("DROP TABLE contacts")
			require.NoError(t, err)
			require.NoError(t, db.Close())
		}, store.ErrForeignDB},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			c.make(t, filepath.Join(dir, store.FileName))
			before := folderFiles(t, dir)
			for _, opts := range [][]store.Option{nil, {store.ReadOnly()}, {store.ReadOnlyIfUnwritable()}} {
				_, err := store.Open(dir, opts...)
				assert.ErrorIs(t, err, c.want)
				assert.Equal(t, before, folderFiles(t, dir), "the folder must be left exactly as it was")
			}
		})
	}
}

func TestOpenRefusesANewerSchemaUntouched(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	require.NoError(t, err)
	_, err = s.DB().Exec("PRAGMA user_version = 999")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	before := storetest.Dump(t, dir)
	_, err = store.Open(dir)
	assert.ErrorIs(t, err, store.ErrNewerSchema)
	_, err = store.Open(dir, store.ReadOnly())
	assert.ErrorIs(t, err, store.ErrNewerSchema)
	assert.Equal(t, before, storetest.Dump(t, dir))
}

func TestOpenMarksKordonsDatabases(t *testing.T) {
	header := func(dir string) uint32 {
		b, err := os.ReadFile(filepath.Join(dir, store.FileName))
		require.NoError(t, err)
		return binary.BigEndian.Uint32(b[68:72])
	}
	s, dir := open(t)
	require.NoError(t, s.Save(ctx, sample(), "officer"))
	require.NoError(t, s.Close())
	assert.Equal(t, uint32(store.ApplicationID), header(dir))

	// A database written before Kordon marked its own is still Kordon's.
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(filepath.Join(dir, store.FileName)))
	require.NoError(t, err)
	_, err = db.Exec("PRAGMA application_id = 0")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	s, err = store.Open(dir)
	require.NoError(t, err)
	n, err := s.Count(ctx, store.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	require.NoError(t, s.Close())
}

func TestOpenFolderWithoutDatabase(t *testing.T) {
	dir := t.TempDir()
	_, err := store.Open(dir, store.NoCreate())
	assert.ErrorIs(t, err, store.ErrNotInitialized)
	_, err = store.Open(dir, store.ReadOnly())
	assert.ErrorIs(t, err, store.ErrNotInitialized)
	assert.NoFileExists(t, filepath.Join(dir, store.FileName))
}

func TestOpenFolderThatCannotBeMade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	_, err := store.Open(path)
	assert.ErrorIs(t, err, store.ErrUnwritable)
}

func TestOpenPathWithSpacesAndNonASCII(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Мои данные #1?")
	s, err := store.Open(dir)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.FileExists(t, filepath.Join(dir, store.FileName))
}

func TestReadOnlyStoreReadsAndRefusesWrites(t *testing.T) {
	s, dir := open(t)
	in := sample()
	require.NoError(t, s.Save(ctx, in, "officer"))
	require.NoError(t, s.Close())
	before := storetest.Dump(t, dir)

	ro, err := store.Open(dir, store.ReadOnly())
	require.NoError(t, err)
	defer ro.Close()
	assert.True(t, ro.ReadOnly())
	got, err := ro.Get(ctx, in.ID.String())
	require.NoError(t, err)
	assert.Equal(t, in.Number, got.Record.Number)
	hits, err := ro.Search(ctx, "XA 1234")
	require.NoError(t, err)
	assert.Len(t, hits, 1)
	require.NoError(t, ro.Verify(ctx))
	assert.ErrorIs(t, ro.Save(ctx, sample(), "officer"), store.ErrReadOnly)
	assert.ErrorIs(t, ro.SetMeta(ctx, map[string]string{"x": "y"}), store.ErrReadOnly)
	assert.Equal(t, before, storetest.Dump(t, dir))
}

// TestReadOnlyFolder needs permissions that the system enforces: it runs
// as an ordinary user, and as root (CI) it is run again as nobody.
func TestReadOnlyFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("folder permissions work differently on Windows")
	}
	if os.Geteuid() == 0 {
		storetest.RunAsNobody(t, "TestReadOnlyFolder")
		return
	}
	dir := filepath.Join(t.TempDir(), "data")
	s, err := store.Open(dir, store.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	require.NoError(t, s.SetMeta(ctx, map[string]string{store.MetaDeviceID: "device-A", store.MetaPostCode: "KZ-DOS"}))
	in := sample()
	require.NoError(t, s.Save(ctx, in, "officer"))
	require.NoError(t, s.Close())
	require.NoError(t, os.Chmod(filepath.Join(dir, store.FileName), 0o400))
	require.NoError(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { os.Chmod(dir, 0o700) })

	_, err = store.Open(dir)
	assert.ErrorIs(t, err, store.ErrUnwritable, "a command that writes is refused")
	ro, err := store.Open(dir, store.ReadOnlyIfUnwritable())
	require.NoError(t, err, "a command that only reads opens the folder read-only")
	defer ro.Close()
	assert.True(t, ro.ReadOnly())
	hits, err := ro.Search(ctx, "Ivanov")
	require.NoError(t, err)
	assert.Len(t, hits, 1)
	require.NoError(t, ro.Verify(ctx))
	assert.ErrorIs(t, ro.Save(ctx, sample(), "officer"), store.ErrReadOnly)
}

func TestVerifyFindsADamagedPage(t *testing.T) {
	s, dir := open(t)
	for range 200 {
		require.NoError(t, s.Save(ctx, sample(), "officer"))
	}
	require.NoError(t, s.Verify(ctx))
	require.NoError(t, s.Close())

	path := filepath.Join(dir, store.FileName)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	page := int(binary.BigEndian.Uint16(data[16:18]))
	pages := len(data) / page
	require.Greater(t, pages, 10)
	// Scribble over the start of a page in the second half of the file,
	// where SQLite keeps the page's own bookkeeping: the kind of damage a
	// failing disk or a bad copy leaves, and one no hash of a record sees.
	at := (pages * 3 / 4) * page
	for i := range 12 {
		data[at+i] ^= 0x5a
	}
	require.NoError(t, os.WriteFile(path, data, 0o600))

	s, err = store.Open(dir)
	require.NoError(t, err)
	defer s.Close()
	assert.ErrorIs(t, s.Verify(ctx), store.ErrDamaged)
}

func TestASecondWriterWaitsAndIsTold(t *testing.T) {
	s, dir := open(t)
	var told atomic.Int32
	second, err := store.Open(dir, store.WithClock(func() time.Time { return now }), store.WithBusyTimeout(50*time.Millisecond),
		store.WithBusyWait(time.Minute, func() { told.Add(1) }))
	require.NoError(t, err)
	defer second.Close()

	// The first store holds the write lock, as an import does, and lets go
	// only once the second has said it waits.
	tx, err := s.DB().Begin()
	require.NoError(t, err)
	_, err = tx.Exec("INSERT INTO meta (key, value) VALUES ('holding', 'yes')")
	require.NoError(t, err)
	go func() {
		for told.Load() == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		tx.Commit()
	}()
	require.NoError(t, second.Save(ctx, sample(), "officer"))
	assert.Equal(t, int32(1), told.Load(), "the user is told once that Kordon waits")
}

func TestASecondWriterGivesUpWithAPlainMessage(t *testing.T) {
	s, dir := open(t)
	second, err := store.Open(dir, store.WithClock(func() time.Time { return now }), store.WithBusyTimeout(20*time.Millisecond),
		store.WithBusyWait(100*time.Millisecond, nil))
	require.NoError(t, err)
	defer second.Close()
	tx, err := s.DB().Begin()
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = tx.Exec("INSERT INTO meta (key, value) VALUES ('holding', 'yes')")
	require.NoError(t, err)
	before := storetest.Dump(t, dir)
	err = second.Save(ctx, sample(), "officer")
	assert.ErrorIs(t, err, store.ErrBusy)
	assert.NotErrorIs(t, err, store.ErrUnwritable, "a busy database is not a full disk")
	assert.Equal(t, before, storetest.Dump(t, dir))
}

// oldFolder is a data folder holding a copy of testdata/schemaN/kordon.db,
// a database an earlier Kordon made: schema 3 (2026-11-27) with three
// records of device-A, the first with 2 zinc cases of 1,440 rounds;
// schema 6 (2026-12-03) made by kordon init and record add, with a rifle
// pair, 2 zinc cases of 1,440 rounds and 10 boxes of 160 in one record, and
// a draft of 3 undescribed ammunition packages and 4 magazines, deleted
// (its items are no longer indexed, its head row is still checked).
func oldFolder(t *testing.T, schema int) string {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("testdata/schema%d/kordon.db", schema))
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, store.FileName), data, 0o600))
	return dir
}

func TestADatabaseOfAnOlderKordonIsBroughtUpToDate(t *testing.T) {
	cases := []struct {
		schema         int
		numbers        []string
		pieces, rounds []int
		serial         string
		next           int // the number the next record gets
	}{
		{3, []string{"KZ-DOS-2026-0001", "KZ-DOS-2026-0002", "KZ-DOS-2026-0003"}, []int{1, 1, 1}, []int{1440, 0, 0}, "XA 1234-56", 4},
		// Ammunition packages were counted as pieces: 2+2+10.
		{6, []string{"KZ-DOS-2026-0001"}, []int{2}, []int{1600}, "XA 1234-56", 3},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("schema %d", c.schema), func(t *testing.T) {
			s, err := store.Open(oldFolder(t, c.schema), store.WithClock(func() time.Time { return now }))
			require.NoError(t, err)
			defer s.Close()
			var version, app int
			require.NoError(t, s.DB().QueryRow("PRAGMA user_version").Scan(&version))
			require.NoError(t, s.DB().QueryRow("PRAGMA application_id").Scan(&app))
			assert.Equal(t, store.SchemaVersion(), version)
			assert.Equal(t, store.ApplicationID, app)
			page, err := s.List(ctx, store.Filter{Oldest: true})
			require.NoError(t, err)
			require.Len(t, page.Records, len(c.numbers))
			for i, r := range page.Records {
				assert.Equal(t, c.numbers[i], r.Number)
				assert.Equal(t, c.pieces[i], r.Pieces, "%s: pieces", r.Number)
				assert.Equal(t, c.rounds[i], r.Rounds, "%s: rounds", r.Number)
			}
			st, err := s.Stats(ctx, true)
			require.NoError(t, err)
			assert.Equal(t, sum(c.pieces), st.Pieces)
			assert.Equal(t, sum(c.rounds), st.Rounds)
			for _, cat := range st.ByCategory {
				if cat.Category == "ammunition" {
					assert.Zero(t, cat.Pieces, "ammunition packages are not pieces")
				}
			}
			hits, err := s.Search(ctx, c.serial)
			require.NoError(t, err)
			assert.NotEmpty(t, hits, "the search index comes through the migrations")
			// Schema 9 fills the identifiers of every record it finds.
			var keys []string
			for _, r := range page.Records {
				ids, err := s.Idents(ctx, r.Ref())
				require.NoError(t, err)
				for _, id := range ids {
					keys = append(keys, string(id.Kind)+":"+id.Key)
				}
			}
			assert.Contains(t, strings.Join(keys, " "), textkey.Serial(c.serial), "the migration indexes the serials of the records it finds")
			// Schema 14 gives every item its id and puts the firearms on
			// the tracing work list.
			work, err := s.TraceList(ctx, view.TraceFilter{})
			require.NoError(t, err)
			require.NotEmpty(t, work.Items, "the migration finds the firearms to trace")
			for _, it := range work.Items {
				cur, err := s.Get(ctx, it.Ref)
				require.NoError(t, err)
				assert.Equal(t, cur.Record.Items[it.Item-1].ID.String(), it.ItemID)
				assert.Equal(t, record.KindFirearm, cur.Record.Items[it.Item-1].Kind)
			}
			_, err = s.VerifyWith(ctx, fixtureKey(t, c.schema))
			require.NoError(t, err, "a migrated database checks out whole")
			have, err := s.Schema(ctx)
			require.NoError(t, err)
			want, err := store.SchemaAt(ctx, store.SchemaVersion())
			require.NoError(t, err)
			assert.Equal(t, want, have, "a migrated database has the schema of a new one")
			in := sample()
			if c.schema == 6 {
				in.PostCode = "KZ-DOS"
			}
			require.NoError(t, s.Save(ctx, in, "officer"))
			assert.Equal(t, fmt.Sprintf("KZ-DOS-2026-%04d", c.next), in.Number)
		})
	}
}

// fixtureKey gives the public key of the device that signed the
// checkpoints of the schema's fixture (testdata/schemaN/device.key), if any.
func fixtureKey(t *testing.T, schema int) func(string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(fmt.Sprintf("testdata/schema%d/device.key", schema))
	if errors.Is(err, fs.ErrNotExist) {
		return func(string) (ed25519.PublicKey, error) { return nil, nil }
	}
	require.NoError(t, err)
	key, err := bundle.ParsePrivateKey(data)
	require.NoError(t, err)
	return func(id string) (ed25519.PublicKey, error) {
		if id != key.KeyID() {
			return nil, nil
		}
		return key.Public(), nil
	}
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

func TestADatabaseThatOnlyLooksLikeKordonsIsForeign(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, store.FileName)
	foreignDB(t, path, "PRAGMA user_version = 3", "CREATE TABLE meta (key, value)", "CREATE TABLE records (x)",
		"CREATE TABLE versions (x)", "CREATE TABLE audit (x)")
	before := folderFiles(t, dir)
	_, err := store.Open(dir)
	assert.ErrorIs(t, err, store.ErrForeignDB)
	assert.Equal(t, before, folderFiles(t, dir), "not a byte written")
}
