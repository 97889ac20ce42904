package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/translations"
)

// catalog loads the real catalogs.
func catalog(t testing.TB) *i18n.Catalog {
	t.Helper()
	cat, err := i18n.Load(translations.FS)
	require.NoError(t, err)
	return cat
}

// presentLanguages are the languages with a catalog file.
func presentLanguages(t testing.TB, cat *i18n.Catalog) []string {
	var langs []string
	for _, l := range i18n.Languages {
		if cat.Has(l) {
			langs = append(langs, l)
		}
	}
	require.Contains(t, langs, "en")
	return langs
}

// needPoppler skips the test when a poppler-utils program is missing.
func needPoppler(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (package poppler-utils); cannot inspect the PDF", tool)
		}
	}
}

// render writes the protocol to a file in a temporary folder.
func render(t testing.TB, in *record.Interdiction, opt Options) (path string, warnings []string) {
	t.Helper()
	var buf bytes.Buffer
	warnings, err := Protocol(&buf, in, opt)
	require.NoError(t, err)
	path = filepath.Join(t.TempDir(), "protocol.pdf")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path, warnings
}

// run runs a poppler tool and returns its output.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

// pdfText extracts the text of the whole document, or of pages first..last.
func pdfText(t testing.TB, path string, pages ...int) string {
	args := []string{"-enc", "UTF-8"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	return run(t, "pdftotext", append(args, path, "-")...)
}

// pageCount reads the page count with pdfinfo.
func pageCount(t testing.TB, path string) int {
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(run(t, "pdfinfo", path))
	require.NotNil(t, m)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}

// squash removes all white space, so that a value wrapped over lines is
// still found.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// assertContainsAll checks that text holds every value, ignoring white
// space and line breaks.
func assertContainsAll(t *testing.T, text string, values []string) {
	t.Helper()
	flat := squash(text)
	for _, v := range values {
		assert.Contains(t, flat, squash(v), "value %q missing from the PDF text", v)
	}
}

// recordValues are the values of fullRecord that the protocol must show,
// as the translator formats them.
func recordValues(in *record.Interdiction, tr *i18n.Translator, hash string) []string {
	v := []string{
		in.Number, in.ID.String(), hash, in.CrossingPoint, "45.251736", "82.479217",
		tr.DateTime(in.OccurredAt), tr.DateTime(*in.EndedAt), "UTC+05:00",
		in.LegalBasisText, kazakhLetters,
		in.Conveyance.Description, in.Conveyance.Plate, in.Conveyance.VIN, in.Conveyance.Container, in.Conveyance.Voyage,
		in.ConcealmentNote, "(AF)", "(TJ)", "(UZ)", "(KZ)",
		"В ходе таможенного досмотра контейнера MSCU1234567 с помощью ИДК обнаружены аномалии",
		"Служебная собака «Ҷасур» подала сигнал.", "Тоҷикӣ: ӢӮҲҶ ӣӯҳҷ. Oʻzbekcha: oʻq-dorilar.",
		"Замечаний от участников не поступило. Bell removed.",
		"ТОО «Жетісу Транс»", "Zhetisu Trans LLP", "BIN 120340012345",
	}
	for _, o := range in.Officers {
		v = append(v, o.Name, o.Rank, o.Position)
	}
	for _, o := range in.Organisations {
		if o.Phone != "" {
			v = append(v, tr.T("pdf.org_phone", "number", o.Phone))
		}
	}
	for _, p := range in.People {
		v = append(v, p.Name, p.NameLatin, p.DocumentNumber)
		if p.DocumentIssuer != "" {
			v = append(v, p.DocumentIssuer)
		}
		if p.Address != "" {
			v = append(v, p.Address)
		}
		if p.Phone != "" {
			v = append(v, tr.T("pdf.phone"), p.Phone)
		}
		if p.BirthDate != "" {
			v = append(v, tr.Date(mustDate(p.BirthDate)))
		}
	}
	for _, it := range in.Items {
		if it.SealNumber != "" {
			v = append(v, it.SealNumber)
		}
		if it.Packaging != "" {
			v = append(v, it.Packaging)
		}
		if it.Description != "" {
			v = append(v, it.Description)
		}
		for _, s := range it.Serials() {
			if s.Number != "" {
				v = append(v, s.Number)
			}
		}
		if c := it.CalibreOf(); !c.Empty() {
			v = append(v, tr.Calibre(c.Code, c.Label()))
			if c.Stamped != "" {
				v = append(v, c.Stamped)
			}
		}
		switch {
		case it.Firearm != nil:
			v = append(v, it.Firearm.Make+" "+it.Firearm.Model, it.Firearm.OtherMarkings, "1978", "2001")
		case it.Part != nil:
			v = append(v, it.Part.Markings)
		case it.Ammunition != nil:
			a := it.Ammunition
			v = append(v, a.HeadstampFactory+" "+a.HeadstampYear, a.Lot, a.PackagingMarks, tr.Number(int64(a.Rounds)))
		case it.Explosive != nil:
			v = append(v, it.Explosive.Markings, "600")
		}
	}
	for _, e := range in.Custody {
		v = append(v, e.To, e.Place, e.SealNumber, e.Note, tr.DateTime(e.At))
	}
	return v
}

func TestProtocolShowsEveryValue(t *testing.T) {
	needPoppler(t, "pdftotext")
	cat := catalog(t)
	in := fullRecord()
	hash := hashOf(t, in)
	for _, lang := range presentLanguages(t, cat) {
		t.Run(lang, func(t *testing.T) {
			tr := cat.For(lang)
			path, warnings := render(t, in, Options{Lang: tr, Agency: "Комитет государственных доходов МФ РК", PostName: "Достық", Hash: hash})
			assert.Empty(t, warnings)
			text := pdfText(t, path)
			assertContainsAll(t, text, recordValues(in, tr, hash))
			assertContainsAll(t, text, []string{
				"Комитет государственных доходов МФ РК", "Достық (KZ-DOS)",
				strings.ToUpper(tr.T("pdf.title")), tr.T("pdf.section.witnesses"), tr.T("pdf.sign.copy_received"),
				tr.T("pdf.page", "page", "1", "pages", strconv.Itoa(pageCount(t, path))),
			})
			assert.Contains(t, text, "\uFFFD", "the emoji in the narrative is replaced, not dropped")
			assert.NotContains(t, text, "{nb}")
			assert.NotContains(t, text, "pdf.", "a label key is missing from the catalog")
		})
	}
}

func TestProtocolBilingual(t *testing.T) {
	needPoppler(t, "pdftotext")
	cat := catalog(t)
	in := fullRecord()
	hash := hashOf(t, in)
	// Each state language with Russian, as posts print them, and English
	// with Russian for international partners.
	tests := []struct{ lang, lang2 string }{{"ru", "en"}}
	for _, l := range presentLanguages(t, cat) {
		if l != "ru" && cat.Has("ru") {
			tests = append(tests, struct{ lang, lang2 string }{l, "ru"})
		}
	}
	for _, tt := range tests {
		t.Run(tt.lang+"+"+tt.lang2, func(t *testing.T) {
			l1, l2 := cat.For(tt.lang), cat.For(tt.lang2)
			path, _ := render(t, in, Options{Lang: l1, Lang2: l2, Hash: hash})
			text := pdfText(t, path)
			// Full-width headings read "label1 / label2" in one piece; labels
			// in a narrow column wrap, and pdftotext may interleave them with
			// the value beside them, so those are looked for one by one.
			for _, key := range []string{"pdf.section.place", "pdf.section.witnesses", "pdf.section.items", "pdf.section.signatures"} {
				assertContainsAll(t, text, []string{l1.T(key) + " / " + l2.T(key)})
			}
			for _, key := range []string{"pdf.col.marks", "pdf.sign.officer", "pdf.nationality", "pdf.record_id", "pdf.signature"} {
				assertContainsAll(t, text, []string{l1.T(key), l2.T(key)})
			}
			assertContainsAll(t, text, []string{strings.ToUpper(l1.T("pdf.title")), strings.ToUpper(l2.T("pdf.title"))})
			// Values once: the record's values are not repeated per language.
			assert.Equal(t, 1, strings.Count(squash(text), squash(in.Conveyance.VIN)))
			assertContainsAll(t, text, recordValues(in, l1, hash))
		})
	}
}

func TestProtocolFontsEmbedded(t *testing.T) {
	needPoppler(t, "pdffonts")
	path, _ := render(t, fullRecord(), Options{Lang: catalog(t).For("ru")})
	out := run(t, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Greater(t, len(lines), 2, out)
	fonts := lines[2:]
	assert.Len(t, fonts, 2, "regular and bold: %s", out)
	for _, l := range fonts {
		f := strings.Fields(l)
		assert.Contains(t, strings.ToLower(f[0]), "notosans", l)
		// Columns: name type encoding emb sub uni object ID. fpdf subsets
		// without the "ABCDEF+" name tag pdffonts looks for, so "sub" says
		// no; the file size below shows the subsetting.
		assert.Equal(t, "yes", f[len(f)-5], "embedded: %s", l)
		assert.Equal(t, "yes", f[len(f)-3], "with a Unicode map: %s", l)
	}
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Less(t, info.Size(), int64(200<<10), "the two 450 KB fonts are subset")
}

// wordBox is the box of one word on a page, in points.
type wordBox struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

// words reads the word boxes with pdftotext -bbox.
func words(t *testing.T, path string) []wordBox {
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	page := 0
	var ws []wordBox
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "<page ") {
			page++
			continue
		}
		m := re.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		f := make([]float64, 4)
		for i := range f {
			f[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		ws = append(ws, wordBox{page, f[0], f[1], f[2], f[3], m[5]})
	}
	return ws
}

func TestProtocolTextStaysInside(t *testing.T) {
	needPoppler(t, "pdftotext")
	cat := catalog(t)
	in := manyItems(40)
	in.Narrative = strings.Repeat(fullRecord().Narrative+" "+longSerial+" ", 30)
	in.Items[3].Firearm.Serials[0].Number = longSerial + longSerial
	in.Items[5].Description = strings.Repeat("Очень длинное описание без единого пробела", 8)
	in.People[0].Name = strings.Repeat("Әлихан-Ғалымұлы-", 60)
	in.Custody = append(in.Custody, record.CustodyEvent{ID: nextID(99), From: longSerial, To: strings.Repeat("Склад ", 50),
		At: endedAt, Place: longSerial, SealNumber: longSerial, Note: longSerial})
	store, shas := photoSet(t, 3)
	withPhotos(in, shas)
	in.Photos[1].Caption = strings.Repeat("Подпись к снимку ", 40)
	pairs := [][2]string{{"en", ""}, {"ru", ""}, {"ru", "en"}}
	for _, l := range []string{"kk", "tg", "uz"} {
		if cat.Has(l) {
			pairs = append(pairs, [2]string{l, "ru"})
		}
	}
	for _, pair := range pairs {
		t.Run(pair[0]+"+"+pair[1], func(t *testing.T) {
			opt := Options{Lang: cat.For(pair[0]), Agency: strings.Repeat("Агенттік ", 30), PostName: "Достық",
				Hash: hashOf(t, in), Photo: loader(store)}
			if pair[1] != "" {
				opt.Lang2 = cat.For(pair[1])
			}
			path, _ := render(t, in, opt)
			const mm = 72 / 25.4
			ws := words(t, path)
			require.NotEmpty(t, ws)
			for _, w := range ws {
				assert.GreaterOrEqual(t, w.xMin, (marginLeft-0.5)*mm, "word %q on page %d starts left of the margin", w.text, w.page)
				assert.LessOrEqual(t, w.xMax, (pageW-marginRight+0.5)*mm, "word %q on page %d runs past the right margin", w.text, w.page)
				assert.GreaterOrEqual(t, w.yMin, 7*mm, "word %q on page %d is above the top margin", w.text, w.page)
				assert.LessOrEqual(t, w.yMax, 293*mm, "word %q on page %d runs off the bottom", w.text, w.page)
			}
			// No two words overlap. pdftotext's boxes span the font's full
			// ascent and descent, a little more than the line pitch, so
			// words on adjacent lines may touch; words drawn over each
			// other overlap by far more.
			for i, a := range ws {
				for _, b := range ws[i+1:] {
					if a.page != b.page {
						continue
					}
					dx := min(a.xMax, b.xMax) - max(a.xMin, b.xMin)
					dy := min(a.yMax, b.yMax) - max(a.yMin, b.yMin)
					minH := min(a.yMax-a.yMin, b.yMax-b.yMin)
					if dx > 0.5 && dy > 0.3*minH {
						t.Errorf("page %d: %q and %q overlap", a.page, a.text, b.text)
					}
				}
			}
		})
	}
}

func TestProtocolLongTable(t *testing.T) {
	needPoppler(t, "pdftotext", "pdfinfo")
	cat := catalog(t)
	const n = 200
	in := manyItems(n)
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			tr := cat.For(lang)
			path, _ := render(t, in, Options{Lang: tr, Hash: hashOf(t, in)})
			pages := pageCount(t, path)
			assert.Greater(t, pages, 5)
			all := pdfText(t, path)
			for i := range n {
				assert.Contains(t, all, fmt.Sprintf("SN-%06d", i))
				assert.Contains(t, all, fmt.Sprintf("SEAL-%05d", i))
			}
			header := tr.T("pdf.col.marks")
			firstTable, lastTable := 0, 0
			for p := 1; p <= pages; p++ {
				text := pdfText(t, path, p, p)
				assert.Contains(t, squash(text), squash(tr.T("pdf.page", "page", strconv.Itoa(p), "pages", strconv.Itoa(pages))), "page %d", p)
				assert.Contains(t, text, in.ID.String(), "page %d", p)
				if strings.Contains(text, "SN-") {
					if firstTable == 0 {
						firstTable = p
					}
					lastTable = p
					assert.Contains(t, squash(text), squash(header), "table header on page %d", p)
				}
			}
			assert.Greater(t, lastTable-firstTable, 3, "the table spans several pages")
		})
	}
}

func TestProtocolLongNarrative(t *testing.T) {
	needPoppler(t, "pdftotext", "pdfinfo")
	in := fullRecord()
	var b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&b, "Предложение %d повествования о досмотре, Ұ-Ҷ-oʻ. ", i)
		if i%25 == 24 {
			b.WriteString("\n\n")
		}
	}
	in.Narrative = b.String()
	path, _ := render(t, in, Options{Lang: catalog(t).For("ru")})
	assert.Greater(t, pageCount(t, path), 3)
	text := squash(pdfText(t, path))
	for i := range 400 {
		assert.Contains(t, text, squash(fmt.Sprintf("Предложение %d повествования", i)))
	}
}

func TestProtocolPhotos(t *testing.T) {
	needPoppler(t, "pdfimages", "pdftotext")
	store, shas := photoSet(t, 10)
	in := fullRecord()
	withPhotos(in, shas)
	path, warnings := render(t, in, Options{Lang: catalog(t).For("en"), Photo: loader(store)})
	assert.Empty(t, warnings)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Less(t, info.Size(), int64(3<<20), "10 phone photos must stay under 3 MB")
	t.Logf("10 photos: %d bytes", info.Size())

	list := strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", path)), "\n")[2:]
	require.Len(t, list, 10)
	widths := map[int]bool{}
	for _, l := range list {
		f := strings.Fields(l)
		w, _ := strconv.Atoi(f[3])
		h, _ := strconv.Atoi(f[4])
		// Scaled to about 1200 px, a pixel less for each photo of the same
		// width before it (see preparePhotos), keeping the aspect ratio.
		assert.InDelta(t, photoLongSide-5, w, 5, l)
		assert.InDelta(t, float64(w)*3/4, h, 1, l)
		assert.False(t, widths[w], "widths are unique: %s", l)
		widths[w] = true
	}
	text := pdfText(t, path)
	for _, p := range in.Photos {
		assertContainsAll(t, text, []string{p.Name, p.SHA256, p.Caption})
	}
}

func TestProtocolBadPhotos(t *testing.T) {
	needPoppler(t, "pdftotext", "pdfimages")
	store, shas := photoSet(t, 2)
	bad := map[string][]byte{}
	for k, v := range store {
		bad[k] = v
	}
	heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	const heicSHA = "aa00000000000000000000000000000000000000000000000000000000000000"
	bad[heicSHA] = heic
	const wrongSHA = "bb00000000000000000000000000000000000000000000000000000000000000"
	bad[wrongSHA] = store[shas[1]]
	const lostSHA = "cc00000000000000000000000000000000000000000000000000000000000000"

	in := fullRecord()
	withPhotos(in, []string{shas[0], heicSHA, wrongSHA, lostSHA})
	in.Photos[1].Name = "IMG_0001.HEIC"
	in.Photos[2].Name = "tampered.jpg"
	in.Photos[3].Name = "lost.jpg"
	path, warnings := render(t, in, Options{Lang: catalog(t).For("en"), Photo: loader(bad)})
	require.Len(t, warnings, 3)
	assert.Contains(t, warnings[0], "IMG_0001.HEIC")
	assert.Contains(t, warnings[1], "tampered.jpg")
	assert.Contains(t, warnings[1], wrongSHA)
	assert.Contains(t, warnings[2], "lost.jpg")
	text := pdfText(t, path)
	assert.Equal(t, 3, strings.Count(text, "Photo could not be reproduced"), text)
	assert.Len(t, strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", path)), "\n")[2:], 1)
}

func TestProtocolPhotosWithoutLoader(t *testing.T) {
	needPoppler(t, "pdftotext")
	in := fullRecord()
	withPhotos(in, []string{"dd00000000000000000000000000000000000000000000000000000000000000"})
	path, warnings := render(t, in, Options{Lang: catalog(t).For("en")})
	assert.Empty(t, warnings)
	text := pdfText(t, path)
	assertContainsAll(t, text, []string{in.Photos[0].Name, in.Photos[0].SHA256, "not reproduced in this copy"})
}

func TestProtocolDeterministic(t *testing.T) {
	store, shas := photoSet(t, 6)
	cat := catalog(t)
	in := fullRecord()
	withPhotos(in, shas)
	in.Training = true
	opt := Options{Lang: cat.For("ru"), Lang2: cat.For("en"), Hash: hashOf(t, in), Photo: loader(store), Agency: "КГД"}
	var first []byte
	// Maps are iterated in a new random order each time; eight renders,
	// half of them scaling the photos afresh, would show any dependence.
	for i := range 8 {
		if i%4 == 0 {
			photoCache.reset(32 << 20) // the cache must not change the output
		}
		var buf bytes.Buffer
		_, err := Protocol(&buf, in, opt)
		require.NoError(t, err)
		if first == nil {
			first = buf.Bytes()
			continue
		}
		require.True(t, bytes.Equal(first, buf.Bytes()), "render %d differs from the first", i+1)
	}
	assert.Contains(t, string(first), "/CreationDate (D:20260312140500)", "creation date from the record")
	assert.Contains(t, string(first), "/ModDate (D:20260312140500)")
}

func TestProtocolTraining(t *testing.T) {
	needPoppler(t, "pdftotext", "pdfinfo")
	cat := catalog(t)
	in := manyItems(30)
	in.Training = true
	for _, lang := range []string{"en", "ru"} {
		t.Run(lang, func(t *testing.T) {
			tr := cat.For(lang)
			path, _ := render(t, in, Options{Lang: tr})
			pages := pageCount(t, path)
			for p := 1; p <= pages; p++ {
				assert.Contains(t, pdfText(t, path, p, p), tr.T("pdf.training_mark"), "page %d", p)
			}
			assert.Contains(t, squash(pdfText(t, path, 1, 1)), squash(tr.T("pdf.training_banner")))
		})
	}
}

func TestProtocolHostileText(t *testing.T) {
	needPoppler(t, "pdftotext")
	in := fullRecord()
	in.Number = "KZ-DOS-2026-0043\x00"
	in.Remarks = "Literal {nb} and \uE000nb\uE000 stay as typed"
	in.Narrative = "Start 👮‍♂️🔫💣 \u202Eevil\u202C \xff\xfe bytes \U0001F600 end\r\nnext\ttab \uE000 private"
	in.People[0].Name = "Имя 🇰🇿 Фамилия"
	in.Items[0].Firearm.Serials[0].Number = "𝟘𝟙𝟚-SERIAL"
	path, _ := render(t, in, Options{Lang: catalog(t).For("ru"), Agency: "Agency \x1b[31m red"})
	text := pdfText(t, path)
	assertContainsAll(t, text, []string{"KZ-DOS-2026-0043", "Start", "evil", "bytes", "end", "next tab", "private", "-SERIAL", "Agency [31m red", "Имя", "Фамилия", "Literal {nb} and nb stay as typed"})
	assert.NotContains(t, text, "\x1b")
}

func TestProtocolMinimalRecord(t *testing.T) {
	needPoppler(t, "pdftotext")
	in := &record.Interdiction{ID: recordID, Version: 1, Status: record.StatusDraft, PostCode: "TJ-PNJ"}
	path, warnings := render(t, in, Options{Lang: catalog(t).For("en")})
	assert.Empty(t, warnings)
	text := pdfText(t, path)
	assert.Contains(t, text, recordID.String())
	assert.Contains(t, text, "TJ-PNJ")
}

func TestProtocolErrors(t *testing.T) {
	cat := catalog(t)
	tests := []struct {
		name string
		in   *record.Interdiction
		opt  Options
		want string
	}{
		{"no record", nil, Options{Lang: cat.For("en")}, "no record"},
		{"no language", fullRecord(), Options{}, "no language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := Protocol(&buf, tt.in, tt.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Zero(t, buf.Len())
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func TestProtocolWriteError(t *testing.T) {
	_, err := Protocol(failWriter{}, fullRecord(), Options{Lang: catalog(t).For("en")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disk full")
	assert.Contains(t, err.Error(), recordID.String())
}

// Ammunition is counted in rounds, its boxes told as packaging, and the
// totals count rounds apart from pieces.
func TestProtocolCountsAmmunitionInRounds(t *testing.T) {
	needPoppler(t, "pdftotext")
	in := fullRecord()
	var ammo *record.Item
	for i := range in.Items {
		if in.Items[i].Ammunition != nil {
			ammo = &in.Items[i]
		}
	}
	if ammo == nil {
		t.Fatal("the full record has no ammunition")
	}
	ammo.Quantity, ammo.Ammunition.Rounds = 2, 500
	pieces, rounds := in.Counts()
	ru := catalog(t).For("ru")
	path, _ := render(t, in, Options{Lang: ru, Hash: hashOf(t, in)})
	text := squash(pdfText(t, path))
	for _, want := range []string{
		ru.Number(500) + " " + ru.T("pdf.rounds_unit", "count", 500),
		ru.T("pdf.packages", "count", ru.Number(2)),
		ru.T("pdf.items_total", "items", ru.Number(int64(len(in.Items))), "pieces", ru.Number(int64(pieces)), "rounds", ru.Number(int64(rounds))),
	} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("the protocol lacks %q", want)
		}
	}
	all := 0
	for _, it := range in.Items {
		all += it.Quantity
	}
	if rounds < 500 || pieces == all {
		t.Errorf("counts %d pieces, %d rounds: the ammunition's boxes are counted as pieces", pieces, rounds)
	}
}

// An earlier version is printed marked as superseded on every page, with
// the number of the version that is current, in each language printed.
func TestAnEarlierVersionIsPrintedAsSuperseded(t *testing.T) {
	needPoppler(t, "pdftotext")
	cat := catalog(t)
	in := fullRecord()
	ru, kk := cat.For("ru"), cat.For("kk")
	path, _ := render(t, in, Options{Lang: ru, Lang2: kk, Hash: hashOf(t, in), Superseded: 3})
	pages := pageCount(t, path)
	require.Greater(t, pages, 1)
	for p := 1; p <= pages; p++ {
		text := pdfText(t, path, p, p)
		assert.Contains(t, text, ru.T("pdf.superseded_short"), "page %d", p)
		assert.Contains(t, text, kk.T("pdf.superseded_short"), "page %d", p)
	}
	current, _ := render(t, in, Options{Lang: ru, Hash: hashOf(t, in)})
	assert.NotContains(t, pdfText(t, current), ru.T("pdf.superseded_short"), "the current version is not marked")
}
