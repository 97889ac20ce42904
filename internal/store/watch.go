package store

import (
	"context"
	"fmt"
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

// MetaListsCreated is when the office wrote the list file a post holds.
const MetaListsCreated = "lists_created"

// KeepOfficeLists keeps, at a post, what its office's list file carries,
// in one transaction: the UN list (if info is not nil: a list not held
// yet), the whole watch list in place of the one held, and when the office
// wrote the file. Each is audited.
func (s *Store) KeepOfficeLists(ctx context.Context, info *ListInfo, content []byte, entries []WatchEntry, created time.Time, fileSHA, actor string) error {
	if info != nil && SHA256(content) != info.SHA256 {
		return fmt.Errorf("list %s: the SHA-256 given is not the content's", info.Source)
	}
	return s.update(ctx, actor, func(b *batch) error {
		now := utc(s.now())
		if info != nil {
			if _, err := b.exec(ctx, `INSERT INTO lists (source, generated_utc, sha256, entries, loaded_utc, actor, content) VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (source) DO UPDATE SET generated_utc = excluded.generated_utc, sha256 = excluded.sha256, entries = excluded.entries,
				loaded_utc = excluded.loaded_utc, actor = excluded.actor, content = excluded.content`,
				info.Source, utc(info.Generated), info.SHA256, info.Entries, now, actor, content); err != nil {
				return fmt.Errorf("keep list %s: %w", info.Source, err)
			}
			if err := b.audit(ctx, now, ActionList, info.Source, 0, info.SHA256); err != nil {
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
		if _, err := b.exec(ctx, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", MetaListsCreated, utc(created)); err != nil {
			return fmt.Errorf("keep the list file's date: %w", err)
		}
		return b.audit(ctx, now, ActionWatch, "watch:office", 0, fileSHA)
	})
}
