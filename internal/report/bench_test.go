package report

import (
	"bytes"
	"testing"

	"github.com/kordon/kordon/internal/tracing"
)

// BenchmarkProtocol20Items6Photos renders a protocol of 20 items with six
// 4000×3000 phone photos. "first" prints photos never printed before, so
// each iteration decodes and scales all six; "again" reprints with the
// scaled photos in the cache, as when an officer prints a second copy.
func BenchmarkProtocol20Items6Photos(b *testing.B) {
	store, shas := photoSet(b, 6)
	in := manyItems(20)
	withPhotos(in, shas)
	opt := Options{Lang: catalog(b).For("ru"), Hash: hashOf(b, in), Photo: loader(store),
		Agency: "Комитет государственных доходов", PostName: "Достық"}
	for _, bc := range []struct {
		name  string
		reset bool
	}{{"first", true}, {"again", false}} {
		b.Run(bc.name, func(b *testing.B) {
			defer photoCache.reset(32 << 20)
			var buf bytes.Buffer
			if _, err := Protocol(&buf, in, opt); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if bc.reset {
					photoCache.reset(32 << 20)
				}
				buf.Reset()
				if _, err := Protocol(&buf, in, opt); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "B/pdf")
		})
	}
}

// BenchmarkProtocol200Items renders a protocol of 200 firearms, about 20
// pages.
func BenchmarkProtocol200Items(b *testing.B) {
	in := manyItems(200)
	opt := Options{Lang: catalog(b).For("ru"), Hash: hashOf(b, in), Agency: "Комитет государственных доходов", PostName: "Достық"}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if _, err := Protocol(&buf, in, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "B/pdf")
}

// BenchmarkProtocol20Items6PhotosPrepared is the same protocol when the
// photos' print forms were made as they were attached (PrintForm), as the
// application does: nothing is decoded at full size while printing.
func BenchmarkProtocol20Items6PhotosPrepared(b *testing.B) {
	store, shas := photoSet(b, 6)
	in := manyItems(20)
	withPhotos(in, shas)
	forms := map[string][]byte{}
	for _, sha := range shas {
		data, _ := loader(store)(sha)
		form, err := PrintForm(data)
		if err != nil {
			b.Fatal(err)
		}
		forms[sha] = form
	}
	opt := Options{Lang: catalog(b).For("ru"), Hash: hashOf(b, in), Photo: loader(store),
		Prepared: func(sha string) []byte { return forms[sha] },
		Agency:   "Комитет государственных доходов", PostName: "Достық"}
	defer photoCache.reset(32 << 20)
	var buf bytes.Buffer
	for b.Loop() {
		photoCache.reset(32 << 20)
		buf.Reset()
		if _, err := Protocol(&buf, in, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "B/pdf")
}

// BenchmarkTraceRequest4Photos renders a bilingual tracing request with
// four 4000×3000 phone photos whose print forms were made as they were
// attached (PrintForm), as the application does.
func BenchmarkTraceRequest4Photos(b *testing.B) {
	store, shas := photoSet(b, 4)
	d := traceFirearm()
	forms := map[string][]byte{}
	for _, sha := range shas {
		d.Photos = append(d.Photos, tracing.Photo{SHA256: sha, Tag: "serial", Caption: "Серийный номер"})
		form, err := PrintForm(store[sha])
		if err != nil {
			b.Fatal(err)
		}
		forms[sha] = form
	}
	cat := catalog(b)
	opt := Options{Lang: cat.For("ru"), Lang2: cat.For("en"), Photo: loader(store),
		Prepared: func(sha string) []byte { return forms[sha] }}
	defer photoCache.reset(32 << 20)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		photoCache.reset(32 << 20)
		buf.Reset()
		if _, err := TraceRequest(&buf, d, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "B/pdf")
}
