package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/record"
)

// Audit actions of bundles.
const (
	ActionExport = "export"
	ActionImport = "import"
	ActionTrust  = "trust"
	ActionRevoke = "revoke"
)

// More sentinels for errors.Is.
var (
	ErrConflict     = &Error{Key: "store.err.conflict"}
	ErrNotFinal     = &Error{Key: "store.err.not_final"}
	ErrNonCanonical = &Error{Key: "store.err.non_canonical"}
	ErrOwnRecord    = &Error{Key: "store.err.own_record"}
	ErrKeyKnown     = &Error{Key: "store.err.key_known"}
	// ErrForeign: a record not made by the device that signed its bundle.
	ErrForeign = &Error{Key: "service.err.foreign_record"}
)

// Bundles lists the bundles this device wrote, newest first.
func (s *Store) Bundles(ctx context.Context) ([]OutBundle, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+outColumns+" FROM bundles_out ORDER BY seq DESC")
	if err != nil {
		return nil, fmt.Errorf("read export ledger: %w", classify(err, s.path))
	}
	defer rows.Close()
	var out []OutBundle
	for rows.Next() {
		b, err := scanOut(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *b)
	}
	return out, rows.Err()
}

const outColumns = "seq, bundle_id, manifest_hash, created_utc, file, versions, media, audit_from, audit_to, prev_hash, destination, pending, acknowledged_utc"

func scanOut(row interface{ Scan(...any) error }) (*OutBundle, error) {
	var b OutBundle
	var created string
	var ack sql.NullString
	if err := row.Scan(&b.Seq, &b.BundleID, &b.ManifestHash, &created, &b.File, &b.Versions, &b.Media, &b.AuditFrom, &b.AuditTo, &b.PrevHash, &b.Destination, &b.Pending, &ack); err != nil {
		return nil, fmt.Errorf("read export ledger: %w", err)
	}
	b.Created, _ = time.Parse(timeLayout, created)
	if ack.Valid {
		t, _ := time.Parse(timeLayout, ack.String)
		b.Acknowledged = &t
	}
	return &b, nil
}

// Acknowledge marks the bundles up to seq, whose manifest hashes the
// office's receipt lists, as received. It returns how many were newly
// marked; a hash that does not match the ledger is a conflict.
func (s *Store) Acknowledge(ctx context.Context, hashes map[int64]string, at time.Time, actor string) (int, error) {
	n := 0
	err := s.update(ctx, actor, func(tx *batch) error {
		for seq, hash := range hashes {
			var have string
			var ack sql.NullString
			err := tx.tx.QueryRowContext(ctx, "SELECT manifest_hash, acknowledged_utc FROM bundles_out WHERE seq = ?", seq).Scan(&have, &ack)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return newError(ErrConflict, nil, "what", fmt.Sprintf("bundle %d", seq))
			case err != nil:
				return fmt.Errorf("read export ledger: %w", err)
			case have != hash:
				return newError(ErrConflict, nil, "what", fmt.Sprintf("bundle %d", seq))
			case ack.Valid:
				continue
			}
			if _, err := tx.exec(ctx, "UPDATE bundles_out SET acknowledged_utc = ? WHERE seq = ?", utc(at), seq); err != nil {
				return fmt.Errorf("note receipt: %w", err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// ---- the office: trusted keys and imports ----

// Trust records a key as trusted. A key already known, trusted or
// revoked, is refused: a revoked key is never trusted again.
func (s *Store) Trust(ctx context.Context, k TrustedKey, actor string) error {
	return s.update(ctx, actor, func(tx *batch) error {
		var one int
		err := tx.tx.QueryRowContext(ctx, "SELECT 1 FROM trusted_keys WHERE key_id = ?", k.KeyID).Scan(&one)
		if err == nil {
			return newError(ErrKeyKnown, nil, "fingerprint", k.Fingerprint)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read trusted keys: %w", err)
		}
		now := utc(s.now())
		if _, err := tx.exec(ctx, "INSERT INTO trusted_keys (key_id, public_key, post_code, name, fingerprint, trusted_utc) VALUES (?, ?, ?, ?, ?, ?)",
			k.KeyID, k.PublicKey, k.PostCode, k.Name, k.Fingerprint, now); err != nil {
			return fmt.Errorf("trust key: %w", err)
		}
		return tx.audit(ctx, now, ActionTrust, k.KeyID, 0, k.Fingerprint)
	})
}

// Revoke stops trusting a key; bundles it signed are refused from now on.
func (s *Store) Revoke(ctx context.Context, keyID, actor string) error {
	return s.update(ctx, actor, func(tx *batch) error {
		now := utc(s.now())
		res, err := tx.exec(ctx, "UPDATE trusted_keys SET revoked_utc = ? WHERE key_id = ? AND revoked_utc IS NULL", now, keyID)
		if err != nil {
			return fmt.Errorf("revoke key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return newError(ErrNotFound, nil, "id", keyID)
		}
		return tx.audit(ctx, now, ActionRevoke, keyID, 0, "")
	})
}

// TrustedKeys lists the keys the office knows, revoked ones included.
func (s *Store) TrustedKeys(ctx context.Context) ([]TrustedKey, error) {
	return s.trustedKeys(ctx, "")
}

// Key returns the known key with the given id, or ErrNotFound.
func (s *Store) Key(ctx context.Context, keyID string) (*TrustedKey, error) {
	ks, err := s.trustedKeys(ctx, keyID)
	if err != nil {
		return nil, err
	}
	if len(ks) == 0 {
		return nil, newError(ErrNotFound, nil, "id", keyID)
	}
	return &ks[0], nil
}

func (s *Store) trustedKeys(ctx context.Context, keyID string) ([]TrustedKey, error) {
	q := "SELECT key_id, public_key, post_code, name, fingerprint, trusted_utc, revoked_utc FROM trusted_keys"
	var args []any
	if keyID != "" {
		q += " WHERE key_id = ?"
		args = append(args, keyID)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY post_code, name", args...)
	if err != nil {
		return nil, fmt.Errorf("read trusted keys: %w", err)
	}
	defer rows.Close()
	var out []TrustedKey
	for rows.Next() {
		var k TrustedKey
		var trusted string
		var revoked sql.NullString
		if err := rows.Scan(&k.KeyID, &k.PublicKey, &k.PostCode, &k.Name, &k.Fingerprint, &trusted, &revoked); err != nil {
			return nil, fmt.Errorf("read trusted keys: %w", err)
		}
		k.Trusted, _ = time.Parse(timeLayout, trusted)
		if revoked.Valid {
			t, _ := time.Parse(timeLayout, revoked.String)
			k.Revoked = &t
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ImportedBundles lists the bundles imported under a key (all keys if
// keyID is empty), newest first.
func (s *Store) ImportedBundles(ctx context.Context, keyID string) ([]InBundle, error) {
	q := "SELECT key_id, seq, bundle_id, manifest_hash, post_code, device_id, imported_utc, versions_new, versions_known, gap FROM bundles_in"
	var args []any
	if keyID != "" {
		q += " WHERE key_id = ?"
		args = append(args, keyID)
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY imported_utc DESC, seq DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("read import ledger: %w", err)
	}
	defer rows.Close()
	var out []InBundle
	for rows.Next() {
		var b InBundle
		var at string
		if err := rows.Scan(&b.KeyID, &b.Seq, &b.BundleID, &b.ManifestHash, &b.PostCode, &b.DeviceID, &at, &b.VersionsNew, &b.VersionsKnown, &b.Gap); err != nil {
			return nil, fmt.Errorf("read import ledger: %w", err)
		}
		b.Imported, _ = time.Parse(timeLayout, at)
		out = append(out, b)
	}
	return out, rows.Err()
}

// ImportedBundle returns the bundle imported under keyID with sequence
// number seq, or nil.
func (s *Store) ImportedBundle(ctx context.Context, keyID string, seq int64) (*InBundle, error) {
	all, err := s.ImportedBundles(ctx, keyID)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Seq == seq {
			return &all[i], nil
		}
	}
	return nil, nil
}

// Importer adds what one bundle carries, inside one transaction.
type Importer struct {
	b *batch
	// New and Known count the versions added and those already present.
	New, Known int
	// Shared lists the records whose id another device's record has too.
	Shared []SharedID
	// LastAudit and LastCheckpoint are the last audit entry, and the last
	// checkpoint, of the bundle's.
	LastAudit, LastCheckpoint int64
	// before holds, by record, the keys its version held before the
	// import carried (read once, at the import's first version of it);
	// fresh the keys its newest version brings that those lacked.
	before map[int64]map[string]bool
	fresh  map[int64][]Fresh
	order  []int64
}

// Fresh are the identifiers new to the records whose current version the
// import made, against the versions held before it (Store.Hits tells what
// they link to).
func (im *Importer) Fresh() []Fresh {
	var out []Fresh
	for _, rid := range im.order {
		out = append(out, im.fresh[rid]...)
	}
	return out
}

// SharedID is a record id held for two devices: one of them copied the
// other's. Squatter names the device that did, when the id tells it.
type SharedID struct {
	ID       string
	Number   string // the new record's number
	Post     string // and its post
	Others   []Holder
	Squatter string // "" when the id names no device (made before ids were bound)
}

// Holder is a record held for another device.
type Holder struct {
	Origin, Post, Number string
}

// Import runs fn with an Importer in one write transaction: if fn or any
// step fails, nothing of the bundle is kept.
func (s *Store) Import(ctx context.Context, actor string, fn func(*Importer) error) error {
	return s.update(ctx, actor, func(b *batch) error { return fn(&Importer{b: b}) })
}

// More sentinels of imports.
var (
	// ErrClaimedID: a record whose id was made by another device.
	ErrClaimedID = &Error{Key: "store.err.claimed_id"}
	// ErrImpersonation: a key speaking for another device than its own.
	ErrImpersonation = &Error{Key: "store.err.impersonation"}
)

// BindDevice checks that the key keyID speaks for device: a key speaks for
// the one device its first bundle named, and a device for one key at a time
// (a device given a new key after its old one was revoked keeps its id).
func (im *Importer) BindDevice(ctx context.Context, keyID, device string) error {
	tx := im.b.tx
	var bound sql.NullString
	var post string
	err := tx.QueryRowContext(ctx, "SELECT device_id, post_code FROM trusted_keys WHERE key_id = ?", keyID).Scan(&bound, &post)
	if err != nil {
		return fmt.Errorf("read trusted key %s: %w", keyID, err)
	}
	if bound.Valid {
		if bound.String != device {
			return newError(ErrImpersonation, nil, "post", post, "device", device)
		}
		return nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT post_code, revoked_utc FROM trusted_keys WHERE device_id = ? AND key_id != ?", device, keyID)
	if err != nil {
		return fmt.Errorf("read trusted keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var other string
		var revoked sql.NullString
		if err := rows.Scan(&other, &revoked); err != nil {
			return fmt.Errorf("read trusted keys: %w", err)
		}
		if !revoked.Valid || other != post {
			return newError(ErrImpersonation, nil, "post", post, "device", device)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read trusted keys: %w", err)
	}
	if _, err := im.b.exec(ctx, "UPDATE trusted_keys SET device_id = ? WHERE key_id = ?", device, keyID); err != nil {
		return fmt.Errorf("bind key %s: %w", keyID, err)
	}
	return nil
}

// Version adds one final record version made on another device, exactly as
// its bytes were signed; the record must come from device origin of post
// (ErrForeign otherwise), and its id must not have been made by another
// device (ErrClaimedID). The same version again is counted as known; the
// same version with other content is a conflict. A record whose id another
// device's record has too is kept beside it, and noted in Shared.
func (im *Importer) Version(ctx context.Context, content []byte, origin, post string, schema int) error {
	b := im.b
	var in record.Interdiction
	dec := json.NewDecoder(bytes.NewReader(content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return newError(ErrNonCanonical, err, "id", "?")
	}
	id := in.ID.String()
	canonical, err := json.Marshal(&in)
	if err != nil || !bytes.Equal(canonical, content) {
		return newError(ErrNonCanonical, err, "id", id)
	}
	switch {
	case in.Status != record.StatusFinal:
		return newError(ErrNotFinal, nil, "id", id)
	case in.Origin == "" || in.Version < 1 || in.Number == "":
		return newError(ErrNonCanonical, nil, "id", id)
	case in.Origin == b.device:
		return newError(ErrOwnRecord, nil, "id", id)
	case in.Origin != origin || in.PostCode != post:
		return newError(ErrForeign, nil, "number", in.Number, "post", post)
	case record.BindingOf(in.ID, origin) == record.IDOfOther:
		return newError(ErrClaimedID, nil, "number", in.Number, "post", post, "id", id)
	}
	// Another device's clock may run ahead of ours: allow a day.
	// The rules of the schema the bundle declares: a final record of a post
	// that runs an earlier version is final as that version made it.
	if err := in.ValidateSchema(b.s.now().Add(24*time.Hour), schema); err != nil {
		return err
	}
	hash := SHA256(content)
	h, err := b.head(ctx, origin, id)
	if err != nil {
		return err
	}
	if h != nil {
		var have string
		st, err := b.stmt(ctx, "SELECT hash FROM versions WHERE rid = ? AND version = ?")
		if err != nil {
			return err
		}
		err = st.QueryRowContext(ctx, h.rid, in.Version).Scan(&have)
		switch {
		case err == nil && have == hash:
			im.Known++
			return nil
		case err == nil:
			return newError(ErrConflict, nil, "what", fmt.Sprintf("%s v%d", in.Number, in.Version))
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read record %s: %w", id, err)
		}
	} else if err := im.noteShared(ctx, &in); err != nil {
		return err
	}
	now := utc(b.s.now())
	rid := int64(0)
	newest := h == nil || in.Version > h.version
	if newest {
		if rid, err = b.putHead(ctx, h, &in, now); err != nil {
			return err
		}
	} else {
		rid = h.rid
	}
	if _, err := b.exec(ctx, "INSERT INTO versions (rid, version, status, hash, saved_utc, actor, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
		rid, in.Version, in.Status, hash, now, b.actor, content); err != nil {
		return fmt.Errorf("import record %s version %d: %w", id, in.Version, err)
	}
	if newest {
		if err := im.noteFresh(ctx, rid, h != nil, Ref(origin, id), &in); err != nil {
			return err
		}
		if err := b.index(ctx, rid, &in, h != nil); err != nil {
			return err
		}
	}
	im.New++
	return b.audit(ctx, now, ActionImport, Ref(origin, id), in.Version, hash)
}

// noteFresh notes the identifiers of in, the newest version of record rid
// so far, that the record's version held before the import (if existed)
// did not carry. A later version in the same import replaces what an
// earlier one noted.
func (im *Importer) noteFresh(ctx context.Context, rid int64, existed bool, ref string, in *record.Interdiction) error {
	if im.before == nil {
		im.before, im.fresh = map[int64]map[string]bool{}, map[int64][]Fresh{}
	}
	had, ok := im.before[rid]
	if !ok {
		had = map[string]bool{}
		if existed {
			st, err := im.b.stmt(ctx, "SELECT kind, key FROM idents WHERE rid = ?")
			if err != nil {
				return err
			}
			rows, err := st.QueryContext(ctx, rid)
			if err != nil {
				return fmt.Errorf("read identifiers: %w", err)
			}
			for rows.Next() {
				var kind, key string
				if err := rows.Scan(&kind, &key); err != nil {
					rows.Close()
					return fmt.Errorf("read identifiers: %w", err)
				}
				had[kind+":"+key] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("read identifiers: %w", err)
			}
		}
		im.before[rid] = had
		im.order = append(im.order, rid)
	}
	var fresh []Fresh
	for _, id := range idkey.Of(in) {
		if !had[string(id.Kind)+":"+id.Key] {
			fresh = append(fresh, Fresh{Ref: ref, Kind: id.Kind, Key: id.Key, rid: rid})
		}
	}
	im.fresh[rid] = fresh
	return nil
}

// noteShared notes when another device's record has the id of a record
// seen for the first time.
func (im *Importer) noteShared(ctx context.Context, in *record.Interdiction) error {
	st, err := im.b.stmt(ctx, "SELECT origin, post_code, number FROM records WHERE id = ? AND origin != ? ORDER BY rid")
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, in.ID.String(), in.Origin)
	if err != nil {
		return fmt.Errorf("read record %s: %w", in.ID, err)
	}
	defer rows.Close()
	sh := SharedID{ID: in.ID.String(), Number: in.Number, Post: in.PostCode}
	for rows.Next() {
		var h Holder
		if err := rows.Scan(&h.Origin, &h.Post, &h.Number); err != nil {
			return fmt.Errorf("read record %s: %w", in.ID, err)
		}
		sh.Others = append(sh.Others, h)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read record %s: %w", in.ID, err)
	}
	if len(sh.Others) == 0 {
		return nil
	}
	if record.BindingOf(in.ID, in.Origin) == record.IDOfDevice {
		// The id was made by the new record's device: the others copied it.
		sh.Squatter = sh.Others[0].Origin
	}
	im.Shared = append(im.Shared, sh)
	return nil
}

// Media adds an attachment (its address is the SHA-256 of data).
func (im *Importer) Media(ctx context.Context, data []byte) error {
	_, err := im.b.putMedia(ctx, data)
	return err
}

// Audit keeps one audit entry of another device, as its bundle carried
// it. The entry must hash to its own hash and link to the entries of that
// device already held (the one before it and the one after), so a history
// rewritten at the post is refused here; the same entry again is ignored.
// A checkpoint must be signed by the key it names, found with keys
// (ErrBadCheckpoint).
func (im *Importer) Audit(ctx context.Context, origin string, entry []byte, keys PublicKeys) error {
	var e AuditEntry
	dec := json.NewDecoder(bytes.NewReader(entry))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Seq < 1 || !importable(&e) || entryHash(&e) != e.Hash {
		return newError(ErrConflict, err, "what", fmt.Sprintf("audit %d", e.Seq))
	}
	held := func(seq int64) (*AuditEntry, error) {
		st, err := im.b.stmt(ctx, "SELECT entry FROM remote_audit WHERE origin = ? AND seq = ?")
		if err != nil {
			return nil, err
		}
		var raw []byte
		err = st.QueryRowContext(ctx, origin, seq).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read remote audit: %w", err)
		}
		var h AuditEntry
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, fmt.Errorf("read remote audit %d: %w", seq, err)
		}
		return &h, nil
	}
	same, err := held(e.Seq)
	switch {
	case err != nil:
		return err
	case same != nil && same.Hash == e.Hash:
		im.noteAudit(&e)
		return nil
	case same != nil:
		return newError(ErrConflict, nil, "what", fmt.Sprintf("audit %d", e.Seq))
	}
	before, err := held(e.Seq - 1)
	if err != nil {
		return err
	}
	after, err := held(e.Seq + 1)
	if err != nil {
		return err
	}
	if (before != nil && before.Hash != e.Prev) || (after != nil && after.Prev != e.Hash) || (e.Seq == 1 && e.Prev != "") {
		return newError(ErrConflict, nil, "what", fmt.Sprintf("audit %d", e.Seq))
	}
	if e.Action == ActionCheckpoint {
		if err := verifyCheckpoint(origin, &e, keys); err != nil {
			return err
		}
		if _, err := im.b.exec(ctx, `INSERT INTO anchors (origin, seq, at_utc) VALUES (?, ?, ?)
			ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq, at_utc = excluded.at_utc WHERE excluded.seq > anchors.seq`, origin, e.Seq, e.At); err != nil {
			return fmt.Errorf("keep checkpoint: %w", err)
		}
	}
	if _, err := im.b.exec(ctx, "INSERT INTO remote_audit (origin, seq, entry) VALUES (?, ?, ?)", origin, e.Seq, entry); err != nil {
		return fmt.Errorf("keep remote audit entry: %w", err)
	}
	im.noteAudit(&e)
	return nil
}

func (im *Importer) noteAudit(e *AuditEntry) {
	im.LastAudit = e.Seq
	if e.Action == ActionCheckpoint {
		im.LastCheckpoint = e.Seq
	}
}

// Anchored reports whether a checkpoint of device origin's chain was
// imported before: from then on, every bundle of it ends with one.
func (im *Importer) Anchored(ctx context.Context, origin string) (bool, error) {
	var one int
	err := im.b.tx.QueryRowContext(ctx, "SELECT 1 FROM anchors WHERE origin = ?", origin).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read checkpoints: %w", err)
	}
	return true, nil
}

// Bundle notes the bundle in the import ledger.
func (im *Importer) Bundle(ctx context.Context, in InBundle) error {
	if _, err := im.b.exec(ctx, `INSERT INTO bundles_in (key_id, seq, bundle_id, manifest_hash, post_code, device_id, imported_utc, versions_new, versions_known, gap)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		in.KeyID, in.Seq, in.BundleID, in.ManifestHash, in.PostCode, in.DeviceID, utc(im.b.s.now()), im.New, im.Known, in.Gap); err != nil {
		return fmt.Errorf("note imported bundle: %w", err)
	}
	return im.b.audit(ctx, utc(im.b.s.now()), ActionImport, in.BundleID, int(in.Seq), in.ManifestHash)
}
