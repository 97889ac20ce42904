package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// ActionTrace is the audit action of a state of tracing an item: its
// record_id is traceAuditID, its version the state's number, its content
// hash traceHash of the state's body.
const ActionTrace = "trace"

// Refusals of a trace.
var (
	// ErrNotTraced: no firearm or major part of that id in a current record.
	ErrNotTraced = &Error{Key: "store.err.not_traced"}
	// ErrTraceStale: the trace changed since it was read.
	ErrTraceStale = &Error{Key: "store.err.trace_stale"}
)

// traceAuditID names a trace in the audit log: the record's ref and the
// item's id.
func traceAuditID(ref, itemID string) string { return "trace:" + ref + "#" + itemID }

func traceHash(body []byte) string { return SHA256(append([]byte("kordon-trace-v1\x00"), body...)) }

// ItemRecords are the refs of the current records that hold an item of id
// itemID, and whether it is traced there (tracing.Applies).
func (s *Store) ItemRecords(ctx context.Context, itemID string) (refs []string, traced []bool, err error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.origin, r.id, i.traced FROM items i JOIN records r ON r.rid = i.rid
		WHERE i.item_id = ? AND r.deleted = 0 ORDER BY r.rid LIMIT 10`, itemID)
	if err != nil {
		return nil, nil, fmt.Errorf("find item %s: %w", itemID, classify(err, s.path))
	}
	defer rows.Close()
	for rows.Next() {
		var origin, id string
		var t int
		if err := rows.Scan(&origin, &id, &t); err != nil {
			return nil, nil, fmt.Errorf("find item %s: %w", itemID, err)
		}
		refs, traced = append(refs, Ref(origin, id)), append(traced, t != 0)
	}
	return refs, traced, rows.Err()
}

// Trace is the newest state of tracing item itemID of record ref, nil if
// none was recorded.
func (s *Store) Trace(ctx context.Context, ref, itemID string) (*view.TraceState, error) {
	h, err := s.TraceHistory(ctx, ref, itemID)
	if err != nil || len(h) == 0 {
		return nil, err
	}
	return &h[len(h)-1], nil
}

// TraceHistory is every state of tracing item itemID of record ref,
// oldest first.
func (s *Store) TraceHistory(ctx context.Context, ref, itemID string) ([]view.TraceState, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT version, body, actor, at_utc FROM trace_versions WHERE rid = ? AND item_id = ? ORDER BY version", rid, itemID)
	if err != nil {
		return nil, fmt.Errorf("read the tracing of item %s: %w", itemID, classify(err, s.path))
	}
	defer rows.Close()
	var out []view.TraceState
	for rows.Next() {
		var st view.TraceState
		var body []byte
		var at string
		if err := rows.Scan(&st.Version, &body, &st.Actor, &at); err != nil {
			return nil, fmt.Errorf("read the tracing of item %s: %w", itemID, err)
		}
		if st.Trace, err = decodeTrace(body); err != nil {
			return nil, fmt.Errorf("read the tracing of item %s: %w", itemID, err)
		}
		st.At, _ = time.Parse(timeLayout, at)
		out = append(out, st)
	}
	return out, rows.Err()
}

func decodeTrace(body []byte) (*tracing.Trace, error) {
	t := new(tracing.Trace)
	if err := json.Unmarshal(body, t); err != nil {
		return nil, fmt.Errorf("decode stored trace: %w", err)
	}
	return t, nil
}

// PutTrace keeps t as the next state of tracing item itemID of record
// ref, audited, and returns it. prev is the number of the state t was
// made from (0 for none): if another state was kept since, nothing is
// kept and the error is ErrTraceStale. The item must be a traced item of
// the record's current version (ErrNotTraced). The caller checks t
// (tracing.Check).
func (s *Store) PutTrace(ctx context.Context, ref, itemID string, prev int, t *tracing.Trace, actor string) (*view.TraceState, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("trace of item %s: %w", itemID, err)
	}
	st := &view.TraceState{Trace: t, Actor: actor}
	err = s.update(ctx, actor, func(b *batch) error {
		var live int
		err := b.tx.QueryRowContext(ctx, "SELECT traced FROM items WHERE rid = ? AND item_id = ? AND traced != 0", rid, itemID).Scan(&live)
		if errors.Is(err, sql.ErrNoRows) {
			return newError(ErrNotTraced, nil, "item", itemID)
		}
		if err != nil {
			return fmt.Errorf("trace of item %s: %w", itemID, err)
		}
		var cur int
		err = b.tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM trace_versions WHERE rid = ? AND item_id = ?", rid, itemID).Scan(&cur)
		if err != nil {
			return fmt.Errorf("trace of item %s: %w", itemID, err)
		}
		if cur != prev {
			return newError(ErrTraceStale, nil, "item", itemID)
		}
		now := s.now()
		st.Version, st.At = cur+1, now.UTC().Truncate(time.Microsecond)
		at := utc(now)
		if _, err := b.exec(ctx, "INSERT INTO trace_versions (rid, item_id, version, body, actor, at_utc) VALUES (?, ?, ?, ?, ?, ?)",
			rid, itemID, st.Version, body, actor, at); err != nil {
			return fmt.Errorf("keep the trace of item %s: %w", itemID, err)
		}
		// An upsert, not a replace: the counting triggers see the update.
		if _, err := b.exec(ctx, `INSERT INTO traces (rid, item_id, status, due, version, at_utc, live) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (rid, item_id) DO UPDATE SET status = excluded.status, due = excluded.due, version = excluded.version,
			at_utc = excluded.at_utc, live = excluded.live`,
			rid, itemID, t.Status, t.NextDue(), st.Version, at, live); err != nil {
			return fmt.Errorf("keep the trace of item %s: %w", itemID, err)
		}
		return b.audit(ctx, at, ActionTrace, traceAuditID(ref, itemID), st.Version, traceHash(body))
	})
	if err != nil {
		return nil, err
	}
	st.At, _ = time.Parse(timeLayout, utc(st.At))
	return st, nil
}

// traceColumns are what a row of the work list reads, for traceRows.
const traceColumns = "i.rid, i.item_id, i.idx, i.category, i.calibre, i.make, i.model, i.serial, r.origin, r.id, r.number, r.post_code, r.occurred_utc, r.occurred_offset, coalesce(v.version, 0), coalesce(v.body, ''), coalesce(v.actor, ''), coalesce(v.at_utc, '')"

// TraceList is the tracing work list f chooses, and its counts.
func (s *Store) TraceList(ctx context.Context, f view.TraceFilter) (*view.TraceList, error) {
	if f.Today == "" {
		f.Today = s.now().UTC().Format(time.DateOnly)
	}
	out := &view.TraceList{ByStatus: map[string]int{}, Items: []view.TracedItem{}}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read the tracing work list: %w", classify(err, s.path))
	}
	defer tx.Rollback()
	// Traced items of training records only where f asks for them.
	set := "(1)"
	if f.Training {
		set = "(1, 2)"
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM items WHERE traced IN "+set).Scan(&out.Traced); err != nil {
		return nil, fmt.Errorf("read the tracing work list: %w", classify(err, s.path))
	}
	rows, err := tx.QueryContext(ctx, "SELECT status, sum(n) FROM trace_counts WHERE live IN "+set+" GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("read the tracing work list: %w", classify(err, s.path))
	}
	recorded := 0
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the tracing work list: %w", err)
		}
		if status != tracing.NotAttempted {
			out.ByStatus[status] += n
			recorded += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the tracing work list: %w", classify(err, s.path))
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM traces WHERE due != '' AND due < ? AND live IN "+set, f.Today).Scan(&out.Overdue); err != nil {
		return nil, fmt.Errorf("read the tracing work list: %w", classify(err, s.path))
	}
	out.ByStatus[tracing.NotAttempted] = out.Traced - recorded
	switch {
	case f.Overdue:
		out.Matched = out.Overdue
	case f.Status != "":
		out.Matched = out.ByStatus[f.Status]
	default:
		out.Matched = out.Traced
	}

	traced := ` FROM traces t JOIN items i ON i.rid = t.rid AND i.item_id = t.item_id JOIN records r ON r.rid = t.rid
		JOIN trace_versions v ON v.rid = t.rid AND v.item_id = t.item_id AND v.version = t.version WHERE t.live IN ` + set + ` AND `
	// CROSS JOIN keeps SQLite reading the records newest first and
	// stopping at the limit, rather than sorting every traced item.
	notAttempted := `SELECT ` + traceColumns + ` FROM records r CROSS JOIN items i ON i.rid = r.rid AND i.traced IN ` + set + `
		LEFT JOIN traces t ON t.rid = i.rid AND t.item_id = i.item_id
		LEFT JOIN trace_versions v ON v.rid = t.rid AND v.item_id = t.item_id AND v.version = t.version
		WHERE r.deleted = 0 AND (t.rid IS NULL OR t.status = '` + tracing.NotAttempted + `')
		ORDER BY r.occurred_utc DESC, r.rid DESC, i.idx LIMIT ?`
	type segment struct {
		query string
		args  []any
	}
	sel := "SELECT " + traceColumns + traced
	var segs []segment
	// Each part in the order of an index: overdue and open requests by
	// the day due (traces_due), the rest by status and time (traces_status).
	const byDue = " ORDER BY t.due, t.at_utc, t.rid, t.item_id LIMIT ?"
	const newest = " ORDER BY t.at_utc DESC, t.rid DESC, t.item_id DESC LIMIT ?"
	switch {
	case f.Overdue:
		segs = []segment{{sel + "t.due != '' AND t.due < ?" + byDue, []any{f.Today}}}
	case f.Status == tracing.NotAttempted:
		segs = []segment{{notAttempted, nil}}
	case f.Status != "":
		segs = []segment{
			{sel + "t.status = ? AND t.due != ''" + byDue, []any{f.Status}},
			{sel + "t.status = ? AND t.due = ''" + newest, []any{f.Status}},
		}
	default:
		segs = []segment{
			{sel + "t.due != ''" + byDue, nil},
			{sel + "t.status = ? AND t.due = '' ORDER BY t.at_utc, t.rid, t.item_id LIMIT ?", []any{tracing.RequestSent}},
			{sel + "t.status = ? AND t.due = ''" + newest, []any{tracing.AnswerInsufficient}},
			{notAttempted, nil},
		}
		for _, st := range []string{tracing.EstablishedTracing, tracing.EstablishedAuthority, tracing.NotTraceable} {
			segs = append(segs, segment{sel + "t.status = ? AND t.due = ''" + newest, []any{st}})
		}
	}
	for _, sg := range segs {
		left := -1
		if f.Limit > 0 {
			if left = f.Limit - len(out.Items); left <= 0 {
				break
			}
		}
		got, err := s.traceRows(ctx, tx, sg.query, append(sg.args, left), f.Today)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, got...)
	}
	return out, nil
}

// traceRows reads the rows of one segment of the work list, each with
// its trace's newest state.
func (s *Store) traceRows(ctx context.Context, tx *sql.Tx, query string, args []any, today string) ([]view.TracedItem, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read the tracing work list: %w", classify(err, s.path))
	}
	defer rows.Close()
	var out []view.TracedItem
	for rows.Next() {
		var it view.TracedItem
		var rid int64
		var origin, id, occurred, body, at string
		var offset int
		st := &view.TraceState{}
		if err := rows.Scan(&rid, &it.ItemID, &it.Item, &it.Category, &it.Calibre, &it.Make, &it.Model, &it.Serial,
			&origin, &id, &it.Number, &it.PostCode, &occurred, &offset, &st.Version, &body, &st.Actor, &at); err != nil {
			return nil, fmt.Errorf("read the tracing work list: %w", err)
		}
		it.Ref, it.Item, it.Status = Ref(origin, id), it.Item+1, tracing.NotAttempted
		if t, err := time.Parse(timeLayout, occurred); err == nil {
			it.At = t.In(time.FixedZone("", offset))
		}
		if st.Version > 0 {
			if st.Trace, err = decodeTrace([]byte(body)); err != nil {
				return nil, fmt.Errorf("read the tracing work list: %w", err)
			}
			st.At, _ = time.Parse(timeLayout, at)
			it.State, it.Status, it.Overdue = st, st.Trace.Status, st.Trace.Overdue(today)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// backfillItems gives the items of every record's current version their
// ids and marks the traced ones, as migration 14 needs.
func backfillItems(ctx context.Context, tx *sql.Tx) error {
	upd, err := tx.PrepareContext(ctx, "UPDATE items SET item_id = ?, traced = ?, make = ?, model = ?, serial = ? WHERE rid = ? AND idx = ?")
	if err != nil {
		return err
	}
	defer upd.Close()
	var last int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT r.rid, v.content FROM records r JOIN versions v ON v.rid = r.rid AND v.version = r.version
			WHERE r.deleted = 0 AND r.rid > ? ORDER BY r.rid LIMIT 2000`, last)
		if err != nil {
			return fmt.Errorf("read records: %w", err)
		}
		type row struct {
			rid     int64
			content []byte
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.rid, &r.content); err != nil {
				rows.Close()
				return fmt.Errorf("read records: %w", err)
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read records: %w", err)
		}
		if len(batch) == 0 {
			return nil
		}
		for _, r := range batch {
			in, err := decode(r.content)
			if err != nil {
				return fmt.Errorf("record %d: %w", r.rid, err)
			}
			for i := range in.Items {
				it := &in.Items[i]
				mk, model, serial := itemMarks(it)
				if _, err := upd.ExecContext(ctx, it.ID.String(), tracedValue(it, in), mk, model, serial, r.rid, i); err != nil {
					return fmt.Errorf("item %d of record %d: %w", i, r.rid, err)
				}
			}
			last = r.rid
		}
	}
}

// checkTraces checks every state of tracing against the audit chain
// (logged, by audit record_id and version), and the work list's rows
// against the newest states.
func (s *Store) checkTraces(ctx context.Context, logged map[string]AuditEntry) error {
	rows, err := s.db.QueryContext(ctx, `SELECT v.rid, r.origin, r.id, v.item_id, v.version, v.body, v.actor, v.at_utc,
		coalesce(t.version, 0), coalesce(t.status, ''), coalesce(t.due, '')
		FROM trace_versions v JOIN records r ON r.rid = v.rid
		LEFT JOIN traces t ON t.rid = v.rid AND t.item_id = v.item_id
		ORDER BY v.rid, v.item_id, v.version`)
	if err != nil {
		return fmt.Errorf("read traces: %w", classify(err, s.path))
	}
	defer rows.Close()
	n := 0
	lastItem, lastVersion, lastNewest := "", 0, 0
	ended := func() error {
		if lastItem != "" && lastVersion != lastNewest {
			return broken(0, fmt.Sprintf("trace of item %s: the work list holds trace %d of %d", lastItem, lastNewest, lastVersion))
		}
		return nil
	}
	for rows.Next() {
		var rid int64
		var origin, id, item, actor, at, status, due string
		var version, newest int
		var body []byte
		if err := rows.Scan(&rid, &origin, &id, &item, &version, &body, &actor, &at, &newest, &status, &due); err != nil {
			return fmt.Errorf("read traces: %w", err)
		}
		if key := fmt.Sprint(rid, "#", item); key != lastItem {
			if err := ended(); err != nil {
				return err
			}
			lastItem = key
		}
		lastVersion, lastNewest = version, newest
		e, ok := logged[traceAuditID(Ref(origin, id), item)+"\x00"+fmt.Sprint(version)]
		if !ok || e.ContentHash != traceHash(body) || e.Actor != actor || e.At != at {
			return broken(0, fmt.Sprintf("trace %d of item %s: differs from the audit log", version, item))
		}
		if version == newest {
			t, err := decodeTrace(body)
			if err != nil || t.Status != status || t.NextDue() != due {
				return broken(0, fmt.Sprintf("trace of item %s: the work list differs from trace %d", item, version))
			}
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read traces: %w", classify(err, s.path))
	}
	if err := ended(); err != nil {
		return err
	}
	var miscounted int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM trace_counts c WHERE c.n !=
		(SELECT count(*) FROM traces t WHERE t.live = c.live AND t.status = c.status)`).Scan(&miscounted); err != nil {
		return fmt.Errorf("read traces: %w", classify(err, s.path))
	}
	if miscounted > 0 {
		return broken(0, "the tracing work list's counts differ from its items")
	}
	var rowsNow, items, wrongLive int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM traces), (SELECT count(DISTINCT rid || '#' || item_id) FROM trace_versions),
		(SELECT count(*) FROM traces t WHERE t.live != coalesce((SELECT i.traced FROM items i WHERE i.rid = t.rid AND i.item_id = t.item_id), 0))`).Scan(&rowsNow, &items, &wrongLive); err != nil {
		return fmt.Errorf("read traces: %w", classify(err, s.path))
	}
	switch {
	case wrongLive > 0:
		return broken(0, fmt.Sprintf("%d items on the tracing work list that are not in their records, or the other way", wrongLive))
	case n != len(logged):
		return broken(0, fmt.Sprintf("%d traces, %d in the audit log", n, len(logged)))
	case rowsNow != items:
		return broken(0, fmt.Sprintf("%d items on the tracing work list, %d traced", rowsNow, items))
	}
	return nil
}

// traceLogKey is the key of a trace's audit entry in checkTraces' map.
func traceLogKey(e AuditEntry) string { return e.RecordID + "\x00" + fmt.Sprint(e.Version) }

// checkItems checks the items rows against every current record: the
// work list and the statistics read them, so a row changed behind the
// program's back (a weapon taken off the list, a serial shown false) is
// found like a changed record.
func (s *Store) checkItems(ctx context.Context) error {
	recs, err := s.db.QueryContext(ctx, `SELECT r.rid, v.content FROM records r JOIN versions v ON v.rid = r.rid AND v.version = r.version
		WHERE r.deleted = 0 ORDER BY r.rid`)
	if err != nil {
		return fmt.Errorf("read records: %w", classify(err, s.path))
	}
	defer recs.Close()
	held, err := s.db.QueryContext(ctx, "SELECT rid, idx, kind, category, calibre, quantity, rounds, item_id, traced, make, model, serial FROM items ORDER BY rid, idx")
	if err != nil {
		return fmt.Errorf("read items: %w", classify(err, s.path))
	}
	defer held.Close()
	type row struct {
		rid                                                  int64
		idx, quantity, rounds, traced                        int
		kind, category, calibre, itemID, make, model, serial string
	}
	var next *row
	read := func() error {
		next = nil
		if !held.Next() {
			return held.Err()
		}
		r := &row{}
		if err := held.Scan(&r.rid, &r.idx, &r.kind, &r.category, &r.calibre, &r.quantity, &r.rounds, &r.itemID, &r.traced, &r.make, &r.model, &r.serial); err != nil {
			return fmt.Errorf("read items: %w", err)
		}
		next = r
		return nil
	}
	if err := read(); err != nil {
		return err
	}
	for recs.Next() {
		var rid int64
		var content []byte
		if err := recs.Scan(&rid, &content); err != nil {
			return fmt.Errorf("read records: %w", err)
		}
		if next != nil && next.rid < rid {
			return broken(0, fmt.Sprintf("item %d of no current record", next.idx))
		}
		in, err := decode(content)
		if err != nil {
			return broken(0, fmt.Sprintf("record %d: content", rid))
		}
		for i := range in.Items {
			it := &in.Items[i]
			rounds := 0
			if it.Kind == record.KindAmmunition && it.Ammunition != nil {
				rounds = it.Ammunition.Rounds
			}
			mk, model, serial := itemMarks(it)
			want := row{rid: rid, idx: i, quantity: it.Quantity, rounds: rounds, traced: tracedValue(it, in), kind: it.Kind,
				category: it.Category(), calibre: it.CalibreOf().Code, itemID: it.ID.String(), make: mk, model: model, serial: serial}
			if next == nil || *next != want {
				return broken(0, fmt.Sprintf("record %s: item %d differs from its current version", in.Number, i+1))
			}
			if err := read(); err != nil {
				return err
			}
		}
		if next != nil && next.rid == rid {
			return broken(0, fmt.Sprintf("record %s: an item %d it does not hold", in.Number, next.idx+1))
		}
	}
	if err := recs.Err(); err != nil {
		return fmt.Errorf("read records: %w", classify(err, s.path))
	}
	if next != nil {
		return broken(0, fmt.Sprintf("item %d of no current record", next.idx))
	}
	return nil
}
