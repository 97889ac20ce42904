package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/fault"
	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
)

// ActionJudge is the audit action of an analyst's judgement of a cluster:
// its record_id is "link:" and the cluster id, its version the
// judgement's number, its content hash judgementHash.
const ActionJudge = "judge"

const insertIdent = "INSERT OR IGNORE INTO idents (kind, key, rid, label, partial, entity, country) VALUES (?, ?, ?, ?, ?, ?, ?)"

// putIdents writes the identifiers of the record's current version.
func putIdents(ctx context.Context, st *sql.Stmt, rid int64, in *record.Interdiction) error {
	for _, id := range idkey.Of(in) {
		if _, err := st.ExecContext(ctx, string(id.Kind), id.Key, rid, id.Label, id.Partial, id.Entity, id.Country); err != nil {
			return err
		}
	}
	return nil
}

// backfills run in the transaction of the migration they follow, after
// its SQL: what only Go can compute.
var backfills = map[int]func(context.Context, *sql.Tx) error{
	9:  backfillIdents,
	14: backfillItems,
}

// MetaIdkeyVersion names the idkey.Version the identifiers were made by.
const MetaIdkeyVersion = "idkey_version"

// reindexIfStale makes the identifiers again, in one transaction, when
// they were made by other key rules than this program's (idkey.Version):
// records indexed before and after a change must still meet.
func (s *Store) reindexIfStale(ctx context.Context) error {
	v, err := s.Meta(ctx, MetaIdkeyVersion)
	if err != nil || v == strconv.Itoa(idkey.Version) {
		return err
	}
	tx, err := s.beginOn(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another Kordon may have done it while this one waited for the lock.
	if err := tx.QueryRowContext(ctx, "SELECT coalesce((SELECT value FROM meta WHERE key = ?), '')", MetaIdkeyVersion).Scan(&v); err != nil {
		return fmt.Errorf("index identifiers again: %w", classify(err, s.path))
	}
	if v == strconv.Itoa(idkey.Version) {
		return nil
	}
	// The index by record is made again once the rows are in: faster
	// than keeping it row by row. Its text is migration 9's.
	for _, q := range []string{"DROP INDEX idents_rid", "DELETE FROM idents"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("index identifiers again: %w", classify(err, s.path))
		}
	}
	if err := backfillIdents(ctx, tx); err != nil {
		return fmt.Errorf("index identifiers again: %w", classify(err, s.path))
	}
	if _, err := tx.ExecContext(ctx, "CREATE INDEX idents_rid ON idents (rid)"); err != nil {
		return fmt.Errorf("index identifiers again: %w", classify(err, s.path))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("index identifiers again: %w", classify(err, s.path))
	}
	return nil
}

// backfillIdents fills the identifiers of every record from its current
// version, a batch of records at a time, and notes the key rules' version.
func backfillIdents(ctx context.Context, tx *sql.Tx) error {
	// Every record's keys go into one index: a larger page cache for the
	// while keeps it from being read back from disk (SQLite's default 2 MB).
	if _, err := tx.ExecContext(ctx, "PRAGMA cache_size = -65536"); err != nil {
		return err
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", MetaIdkeyVersion, strconv.Itoa(idkey.Version)); err != nil {
		return fmt.Errorf("note key version: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, insertIdent)
	if err != nil {
		return err
	}
	defer ins.Close()
	type row struct {
		rid     int64
		content []byte
	}
	var last int64
	for {
		rows, err := tx.QueryContext(ctx, `SELECT r.rid, v.content FROM records r JOIN versions v ON v.rid = r.rid AND v.version = r.version
			WHERE r.deleted = 0 AND r.rid > ? ORDER BY r.rid LIMIT 2000`, last)
		if err != nil {
			return fmt.Errorf("read records: %w", err)
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
			if err := putIdents(ctx, ins, r.rid, in); err != nil {
				return fmt.Errorf("index identifiers of %s: %w", in.ID, err)
			}
			last = r.rid
		}
	}
}

// TrainingOnly reports whether the folder holds training records and no
// others.
func (s *Store) TrainingOnly(ctx context.Context) (bool, error) {
	var only bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM records WHERE training = 1 AND deleted = 0)
		AND NOT EXISTS (SELECT 1 FROM records WHERE training = 0 AND deleted = 0)`).Scan(&only)
	if err != nil {
		return false, fmt.Errorf("read records: %w", classify(err, s.path))
	}
	return only, nil
}

// Idents are the identifiers the record ref carries, as indexed.
func (s *Store) Idents(ctx context.Context, ref string) ([]idkey.Ident, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.identsOf(ctx, rid)
}

func (s *Store) identsOf(ctx context.Context, rid int64) ([]idkey.Ident, error) {
	st, err := s.prepared(ctx, "SELECT kind, key, label, partial, entity, country FROM idents WHERE rid = ?")
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, rid)
	if err != nil {
		return nil, fmt.Errorf("read identifiers: %w", classify(err, s.path))
	}
	defer rows.Close()
	var out []idkey.Ident
	for rows.Next() {
		var id idkey.Ident
		if err := rows.Scan(&id.Kind, &id.Key, &id.Label, &id.Partial, &id.Entity, &id.Country); err != nil {
			return nil, fmt.Errorf("read identifiers: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Clusters are the clusters the filter chooses, newest first: the keys two
// or more records share. A weak key makes a suggestion only where one of
// its records lacks what the strong kind needs (a serial without make, a
// name without birth date): records that have it and differ in it are not
// suggested.
func (s *Store) Clusters(ctx context.Context, f links.Filter) ([]links.Cluster, error) {
	kinds := f.Chosen()
	judged, err := s.judgements(ctx)
	if err != nil {
		return nil, err
	}
	marks := strings.Repeat("?, ", len(kinds))
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = string(k)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT kind, key, max(partial) FROM idents WHERE kind IN ("+marks[:len(marks)-2]+") GROUP BY kind, key HAVING count(*) > 1", args...)
	if err != nil {
		return nil, fmt.Errorf("read clusters: %w", classify(err, s.path))
	}
	type ck struct {
		kind idkey.Kind
		key  string
	}
	var keys []ck
	for rows.Next() {
		var c ck
		var partial bool
		if err := rows.Scan(&c.kind, &c.key, &partial); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read clusters: %w", err)
		}
		if c.kind.Strong() || partial {
			keys = append(keys, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read clusters: %w", classify(err, s.path))
	}
	var out []links.Cluster
	for _, k := range keys {
		c, err := s.cluster(ctx, k.kind, k.key, judged, f.Training)
		if err != nil {
			return nil, err
		}
		if c == nil || (c.Dismissed() && !f.Dismissed) {
			continue
		}
		chosen := false
		for i := range c.Records {
			if f.Chooses(&c.Records[i]) {
				chosen = true
				break
			}
		}
		if chosen {
			out = append(out, *c)
		}
	}
	links.SortNewest(out)
	return out, nil
}

// cluster reads the records that carry key of kind (training records only
// with training), nil if fewer than two do (or, for a weak kind, none
// lacks the strong kind's qualifier). judged nil reads the key's own.
func (s *Store) cluster(ctx context.Context, kind idkey.Kind, key string, judged map[string]*links.Judgement, training bool) (*links.Cluster, error) {
	st, err := s.prepared(ctx, `SELECT i.label, i.partial, i.entity, i.country, r.origin, r.id, r.number, r.post_code, r.occurred_utc, r.occurred_offset, r.training
		FROM idents i JOIN records r ON r.rid = i.rid WHERE i.kind = ? AND i.key = ? AND (? OR r.training = 0) ORDER BY r.occurred_utc, r.rid`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, string(kind), key, training)
	if err != nil {
		return nil, fmt.Errorf("read cluster: %w", classify(err, s.path))
	}
	defer rows.Close()
	c := &links.Cluster{Kind: kind, Key: key, Strength: links.StrengthOf(kind)}
	partial := false
	for rows.Next() {
		var m links.Member
		var origin, occurred string
		var offset int
		if err := rows.Scan(&m.Label, &m.Partial, &m.Entity, &m.Country, &origin, &m.ID, &m.Number, &m.PostCode, &occurred, &offset, &m.Training); err != nil {
			return nil, fmt.Errorf("read cluster: %w", err)
		}
		at, _ := time.Parse(timeLayout, occurred)
		m.OccurredAt = at.In(time.FixedZone("", offset))
		m.Ref = Ref(origin, m.ID)
		partial = partial || m.Partial
		c.Records = append(c.Records, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cluster: %w", classify(err, s.path))
	}
	if len(c.Records) < 2 || (!kind.Strong() && !partial) {
		return nil, nil
	}
	c.Label = c.Records[len(c.Records)-1].Label
	if judged == nil {
		if judged, err = s.judgementsOf(ctx, kind, key); err != nil {
			return nil, err
		}
	}
	c.Judgement = judged[c.ID()]
	return c, nil
}

// Cluster is the cluster of the id (kind:key), training records in it
// only with training; links.ErrNoCluster if no two records share the key.
func (s *Store) Cluster(ctx context.Context, id string, training bool) (*links.Cluster, error) {
	kind, key, err := links.ParseID(id)
	if err != nil {
		return nil, err
	}
	c, err := s.cluster(ctx, kind, key, nil, training)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fault.New(links.ErrNoCluster, nil, "id", id)
	}
	return c, nil
}

// LinksOf are the clusters the record ref is in that f chooses (its kinds,
// dismissed ones, and the other records' post, country and dates), links
// first. A training record links with training records too, a real one
// only with real ones.
func (s *Store) LinksOf(ctx context.Context, ref string, f links.Filter) ([]links.Cluster, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	var training bool
	var origin, id string
	if err := s.db.QueryRowContext(ctx, "SELECT training, origin, id FROM records WHERE rid = ?", rid).Scan(&training, &origin, &id); err != nil {
		return nil, fmt.Errorf("read record: %w", classify(err, s.path))
	}
	me := Ref(origin, id)
	kinds := f.Chosen()
	// A weak key makes a suggestion only where a record lacks the strong
	// kind's qualifier: a name shared by records that all give a birth
	// date is not read at all.
	st, err := s.prepared(ctx, `SELECT i.kind, i.key FROM idents i WHERE i.rid = ?
		AND EXISTS (SELECT 1 FROM idents o WHERE o.kind = i.kind AND o.key = i.key AND o.rid != i.rid)
		AND (i.kind IN (`+strongKinds+`) OR i.partial OR EXISTS (SELECT 1 FROM idents p WHERE p.kind = i.kind AND p.key = i.key AND p.partial))`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, rid)
	if err != nil {
		return nil, fmt.Errorf("read links: %w", classify(err, s.path))
	}
	type ck struct {
		kind idkey.Kind
		key  string
	}
	var keys []ck
	for rows.Next() {
		var k ck
		if err := rows.Scan(&k.kind, &k.key); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read links: %w", err)
		}
		if slices.Contains(kinds, k.kind) {
			keys = append(keys, k)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read links: %w", classify(err, s.path))
	}
	var out []links.Cluster
	for _, k := range keys {
		c, err := s.cluster(ctx, k.kind, k.key, nil, training || f.Training)
		if err != nil {
			return nil, err
		}
		if c == nil || c.Dismissed() && !f.Dismissed {
			continue
		}
		for i := range c.Records {
			if c.Records[i].Ref != me && f.Chooses(&c.Records[i]) {
				out = append(out, *c)
				break
			}
		}
	}
	links.SortStrongFirst(out)
	return out, nil
}

// strongKinds lists the strong kinds for SQL.
var strongKinds = func() string {
	var q []string
	for _, k := range idkey.Kinds() {
		if k.Strong() {
			q = append(q, "'"+string(k)+"'")
		}
	}
	return strings.Join(q, ", ")
}()

// MaxHits caps the hits an import is told of; the rest are not read.
const MaxHits = 10000

// Hits are the clusters that the keys new to the records an import changed
// (fresh) make with records held before it: what the import summary says.
// Each key is read once, however many of the bundle's records share it.
// Clusters judged different and training records are left out.
func (s *Store) Hits(ctx context.Context, fresh []Fresh) ([]links.Hit, error) {
	if len(fresh) == 0 {
		return nil, nil
	}
	type ck struct {
		kind idkey.Kind
		key  string
	}
	// By key, the records it is new to: a record that carried the key
	// before the import holds it, whatever else of it is new.
	rids := map[ck]map[int64]bool{}
	refs := map[ck]map[string]bool{}
	var keys []ck
	for _, f := range fresh {
		k := ck{f.Kind, f.Key}
		if rids[k] == nil {
			rids[k], refs[k] = map[int64]bool{}, map[string]bool{}
			keys = append(keys, k)
		}
		rids[k][f.rid], refs[k][f.Ref] = true, true
	}
	// Links before suggestions, so that the cap never leaves a link out
	// for a suggestion.
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].kind.Strong() && !keys[j].kind.Strong() })
	judged, err := s.judgements(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.prepared(ctx, "SELECT rid, partial FROM idents WHERE kind = ? AND key = ?")
	if err != nil {
		return nil, err
	}
	var out []links.Hit
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows, err := st.QueryContext(ctx, string(k.kind), k.key)
		if err != nil {
			return nil, fmt.Errorf("read links: %w", classify(err, s.path))
		}
		held, partial := false, k.kind.Strong()
		for rows.Next() && !(held && partial) {
			var rid int64
			var p bool
			if err := rows.Scan(&rid, &p); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read links: %w", err)
			}
			held, partial = held || !rids[k][rid], partial || p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read links: %w", classify(err, s.path))
		}
		if !held || !partial {
			continue
		}
		c, err := s.cluster(ctx, k.kind, k.key, judged, false)
		if err != nil {
			return nil, err
		}
		if c == nil || c.Dismissed() {
			continue
		}
		out = append(out, links.Hits([]links.Cluster{*c}, refs[k])...)
		if len(out) == MaxHits {
			break
		}
	}
	links.SortHits(out)
	return out, nil
}

// Fresh is an identifier new to a record an import changed: one the
// record's version held before did not carry.
type Fresh struct {
	Ref  string
	Kind idkey.Kind
	Key  string
	rid  int64
}

// Neighbourhood are the records of the cluster id and, hops times, the
// records that share a strong key with those found so far, each with its
// identifiers; at most max records (total counts all that were found).
// A key judged different is not followed; training records are found
// only with training.
func (s *Store) Neighbourhood(ctx context.Context, id string, hops, max int, training bool) (recs []links.Carrier, total int, err error) {
	c, err := s.Cluster(ctx, id, training)
	if err != nil {
		return nil, 0, err
	}
	judged, err := s.judgements(ctx)
	if err != nil {
		return nil, 0, err
	}
	seen := map[int64]bool{}
	var level []int64
	for _, m := range c.Records {
		rid, err := s.rid(ctx, m.Ref)
		if err != nil {
			return nil, 0, err
		}
		if !seen[rid] {
			seen[rid] = true
			level = append(level, rid)
		}
	}
	others, err := s.prepared(ctx, `SELECT i.rid FROM idents i JOIN records r ON r.rid = i.rid
		WHERE i.kind = ? AND i.key = ? AND i.rid != ? AND (? OR r.training = 0)`)
	if err != nil {
		return nil, 0, err
	}
	followed := map[string]bool{c.ID(): true}
	for h := 0; len(level) > 0; h++ {
		var next []int64
		for _, rid := range level {
			if len(recs) >= max {
				break
			}
			car, err := s.carrier(ctx, rid)
			if err != nil {
				return nil, 0, err
			}
			recs = append(recs, *car)
			if h == hops {
				continue
			}
			for _, ident := range car.Idents {
				cid := links.ID(ident.Kind, ident.Key)
				if !ident.Kind.Strong() || followed[cid] || judged[cid] != nil && judged[cid].Verdict == links.Different {
					continue
				}
				followed[cid] = true
				rows, err := others.QueryContext(ctx, string(ident.Kind), ident.Key, rid, training)
				if err != nil {
					return nil, 0, fmt.Errorf("read links: %w", classify(err, s.path))
				}
				for rows.Next() {
					var o int64
					if err := rows.Scan(&o); err != nil {
						rows.Close()
						return nil, 0, fmt.Errorf("read links: %w", err)
					}
					if !seen[o] {
						seen[o] = true
						next = append(next, o)
					}
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return nil, 0, fmt.Errorf("read links: %w", classify(err, s.path))
				}
			}
		}
		level = next
	}
	return recs, len(seen), nil
}

// carrier is the record rid as a network holds it.
func (s *Store) carrier(ctx context.Context, rid int64) (*links.Carrier, error) {
	st, err := s.prepared(ctx, "SELECT origin, id, number, post_code, occurred_utc, occurred_offset, training FROM records WHERE rid = ?")
	if err != nil {
		return nil, err
	}
	var c links.Carrier
	var origin, occurred string
	var offset int
	if err := st.QueryRowContext(ctx, rid).Scan(&origin, &c.ID, &c.Number, &c.PostCode, &occurred, &offset, &c.Training); err != nil {
		return nil, fmt.Errorf("read record: %w", classify(err, s.path))
	}
	at, _ := time.Parse(timeLayout, occurred)
	c.OccurredAt = at.In(time.FixedZone("", offset))
	c.Ref = Ref(origin, c.ID)
	ids, err := s.identsOf(ctx, rid)
	if err != nil {
		return nil, err
	}
	c.Idents = ids
	return &c, nil
}

// judgements are the latest judgement of every judged cluster, by id.
func (s *Store) judgements(ctx context.Context) (map[string]*links.Judgement, error) {
	return s.readJudgements(ctx, "SELECT kind, key, verdict, note, records, actor, at_utc FROM judgements ORDER BY seq")
}

func (s *Store) judgementsOf(ctx context.Context, kind idkey.Kind, key string) (map[string]*links.Judgement, error) {
	return s.readJudgements(ctx, "SELECT kind, key, verdict, note, records, actor, at_utc FROM judgements WHERE kind = ? AND key = ? ORDER BY seq", string(kind), key)
}

func (s *Store) readJudgements(ctx context.Context, query string, args ...any) (map[string]*links.Judgement, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	defer rows.Close()
	out := map[string]*links.Judgement{}
	for rows.Next() {
		var kind, key, at, refs string
		j := &links.Judgement{}
		if err := rows.Scan(&kind, &key, &j.Verdict, &j.Note, &refs, &j.Actor, &at); err != nil {
			return nil, fmt.Errorf("read judgements: %w", err)
		}
		j.Records = strings.Split(refs, "\n")
		j.At, _ = time.Parse(timeLayout, at)
		out[links.ID(idkey.Kind(kind), key)] = j
	}
	return out, rows.Err()
}

// Judgements are every judgement given to the cluster id, oldest first.
func (s *Store) Judgements(ctx context.Context, id string) ([]links.Judgement, error) {
	kind, key, err := links.ParseID(id)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT verdict, note, records, actor, at_utc FROM judgements WHERE kind = ? AND key = ? ORDER BY seq", string(kind), key)
	if err != nil {
		return nil, fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	defer rows.Close()
	var out []links.Judgement
	for rows.Next() {
		var j links.Judgement
		var at, refs string
		if err := rows.Scan(&j.Verdict, &j.Note, &refs, &j.Actor, &at); err != nil {
			return nil, fmt.Errorf("read judgements: %w", err)
		}
		j.Records = strings.Split(refs, "\n")
		j.At, _ = time.Parse(timeLayout, at)
		out = append(out, j)
	}
	return out, rows.Err()
}

// Judge keeps an analyst's verdict (links.Same, Different or Unsure) on the
// cluster id, with a note, in the judgements table and the audit chain.
// It covers the records seen (refs; all the cluster's records if none are
// given) that share the key now: a record that comes later is not judged.
// A cluster no two such records make is refused (links.ErrNoCluster), and
// so is a verdict or note links.CheckVerdict refuses.
func (s *Store) Judge(ctx context.Context, id, verdict, note string, seen []string, actor string) error {
	note = strings.TrimSpace(note)
	if err := links.CheckVerdict(verdict, note); err != nil {
		return err
	}
	kind, key, err := links.ParseID(id)
	if err != nil {
		return err
	}
	return s.update(ctx, actor, func(b *batch) error {
		// Read in the transaction that keeps the verdict: what is judged
		// is what shares the key as it is kept.
		rows, err := b.tx.QueryContext(ctx, `SELECT r.origin, r.id, i.partial FROM idents i JOIN records r ON r.rid = i.rid
			WHERE i.kind = ? AND i.key = ?`, string(kind), key)
		if err != nil {
			return fmt.Errorf("judge %s: %w", id, err)
		}
		var refs []string
		partial := kind.Strong()
		for rows.Next() {
			var origin, rid string
			var p bool
			if err := rows.Scan(&origin, &rid, &p); err != nil {
				rows.Close()
				return fmt.Errorf("judge %s: %w", id, err)
			}
			if ref := Ref(origin, rid); len(seen) == 0 || slices.Contains(seen, ref) {
				refs = append(refs, ref)
				partial = partial || p
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("judge %s: %w", id, err)
		}
		// The same rule as Cluster: two records, and for a weak key one
		// that lacks the strong kind's qualifier.
		if len(refs) < 2 || !partial {
			return fault.New(links.ErrNoCluster, nil, "id", id)
		}
		sort.Strings(refs)
		judged := strings.Join(refs, "\n")
		now := utc(s.now())
		cid := links.ID(kind, key)
		res, err := b.exec(ctx, "INSERT INTO judgements (kind, key, verdict, note, records, actor, at_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
			string(kind), key, verdict, note, judged, actor, now)
		if err != nil {
			return fmt.Errorf("judge %s: %w", id, err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("judge %s: %w", id, err)
		}
		return b.audit(ctx, now, ActionJudge, "link:"+cid, int(seq), judgementHash(cid, verdict, note, judged))
	})
}

// judgementHash is the content hash the audit chain keeps of a judgement.
func judgementHash(id, verdict, note, records string) string {
	h := sha256.New()
	for _, f := range []string{"kordon-judgement-v1", id, verdict, note, records} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// checkJudgements checks that every judgement is the one the audit chain
// logged (logged: by judgement number): its content, who gave it, when.
func (s *Store) checkJudgements(ctx context.Context, logged map[int]AuditEntry) error {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM judgements").Scan(&n); err != nil {
		return fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	if n != len(logged) {
		return broken(0, fmt.Sprintf("%d judgements, %d in the audit log", n, len(logged)))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT seq, kind, key, verdict, note, records, actor, at_utc FROM judgements ORDER BY seq")
	if err != nil {
		return fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var kind, key, verdict, note, records, actor, at string
		if err := rows.Scan(&seq, &kind, &key, &verdict, &note, &records, &actor, &at); err != nil {
			return fmt.Errorf("read judgements: %w", err)
		}
		e, ok := logged[seq]
		cid := links.ID(idkey.Kind(kind), key)
		switch {
		case !ok:
			return broken(0, fmt.Sprintf("judgement %d: not in the audit log", seq))
		case e.ContentHash != judgementHash(cid, verdict, note, records) || e.RecordID != "link:"+cid || e.Actor != actor || e.At != at:
			return broken(0, fmt.Sprintf("judgement %d: differs from the audit log", seq))
		}
	}
	return rows.Err()
}

// checkIdents checks that the identifiers held are exactly those of every
// record's current version (idkey.Of): none forged, none dropped, none of a
// deleted record. Identifiers made under other key rules are not compared.
func (s *Store) checkIdents(ctx context.Context) error {
	// Made by other key rules (a copy not yet opened for writing by this
	// version, which makes them again): nothing to compare with.
	if v, err := s.Meta(ctx, MetaIdkeyVersion); err != nil || v != strconv.Itoa(idkey.Version) {
		return err
	}
	recs, err := s.db.QueryContext(ctx, `SELECT r.rid, v.content FROM records r JOIN versions v ON v.rid = r.rid AND v.version = r.version
		WHERE r.deleted = 0 ORDER BY r.rid`)
	if err != nil {
		return fmt.Errorf("read records: %w", classify(err, s.path))
	}
	defer recs.Close()
	held, err := s.db.QueryContext(ctx, "SELECT rid, kind, key, label, partial, entity, country FROM idents ORDER BY rid, kind, key")
	if err != nil {
		return fmt.Errorf("read identifiers: %w", classify(err, s.path))
	}
	defer held.Close()
	type row struct {
		rid int64
		id  idkey.Ident
	}
	var next *row
	read := func() error {
		next = nil
		if !held.Next() {
			return held.Err()
		}
		r := &row{}
		if err := held.Scan(&r.rid, &r.id.Kind, &r.id.Key, &r.id.Label, &r.id.Partial, &r.id.Entity, &r.id.Country); err != nil {
			return fmt.Errorf("read identifiers: %w", err)
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
			return broken(0, fmt.Sprintf("identifier %s:%s of no current record", next.id.Kind, next.id.Key))
		}
		in, err := decode(content)
		if err != nil {
			return broken(0, fmt.Sprintf("record %d: content", rid))
		}
		want := idkey.Of(in)
		sort.Slice(want, func(i, j int) bool {
			if want[i].Kind != want[j].Kind {
				return want[i].Kind < want[j].Kind
			}
			return want[i].Key < want[j].Key
		})
		for _, w := range want {
			if next == nil || next.rid != rid || next.id != w {
				return broken(0, fmt.Sprintf("record %s: identifiers differ from its current version (%s:%s)", in.Number, w.Kind, w.Key))
			}
			if err := read(); err != nil {
				return err
			}
		}
		if next != nil && next.rid == rid {
			return broken(0, fmt.Sprintf("record %s: identifier %s:%s it does not carry", in.Number, next.id.Kind, next.id.Key))
		}
	}
	if err := recs.Err(); err != nil {
		return fmt.Errorf("read records: %w", classify(err, s.path))
	}
	if next != nil {
		return broken(0, fmt.Sprintf("identifier %s:%s of no current record", next.id.Kind, next.id.Key))
	}
	return nil
}
