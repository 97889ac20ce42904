package bundle

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/record"
)

// Format identification of a bundle manifest.
const (
	// Format is the manifest's "format" value.
	Format = "kordon-bundle"
	// FormatVersion is the version of the bundle format this package
	// writes and the only one it reads.
	FormatVersion = 1
	// ManifestSigPrefix is signed before the manifest's bytes, so a
	// manifest signature can serve no other purpose.
	ManifestSigPrefix = "kordon-bundle-manifest-v1\n"
)

// Names of the entries of a bundle.
const (
	// ManifestName is the manifest's entry.
	ManifestName = "manifest.json"
	// SignatureName is the entry of the manifest's signature line.
	SignatureName = "manifest.sig"
	// RecordsName holds one record version per line.
	RecordsName = "records.ndjson"
	// AuditName holds one audit entry per line.
	AuditName = "audit.ndjson"
	// MediaPrefix precedes the lower-case hex SHA-256 of an attachment.
	MediaPrefix = "media/"
	// TracingName is kept for the tracing records an office will carry
	// to the national level; a post's bundle that holds it (or anything
	// under TracingName's stem) is refused with ErrOfficeData.
	TracingName = "tracing.ndjson"
)

// errOfficeData is what validate says of an office's data in a bundle.
var errOfficeData = errors.New("a post's bundle carries tracing records")

// sigAlgorithm starts a signature line.
const sigAlgorithm = "ed25519"

// Manifest describes a bundle: who made it, where it goes, where it stands
// in the device's sequence, and the size and hash of every other file.
type Manifest struct {
	// Format is always [Format].
	Format string `json:"format"`
	// FormatVersion is always [FormatVersion].
	FormatVersion int `json:"format_version"`
	// BundleID is a random UUID in canonical lower-case form.
	BundleID string `json:"bundle_id"`
	// Post is the code of the post that made the bundle, e.g. KZ-DOS.
	Post string `json:"post"`
	// DeviceID names the device within the post.
	DeviceID string `json:"device_id"`
	// DeviceKeyID is the [KeyID] of the key that signed the bundle.
	DeviceKeyID string `json:"device_key_id"`
	// Sequence counts the device's bundles from 1.
	Sequence uint64 `json:"sequence"`
	// PrevManifestHash is the ManifestHash of the device's previous bundle;
	// empty for sequence 1.
	PrevManifestHash string `json:"prev_manifest_hash"`
	// Created is when the bundle was made, in UTC.
	Created time.Time `json:"created"`
	// SchemaVersion is the version of the record schema of the lines in
	// records.ndjson.
	SchemaVersion int `json:"schema_version"`
	// Destination names the office the bundle is for, normally the office
	// key's KeyID.
	Destination string `json:"destination"`
	// Counts are the numbers of records, audit entries and attachments.
	Counts Counts `json:"counts"`
	// Files lists every entry but the manifest and its signature, sorted by
	// path.
	Files []File `json:"files"`
}

// Counts are the numbers of lines and attachments of a bundle.
type Counts struct {
	// Records is the number of lines of records.ndjson.
	Records int64 `json:"records"`
	// Audit is the number of lines of audit.ndjson.
	Audit int64 `json:"audit"`
	// Media is the number of attachments.
	Media int64 `json:"media"`
}

// File is one entry of a bundle as the manifest lists it.
type File struct {
	// Path is the entry's name in the zip.
	Path string `json:"path"`
	// Size is the entry's uncompressed size in bytes.
	Size int64 `json:"size"`
	// SHA256 is the lower-case hex SHA-256 of the entry's content.
	SHA256 string `json:"sha256"`
}

// Media returns the hashes of the manifest's attachments, in order.
func (m *Manifest) Media() []string {
	var out []string
	for _, f := range m.Files {
		if sha, ok := strings.CutPrefix(f.Path, MediaPrefix); ok {
			out = append(out, sha)
		}
	}
	return out
}

// file returns the manifest's entry for path; Files is sorted by path.
func (m *Manifest) file(path string) (File, bool) {
	i, ok := slices.BinarySearchFunc(m.Files, path, func(f File, p string) int { return strings.Compare(f.Path, p) })
	if !ok {
		return File{}, false
	}
	return m.Files[i], true
}

var manifestShape = object(map[string]*shape{
	"format": nil, "format_version": nil, "bundle_id": nil, "post": nil,
	"device_id": nil, "device_key_id": nil, "sequence": nil,
	"prev_manifest_hash": nil, "created": nil, "schema_version": nil,
	"destination": nil,
	"counts":      object(map[string]*shape{"records": nil, "audit": nil, "media": nil}),
	"files":       arrayOf(object(map[string]*shape{"path": nil, "size": nil, "sha256": nil})),
})

// marshal returns the manifest's bytes as they are stored and signed.
func (m *Manifest) marshal() ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("marshal manifest: %w", err)
	}
	return append(data, '\n'), nil
}

// parseManifest decodes manifest bytes strictly: the format and its version
// first (ErrSchema), then exactly the fields of this version (ErrMalformed),
// then every value. It does not check the signature or the schema version.
func parseManifest(data []byte) (*Manifest, error) {
	var head struct {
		Format        any `json:"format"`
		FormatVersion any `json:"format_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, refuse(ErrMalformed, "bundle.err.bad_manifest", err, "reason", err.Error())
	}
	if head.Format != Format {
		return nil, refuse(ErrSchema, "bundle.err.format", nil, "format", fmt.Sprint(head.Format))
	}
	if v, ok := head.FormatVersion.(float64); !ok || v != FormatVersion {
		return nil, refuse(ErrSchema, "bundle.err.format_version", nil,
			"version", fmt.Sprint(head.FormatVersion), "supported", FormatVersion)
	}
	m := new(Manifest)
	if err := decodeStrict(data, manifestShape, m); err != nil {
		return nil, refuse(ErrMalformed, "bundle.err.bad_manifest", err, "reason", err.Error())
	}
	if err := m.validate(); errors.Is(err, errOfficeData) {
		return nil, refuse(ErrOfficeData, "bundle.err.office_data", err, "post", m.Post)
	} else if err != nil {
		return nil, refuse(ErrMalformed, "bundle.err.bad_manifest", err, "reason", err.Error())
	}
	return m, nil
}

// validate checks every value of m.
func (m *Manifest) validate() error {
	switch {
	case m.Format != Format || m.FormatVersion != FormatVersion:
		return fmt.Errorf("format %q version %d", m.Format, m.FormatVersion)
	case !uuidRE.MatchString(m.BundleID):
		return fmt.Errorf("bundle_id %q is not a lower-case UUID", m.BundleID)
	case !record.ValidPostCode(m.Post):
		return fmt.Errorf("post %q is not a post code", m.Post)
	case !tokenRE.MatchString(m.DeviceID):
		return fmt.Errorf("device_id %q", m.DeviceID)
	case !keyIDRE.MatchString(m.DeviceKeyID):
		return fmt.Errorf("device_key_id %q is not a key id", m.DeviceKeyID)
	case m.Sequence < 1:
		return errors.New("sequence must be 1 or more")
	case m.Sequence == 1 && m.PrevManifestHash != "":
		return errors.New("prev_manifest_hash must be empty for sequence 1")
	case m.Sequence > 1 && !hex64RE.MatchString(m.PrevManifestHash):
		return fmt.Errorf("prev_manifest_hash %q is not a SHA-256", m.PrevManifestHash)
	case m.Created.IsZero() || m.Created.Year() < 2000 || m.Created.Year() > 9999:
		return fmt.Errorf("created %s", m.Created)
	case m.SchemaVersion < 1:
		return errors.New("schema_version must be 1 or more")
	case !tokenRE.MatchString(m.Destination):
		return fmt.Errorf("destination %q", m.Destination)
	case m.Counts.Records < 0 || m.Counts.Audit < 0 || m.Counts.Media < 0:
		return errors.New("negative count")
	}
	var media int64
	var haveRecords, haveAudit bool
	for i, f := range m.Files {
		if i > 0 && f.Path <= m.Files[i-1].Path {
			return fmt.Errorf("files not sorted by path or listed twice at %q", f.Path)
		}
		if f.Size < 0 {
			return fmt.Errorf("file %q: negative size", f.Path)
		}
		if !hex64RE.MatchString(f.SHA256) {
			return fmt.Errorf("file %q: sha256 %q is not a lower-case SHA-256", f.Path, f.SHA256)
		}
		switch {
		case f.Path == TracingName || strings.HasPrefix(f.Path, "tracing"):
			return fmt.Errorf("file %q: %w", f.Path, errOfficeData)
		case f.Path == RecordsName:
			haveRecords = true
		case f.Path == AuditName:
			haveAudit = true
		case strings.HasPrefix(f.Path, MediaPrefix):
			if f.Path != MediaPrefix+f.SHA256 {
				return fmt.Errorf("file %q: name is not its sha256", f.Path)
			}
			media++
		default:
			return fmt.Errorf("file %q is not part of the format", f.Path)
		}
	}
	switch {
	case !haveRecords:
		return fmt.Errorf("files lack %s", RecordsName)
	case !haveAudit:
		return fmt.Errorf("files lack %s", AuditName)
	case media != m.Counts.Media:
		return fmt.Errorf("counts.media is %d but files list %d", m.Counts.Media, media)
	}
	return nil
}

// hashHex returns the lower-case hex SHA-256 of data.
func hashHex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// marshalSig returns a signature line: "ed25519 <key id> <base64>\n".
func marshalSig(keyID string, sig []byte) []byte {
	return []byte(sigAlgorithm + " " + keyID + " " + base64.StdEncoding.EncodeToString(sig) + "\n")
}

// sigLineLen is the exact length of a signature line.
var sigLineLen = len(marshalSig(strings.Repeat("0", 16), make([]byte, ed25519.SignatureSize)))

// parseSig parses a signature line made by marshalSig, exactly.
func parseSig(data []byte) (keyID string, sig []byte, err error) {
	if len(data) != sigLineLen || data[len(data)-1] != '\n' {
		return "", nil, fmt.Errorf("signature line of %d bytes, want %d", len(data), sigLineLen)
	}
	fields := bytes.Split(data[:len(data)-1], []byte(" "))
	if len(fields) != 3 || string(fields[0]) != sigAlgorithm || !keyIDRE.Match(fields[1]) {
		return "", nil, errors.New("signature line is not \"ed25519 <key id> <signature>\"")
	}
	sig, err = decodeBase64(string(fields[2]), ed25519.SignatureSize)
	if err != nil {
		return "", nil, fmt.Errorf("signature: %w", err)
	}
	return string(fields[1]), sig, nil
}
