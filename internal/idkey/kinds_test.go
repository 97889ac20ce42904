package idkey

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKinds(t *testing.T) {
	want := []Kind{Weapon, Document, Person, Plate, VIN, Registration, Phone,
		Serial, PartSerial, Ammunition, Name, PlateNumber, Container, Organisation}
	require.Equal(t, want, Kinds())

	// Strong kinds first, then only weak ones.
	ks := Kinds()
	strong := 0
	for strong < len(ks) && ks[strong].Strong() {
		strong++
	}
	assert.Equal(t, 7, strong)
	for _, k := range ks[strong:] {
		assert.False(t, k.Strong(), "%s after the strong kinds", k)
	}

	// Values are stable: the store and cluster ids carry them.
	values := map[Kind]string{
		Weapon: "weapon", Document: "document", Person: "person", Plate: "plate", VIN: "vin",
		Registration: "registration", Phone: "phone", Serial: "serial", PartSerial: "part",
		Ammunition: "ammo", Name: "name", PlateNumber: "plateno", Container: "container", Organisation: "org",
	}
	require.Len(t, values, len(ks))
	for k, v := range values {
		assert.Equal(t, v, string(k))
	}

	// Kinds returns a copy.
	ks[0] = "changed"
	assert.Equal(t, Weapon, Kinds()[0])
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds() {
		got, ok := ParseKind(string(k))
		assert.True(t, ok, k)
		assert.Equal(t, k, got)
	}
	for _, s := range []string{"", "Weapon", "WEAPON", " weapon", "weapon ", "weapons", "plate_number", "organisation", "ammunition"} {
		got, ok := ParseKind(s)
		assert.False(t, ok, "%q", s)
		assert.Equal(t, Kind(""), got, "%q", s)
	}
	assert.False(t, Kind("bogus").Strong())
}
