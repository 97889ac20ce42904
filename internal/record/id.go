package record

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"

	"github.com/google/uuid"
)

// idTagPrefix separates the hash that binds a record ID to its device from
// every other use of SHA-256 in Kordon.
const idTagPrefix = "kordon-record-id-v1\x00"

// idTagLen is how many leading bytes of a record ID name its device.
const idTagLen = 6

// NewID makes the ID of a new record, bound to the device that creates it:
// a UUID of version 8 (RFC 9562) whose first 48 bits are the first 48 bits
// of the SHA-256 of the device id, and the rest random. Anyone who knows a
// record's origin can then tell whether its ID was made there, so a device
// that copies another's record ID (printed on every protocol) is found out.
func NewID(device string) uuid.UUID {
	var u uuid.UUID
	rand.Read(u[:]) // never fails: see crypto/rand.Read
	tag := deviceTag(device)
	copy(u[:idTagLen], tag[:idTagLen])
	u[6] = u[6]&0x0f | 0x80 // version 8
	u[8] = u[8]&0x3f | 0x80 // variant of RFC 9562
	return u
}

func deviceTag(device string) [sha256.Size]byte {
	return sha256.Sum256([]byte(idTagPrefix + device))
}

// IDBinding is what a record ID says of the device that made it.
type IDBinding int

const (
	// IDUnbound: an ID made before Kordon bound IDs to devices (a random
	// UUID of version 4): it names no device.
	IDUnbound IDBinding = iota
	// IDOfDevice: made by the device asked about.
	IDOfDevice
	// IDOfOther: made by another device.
	IDOfOther
)

// BindingOf tells whether id was made by device.
func BindingOf(id uuid.UUID, device string) IDBinding {
	if id.Version() != 8 || id.Variant() != uuid.RFC4122 {
		return IDUnbound
	}
	tag := deviceTag(device)
	if bytes.Equal(id[:idTagLen], tag[:idTagLen]) {
		return IDOfDevice
	}
	return IDOfOther
}

// Ref names a record by the device that made it and its id, "origin/id":
// records are found by their id alone where it is unique, and by their Ref
// where two devices' records share it.
func Ref(origin, id string) string { return origin + "/" + id }

// Ref names the record for lookups; see the function Ref.
func (in *Interdiction) Ref() string { return Ref(in.Origin, in.ID.String()) }
