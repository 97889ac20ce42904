package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"

	"github.com/kordon/kordon/internal/record"
)

// PEM block type of a private signing key file.
const privateKeyBlock = "KORDON SIGNING KEY"

// Caps on key files: they are a few hundred bytes.
const (
	maxPrivateKeyFile = 4 << 10
	maxPublicKeyFile  = 4 << 10
	maxIdentityFile   = 64 << 10
	maxNameRunes      = 200
)

// Public key file format and version.
const (
	publicKeyFormat  = "kordon-public-key"
	publicKeyVersion = 1
)

// crockford is Crockford's base32 alphabet: no I, L, O or U, so a
// fingerprint read over a phone line is not misheard or misread.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// SigningKey is an Ed25519 private key: a device's key that signs its
// bundles, or an office's key that signs receipts.
type SigningKey struct {
	priv ed25519.PrivateKey
}

// GenerateSigningKey makes a new random signing key.
func GenerateSigningKey() (*SigningKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	return &SigningKey{priv: priv}, nil
}

// Public returns the public half of k.
func (k *SigningKey) Public() ed25519.PublicKey {
	return k.priv.Public().(ed25519.PublicKey)
}

// KeyID returns the key id of k's public key; see [KeyID].
func (k *SigningKey) KeyID() string { return KeyID(k.Public()) }

// Fingerprint returns the fingerprint of k's public key; see [Fingerprint].
func (k *SigningKey) Fingerprint() string { return Fingerprint(k.Public()) }

// Sign signs prefix followed by msg: for signatures kept outside bundles
// and receipts, such as the checkpoints of the audit chain. The prefix
// names the use, so that no signature serves two.
func (k *SigningKey) Sign(prefix string, msg []byte) []byte { return k.sign(prefix, msg) }

// sign signs prefix followed by msg. The prefix separates the uses of one
// key, so a signature over a manifest is never a valid receipt.
func (k *SigningKey) sign(prefix string, msg []byte) []byte {
	m := make([]byte, 0, len(prefix)+len(msg))
	m = append(append(m, prefix...), msg...)
	return ed25519.Sign(k.priv, m)
}

// verify reports whether sig is pub's signature over prefix followed by msg.
func verify(pub ed25519.PublicKey, prefix string, msg, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	m := make([]byte, 0, len(prefix)+len(msg))
	m = append(append(m, prefix...), msg...)
	return ed25519.Verify(pub, m, sig)
}

// WritePrivateKey writes k to a new file at path, readable by its owner
// only (mode 0600), as a PEM block "KORDON SIGNING KEY" holding the 32-byte
// seed. It never replaces an existing file: losing a device key would cut
// the device off from its office.
func (k *SigningKey) WritePrivateKey(path string) error {
	data := pem.EncodeToMemory(&pem.Block{Type: privateKeyBlock, Bytes: k.priv.Seed()})
	if err := writeFileAtomic(path, data, 0o600); err != nil {
		return fmt.Errorf("write private key: %w", err)
	}
	return nil
}

// ReadPrivateKey reads a signing key written by [SigningKey.WritePrivateKey].
// On Unix it refuses a file its group or others may access (ErrInsecureKey);
// it accepts exactly one PEM block of the right type with no headers and
// nothing else but white space around it.
func ReadPrivateKey(path string) (*SigningKey, error) {
	data, err := readPrivateFile(path, maxPrivateKeyFile)
	if err != nil {
		return nil, fmt.Errorf("read private key: %w", err)
	}
	k, err := ParsePrivateKey(data)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, refuse(ErrMalformed, "bundle.err.key_file", e.Err, "path", path, "reason", e.Err.Error())
		}
		return nil, err
	}
	return k, nil
}

// ParsePrivateKey reads a signing key in the form WritePrivateKey writes.
func ParsePrivateKey(data []byte) (*SigningKey, error) {
	if len(data) > maxPrivateKeyFile {
		return nil, refuse(ErrTooLarge, "bundle.err.key_file", errors.New("too large"), "path", "-", "reason", "too large")
	}
	block, rest := pem.Decode(data)
	var problem string
	switch {
	case block == nil:
		problem = "no PEM block"
	case block.Type != privateKeyBlock:
		problem = fmt.Sprintf("PEM block %q, want %q", block.Type, privateKeyBlock)
	case len(block.Headers) != 0:
		problem = "PEM headers"
	case len(block.Bytes) != ed25519.SeedSize:
		problem = fmt.Sprintf("key of %d bytes, want %d", len(block.Bytes), ed25519.SeedSize)
	case len(bytes.TrimSpace(rest)) != 0 || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN "+privateKeyBlock+"-----")):
		problem = "data around the PEM block"
	}
	if problem != "" {
		return nil, refuse(ErrMalformed, "bundle.err.key_file", errors.New(problem), "path", "-", "reason", problem)
	}
	return &SigningKey{priv: ed25519.NewKeyFromSeed(block.Bytes)}, nil
}

// KeyID returns the key id of pub: the hex form of the first 8 bytes of its
// SHA-256, 16 characters. Bundles and receipts name their signing key by it.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// Fingerprint returns pub's fingerprint for people to compare, for example
// read over a phone line: the first 100 bits of its SHA-256 as 20 Crockford
// base32 characters in five groups of four, like "7K3M-QP2X-0D9R-T4WZ-A81C".
func Fingerprint(pub ed25519.PublicKey) string { return fingerprintOf(sha256.Sum256(pub)) }

// fingerprintOf writes the first 100 bits of sum as a fingerprint.
func fingerprintOf(sum [32]byte) string {
	var b strings.Builder
	for i := range 20 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		// Five bits starting at bit 5*i, most significant first.
		bit := 5 * i
		v := uint(sum[bit/8])<<8 | uint(sum[bit/8+1])
		b.WriteByte(crockford[(v>>(11-bit%8))&0x1f])
	}
	return b.String()
}

// MatchFingerprint reports whether s, as typed by a person, is pub's
// fingerprint. Case, dashes and spaces do not matter, and O, I and L are
// read as 0, 1 and 1, as Crockford's base32 intends.
func MatchFingerprint(pub ed25519.PublicKey, s string) bool {
	return matchFingerprint(Fingerprint(pub), s)
}

// matchFingerprint reports whether s, as typed, is the fingerprint fp.
func matchFingerprint(fp, s string) bool {
	norm := strings.Map(func(r rune) rune {
		switch r {
		case '-', ' ':
			return -1
		case 'O', 'o':
			return '0'
		case 'I', 'i', 'L', 'l':
			return '1'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
	return norm == strings.ReplaceAll(fp, "-", "")
}

// PublicKey is the content of a public key file: whose key it is and the
// key itself. A post sends its device's file to the office; the office sends
// its own (with Recipient set) to its posts.
type PublicKey struct {
	// Post is the code of the post (or office) that holds the private key,
	// e.g. KZ-DOS.
	Post string
	// Name is the post's name as people write it, e.g. Достык.
	Name string
	// Key is the Ed25519 public key.
	Key ed25519.PublicKey
	// Recipient is the office's age X25519 recipient ("age1…") that posts
	// encrypt bundles to; empty in a device's key file.
	Recipient string
}

// publicKeyJSON is the wire form of a public key file; every field is
// always present.
type publicKeyJSON struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	Post      string `json:"post"`
	Name      string `json:"name"`
	Key       string `json:"key"`
	Recipient string `json:"recipient"`
}

var publicKeyShape = object(map[string]*shape{
	"format": nil, "version": nil, "post": nil, "name": nil, "key": nil, "recipient": nil,
})

// KeyID returns the key id of p's key; see [KeyID].
func (p *PublicKey) KeyID() string { return KeyID(p.Key) }

// Fingerprint returns the fingerprint people compare before trusting p;
// see [Fingerprint]. An office's key file carries its encryption key too,
// and its fingerprint covers both: a key file whose encryption key was
// swapped for another's, to read the posts' bundles, shows another
// fingerprint than the office reads out.
func (p *PublicKey) Fingerprint() string {
	if p.Recipient == "" {
		return Fingerprint(p.Key)
	}
	h := sha256.New()
	h.Write([]byte("kordon-office-key-v1\x00"))
	h.Write(p.Key)
	h.Write([]byte(p.Recipient))
	var sum [32]byte
	h.Sum(sum[:0])
	return fingerprintOf(sum)
}

// MatchFingerprint reports whether s, as typed by a person, is p's
// fingerprint; see [MatchFingerprint].
func (p *PublicKey) MatchFingerprint(s string) bool { return matchFingerprint(p.Fingerprint(), s) }

// AgeRecipient returns the office's age recipient, or an error if p has
// none.
func (p *PublicKey) AgeRecipient() (*age.X25519Recipient, error) {
	if p.Recipient == "" {
		return nil, publicKeyError(ErrMalformed, errors.New("the key file has no encryption key"))
	}
	r, err := age.ParseX25519Recipient(p.Recipient)
	if err != nil {
		return nil, publicKeyError(ErrMalformed, err)
	}
	return r, nil
}

// validate checks every field of p.
func (p *PublicKey) validate() error {
	switch {
	case !record.ValidPostCode(p.Post):
		return fmt.Errorf("post code %q", p.Post)
	case !validText(p.Name, maxNameRunes):
		return errors.New("post name is empty, too long or has control characters")
	case len(p.Key) != ed25519.PublicKeySize:
		return fmt.Errorf("key of %d bytes, want %d", len(p.Key), ed25519.PublicKeySize)
	}
	if p.Recipient != "" {
		if _, err := age.ParseX25519Recipient(p.Recipient); err != nil {
			return fmt.Errorf("recipient: %w", err)
		}
	}
	return nil
}

// Marshal returns p as a public key file: a small JSON document.
func (p *PublicKey) Marshal() ([]byte, error) {
	if err := p.validate(); err != nil {
		return nil, publicKeyError(ErrMalformed, err)
	}
	data, err := json.MarshalIndent(publicKeyJSON{
		Format:    publicKeyFormat,
		Version:   publicKeyVersion,
		Post:      p.Post,
		Name:      p.Name,
		Key:       base64.StdEncoding.EncodeToString(p.Key),
		Recipient: p.Recipient,
	}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("marshal public key: %w", err)
	}
	return append(data, '\n'), nil
}

// ParsePublicKey parses a public key file made by [PublicKey.Marshal]. It is
// strict, as the file comes from outside: at most 4 KiB, exactly the fields
// of the format (no unknown, duplicate or missing ones), format and version
// checked, a valid post code and name, the key in canonical base64 of
// exactly 32 bytes, and a valid age recipient if any.
func ParsePublicKey(data []byte) (*PublicKey, error) {
	if len(data) > maxPublicKeyFile {
		return nil, publicKeyError(ErrTooLarge, fmt.Errorf("%d bytes, more than %d", len(data), maxPublicKeyFile))
	}
	var w publicKeyJSON
	if err := decodeStrict(data, publicKeyShape, &w); err != nil {
		return nil, publicKeyError(ErrMalformed, err)
	}
	if w.Format != publicKeyFormat || w.Version != publicKeyVersion {
		return nil, publicKeyError(ErrSchema, fmt.Errorf("format %q version %d, want %q version %d", w.Format, w.Version, publicKeyFormat, publicKeyVersion))
	}
	key, err := decodeBase64(w.Key, ed25519.PublicKeySize)
	if err != nil {
		return nil, publicKeyError(ErrMalformed, fmt.Errorf("key: %w", err))
	}
	p := &PublicKey{Post: w.Post, Name: w.Name, Key: key, Recipient: w.Recipient}
	if err := p.validate(); err != nil {
		return nil, publicKeyError(ErrMalformed, err)
	}
	return p, nil
}

// publicKeyError is the refusal of a public key file.
func publicKeyError(kind *Error, err error) error {
	return refuse(kind, "bundle.err.public_key", err, "reason", err.Error())
}

// decodeBase64 decodes s, which must be the canonical standard base64 form
// of exactly n bytes.
func decodeBase64(s string, n int) ([]byte, error) {
	if len(s) != base64.StdEncoding.EncodedLen(n) {
		return nil, fmt.Errorf("%d base64 characters, want %d", len(s), base64.StdEncoding.EncodedLen(n))
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(b) != n {
		return nil, fmt.Errorf("%d bytes, want %d", len(b), n)
	}
	return b, nil
}
