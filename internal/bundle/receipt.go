package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/kordon/kordon/internal/record"
)

// Receipt format identification.
const (
	receiptFormat  = "kordon-receipt"
	receiptVersion = 1
	// ReceiptSigPrefix is signed before a receipt's bytes, so a receipt
	// signature can serve no other purpose.
	ReceiptSigPrefix = "kordon-receipt-v1\n"
)

// Caps on receipts.
const (
	maxReceiptSize   = 1 << 20
	maxAcknowledged  = 10_000
	receiptSigSource = "receipt"
)

// Receipt is the office's signed answer to a post: which of the post's
// bundles arrived. The file is two lines: the receipt as one line of JSON,
// and "ed25519 <office key id> <base64 signature>" over ReceiptSigPrefix
// followed by the first line's bytes.
type Receipt struct {
	// Office is the office's code; it must be the post code in the office's
	// public key file.
	Office string
	// OfficeKeyID is the KeyID of the key that signed the receipt;
	// WriteReceipt sets it.
	OfficeKeyID string
	// Post is the code of the post the receipt is for. The post must check
	// that it is its own.
	Post string
	// LastSequence is the highest bundle sequence number received from the
	// post.
	LastSequence uint64
	// Acknowledged are the manifest hashes of the bundles acknowledged,
	// lower-case hex, sorted and without repeats (WriteReceipt sorts them).
	Acknowledged []string
	// Created is when the office made the receipt, in UTC.
	Created time.Time
}

// receiptJSON is the wire form of a receipt; every field is always present.
type receiptJSON struct {
	Format       string    `json:"format"`
	Version      int       `json:"version"`
	Office       string    `json:"office"`
	OfficeKeyID  string    `json:"office_key_id"`
	Post         string    `json:"post"`
	LastSequence uint64    `json:"last_sequence"`
	Acknowledged []string  `json:"acknowledged"`
	Created      time.Time `json:"created"`
}

var receiptShape = object(map[string]*shape{
	"format": nil, "version": nil, "office": nil, "office_key_id": nil, "post": nil,
	"last_sequence": nil, "acknowledged": arrayOf(nil), "created": nil,
})

// validate checks every field of rc.
func (rc *Receipt) validate() error {
	switch {
	case !record.ValidPostCode(rc.Office):
		return fmt.Errorf("office %q is not a post code", rc.Office)
	case !keyIDRE.MatchString(rc.OfficeKeyID):
		return fmt.Errorf("office_key_id %q is not a key id", rc.OfficeKeyID)
	case !record.ValidPostCode(rc.Post):
		return fmt.Errorf("post %q is not a post code", rc.Post)
	case len(rc.Acknowledged) > maxAcknowledged:
		return fmt.Errorf("%d acknowledged hashes, more than %d", len(rc.Acknowledged), maxAcknowledged)
	case rc.Created.IsZero() || rc.Created.Year() < 2000 || rc.Created.Year() > 9999:
		return fmt.Errorf("created %s", rc.Created)
	}
	for i, h := range rc.Acknowledged {
		if !hex64RE.MatchString(h) {
			return fmt.Errorf("acknowledged hash %q is not a lower-case SHA-256", h)
		}
		if i > 0 && h <= rc.Acknowledged[i-1] {
			return errors.New("acknowledged hashes not sorted or repeated")
		}
	}
	return nil
}

// WriteReceipt signs rc with the office's key and writes the receipt file
// to w. It sets rc.OfficeKeyID, sorts and de-duplicates rc.Acknowledged and
// stores Created in UTC to the second (now if zero).
func WriteReceipt(w io.Writer, rc *Receipt, key *SigningKey) error {
	rc.OfficeKeyID = key.KeyID()
	rc.Acknowledged = slices.Compact(slices.Sorted(slices.Values(rc.Acknowledged)))
	if rc.Created.IsZero() {
		rc.Created = time.Now()
	}
	rc.Created = rc.Created.UTC().Truncate(time.Second)
	if err := rc.validate(); err != nil {
		return fmt.Errorf("bundle: write receipt: %w", err)
	}
	ack := rc.Acknowledged
	if ack == nil {
		ack = []string{}
	}
	body, err := json.Marshal(receiptJSON{
		Format: receiptFormat, Version: receiptVersion,
		Office: rc.Office, OfficeKeyID: rc.OfficeKeyID, Post: rc.Post,
		LastSequence: rc.LastSequence, Acknowledged: ack, Created: rc.Created,
	})
	if err != nil {
		return fmt.Errorf("bundle: marshal receipt: %w", err)
	}
	out := append(append(body, '\n'), marshalSig(rc.OfficeKeyID, key.sign(ReceiptSigPrefix, body))...)
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("bundle: write receipt: %w", err)
	}
	return nil
}

// ReadReceipt parses and verifies a receipt file. It is strict, as the file
// comes from outside: at most 1 MiB, exactly two lines, the signature
// checked against a key trust knows (ErrUnknownKey, ErrRevokedKey,
// ErrBadSignature) before the JSON is decoded, exactly the fields of the
// format (ErrMalformed, ErrSchema), the signing key named in the receipt and
// belonging to the office it names (ErrBadSignature, ErrWrongPost). The
// caller must still check that Post is its own.
func ReadReceipt(data []byte, trust TrustFunc) (*Receipt, error) {
	if len(data) > maxReceiptSize {
		return nil, refuse(ErrTooLarge, "bundle.err.receipt", fmt.Errorf("%d bytes, more than %d", len(data), maxReceiptSize),
			"reason", fmt.Sprintf("larger than %d bytes", maxReceiptSize))
	}
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return nil, malformedReceipt(errors.New("no signature line"))
	}
	body, sigLine := data[:i], data[i+1:]
	keyID, sig, err := parseSig(sigLine)
	if err != nil {
		return nil, refuse(ErrBadSignature, "bundle.err.signature_malformed", err, "file", receiptSigSource)
	}
	signer, err := lookupKey(trust, keyID)
	if err != nil {
		return nil, err
	}
	if !verify(signer.Key, ReceiptSigPrefix, body, sig) {
		return nil, refuse(ErrBadSignature, "bundle.err.bad_signature", nil, "key_id", keyID)
	}
	var w receiptJSON
	if err := decodeStrict(body, receiptShape, &w); err != nil {
		return nil, malformedReceipt(err)
	}
	if w.Format != receiptFormat || w.Version != receiptVersion {
		return nil, refuse(ErrSchema, "bundle.err.receipt", nil,
			"reason", fmt.Sprintf("format %q version %d, want %q version %d", w.Format, w.Version, receiptFormat, receiptVersion))
	}
	rc := &Receipt{
		Office: w.Office, OfficeKeyID: w.OfficeKeyID, Post: w.Post,
		LastSequence: w.LastSequence, Acknowledged: w.Acknowledged, Created: w.Created,
	}
	if err := rc.validate(); err != nil {
		return nil, malformedReceipt(err)
	}
	switch {
	case rc.OfficeKeyID != keyID:
		return nil, refuse(ErrBadSignature, "bundle.err.key_mismatch", nil, "key_id", keyID, "named_key_id", rc.OfficeKeyID)
	case rc.Office != signer.Post:
		return nil, refuse(ErrWrongPost, "bundle.err.receipt_wrong_office", nil, "office", rc.Office, "key_post", signer.Post, "key_id", keyID)
	}
	return rc, nil
}

// malformedReceipt is the refusal of a receipt that does not parse.
func malformedReceipt(err error) error {
	return refuse(ErrMalformed, "bundle.err.receipt", err, "reason", err.Error())
}
