package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrNothingNew: no final version is waiting for a bundle.
var ErrNothingNew = &Error{Key: "service.err.nothing_new"}

// Reservation is what an export decides before anything is written.
type Reservation struct {
	BundleID    string
	Created     time.Time // in UTC, to the second, as the manifest keeps it
	Destination string
	File        string
}

// Reserve notes the next bundle in the ledger before its file is written:
// every final version of this device's records that no bundle carried yet
// (training records stay where they were made), the attachments they name
// that no bundle carried, and the audit entries since the last bundle,
// ending with a checkpoint signed by signer. If a reserved bundle was never
// finished (a power cut, a failure), that bundle is returned instead,
// unchanged: the same number always carries the same content. With
// nothing new and nothing pending it returns ErrNothingNew.
func (s *Store) Reserve(ctx context.Context, r Reservation, signer Signer, actor string) (*OutBundle, error) {
	var out *OutBundle
	err := s.update(ctx, actor, func(b *batch) error {
		pending, err := scanOut(b.tx.QueryRowContext(ctx, "SELECT "+outColumns+" FROM bundles_out WHERE pending = 1 ORDER BY seq LIMIT 1"))
		if err == nil {
			out = pending
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		o := &OutBundle{Seq: 1, BundleID: r.BundleID, Created: r.Created, Destination: r.Destination, File: r.File, Pending: true, AuditFrom: 1}
		var auditTo int64
		err = b.tx.QueryRowContext(ctx, "SELECT seq, manifest_hash, audit_to FROM bundles_out ORDER BY seq DESC LIMIT 1").Scan(&o.Seq, &o.PrevHash, &auditTo)
		switch {
		case err == nil:
			o.Seq, o.AuditFrom = o.Seq+1, auditTo+1
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read export ledger: %w", err)
		}
		res, err := b.tx.ExecContext(ctx, `INSERT INTO exported (rid, version, bundle_seq)
			SELECT v.rid, v.version, ? FROM versions v JOIN records r ON r.rid = v.rid
			WHERE `+unexported, o.Seq, b.device)
		if err != nil {
			return fmt.Errorf("reserve bundle %d: %w", o.Seq, err)
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			return ErrNothingNew
		}
		o.Versions = int(n)
		if o.Media, err = b.reserveMedia(ctx, o.Seq); err != nil {
			return err
		}
		if err := b.checkpoint(ctx, signer); err != nil {
			return err
		}
		o.AuditTo = b.lastSeq
		if _, err := b.exec(ctx, `INSERT INTO bundles_out (seq, bundle_id, manifest_hash, created_utc, file, versions, media, audit_from, audit_to, prev_hash, destination, pending)
			VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
			o.Seq, o.BundleID, utc(o.Created), o.File, o.Versions, o.Media, o.AuditFrom, o.AuditTo, o.PrevHash, o.Destination); err != nil {
			return fmt.Errorf("reserve bundle %d: %w", o.Seq, err)
		}
		out = o
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reserveMedia notes, for bundle seq, the attachments its versions name
// that no earlier bundle carried, and returns how many.
func (b *batch) reserveMedia(ctx context.Context, seq int64) (int, error) {
	rows, err := b.tx.QueryContext(ctx, "SELECT v.content FROM exported e JOIN versions v ON v.rid = e.rid AND v.version = e.version WHERE e.bundle_seq = ?", seq)
	if err != nil {
		return 0, fmt.Errorf("reserve bundle %d: %w", seq, err)
	}
	var shas []string
	for rows.Next() {
		var content []byte
		if err := rows.Scan(&content); err != nil {
			rows.Close()
			return 0, fmt.Errorf("reserve bundle %d: %w", seq, err)
		}
		if !bytes.Contains(content, []byte(`"photos":`)) {
			continue // most records carry no photo: no need to decode them
		}
		var photos struct {
			Photos []struct {
				SHA256 string `json:"sha256"`
			} `json:"photos"`
		}
		if err := json.Unmarshal(content, &photos); err != nil {
			rows.Close()
			return 0, fmt.Errorf("reserve bundle %d: read photos: %w", seq, err)
		}
		for _, p := range photos.Photos {
			shas = append(shas, p.SHA256)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("reserve bundle %d: %w", seq, err)
	}
	n := 0
	for _, sha := range shas {
		res, err := b.exec(ctx, "INSERT OR IGNORE INTO exported_media (sha256, bundle_seq) VALUES (?, ?)", sha, seq)
		if err != nil {
			return 0, fmt.Errorf("reserve bundle %d: %w", seq, err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

// BundleVersions calls fn with every record version bundle seq carries,
// as stored, in the order the bundle holds them.
func (s *Store) BundleVersions(ctx context.Context, seq int64, fn func(content []byte) error) error {
	rows, err := s.db.QueryContext(ctx, "SELECT v.content FROM exported e JOIN versions v ON v.rid = e.rid AND v.version = e.version WHERE e.bundle_seq = ? ORDER BY e.rid, e.version", seq)
	if err != nil {
		return fmt.Errorf("read bundle %d: %w", seq, classify(err, s.path))
	}
	defer rows.Close()
	for rows.Next() {
		var content []byte
		if err := rows.Scan(&content); err != nil {
			return fmt.Errorf("read bundle %d: %w", seq, classify(err, s.path))
		}
		if err := fn(content); err != nil {
			return err
		}
	}
	return rows.Err()
}

// BundleMedia lists the attachments bundle seq carries, in order.
func (s *Store) BundleMedia(ctx context.Context, seq int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT sha256 FROM exported_media WHERE bundle_seq = ? ORDER BY sha256", seq)
	if err != nil {
		return nil, fmt.Errorf("read bundle %d: %w", seq, classify(err, s.path))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, fmt.Errorf("read bundle %d: %w", seq, err)
		}
		out = append(out, sha)
	}
	return out, rows.Err()
}

// AuditRange calls fn with the audit entries from seq from to seq to, in
// order.
func (s *Store) AuditRange(ctx context.Context, from, to int64, fn func(AuditEntry) error) error {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, at_utc, actor, action, record_id, version, content_hash, prev, hash FROM audit WHERE seq >= ? AND seq <= ? ORDER BY seq", from, to)
	if err != nil {
		return fmt.Errorf("read audit: %w", classify(err, s.path))
	}
	defer rows.Close()
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.RecordID, &e.Version, &e.ContentHash, &e.Prev, &e.Hash); err != nil {
			return fmt.Errorf("read audit: %w", classify(err, s.path))
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Finish marks the reserved bundle seq done: its file is at file, and its
// manifest hash is manifestHash. It appends an export entry to the audit
// log (the next bundle carries it).
func (s *Store) Finish(ctx context.Context, seq int64, manifestHash, file, actor string) error {
	return s.update(ctx, actor, func(b *batch) error {
		var id string
		err := b.tx.QueryRowContext(ctx, "SELECT bundle_id FROM bundles_out WHERE seq = ? AND pending = 1", seq).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return newError(ErrNotFound, nil, "id", fmt.Sprintf("bundle %d", seq))
		}
		if err != nil {
			return fmt.Errorf("read export ledger: %w", err)
		}
		if _, err := b.exec(ctx, "UPDATE bundles_out SET pending = 0, manifest_hash = ?, file = ? WHERE seq = ?", manifestHash, file, seq); err != nil {
			return fmt.Errorf("finish bundle %d: %w", seq, err)
		}
		return b.audit(ctx, utc(s.now()), ActionExport, id, int(seq), manifestHash)
	})
}

// unexported selects the final versions of this device's records (the
// device bound to the query) that no bundle carried or reserved, training
// records left out. Origin and training are read from the versions' own
// content, not from the records table, which is only an index of it: a
// row changed behind the program's back cannot keep a record out of the
// next bundle. The content is the canonical JSON of the record, where
// only the record itself has these two fields: finding them as text is as
// sure as decoding, and much quicker.
const unexported = `v.status = 'final'
	AND NOT EXISTS (SELECT 1 FROM exported e WHERE e.rid = v.rid AND e.version = v.version)
	AND instr(v.content, '"origin":"' || ? || '"') > 0 AND instr(v.content, '"training":true') = 0`

// VersionRef names one stored version.
type VersionRef struct {
	rid     int64
	ID      string
	Version int
}

// PendingVersions calls fn, oldest first, with every final version of this
// device's records that no bundle carried or reserved yet, as stored.
// Training records stay where they were made.
func (s *Store) PendingVersions(ctx context.Context, fn func(ref VersionRef, content []byte) error) error {
	device, err := s.Meta(ctx, MetaDeviceID)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT v.rid, r.id, v.version, v.content FROM versions v JOIN records r ON r.rid = v.rid
		WHERE `+unexported+` ORDER BY v.rid, v.version`, device)
	if err != nil {
		return fmt.Errorf("read versions to export: %w", classify(err, s.path))
	}
	defer rows.Close()
	for rows.Next() {
		var ref VersionRef
		var content []byte
		if err := rows.Scan(&ref.rid, &ref.ID, &ref.Version, &content); err != nil {
			return fmt.Errorf("read versions to export: %w", err)
		}
		if err := fn(ref, content); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PendingCount is how many of this device's records have a final version
// no bundle carried or reserved yet (training records left out, as
// PendingVersions does).
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	device, err := s.Meta(ctx, MetaDeviceID)
	if err != nil {
		return 0, err
	}
	var n int
	// Records, not versions: a record edited twice since the last bundle
	// is one record waiting.
	err = s.db.QueryRowContext(ctx, `SELECT count(DISTINCT v.rid) FROM versions v WHERE `+unexported, device).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count versions to export: %w", classify(err, s.path))
	}
	return n, nil
}
