package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/kordon/kordon/internal/record"
	"time"
)

// separable reports whether none of an entry's text fields holds the zero
// byte that separates the fields entryHash hashes: otherwise text could move
// from one field to the next (actor "a\x00edit" and action "…") without
// changing the hash.
func separable(e *AuditEntry) bool {
	for _, f := range []string{e.At, e.Actor, e.Action, e.RecordID, e.ContentHash, e.Prev} {
		if strings.IndexByte(f, 0) >= 0 {
			return false
		}
	}
	return true
}

// importable reports whether an audit entry from another device is one
// Kordon writes: fields apart (no zero byte: see separable), its time in the store's
// form, and no control or text-direction characters, which would make the
// trail read otherwise on screen than it is.
func importable(e *AuditEntry) bool {
	if _, err := time.Parse(timeLayout, e.At); err != nil {
		return false
	}
	for _, f := range []string{e.Actor, e.Action, e.RecordID, e.ContentHash, e.Prev} { // no zero byte either
		for _, r := range f {
			if record.BadRune(r, false) {
				return false
			}
		}
	}
	return true
}

// entryHash is what an audit entry's Hash must be.
func entryHash(e *AuditEntry) string {
	h := sha256.New()
	for _, f := range []string{"kordon-audit-v1", strconv.FormatInt(e.Seq, 10), e.At, e.Actor, e.Action, e.RecordID, strconv.Itoa(e.Version), e.ContentHash, e.Prev} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit returns the audit entries of one record (see Ref), oldest first.
func (s *Store) Audit(ctx context.Context, ref string) ([]AuditEntry, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	var origin, id string
	if err := s.db.QueryRowContext(ctx, "SELECT origin, id FROM records WHERE rid = ?", rid).Scan(&origin, &id); err != nil {
		return nil, fmt.Errorf("read audit of %s: %w", ref, classify(err, s.path))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT seq, at_utc, actor, action, record_id, version, content_hash, prev, hash FROM audit WHERE record_id IN (?, ?) ORDER BY seq", id, Ref(origin, id))
	if err != nil {
		return nil, fmt.Errorf("read audit of %s: %w", ref, classify(err, s.path))
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.RecordID, &e.Version, &e.ContentHash, &e.Prev, &e.Hash); err != nil {
			return nil, fmt.Errorf("read audit of %s: %w", ref, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// headRow is what the records table keeps of a record's current version,
// for lists, statistics and exports.
type headRow struct {
	version, pieces      int
	rounds               int
	post, number, status string
	occurred, point      string
	training             bool
}

// differs names the first of h's columns that its current version's
// content does not bear out: a row changed behind the program's back can
// hide a record from lists, statistics or the next bundle.
func (h *headRow) differs(id, origin string, content []byte) string {
	in, err := decode(content)
	if err != nil {
		return "content"
	}
	switch {
	case in.ID.String() != id:
		return "id"
	case in.Origin != origin:
		return "origin"
	case in.PostCode != h.post:
		return "post_code"
	case in.Number != h.number:
		return "number"
	case in.Status != h.status:
		return "status"
	case in.Training != h.training:
		return "training"
	case utc(in.OccurredAt) != h.occurred:
		return "occurred_at"
	case in.CrossingPoint != h.point:
		return "crossing_point"
	}
	if pieces, rounds := in.Counts(); pieces != h.pieces {
		return "pieces"
	} else if rounds != h.rounds {
		return "rounds"
	}
	return ""
}

// sameSchema checks that the database has exactly the tables, indexes and
// triggers its schema version gives it: none dropped (the triggers that
// keep the audit append-only), none added (a trigger of someone's own).
func (s *Store) sameSchema(ctx context.Context) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return classify(err, s.path)
	}
	have, err := s.Schema(ctx)
	if err != nil {
		return err
	}
	want, err := SchemaAt(ctx, version)
	if err != nil {
		return err
	}
	if diff := schemaDiff(have, want); diff != "" {
		return broken(0, diff)
	}
	return nil
}

// checkBundlesOut checks that every bundle the ledger says was written
// ends with a checkpoint the chain still holds: removing checkpoints to
// hide a rewritten history would otherwise go unseen.
func (s *Store) checkBundlesOut(ctx context.Context, checkpoints map[int64]bool) error {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, audit_to FROM bundles_out WHERE destination != ''")
	if err != nil {
		return fmt.Errorf("read export ledger: %w", classify(err, s.path))
	}
	defer rows.Close()
	for rows.Next() {
		var seq, to int64
		if err := rows.Scan(&seq, &to); err != nil {
			return fmt.Errorf("read export ledger: %w", err)
		}
		if !checkpoints[to] {
			return broken(to, fmt.Sprintf("the checkpoint bundle %d ended with is gone", seq))
		}
	}
	return rows.Err()
}

func broken(seq int64, reason string) error {
	return &Error{Key: ErrAuditBroken.Key, Args: []any{"seq", seq, "reason", reason}}
}

// IntegrityCheck runs SQLite's own check of every page and index of the
// database, and returns ErrDamaged naming the first problems it reports.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check(10)")
	if err != nil {
		return classify(err, s.path)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return classify(err, s.path)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err, s.path)
	}
	if len(problems) > 0 {
		return newError(ErrDamaged, nil, "path", s.path, "detail", strings.Join(problems, "; "))
	}
	return nil
}

// Verify checks the whole store against its audit chain; see VerifyWith.
// A chain with checkpoints needs their keys: use VerifyWith.
func (s *Store) Verify(ctx context.Context) error {
	_, err := s.VerifyWith(ctx, nil)
	return err
}

// VerifyWith checks the whole store against its audit chain: every entry
// links to the one before and hashes to its stored hash, entries are
// numbered without gaps, every checkpoint is signed by the key it names
// (found with keys), every stored version matches its content hash and the
// last audit entry written for it, and the deleted records are exactly
// those the chain deleted. SQLite's integrity check runs first. It returns
// what it checked, and nil, an ErrDamaged, or an ErrAuditBroken or
// ErrBadCheckpoint naming the first problem found.
func (s *Store) VerifyWith(ctx context.Context, keys PublicKeys) (*AuditReport, error) {
	rep := &AuditReport{}
	if err := s.IntegrityCheck(ctx); err != nil {
		return rep, err
	}
	if err := s.sameSchema(ctx); err != nil {
		return rep, err
	}
	device, err := s.Meta(ctx, MetaDeviceID)
	if err != nil {
		return rep, err
	}
	checkpoints := map[int64]bool{}
	type key struct {
		id      string
		version int
	}
	last := map[key]string{}
	deleted := map[string]bool{}
	judged := map[int]AuditEntry{}
	lists := map[string]string{}
	decided := map[int]AuditEntry{}
	alerted := map[int]AuditEntry{}
	watched := map[string]AuditEntry{}
	unwatched := map[string]bool{}
	watchFromOffice := ""
	traced := map[string]AuditEntry{}
	rows, err := s.db.QueryContext(ctx, "SELECT seq, at_utc, actor, action, record_id, version, content_hash, prev, hash FROM audit ORDER BY seq")
	if err != nil {
		return rep, fmt.Errorf("read audit: %w", classify(err, s.path))
	}
	var prev string
	var want int64 = 1
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.RecordID, &e.Version, &e.ContentHash, &e.Prev, &e.Hash); err != nil {
			rows.Close()
			return rep, fmt.Errorf("read audit: %w", classify(err, s.path))
		}
		switch {
		case e.Seq != want:
			rows.Close()
			return rep, broken(want, "missing entry")
		case e.Prev != prev:
			rows.Close()
			return rep, broken(e.Seq, "link to previous entry")
		case !separable(&e) || entryHash(&e) != e.Hash:
			rows.Close()
			return rep, broken(e.Seq, "entry changed")
		}
		switch {
		case e.Action == ActionCheckpoint:
			if err := verifyCheckpoint(device, &e, keys); err != nil {
				rows.Close()
				return rep, err
			}
			rep.Checkpoints++
			rep.LastCheckpoint, rep.LastCheckpointAt = e.Seq, e.Time()
			checkpoints[e.Seq] = true
		case e.RecordID == "":
		case e.Action == ActionJudge:
			judged[e.Version] = e
		case e.Action == ActionList:
			lists[e.RecordID] = e.ContentHash
		case e.Action == ActionDecide:
			decided[e.Version] = e
		case e.Action == ActionAlert:
			alerted[e.Version] = e
		case e.Action == ActionWatch && e.RecordID == watchOffice:
			watchFromOffice = e.ContentHash
		case e.Action == ActionWatch:
			watched[strings.TrimPrefix(e.RecordID, "watch:")] = e
		case e.Action == ActionUnwatch:
			unwatched[strings.TrimPrefix(e.RecordID, "watch:")] = true
		case e.Action == ActionTrace:
			traced[traceLogKey(e)] = e
		case e.Action == ActionDelete:
			deleted[e.RecordID] = true
		default:
			last[key{e.RecordID, e.Version}] = e.ContentHash
		}
		prev, want = e.Hash, want+1
		rep.Entries = e.Seq
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("read audit: %w", classify(err, s.path))
	}

	if err := s.checkBundlesOut(ctx, checkpoints); err != nil {
		return rep, err
	}
	if err := s.checkJudgements(ctx, judged); err != nil {
		return rep, err
	}
	if err := s.checkIdents(ctx); err != nil {
		return rep, err
	}
	if err := s.checkLists(ctx, lists); err != nil {
		return rep, err
	}
	if err := s.checkDecisions(ctx, decided); err != nil {
		return rep, err
	}
	if err := s.checkAlerts(ctx, alerted); err != nil {
		return rep, err
	}
	if err := s.checkWatch(ctx, watched, unwatched, watchFromOffice); err != nil {
		return rep, err
	}
	if err := s.checkItems(ctx); err != nil {
		return rep, err
	}
	if err := s.checkTraces(ctx, traced); err != nil {
		return rep, err
	}
	vrows, err := s.db.QueryContext(ctx, `SELECT r.id, r.origin, r.deleted, v.version, v.hash, v.content,
		r.version, r.post_code, r.number, r.status, r.training, r.occurred_utc, r.crossing_point, r.pieces, r.rounds
		FROM versions v JOIN records r ON r.rid = v.rid ORDER BY r.rid, v.version`)
	if err != nil {
		return rep, fmt.Errorf("read versions: %w", classify(err, s.path))
	}
	defer vrows.Close()
	for vrows.Next() {
		var id, origin, hash string
		var del bool
		var version int
		var content []byte
		var h headRow
		if err := vrows.Scan(&id, &origin, &del, &version, &hash, &content,
			&h.version, &h.post, &h.number, &h.status, &h.training, &h.occurred, &h.point, &h.pieces, &h.rounds); err != nil {
			return rep, fmt.Errorf("read versions: %w", classify(err, s.path))
		}
		if version > h.version {
			return rep, broken(0, fmt.Sprintf("record %s: version %d is newer than the record's %d", id, version, h.version))
		}
		if version == h.version {
			if what := h.differs(id, origin, content); what != "" {
				return rep, broken(0, fmt.Sprintf("record %s: %s differs from its current version", id, what))
			}
		}
		where := fmt.Sprintf("record %s version %d", id, version)
		// Imports name the record with its origin; the folder's own
		// records, and imports before ids could be shared, by id alone.
		logged, ok := last[key{Ref(origin, id), version}]
		if !ok {
			logged, ok = last[key{id, version}]
		}
		switch {
		case SHA256(content) != hash:
			return rep, broken(0, where+": content changed")
		case !ok:
			return rep, broken(0, where+": not in the audit log")
		case logged != hash:
			return rep, broken(0, where+": differs from the audit log")
		case del != deleted[id]:
			return rep, broken(0, where+": deletion differs from the audit log")
		}
	}
	if err := vrows.Err(); err != nil {
		return rep, fmt.Errorf("read versions: %w", classify(err, s.path))
	}
	return rep, nil
}
