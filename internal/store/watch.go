package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/view"
)

// Audit actions of the watch list: record_id "watch:" and the entry's id,
// content hash watchHash.
const (
	ActionWatch   = "watch"
	ActionUnwatch = "unwatch"
)

// WatchEntry is one entry of the watch list.
type WatchEntry = view.WatchEntry

func watchHash(e WatchEntry) string {
	return SHA256([]byte("kordon-watch-v1\x00" + e.ID + "\x00" + e.Kind + "\x00" + e.Value + "\x00" + e.Key + "\x00" + e.Reason + "\x00" + e.Until))
}

// AddWatch keeps a new watch list entry, audited.
func (s *Store) AddWatch(ctx context.Context, e WatchEntry, actor string) error {
	return s.update(ctx, actor, func(b *batch) error {
		now := utc(s.now())
		if _, err := b.exec(ctx, "INSERT INTO watch (id, kind, value, key, reason, until, added_by, added_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			e.ID, e.Kind, e.Value, e.Key, e.Reason, e.Until, actor, now); err != nil {
			return fmt.Errorf("add to the watch list: %w", err)
		}
		return b.audit(ctx, now, ActionWatch, "watch:"+e.ID, 0, watchHash(e))
	})
}

// RemoveWatch marks the entry id removed, audited; ErrNotFound if there
// is no such entry still on the list.
func (s *Store) RemoveWatch(ctx context.Context, id, actor string) error {
	return s.update(ctx, actor, func(b *batch) error {
		now := utc(s.now())
		res, err := b.exec(ctx, "UPDATE watch SET removed_utc = ? WHERE id = ? AND removed_utc IS NULL", now, id)
		if err != nil {
			return fmt.Errorf("remove from the watch list: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return newError(ErrNotFound, nil, "id", id)
		}
		return b.audit(ctx, now, ActionUnwatch, "watch:"+id, 0, "")
	})
}

// Watch are the entries on the watch list now (not removed, not past
// their last day), oldest first.
func (s *Store) Watch(ctx context.Context) ([]WatchEntry, error) {
	today := s.now().UTC().Format("2006-01-02")
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, value, key, reason, until, added_by, added_utc FROM watch
		WHERE removed_utc IS NULL AND (until = '' OR until >= ?) ORDER BY added_utc, id`, today)
	if err != nil {
		return nil, fmt.Errorf("read the watch list: %w", classify(err, s.path))
	}
	defer rows.Close()
	var out []WatchEntry
	for rows.Next() {
		var e WatchEntry
		var at string
		if err := rows.Scan(&e.ID, &e.Kind, &e.Value, &e.Key, &e.Reason, &e.Until, &e.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("read the watch list: %w", err)
		}
		e.AddedAt, _ = time.Parse(timeLayout, at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// MetaListsSequence is, at an office, the number of the last list file it
// wrote; at a post, of the last one it took.
const MetaListsSequence = "lists_sequence"

// NextListsSequence is the number of the next list file this office
// writes, noted at once: a file number is never given twice.
func (s *Store) NextListsSequence(ctx context.Context) (uint64, error) {
	var n uint64
	err := s.update(ctx, "", func(b *batch) error {
		var v string
		err := b.tx.QueryRowContext(ctx, "SELECT coalesce((SELECT value FROM meta WHERE key = ?), '0')", MetaListsSequence).Scan(&v)
		if err != nil {
			return fmt.Errorf("read the list file number: %w", err)
		}
		n, _ = strconv.ParseUint(v, 10, 64)
		n++
		_, err = b.exec(ctx, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", MetaListsSequence, strconv.FormatUint(n, 10))
		return err
	})
	return n, err
}

// KeepOfficeLists keeps, at a post, what its office's list file carries,
// in one transaction: the UN list (if info is not nil: a list not held
// yet), the whole watch list in place of the one held, and the file's
// number. Each is audited.
func (s *Store) KeepOfficeLists(ctx context.Context, info *ListInfo, content []byte, entries []WatchEntry, sequence uint64, fileSHA, actor string) error {
	if info != nil && SHA256(content) != info.SHA256 {
		return fmt.Errorf("list %s: the SHA-256 given is not the content's", info.Source)
	}
	return s.update(ctx, actor, func(b *batch) error {
		now := utc(s.now())
		if info != nil {
			if err := b.putList(ctx, *info, content); err != nil {
				return err
			}
		}
		if _, err := b.exec(ctx, "DELETE FROM watch"); err != nil {
			return fmt.Errorf("replace the watch list: %w", err)
		}
		for _, e := range entries {
			if _, err := b.exec(ctx, "INSERT INTO watch (id, kind, value, key, reason, until, added_by, added_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				e.ID, e.Kind, e.Value, e.Key, e.Reason, e.Until, e.AddedBy, now); err != nil {
				return fmt.Errorf("replace the watch list: %w", err)
			}
		}
		if _, err := b.exec(ctx, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", MetaListsSequence, strconv.FormatUint(sequence, 10)); err != nil {
			return fmt.Errorf("keep the list file's number: %w", err)
		}
		return b.audit(ctx, now, ActionWatch, watchOffice, 0, watchListHash(entries))
	})
}

// watchOffice is the record_id of the audit entry of a watch list a post
// took from its office.
const watchOffice = "watch:office"

// watchListHash is the content hash of a whole watch list, in id order.
func watchListHash(entries []WatchEntry) string {
	sorted := append([]WatchEntry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	var b strings.Builder
	for _, e := range sorted {
		b.WriteString(watchHash(e))
		b.WriteByte('\n')
	}
	return SHA256([]byte(b.String()))
}

// checkWatch checks the watch list against the audit chain: at an office
// each entry as it was added (logged, by id) and removed exactly when a
// removal was logged; at a post the whole list as its office's last file
// brought it (office, the last logged hash).
func (s *Store) checkWatch(ctx context.Context, logged map[string]AuditEntry, removed map[string]bool, office string) error {
	rows, err := s.db.QueryContext(ctx, "SELECT id, kind, value, key, reason, until, removed_utc FROM watch ORDER BY id")
	if err != nil {
		return fmt.Errorf("read the watch list: %w", classify(err, s.path))
	}
	defer rows.Close()
	var all []WatchEntry
	for rows.Next() {
		var e WatchEntry
		var gone sql.NullString
		if err := rows.Scan(&e.ID, &e.Kind, &e.Value, &e.Key, &e.Reason, &e.Until, &gone); err != nil {
			return fmt.Errorf("read the watch list: %w", err)
		}
		all = append(all, e)
		if office != "" {
			continue
		}
		l, ok := logged[e.ID]
		if !ok || l.ContentHash != watchHash(e) || gone.Valid != removed[e.ID] {
			return broken(0, fmt.Sprintf("watch list entry %s: differs from the audit log", e.ID))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the watch list: %w", classify(err, s.path))
	}
	switch {
	case office != "" && watchListHash(all) != office:
		return broken(0, "the watch list differs from the one the office's file brought")
	case office == "" && len(all) != len(logged):
		return broken(0, fmt.Sprintf("%d watch list entries, %d in the audit log", len(all), len(logged)))
	}
	return nil
}
