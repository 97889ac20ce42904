package service

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/bundle"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
)

// MaxMedia caps one attachment taken from a bundle; an import holds one at a
// time in memory.
const MaxMedia = 64 << 20

// Progress reports long work: done out of total steps (total may be 0 when
// unknown).
type Progress func(done, total int)

// ExportResult says what an export wrote.
type ExportResult struct {
	Path     string
	Sequence int64
	Versions int
	Media    int
	Audit    int
	Size     int64
	// Resumed is set when the export finished a bundle an earlier export
	// reserved but did not finish (a power cut, a failure): the same bundle,
	// with the same number and content. Export again for what came since.
	Resumed bool
}

// exportLock, in the data folder, is held by the export running.
const exportLock = "export.lock"

// Sentinels of exports.
var (
	// ErrExportRunning: another export from this folder has not finished.
	ErrExportRunning = &Error{Key: "service.err.export_running"}
	// ErrWrongOffice: a bundle to be encrypted to another key than the
	// office's.
	ErrWrongOffice = &Error{Key: "service.err.wrong_office"}
	// ErrOfficeRevoked: the office's key was revoked here.
	ErrOfficeRevoked = &Error{Key: "service.err.office_revoked"}
)

// ErrExportUnfinished: the bundle was written but the ledger could not
// note it; the next export finishes the same bundle.
var ErrExportUnfinished = &Error{Key: "service.err.export_unfinished"}

// crashAt, in tests, stops an export at a named step as a power cut would.
var crashAt = func(step string) {}

// ExportOptions say where an export writes and how.
type ExportOptions struct {
	// Out is a folder (the bundle gets a name of its own) or a file name.
	Out string
	// Plain writes the bundle unencrypted. By default it is encrypted to
	// the office's key, so that only the office can read it.
	Plain bool
	// To, if not empty, names the office's public key file or age
	// recipient; it must be the key of the office this post trusts, and is
	// a check, not a choice.
	To string
}

// ErrPlainTo: a bundle asked to be both plain and encrypted to a key.
var ErrPlainTo = &Error{Key: "service.err.plain_to"}

// Export writes the next bundle: every final record version, photo and
// audit entry made since the last bundle, signed with this device's key,
// addressed to the office this post trusts and encrypted to its key unless
// opts.Plain.
//
// The bundle is reserved in the ledger before its file is written, so an
// export stopped at any point leaves either nothing or a pending bundle,
// which the next export writes again with the same number and the same
// content (the same manifest, byte for byte) instead of a new one. With
// nothing new and nothing pending it returns ErrNothingNew and writes
// nothing. Cancelling ctx stops it the same way.
func (s *Service) Export(ctx context.Context, opts ExportOptions, progress Progress) (*ExportResult, error) {
	out := opts.Out
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	office, err := s.st.Meta(ctx, MetaOfficeKeyID)
	if err != nil {
		return nil, err
	}
	if office == "" {
		return nil, ErrNoOffice
	}
	key, err := s.SigningKey()
	if err != nil {
		return nil, err
	}
	rcpt, err := s.officeRecipient(ctx, office, opts)
	if err != nil {
		return nil, err
	}
	// One export at a time: a second one would write the same bundle.
	lock, err := store.LockFile(ctx, filepath.Join(s.Dir, exportLock))
	if errors.Is(err, store.ErrLocked) {
		return nil, ErrExportRunning
	}
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	if _, err := s.checkTarget(out); err != nil {
		return nil, err
	}
	folder := false
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		folder = true
	} else if st, err := os.Stat(filepath.Dir(out)); err != nil || !st.IsDir() {
		// Said before the bundle is reserved: nothing to finish later.
		return nil, &Error{Key: "service.err.no_folder", Args: []any{"path", filepath.Dir(out)}}
	}
	pending, err := s.pendingBundle(ctx)
	if err != nil {
		return nil, err
	}
	resumed := pending != nil
	if !resumed && !folder {
		if _, err := os.Lstat(out); err == nil {
			return nil, &Error{Kind: bundle.ErrExists, Key: "bundle.err.exists", Args: []any{"path", out}}
		}
	}
	b, err := s.st.Reserve(ctx, store.Reservation{
		BundleID: uuid.NewString(), Created: time.Now().UTC().Truncate(time.Second), Destination: office, File: out,
	}, key, s.Actor)
	if err != nil {
		return nil, err
	}
	crashAt("reserved")
	path := out
	if folder {
		path = filepath.Join(out, fmt.Sprintf("%s-%06d.kordon", post.Code, b.Seq))
	}
	target := path
	if resumed {
		// The file of the interrupted export may be in place already: write
		// beside it, and keep whichever holds the same bytes.
		target = freeName(path)
	}
	schema, err := s.bundleSchema(ctx, b.Seq)
	if err != nil {
		return nil, err
	}
	w, err := bundle.Create(target, bundle.Options{
		Key: key, Post: post.Code, DeviceID: post.DeviceID, Sequence: uint64(b.Seq), PrevManifestHash: b.PrevHash,
		SchemaVersion: schema, Destination: b.Destination, Recipient: rcpt,
		BundleID: b.BundleID, Created: b.Created,
	})
	if err != nil {
		return nil, fileFault(target, err)
	}
	res, err := s.writeBundle(ctx, w, b, progress)
	if err == nil {
		err = ctx.Err() // stopped at the last moment: still nothing written
	}
	if err != nil {
		w.Abort()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fileFault(target, err)
	}
	done, err := w.Close()
	if err != nil {
		return nil, fileFault(target, err)
	}
	crashAt("written")
	if target != path && sameContent(target, path) {
		os.Remove(target)
		done.Path = path
	}
	res.Path, res.Sequence, res.Size, res.Resumed = done.Path, b.Seq, done.Size, resumed
	// The bundle is complete on the stick: noting it in the ledger is not
	// given up, even when the export is being stopped.
	if err := s.st.Finish(context.WithoutCancel(ctx), b.Seq, done.ManifestHash, done.Path, s.Actor); err != nil {
		return nil, &Error{Key: ErrExportUnfinished.Key, Args: []any{"path", done.Path, "sequence", b.Seq}, Err: err}
	}
	crashAt("finished")
	return res, nil
}

// fileFault says in the user's words why a file could not be written (a
// stick pulled out or full): failures with a message of their own pass as
// they are.
func fileFault(path string, err error) error {
	var fe *Error
	switch {
	case errors.As(err, &fe):
		return err
	case errors.Is(err, fs.ErrExist):
		return &Error{Key: ErrFileExists.Key, Args: []any{"path", path}, Err: err}
	case errors.Is(err, syscall.ENOSPC):
		return &Error{Key: store.ErrDiskFull.Key, Args: []any{"path", path}, Err: err}
	}
	return &Error{Key: store.ErrUnwritable.Key, Args: []any{"path", path}, Err: err}
}

// pendingBundle is the bundle an earlier export reserved and did not
// finish, or nil.
func (s *Service) pendingBundle(ctx context.Context) (*store.OutBundle, error) {
	all, err := s.st.Bundles(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Pending {
			return &all[i], nil
		}
	}
	return nil, nil
}

// freeName is path, or the first of path-2, path-3, … (before the
// extension) that is free.
func freeName(path string) string {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return path
	}
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 2; ; i++ {
		p := fmt.Sprintf("%s-%d%s", base, i, ext)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
	}
}

// sameContent reports whether two files hold the same bytes.
func sameContent(a, b string) bool {
	fa, err := os.Open(a)
	if err != nil {
		return false
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false
	}
	defer fb.Close()
	ha, hb := sha256.New(), sha256.New()
	if _, err := io.Copy(ha, fa); err != nil {
		return false
	}
	if _, err := io.Copy(hb, fb); err != nil {
		return false
	}
	return bytes.Equal(ha.Sum(nil), hb.Sum(nil))
}

// writeBundle writes what the ledger reserved for bundle b, in the order
// the ledger gives it, so that writing it again gives the same bundle.
func (s *Service) writeBundle(ctx context.Context, w *bundle.Writer, b *store.OutBundle, progress Progress) (*ExportResult, error) {
	res := &ExportResult{}
	if progress != nil {
		progress(0, b.Versions)
	}
	err := s.st.BundleVersions(ctx, b.Seq, func(content []byte) error {
		if err := ctx.Err(); err != nil {
			return err // stopped: the next export writes this bundle
		}
		if err := w.AddRecord(content); err != nil {
			return err
		}
		res.Versions++
		if progress != nil && res.Versions%500 == 0 {
			progress(res.Versions, b.Versions)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	crashAt("records")
	err = s.st.AuditRange(ctx, b.AuditFrom, b.AuditTo, func(e store.AuditEntry) error {
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		res.Audit++
		return w.AddAudit(line)
	})
	if err != nil {
		return nil, err
	}
	media, err := s.st.BundleMedia(ctx, b.Seq)
	if err != nil {
		return nil, err
	}
	for _, sha := range media {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := s.st.Media(ctx, sha)
		if err != nil {
			return nil, err
		}
		if err := w.AddMedia(sha, bytes.NewReader(data)); err != nil {
			return nil, err
		}
	}
	res.Media = len(media)
	if progress != nil {
		progress(b.Versions, b.Versions)
	}
	return res, nil
}

// officeRecipient checks the office key id office this post sends to, and
// the recipient an export is to be encrypted to (a key file or "age1…";
// none for a plain bundle): the office's key must not be revoked, and the
// recipient must be that office's own, or the bundle would reach it
// unreadable, under a number the post cannot use again.
func (s *Service) officeRecipient(ctx context.Context, office string, opts ExportOptions) (age.Recipient, error) {
	k, err := s.st.Key(ctx, office)
	if err != nil {
		return nil, err
	}
	if k.Revoked != nil {
		return nil, &Error{Key: ErrOfficeRevoked.Key, Args: []any{"fingerprint", k.Fingerprint}}
	}
	if opts.Plain {
		if opts.To != "" {
			return nil, ErrPlainTo
		}
		return nil, nil
	}
	pk, err := bundle.ParsePublicKey([]byte(k.PublicKey))
	if err != nil {
		return nil, err
	}
	if opts.To != "" {
		given := opts.To
		if strings.HasPrefix(given, "age1") {
			if _, err := age.ParseX25519Recipient(given); err != nil {
				return nil, &Error{Key: "service.err.recipient", Args: []any{"value", given}, Err: err}
			}
		} else {
			file, err := ReadKeyFile(given)
			if err != nil {
				return nil, err
			}
			if given = file.Recipient; given == "" {
				return nil, &Error{Key: "service.err.recipient", Args: []any{"value", opts.To}} // a post's key
			}
		}
		if given != pk.Recipient {
			return nil, &Error{Key: ErrWrongOffice.Key, Args: []any{"value", opts.To, "office", k.Name}}
		}
	}
	if pk.Recipient == "" {
		return nil, &Error{Key: "service.err.recipient", Args: []any{"value", k.Name}} // no office key
	}
	return pk.AgeRecipient()
}

// Bundle is an opened and verified bundle.
type Bundle struct {
	*bundle.Reader
	Path string
}

// OpenBundle opens a bundle and checks everything about it that can be checked
// without importing it: structure, every file's size and hash, the
// signature against the keys this folder trusts, the destination. It
// changes nothing. Close the result.
func (s *Service) OpenBundle(ctx context.Context, path string) (*Bundle, error) {
	if err := RegularFile(path); err != nil {
		return nil, err
	}
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	opts := bundle.VerifyOptions{
		Trust:            s.trust(ctx),
		MaxSchemaVersion: record.SchemaVersion,
		TempDir:          s.Dir,
	}
	keyID, err := s.st.Meta(ctx, MetaKeyID)
	if err != nil {
		return nil, err
	}
	if post.Role == RoleOffice {
		opts.Office = keyID
		id, err := s.officeIdentity()
		if err != nil {
			return nil, err
		}
		opts.Identities = []age.Identity{id}
	} else {
		opts.AnyDestination = true
		// A post checks its own bundles: trust its own key too.
		own := s.trust(ctx)
		opts.Trust = func(id string) (*bundle.PublicKey, error) {
			if id == keyID {
				return s.PublicKey(ctx)
			}
			return own(id)
		}
	}
	rd, err := bundle.Open(path, opts)
	if err != nil {
		return nil, err
	}
	return &Bundle{Reader: rd, Path: path}, nil
}

// ImportResult says what one import did.
type ImportResult struct {
	Path     string
	Post     string
	Sequence int64
	New      int
	Known    int
	Media    int
	// Already is set when the bundle had been imported before: nothing changed.
	Already bool
	// Gap lists the sequence numbers missing before this bundle, e.g. "3-4".
	Gap string
	// KeyID names the device key that signed the bundle.
	KeyID string
	// Alarms are what the import found that the security officer must
	// hear of, though the bundle itself was sound: a record whose id
	// another post's record has too.
	Alarms []*Error
	// Links are the clusters the bundle's records make with records held
	// before (links.Hits): the same weapon, person, vehicle or document
	// seen again.
	Links []links.Hit
	// Listed are the people and organisations of the bundle's new record
	// versions that the UN list held names (none if no list is held).
	Listed []StoreHit
	// Watched are the fields of those versions that the office's watch
	// list names.
	Watched []WatchHit
}

// Import verifies a bundle and imports it in one transaction. A bundle
// imported before is a no-op that says so; a gap in the sequence is
// recorded and shown; the same sequence number with other content, or a
// bundle that does not continue the device's chain, is refused as an
// alarm. Any refusal leaves the store exactly as it was.
func (s *Service) Import(ctx context.Context, path string, progress Progress) (*ImportResult, error) {
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	if post.Role != RoleOffice {
		return nil, ErrNotOffice
	}
	b, err := s.OpenBundle(ctx, path)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	m := b.Manifest()
	res := &ImportResult{Path: path, Post: m.Post, Sequence: int64(m.Sequence), KeyID: m.DeviceKeyID}
	prior, err := s.st.ImportedBundle(ctx, m.DeviceKeyID, int64(m.Sequence))
	if err != nil {
		return nil, err
	}
	if prior != nil {
		if prior.ManifestHash == b.ManifestHash() {
			res.Already = true
			return res, nil
		}
		return nil, &Error{Key: ErrReplay.Key, Args: []any{"post", m.Post, "sequence", fmt.Sprint(m.Sequence)}}
	}
	all, err := s.st.ImportedBundles(ctx, m.DeviceKeyID)
	if err != nil {
		return nil, err
	}
	res.Gap, err = checkChain(all, m, b.ManifestHash())
	if err != nil {
		return nil, err
	}
	total := int(m.Counts.Records)
	var fresh []store.Fresh
	err = s.st.Import(ctx, s.Actor, func(im *store.Importer) error {
		if err := im.BindDevice(ctx, m.DeviceKeyID, m.DeviceID); err != nil {
			return err
		}
		n := 0
		if progress != nil {
			progress(0, total)
		}
		err := b.Records(func(line []byte) error {
			if err := ctx.Err(); err != nil {
				return err // stopped: nothing of the bundle is imported
			}
			if err := im.Version(ctx, line, m.DeviceID, m.Post, m.SchemaVersion); err != nil {
				return err
			}
			if n++; progress != nil && n%500 == 0 {
				progress(n, total)
			}
			return nil
		})
		if err != nil {
			return err
		}
		anchored, err := im.Anchored(ctx, m.DeviceID)
		if err != nil {
			return err
		}
		keys := s.postKeys(ctx, b)
		err = b.Audit(func(line []byte) error { return im.Audit(ctx, m.DeviceID, line, keys) })
		if err != nil {
			return err
		}
		if anchored && (im.LastAudit == 0 || im.LastCheckpoint != im.LastAudit) {
			// A post that signs checkpoints ends every bundle with one.
			res.Alarms = append(res.Alarms, &Error{Key: "service.alarm.unanchored", Args: []any{"post", m.Post, "sequence", fmt.Sprint(m.Sequence)}})
		}
		for _, sha := range m.Media() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := importMedia(ctx, im, b, sha); err != nil {
				return err
			}
			res.Media++
		}
		res.New, res.Known = im.New, im.Known
		res.Alarms = append(res.Alarms, sharedAlarms(im.Shared)...)
		fresh = im.Fresh()
		return im.Bundle(ctx, store.InBundle{
			KeyID: m.DeviceKeyID, Seq: int64(m.Sequence), BundleID: m.BundleID, ManifestHash: b.ManifestHash(),
			PostCode: m.Post, DeviceID: m.DeviceID, Gap: res.Gap,
		})
	})
	if err != nil {
		return nil, err
	}
	// What the bundle links to is read once it is kept: the import stands
	// whatever this says.
	if res.Links, err = s.newLinks(ctx, fresh); err != nil {
		res.Alarms = append(res.Alarms, &Error{Key: "service.alarm.links_unread", Args: []any{"detail", err.Error()}})
	}
	if res.Listed, res.Watched, err = s.screenFresh(ctx, fresh); err != nil {
		res.Alarms = append(res.Alarms, &Error{Key: "service.alarm.screening_unread", Args: []any{"detail", err.Error()}})
	}
	if progress != nil {
		progress(total, total)
	}
	return res, nil
}

// postKeys finds the keys a post's checkpoints name: the key that signed
// the bundle, or an earlier key of the same post the office trusted.
func (s *Service) postKeys(ctx context.Context, b *Bundle) store.PublicKeys {
	signer := b.Signer()
	trust := s.trust(ctx)
	return func(keyID string) (ed25519.PublicKey, error) {
		if keyID == signer.KeyID() {
			return signer.Key, nil
		}
		pk, err := trust(keyID)
		if errors.Is(err, bundle.ErrUnknownKey) || errors.Is(err, bundle.ErrRevokedKey) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if pk == nil || pk.Post != signer.Post {
			return nil, nil // not a key of this post: the checkpoint is not its
		}
		return pk.Key, nil
	}
}

// sharedAlarms says which records share their id with another post's.
func sharedAlarms(shared []store.SharedID) []*Error {
	var out []*Error
	for _, sh := range shared {
		for _, o := range sh.Others {
			key := "service.alarm.shared_id"
			if sh.Squatter == o.Origin {
				key = "service.alarm.squatted_id"
			}
			out = append(out, &Error{Key: key, Args: []any{"number", sh.Number, "post", sh.Post, "id", sh.ID, "other", o.Number, "other_post", o.Post}})
		}
	}
	return out
}

func importMedia(ctx context.Context, im *store.Importer, b *Bundle, sha string) error {
	rc, err := b.Media(sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxMedia+1))
	if err != nil {
		return err
	}
	if len(data) > MaxMedia {
		return &Error{Key: "service.err.media_too_large", Args: []any{"sha256", sha, "max", MaxMedia}}
	}
	return im.Media(ctx, data)
}

// checkChain places a new bundle among those imported from the same key:
// the one right after the last must name its manifest hash; a later one
// leaves a gap, returned as text.
func checkChain(imported []store.InBundle, m bundle.Manifest, hash string) (string, error) {
	seqs := map[int64]string{}
	var last int64
	for _, b := range imported {
		seqs[b.Seq] = b.ManifestHash
		last = max(last, b.Seq)
	}
	seq := int64(m.Sequence)
	if prevHash, ok := seqs[seq-1]; ok && prevHash != m.PrevManifestHash {
		return "", &Error{Key: ErrForked.Key, Args: []any{"post", m.Post, "sequence", fmt.Sprint(seq)}}
	}
	var missing []int64
	for i := int64(1); i < seq; i++ {
		if _, ok := seqs[i]; !ok {
			missing = append(missing, i)
		}
	}
	return ranges(missing), nil
}

// ranges writes sorted numbers as "1-3, 5".
func ranges(ns []int64) string {
	sort.Slice(ns, func(i, j int) bool { return ns[i] < ns[j] })
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, fmt.Sprint(ns[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", ns[i], ns[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// StillMissing is what is still missing, now, of the bundles of a device
// key numbered below seq, as "3-4, 7"; "" once all have arrived.
func (s *Service) StillMissing(ctx context.Context, keyID string, seq int64) (string, error) {
	all, err := s.st.ImportedBundles(ctx, keyID)
	if err != nil {
		return "", err
	}
	have := map[int64]bool{}
	for _, b := range all {
		have[b.Seq] = true
	}
	var missing []int64
	for i := int64(1); i < seq; i++ {
		if !have[i] {
			missing = append(missing, i)
		}
	}
	return ranges(missing), nil
}

// Receipt writes a signed receipt for a post: every bundle imported from
// it, so the post can mark them acknowledged.
func (s *Service) Receipt(ctx context.Context, postCode string, w io.Writer) (*bundle.Receipt, error) {
	me, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	if me.Role != RoleOffice {
		return nil, ErrNotOffice
	}
	key, err := s.SigningKey()
	if err != nil {
		return nil, err
	}
	all, err := s.st.ImportedBundles(ctx, "")
	if err != nil {
		return nil, err
	}
	rc := &bundle.Receipt{Office: me.Code, Post: strings.ToUpper(postCode), Created: time.Now().UTC()}
	for _, b := range all {
		if b.PostCode != rc.Post {
			continue
		}
		rc.Acknowledged = append(rc.Acknowledged, b.ManifestHash)
		rc.LastSequence = max(rc.LastSequence, uint64(b.Seq))
	}
	if len(rc.Acknowledged) == 0 {
		return nil, &Error{Key: "service.err.no_bundles_from", Args: []any{"post", rc.Post}}
	}
	return rc, bundle.WriteReceipt(w, rc, key)
}

// Acknowledge reads a receipt from the office and marks the bundles it
// lists as received. It returns how many were newly marked.
func (s *Service) Acknowledge(ctx context.Context, data []byte) (int, *bundle.Receipt, error) {
	me, err := s.Post(ctx)
	if err != nil {
		return 0, nil, err
	}
	rc, err := bundle.ReadReceipt(data, s.trust(ctx))
	if err != nil {
		return 0, nil, err
	}
	if rc.Post != me.Code {
		return 0, nil, &Error{Key: ErrReceiptPost.Key, Args: []any{"post", rc.Post}}
	}
	bundles, err := s.st.Bundles(ctx)
	if err != nil {
		return 0, nil, err
	}
	acked := map[string]bool{}
	for _, h := range rc.Acknowledged {
		acked[h] = true
	}
	marks := map[int64]string{}
	for _, b := range bundles {
		if acked[b.ManifestHash] {
			marks[b.Seq] = b.ManifestHash
		}
	}
	n, err := s.st.Acknowledge(ctx, marks, rc.Created, s.Actor)
	return n, rc, err
}

// IsReceipt tells a receipt file from a bundle by its first bytes.
func IsReceipt(head []byte) bool {
	return len(bytes.TrimLeft(head, " \r\n\t")) > 0 && bytes.TrimLeft(head, " \r\n\t")[0] == '{'
}

// PostView is what the office knows of one trusted key: the post, the
// bundles imported under it, and the sequence numbers still missing.
type PostView struct {
	Key          store.TrustedKey
	LastSequence int64
	LastImport   time.Time
	Bundles      int
	Gaps         string
	// Records counts the live records of the post held here.
	Records int
}

// Posts lists every key this folder trusts with its import history.
func (s *Service) Posts(ctx context.Context) ([]PostView, error) {
	keys, err := s.st.TrustedKeys(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := s.st.CountByPost(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PostView, 0, len(keys))
	for _, k := range keys {
		in, err := s.st.ImportedBundles(ctx, k.KeyID)
		if err != nil {
			return nil, err
		}
		v := PostView{Key: k, Bundles: len(in)}
		have := map[int64]bool{}
		for _, b := range in {
			have[b.Seq] = true
			v.LastSequence = max(v.LastSequence, b.Seq)
			if b.Imported.After(v.LastImport) {
				v.LastImport = b.Imported
			}
		}
		var missing []int64
		for i := int64(1); i < v.LastSequence; i++ {
			if !have[i] {
				missing = append(missing, i)
			}
		}
		v.Gaps = ranges(missing)
		v.Records = counts[k.PostCode]
		out = append(out, v)
	}
	return out, nil
}

// noPersonKey and phoneKey are how the fields schemas 2 and 3 added appear
// in a record's canonical JSON: only as keys, since a quote inside a
// string is escaped.
var (
	noPersonKey = []byte(`"no_person":`) // schema 2
	phoneKey    = []byte(`"phone":`)     // schema 3, of a person or an organisation
)

// bundleSchema is the record schema bundle seq declares: the oldest that
// holds its records (3 with a phone, 2 with a no_person), so that an office
// that runs a previous version still imports the bundles of a post that
// has upgraded, and an interrupted export written again after an upgrade
// has the same bytes.
func (s *Service) bundleSchema(ctx context.Context, seq int64) (int, error) {
	schema := 1
	err := s.st.BundleVersions(ctx, seq, func(content []byte) error {
		switch {
		case bytes.Contains(content, phoneKey):
			schema = 3
		case schema < 2 && bytes.Contains(content, noPersonKey):
			schema = 2
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return schema, nil
}
