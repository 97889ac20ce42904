package service

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"filippo.io/age"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/safefile"
	"github.com/kordon/kordon/internal/store"
)

// Key files inside the data folder.
const (
	keysDir         = "keys"
	signingKeyFile  = "device.key"
	officeIdentFile = "office.agekey"
	MetaKeyID       = "key_id"
	MetaOfficeKeyID = "office_key_id" // at a post: the office its bundles go to
	// Roles of a data folder and of the keys it trusts.
	RoleOffice = "office"
	RolePost   = "post"
)

// More sentinels for errors.Is.
var (
	ErrNoOffice     = &Error{Key: "service.err.no_office"}
	ErrNotOffice    = &Error{Key: "service.err.not_office"}
	ErrNotConfirmed = &Error{Key: "service.err.not_confirmed"}
	ErrNothingNew   = store.ErrNothingNew
	ErrReplay       = &Error{Key: "service.err.replay"}
	ErrForked       = &Error{Key: "service.err.forked"}
	// ErrForeignRecord: a record in a bundle was not made by the signing device.
	ErrForeignRecord = store.ErrForeign
	// ErrClaimedID: a record in a bundle whose id another device made.
	ErrClaimedID = store.ErrClaimedID
	// ErrImpersonation: a bundle signed for another device than the key's.
	ErrImpersonation = store.ErrImpersonation
	ErrReceiptPost   = &Error{Key: "service.err.receipt_post"}
)

// setupMarker, in the keys folder, marks keys made by a set-up that has
// not finished: no bundle was ever signed with them, so Init may make them
// again.
const setupMarker = ".setup-incomplete"

// makeKeys creates this device's signing key and, for an office, its age
// identity, replacing keys an interrupted set-up left behind.
func makeKeys(dir string, office bool) (*bundle.SigningKey, error) {
	kd := filepath.Join(dir, keysDir)
	if err := os.MkdirAll(kd, 0o700); err != nil {
		return nil, &Error{Key: "store.err.unwritable", Args: []any{"path", kd}, Err: err}
	}
	marker := filepath.Join(kd, setupMarker)
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		return nil, &Error{Key: "store.err.unwritable", Args: []any{"path", kd}, Err: err}
	}
	safefile.SyncDir(kd)
	for _, name := range []string{signingKeyFile, officeIdentFile} {
		if err := os.Remove(filepath.Join(kd, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{Key: "store.err.unwritable", Args: []any{"path", kd}, Err: err}
		}
	}
	key, err := bundle.GenerateSigningKey()
	if err != nil {
		return nil, err
	}
	if err := key.WritePrivateKey(filepath.Join(kd, signingKeyFile)); err != nil {
		return nil, err
	}
	if office {
		id, err := bundle.GenerateOfficeIdentity()
		if err != nil {
			return nil, err
		}
		if err := bundle.WriteOfficeIdentity(filepath.Join(kd, officeIdentFile), id); err != nil {
			return nil, err
		}
	}
	return key, nil
}

// SigningKey reads this device's private signing key.
func (s *Service) SigningKey() (*bundle.SigningKey, error) {
	return bundle.ReadPrivateKey(filepath.Join(s.Dir, keysDir, signingKeyFile))
}

// officeIdentity reads the office's age identity.
func (s *Service) officeIdentity() (*age.X25519Identity, error) {
	return bundle.ReadOfficeIdentity(filepath.Join(s.Dir, keysDir, officeIdentFile))
}

// PublicKey is this device's public key file content: the post, its name,
// the signing key, and for an office the recipient posts encrypt to.
func (s *Service) PublicKey(ctx context.Context) (*bundle.PublicKey, error) {
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	key, err := s.SigningKey()
	if err != nil {
		return nil, err
	}
	pk := &bundle.PublicKey{Post: post.Code, Name: post.Name, Key: key.Public()}
	if post.Role == RoleOffice {
		id, err := s.officeIdentity()
		if err != nil {
			return nil, err
		}
		pk.Recipient = id.Recipient().String()
	}
	return pk, nil
}

// maxKeyFile caps a public key file: a few hundred bytes in truth.
const maxKeyFile = 64 << 10

// ReadKeyFile reads and checks a public key file.
func ReadKeyFile(path string) (*bundle.PublicKey, error) {
	data, err := readLimited(path, maxKeyFile)
	if err != nil {
		return nil, err
	}
	return bundle.ParsePublicKey(data)
}

// Trust records a public key as trusted: at an office, a post device's key
// (its bundles may then be imported); at a post, its office's key (bundles
// go to it and its receipts are believed).
func (s *Service) Trust(ctx context.Context, pk *bundle.PublicKey, name string) error {
	if name == "" {
		name = pk.Name
	}
	role := RolePost
	if pk.Recipient != "" {
		role = RoleOffice
	}
	data, err := pk.Marshal()
	if err != nil {
		return err
	}
	post, err := s.Post(ctx)
	if err != nil {
		return err
	}
	if post.Role == RolePost && role != RoleOffice {
		return &Error{Key: "service.err.post_trusts_office", Args: []any{"fingerprint", pk.Fingerprint()}}
	}
	if post.Role == RolePost {
		// A post sends its bundles to one office: another is trusted only
		// once that one is revoked, never in passing, or the first office
		// would see a gap it cannot explain.
		current, err := s.OfficeKey(ctx)
		if err != nil {
			return err
		}
		if current != nil && current.KeyID() != pk.KeyID() {
			return &Error{Key: "service.err.office_trusted", Args: []any{"office", current.Post + " " + current.Name, "fingerprint", current.Fingerprint()}}
		}
	}
	if err := s.st.Trust(ctx, store.TrustedKey{
		KeyID: pk.KeyID(), PublicKey: string(data), PostCode: pk.Post, Name: name, Fingerprint: pk.Fingerprint(),
	}, s.Actor); err != nil {
		return err
	}
	if role == RoleOffice && post.Role == RolePost {
		return s.st.SetMeta(ctx, map[string]string{MetaOfficeKeyID: pk.KeyID()})
	}
	return nil
}

// RevokeKey stops trusting the key with the given key id or fingerprint.
func (s *Service) RevokeKey(ctx context.Context, ref string) error {
	keys, err := s.st.TrustedKeys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		pk, err := bundle.ParsePublicKey([]byte(k.PublicKey))
		if err != nil {
			continue
		}
		if k.KeyID == ref || pk.MatchFingerprint(ref) {
			return s.st.Revoke(ctx, k.KeyID, s.Actor)
		}
	}
	return &Error{Key: "store.err.not_found", Args: []any{"id", ref}}
}

// trust is the bundle package's view of the trusted keys.
func (s *Service) trust(ctx context.Context) bundle.TrustFunc {
	return func(keyID string) (*bundle.PublicKey, error) {
		k, err := s.st.Key(ctx, keyID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("key %s: %w", keyID, bundle.ErrUnknownKey)
		}
		if err != nil {
			return nil, err
		}
		if k.Revoked != nil {
			return nil, fmt.Errorf("key %s: %w", keyID, bundle.ErrRevokedKey)
		}
		return bundle.ParsePublicKey([]byte(k.PublicKey))
	}
}
