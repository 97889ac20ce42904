package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/pem"
	"os"
	"runtime"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrivateKeyFile(t *testing.T) {
	fx := newFixture(t)
	k, err := GenerateSigningKey()
	require.NoError(t, err)
	path := fx.path("device.key")
	require.NoError(t, k.WritePrivateKey(path))
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	got, err := ReadPrivateKey(path)
	require.NoError(t, err)
	require.Equal(t, k.Public(), got.Public())
	require.Equal(t, k.KeyID(), got.KeyID())

	requireRefusal(t, k.WritePrivateKey(path), ErrExists, "bundle.err.exists")
	other, err := GenerateSigningKey()
	require.NoError(t, err)
	requireRefusal(t, other.WritePrivateKey(path), ErrExists, "bundle.err.exists")
	got, err = ReadPrivateKey(path)
	require.NoError(t, err)
	require.Equal(t, k.Public(), got.Public(), "the key must not be replaced")

	if runtime.GOOS != "windows" {
		for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o606} {
			require.NoError(t, os.Chmod(path, mode))
			_, err := ReadPrivateKey(path)
			requireRefusal(t, err, ErrInsecureKey, "bundle.err.insecure_key_file")
		}
	}
	_, err = ReadPrivateKey(fx.path("missing.key"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestReadPrivateKeyMalformed(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	valid := pem.EncodeToMemory(&pem.Block{Type: privateKeyBlock, Bytes: seed})
	tests := []struct {
		name string
		data []byte
		kind *Error
	}{
		{"empty", nil, ErrMalformed},
		{"not PEM", []byte("hello"), ErrMalformed},
		{"other block type", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: seed}), ErrMalformed},
		{"headers", pem.EncodeToMemory(&pem.Block{Type: privateKeyBlock, Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: seed}), ErrMalformed},
		{"short seed", pem.EncodeToMemory(&pem.Block{Type: privateKeyBlock, Bytes: seed[:31]}), ErrMalformed},
		{"long seed", pem.EncodeToMemory(&pem.Block{Type: privateKeyBlock, Bytes: append(seed, 0)}), ErrMalformed},
		{"data after", append(bytes.Clone(valid), "more"...), ErrMalformed},
		{"data before", append([]byte("note\n"), valid...), ErrMalformed},
		{"two blocks", append(bytes.Clone(valid), valid...), ErrMalformed},
		{"too large", bytes.Repeat([]byte(" "), maxPrivateKeyFile+1), ErrTooLarge},
	}
	fx := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fx.save(t, strings.ReplaceAll(tt.name, " ", "-")+".key", tt.data)
			_, err := ReadPrivateKey(path)
			requireRefusal(t, err, tt.kind, "bundle.err.key_file")
		})
	}
	path := fx.save(t, "valid.key", valid)
	k, err := ReadPrivateKey(path)
	require.NoError(t, err)
	require.Equal(t, seededKey(7).Public(), k.Public())
}

func TestKeyIDAndFingerprint(t *testing.T) {
	k := seededKey(1)
	sum := sha256.Sum256(k.Public())
	require.Regexp(t, `^[0-9a-f]{16}$`, k.KeyID())
	require.Equal(t, KeyID(k.Public()), k.KeyID())

	fp := k.Fingerprint()
	require.Regexp(t, `^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$`, fp)
	want := base32.NewEncoding(crockford).WithPadding(base32.NoPadding).EncodeToString(sum[:13])[:20]
	require.Equal(t, want, strings.ReplaceAll(fp, "-", ""))
	require.NotEqual(t, fp, seededKey(2).Fingerprint())

	for _, typed := range []string{
		fp,
		strings.ToLower(fp),
		strings.ReplaceAll(fp, "-", ""),
		strings.ReplaceAll(fp, "-", " "),
		strings.NewReplacer("0", "O", "1", "I").Replace(fp),
		strings.NewReplacer("1", "l").Replace(strings.ToLower(fp)),
	} {
		require.True(t, MatchFingerprint(k.Public(), typed), typed)
	}
	for _, typed := range []string{"", seededKey(2).Fingerprint(), fp[:len(fp)-1], fp + "0"} {
		require.False(t, MatchFingerprint(k.Public(), typed), typed)
	}
}

func TestPublicKeyFile(t *testing.T) {
	fx := newFixture(t)
	pk := &PublicKey{Post: testPost, Name: "Достык — автодорожный пункт", Key: fx.dev.Public()}
	data, err := pk.Marshal()
	require.NoError(t, err)
	got, err := ParsePublicKey(data)
	require.NoError(t, err)
	require.Equal(t, pk, got)
	require.Equal(t, fx.dev.KeyID(), got.KeyID())
	require.Equal(t, fx.dev.Fingerprint(), got.Fingerprint())
	_, err = got.AgeRecipient()
	requireRefusal(t, err, ErrMalformed, "bundle.err.public_key")

	office := fx.keys[fx.officeKey.KeyID()]
	data, err = office.Marshal()
	require.NoError(t, err)
	got, err = ParsePublicKey(data)
	require.NoError(t, err)
	r, err := got.AgeRecipient()
	require.NoError(t, err)
	require.Equal(t, fx.officeID.Recipient().String(), r.String())

	_, err = (&PublicKey{Post: "nowhere", Name: "x", Key: fx.dev.Public()}).Marshal()
	requireRefusal(t, err, ErrMalformed, "bundle.err.public_key")
}

func TestParsePublicKeyMalformed(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(seededKey(1).Public())
	rcpt := "age1hhesvcjncql58x2cgvfk3n0tq2sgxws9zg58t79deqf3zanfw4jqt7p6pe"
	doc := func(fields string) []byte { return []byte("{" + fields + "}") }
	std := func(post, name, k, r string) string {
		return `"format":"kordon-public-key","version":1,"post":"` + post + `","name":"` + name + `","key":"` + k + `","recipient":"` + r + `"`
	}
	_, err := ParsePublicKey(doc(std("KZ-DOS", "Достык", key, "")))
	require.NoError(t, err, "the table's base document must be valid")
	_, err = ParsePublicKey(doc(std("KZ-DOS", "Достык", key, rcpt)))
	require.NoError(t, err)

	tests := []struct {
		name string
		data []byte
		kind *Error
	}{
		{"empty", nil, ErrMalformed},
		{"not JSON", []byte("ssh-ed25519 AAAA"), ErrMalformed},
		{"array", []byte(`[1]`), ErrMalformed},
		{"null", []byte(`null`), ErrMalformed},
		{"too large", append(doc(std("KZ-DOS", "Достык", key, "")), bytes.Repeat([]byte(" "), maxPublicKeyFile)...), ErrTooLarge},
		{"unknown field", doc(std("KZ-DOS", "Достык", key, "") + `,"comment":"x"`), ErrMalformed},
		{"duplicate field", doc(std("KZ-DOS", "Достык", key, "") + `,"key":"` + key + `"`), ErrMalformed},
		{"field in other case", doc(std("KZ-DOS", "Достык", key, "") + `,"Key":"` + key + `"`), ErrMalformed},
		{"missing recipient", doc(`"format":"kordon-public-key","version":1,"post":"KZ-DOS","name":"Достык","key":"` + key + `"`), ErrMalformed},
		{"null recipient", doc(strings.Replace(std("KZ-DOS", "Достык", key, ""), `"recipient":""`, `"recipient":null`, 1)), ErrMalformed},
		{"other format", doc(strings.Replace(std("KZ-DOS", "Достык", key, ""), "kordon-public-key", "ssh-key", 1)), ErrSchema},
		{"other version", doc(strings.Replace(std("KZ-DOS", "Достык", key, ""), `"version":1`, `"version":2`, 1)), ErrSchema},
		{"version as text", doc(strings.Replace(std("KZ-DOS", "Достык", key, ""), `"version":1`, `"version":"1"`, 1)), ErrMalformed},
		{"bad post", doc(std("kz-dos", "Достык", key, "")), ErrMalformed},
		{"unknown country", doc(std("XX-DOS", "Достык", key, "")), ErrMalformed},
		{"empty name", doc(std("KZ-DOS", "", key, "")), ErrMalformed},
		{"name with newline", doc(std("KZ-DOS", `Дос\nтык`, key, "")), ErrMalformed},
		{"name with spaces around", doc(std("KZ-DOS", " Достык", key, "")), ErrMalformed},
		{"name too long", doc(std("KZ-DOS", strings.Repeat("я", maxNameRunes+1), key, "")), ErrMalformed},
		{"short key", doc(std("KZ-DOS", "Достык", key[:40], "")), ErrMalformed},
		{"long key", doc(std("KZ-DOS", "Достык", base64.StdEncoding.EncodeToString(make([]byte, 33)), "")), ErrMalformed},
		{"unpadded key", doc(std("KZ-DOS", "Достык", strings.TrimRight(key, "="), "")), ErrMalformed},
		{"URL base64 key", doc(std("KZ-DOS", "Достык", base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, 32)), "")), ErrMalformed},
		{"non-canonical base64", doc(std("KZ-DOS", "Достык", key[:42]+"B=", "")), ErrMalformed},
		{"hex key", doc(std("KZ-DOS", "Достык", strings.Repeat("ab", 32), "")), ErrMalformed},
		{"bad recipient", doc(std("KZ-DOS", "Достык", key, "age1xyz")), ErrMalformed},
		{"secret key as recipient", doc(std("KZ-DOS", "Достык", key, testOfficeIdentity)), ErrMalformed},
		{"trailing data", append(doc(std("KZ-DOS", "Достык", key, "")), `{}`...), ErrMalformed},
		{"invalid UTF-8", doc(std("KZ-DOS", "\xff", key, "")), ErrMalformed},
		{"deep nesting", []byte(strings.Repeat(`{"a":`, 50) + "1" + strings.Repeat("}", 50)), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePublicKey(tt.data)
			requireRefusal(t, err, tt.kind, "bundle.err.public_key")
		})
	}
}

func TestOfficeIdentity(t *testing.T) {
	fx := newFixture(t)
	id, err := GenerateOfficeIdentity()
	require.NoError(t, err)
	path := fx.path("office.agekey")
	require.NoError(t, WriteOfficeIdentity(path, id))
	got, err := ReadOfficeIdentity(path)
	require.NoError(t, err)
	require.Equal(t, id.String(), got.String())
	require.Equal(t, id.Recipient().String(), got.Recipient().String())
	requireRefusal(t, WriteOfficeIdentity(path, id), ErrExists, "bundle.err.exists")

	// The file is usable by the age tool's parser too.
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	ids, err := age.ParseIdentities(bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, ids, 1)

	if runtime.GOOS != "windows" {
		require.NoError(t, os.Chmod(path, 0o644))
		_, err = ReadOfficeIdentity(path)
		requireRefusal(t, err, ErrInsecureKey, "bundle.err.insecure_key_file")
	}

	for name, content := range map[string]string{
		"empty":     "",
		"garbage":   "AGE-SECRET-KEY-1NOTAKEY\n",
		"two keys":  testOfficeIdentity + "\n" + testOtherIdentity + "\n",
		"recipient": id.Recipient().String() + "\n",
	} {
		p := fx.save(t, "id-"+strings.ReplaceAll(name, " ", "-"), []byte(content))
		_, err := ReadOfficeIdentity(p)
		requireRefusal(t, err, ErrMalformed, "bundle.err.key_file")
		require.NotContains(t, err.Error(), "AGE-SECRET-KEY-1R63", "errors must not quote secret keys")
	}
}

// An office's key file carries the key posts encrypt their bundles to: a
// file with another encryption key put in must not pass the fingerprint
// check read over the phone.
func TestAnOfficeKeyFileWithASwappedRecipientShowsAnotherFingerprint(t *testing.T) {
	k, err := GenerateSigningKey()
	require.NoError(t, err)
	genuine, err := age.GenerateX25519Identity()
	require.NoError(t, err)
	evil, err := age.GenerateX25519Identity()
	require.NoError(t, err)
	office := &PublicKey{Post: "KZ-ALA", Name: "Алматы", Key: k.Public(), Recipient: genuine.Recipient().String()}
	forged := *office
	forged.Recipient = evil.Recipient().String()
	assert.NotEqual(t, office.Fingerprint(), forged.Fingerprint())
	assert.False(t, forged.MatchFingerprint(office.Fingerprint()))
	assert.True(t, office.MatchFingerprint(strings.ToLower(office.Fingerprint())))
	post := &PublicKey{Post: "KZ-DOS", Name: "Достык", Key: k.Public()}
	assert.Equal(t, Fingerprint(k.Public()), post.Fingerprint(), "a post's key file: the fingerprint of its key alone")
}
