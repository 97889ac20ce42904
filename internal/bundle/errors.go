package bundle

import (
	"github.com/kordon/kordon/internal/fault"
)

// Error is a refusal: a bundle, key file or receipt that is not accepted, or
// an export that cannot be made. Kind is the sentinel it is an instance of,
// so errors.Is(err, ErrTampered) works; Key and Args are the catalog message
// (bundle.err.*) and its placeholders, which the user interface translates.
type Error = fault.Error

// Sentinels: the kinds of refusal. Test with errors.Is; each also has a
// general message of its own.
var (
	// ErrTooLarge: a file, entry, line or entry count is over its cap.
	ErrTooLarge = &Error{Key: "bundle.err.kind.too_large"}
	// ErrMalformed: not a bundle, a damaged zip, or invalid JSON.
	ErrMalformed = &Error{Key: "bundle.err.kind.malformed"}
	// ErrUnsafePath: an entry name or type that could escape or confuse:
	// absolute, "..", backslash, link, directory, duplicate or case collision.
	ErrUnsafePath = &Error{Key: "bundle.err.kind.unsafe"}
	// ErrTampered: content does not match what was signed (changed, missing
	// or extra files), or a damaged encrypted file.
	ErrTampered = &Error{Key: "bundle.err.kind.tampered"}
	// ErrBadSignature: the signature is missing, malformed or does not verify.
	ErrBadSignature = &Error{Key: "bundle.err.kind.bad_signature"}
	// ErrUnknownKey: the signing key is not trusted here. A TrustFunc returns
	// it (or wraps it) for a key id it does not know.
	ErrUnknownKey = &Error{Key: "bundle.err.kind.unknown_key"}
	// ErrRevokedKey: the signing key was trusted but is revoked. A TrustFunc
	// returns it (or wraps it) for a revoked key.
	ErrRevokedKey = &Error{Key: "bundle.err.kind.revoked_key"}
	// ErrWrongPost: the signer's key belongs to another post (or office) than
	// the one the signed content names.
	ErrWrongPost = &Error{Key: "bundle.err.kind.wrong_post"}
	// ErrWrongDestination: the bundle is addressed to another office.
	ErrWrongDestination = &Error{Key: "bundle.err.kind.wrong_destination"}
	// ErrNotForUs: the bundle is encrypted for another office's key.
	ErrNotForUs = &Error{Key: "bundle.err.kind.not_for_us"}
	// ErrNoIdentity: the bundle is encrypted and no office key was given.
	ErrNoIdentity = &Error{Key: "bundle.err.kind.no_identity"}
	// ErrSchema: an unknown format, format version or schema version.
	ErrSchema = &Error{Key: "bundle.err.kind.schema"}
	// ErrNotFound: the bundle has no attachment with that hash.
	ErrNotFound = &Error{Key: "bundle.err.kind.not_found"}
	// ErrExists: the output file already exists; an export never overwrites.
	ErrExists = &Error{Key: "bundle.err.kind.exists"}
	// ErrOfficeData: a post's bundle that carries an office's own data
	// (tracing records), which no post may write.
	ErrOfficeData = &Error{Key: "bundle.err.kind.office_data"}
	// ErrInsecureKey: a private key file others can read.
	ErrInsecureKey = &Error{Key: "bundle.err.kind.insecure_key"}
)

// refuse makes an instance of kind with a specific message key, its cause
// and its placeholders.
func refuse(kind *Error, key string, cause error, args ...any) *Error {
	return &Error{Kind: kind, Key: key, Args: args, Err: cause}
}
