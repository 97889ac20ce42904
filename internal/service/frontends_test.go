package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/translations"
)

// The behaviours in this file are decided once, here, for the desktop and
// the command line alike.

// withRecord adds a record like the example, without its photos, to a
// post and returns its id; each call adds another one.
func withRecord(t *testing.T, post *service.Service) string {
	t.Helper()
	m := exampleMap(t)
	m["narrative"] = fmt.Sprintf("%v (%s)", m["narrative"], t.Name()+time.Now().String())
	added, err := post.AddJSON(context.Background(), bytes.NewReader(marshal(t, m)), service.Intake{})
	require.NoError(t, err)
	return added.Added[0].ID.String()
}

func TestAnExportIsEncryptedToTheOfficeUnlessAskedPlain(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	withRecord(t, post)

	res, err := post.Export(ctx, service.ExportOptions{Out: t.TempDir()}, nil)
	require.NoError(t, err)
	head := make([]byte, 21)
	f, err := os.Open(res.Path)
	require.NoError(t, err)
	_, err = io.ReadFull(f, head)
	f.Close()
	require.NoError(t, err)
	assert.Equal(t, "age-encryption.org/v1", string(head), "an export without options is encrypted")
	got, err := office.Import(ctx, res.Path, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, got.New)

	withRecord(t, post)
	res, err = post.Export(ctx, service.ExportOptions{Out: t.TempDir(), Plain: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, "PK\x03\x04", string(bytesOf(t, res.Path)[:4]), "--plain writes the zip itself")

	_, err = post.Export(ctx, service.ExportOptions{Out: t.TempDir(), Plain: true, To: "age1whatever"}, nil)
	assert.ErrorIs(t, err, service.ErrPlainTo)
}

func TestARevokedOfficeGetsNoBundleAtAll(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	withRecord(t, post)
	opk, err := office.PublicKey(ctx)
	require.NoError(t, err)
	require.NoError(t, post.RevokeKey(ctx, opk.KeyID()))

	k, err := post.OfficeKey(ctx)
	require.NoError(t, err)
	assert.Nil(t, k, "a revoked office is not offered")
	for _, opts := range []service.ExportOptions{{}, {Plain: true}} {
		usb := t.TempDir()
		opts.Out = usb
		_, err := post.Export(ctx, opts, nil)
		assert.ErrorIs(t, err, service.ErrOfficeRevoked, "%+v", opts)
		left, _ := os.ReadDir(usb)
		assert.Empty(t, left)
	}
}

func TestFilesAreWrittenWholeAndReplacedOnlyWhenAsked(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	id := withRecord(t, post)
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	res, err := post.Export(ctx, service.ExportOptions{Out: t.TempDir()}, nil)
	require.NoError(t, err)
	_, err = office.Import(ctx, res.Path, nil)
	require.NoError(t, err)

	dir := t.TempDir()
	writes := map[string]func(path string, over service.Overwrite) error{
		"protocol": func(path string, over service.Overwrite) error {
			_, err := post.WriteProtocol(ctx, id, 0, path, over, cat.For("ru"), nil)
			return err
		},
		"receipt": func(path string, over service.Overwrite) error {
			_, err := office.WriteReceipt(ctx, "KZ-DOS", path, over)
			return err
		},
		"key": func(path string, over service.Overwrite) error {
			_, err := post.WritePublicKey(ctx, path, over)
			return err
		},
	}
	for name, write := range writes {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			require.NoError(t, os.WriteFile(path, []byte("an officer's own file"), 0o644))
			err := write(path, false)
			assert.ErrorIs(t, err, service.ErrFileExists)
			assert.Equal(t, "an officer's own file", string(bytesOf(t, path)), "not asked to replace: left as it was")

			require.NoError(t, write(path, true))
			assert.NotEqual(t, "an officer's own file", string(bytesOf(t, path)))

			fresh := filepath.Join(dir, name+"-new")
			require.NoError(t, write(fresh, false))
			assert.NotEmpty(t, bytesOf(t, fresh))
		})
	}
	partial, _ := filepath.Glob(filepath.Join(dir, "*.partial"))
	assert.Empty(t, partial)

	// A protocol that cannot be made leaves no file at all.
	bad := filepath.Join(dir, "none.pdf")
	_, err = post.WriteProtocol(ctx, "00000000-0000-0000-0000-000000000000", 0, bad, false, cat.For("ru"), nil)
	assert.ErrorIs(t, err, service.ErrNotFound)
	assert.NoFileExists(t, bad)
	assert.NoFileExists(t, bad+".partial")
}

func TestAReceiptIsReadOnlyUpToItsCap(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	big := filepath.Join(t.TempDir(), "receipt.txt")
	require.NoError(t, os.WriteFile(big, bytes.Repeat([]byte("k"), service.MaxReceipt+1), 0o644))
	_, _, err := post.AcknowledgeFile(ctx, big)
	var fe *service.Error
	require.True(t, errors.As(err, &fe), "%v", err)
	assert.Equal(t, "service.err.file_too_large", fe.Key)
}

func TestCrossingPointsReadTheSameEverywhere(t *testing.T) {
	for _, c := range []struct{ typed string }{
		{"Торугарт (авто); Торугарт (грузовой) ;"},
		{"Торугарт (авто)\nТоругарт (грузовой)\n\n"},
		{"Торугарт (авто)\r\nТоругарт (грузовой);Торугарт (авто)"},
	} {
		assert.Equal(t, []string{"Торугарт (авто)", "Торугарт (грузовой)"}, service.ParseCrossingPoints(c.typed), "%q", c.typed)
	}
	ctx := context.Background()
	post := initFolder(t, "KG-TOR", "Торугарт", false)
	require.NoError(t, post.SaveSettings(ctx, service.Settings{PostName: " Торугарт ", CrossingPoints: []string{"A; B", "C"}, OfficerName: " Асанов "}))
	set, err := post.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, service.Settings{PostName: "Торугарт", CrossingPoints: []string{"A", "B", "C"}, OfficerName: "Асанов"}, set)
	assert.ErrorIs(t, post.SaveSettings(ctx, service.Settings{PostName: "  "}), service.ErrPostNameEmpty)
	again, err := post.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, set, again, "a refused change changes nothing")
}

// Long work stopped half-way (the officer's Stop, or closing the window)
// leaves everything as it was, and can simply be done again.
func TestStoppedWorkLeavesNothingHalfDone(t *testing.T) {
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	for range 3 {
		withRecord(t, post)
	}
	stopAt := func() (context.Context, service.Progress) {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		return ctx, func(done, total int) { cancel() } // at the first report
	}

	usb := t.TempDir()
	ctx, progress := stopAt()
	_, err := post.Export(ctx, service.ExportOptions{Out: usb}, progress)
	require.Error(t, err, "an export stopped half-way")
	left, _ := os.ReadDir(usb)
	assert.Empty(t, left, "a stopped export leaves no file")
	res, err := post.Export(context.Background(), service.ExportOptions{Out: usb}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), res.Sequence, "the bundle stopped is the one written next")
	assert.Equal(t, 3, res.Versions)

	before := storetest.Dump(t, office.Dir)
	ctx, progress = stopAt()
	_, err = office.Import(ctx, res.Path, progress)
	require.Error(t, err, "an import stopped half-way")
	assert.Equal(t, before, storetest.Dump(t, office.Dir), "a stopped import changes nothing")
	got, err := office.Import(context.Background(), res.Path, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, got.New)

	backup := filepath.Join(t.TempDir(), "b.kordon-backup")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = post.Backup(ctx, backup)
	require.Error(t, err)
	assert.NoFileExists(t, backup)
	partial, _ := filepath.Glob(backup + "*")
	assert.Empty(t, partial)
}

func TestNamesThatGoOntoRecordsAreCheckedAtSetUp(t *testing.T) {
	for _, c := range []service.Setup{
		{PostCode: "KZ-DOS", PostName: "Достык", CrossingPoints: []string{"A\u202eB"}},
		{PostCode: "KZ-DOS", PostName: "D\x1b[2J"},
		{PostCode: "KZ-DOS", PostName: "Достык", Agency: "КГД\a"},
		{PostCode: "KZ-DOS", PostName: strings.Repeat("Д", 201)},
	} {
		dir := t.TempDir()
		_, err := service.Init(context.Background(), dir, c)
		var fe *service.Error
		require.True(t, errors.As(err, &fe), "%+v: %v", c, err)
		assert.Equal(t, "service.err.bad_name", fe.Key)
		left, _ := os.ReadDir(dir)
		assert.Empty(t, left, "a refused set-up leaves nothing")
	}
	post := initFolder(t, "KZ-DOS", "Достык", false)
	err := post.SaveSettings(context.Background(), service.Settings{PostName: "Достык", OfficerName: "Иванов\u202e"})
	assert.Error(t, err)
}

func TestAPostChangesOfficeOnlyByRevokingTheFirst(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	first, second := initFolder(t, "KZ-ALM", "Алматы", true), initFolder(t, "KZ-AST", "Астана", true)
	trustEachOther(t, post, first)
	opk, err := second.PublicKey(ctx)
	require.NoError(t, err)
	var fe *service.Error
	require.True(t, errors.As(post.Trust(ctx, opk, ""), &fe))
	assert.Equal(t, "service.err.office_trusted", fe.Key)
	k, err := post.OfficeKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, "KZ-ALM", k.Post, "bundles still go to the first office")

	fpk, err := first.PublicKey(ctx)
	require.NoError(t, err)
	require.NoError(t, post.RevokeKey(ctx, fpk.Fingerprint()))
	require.NoError(t, post.Trust(ctx, opk, ""))
	k, err = post.OfficeKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, "KZ-AST", k.Post)
}

// No use case writes over Kordon's own files, whatever the path or --force
// says; a folder that does not exist is said so, and is never made.
func TestFilesAreNeverWrittenAmongKordonsOwn(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	id := withRecord(t, post)
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(post.Dir, link))
	before := storetest.Dump(t, post.Dir)
	key := bytesOf(t, filepath.Join(post.Dir, "keys", "device.key"))
	for _, path := range []string{
		filepath.Join(post.Dir, "kordon.db"),
		filepath.Join(post.Dir, "keys", "device.key"),
		filepath.Join(post.Dir, "new.pdf"),
		filepath.Join(link, "kordon.db"),
		filepath.Join(post.Dir, service.ProtocolsDir, "..", "kordon.db"),
	} {
		_, err := post.WriteProtocol(ctx, id, 0, path, true, cat.For("ru"), nil)
		assert.ErrorIs(t, err, service.ErrInDataFolder, path)
		_, err = post.WritePublicKey(ctx, path, true)
		assert.ErrorIs(t, err, service.ErrInDataFolder, path)
		_, err = post.Export(ctx, service.ExportOptions{Out: path}, nil)
		assert.ErrorIs(t, err, service.ErrInDataFolder, path)
	}
	assert.Equal(t, before, storetest.Dump(t, post.Dir))
	assert.Equal(t, key, bytesOf(t, filepath.Join(post.Dir, "keys", "device.key")))

	// The desktop's own protocols folder is the exception, made if missing.
	inside := filepath.Join(post.Dir, service.ProtocolsDir, "p.pdf")
	_, err = post.WriteProtocol(ctx, id, 0, inside, true, cat.For("ru"), nil)
	require.NoError(t, err)

	missing := filepath.Join(t.TempDir(), "usbb", "b.kordon")
	_, err = post.Export(ctx, service.ExportOptions{Out: missing}, nil)
	var fe *service.Error
	require.True(t, errors.As(err, &fe), "%v", err)
	assert.Equal(t, "service.err.no_folder", fe.Key)
	assert.NoDirExists(t, filepath.Dir(missing))
	res, err := post.Export(ctx, service.ExportOptions{Out: t.TempDir()}, nil)
	require.NoError(t, err)
	assert.False(t, res.Resumed, "a refused export reserved nothing")
	_, err = post.WritePublicKey(ctx, filepath.Join(t.TempDir(), "a", "b", "k.pub"), false)
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "service.err.no_folder", fe.Key)
}

func TestEachOpenRecordHasItsOwnUnsavedSlot(t *testing.T) {
	ctx := context.Background()
	post := initFolder(t, "KZ-DOS", "Достык", false)
	p, _ := post.Post(ctx)
	one := &record.Interdiction{ID: record.NewID(p.DeviceID), Status: record.StatusDraft, Narrative: "первая"}
	two := &record.Interdiction{ID: record.NewID(p.DeviceID), Status: record.StatusDraft, Narrative: "вторая"}
	require.NoError(t, post.KeepUnsaved(ctx, one))
	require.NoError(t, post.KeepUnsaved(ctx, two))
	one.Narrative = "первая, дополнена"
	require.NoError(t, post.KeepUnsaved(ctx, one))
	got, err := post.Unsaved(ctx)
	require.NoError(t, err)
	require.Len(t, got, 2, "no form overwrites another's slot")
	texts := []string{got[0].Narrative, got[1].Narrative}
	assert.ElementsMatch(t, []string{"первая, дополнена", "вторая"}, texts)

	// The single slot of earlier versions is still offered, and dropped.
	legacy := &record.Interdiction{ID: record.NewID(p.DeviceID), Status: record.StatusDraft, Narrative: "старая"}
	raw, _ := json.Marshal(legacy)
	require.NoError(t, service.StoreOf(post).SetMeta(ctx, map[string]string{"ui_unsaved": string(raw)}))
	got, _ = post.Unsaved(ctx)
	assert.Len(t, got, 3)
	for _, in := range []*record.Interdiction{one, two, legacy} {
		require.NoError(t, post.DropUnsaved(ctx, in.ID))
	}
	got, _ = post.Unsaved(ctx)
	assert.Empty(t, got)
}

// At the office a post's version says who saved it at the post and when,
// from the post's own audit trail; the import is told apart.
func TestTheOfficeSeesWhoMadeAVersionAtThePost(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	post.Actor, office.Actor = "Серикбаев А.", "Аналитик Б."
	id := withRecord(t, post)
	at, err := post.History(ctx, id)
	require.NoError(t, err)
	res, err := post.Export(ctx, service.ExportOptions{Out: t.TempDir()}, nil)
	require.NoError(t, err)
	_, err = office.Import(ctx, res.Path, nil)
	require.NoError(t, err)

	got, err := office.History(ctx, id)
	require.NoError(t, err)
	require.Len(t, got, 1)
	v := got[0]
	assert.Equal(t, "Серикбаев А.", v.MadeBy, "who saved it at the post")
	assert.WithinDuration(t, at[0].SavedAt, v.MadeAt, time.Second, "when it was saved at the post")
	assert.Equal(t, "Аналитик Б.", v.Actor, "who imported it")
	mine, err := post.History(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, mine[0].MadeBy, "the post's own versions need no other maker")
}
