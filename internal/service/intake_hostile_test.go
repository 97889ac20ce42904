package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/store/storetest"
)

// example is testdata/record.json as a map, without its photo.
func exampleMap(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("../../testdata/record.json")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	delete(m, "photos")
	return m
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// withPhoto is the example naming one photo file.
func withPhoto(t *testing.T, file string) []byte {
	m := exampleMap(t)
	m["photos"] = []any{map[string]any{"file": file, "tag": "serial"}}
	return marshal(t, m)
}

// intakeKey is the message key of an intake refusal, or of the first
// problem of a refused record.
func intakeKey(err error) string {
	var ie *service.IntakeError
	if errors.As(err, &ie) {
		return ie.Key
	}
	var errs record.Errors
	if errors.As(err, &errs) {
		return errs[0].Key + " " + errs[0].Path
	}
	return err.Error()
}

func TestHostileIntakeIsRefusedAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	jpeg, err := os.ReadFile("../../testdata/photos/serial.jpg")
	require.NoError(t, err)
	cases := []struct {
		name string
		// input writes the input into dir, beside which the data folder is;
		// it returns the input and the intake options.
		input func(t *testing.T, dir, data string) ([]byte, service.Intake)
		want  string
	}{
		{"a photo that climbs out to the signing key", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			rel, err := filepath.Rel(dir, filepath.Join(data, "keys", "device.key"))
			require.NoError(t, err)
			return withPhoto(t, rel), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_outside"},
		{"a photo named by its absolute path", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			return withPhoto(t, filepath.Join(data, "keys", "device.key")), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_outside"},
		{"a symbolic link out of the folder", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			elsewhere := filepath.Join(t.TempDir(), "real.jpg")
			require.NoError(t, os.WriteFile(elsewhere, jpeg, 0o600))
			require.NoError(t, os.Symlink(elsewhere, filepath.Join(dir, "photo.jpg")))
			return withPhoto(t, "photo.jpg"), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_outside"},
		{"a symbolic link to the signing key", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			require.NoError(t, os.Symlink(filepath.Join(data, "keys", "device.key"), filepath.Join(dir, "photo.jpg")))
			return withPhoto(t, "photo.jpg"), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_in_data"},
		{"a photo inside the data folder", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			return withPhoto(t, "keys/device.key"), service.Intake{PhotoDir: data}
		}, "intake.err.photo_in_data"},
		{"a text file named .jpg", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "photo.jpg"), []byte("-----BEGIN KORDON SIGNING KEY-----\n"), 0o600))
			return withPhoto(t, "photo.jpg"), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_not_picture"},
		{"a JPEG cut short", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "photo.jpg"), jpeg[:len(jpeg)/2], 0o600))
			return withPhoto(t, "photo.jpg"), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_not_picture"},
		{"a photo of 33 MB", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			path := filepath.Join(dir, "photo.jpg")
			require.NoError(t, os.WriteFile(path, jpeg, 0o600))
			require.NoError(t, os.Truncate(path, 33<<20))
			return withPhoto(t, "photo.jpg"), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_too_large"},
		{"a named pipe", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "photo.jpg"), 0o600))
			return withPhoto(t, "photo.jpg"), service.Intake{PhotoDir: dir}
		}, "intake.err.photo_file"},
		{"Windows-1251 read as UTF-8", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			return russianCP1251(t), service.Intake{PhotoDir: dir}
		}, "intake.err.not_utf8"},
		{"invalid UTF-8", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			return bytes.Replace(marshal(t, exampleMap(t)), []byte("Иванов"[:2]), []byte{0xd0, 0x20}, 1), service.Intake{PhotoDir: dir}
		}, "intake.err.not_utf8"},
		{"UTF-16", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			return []byte{0xff, 0xfe, '{', 0, '}', 0}, service.Intake{PhotoDir: dir}
		}, "intake.err.utf16"},
		{"an unknown encoding", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			return marshal(t, exampleMap(t)), service.Intake{PhotoDir: dir, Encoding: "koi8-r"}
		}, "intake.err.encoding"},
		{"a key given twice", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			b := marshal(t, exampleMap(t))
			return bytes.Replace(b, []byte(`"status":"final"`), []byte(`"status":"draft","status":"final"`), 1), service.Intake{PhotoDir: dir}
		}, "intake.err.duplicate_key"},
		{"a key given twice deep inside", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			b := marshal(t, exampleMap(t))
			return bytes.Replace(b, []byte(`"number":"ХА 1234567"`), []byte(`"number":"ХА 1234567","number":"ХА 7654321"`), 1), service.Intake{PhotoDir: dir}
		}, "intake.err.duplicate_key"},
		{"a key given twice, once escaped", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			b := marshal(t, exampleMap(t))
			return bytes.Replace(b, []byte(`"status":"final"`), []byte(`"status":"draft","st\u0061tus":"final"`), 1), service.Intake{PhotoDir: dir}
		}, "intake.err.duplicate_key"},
		{"a key given twice in another case", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			b := marshal(t, exampleMap(t))
			return bytes.Replace(b, []byte(`"status":"final"`), []byte(`"status":"draft","Status":"final"`), 1), service.Intake{PhotoDir: dir}
		}, "intake.err.duplicate_key"},
		{"a version in capitals", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["VERSION"] = 1
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "intake.err.set_by_program"},
		{"a version", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["version"] = 7
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "intake.err.set_by_program"},
		{"another post's number", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["number"] = "KZ-KHO-2026-0001"
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "intake.err.set_by_program"},
		{"an origin", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["origin"] = "0b0b0b0b-0000-4000-8000-000000000000"
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "intake.err.set_by_program"},
		{"another post's record id", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["id"] = record.NewID("another-device").String()
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "intake.err.set_by_program"},
		{"another post's code", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["post_code"] = "KZ-KHO"
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "intake.err.other_post"},
		{"a crossing point not of this post", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["crossing_point"] = "Хоргос"
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "intake.err.crossing_point"},
		{"a NUL in a name", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["people"].([]any)[0].(map[string]any)["name"] = "Ўринов\u0000Жасур"
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "err.bad_char people[0].name"},
		{"a serial of 10,000 characters", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			fa := m["items"].([]any)[0].(map[string]any)["firearm"].(map[string]any)
			fa["serials"].([]any)[0].(map[string]any)["number"] = strings.Repeat("1", 10000)
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "err.too_long items[0].firearm.serials[0].number"},
		{"a phone that is not a number", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["people"].([]any)[0].(map[string]any)["phone"] = "через брата"
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "err.phone people[0].phone"},
		{"an organisation's phone of 40 digits", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			m["organisations"].([]any)[0].(map[string]any)["phone"] = strings.Repeat("7", 40)
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "err.phone organisations[0].phone"},
		{"a right-to-left override in a serial", func(t *testing.T, dir, data string) ([]byte, service.Intake) {
			m := exampleMap(t)
			fa := m["items"].([]any)[0].(map[string]any)["firearm"].(map[string]any)
			fa["serials"].([]any)[0].(map[string]any)["number"] = "ХА \u202e7654321"
			return marshal(t, m), service.Intake{PhotoDir: dir}
		}, "err.bad_char items[0].firearm.serials[0].number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := t.TempDir()
			svc, err := service.Init(ctx, data, service.Setup{PostCode: "KZ-DOS", PostName: "Достык", CrossingPoints: []string{"Достык (авто)", "Достык (ж/д)"}})
			require.NoError(t, err)
			defer svc.Close()
			svc.Actor = "test"
			input, opts := c.input(t, t.TempDir(), data)
			before := storetest.Dump(t, data)
			res, err := svc.AddJSON(ctx, bytes.NewReader(input), opts)
			require.Error(t, err, "%+v", res)
			assert.Equal(t, c.want, intakeKey(err))
			assert.Equal(t, before, storetest.Dump(t, data), "the store is left exactly as it was")
		})
	}
}

// russianCP1251 is a draft in Russian as Excel on a Russian Windows saves
// it: Windows-1251.
func russianCP1251(t *testing.T) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(`{"status": "draft", "post_code": "KZ-DOS", "occurred_at": "2026-02-10T09:30:00+05:00",
  "narrative": "Обнаружен тайник с оружием; водитель — Щукин Ёрик, «Ъ».",
  "people": [{"role": "driver", "name": "Щукин Ёрик Эдуардович"}]}`))
	require.NoError(t, err)
	return b
}

func TestWindows1251IsReadWhenAskedFor(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	res, err := svc.AddJSON(ctx, bytes.NewReader(russianCP1251(t)), service.Intake{Encoding: service.CP1251})
	require.NoError(t, err)
	require.Len(t, res.Added, 1)
	cur, err := svc.Get(ctx, res.Added[0].Ref())
	require.NoError(t, err)
	assert.Equal(t, "Щукин Ёрик Эдуардович", cur.Record.People[0].Name, "every Cyrillic letter comes through")
	assert.Equal(t, "Обнаружен тайник с оружием; водитель — Щукин Ёрик, «Ъ».", cur.Record.Narrative)
}

func TestTheSameIntakeAgainAddsNothing(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	first := marshal(t, exampleMap(t))
	second := exampleMap(t)
	second["remarks"] = "Другая запись."
	batch := []byte("[" + string(first) + "," + string(marshal(t, second)) + "]")

	res, err := svc.AddJSON(ctx, bytes.NewReader(first), service.Intake{})
	require.NoError(t, err)
	require.Len(t, res.Added, 1)
	number := res.Added[0].Number

	// Run again after a crash, with the next record added to the file.
	res, err = svc.AddJSON(ctx, bytes.NewReader(batch), service.Intake{})
	require.NoError(t, err)
	require.Len(t, res.Added, 1, "only the new record is added")
	assert.Equal(t, "Другая запись.", res.Added[0].Remarks)
	assert.Equal(t, map[int]store.Added{0: {ID: res.Before[0].ID, Number: number}}, res.Before)

	before := storetest.Dump(t, svc.Dir)
	res, err = svc.AddJSON(ctx, bytes.NewReader(batch), service.Intake{})
	require.NoError(t, err)
	assert.Empty(t, res.Added)
	assert.Len(t, res.Before, 2)
	assert.Equal(t, before, storetest.Dump(t, svc.Dir))
	n, err := svc.Count(ctx, store.Filter{})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

func TestAPrintedRecordComesBackAsItWas(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	res, err := svc.AddJSON(ctx, bytes.NewReader(marshal(t, exampleMap(t))), service.Intake{})
	require.NoError(t, err)
	cur, err := svc.Get(ctx, res.Added[0].Ref())
	require.NoError(t, err)
	var printed bytes.Buffer
	enc := json.NewEncoder(&printed)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(cur.Record)) // as `record show --json` prints it

	before := storetest.Dump(t, svc.Dir)
	res, err = svc.AddJSON(ctx, bytes.NewReader(printed.Bytes()), service.Intake{})
	require.NoError(t, err)
	assert.Empty(t, res.Added)
	assert.Equal(t, cur.Record.Number, res.Before[0].Number)
	assert.Equal(t, before, storetest.Dump(t, svc.Dir))

	changed := bytes.Replace(printed.Bytes(), []byte("Водитель от объяснений отказался."), []byte("Изменено."), 1)
	_, err = svc.AddJSON(ctx, bytes.NewReader(changed), service.Intake{})
	assert.Equal(t, "intake.err.stored_differs", intakeKey(err))
	assert.Equal(t, before, storetest.Dump(t, svc.Dir))
}

func TestPhotosAreReadFromTheirFolder(t *testing.T) {
	ctx := context.Background()
	svc := setUp(t)
	dir := t.TempDir()
	jpeg, err := os.ReadFile("../../testdata/photos/serial.jpg")
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "a.jpg"), jpeg, 0o600))
	require.NoError(t, os.Symlink("sub/a.jpg", filepath.Join(dir, "link.jpg")))
	m := exampleMap(t)
	m["photos"] = []any{map[string]any{"file": "sub/a.jpg"}, map[string]any{"file": "link.jpg", "media_type": "image/png"}}
	res, err := svc.AddJSON(ctx, bytes.NewReader(marshal(t, m)), service.Intake{PhotoDir: dir})
	require.NoError(t, err, "a folder inside, and a link that stays inside, are fine")
	assert.Equal(t, "image/jpeg", res.Added[0].Photos[1].MediaType, "the media type is the content's")
}
