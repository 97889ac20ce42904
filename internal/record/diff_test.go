package record

import (
	"testing"

	"github.com/google/uuid"
)

func TestDiffNamesWhatChanged(t *testing.T) {
	id := uuid.New()
	a := &Interdiction{ID: id, Version: 1, Status: StatusDraft, Conveyance: &Conveyance{Plate: "777 ABC 02"},
		Items: []Item{{ID: id, Kind: KindAmmunition, Quantity: 1, Ammunition: &Ammunition{Rounds: 30}}}}
	b := &Interdiction{ID: id, Version: 2, Status: StatusFinal, Conveyance: &Conveyance{Plate: "01 KG 555"},
		Narrative: "Найдено в багаже.",
		Items:     []Item{{ID: id, Kind: KindAmmunition, Quantity: 1, Ammunition: &Ammunition{Rounds: 500}}}}
	got, err := Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{"conveyance.plate", "777 ABC 02", "01 KG 555"},
		{"items[0].ammunition.rounds", "30", "500"},
		{"narrative", "", "Найдено в багаже."},
		{"status", "draft", "final"},
	}
	if len(got) != len(want) {
		t.Fatalf("Diff = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if same, _ := Diff(a, a); len(same) != 0 {
		t.Errorf("a record differs from itself: %+v", same)
	}
}
