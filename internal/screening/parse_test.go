package screening

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kordon/kordon/internal/fault"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const realListPath = "../../../shared/data/un-sc-consolidated-2020-03-20.xml"

// realList returns the bytes of the real list of 2020-03-20, or skips.
func realList(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(realListPath)
	if err != nil {
		tb.Skipf("real UN list not available: %v", err)
	}
	return b
}

var parsedReal struct {
	l   *List
	err error
}

// realParsed returns the parsed real list, parsed once.
func realParsed(tb testing.TB) *List {
	tb.Helper()
	b := realList(tb)
	if parsedReal.l == nil && parsedReal.err == nil {
		parsedReal.l, parsedReal.err = Parse(bytes.NewReader(b))
	}
	require.NoError(tb, parsedReal.err)
	return parsedReal.l
}

func findRef(l *List, ref string) *Entry {
	for _, es := range [][]Entry{l.Individuals, l.Entities} {
		for i := range es {
			if es[i].Reference == ref {
				return &es[i]
			}
		}
	}
	return nil
}

func TestParseRealList(t *testing.T) {
	raw := realList(t)
	l := realParsed(t)

	wantInd := strings.Count(string(raw), "<INDIVIDUAL>")
	wantEnt := strings.Count(string(raw), "<ENTITY>")
	assert.Equal(t, 709, wantInd) // as counted with grep, for the report
	assert.Equal(t, 305, wantEnt)
	assert.Len(t, l.Individuals, wantInd)
	assert.Len(t, l.Entities, wantEnt)
	assert.Equal(t, wantInd+wantEnt, l.Len())

	assert.Equal(t, "2020-03-20T19:09:21.822-04:00", l.GeneratedRaw)
	assert.Equal(t, "2020-03-20", l.Generated.Format("2006-01-02"))
	assert.Equal(t, time.Date(2020, 3, 20, 23, 9, 21, 822e6, time.UTC), l.Generated.UTC())
	sum := sha256.Sum256(raw)
	assert.Equal(t, hex.EncodeToString(sum[:]), l.SHA256)

	// Every entry has a reference, a kind and a primary name first.
	types := map[string]int{}
	aliases := 0
	for _, es := range [][]Entry{l.Individuals, l.Entities} {
		for _, e := range es {
			require.NotEmpty(t, e.Reference)
			require.NotEmpty(t, e.Names)
			assert.Equal(t, NamePrimary, e.Names[0].Type, e.Reference)
			for _, n := range e.Names {
				assert.NotContains(t, n.Text, ";", e.Reference)
				if n.Type == NameAlias {
					aliases++
				}
			}
			for _, b := range e.BirthDates {
				types[b.Type]++
				assert.True(t, b.FromYear > 1900 && b.ToYear >= b.FromYear, "%s %+v", e.Reference, b)
			}
		}
	}
	assert.Greater(t, aliases, 2500)
	assert.Positive(t, types["EXACT"])
	assert.Positive(t, types["APPROXIMATELY"])
	assert.Positive(t, types["BETWEEN"])

	// The Tajik individual of QDi.372.
	e := findRef(l, "QDi.372")
	require.NotNil(t, e)
	assert.Equal(t, KindIndividual, e.Kind)
	assert.Equal(t, "GULMUROD KHALIMOV", e.Names[0].Text)
	assert.Equal(t, "Al-Qaida", e.ListType)
	assert.Equal(t, "2016-02-29", e.ListedOn)
	assert.Equal(t, []string{"Tajikistan"}, e.Nationalities)
	assert.Equal(t, []string{"TJ"}, e.NationalityCodes)
	assert.Equal(t, []DateOfBirth{
		{Type: "EXACT", Date: "1975-05-14", FromYear: 1975, ToYear: 1975},
		{Type: "APPROXIMATELY", FromYear: 1975, ToYear: 1975},
	}, e.BirthDates)
	assert.Equal(t, []string{"Syrian Arab Republic"}, e.AddressCountries)

	// Umarov: original script, aliases with their own dates of birth.
	e = findRef(l, "QDi.290")
	require.NotNil(t, e)
	assert.Equal(t, "DOKU KHAMATOVICH UMAROV", e.Names[0].Text)
	assert.Equal(t, Name{Text: "Умаров Доку Хаматович", Type: NameOriginal}, e.Names[1])
	assert.Contains(t, e.Names, Name{Text: "Lom-ali Butayev", Type: NameAlias, Quality: "Good"})
	assert.Contains(t, e.Names, Name{Text: "Butaev", Type: NameAlias, Quality: "Good"})
	assert.Contains(t, e.Names, Name{Text: "Dokka Umarov", Type: NameAlias, Quality: "Good"})
	assert.Contains(t, e.NationalityCodes, "RU")

	// Aliases split on ";", inside parentheses too, and "original
	// script:" notes become names.
	var split, cyr bool
	for _, es := range [][]Entry{l.Individuals, l.Entities} {
		for _, e := range es {
			for _, n := range e.Names {
				split = split || n.Text == "Abd Ur-Rehman"
				cyr = cyr || n.Text == "Амир Хазмат" || n.Text == "Абу Банат"
			}
		}
	}
	assert.True(t, split, "alias Abd Ur-Rehman split from Abdul Rehman; Abd Ur-Rehman; Abdur Rahman")
	assert.True(t, cyr, "original script of aliases")

	// A document: the number is kept as written, trimmed.
	e = findRef(l, "KPi.033")
	require.NotNil(t, e)
	assert.Equal(t, []Document{{Type: "Passport", Number: "381310014"}}, e.Documents)

	// A FIRST_NAME holding two names.
	e = findRef(l, "CDe.003")
	require.NotNil(t, e)
	assert.Equal(t, "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)", e.Names[0].Text)
	assert.Equal(t, Name{Text: "GREAT LAKES BUSINESS COMPANY (GLBC)", Type: NamePrimary}, e.Names[1])

	// Entities: &amp; is decoded, the kind is set.
	found := false
	for _, e := range l.Entities {
		assert.Equal(t, KindEntity, e.Kind)
		if strings.Contains(e.Names[0].Text, "AL-HARAMAIN & AL MASJED AL-AQSA") {
			found = true
		}
	}
	assert.True(t, found)
}

const small = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2020-03-20T19:09:21.822-04:00">
<INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>GULMUROD</FIRST_NAME><SECOND_NAME>KHALIMOV</SECOND_NAME>
<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.372</REFERENCE_NUMBER><LISTED_ON>2016-02-29</LISTED_ON>
<NATIONALITY><VALUE>Tajikistan</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Gulmurod Halimov; Гулмурод Ҳалимов</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1974</FROM_YEAR><TO_YEAR>1976</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>AB 123 456</NUMBER><COUNTRY_OF_ISSUE>Tajikistan</COUNTRY_OF_ISSUE></INDIVIDUAL_DOCUMENT>
<UNKNOWN_FUTURE_ELEMENT><X>y</X></UNKNOWN_FUTURE_ELEMENT>
</INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES><ENTITY><FIRST_NAME>ISLAMIC MOVEMENT OF UZBEKISTAN</FIRST_NAME><REFERENCE_NUMBER>QDe.010</REFERENCE_NUMBER>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>IMU</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>
`

func TestParseSmall(t *testing.T) {
	l, err := Parse(strings.NewReader(small))
	require.NoError(t, err)
	require.Len(t, l.Individuals, 1)
	require.Len(t, l.Entities, 1)
	e := l.Individuals[0]
	assert.Equal(t, []Name{
		{Text: "GULMUROD KHALIMOV", Type: NamePrimary},
		{Text: "Gulmurod Halimov", Type: NameAlias, Quality: "a.k.a."},
		{Text: "Гулмурод Ҳалимов", Type: NameAlias, Quality: "a.k.a."},
	}, e.Names)
	assert.Equal(t, []DateOfBirth{{Type: "BETWEEN", FromYear: 1974, ToYear: 1976}}, e.BirthDates)
	assert.Equal(t, []Document{{Type: "Passport", Number: "AB 123 456", Country: "Tajikistan"}}, e.Documents)
	assert.Equal(t, "QDe.010", l.Entities[0].Reference)
	assert.Equal(t, []Name{{Text: "ISLAMIC MOVEMENT OF UZBEKISTAN", Type: NamePrimary}, {Text: "IMU", Type: NameAlias, Quality: "a.k.a."}}, l.Entities[0].Names)
}

func TestParseCleansText(t *testing.T) {
	doc := `<CONSOLIDATED_LIST dateGenerated="2020-03-20"><INDIVIDUALS><INDIVIDUAL>` +
		`<FIRST_NAME>AB&#x202E;CD&#x200F;</FIRST_NAME><SECOND_NAME>  X&#9;Y&#10;Z </SECOND_NAME>` +
		`<NAME_ORIGINAL_SCRIPT>&#x2067;أبو بكر&#x2069;</NAME_ORIGINAL_SCRIPT>` +
		`<REFERENCE_NUMBER> QDi.001 </REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`
	l, err := Parse(strings.NewReader(doc))
	require.NoError(t, err)
	e := l.Individuals[0]
	assert.Equal(t, "QDi.001", e.Reference)
	assert.Equal(t, "ABCD X Y Z", e.Names[0].Text)
	assert.Equal(t, "أبو بكر", e.Names[1].Text)
	assert.Equal(t, "2020-03-20", l.Generated.Format("2006-01-02"))
}

func TestSplitAlias(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Abdul Rehman; Abd Ur-Rehman; Abdur Rahman", []string{"Abdul Rehman", "Abd Ur-Rehman", "Abdur Rahman"}},
		{"أبو بكر البغدادي (Abu Bakr al-Baghdadi; Abu Bakr)", []string{"Abu Bakr al-Baghdadi", "Abu Bakr", "أبو بكر البغدادي"}},
		{"Amir Khazmat (original script: Амир Хазмат) ", []string{"Амир Хазмат", "Amir Khazmat"}},
		{"Lom-ali Butayev (Butaev)", []string{"Butaev", "Lom-ali Butayev"}},
		{"", nil},
		{"( ; )", nil},
		{"(((;", []string{"((;"}},
	} {
		got := splitAlias(c.in)
		if len(c.want) == 0 {
			assert.Empty(t, got, c.in)
		} else {
			assert.Equal(t, c.want, got, c.in)
		}
	}
}

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{
		"Russian Federation":                                      "RU",
		"Tajikistan":                                              "TJ",
		"Democratic People's Republic of Korea":                   "KP",
		"Democratic People's Republic of Korea ":                  "KP",
		"Iran (Islamic Republic of)":                              "IR",
		"Indonesia (as at Dec. 2003)":                             "ID",
		"United States. Also believed to hold Syrian nationality": "US",
		"Sudanese by birth":                                       "SD",
		"Afghan":                                                  "AF",
		"Guinea-Bissau":                                           "GW",
		"USSR (until 1991)":                                       "",
		"na":                                                      "",
		"":                                                        "",
	} {
		assert.Equal(t, want, CountryCode(in), in)
	}
}

// padReader gives head, then n bytes of padding elements, then tail,
// without holding them in memory; it counts the bytes read.
type padReader struct {
	head, tail string
	n          int64
	pos        int64
	read       int64
}

const padUnit = "<PAD>" + "................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................" + "</PAD>"

func (p *padReader) Read(b []byte) (int, error) {
	total := int64(len(p.head)) + p.n + int64(len(p.tail))
	if p.pos >= total {
		return 0, io.EOF
	}
	i := 0
	for i < len(b) && p.pos < total {
		switch {
		case p.pos < int64(len(p.head)):
			b[i] = p.head[p.pos]
		case p.pos < int64(len(p.head))+p.n:
			b[i] = padUnit[(p.pos-int64(len(p.head)))%int64(len(padUnit))]
		default:
			b[i] = p.tail[p.pos-int64(len(p.head))-p.n]
		}
		i++
		p.pos++
	}
	p.read += int64(i)
	return i, nil
}

// repeatReader gives head, unit repeated n times, then tail.
func repeatReader(head, unit string, n int, tail string) io.Reader {
	return io.MultiReader(strings.NewReader(head), &repeater{unit: unit, n: n}, strings.NewReader(tail))
}

type repeater struct {
	unit string
	n    int
	off  int
}

func (r *repeater) Read(b []byte) (int, error) {
	i := 0
	for i < len(b) && r.n > 0 {
		c := copy(b[i:], r.unit[r.off:])
		i += c
		r.off += c
		if r.off == len(r.unit) {
			r.off = 0
			r.n--
		}
	}
	if i == 0 {
		return 0, io.EOF
	}
	return i, nil
}

const listHead = `<?xml version="1.0" encoding="UTF-8"?><CONSOLIDATED_LIST dateGenerated="2020-03-20T19:09:21.822-04:00"><INDIVIDUALS>`
const listTail = `</INDIVIDUALS></CONSOLIDATED_LIST>`
const oneEntry = `<INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>`

func TestParseHostile(t *testing.T) {
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">` +
		`<!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>` +
		`<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol9;</FIRST_NAME><REFERENCE_NUMBER>x</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`
	xxe := `<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
		`<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&x;</FIRST_NAME><REFERENCE_NUMBER>x</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`
	undefined := listHead + `<INDIVIDUAL><FIRST_NAME>&x;</FIRST_NAME><REFERENCE_NUMBER>x</REFERENCE_NUMBER></INDIVIDUAL>` + listTail
	external := `<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://example.org/list.dtd">` + listHead + oneEntry + listTail

	raw := realList(t)
	type tc struct {
		name string
		r    func() io.Reader
		err  *fault.Error
	}
	str := func(s string) func() io.Reader { return func() io.Reader { return strings.NewReader(s) } }
	cases := []tc{
		{"billion laughs", str(laughs), ErrEntity},
		{"external entity", str(xxe), ErrEntity},
		{"undefined entity", str(undefined), ErrEntity},
		{"external DTD", str(external), ErrEntity},
		{"empty", str(""), ErrEmpty},
		{"white space", str("  \n\t "), ErrEmpty},
		{"declaration only", str(`<?xml version="1.0"?>`), ErrEmpty},
		{"no entries", str(listHead + listTail), ErrEmpty},
		{"wrong root", str(`<?xml version="1.0"?><SANCTIONS><INDIVIDUALS/></SANCTIONS>`), ErrNotList},
		{"namespaced root", str(`<x:CONSOLIDATED_LIST xmlns:x="urn:x"><INDIVIDUALS/></x:CONSOLIDATED_LIST>`), ErrNotList},
		{"html", str("<!DOCTYPE html>\n<html><head><meta charset=utf-8><title>United Nations</title></head><body><p>Consolidated list</body></html>"), ErrNotList},
		{"json", str(`{"CONSOLIDATED_LIST": {"INDIVIDUALS": []}}`), ErrNotList},
		{"binary", str("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00"), ErrNotList},
		{"text", str("REFERENCE_NUMBER QDi.372"), ErrNotList},
		{"wrong child", str(listHead + `<ENTITY><REFERENCE_NUMBER>x</REFERENCE_NUMBER></ENTITY>` + listTail), ErrNotList},
		{"mismatched end", str(listHead + `<INDIVIDUAL><FIRST_NAME>A</SECOND_NAME></INDIVIDUAL>` + listTail), ErrSyntax},
		{"no reference", str(listHead + `<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>` + listTail), ErrNoReference},
		{"empty reference", str(listHead + `<INDIVIDUAL><REFERENCE_NUMBER> </REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>` + listTail), ErrNoReference},
		{"no name", str(listHead + `<INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER><FIRST_NAME/></INDIVIDUAL>` + listTail), ErrNoName},
		{"deep", func() io.Reader { return repeatReader(`<CONSOLIDATED_LIST>`, "<a>", 10000, "") }, ErrTooDeep},
		{"deep in an entry", func() io.Reader { return repeatReader(listHead+"<INDIVIDUAL>", "<a>", 10000, "") }, ErrTooDeep},
		{"too many tokens", func() io.Reader {
			return repeatReader(`<CONSOLIDATED_LIST>`, "<a/>", 2_600_000, `</CONSOLIDATED_LIST>`)
		}, ErrTooManyTokens},
		{"too many entries", func() io.Reader { return repeatReader(listHead, oneEntry, MaxEntries+1, listTail) }, ErrTooManyEntries},
		{"truncated in root tag", func() io.Reader { return bytes.NewReader(raw[:100]) }, ErrTruncated},
		{"truncated at 1000", func() io.Reader { return bytes.NewReader(raw[:1000]) }, ErrTruncated},
		{"truncated at half", func() io.Reader { return bytes.NewReader(raw[:len(raw)/2]) }, ErrTruncated},
		{"truncated before end", func() io.Reader { return bytes.NewReader(raw[:len(raw)-25]) }, ErrTruncated},
		{"truncated in end tag", func() io.Reader { return bytes.NewReader(raw[:len(raw)-5]) }, ErrTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var l *List
			var err error
			require.NotPanics(t, func() { l, err = Parse(c.r()) })
			require.Error(t, err)
			assert.Nil(t, l)
			var fe *fault.Error
			require.True(t, errors.As(err, &fe), "%T %v", err, err)
			assert.Equal(t, c.err.Key, fe.Key, "%v", err)
			assert.ErrorIs(t, err, c.err)
		})
	}

	t.Run("100 MB", func(t *testing.T) {
		pr := &padReader{head: `<CONSOLIDATED_LIST>`, n: 100 << 20, tail: `</CONSOLIDATED_LIST>`}
		l, err := Parse(pr)
		assert.Nil(t, l)
		require.ErrorIs(t, err, ErrTooLarge)
		assert.Equal(t, "screening.err.too_large", err.(*fault.Error).Key)
		// Read through the limit: not a byte more than MaxBytes.
		assert.LessOrEqual(t, pr.read, int64(MaxBytes+1))
	})
}

func TestParseRealWithinLimits(t *testing.T) {
	raw := realList(t)
	// Trailing white space after the list is read and hashed, not refused.
	b := append(append([]byte{}, raw...), "\n\n"...)
	l, err := Parse(bytes.NewReader(b))
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	assert.Equal(t, hex.EncodeToString(sum[:]), l.SHA256)
}

func TestParseRefusesAnEntryWithTooManyNames(t *testing.T) {
	wide := `<CONSOLIDATED_LIST dateGenerated="2020-03-20T19:09:21.822-04:00"><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>` +
		`<FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>` + strings.Repeat("a;b;", 20000) + `</ALIAS_NAME></INDIVIDUAL_ALIAS></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`
	_, err := Parse(strings.NewReader(wide))
	assert.ErrorIs(t, err, ErrTooManyNames)
	many := `<CONSOLIDATED_LIST dateGenerated="2020-03-20T19:09:21.822-04:00"><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>` +
		strings.Repeat(`<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>x`, 1) + `</ALIAS_NAME></INDIVIDUAL_ALIAS>`
	for i := 0; i < 300; i++ {
		many += fmt.Sprintf(`<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>name%d</ALIAS_NAME></INDIVIDUAL_ALIAS>`, i)
	}
	many += `</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`
	_, err = Parse(strings.NewReader(many))
	assert.ErrorIs(t, err, ErrTooManyNames)
}
