package record

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TextCap says of every text field the cap validation applies to it.
func TestTextCapIsTheCapValidationApplies(t *testing.T) {
	in := fullRecordForCaps()
	long := strings.Repeat("x", MaxNarrative+1)
	setAllTexts(reflect.ValueOf(in).Elem(), long)
	errs, _ := in.Validate(time.Now()).(Errors)
	seen := 0
	for _, e := range errs {
		if e.Key != ErrTooLong {
			continue
		}
		seen++
		var max int
		for i := 0; i+1 < len(e.Args); i += 2 {
			if e.Args[i] == "max" {
				max = e.Args[i+1].(int)
			}
		}
		if got := TextCap(e.Path); got != max {
			t.Errorf("TextCap(%q) = %d, validation caps it at %d", e.Path, got, max)
		}
	}
	if seen < 40 {
		t.Errorf("only %d text fields were checked", seen)
	}
}

// fullRecordForCaps has one of everything that holds text.
func fullRecordForCaps() *Interdiction {
	return &Interdiction{
		Officers:      []Officer{{}},
		Conveyance:    &Conveyance{},
		People:        []Person{{}},
		Organisations: []Organisation{{}},
		Items: []Item{
			{Kind: KindFirearm, Firearm: &Firearm{Serials: []Serial{{}}}},
			{Kind: KindPart, Part: &Part{Serials: []Serial{{}}}},
			{Kind: KindAmmunition, Ammunition: &Ammunition{}},
			{Kind: KindExplosive, Explosive: &Explosive{}},
		},
		Photos:  []Photo{{}},
		Custody: []CustodyEvent{{}},
	}
}

// setAllTexts sets every string field reachable from v to s.
func setAllTexts(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			setAllTexts(v.Elem(), s)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				setAllTexts(v.Field(i), s)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			setAllTexts(v.Index(i), s)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(s)
		}
	}
}
