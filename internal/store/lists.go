package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/view"
)

// ActionList is the audit action of a sanctions list loaded: its
// record_id is the list's source, its content hash the file's SHA-256.
const ActionList = "list"

// ListInfo is what identifies a loaded sanctions list.
type ListInfo = view.ListInfo

// KeepList keeps the sanctions list file content of source, replacing the
// one held before, in one transaction with its audit entry. info.SHA256 must
// be the content's.
func (s *Store) KeepList(ctx context.Context, info ListInfo, content []byte, actor string) error {
	if SHA256(content) != info.SHA256 {
		return fmt.Errorf("list %s: the SHA-256 given is not the content's", info.Source)
	}
	return s.update(ctx, actor, func(b *batch) error { return b.putList(ctx, info, content) })
}

// putList keeps the list file content of info.Source in place of the one
// held, with its audit entry.
func (b *batch) putList(ctx context.Context, info ListInfo, content []byte) error {
	now := utc(b.s.now())
	if _, err := b.exec(ctx, `INSERT INTO lists (source, generated_utc, sha256, entries, loaded_utc, actor, content) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET generated_utc = excluded.generated_utc, sha256 = excluded.sha256, entries = excluded.entries,
		loaded_utc = excluded.loaded_utc, actor = excluded.actor, content = excluded.content`,
		info.Source, utc(info.Generated), info.SHA256, info.Entries, now, b.actor, content); err != nil {
		return fmt.Errorf("keep list %s: %w", info.Source, err)
	}
	return b.audit(ctx, now, ActionList, info.Source, 0, info.SHA256)
}

// ListSHA256 is the SHA-256 of the list of source held, "" if none: what
// tells whether a list prepared before is still the one held, without
// reading it.
func (s *Store) ListSHA256(ctx context.Context, source string) (string, error) {
	var sum string
	err := s.db.QueryRowContext(ctx, "SELECT sha256 FROM lists WHERE source = ?", source).Scan(&sum)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read list %s: %w", source, classify(err, s.path))
	}
	return sum, nil
}

// HeldList is the sanctions list of source as loaded, and its file; nil if
// none was.
func (s *Store) HeldList(ctx context.Context, source string) (*ListInfo, []byte, error) {
	info := &ListInfo{Source: source}
	var generated, loaded string
	var content []byte
	err := s.db.QueryRowContext(ctx, "SELECT generated_utc, sha256, entries, loaded_utc, actor, content FROM lists WHERE source = ?", source).
		Scan(&generated, &info.SHA256, &info.Entries, &loaded, &info.Actor, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read list %s: %w", source, classify(err, s.path))
	}
	info.Generated, _ = time.Parse(timeLayout, generated)
	info.LoadedAt, _ = time.Parse(timeLayout, loaded)
	if SHA256(content) != info.SHA256 {
		return nil, nil, broken(0, fmt.Sprintf("list %s: content changed", source))
	}
	return info, content, nil
}

// checkLists checks that each list held is the one the audit chain logged
// last for its source (logged: by source, the file's SHA-256).
func (s *Store) checkLists(ctx context.Context, logged map[string]string) error {
	rows, err := s.db.QueryContext(ctx, "SELECT source, sha256, content FROM lists")
	if err != nil {
		return fmt.Errorf("read lists: %w", classify(err, s.path))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var source, sum string
		var content []byte
		if err := rows.Scan(&source, &sum, &content); err != nil {
			return fmt.Errorf("read lists: %w", err)
		}
		if SHA256(content) != sum || logged[source] != sum {
			return broken(0, fmt.Sprintf("list %s: differs from the audit log", source))
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read lists: %w", classify(err, s.path))
	}
	if n != len(logged) {
		return broken(0, fmt.Sprintf("%d lists, %d in the audit log", n, len(logged)))
	}
	return nil
}

// EachCurrent calls fn with the current version of every record not
// deleted, training records only with training, in the order they were
// stored.
func (s *Store) EachCurrent(ctx context.Context, training bool, fn func(*record.Interdiction) error) error {
	var last int64
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT r.rid, v.content FROM records r JOIN versions v ON v.rid = r.rid AND v.version = r.version
			WHERE r.deleted = 0 AND (? OR r.training = 0) AND r.rid > ? ORDER BY r.rid LIMIT 1000`, training, last)
		if err != nil {
			return fmt.Errorf("read records: %w", classify(err, s.path))
		}
		var batch []*record.Interdiction
		for rows.Next() {
			var content []byte
			if err := rows.Scan(&last, &content); err != nil {
				rows.Close()
				return fmt.Errorf("read records: %w", err)
			}
			in, err := decode(content)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, in)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read records: %w", classify(err, s.path))
		}
		if len(batch) == 0 {
			return nil
		}
		for _, in := range batch {
			if err := fn(in); err != nil {
				return err
			}
		}
	}
}

// ActionDecide is the audit action of a decision on a hit of the
// sanctions list: its record_id is the record's ref, its version the
// decision's number, its content hash decisionHash.
const ActionDecide = "decide"

// Decision is what an officer or analyst decided of a hit.
type Decision = view.Decision

// Decide keeps a decision on a hit, in the decisions table and the audit
// chain.
func (s *Store) Decide(ctx context.Context, d Decision, actor string) error {
	origin, id := splitRef(d.Ref)
	return s.update(ctx, actor, func(b *batch) error {
		now := utc(s.now())
		res, err := b.exec(ctx, `INSERT INTO screening_decisions (subject, reference, verdict, note, origin, record_id, path, actor, at_utc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.Subject, d.Reference, d.Verdict, d.Note, origin, id, d.Path, actor, now)
		if err != nil {
			return fmt.Errorf("keep decision: %w", err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("keep decision: %w", err)
		}
		return b.audit(ctx, now, ActionDecide, d.Ref, int(seq), decisionHash(d))
	})
}

// decisionHash is the content hash the audit chain keeps of a decision.
func decisionHash(d Decision) string {
	return SHA256([]byte("kordon-decision-v1\x00" + d.Subject + "\x00" + d.Reference + "\x00" + d.Verdict + "\x00" + d.Note + "\x00" + d.Path))
}

// Decisions are the latest decision of every subject and entry decided,
// by subject and reference ("subject\x00reference").
func (s *Store) Decisions(ctx context.Context) (map[string]Decision, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT subject, reference, verdict, note, origin, record_id, path, actor, at_utc FROM screening_decisions ORDER BY seq")
	if err != nil {
		return nil, fmt.Errorf("read decisions: %w", classify(err, s.path))
	}
	defer rows.Close()
	out := map[string]Decision{}
	for rows.Next() {
		var d Decision
		var origin, id, at string
		if err := rows.Scan(&d.Subject, &d.Reference, &d.Verdict, &d.Note, &origin, &id, &d.Path, &d.Actor, &at); err != nil {
			return nil, fmt.Errorf("read decisions: %w", err)
		}
		d.Ref = Ref(origin, id)
		d.At, _ = time.Parse(timeLayout, at)
		out[d.Subject+"\x00"+d.Reference] = d
	}
	return out, rows.Err()
}

// checkDecisions checks that every decision is the one the audit chain
// logged (logged: by decision number).
func (s *Store) checkDecisions(ctx context.Context, logged map[int]AuditEntry) error {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, subject, reference, verdict, note, origin, record_id, path, actor, at_utc FROM screening_decisions ORDER BY seq")
	if err != nil {
		return fmt.Errorf("read decisions: %w", classify(err, s.path))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var seq int
		var d Decision
		var origin, id, at string
		if err := rows.Scan(&seq, &d.Subject, &d.Reference, &d.Verdict, &d.Note, &origin, &id, &d.Path, &d.Actor, &at); err != nil {
			return fmt.Errorf("read decisions: %w", err)
		}
		d.Ref = Ref(origin, id)
		e, ok := logged[seq]
		if !ok || e.ContentHash != decisionHash(d) || e.RecordID != d.Ref || e.Actor != d.Actor || e.At != at {
			return broken(0, fmt.Sprintf("decision %d: differs from the audit log", seq))
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read decisions: %w", classify(err, s.path))
	}
	if n != len(logged) {
		return broken(0, fmt.Sprintf("%d decisions, %d in the audit log", n, len(logged)))
	}
	return nil
}

// ActionAlert is the audit action of an alert a save raised: its
// record_id is the record's ref, its version the alert's number, its
// content hash alertHash.
const ActionAlert = "alert"

// Alert is a person or organisation of a record that a list names.
type Alert struct {
	Ref, Path, Reference, Who, Score string
}

func alertHash(a Alert) string {
	return SHA256([]byte("kordon-alert-v1\x00" + a.Ref + "\x00" + a.Path + "\x00" + a.Reference + "\x00" + a.Who + "\x00" + a.Score))
}

// KeepAlerts keeps the alerts not kept before (one for each record, path
// and entry), each with its audit entry, in one transaction; it reports
// how many were new.
func (s *Store) KeepAlerts(ctx context.Context, alerts []Alert, actor string) (int, error) {
	n := 0
	err := s.update(ctx, actor, func(b *batch) error {
		now := utc(s.now())
		for _, a := range alerts {
			origin, id := splitRef(a.Ref)
			res, err := b.exec(ctx, `INSERT OR IGNORE INTO alerts (origin, record_id, path, reference, who, score, actor, at_utc)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, origin, id, a.Path, a.Reference, a.Who, a.Score, actor, now)
			if err != nil {
				return fmt.Errorf("keep alert: %w", err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			seq, err := res.LastInsertId()
			if err != nil {
				return fmt.Errorf("keep alert: %w", err)
			}
			if err := b.audit(ctx, now, ActionAlert, a.Ref, int(seq), alertHash(a)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// checkAlerts checks that every alert is the one the audit chain logged.
func (s *Store) checkAlerts(ctx context.Context, logged map[int]AuditEntry) error {
	rows, err := s.db.QueryContext(ctx, "SELECT seq, origin, record_id, path, reference, who, score, actor, at_utc FROM alerts ORDER BY seq")
	if err != nil {
		return fmt.Errorf("read alerts: %w", classify(err, s.path))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var seq int
		var a Alert
		var origin, id, actor, at string
		if err := rows.Scan(&seq, &origin, &id, &a.Path, &a.Reference, &a.Who, &a.Score, &actor, &at); err != nil {
			return fmt.Errorf("read alerts: %w", err)
		}
		a.Ref = Ref(origin, id)
		e, ok := logged[seq]
		if !ok || e.ContentHash != alertHash(a) || e.RecordID != a.Ref || e.Actor != actor || e.At != at {
			return broken(0, fmt.Sprintf("alert %d: differs from the audit log", seq))
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read alerts: %w", classify(err, s.path))
	}
	if n != len(logged) {
		return broken(0, fmt.Sprintf("%d alerts, %d in the audit log", n, len(logged)))
	}
	return nil
}
