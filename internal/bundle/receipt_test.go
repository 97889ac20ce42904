package bundle

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// sampleReceipt returns a receipt the fixture office would send.
func sampleReceipt() *Receipt {
	return &Receipt{
		Office: "KZ-ALA", Post: testPost, LastSequence: 3,
		Acknowledged: []string{sha([]byte("b")), sha([]byte("a")), sha([]byte("b"))},
		Created:      time.Date(2026, 3, 5, 10, 0, 0, 123, time.FixedZone("ALMT", 5*3600)),
	}
}

func TestReceiptRoundTrip(t *testing.T) {
	fx := newFixture(t)
	rc := sampleReceipt()
	var buf bytes.Buffer
	require.NoError(t, WriteReceipt(&buf, rc, fx.officeKey))
	require.Equal(t, fx.officeKey.KeyID(), rc.OfficeKeyID)
	require.Len(t, rc.Acknowledged, 2, "sorted and de-duplicated")
	require.Equal(t, 2, bytes.Count(buf.Bytes(), []byte("\n")))

	got, err := ReadReceipt(buf.Bytes(), fx.trust)
	require.NoError(t, err)
	require.Equal(t, rc.Office, got.Office)
	require.Equal(t, rc.OfficeKeyID, got.OfficeKeyID)
	require.Equal(t, rc.Post, got.Post)
	require.Equal(t, rc.LastSequence, got.LastSequence)
	require.Equal(t, rc.Acknowledged, got.Acknowledged)
	require.True(t, rc.Created.Equal(got.Created))
	require.Equal(t, time.UTC, got.Created.Location())

	empty := &Receipt{Office: "KZ-ALA", Post: testPost}
	buf.Reset()
	require.NoError(t, WriteReceipt(&buf, empty, fx.officeKey))
	got, err = ReadReceipt(buf.Bytes(), fx.trust)
	require.NoError(t, err)
	require.Empty(t, got.Acknowledged)

	require.Error(t, WriteReceipt(&buf, &Receipt{Office: "office", Post: testPost}, fx.officeKey))
}

func TestReadReceiptRefusals(t *testing.T) {
	fx := newFixture(t)
	var buf bytes.Buffer
	require.NoError(t, WriteReceipt(&buf, sampleReceipt(), fx.officeKey))
	valid := buf.Bytes()
	body := valid[:bytes.IndexByte(valid, '\n')]

	// signed returns a receipt file of body signed by k.
	signed := func(k *SigningKey, body []byte) []byte {
		return append(append(bytes.Clone(body), '\n'), marshalSig(k.KeyID(), k.sign(ReceiptSigPrefix, body))...)
	}
	// edit changes the valid body's JSON and signs it again.
	edit := func(change func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m))
		change(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return signed(fx.officeKey, b)
	}
	replace := func(old, new string) []byte {
		require.Contains(t, string(body), old)
		return signed(fx.officeKey, []byte(strings.Replace(string(body), old, new, 1)))
	}

	tests := []struct {
		name string
		data []byte
		kind *Error
		key  string
	}{
		{"empty", nil, ErrMalformed, "bundle.err.receipt"},
		{"too large", append(bytes.Clone(valid), bytes.Repeat([]byte(" "), maxReceiptSize)...), ErrTooLarge, "bundle.err.receipt"},
		{"no signature line", body, ErrMalformed, "bundle.err.receipt"},
		{"signature line without newline", valid[:len(valid)-1], ErrBadSignature, "bundle.err.signature_malformed"},
		{"third line", append(bytes.Clone(valid), "extra\n"...), ErrBadSignature, "bundle.err.signature_malformed"},
		{"CRLF", bytes.Replace(valid, []byte("\n"), []byte("\r\n"), 1), ErrBadSignature, "bundle.err.bad_signature"},
		{"garbage signature line", append(append(bytes.Clone(body), '\n'), "signed\n"...), ErrBadSignature, "bundle.err.signature_malformed"},
		{"other algorithm", bytes.Replace(valid, []byte("\ned25519 "), []byte("\ned25518 "), 1), ErrBadSignature, "bundle.err.signature_malformed"},
		{"upper-case key id", bytes.Replace(valid, []byte("ed25519 "+fx.officeKey.KeyID()), []byte("ed25519 "+strings.ToUpper(fx.officeKey.KeyID())), 1), ErrBadSignature, "bundle.err.signature_malformed"},
		{"unknown key", signed(seededKey(3), body), ErrUnknownKey, "bundle.err.unknown_key"},
		{"revoked key", signed(seededKey(4), body), ErrRevokedKey, "bundle.err.revoked_key"},
		{"body changed", bytes.Replace(valid, []byte(`"last_sequence":3`), []byte(`"last_sequence":9`), 1), ErrBadSignature, "bundle.err.bad_signature"},
		{"signed as a manifest", append(append(bytes.Clone(body), '\n'), marshalSig(fx.officeKey.KeyID(), fx.officeKey.sign(ManifestSigPrefix, body))...), ErrBadSignature, "bundle.err.bad_signature"},
		{"signed without prefix", append(append(bytes.Clone(body), '\n'), marshalSig(fx.officeKey.KeyID(), ed25519.Sign(fx.officeKey.priv, body))...), ErrBadSignature, "bundle.err.bad_signature"},
		{"not JSON", signed(fx.officeKey, []byte("receipt")), ErrMalformed, "bundle.err.receipt"},
		{"unknown field", edit(func(m map[string]any) { m["note"] = "x" }), ErrMalformed, "bundle.err.receipt"},
		{"missing field", edit(func(m map[string]any) { delete(m, "post") }), ErrMalformed, "bundle.err.receipt"},
		{"null field", edit(func(m map[string]any) { m["acknowledged"] = nil }), ErrMalformed, "bundle.err.receipt"},
		{"duplicate field", replace(`"post":"KZ-DOS"`, `"post":"KZ-DOS","post":"KG-TOR"`), ErrMalformed, "bundle.err.receipt"},
		{"other format", edit(func(m map[string]any) { m["format"] = "kordon-bundle" }), ErrSchema, "bundle.err.receipt"},
		{"other version", edit(func(m map[string]any) { m["version"] = 2 }), ErrSchema, "bundle.err.receipt"},
		{"negative sequence", edit(func(m map[string]any) { m["last_sequence"] = -1 }), ErrMalformed, "bundle.err.receipt"},
		{"bad post", edit(func(m map[string]any) { m["post"] = "dostyk" }), ErrMalformed, "bundle.err.receipt"},
		{"bad hash", edit(func(m map[string]any) { m["acknowledged"] = []string{"abc"} }), ErrMalformed, "bundle.err.receipt"},
		{"hashes unsorted", edit(func(m map[string]any) { m["acknowledged"] = []string{strings.Repeat("b", 64), strings.Repeat("a", 64)} }), ErrMalformed, "bundle.err.receipt"},
		{"hash repeated", edit(func(m map[string]any) { m["acknowledged"] = []string{sha([]byte("a")), sha([]byte("a"))} }), ErrMalformed, "bundle.err.receipt"},
		{"hash as object", edit(func(m map[string]any) { m["acknowledged"] = []any{map[string]any{"a": 1}} }), ErrMalformed, "bundle.err.receipt"},
		{"bad time", edit(func(m map[string]any) { m["created"] = "yesterday" }), ErrMalformed, "bundle.err.receipt"},
		{"names another key", edit(func(m map[string]any) { m["office_key_id"] = fx.dev.KeyID() }), ErrBadSignature, "bundle.err.key_mismatch"},
		{"another office", edit(func(m map[string]any) { m["office"] = "KG-BIS" }), ErrWrongPost, "bundle.err.receipt_wrong_office"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadReceipt(tt.data, fx.trust)
			requireRefusal(t, err, tt.kind, tt.key)
		})
	}

	t.Run("signed by a post's device key", func(t *testing.T) {
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m))
		m["office_key_id"] = fx.dev.KeyID()
		b, err := json.Marshal(m)
		require.NoError(t, err)
		_, err = ReadReceipt(signed(fx.dev, b), fx.trust)
		requireRefusal(t, err, ErrWrongPost, "bundle.err.receipt_wrong_office")
	})
}
