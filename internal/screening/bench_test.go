package screening

import (
	"bytes"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"
)

func BenchmarkParseUNList(b *testing.B) {
	raw := realList(b)
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms")
}

func BenchmarkNewIndex(b *testing.B) {
	l := realParsed(b)
	for b.Loop() {
		NewIndex(l)
	}
}

// BenchmarkScreen screens 1,000 real-looking queries, a third of them
// in Cyrillic, and reports the 95th percentile of the time of one.
func BenchmarkScreen(b *testing.B) {
	ix := realIx(b)
	qs := benchQueries(ix.List(), 1000)
	times := make([]time.Duration, 0, len(qs))
	b.ResetTimer()
	for b.Loop() {
		times = times[:0]
		for _, q := range qs {
			t0 := time.Now()
			ix.Screen(q)
			times = append(times, time.Since(t0))
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(0, "ns/op")
}

// benchQueries makes n queries: listed names, some reordered, misspelt or
// in Cyrillic, and ordinary names of the region.
func benchQueries(l *List, n int) []Query {
	r := rand.New(rand.NewPCG(1, 2))
	ordinary := []string{"Иванов Иван Иванович", "Ўринов Бахтиёр", "Каримов Рустам", "Nurlanov Aidos", "Ахмедов Шамиль",
		"Tursunov Jamshid", "Абдуллаев Фарход", "Rahmonov Dilshod", "Ташкентов Азиз", "Omirbekov Serik",
		"ТОО Восток-Транзит", "Silk Road Logistics LLC", "Хасанов Алишер Рустамович", "Karimova Dilnoza"}
	var qs []Query
	for len(qs) < n {
		switch k := r.IntN(10); {
		case k < 3:
			qs = append(qs, Query{Name: ordinary[r.IntN(len(ordinary))], BirthDate: "1980"})
		default:
			es := l.Individuals
			kind := QueryPerson
			if r.IntN(4) == 0 {
				es, kind = l.Entities, QueryOrganisation
			}
			name := es[r.IntN(len(es))].Names[0].Text
			words := strings.Fields(name)
			if len(words) > 1 && r.IntN(2) == 0 {
				words[0], words[len(words)-1] = words[len(words)-1], words[0]
			}
			name = strings.Join(words, " ")
			switch r.IntN(3) {
			case 0:
				name = toCyrillic(name)
			case 1:
				if i := r.IntN(len(name)); name[i] != ' ' {
					name = name[:i] + "e" + name[i+1:]
				}
			}
			if r.IntN(3) == 0 {
				kind = ""
			}
			qs = append(qs, Query{Name: name, Kind: kind})
		}
	}
	return qs
}

// toCyrillic writes a Latin name in Cyrillic letters, roughly as a Russian
// clerk would.
func toCyrillic(s string) string {
	rep := strings.NewReplacer("KH", "Х", "SH", "Ш", "CH", "Ч", "ZH", "Ж", "YU", "Ю", "YA", "Я",
		"A", "А", "B", "Б", "C", "К", "D", "Д", "E", "Е", "F", "Ф", "G", "Г", "H", "Х", "I", "И",
		"J", "Дж", "K", "К", "L", "Л", "M", "М", "N", "Н", "O", "О", "P", "П", "Q", "К", "R", "Р",
		"S", "С", "T", "Т", "U", "У", "V", "В", "W", "В", "X", "Кс", "Y", "Й", "Z", "З")
	return rep.Replace(strings.ToUpper(s))
}
