package screening

import (
	"bytes"
	"errors"
	"testing"

	"github.com/kordon/kordon/internal/fault"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(small))
	f.Add([]byte(listHead + oneEntry + listTail))
	f.Add([]byte(listHead + `<INDIVIDUAL><REFERENCE_NUMBER>x</REFERENCE_NUMBER><FIRST_NAME>&#x202E;A</FIRST_NAME>` +
		`<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>a (b; c) ; d</ALIAS_NAME></INDIVIDUAL_ALIAS>` +
		`<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1970</FROM_YEAR><TO_YEAR>1960</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>` +
		`</INDIVIDUAL>` + listTail))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><CONSOLIDATED_LIST>&a;</CONSOLIDATED_LIST>`))
	f.Add([]byte(`<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X LLC</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>`))
	f.Add([]byte(`<html><body>x</body></html>`))
	f.Add([]byte(`{"a":1}`))
	f.Add([]byte(""))
	f.Add([]byte(listHead + `<INDIVIDUAL><a><b><c>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse(bytes.NewReader(data))
		if err != nil {
			var fe *fault.Error
			if !errors.As(err, &fe) || fe.Key == "" {
				t.Fatalf("not a fault: %T %v", err, err)
			}
			if l != nil {
				t.Fatal("a list with an error")
			}
			return
		}
		if l.Len() == 0 || len(l.SHA256) != 64 {
			t.Fatalf("empty list accepted: %+v", l)
		}
		ix := NewIndex(l)
		for _, es := range [][]Entry{l.Individuals, l.Entities} {
			for _, e := range es {
				if e.Reference == "" || len(e.Names) == 0 {
					t.Fatalf("entry without reference or name: %+v", e)
				}
				for _, h := range ix.Screen(Query{Name: e.Names[0].Text, BirthDate: "1970", Nationality: "TJ"}) {
					if h.Score < Threshold || h.Score > 1 {
						t.Fatalf("score %v", h.Score)
					}
				}
			}
		}
	})
}
