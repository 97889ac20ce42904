package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
	"github.com/kordon/kordon/translations"
)

func setUp(t testing.TB) *service.Service {
	t.Helper()
	svc, err := service.Init(context.Background(), t.TempDir(), service.Setup{PostCode: "KZ-DOS", PostName: "Достык"},
		store.WithClock(func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }))
	require.NoError(t, err)
	t.Cleanup(func() { svc.Close() })
	svc.Actor = "test"
	return svc
}

func TestInitValidatesThePost(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		setup service.Setup
		err   error
	}{
		{service.Setup{PostCode: "kz-dos", PostName: "Достык"}, nil},
		{service.Setup{PostCode: "KZDOS", PostName: "Достык"}, service.ErrBadPostCode},
		{service.Setup{PostCode: "QQ-DOS", PostName: "Достык"}, service.ErrBadPostCode},
		{service.Setup{PostCode: "KZ-DOS", PostName: "  "}, service.ErrPostNameEmpty},
	}
	for _, c := range cases {
		svc, err := service.Init(ctx, t.TempDir(), c.setup)
		if c.err != nil {
			assert.ErrorIs(t, err, c.err)
			continue
		}
		require.NoError(t, err)
		p, err := svc.Post(ctx)
		require.NoError(t, err)
		assert.Equal(t, "KZ-DOS", p.Code)
		assert.Equal(t, "post", p.Role)
		assert.Len(t, p.DeviceID, 36)
		svc.Close()
	}
}

func TestResolveByIDOrNumber(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	f, err := os.Open("../../testdata/record.json")
	require.NoError(t, err)
	defer f.Close()
	res, err := svc.AddJSON(ctx, f, service.Intake{PhotoDir: "../../testdata"})
	require.NoError(t, err)
	id := res.Added[0].ID.String()
	for _, ref := range []string{id, "KZ-DOS-2026-0001", "kz-dos-2026-0001"} {
		got, err := svc.Resolve(ctx, ref)
		require.NoError(t, err)
		cur, err := svc.Get(ctx, got)
		require.NoError(t, err)
		assert.Equal(t, id, cur.Record.ID.String())
	}
	_, err = svc.Resolve(ctx, "KZ-DOS-2026-9999")
	assert.ErrorIs(t, err, store.ErrNotFound)
}

// FuzzAddJSON feeds arbitrary bytes to the JSON intake: it must never
// panic, whatever it refuses must leave the store as it was, whatever it
// takes must verify, and the same input again must add nothing. The seeds
// are valid records (testdata/record.json without and with its photo, as
// an array, a draft), so the fuzzer starts past the JSON decoder, in the
// checks and the store.
func FuzzAddJSON(f *testing.F) {
	example, err := os.ReadFile("../../testdata/record.json")
	if err != nil {
		f.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(example, &m); err != nil {
		f.Fatal(err)
	}
	delete(m, "photos")
	bare, err := json.Marshal(m)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(example)
	f.Add(bare)
	f.Add([]byte("[" + string(bare) + "," + strings.Replace(string(bare), "Водитель", "Пассажир", 1) + "]"))
	f.Add([]byte(`{"status":"draft","post_code":"KZ-DOS","occurred_at":"2026-01-01T00:00:00Z","narrative":"Ўринов\tOʻrinov"}`))
	f.Add([]byte(`[{"status":"final"},{"items":[{"kind":"firearm","quantity":-1}]}]`))
	f.Add([]byte(`{"id":"not-a-uuid"}`))
	f.Add([]byte(`{"status":"draft","status":"final"}`))
	f.Add([]byte(`{"occurred_at":"yesterday"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte("\ufeff{}"))
	svc := setUp(f)
	dir := svc.Dir
	photos := filepath.Join(f.TempDir(), "photos")
	if err := os.MkdirAll(photos, 0o700); err != nil {
		f.Fatal(err)
	}
	if err := os.Link("../../testdata/photos/serial.jpg", filepath.Join(photos, "serial.jpg")); err != nil {
		jpeg, _ := os.ReadFile("../../testdata/photos/serial.jpg")
		os.WriteFile(filepath.Join(photos, "serial.jpg"), jpeg, 0o600)
	}
	opts := service.Intake{PhotoDir: filepath.Dir(photos)}
	f.Fuzz(func(t *testing.T, data []byte) {
		before := storetest.Dump(t, dir)
		res, err := svc.AddJSON(context.Background(), bytes.NewReader(data), opts)
		if err != nil {
			if after := storetest.Dump(t, dir); after != before {
				t.Fatalf("refused input changed the store: %v", err)
			}
			return
		}
		if len(res.Added)+len(res.Before) == 0 {
			t.Fatal("no error and no record")
		}
		if err := svc.Verify(context.Background()); err != nil {
			t.Fatalf("audit after intake: %v", err)
		}
		again, err := svc.AddJSON(context.Background(), bytes.NewReader(data), opts)
		if err != nil || len(again.Added) != 0 {
			t.Fatalf("the same input again added %v (%v)", again, err)
		}
	})
}

func TestAttachedPhotosAreKeptInPrintForm(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	f, err := os.Open("../../testdata/record.json")
	require.NoError(t, err)
	defer f.Close()
	res, err := svc.AddJSON(ctx, f, service.Intake{PhotoDir: "../../testdata"})
	require.NoError(t, err)
	added := res.Added
	sha := added[0].Photos[0].SHA256
	form, err := service.StoreOf(svc).PrintForm(ctx, sha)
	require.NoError(t, err)
	require.NotEmpty(t, form, "intake makes the print form")
	assert.Equal(t, []byte{0xff, 0xd8}, form[:2], "a JPEG")

	var pdf bytes.Buffer
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	warnings, err := svc.Protocol(ctx, added[0].ID.String(), 0, &pdf, cat.For("ru"), nil)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	assert.True(t, bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")))
}
