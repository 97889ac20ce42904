package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
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
	9: backfillIdents,
}

// backfillIdents fills the identifiers of every record from its current
// version, a batch of records at a time.
func backfillIdents(ctx context.Context, tx *sql.Tx) error {
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
	if len(kinds) == 0 {
		return nil, nil
	}
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
		c, err := s.cluster(ctx, k.kind, k.key, judged)
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

// cluster reads the records that carry key of kind, nil if fewer than two
// do (or, for a weak kind, none lacks the strong kind's qualifier).
func (s *Store) cluster(ctx context.Context, kind idkey.Kind, key string, judged map[string]*links.Judgement) (*links.Cluster, error) {
	st, err := s.prepared(ctx, `SELECT i.label, i.partial, i.entity, i.country, r.origin, r.id, r.number, r.post_code, r.occurred_utc, r.occurred_offset, r.training
		FROM idents i JOIN records r ON r.rid = i.rid WHERE i.kind = ? AND i.key = ? ORDER BY r.occurred_utc, r.rid`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, string(kind), key)
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

// Cluster is the cluster of the id (kind:key), links.ErrNoCluster if no
// two records share the key.
func (s *Store) Cluster(ctx context.Context, id string) (*links.Cluster, error) {
	kind, key, err := links.ParseID(id)
	if err != nil {
		return nil, err
	}
	c, err := s.cluster(ctx, kind, key, nil)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fault.New(links.ErrNoCluster, nil, "id", id)
	}
	return c, nil
}

// LinksOf are the clusters the record ref is in, dismissed ones too
// (their Judgement says so), suggestions after links.
func (s *Store) LinksOf(ctx context.Context, ref string) ([]links.Cluster, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.linksOf(ctx, rid)
}

func (s *Store) linksOf(ctx context.Context, rid int64) ([]links.Cluster, error) {
	st, err := s.prepared(ctx, `SELECT i.kind, i.key FROM idents i WHERE i.rid = ?
		AND EXISTS (SELECT 1 FROM idents o WHERE o.kind = i.kind AND o.key = i.key AND o.rid != i.rid)`)
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
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read links: %w", classify(err, s.path))
	}
	var out []links.Cluster
	for _, k := range keys {
		c, err := s.cluster(ctx, k.kind, k.key, nil)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, *c)
		}
	}
	links.SortNewest(out)
	return out, nil
}

// LinksOfAll are the clusters any of the records refs is in, each once,
// but those an analyst judged different.
func (s *Store) LinksOfAll(ctx context.Context, refs []string) ([]links.Cluster, error) {
	seen := map[string]bool{}
	var out []links.Cluster
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cs, err := s.LinksOf(ctx, ref)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if !seen[c.ID()] && !c.Dismissed() {
				seen[c.ID()] = true
				out = append(out, c)
			}
		}
	}
	links.SortNewest(out)
	return out, nil
}

// Neighbourhood are the records of the cluster id and, hops times, the
// records that share a strong key with those found so far, each with its
// identifiers; at most max records (total counts all that were found).
// A key judged different is not followed.
func (s *Store) Neighbourhood(ctx context.Context, id string, hops, max int) (recs []links.Carrier, total int, err error) {
	c, err := s.Cluster(ctx, id)
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
	others, err := s.prepared(ctx, "SELECT rid FROM idents WHERE kind = ? AND key = ? AND rid != ?")
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
				rows, err := others.QueryContext(ctx, string(ident.Kind), ident.Key, rid)
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
	return s.readJudgements(ctx, "SELECT kind, key, verdict, note, actor, at_utc FROM judgements ORDER BY seq")
}

func (s *Store) judgementsOf(ctx context.Context, kind idkey.Kind, key string) (map[string]*links.Judgement, error) {
	return s.readJudgements(ctx, "SELECT kind, key, verdict, note, actor, at_utc FROM judgements WHERE kind = ? AND key = ? ORDER BY seq", string(kind), key)
}

func (s *Store) readJudgements(ctx context.Context, query string, args ...any) (map[string]*links.Judgement, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	defer rows.Close()
	out := map[string]*links.Judgement{}
	for rows.Next() {
		var kind, key, at string
		j := &links.Judgement{}
		if err := rows.Scan(&kind, &key, &j.Verdict, &j.Note, &j.Actor, &at); err != nil {
			return nil, fmt.Errorf("read judgements: %w", err)
		}
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
	rows, err := s.db.QueryContext(ctx, "SELECT verdict, note, actor, at_utc FROM judgements WHERE kind = ? AND key = ? ORDER BY seq", string(kind), key)
	if err != nil {
		return nil, fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	defer rows.Close()
	var out []links.Judgement
	for rows.Next() {
		var j links.Judgement
		var at string
		if err := rows.Scan(&j.Verdict, &j.Note, &j.Actor, &at); err != nil {
			return nil, fmt.Errorf("read judgements: %w", err)
		}
		j.At, _ = time.Parse(timeLayout, at)
		out = append(out, j)
	}
	return out, rows.Err()
}

// Judge keeps an analyst's verdict (links.Same, Different or Unsure) on the
// cluster id, with a note, in the judgements table and the audit chain. A
// cluster no two records make is refused (links.ErrNoCluster), and so is
// a verdict or note links.CheckVerdict refuses.
func (s *Store) Judge(ctx context.Context, id, verdict, note, actor string) error {
	note = strings.TrimSpace(note)
	if err := links.CheckVerdict(verdict, note); err != nil {
		return err
	}
	c, err := s.Cluster(ctx, id)
	if err != nil {
		return err
	}
	return s.update(ctx, actor, func(b *batch) error {
		now := utc(s.now())
		res, err := b.exec(ctx, "INSERT INTO judgements (kind, key, verdict, note, actor, at_utc) VALUES (?, ?, ?, ?, ?, ?)",
			string(c.Kind), c.Key, verdict, note, actor, now)
		if err != nil {
			return fmt.Errorf("judge %s: %w", id, err)
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("judge %s: %w", id, err)
		}
		return b.audit(ctx, now, ActionJudge, "link:"+c.ID(), int(seq), judgementHash(c.ID(), verdict, note))
	})
}

// judgementHash is the content hash the audit chain keeps of a judgement.
func judgementHash(id, verdict, note string) string {
	h := sha256.New()
	for _, f := range []string{"kordon-judgement-v1", id, verdict, note} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// checkJudgements checks that every judgement is the one the audit chain
// logged (logged: by judgement number, the content hash).
func (s *Store) checkJudgements(ctx context.Context, logged map[int]string) error {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM judgements").Scan(&n); err != nil {
		return fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	if n != len(logged) {
		return broken(0, fmt.Sprintf("%d judgements, %d in the audit log", n, len(logged)))
	}
	rows, err := s.db.QueryContext(ctx, "SELECT seq, kind, key, verdict, note FROM judgements ORDER BY seq")
	if err != nil {
		return fmt.Errorf("read judgements: %w", classify(err, s.path))
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var kind, key, verdict, note string
		if err := rows.Scan(&seq, &kind, &key, &verdict, &note); err != nil {
			return fmt.Errorf("read judgements: %w", err)
		}
		want, ok := logged[seq]
		switch {
		case !ok:
			return broken(0, fmt.Sprintf("judgement %d: not in the audit log", seq))
		case want != judgementHash(links.ID(idkey.Kind(kind), key), verdict, note):
			return broken(0, fmt.Sprintf("judgement %d: differs from the audit log", seq))
		}
	}
	return rows.Err()
}
