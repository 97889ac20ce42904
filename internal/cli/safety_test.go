package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/kordon/kordon/internal/cli"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store/storetest"
)

func TestDamagedAndForeignDatabasesAreLeftUntouched(t *testing.T) {
	for _, c := range []struct {
		name string
		make func(t *testing.T, path string)
		want string
	}{
		{"emptied by a power cut", func(t *testing.T, path string) { require.NoError(t, os.Truncate(path, 0)) }, "is empty (0 bytes)"},
		{"another program's database", func(t *testing.T, path string) {
			require.NoError(t, os.Remove(path))
			db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path))
			require.NoError(t, err)
			_, err = db.Exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
			require.NoError(t, err)
			require.NoError(t, db.Close())
		}, "database of another program"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := setUp(t)
			path := filepath.Join(dir, service.DatabaseFile)
			c.make(t, path)
			before, err := os.ReadFile(path)
			require.NoError(t, err)
			for _, args := range [][]string{{"record", "list"}, {"record", "add", example(t)}, {"audit"},
				{"init", "--post", "KZ-DOS", "--name", "Достык"}} {
				r := kordon(t, "", append([]string{"--data", dir}, args...)...)
				assert.Equal(t, 1, r.code, "%v", args)
				assert.Contains(t, r.stderr, c.want, "%v", args)
			}
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, before, after, "the file is left exactly as it was")
		})
	}
}

func TestRecordAddReadsWindows1251WhenAskedTo(t *testing.T) {
	dir := setUp(t)
	draft := `{"status": "draft", "post_code": "KZ-DOS", "occurred_at": "2026-02-10T09:30:00+05:00", "narrative": "Изъят пистолет у гражданина Щукина Ё.Э."}`
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(draft))
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "excel.json")
	require.NoError(t, os.WriteFile(file, b, 0o600))
	before := storetest.Dump(t, dir)
	r := kordon(t, "", "--data", dir, "record", "add", file)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "--encoding cp1251")
	assert.Equal(t, before, storetest.Dump(t, dir))

	r = kordon(t, "", "--data", dir, "record", "add", "--encoding", "cp1251", file)
	require.Equal(t, 0, r.code, r.stderr)
	number := strings.Fields(r.stdout)[0]
	r = kordon(t, "", "--data", dir, "record", "show", number)
	assert.Contains(t, r.stdout, "Изъят пистолет у гражданина Щукина Ё.Э.")

	r = kordon(t, "", "--data", dir, "record", "add", "--encoding", "cp1251", file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "added before", "running the same add again adds nothing twice")
}

func TestBackupAndRestoreThroughTheCommandLine(t *testing.T) {
	dir := setUp(t)
	require.Equal(t, 0, kordon(t, "", "--data", dir, "record", "add", withoutPhotos(t)).code)
	backup := filepath.Join(t.TempDir(), "backup.kordon-backup")
	r := kordon(t, "", "--data", dir, "backup", "--out", backup)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, backup)
	want := storetest.Dump(t, dir)

	require.NoError(t, os.Truncate(filepath.Join(dir, service.DatabaseFile), 0))
	r = kordon(t, "", "--data", dir, "restore", backup)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "before-restore")
	assert.Equal(t, want, storetest.Dump(t, dir))
	require.Equal(t, 0, kordon(t, "", "--data", dir, "audit").code)

	r = kordon(t, "", "--data", dir, "restore", backup)
	assert.Equal(t, 1, r.code, "a folder in order is not replaced without --replace")
}

// lockedBuffer is a buffer a command writes to while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestASecondKordonWaitsAndSaysSo(t *testing.T) {
	dir := setUp(t)
	// Another Kordon holds the write lock, as a long import does.
	tx, err := storetest.Open(t, dir).Begin()
	require.NoError(t, err)
	_, err = tx.Exec("INSERT INTO meta (key, value) VALUES ('importing', 'yes')")
	require.NoError(t, err)

	var out, errOut lockedBuffer
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		if k == "LANG" {
			return "en_US.UTF-8"
		}
		return ""
	}}
	done := make(chan int)
	go func() {
		done <- cli.Run(context.Background(), []string{"--data", dir, "record", "add", withoutPhotos(t)}, env)
	}()
	for !strings.Contains(errOut.String(), "waiting") {
		select {
		case code := <-done:
			t.Fatalf("the command ended (%d) without waiting: %s", code, errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	require.NoError(t, tx.Rollback())
	assert.Equal(t, 0, <-done, errOut.String())
	assert.NotContains(t, errOut.String(), "disk", "a busy database is not a full disk")
	assert.Contains(t, out.String(), "KZ-DOS-2026-0001")
}

func TestADataFolderGivenRelativeExports(t *testing.T) {
	post, office, keys := twoFolders(t)
	input := withoutPhotos(t)
	t.Chdir(filepath.Dir(post))
	rel := filepath.Base(post)
	require.Equal(t, 0, kordon(t, "", "--data", rel, "record", "add", input).code)
	usb := t.TempDir()
	r := kordon(t, "", "--data", rel, "export", "--out", usb, "--to", filepath.Join(keys, "office.pub"))
	require.Equal(t, 0, r.code, r.stderr)
	r = kordon(t, "", "--data", office, "import", filepath.Join(usb, "KZ-DOS-000001.kordon"))
	require.Equal(t, 0, r.code, r.stderr)
}
