package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"filippo.io/age"
)

// GenerateOfficeIdentity makes a new age X25519 identity for a regional
// office. Posts encrypt bundles to its recipient (Recipient().String(),
// "age1…", carried in the office's [PublicKey] file); only the office can
// decrypt them.
func GenerateOfficeIdentity() (*age.X25519Identity, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("generate office identity: %w", err)
	}
	return id, nil
}

// WriteOfficeIdentity writes id to a new file at path, readable by its owner
// only (mode 0600), in the format of age-keygen, so the age tool can use it
// too. It never replaces an existing file.
func WriteOfficeIdentity(path string, id *age.X25519Identity) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# created: %s\n", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "# public key: %s\n", id.Recipient())
	fmt.Fprintf(&b, "%s\n", id)
	if err := writeFileAtomic(path, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write office identity: %w", err)
	}
	return nil
}

// ReadOfficeIdentity reads an identity written by [WriteOfficeIdentity]. On
// Unix it refuses a file its group or others may access (ErrInsecureKey);
// the file must hold exactly one X25519 identity.
func ReadOfficeIdentity(path string) (*age.X25519Identity, error) {
	data, err := readPrivateFile(path, maxIdentityFile)
	if err != nil {
		return nil, fmt.Errorf("read office identity: %w", err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(data))
	if err != nil {
		// The parser's message may quote the secret key: keep it out of
		// the text shown to people.
		return nil, refuse(ErrMalformed, "bundle.err.key_file", errors.New("not a valid age identity file"), "path", path, "reason", "not a valid age identity file")
	}
	if len(ids) != 1 {
		return nil, refuse(ErrMalformed, "bundle.err.key_file", fmt.Errorf("%d identities, want 1", len(ids)), "path", path, "reason", fmt.Sprintf("%d identities, want 1", len(ids)))
	}
	id, ok := ids[0].(*age.X25519Identity)
	if !ok {
		return nil, refuse(ErrMalformed, "bundle.err.key_file", errors.New("not an X25519 identity"), "path", path, "reason", "not an X25519 identity")
	}
	return id, nil
}
