package store

import (
	"context"
	"fmt"
	"time"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/view"
)

// Remark is an office's own remark on a record it received.
type Remark = view.Remark

// AddRemark keeps the remark text, by actor, on the record ref; remarks are
// never changed or taken back (the table refuses it). The text is checked
// as record.ValidateRemark does.
func (s *Store) AddRemark(ctx context.Context, ref, text, actor string) error {
	if err := record.ValidateRemark(text); err != nil {
		return err
	}
	cur, err := s.Get(ctx, ref)
	if err != nil {
		return err
	}
	in := cur.Record
	return s.update(ctx, actor, func(b *batch) error {
		if _, err := b.exec(ctx, "INSERT INTO remarks (origin, record_id, text, actor, at_utc) VALUES (?, ?, ?, ?, ?)",
			in.Origin, in.ID.String(), text, actor, utc(s.now())); err != nil {
			return fmt.Errorf("add remark to %s: %w", in.Number, err)
		}
		return nil
	})
}

// Remarks are the remarks on the record ref, oldest first.
func (s *Store) Remarks(ctx context.Context, ref string) ([]Remark, error) {
	cur, err := s.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT text, actor, at_utc FROM remarks WHERE origin = ? AND record_id = ? ORDER BY seq",
		cur.Record.Origin, cur.Record.ID.String())
	if err != nil {
		return nil, fmt.Errorf("read remarks: %w", classify(err, s.path))
	}
	defer rows.Close()
	var out []Remark
	for rows.Next() {
		var r Remark
		var at string
		if err := rows.Scan(&r.Text, &r.Actor, &at); err != nil {
			return nil, fmt.Errorf("read remarks: %w", err)
		}
		r.At, _ = time.Parse(timeLayout, at)
		out = append(out, r)
	}
	return out, rows.Err()
}
