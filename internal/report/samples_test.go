package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/tracing"
)

// TestWriteSamples writes sample protocols to look at, when the environment
// variable KORDON_REPORT_SAMPLES names a folder:
//
//	KORDON_REPORT_SAMPLES=/tmp/samples go test -run WriteSamples ./internal/report/
//	pdftoppm -png -r 80 -f 1 -l 1 /tmp/samples/protocol-ru.pdf /tmp/samples/ru
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("KORDON_REPORT_SAMPLES")
	if dir == "" {
		t.Skip("set KORDON_REPORT_SAMPLES to a folder to write sample protocols")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	cat := catalog(t)
	store, shas := photoSet(t, 6)
	for _, s := range []struct {
		file        string
		lang, lang2 string
		training    bool
		items       int
	}{
		{file: "protocol-ru.pdf", lang: "ru"},
		{file: "protocol-en.pdf", lang: "en"},
		{file: "protocol-ru-en.pdf", lang: "ru", lang2: "en"},
		{file: "protocol-kk-ru.pdf", lang: "kk", lang2: "ru"},
		{file: "protocol-tg-ru.pdf", lang: "tg", lang2: "ru"},
		{file: "protocol-uz-ru.pdf", lang: "uz", lang2: "ru"},
		{file: "protocol-training-en.pdf", lang: "en", training: true},
		{file: "protocol-200-ru.pdf", lang: "ru", items: 200},
	} {
		in := fullRecord()
		if s.items > 0 {
			in = manyItems(s.items)
		}
		withPhotos(in, shas)
		in.Training = s.training
		opt := Options{Lang: cat.For(s.lang), Agency: "Комитет государственных доходов Министерства финансов Республики Казахстан",
			PostName: "Таможенный пост «Достық»", Hash: hashOf(t, in), Photo: loader(store)}
		if s.lang2 != "" {
			opt.Lang2 = cat.For(s.lang2)
		}
		var buf bytes.Buffer
		warnings, err := Protocol(&buf, in, opt)
		require.NoError(t, err)
		require.Empty(t, warnings)
		require.NoError(t, os.WriteFile(filepath.Join(dir, s.file), buf.Bytes(), 0o644))
	}
}

// TestWriteTraceSamples writes sample tracing requests to look at, as
// TestWriteSamples does.
func TestWriteTraceSamples(t *testing.T) {
	dir := os.Getenv("KORDON_REPORT_SAMPLES")
	if dir == "" {
		t.Skip("set KORDON_REPORT_SAMPLES to a folder to write sample tracing requests")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	cat := catalog(t)
	store, shas := photoSet(t, 4)
	tags := []string{"serial", "serial", "marking", "left_side"}
	for _, s := range []struct {
		file        string
		lang, lang2 string
		part        bool
	}{
		{file: "trace-ru-en.pdf", lang: "ru", lang2: "en"},
		{file: "trace-kk-en.pdf", lang: "kk", lang2: "en"},
		{file: "trace-en.pdf", lang: "en"},
		{file: "trace-part-tg-ru.pdf", lang: "tg", lang2: "ru", part: true},
	} {
		d := traceFirearm()
		if s.part {
			d = tracePart()
		}
		for i, sha := range shas {
			d.Photos = append(d.Photos, tracing.Photo{SHA256: sha, Tag: tags[i], Caption: "Снимок " + strconv.Itoa(i+1)})
		}
		opt := Options{Lang: cat.For(s.lang), Photo: loader(store)}
		if s.lang2 != "" {
			opt.Lang2 = cat.For(s.lang2)
		}
		var buf bytes.Buffer
		warnings, err := TraceRequest(&buf, d, opt)
		require.NoError(t, err)
		require.Empty(t, warnings)
		require.NoError(t, os.WriteFile(filepath.Join(dir, s.file), buf.Bytes(), 0o644))
	}
}
