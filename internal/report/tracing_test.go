package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
)

// traceHash is the source record's hash in the test requests.
var traceHash = strings.Repeat("5e", 32)

// traceFirearm is a tracing request for a rifle with two serials on
// different parts, one partly obliterated, a calibre code and the stamped
// text, an import mark and other markings, and different countries of
// manufacture marked and assessed.
func traceFirearm() *tracing.Document {
	return &tracing.Document{
		Format: tracing.DocumentFormat, FormatVersion: tracing.DocumentVersion,
		Reference: "KZ-KGD/TR-2026-017", Date: "2026-03-20", To: "BG", Priority: "urgent",
		Urgency: "Задержанные подлежат освобождению через 72 часа; партия из 40 единиц",
		Requester: tracing.Requester{
			Country: "KZ", Agency: "Комитет государственных доходов Министерства финансов Республики Казахстан",
			Office: "Департамент государственных доходов по городу Алматы", OfficeCode: "KZ-ALM",
			Officer: officer1Name, Contact: "+7 727 250 00 00, trace@kgd.gov.kz",
		},
		Recovery: tracing.Recovery{
			At: occurredAt, Post: "KZ-DOS", Place: "Достық (темір жол өткізу пункті)",
			GPS: &record.GPS{Lat: 45.251736, Lon: 82.479217}, Type: "seized",
			LegalBasis: "illicit_import", LegalBasisText: "ст. 286 УК РК; " + kazakhLetters,
			CriminalContext: []string{"trafficking", "organised_crime"},
			Route:           record.Route{Departure: "AF", Transit: []string{"TJ", "UZ"}, Destination: "KZ"},
		},
		Item: tracing.Item{
			ID: nextID(11).String(), Kind: record.KindFirearm, Category: "assault_rifle", Quantity: 1,
			Make: "Arsenal AD", Model: "AR-M1F", Calibre: record.Calibre{Code: "7.62x39", Stamped: "7,62x39 M43"},
			Serials: []record.Serial{
				{Part: "receiver", Number: "ЖЖ-771234", State: "intact"},
				{Part: "bolt", Number: "88-1234", State: "partly_obliterated"},
			},
			Year: 1998, CountryMarked: "BG", CountryAssessed: "RU",
			ImportMark: &record.Mark{Country: "UA", Year: 2004},
			Markings:   "Клеймо «10» в двойном круге; ОТК на цевье",
			Condition:  "factory", Description: "Приклад складной, магазин отсутствует",
		},
		Source: tracing.Source{RecordID: recordID.String(), Number: "KZ-DOS-2026-0042", Version: 3, Hash: traceHash},
	}
}

// tracePart is a tracing request for a major part: a receiver with its
// own serial and a second, partly obliterated, on the barrel.
func tracePart() *tracing.Document {
	d := traceFirearm()
	d.Reference, d.To, d.Priority, d.Urgency = "TJ-PNJ/TR-2026-003", "RU", "routine", ""
	d.Item = tracing.Item{
		ID: nextID(12).String(), Kind: record.KindPart, PartType: "receiver", Quantity: 2,
		Make: "Izhmash", Model: "AK-74", Calibre: record.Calibre{Code: "5.45x39", Stamped: "5,45"},
		Serials: []record.Serial{
			{Part: "receiver", Number: "РК-774411", State: "intact"},
			{Part: "barrel", Number: "77441?", State: "partly_obliterated"},
		},
		ImportMark:  &record.Mark{Country: "TJ", Year: 2011},
		Markings:    "Стрела в треугольнике, 1989",
		Description: "Ствольная коробка без ударно-спускового механизма",
	}
	return d
}

// renderTrace writes the request to a file in a temporary folder.
func renderTrace(t testing.TB, d *tracing.Document, opt Options) (path string, warnings []string) {
	t.Helper()
	var buf bytes.Buffer
	warnings, err := TraceRequest(&buf, d, opt)
	require.NoError(t, err)
	path = filepath.Join(t.TempDir(), "trace.pdf")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path, warnings
}

// traceValues are the values of request d that the PDF must show, as tr
// formats them, and tr2 too where it is not nil: a coded value (a label,
// a country, a calibre) is given in both languages, "label1 / label2",
// for a reader of either.
func traceValues(d *tracing.Document, tr, tr2 *i18n.Translator) []string {
	both := func(a, b string) string {
		if tr2 != nil && b != a && b != "" {
			return a + " / " + b
		}
		return a
	}
	label := func(v record.Vocabulary, code string) string {
		b := ""
		if tr2 != nil {
			b = tr2.T(v.LabelKey(code))
		}
		return both(tr.T(v.LabelKey(code)), b)
	}
	country := func(code string) string {
		b := ""
		if tr2 != nil {
			b = tr2.Country(code)
		}
		return both(tr.Country(code), b) + " (" + code + ")"
	}
	it := d.Item
	v := []string{
		d.Reference, d.Source.RecordID, d.Source.Hash, d.Source.Number, it.ID,
		tr.Date(mustDate(d.Date)), country(d.To),
		d.Requester.Agency, d.Requester.Office + " (" + d.Requester.OfficeCode + ")", d.Requester.Officer, d.Requester.Contact,
		tr.DateTime(d.Recovery.At), "UTC+05:00", d.Recovery.Post, d.Recovery.Place, "45.251736", "82.479217",
		d.Recovery.LegalBasisText, "(AF)", "(TJ)", "(UZ)", "(KZ)",
		it.Make, it.Model, it.Calibre.Stamped, it.Description,
		country(it.ImportMark.Country), strconv.Itoa(it.ImportMark.Year),
		label(record.PartTypes, it.Serials[1].Part), label(record.SerialStates, "partly_obliterated"),
		label(record.ItemKinds, it.Kind), label(tracing.Priorities, d.Priority),
	}
	if info, ok := record.LookupCalibre(it.Calibre.Code); ok {
		b := ""
		if tr2 != nil {
			b = tr2.Calibre(info.Code, info.Label)
		}
		v = append(v, both(tr.Calibre(info.Code, info.Label), b))
	}
	for _, s := range it.Serials {
		v = append(v, s.Number)
	}
	v = append(v, it.Markings)
	if it.Kind == record.KindFirearm {
		v = append(v, label(record.FirearmCategories, it.Category), strconv.Itoa(it.Year),
			country(it.CountryMarked), country(it.CountryAssessed), label(record.FirearmConditions, it.Condition), d.Urgency)
	} else {
		v = append(v, label(record.PartTypes, it.PartType))
	}
	return v
}

func TestTraceRequestShowsEveryValueInBothLanguages(t *testing.T) {
	needPoppler(t, "pdftotext", "pdfinfo")
	cat := catalog(t)
	tests := []struct {
		name        string
		doc         *tracing.Document
		lang, lang2 string
	}{
		{"firearm ru+en", traceFirearm(), "ru", "en"},
		{"firearm kk+en", traceFirearm(), "kk", "en"},
		{"part ru+en", tracePart(), "ru", "en"},
		{"part kk+en", tracePart(), "kk", "en"},
		{"firearm tg+ru", traceFirearm(), "tg", "ru"},
		{"firearm en", traceFirearm(), "en", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l1 := cat.For(tt.lang)
			opt := Options{Lang: l1}
			langs := []*i18n.Translator{l1}
			if tt.lang2 != "" {
				opt.Lang2 = cat.For(tt.lang2)
				langs = append(langs, opt.Lang2)
			}
			path, warnings := renderTrace(t, tt.doc, opt)
			assert.Empty(t, warnings)
			text := pdfText(t, path)
			assertContainsAll(t, text, traceValues(tt.doc, l1, opt.Lang2))
			for _, tr := range langs {
				assertContainsAll(t, text, []string{
					strings.ToUpper(tr.T("pdf.trace.title")), tr.T("pdf.trace.subtitle"),
					tr.T("pdf.trace.col.serial"), tr.T("pdf.trace.col.part"), tr.T("pdf.trace.col.state"),
					tr.T("pdf.calibre"), tr.T("pdf.trace.calibre_stamped"), tr.T("pdf.import_mark"),
					tr.T("pdf.trace.to"), tr.T("pdf.trace.sign.officer"), tr.T("pdf.trace.stamp"),
					tr.T("pdf.record_id"), tr.T("pdf.hash"),
					tr.T("pdf.trace.clause"),
				})
			}
			if len(langs) == 2 {
				// Full-width headings read "label1 / label2" in one piece.
				for _, key := range []string{"pdf.trace.section.request", "pdf.trace.section.item", "pdf.trace.section.clause"} {
					assertContainsAll(t, text, []string{l1.T(key) + " / " + langs[1].T(key)})
				}
			}
			pages := pageCount(t, path)
			for p := 1; p <= pages; p++ {
				page := squash(pdfText(t, path, p, p))
				assert.Contains(t, page, squash(l1.T("pdf.page", "page", strconv.Itoa(p), "pages", strconv.Itoa(pages))), "page %d", p)
				assert.Contains(t, page, tt.doc.Source.RecordID, "page %d", p)
				assert.Contains(t, page, tt.doc.Source.Hash, "page %d", p)
				if p > 1 {
					assert.Contains(t, page, squash(l1.T("pdf.number", "number", tt.doc.Reference)), "running head of page %d", p)
				}
			}
			assert.NotContains(t, text, "pdf.", "a label key is missing from the catalog")
			assert.NotContains(t, text, "enum.", "a code label is missing from the catalog")
		})
	}
}

// The request made from a record's item (tracing.NewDocument) prints the
// item's serials and marks.
func TestTraceRequestFromRecord(t *testing.T) {
	needPoppler(t, "pdftotext")
	in := fullRecord()
	d, err := tracing.NewDocument(in, hashOf(t, in), in.Items[0].ID, "RU",
		tracing.Requester{Country: "KZ", OfficeCode: "KZ-ALM", Officer: officer1Name})
	require.NoError(t, err)
	d.Reference, d.Date = "TR-1", "2026-03-20"
	ru := catalog(t).For("ru")
	path, warnings := renderTrace(t, d, Options{Lang: ru})
	assert.Empty(t, warnings)
	text := pdfText(t, path)
	f := in.Items[0].Firearm
	assertContainsAll(t, text, []string{f.Serials[0].Number, f.Serials[1].Number, f.Calibre.Stamped, f.OtherMarkings,
		ru.Calibre("7.62x39", "7.62×39mm"), ru.Country("KZ"), "2001", in.Number, hashOf(t, in), ru.T("enum.trace_priority.routine")})
}

func TestTraceRequestPhotos(t *testing.T) {
	needPoppler(t, "pdfimages", "pdftotext")
	store, shas := photoSet(t, 4)
	tags := []string{"serial", "serial", "marking", "left_side"}
	withTracePhotos := func(shas []string) *tracing.Document {
		d := traceFirearm()
		for i, sha := range shas {
			d.Photos = append(d.Photos, tracing.Photo{SHA256: sha, Tag: tags[i], Caption: "Снимок " + strconv.Itoa(i+1)})
		}
		return d
	}
	en := catalog(t).For("en")
	images := func(path string) int {
		return len(strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", path)), "\n")[2:])
	}

	t.Run("four", func(t *testing.T) {
		d := withTracePhotos(shas)
		path, warnings := renderTrace(t, d, Options{Lang: en, Photo: loader(store)})
		assert.Empty(t, warnings)
		assert.Equal(t, 4, images(path))
		text := pdfText(t, path)
		for i, p := range d.Photos {
			assertContainsAll(t, text, []string{p.SHA256, p.Caption, en.T("pdf.photo_n", "n", strconv.Itoa(i+1)), en.T(record.PhotoTags.LabelKey(p.Tag))})
		}
	})
	t.Run("tampered", func(t *testing.T) {
		const wrongSHA = "bb00000000000000000000000000000000000000000000000000000000000000"
		bad := map[string][]byte{shas[0]: store[shas[0]], wrongSHA: store[shas[1]]}
		path, warnings := renderTrace(t, withTracePhotos([]string{shas[0], wrongSHA}), Options{Lang: en, Photo: loader(bad)})
		require.Len(t, warnings, 1)
		assert.Contains(t, warnings[0], wrongSHA)
		assert.Contains(t, warnings[0], "tracing request")
		assert.Equal(t, 1, images(path))
		assert.Equal(t, 1, strings.Count(pdfText(t, path), en.T("pdf.photo_missing")))
	})
	t.Run("no loader", func(t *testing.T) {
		path, warnings := renderTrace(t, withTracePhotos(shas[:1]), Options{Lang: en})
		assert.Empty(t, warnings)
		assertContainsAll(t, pdfText(t, path), []string{shas[0], en.T("pdf.photos_not_attached")})
	})
}

func TestTraceRequestDeterministic(t *testing.T) {
	store, shas := photoSet(t, 4)
	cat := catalog(t)
	d := traceFirearm()
	for _, sha := range shas {
		d.Photos = append(d.Photos, tracing.Photo{SHA256: sha, Tag: "serial"})
	}
	opt := Options{Lang: cat.For("ru"), Lang2: cat.For("en"), Photo: loader(store)}
	var first []byte
	for i := range 4 {
		if i%2 == 0 {
			photoCache.reset(32 << 20) // the cache must not change the output
		}
		var buf bytes.Buffer
		_, err := TraceRequest(&buf, d, opt)
		require.NoError(t, err)
		if first == nil {
			first = buf.Bytes()
			continue
		}
		require.True(t, bytes.Equal(first, buf.Bytes()), "render %d differs from the first", i+1)
	}
	assert.Contains(t, string(first), "/CreationDate (D:20260320000000)", "creation date from the request's date")
}

func TestTraceRequestHostileText(t *testing.T) {
	needPoppler(t, "pdftotext")
	d := traceFirearm()
	d.Reference = "TR-\x00-017\x1b"
	d.Item.Make = "Arsenal\x00\x07 \x1b[31m 𝟘𝟙𝟚 \U0001F52B"
	d.Item.Model = "\u202Eevil\u202C model"
	d.Item.Markings = "Клеймо\r\n\u200B\xff\xfe 🇰🇿 \uE000 end"
	d.Item.Serials[0].Number = "𝟘𝟙𝟚-SERIAL\x00"
	d.Urgency = "\x1b]0;title\x07 срочно"
	d.Clause = "Own clause \U0001F600 kept"
	path, _ := renderTrace(t, d, Options{Lang: catalog(t).For("ru"), Lang2: catalog(t).For("en")})
	text := pdfText(t, path)
	assertContainsAll(t, text, []string{"TR--017", "Arsenal", "[31m", "evil model", "Клеймо", "end", "-SERIAL", "срочно", "Own clause", "kept"})
	assert.NotContains(t, text, "\x1b")
	assert.NotContains(t, text, "\x00")
}

// The clause is the request's own when it has one; otherwise the
// catalog's, in each label language.
func TestTraceRequestClause(t *testing.T) {
	needPoppler(t, "pdftotext")
	cat := catalog(t)
	ru, en := cat.For("ru"), cat.For("en")
	tests := []struct {
		name      string
		clause    string
		want, not []string
	}{
		{"none", "", []string{ru.T("pdf.trace.clause"), en.T("pdf.trace.clause")}, nil},
		{"catalog's", en.T("pdf.trace.clause"), []string{ru.T("pdf.trace.clause"), en.T("pdf.trace.clause")}, nil},
		{"own", "Provided under the bilateral agreement of 2019 only.", []string{"Provided under the bilateral agreement of 2019 only."},
			[]string{ru.T("pdf.trace.clause"), en.T("pdf.trace.clause")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := traceFirearm()
			d.Clause = tt.clause
			path, _ := renderTrace(t, d, Options{Lang: ru, Lang2: en})
			text := squash(pdfText(t, path))
			for _, w := range tt.want {
				assert.Equal(t, 1, strings.Count(text, squash(w)), "%q once", w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, text, squash(n))
			}
		})
	}
}

// Every word of a long request stays inside the margins and off the
// others.
func TestTraceRequestTextStaysInside(t *testing.T) {
	needPoppler(t, "pdftotext")
	cat := catalog(t)
	store, shas := photoSet(t, 4)
	d := traceFirearm()
	d.Item.Markings = strings.Repeat("Клеймо «10» в двойном круге ", 30)
	d.Item.Serials = append(d.Item.Serials, record.Serial{Part: "frame", Number: longSerial + longSerial, State: "obliterated"})
	d.Requester.Agency = strings.Repeat("Агенттік ", 30)
	for _, sha := range shas {
		d.Photos = append(d.Photos, tracing.Photo{SHA256: sha, Tag: "marking", Caption: strings.Repeat("Подпись к снимку ", 10)})
	}
	for _, pair := range [][2]string{{"en", ""}, {"ru", "en"}, {"kk", "en"}, {"ky", "ru"}, {"tg", "ru"}, {"tk", "ru"}, {"uz", "ru"}, {"uz-Cyrl", "ru"}} {
		t.Run(pair[0]+"+"+pair[1], func(t *testing.T) {
			opt := Options{Lang: cat.For(pair[0]), Photo: loader(store)}
			if pair[1] != "" {
				opt.Lang2 = cat.For(pair[1])
			}
			path, _ := renderTrace(t, d, opt)
			const mm = 72 / 25.4
			ws := words(t, path)
			require.NotEmpty(t, ws)
			for _, w := range ws {
				assert.GreaterOrEqual(t, w.xMin, (marginLeft-0.5)*mm, "word %q on page %d starts left of the margin", w.text, w.page)
				assert.LessOrEqual(t, w.xMax, (pageW-marginRight+0.5)*mm, "word %q on page %d runs past the right margin", w.text, w.page)
				assert.GreaterOrEqual(t, w.yMin, 7*mm, "word %q on page %d is above the top margin", w.text, w.page)
				assert.LessOrEqual(t, w.yMax, 293*mm, "word %q on page %d runs off the bottom", w.text, w.page)
			}
			for i, a := range ws {
				for _, b := range ws[i+1:] {
					if a.page != b.page {
						continue
					}
					dx := min(a.xMax, b.xMax) - max(a.xMin, b.xMin)
					dy := min(a.yMax, b.yMax) - max(a.yMin, b.yMin)
					if dx > 0.5 && dy > 0.3*min(a.yMax-a.yMin, b.yMax-b.yMin) {
						t.Errorf("page %d: %q and %q overlap", a.page, a.text, b.text)
					}
				}
			}
		})
	}
}

func TestTraceRequestErrors(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name string
		doc  *tracing.Document
		opt  Options
		want string
	}{
		{"no request", nil, Options{Lang: cat.For("en")}, "no request"},
		{"no language", traceFirearm(), Options{}, "no language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := TraceRequest(&buf, tt.doc, tt.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Zero(t, buf.Len())
		})
	}
	_, err := TraceRequest(failWriter{}, traceFirearm(), Options{Lang: cat.For("en")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	assert.Contains(t, err.Error(), "KZ-KGD/TR-2026-017")
}

// A request made from a training record says on its first page, in each
// label language, that it must never be sent.
func TestTraceRequestOfATrainingRecordSaysSo(t *testing.T) {
	needPoppler(t, "pdftotext")
	cat := catalog(t)
	ru, en := cat.For("ru"), cat.For("en")
	for _, training := range []bool{false, true} {
		d := traceFirearm()
		d.Training = training
		path, _ := renderTrace(t, d, Options{Lang: ru, Lang2: en})
		text := squash(pdfText(t, path))
		for _, tr := range []*i18n.Translator{ru, en} {
			banner := squash(tr.T("pdf.trace.training_banner"))
			if training {
				assert.Contains(t, text, banner)
			} else {
				assert.NotContains(t, text, banner)
			}
		}
	}
}
