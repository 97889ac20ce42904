package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/textkey"
	"github.com/kordon/kordon/internal/tracing"
)

// Meta keys every data folder has once set up.
const (
	MetaDeviceID = "device_id"
	MetaPostCode = "post_code"
	MetaPostName = "post_name"
)

// Audit actions.
const (
	ActionCreate   = "create"
	ActionEdit     = "edit"
	ActionFinalise = "finalise"
	ActionVersion  = "new_version"
	ActionDelete   = "delete"
)

// Save writes one record, with the attachments its photos refer to, in one
// transaction. A record not yet in the store is created: it gets version 1,
// this device as its origin and, if it has none, the post's next number. A
// draft is updated in place; a final record is never changed: the save
// becomes its next version. Invalid records are refused with record.Errors.
func (s *Store) Save(ctx context.Context, in *record.Interdiction, actor string, media ...[]byte) error {
	return s.write(ctx, []*record.Interdiction{in}, actor, media, false, false)
}

// Add creates records that must all be new, in one transaction: if any one
// is invalid or already stored, none is written. Problems carry the record's
// position as a path prefix, e.g. "[3].items[0].quantity".
func (s *Store) Add(ctx context.Context, ins []*record.Interdiction, actor string, media ...[]byte) error {
	return s.write(ctx, ins, actor, media, true, true)
}

// Source is a record taken in from outside (a JSON file) and the
// fingerprint of the input it came from: the SHA-256 of that input.
type Source struct {
	Record *record.Interdiction
	// Input is the fingerprint; "" keeps no note of it.
	Input string
	// Pos is the record's position in the input, put before its problems.
	Pos int
}

// AddFrom creates records taken in from outside, in one transaction, all
// or nothing, as Add does, and keeps the fingerprint of each one's input.
// A record whose input was taken in before is left out, and returned under
// its position: running the same intake again after a crash adds nothing
// twice.
func (s *Store) AddFrom(ctx context.Context, ins []Source, actor string, media ...[]byte) (map[int]Added, error) {
	before := map[int]Added{}
	err := s.update(ctx, actor, func(b *batch) error {
		for _, m := range media {
			if _, err := b.putMedia(ctx, m); err != nil {
				return err
			}
		}
		for i, src := range ins {
			if src.Input != "" {
				a, err := b.added(ctx, src.Input)
				if err != nil {
					return err
				}
				if a != nil {
					before[i] = *a
					continue
				}
			}
			if err := b.save(ctx, src.Record, true); err != nil {
				return prefixed(err, src.Pos)
			}
			if src.Input == "" {
				continue
			}
			if _, err := b.exec(ctx, "INSERT INTO intake (source, origin, record_id, added_utc) VALUES (?, ?, ?, ?)",
				src.Input, b.device, src.Record.ID.String(), utc(s.now())); err != nil {
				return fmt.Errorf("note intake of %s: %w", src.Record.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return before, nil
}

// added finds the record an earlier intake of input added, if it is still
// stored.
func (b *batch) added(ctx context.Context, input string) (*Added, error) {
	st, err := b.stmt(ctx, "SELECT r.id, r.number FROM intake i JOIN records r ON r.origin = i.origin AND r.id = i.record_id WHERE i.source = ?")
	if err != nil {
		return nil, err
	}
	var a Added
	err = st.QueryRowContext(ctx, input).Scan(&a.ID, &a.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read intake ledger: %w", err)
	}
	return &a, nil
}

// Create adds one record that must be new.
func (s *Store) Create(ctx context.Context, in *record.Interdiction, actor string, media ...[]byte) error {
	return s.write(ctx, []*record.Interdiction{in}, actor, media, true, false)
}

// Finalise locks the current draft of a record after checking it against the
// rules for final records.
func (s *Store) Finalise(ctx context.Context, id, actor string) error {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if cur.Record.Status == record.StatusFinal {
		return nil
	}
	cur.Record.Status = record.StatusFinal
	return s.Save(ctx, cur.Record, actor)
}

type head struct {
	rid     int64
	version int
	status  string
	deleted bool
	origin  string
	post    string
	number  string
	hash    string
}

// batch holds what one write transaction needs.
type batch struct {
	s        *Store
	tx       *sql.Tx
	device   string
	post     string // this folder's post code
	actor    string
	lastSeq  int64
	lastHash string
	stmts    map[string]*sql.Stmt
	// checkpointAt is when this batch wrote a checkpoint, if it did.
	checkpointAt time.Time
	// counters holds the numbering counters this batch read or moved,
	// written back at commit: a statement that returns rows would make
	// SQLite flush the full-text index for every record.
	counters map[counterKey]*counter
}

type counterKey struct {
	post string
	year int
}

type counter struct {
	last    int
	stored  bool
	changed bool
}

// stmt returns query prepared for this transaction. The statement is
// prepared once per store, and database/sql keeps it prepared on each
// connection, so a save does not parse its SQL again.
func (b *batch) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := b.stmts[query]; ok {
		return st, nil
	}
	prepared, err := b.s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	st := b.tx.StmtContext(ctx, prepared)
	b.stmts[query] = st
	return st, nil
}

func (b *batch) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := b.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (s *Store) begin(ctx context.Context, actor string) (*batch, error) {
	tx, err := s.beginOn(ctx, nil)
	if err != nil {
		return nil, err
	}
	b := &batch{s: s, tx: tx, actor: actor, stmts: map[string]*sql.Stmt{}, counters: map[counterKey]*counter{}}
	s.mu.Lock()
	b.device, b.post = s.device, s.post
	s.mu.Unlock()
	if b.device == "" {
		// Read once: a data folder's device and post never change once set up.
		err = tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", MetaDeviceID).Scan(&b.device)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && b.device == "") {
			tx.Rollback()
			return nil, newError(ErrNotInitialized, nil, "path", s.path)
		}
		if err == nil {
			err = tx.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", MetaPostCode).Scan(&b.post)
			if errors.Is(err, sql.ErrNoRows) {
				err = nil
			}
		}
		if err == nil {
			s.mu.Lock()
			s.device, s.post = b.device, b.post
			s.mu.Unlock()
		}
	}
	if err == nil {
		err = tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").Scan(&b.lastSeq, &b.lastHash)
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
	}
	if err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin write: %w", classify(err, s.path))
	}
	return b, nil
}

func (b *batch) rollback() { b.tx.Rollback() }

func (b *batch) commit() error {
	for k, c := range b.counters {
		if !c.changed {
			continue
		}
		q := "UPDATE counters SET last = ? WHERE post_code = ? AND year = ?"
		if !c.stored {
			q = "INSERT INTO counters (last, post_code, year) VALUES (?, ?, ?)"
		}
		if _, err := b.tx.Exec(q, c.last, k.post, k.year); err != nil {
			return fmt.Errorf("save numbering of %s %d: %w", k.post, k.year, err)
		}
	}
	if err := b.tx.Commit(); err != nil {
		return classify(err, b.s.path)
	}
	if !b.checkpointAt.IsZero() {
		b.s.mu.Lock()
		b.s.lastCheckpoint, b.s.lastCheckpointRead = b.checkpointAt, true
		b.s.mu.Unlock()
	}
	return nil
}

// update runs fn in one write transaction and commits it; if fn fails,
// nothing of it is kept.
func (s *Store) update(ctx context.Context, actor string, fn func(b *batch) error) error {
	b, err := s.begin(ctx, actor)
	if err != nil {
		return err
	}
	defer b.rollback()
	before := b.lastSeq
	if err := fn(b); err != nil {
		return classify(err, s.path)
	}
	if b.lastSeq > before {
		if err := b.anchorIfDue(ctx); err != nil {
			return classify(err, s.path)
		}
	}
	return b.commit()
}

func (s *Store) write(ctx context.Context, ins []*record.Interdiction, actor string, media [][]byte, createOnly, indexed bool) error {
	return s.update(ctx, actor, func(b *batch) error {
		for _, m := range media {
			if _, err := b.putMedia(ctx, m); err != nil {
				return err
			}
		}
		for i, in := range ins {
			if err := b.save(ctx, in, createOnly); err != nil {
				if indexed {
					return prefixed(err, i)
				}
				return err
			}
		}
		return nil
	})
}

// prefixed puts the record's position in a batch before the problem.
func prefixed(err error, i int) error {
	var errs record.Errors
	if errors.As(err, &errs) {
		return errs.Prefix(fmt.Sprintf("[%d]", i))
	}
	var se *Error
	if errors.As(err, &se) {
		return &Error{Key: se.Key, Args: append([]any{"index", i}, se.Args...), Err: se.Err}
	}
	return fmt.Errorf("record [%d]: %w", i, err)
}

// head reads the current state of the record with the given id made by
// device origin, or nil if there is none.
func (b *batch) head(ctx context.Context, origin, id string) (*head, error) {
	st, err := b.stmt(ctx, "SELECT r.rid, r.version, r.status, r.deleted, r.origin, r.post_code, r.number, v.hash FROM records r JOIN versions v ON v.rid = r.rid AND v.version = r.version WHERE r.origin = ? AND r.id = ?")
	if err != nil {
		return nil, err
	}
	h := &head{}
	err = st.QueryRowContext(ctx, origin, id).Scan(&h.rid, &h.version, &h.status, &h.deleted, &h.origin, &h.post, &h.number, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read record %s: %w", id, err)
	}
	return h, nil
}

func (b *batch) save(ctx context.Context, in *record.Interdiction, createOnly bool) error {
	in.Normalize()
	in.AssignIDs(b.device)
	id := in.ID.String()
	h, err := b.head(ctx, b.device, id)
	if err != nil {
		return err
	}
	action := ActionCreate
	switch {
	case h == nil:
		if (in.Origin != "" && in.Origin != b.device) || record.BindingOf(in.ID, b.device) == record.IDOfOther {
			return newError(ErrNotOwner, nil, "id", id, "number", in.Number)
		}
		if err := b.newRecord(in); err != nil {
			return err
		}
		in.Origin = b.device
		in.Version = 1
	case createOnly:
		return newError(ErrExists, nil, "id", id)
	case h.deleted:
		return newError(ErrDeleted, nil, "id", id, "number", h.number)
	case h.origin != b.device:
		return newError(ErrNotOwner, nil, "id", id, "number", h.number)
	case in.Version != 0 && in.Version != h.version:
		return newError(ErrStaleVersion, nil, "id", id, "have", in.Version, "current", h.version)
	default:
		in.Origin = h.origin
		in.PostCode = h.post
		in.Number = h.number
		if h.status == record.StatusFinal {
			in.Version = h.version + 1
			action = ActionVersion
		} else {
			in.Version = h.version
			action = ActionEdit
			if in.Status == record.StatusFinal {
				action = ActionFinalise
			}
		}
	}
	if err := in.Validate(b.s.now()); err != nil {
		return err
	}
	if h == nil {
		if in.Number, err = b.nextNumber(ctx, in); err != nil {
			return err
		}
	}
	for i, ph := range in.Photos {
		if err := b.requireMedia(ctx, ph.SHA256); err != nil {
			return &Error{Key: ErrMissingMedia.Key, Args: []any{"field", fmt.Sprintf("photos[%d]", i), "sha256", ph.SHA256}}
		}
	}
	content, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode record %s: %w", id, err)
	}
	sum := sha256.Sum256(content)
	hash := hex.EncodeToString(sum[:])
	if h != nil && action == ActionEdit && hash == h.hash {
		return nil // an autosave with nothing new
	}
	now := utc(b.s.now())
	rid, err := b.putHead(ctx, h, in, now)
	if err != nil {
		return err
	}
	if action == ActionEdit || action == ActionFinalise {
		_, err = b.exec(ctx, "UPDATE versions SET status = ?, hash = ?, saved_utc = ?, actor = ?, content = ? WHERE rid = ? AND version = ?",
			in.Status, hash, now, b.actor, content, rid, in.Version)
	} else {
		_, err = b.exec(ctx, "INSERT INTO versions (rid, version, status, hash, saved_utc, actor, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
			rid, in.Version, in.Status, hash, now, b.actor, content)
	}
	if err != nil {
		return fmt.Errorf("save record %s version %d: %w", id, in.Version, err)
	}
	if err := b.index(ctx, rid, in, h != nil); err != nil {
		return err
	}
	return b.audit(ctx, now, action, id, in.Version, hash)
}

// newRecord checks what a new record of this folder may not choose for
// itself: its number is given by the post that owns it, and it belongs to
// this folder's post (training records of several posts are made at a
// training office).
func (b *batch) newRecord(in *record.Interdiction) error {
	var errs record.Errors
	if in.Number != "" {
		errs = append(errs, &record.FieldError{Path: "number", Key: ErrSetByProgram})
	}
	if !in.Training && b.post != "" && in.PostCode != b.post {
		errs = append(errs, &record.FieldError{Path: "post_code", Key: ErrOtherPost, Args: []any{"value", in.PostCode, "post", b.post}})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Message keys of what a new record may not choose for itself.
const (
	ErrSetByProgram = "err.set_by_program" // {field} is given by the program
	ErrOtherPost    = "err.other_post"     // {value} is another post than {post}
)

func (b *batch) putHead(ctx context.Context, h *head, in *record.Interdiction, now string) (int64, error) {
	training := 0
	if in.Training {
		training = 1
	}
	occurred := utc(in.OccurredAt)
	month := in.OccurredAt.Format("2006-01")
	_, offset := in.OccurredAt.Zone()
	pieces, rounds := in.Counts()
	if h == nil {
		res, err := b.exec(ctx, `INSERT INTO records (id, origin, post_code, number, version, status, occurred_utc, occurred_month, occurred_offset, crossing_point, pieces, rounds, training, saved_utc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.ID.String(), in.Origin, in.PostCode, in.Number, in.Version, in.Status, occurred, month, offset, in.CrossingPoint, pieces, rounds, training, now)
		if err != nil {
			// The record's id was looked up in this transaction: only its
			// number can be taken.
			if uniqueViolation(err) {
				return 0, newError(ErrNumberTaken, err, "number", in.Number)
			}
			return 0, fmt.Errorf("save record %s: %w", in.ID, err)
		}
		return res.LastInsertId()
	}
	_, err := b.exec(ctx, `UPDATE records SET version = ?, status = ?, occurred_utc = ?, occurred_month = ?, occurred_offset = ?, crossing_point = ?, pieces = ?, rounds = ?, training = ?, saved_utc = ? WHERE rid = ?`,
		in.Version, in.Status, occurred, month, offset, in.CrossingPoint, pieces, rounds, training, now, h.rid)
	if err != nil {
		return 0, fmt.Errorf("save record %s: %w", in.ID, err)
	}
	return h.rid, nil
}

// nextNumber gives the post's next number for the record's year.
func (b *batch) nextNumber(ctx context.Context, in *record.Interdiction) (string, error) {
	k := counterKey{in.PostCode, in.OccurredAt.Year()}
	c, ok := b.counters[k]
	if !ok {
		c = &counter{}
		err := b.tx.QueryRowContext(ctx, "SELECT last FROM counters WHERE post_code = ? AND year = ?", k.post, k.year).Scan(&c.last)
		switch {
		case err == nil:
			c.stored = true
		case !errors.Is(err, sql.ErrNoRows):
			return "", fmt.Errorf("number for %s %d: %w", k.post, k.year, err)
		}
		b.counters[k] = c
	}
	c.last++
	c.changed = true
	return fmt.Sprintf("%s-%d-%04d", k.post, k.year, c.last), nil
}

// insertItem is the row of an item of a record's current version.
const insertItem = "INSERT INTO items (rid, idx, kind, category, calibre, quantity, rounds, item_id, traced, make, model, serial) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

// tracedValue is what the items table keeps of whether an item of record
// in is traced: 0 not (nor any item of a draft), 1 yes, 2 yes in a
// training record.
func tracedValue(it *record.Item, in *record.Interdiction) int {
	switch {
	case !tracing.Applies(it) || in.Status != record.StatusFinal:
		return 0
	case in.Training:
		return 2
	}
	return 1
}

// itemMarks are the make, model and first serial number of an item, as the
// items table keeps them.
func itemMarks(it *record.Item) (make, model, serial string) {
	switch {
	case it.Firearm != nil:
		make, model = it.Firearm.Make, it.Firearm.Model
	case it.Part != nil:
		make, model = it.Part.Make, it.Part.Model
	}
	if ss := it.Serials(); len(ss) > 0 {
		serial = ss[0].Number
	}
	return make, model, serial
}

// index rebuilds the derived rows of the record's current version: items,
// serial keys and the full-text row.
func (b *batch) index(ctx context.Context, rid int64, in *record.Interdiction, existed bool) error {
	if existed {
		if err := b.unindex(ctx, rid); err != nil {
			return err
		}
	}
	for i := range in.Items {
		it := &in.Items[i]
		rounds := 0
		if it.Kind == record.KindAmmunition && it.Ammunition != nil {
			rounds = it.Ammunition.Rounds
		}
		mk, model, serial := itemMarks(it)
		if _, err := b.exec(ctx, insertItem, rid, i, it.Kind, it.Category(), it.CalibreOf().Code, it.Quantity, rounds, it.ID.String(), tracedValue(it, in), mk, model, serial); err != nil {
			return fmt.Errorf("index item %d of %s: %w", i, in.ID, err)
		}
	}
	doc := searchDoc(in)
	for _, k := range doc.keys {
		if _, err := b.exec(ctx, "INSERT INTO serials (key, rid) VALUES (?, ?)", k, rid); err != nil {
			return fmt.Errorf("index serials of %s: %w", in.ID, err)
		}
	}
	if _, err := b.exec(ctx, "INSERT INTO search (rowid, serials, names, body) VALUES (?, ?, ?, ?)",
		rid, strings.Join(doc.keys, " "), doc.names, doc.body); err != nil {
		return fmt.Errorf("index text of %s: %w", in.ID, err)
	}
	st, err := b.stmt(ctx, insertIdent)
	if err != nil {
		return err
	}
	if err := putIdents(ctx, st, rid, in); err != nil {
		return fmt.Errorf("index identifiers of %s: %w", in.ID, err)
	}
	return nil
}

func (b *batch) unindex(ctx context.Context, rid int64) error {
	for _, q := range []string{
		"DELETE FROM items WHERE rid = ?",
		"DELETE FROM serials WHERE rid = ?",
		"DELETE FROM search WHERE rowid = ?",
		"DELETE FROM idents WHERE rid = ?",
	} {
		if _, err := b.exec(ctx, q, rid); err != nil {
			return fmt.Errorf("unindex record: %w", err)
		}
	}
	return nil
}

// document is what the search index holds of one record.
type document struct {
	keys  []string // identifier keys: serials, plates, VIN, containers, seals, documents
	names string   // people and organisations, folded and as Latin keys
	body  string   // everything else worth finding, folded
}

func searchDoc(in *record.Interdiction) document {
	var d document
	seen := map[string]bool{}
	var names, body []string
	searchFields(in, func(kind fieldKind, _, value string) {
		switch kind {
		case fieldKey:
			if k := textkey.Serial(value); k != "" && !seen[k] {
				seen[k] = true
				d.keys = append(d.keys, k)
			}
		case fieldName:
			names = append(names, textkey.Fold(value), textkey.Latin(value))
		case fieldText:
			body = append(body, textkey.Fold(value))
		}
	})
	d.names = strings.Join(names, " ")
	d.body = strings.Join(body, " ")
	return d
}

// audit appends one entry to the hash chain.
func (b *batch) audit(ctx context.Context, at, action, recordID string, version int, contentHash string) error {
	return b.append(ctx, AuditEntry{Seq: b.lastSeq + 1, At: at, Actor: b.actor, Action: action, RecordID: recordID, Version: version, ContentHash: contentHash, Prev: b.lastHash})
}

// append hashes e and appends it to the chain.
func (b *batch) append(ctx context.Context, e AuditEntry) error {
	if !separable(&e) {
		return fmt.Errorf("audit entry %d: a field holds a zero byte", e.Seq)
	}
	e.Hash = entryHash(&e)
	if _, err := b.exec(ctx, "INSERT INTO audit (seq, at_utc, actor, action, record_id, version, content_hash, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e.Seq, e.At, e.Actor, e.Action, e.RecordID, e.Version, e.ContentHash, e.Prev, e.Hash); err != nil {
		return fmt.Errorf("append audit entry: %w", err)
	}
	b.lastSeq, b.lastHash = e.Seq, e.Hash
	return nil
}

// Delete marks a record of this folder (an id or a Ref) deleted. Its versions stay; it leaves lists, search
// and statistics.
func (s *Store) Delete(ctx context.Context, ref, actor string) error {
	origin, id := splitRef(ref)
	return s.update(ctx, actor, func(b *batch) error {
		if origin != "" && origin != b.device {
			return newError(ErrNotOwner, nil, "id", id, "number", "")
		}
		h, err := b.head(ctx, b.device, id)
		switch {
		case err != nil:
			return err
		case h == nil:
			return newError(ErrNotFound, nil, "id", id)
		case h.deleted:
			return nil
		case h.origin != b.device:
			return newError(ErrNotOwner, nil, "id", id, "number", h.number)
		}
		if _, err := b.exec(ctx, "UPDATE records SET deleted = 1, saved_utc = ? WHERE rid = ?", utc(s.now()), h.rid); err != nil {
			return fmt.Errorf("delete record %s: %w", id, err)
		}
		if err := b.unindex(ctx, h.rid); err != nil {
			return err
		}
		return b.audit(ctx, utc(s.now()), ActionDelete, id, h.version, h.hash)
	})
}
