package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"

	"filippo.io/age"
)

// ageMagic starts every binary age file.
const ageMagic = "age-encryption.org/v1\n"

// Limits are the caps Open applies before it trusts anything in a bundle.
// A zero field takes its value from [DefaultLimits].
type Limits struct {
	// MaxFileSize caps the bundle file, and its decrypted form.
	MaxFileSize int64
	// MaxEntries caps the number of zip entries.
	MaxEntries int
	// MaxEntrySize caps the uncompressed size of one entry.
	MaxEntrySize int64
	// MaxTotalSize caps the sum of the entries' uncompressed sizes.
	MaxTotalSize int64
	// MaxExpansionRatio caps uncompressed/compressed size of a compressed
	// entry larger than 1 MiB.
	MaxExpansionRatio int
	// MaxManifestSize caps manifest.json, which is read into memory.
	MaxManifestSize int64
	// MaxLineSize caps one line of records.ndjson or audit.ndjson.
	MaxLineSize int
}

// DefaultLimits returns the caps used where Limits leaves a field zero:
// room for a few GiB of photos and a million entries, far more than a post
// produces between two courier runs.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:       8 << 30,
		MaxEntries:        1_000_000,
		MaxEntrySize:      2 << 30,
		MaxTotalSize:      16 << 30,
		MaxExpansionRatio: 250,
		MaxManifestSize:   256 << 20,
		MaxLineSize:       16 << 20,
	}
}

// withDefaults fills l's zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxEntrySize <= 0 {
		l.MaxEntrySize = d.MaxEntrySize
	}
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = d.MaxTotalSize
	}
	if l.MaxExpansionRatio <= 0 {
		l.MaxExpansionRatio = d.MaxExpansionRatio
	}
	if l.MaxManifestSize <= 0 {
		l.MaxManifestSize = d.MaxManifestSize
	}
	if l.MaxLineSize <= 0 {
		l.MaxLineSize = d.MaxLineSize
	}
	return l
}

// TrustFunc returns the public key the caller trusts under keyID, with the
// post (or office) it belongs to. For a key id it does not know it returns
// an error wrapping [ErrUnknownKey]; for a revoked key one wrapping
// [ErrRevokedKey]. Any other error (a failing database) stops Open with that
// error.
type TrustFunc func(keyID string) (*PublicKey, error)

// VerifyOptions say what Open accepts.
type VerifyOptions struct {
	// Trust looks up signing keys. Required.
	Trust TrustFunc
	// Office is this office's id, as posts put it in Destination (normally
	// its key id). Bundles addressed elsewhere are refused with
	// ErrWrongDestination. Required unless AnyDestination is set.
	Office string
	// AnyDestination skips the destination check, for a post checking a
	// bundle it made itself.
	AnyDestination bool
	// Identities decrypt encrypted bundles (the office's current and past
	// keys). Without one, an encrypted bundle is refused with ErrNoIdentity.
	Identities []age.Identity
	// TempDir holds the decrypted copy of an encrypted bundle until Close;
	// os.TempDir() if empty. It should be on a disk with room for the
	// bundle and readable only by the office's account.
	TempDir string
	// MaxSchemaVersion is the newest record schema the caller can import;
	// bundles with a newer one are refused with ErrSchema. Required.
	MaxSchemaVersion int
	// Limits are the size caps; zero fields take DefaultLimits.
	Limits Limits
}

// Reader gives access to the content of a bundle that passed every check
// of [Open]. Its methods may be called from several goroutines.
type Reader struct {
	file      *os.File
	tmp       string // decrypted copy to remove on Close, if any
	idx       *zipIndex
	manifest  *Manifest
	raw       []byte
	hash      string
	signer    PublicKey
	encrypted bool
	lim       Limits
	closeOnce sync.Once
	closeErr  error
}

// Open opens the bundle at path and checks it, in this order:
//
//  1. size caps on the file;
//  2. if it is age-encrypted, decryption with opts.Identities into a
//     temporary file in opts.TempDir (ErrNoIdentity, ErrNotForUs, ErrTampered
//     for a damaged payload, ErrTooLarge);
//  3. the zip structure: the end record at the very end and the first entry
//     at offset 0 (no appended or prepended data), every byte between them
//     belonging to exactly one entry, the entry count, per-entry and total
//     sizes and expansion ratio (ErrMalformed, ErrTooLarge); entry names
//     (no absolute paths, "..", backslashes, duplicates or names that
//     differ only in case) and types (no links, directories or special
//     files) (ErrUnsafePath);
//  4. manifest.sig: the key it names is looked up with opts.Trust
//     (ErrUnknownKey, ErrRevokedKey) and must have signed ManifestSigPrefix
//     followed by the exact bytes of manifest.json (ErrBadSignature);
//  5. the manifest, decoded strictly (ErrSchema for another format or
//     format version, ErrMalformed for anything else), naming the same key
//     (ErrBadSignature) and the key's own post (ErrWrongPost), with a
//     schema version the caller knows (ErrSchema);
//  6. the destination (ErrWrongDestination);
//  7. the entries against the manifest: none extra, none missing, each of
//     the listed size and SHA-256, every NDJSON line a JSON object, and the
//     counts right (ErrTampered, ErrMalformed).
//
// The signature is checked before the manifest is decoded, and the
// destination before the content is hashed, so a bundle from an unknown
// key or for another office costs little. Any refusal is an [*Error].
func Open(path string, opts VerifyOptions) (*Reader, error) {
	switch {
	case opts.Trust == nil:
		return nil, errors.New("bundle: open: no TrustFunc")
	case opts.Office == "" && !opts.AnyDestination:
		return nil, errors.New("bundle: open: no Office and AnyDestination not set")
	case opts.MaxSchemaVersion < 1:
		return nil, errors.New("bundle: open: no MaxSchemaVersion")
	}
	rd := &Reader{lim: opts.Limits.withDefaults()}
	if err := rd.open(path, opts); err != nil {
		rd.Close()
		return nil, err
	}
	return rd, nil
}

// open runs the checks of Open on rd.
func (rd *Reader) open(path string, opts VerifyOptions) error {
	size, err := rd.openFile(path, opts)
	if err != nil {
		return err
	}
	if rd.idx, err = checkZip(rd.file, size, rd.lim, path); err != nil {
		return err
	}
	if err := rd.verifyManifest(opts); err != nil {
		return err
	}
	return rd.verifyEntries()
}

// openFile opens path, applies the file size cap and, for an encrypted
// bundle, decrypts it to a temporary file. It returns the size of the zip.
func (rd *Reader) openFile(path string, opts VerifyOptions) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("open bundle: %w", err)
	}
	rd.file = f
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("open bundle: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return 0, refuse(ErrMalformed, "bundle.err.not_bundle", errors.New("not a regular file"), "path", path)
	}
	if fi.Size() > rd.lim.MaxFileSize {
		return 0, refuse(ErrTooLarge, "bundle.err.file_too_large", nil, "path", path, "size", fi.Size(), "limit", rd.lim.MaxFileSize)
	}
	head := make([]byte, len(ageMagic))
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("open bundle: %w", err)
	}
	if !bytes.Equal(head[:n], []byte(ageMagic)) {
		return fi.Size(), nil
	}
	rd.encrypted = true
	if len(opts.Identities) == 0 {
		return 0, refuse(ErrNoIdentity, "bundle.err.no_identity", nil, "path", path)
	}
	return rd.decrypt(path, opts)
}

// decrypt decrypts rd.file into a new temporary file in opts.TempDir, which
// replaces rd.file, and returns its size.
func (rd *Reader) decrypt(path string, opts VerifyOptions) (int64, error) {
	plain, err := age.Decrypt(rd.file, opts.Identities...)
	if err != nil {
		var nomatch *age.NoIdentityMatchError
		if errors.As(err, &nomatch) {
			return 0, refuse(ErrNotForUs, "bundle.err.not_for_us", err, "path", path)
		}
		return 0, refuse(ErrMalformed, "bundle.err.damaged", err, "path", path)
	}
	tmp, err := os.CreateTemp(opts.TempDir, "kordon-import-*.zip")
	if err != nil {
		return 0, fmt.Errorf("decrypt bundle: %w", err)
	}
	src := rd.file
	defer src.Close()
	rd.file, rd.tmp = tmp, tmp.Name()
	if runtime.GOOS != "windows" {
		// Gone from the folder at once, kept while open: a process killed
		// in the middle leaves no decrypted copy behind. (Windows cannot
		// remove an open file; Close removes it there.)
		if os.Remove(tmp.Name()) == nil {
			rd.tmp = ""
		}
	}
	buf := make([]byte, 256<<10)
	var size int64
	for {
		n, rerr := plain.Read(buf)
		size += int64(n)
		if size > rd.lim.MaxFileSize {
			return 0, refuse(ErrTooLarge, "bundle.err.file_too_large", nil, "path", path, "size", size, "limit", rd.lim.MaxFileSize)
		}
		if _, werr := tmp.Write(buf[:n]); werr != nil {
			return 0, fmt.Errorf("decrypt bundle to %s: %w", tmp.Name(), werr)
		}
		if errors.Is(rerr, io.EOF) {
			return size, nil
		}
		if rerr != nil {
			return 0, refuse(ErrTampered, "bundle.err.encrypted_damaged", rerr, "path", path)
		}
	}
}

// readSmall reads a whole entry of at most limit bytes.
func (rd *Reader) readSmall(name string, limit int64) ([]byte, error) {
	f := rd.idx.files[name]
	if f == nil {
		return nil, refuse(ErrTampered, "bundle.err.missing_file", nil, "file", name)
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, refuse(ErrTooLarge, "bundle.err.entry_too_large", nil, "file", name, "size", f.UncompressedSize64, "limit", limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, entryError(name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, entryError(name, err)
	}
	if int64(len(data)) > limit {
		return nil, refuse(ErrTooLarge, "bundle.err.entry_too_large", nil, "file", name, "size", len(data), "limit", limit)
	}
	return data, nil
}

// verifyManifest checks the signature, then decodes the manifest and
// checks its key, post, schema and destination.
func (rd *Reader) verifyManifest(opts VerifyOptions) error {
	sigData, err := rd.readSmall(SignatureName, int64(sigLineLen))
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return refuse(ErrBadSignature, "bundle.err.signature_malformed", err, "file", SignatureName)
		}
		return err
	}
	keyID, sig, err := parseSig(sigData)
	if err != nil {
		return refuse(ErrBadSignature, "bundle.err.signature_malformed", err, "file", SignatureName)
	}
	signer, err := lookupKey(opts.Trust, keyID)
	if err != nil {
		return err
	}
	raw, err := rd.readSmall(ManifestName, rd.lim.MaxManifestSize)
	if err != nil {
		return err
	}
	if !verify(signer.Key, ManifestSigPrefix, raw, sig) {
		return refuse(ErrBadSignature, "bundle.err.bad_signature", nil, "key_id", keyID)
	}
	m, err := parseManifest(raw)
	if err != nil {
		return err
	}
	switch {
	case m.DeviceKeyID != keyID:
		return refuse(ErrBadSignature, "bundle.err.key_mismatch", nil, "key_id", keyID, "named_key_id", m.DeviceKeyID)
	case m.Post != signer.Post:
		return refuse(ErrWrongPost, "bundle.err.wrong_post", nil, "post", m.Post, "key_post", signer.Post, "key_id", keyID)
	case m.SchemaVersion > opts.MaxSchemaVersion:
		return refuse(ErrSchema, "bundle.err.schema_version", nil, "version", m.SchemaVersion, "supported", opts.MaxSchemaVersion)
	case !opts.AnyDestination && m.Destination != opts.Office:
		return refuse(ErrWrongDestination, "bundle.err.wrong_destination", nil, "destination", m.Destination, "office", opts.Office)
	}
	rd.manifest, rd.raw, rd.hash, rd.signer = m, raw, hashHex(raw), *signer
	return nil
}

// lookupKey asks trust for keyID and turns its answer into a refusal.
func lookupKey(trust TrustFunc, keyID string) (*PublicKey, error) {
	pk, err := trust(keyID)
	switch {
	case errors.Is(err, ErrRevokedKey):
		return nil, refuse(ErrRevokedKey, "bundle.err.revoked_key", err, "key_id", keyID)
	case errors.Is(err, ErrUnknownKey):
		return nil, refuse(ErrUnknownKey, "bundle.err.unknown_key", err, "key_id", keyID)
	case err != nil:
		return nil, fmt.Errorf("bundle: look up key %s: %w", keyID, err)
	case pk == nil:
		return nil, refuse(ErrUnknownKey, "bundle.err.unknown_key", nil, "key_id", keyID)
	case KeyID(pk.Key) != keyID:
		return nil, refuse(ErrUnknownKey, "bundle.err.unknown_key", errors.New("trust returned a key with another id"), "key_id", keyID)
	}
	return pk, nil
}

// verifyEntries checks the zip's entries against the manifest and reads
// every one of them through its hash.
func (rd *Reader) verifyEntries() error {
	m := rd.manifest
	names := make([]string, 0, len(rd.idx.files))
	for name := range rd.idx.files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == ManifestName || name == SignatureName {
			continue
		}
		if _, ok := m.file(name); !ok {
			return refuse(ErrTampered, "bundle.err.extra_file", nil, "file", name)
		}
	}
	for _, f := range m.Files {
		zf := rd.idx.files[f.Path]
		if zf == nil {
			return refuse(ErrTampered, "bundle.err.missing_file", nil, "file", f.Path)
		}
		if zf.UncompressedSize64 != uint64(f.Size) {
			return changed(f.Path, fmt.Errorf("%d bytes, manifest says %d", zf.UncompressedSize64, f.Size))
		}
	}
	for _, f := range m.Files {
		switch f.Path {
		case RecordsName:
			if err := rd.lines(RecordsName, m.Counts.Records, nil); err != nil {
				return err
			}
		case AuditName:
			if err := rd.lines(AuditName, m.Counts.Audit, nil); err != nil {
				return err
			}
		default:
			if err := rd.drain(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// drain reads entry f through its hash.
func (rd *Reader) drain(f File) error {
	vr, err := openVerified(rd.idx.files[f.Path], f)
	if err != nil {
		return err
	}
	defer vr.Close()
	if _, err := io.Copy(io.Discard, vr); err != nil {
		return err
	}
	return nil
}

// lines streams the NDJSON entry name through its hash, checking each line
// and the line count, and calls fn (if not nil) with each line.
func (rd *Reader) lines(name string, count int64, fn func([]byte) error) error {
	want, _ := rd.manifest.file(name)
	vr, err := openVerified(rd.idx.files[name], want)
	if err != nil {
		return err
	}
	defer vr.Close()
	n, err := scanLines(vr, name, rd.lim.MaxLineSize, fn)
	if err != nil {
		return err
	}
	if n != count {
		return refuse(ErrTampered, "bundle.err.count_mismatch", nil, "file", name, "count", n, "expected", count)
	}
	return nil
}

// Manifest returns the bundle's manifest.
func (rd *Reader) Manifest() Manifest {
	m := *rd.manifest
	m.Files = slices.Clone(m.Files)
	return m
}

// ManifestHash returns the lower-case hex SHA-256 of the manifest's exact
// bytes: the bundle's identity in the post's ledger, and the
// PrevManifestHash of the device's next bundle.
func (rd *Reader) ManifestHash() string { return rd.hash }

// ManifestBytes returns the exact bytes of manifest.json, which the
// signature covers.
func (rd *Reader) ManifestBytes() []byte { return slices.Clone(rd.raw) }

// Signer returns the trusted key that signed the bundle.
func (rd *Reader) Signer() PublicKey { return rd.signer }

// Encrypted reports whether the bundle file was encrypted.
func (rd *Reader) Encrypted() bool { return rd.encrypted }

// Records calls fn with each line of records.ndjson, in order; the slice is
// valid only during the call. An error from fn stops the reading and is
// returned with the line number. The entry's hash is checked again as it is
// read: should the file have changed since Open, Records returns
// ErrTampered at the end, after fn has seen the lines, so callers must
// treat any error as a reason to discard what fn did (roll back).
func (rd *Reader) Records(fn func(line []byte) error) error {
	return rd.lines(RecordsName, rd.manifest.Counts.Records, fn)
}

// Audit calls fn with each line of audit.ndjson, as [Reader.Records] does
// for records.
func (rd *Reader) Audit(fn func(line []byte) error) error {
	return rd.lines(AuditName, rd.manifest.Counts.Audit, fn)
}

// Media opens the attachment with the given lower-case hex SHA-256. The
// returned reader checks the content's size and hash as it is read and
// returns ErrTampered instead of io.EOF if they do not match, so read it to
// the end before trusting it. ErrNotFound if the bundle has no such
// attachment.
func (rd *Reader) Media(sha string) (io.ReadCloser, error) {
	f, ok := rd.manifest.file(MediaPrefix + sha)
	if !ok || !hex64RE.MatchString(sha) {
		return nil, refuse(ErrNotFound, "bundle.err.no_media", nil, "sha256", sha)
	}
	return openVerified(rd.idx.files[f.Path], f)
}

// Close closes the bundle file and removes the decrypted copy, if any.
func (rd *Reader) Close() error {
	rd.closeOnce.Do(func() {
		if rd.file != nil {
			rd.closeErr = rd.file.Close()
		}
		if rd.tmp != "" {
			if err := os.Remove(rd.tmp); err != nil && rd.closeErr == nil {
				rd.closeErr = fmt.Errorf("remove decrypted bundle: %w", err)
			}
		}
	})
	return rd.closeErr
}
