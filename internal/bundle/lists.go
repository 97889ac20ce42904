package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kordon/kordon/internal/record"
)

// List file format identification.
const (
	listsFormat  = "kordon-lists"
	listsVersion = 1
	// ListsSigPrefix is signed before a list file's bytes, so its
	// signature can serve no other purpose.
	ListsSigPrefix = "kordon-lists-v1\n"
	listsSigSource = "lists"
)

// MaxListFile caps a list file: the UN list (at most 64 MB) in base64, and
// the rest.
const MaxListFile = 90 << 20

// ListFile is the sanctions list an office carries to its posts, signed by
// the office. The file is two lines: the list file as one line of JSON
// (the UN list's bytes in base64), and "ed25519 <office key id> <base64
// signature>" over ListsSigPrefix followed by the first line's bytes.
type ListFile struct {
	// Office is the office's code; it must be the post code in the
	// office's public key file. OfficeKeyID is the key that signed it
	// (WriteListFile sets it).
	Office, OfficeKeyID string
	// Created is when the office wrote the file, in UTC.
	Created time.Time
	// Sequence counts the list files the office wrote: a post takes a
	// file only with a higher number than the one it holds.
	Sequence uint64
	// UNGenerated and UNSHA256 identify the UN list; UN is its file.
	UNGenerated time.Time
	UNSHA256    string
	UN          []byte
	// Watch is the office's own watch list.
	Watch []Watch
}

// Watch is one entry of an office's watch list as a list file carries it;
// the post makes its key again from the value.
type Watch struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
	Until  string `json:"until"`
}

// maxWatch caps the watch list a list file carries.
const maxWatch = 100_000

type unJSON struct {
	Generated time.Time `json:"generated"`
	SHA256    string    `json:"sha256"`
	Content   string    `json:"content"`
}

type listsJSON struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	Office      string    `json:"office"`
	OfficeKeyID string    `json:"office_key_id"`
	Created     time.Time `json:"created"`
	Sequence    uint64    `json:"sequence"`
	UN          unJSON    `json:"un"`
	Watch       []Watch   `json:"watch"`
}

var listsShape = object(map[string]*shape{
	"format": nil, "version": nil, "office": nil, "office_key_id": nil, "created": nil, "sequence": nil,
	"un":    object(map[string]*shape{"generated": nil, "sha256": nil, "content": nil}),
	"watch": arrayOf(object(map[string]*shape{"id": nil, "kind": nil, "value": nil, "reason": nil, "until": nil})),
})

func (lf *ListFile) validate() error {
	switch {
	case !record.ValidPostCode(lf.Office):
		return fmt.Errorf("office %q is not a post code", lf.Office)
	case !keyIDRE.MatchString(lf.OfficeKeyID):
		return fmt.Errorf("office_key_id %q is not a key id", lf.OfficeKeyID)
	case lf.Created.IsZero() || lf.Created.Year() < 2000 || lf.Created.Year() > 9999:
		return fmt.Errorf("created %s", lf.Created)
	case lf.Sequence == 0:
		return errors.New("sequence 0")
	case lf.UNGenerated.IsZero():
		return errors.New("un.generated is not given")
	case !hex64RE.MatchString(lf.UNSHA256):
		return fmt.Errorf("un.sha256 %q is not a lower-case SHA-256", lf.UNSHA256)
	case hexSHA256(lf.UN) != lf.UNSHA256:
		return errors.New("un.content is not the list un.sha256 names")
	case len(lf.Watch) > maxWatch:
		return fmt.Errorf("%d watch list entries, more than %d", len(lf.Watch), maxWatch)
	}
	ids := make(map[string]bool, len(lf.Watch))
	for i, w := range lf.Watch {
		if ids[w.ID] {
			return fmt.Errorf("watch[%d]: id %q given twice", i, w.ID)
		}
		ids[w.ID] = true
		switch {
		case w.ID == "" || len(w.ID) > 64 || w.Value == "" || len([]rune(w.Value)) > 200 || len([]rune(w.Reason)) > 2000 || len(w.Until) > 10:
			return fmt.Errorf("watch[%d] is not a watch list entry", i)
		case w.Kind != "serial" && w.Kind != "document" && w.Kind != "plate" && w.Kind != "phone" && w.Kind != "person" && w.Kind != "organisation":
			return fmt.Errorf("watch[%d]: kind %q", i, w.Kind)
		}
		for _, t := range []string{w.ID, w.Value, w.Reason, w.Until} {
			for _, r := range t {
				if record.BadRune(r, false) {
					return fmt.Errorf("watch[%d]: a control character", i)
				}
			}
		}
	}
	return nil
}

// WriteListFile signs lf with the office's key and writes the list file to
// w. It sets lf.OfficeKeyID and stores Created in UTC to the second (now if
// zero).
func WriteListFile(w io.Writer, lf *ListFile, key *SigningKey) error {
	lf.OfficeKeyID = key.KeyID()
	if lf.Created.IsZero() {
		lf.Created = time.Now()
	}
	lf.Created = lf.Created.UTC().Truncate(time.Second)
	if err := lf.validate(); err != nil {
		return fmt.Errorf("bundle: write list file: %w", err)
	}
	watch := lf.Watch
	if watch == nil {
		watch = []Watch{}
	}
	body, err := json.Marshal(listsJSON{Format: listsFormat, Version: listsVersion, Office: lf.Office, OfficeKeyID: lf.OfficeKeyID,
		Created: lf.Created, Sequence: lf.Sequence, UN: unJSON{Generated: lf.UNGenerated.UTC(), SHA256: lf.UNSHA256, Content: base64.StdEncoding.EncodeToString(lf.UN)},
		Watch: watch})
	if err != nil {
		return fmt.Errorf("bundle: marshal list file: %w", err)
	}
	out := append(append(body, '\n'), marshalSig(lf.OfficeKeyID, key.sign(ListsSigPrefix, body))...)
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("bundle: write list file: %w", err)
	}
	return nil
}

// IsListFile tells a list file by its first bytes.
func IsListFile(head []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(head, " \r\n\t"), []byte(`{"format":"`+listsFormat+`"`))
}

// ReadListFile parses and verifies a list file, as strictly as a receipt:
// at most MaxListFile bytes, two lines, the signature checked against a
// key trust knows before the JSON is decoded, exactly the format's fields,
// the signing key named in the file and belonging to the office it names,
// and the UN list's bytes those its SHA-256 names. The caller still checks
// that the office is its own and the list not older than the one held.
func ReadListFile(data []byte, trust TrustFunc) (*ListFile, error) {
	if len(data) > MaxListFile {
		return nil, refuse(ErrTooLarge, "bundle.err.lists", fmt.Errorf("%d bytes", len(data)), "reason", fmt.Sprintf("larger than %d bytes", MaxListFile))
	}
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return nil, malformedLists(errors.New("no signature line"))
	}
	body, sigLine := data[:i], data[i+1:]
	keyID, sig, err := parseSig(sigLine)
	if err != nil {
		return nil, refuse(ErrBadSignature, "bundle.err.signature_malformed", err, "file", listsSigSource)
	}
	signer, err := lookupKey(trust, keyID)
	if err != nil {
		return nil, err
	}
	if !verify(signer.Key, ListsSigPrefix, body, sig) {
		return nil, refuse(ErrBadSignature, "bundle.err.bad_signature", nil, "key_id", keyID)
	}
	var w listsJSON
	if err := decodeStrict(body, listsShape, &w); err != nil {
		return nil, malformedLists(err)
	}
	if w.Format != listsFormat || w.Version != listsVersion {
		return nil, refuse(ErrSchema, "bundle.err.lists", nil,
			"reason", fmt.Sprintf("format %q version %d, want %q version %d", w.Format, w.Version, listsFormat, listsVersion))
	}
	un, err := base64.StdEncoding.Strict().DecodeString(w.UN.Content)
	if err != nil {
		return nil, malformedLists(err)
	}
	lf := &ListFile{Office: w.Office, OfficeKeyID: w.OfficeKeyID, Created: w.Created, Sequence: w.Sequence, UNGenerated: w.UN.Generated, UNSHA256: w.UN.SHA256, UN: un, Watch: w.Watch}
	if err := lf.validate(); err != nil {
		return nil, malformedLists(err)
	}
	switch {
	case lf.OfficeKeyID != keyID:
		return nil, refuse(ErrBadSignature, "bundle.err.key_mismatch", nil, "key_id", keyID, "named_key_id", lf.OfficeKeyID)
	case lf.Office != signer.Post || signer.Recipient == "":
		return nil, refuse(ErrWrongPost, "bundle.err.lists_not_office", nil, "office", lf.Office, "key_post", signer.Post, "key_id", keyID)
	}
	return lf, nil
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func malformedLists(err error) error {
	return refuse(ErrMalformed, "bundle.err.lists", err, "reason", err.Error())
}
