package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/textkey"
	"github.com/kordon/kordon/internal/view"
)

// Ref names a record by the device that made it and its id; see record.Ref.
func Ref(origin, id string) string { return record.Ref(origin, id) }

// splitRef takes a record id or a Ref apart.
func splitRef(ref string) (origin, id string) {
	if o, i, ok := strings.Cut(ref, "/"); ok {
		return o, i
	}
	return "", ref
}

// rid finds the row of the record ref names: an id, or a Ref. An id that
// records of two devices share is ErrAmbiguous.
func (s *Store) rid(ctx context.Context, ref string) (int64, error) {
	origin, id := splitRef(ref)
	rows, err := s.db.QueryContext(ctx, "SELECT rid, number, post_code FROM records WHERE id = ? AND (? = '' OR origin = ?) ORDER BY rid LIMIT 3", id, origin, origin)
	if err != nil {
		return 0, fmt.Errorf("find record %s: %w", ref, classify(err, s.path))
	}
	defer rows.Close()
	var rids []int64
	var numbers []string
	for rows.Next() {
		var rid int64
		var number, post string
		if err := rows.Scan(&rid, &number, &post); err != nil {
			return 0, fmt.Errorf("find record %s: %w", ref, err)
		}
		rids = append(rids, rid)
		numbers = append(numbers, number)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("find record %s: %w", ref, err)
	}
	switch len(rids) {
	case 0:
		return 0, newError(ErrNotFound, nil, "id", ref)
	case 1:
		return rids[0], nil
	}
	return 0, newError(ErrAmbiguous, nil, "id", id, "numbers", strings.Join(numbers, ", "))
}

// Get returns the latest version of the record ref names (see Ref).
func (s *Store) Get(ctx context.Context, ref string) (*Current, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	var c Current
	var content []byte
	var saved string
	err = s.db.QueryRowContext(ctx, `SELECT v.content, v.hash, v.saved_utc, v.actor, r.deleted FROM records r
		JOIN versions v ON v.rid = r.rid AND v.version = r.version WHERE r.rid = ?`, rid).Scan(&content, &c.Hash, &saved, &c.Actor, &c.Deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, newError(ErrNotFound, nil, "id", ref)
	}
	if err != nil {
		return nil, fmt.Errorf("read record %s: %w", ref, classify(err, s.path))
	}
	if c.Record, err = decode(content); err != nil {
		return nil, fmt.Errorf("read record %s: %w", ref, err)
	}
	c.SavedAt, _ = time.Parse(timeLayout, saved)
	return &c, nil
}

// History returns every version of a record, oldest first.
func (s *Store) History(ctx context.Context, ref string) ([]Version, error) {
	rid, err := s.rid(ctx, ref)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT content, hash, saved_utc, actor FROM versions WHERE rid = ? ORDER BY version`, rid)
	if err != nil {
		return nil, fmt.Errorf("read history of %s: %w", ref, classify(err, s.path))
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var content []byte
		var saved string
		if err := rows.Scan(&content, &v.Hash, &saved, &v.Actor); err != nil {
			return nil, fmt.Errorf("read history of %s: %w", ref, err)
		}
		if v.Record, err = decode(content); err != nil {
			return nil, fmt.Errorf("read history of %s: %w", ref, err)
		}
		v.SavedAt, _ = time.Parse(timeLayout, saved)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read history of %s: %w", ref, err)
	}
	if len(out) == 0 {
		return nil, newError(ErrNotFound, nil, "id", ref)
	}
	if err := s.madeBy(ctx, rid, out); err != nil {
		return nil, err
	}
	return out, nil
}

// madeBy fills in, for versions imported from another device, who saved
// each one there and when: the entry of its content in that device's audit
// trail, as its bundles carried it.
func (s *Store) madeBy(ctx context.Context, rid int64, versions []Version) error {
	var origin, id string
	if err := s.db.QueryRowContext(ctx, "SELECT origin, id FROM records WHERE rid = ?", rid).Scan(&origin, &id); err != nil {
		return fmt.Errorf("read record: %w", classify(err, s.path))
	}
	own, err := s.Meta(ctx, MetaDeviceID)
	if err != nil {
		return err
	}
	if origin == "" || origin == own {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, "SELECT entry FROM remote_audit WHERE origin = ? AND json_extract(entry, '$.record_id') IN (?, ?)", origin, id, Ref(origin, id))
	if err != nil {
		return fmt.Errorf("read audit of %s: %w", id, classify(err, s.path))
	}
	defer rows.Close()
	byHash := map[string]AuditEntry{}
	for rows.Next() {
		var raw []byte
		var e AuditEntry
		if err := rows.Scan(&raw); err != nil {
			return fmt.Errorf("read audit of %s: %w", id, err)
		}
		if json.Unmarshal(raw, &e) == nil && e.ContentHash != "" {
			if _, seen := byHash[e.ContentHash]; !seen { // the first saving of that content
				byHash[e.ContentHash] = e
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read audit of %s: %w", id, err)
	}
	for i := range versions {
		if e, ok := byHash[versions[i].Hash]; ok {
			versions[i].MadeBy, versions[i].MadeAt = e.Actor, e.Time()
		}
	}
	return nil
}

func decode(content []byte) (*record.Interdiction, error) {
	var in record.Interdiction
	if err := json.Unmarshal(content, &in); err != nil {
		return nil, fmt.Errorf("decode stored record: %w", err)
	}
	return &in, nil
}

const summaryColumns = "r.rid, r.id, r.origin, r.number, r.post_code, r.version, r.status, r.occurred_utc, r.occurred_offset, r.crossing_point, r.pieces, r.rounds, r.training, r.deleted"

func scanSummaries(rows *sql.Rows) ([]Summary, []int64, error) {
	defer rows.Close()
	var out []Summary
	var rids []int64
	for rows.Next() {
		var sm Summary
		var rid int64
		var occurred string
		var offset int
		if err := rows.Scan(&rid, &sm.ID, &sm.Origin, &sm.Number, &sm.PostCode, &sm.Version, &sm.Status, &occurred, &offset, &sm.CrossingPoint, &sm.Pieces, &sm.Rounds, &sm.Training, &sm.Deleted); err != nil {
			return nil, nil, fmt.Errorf("read records: %w", err)
		}
		at, _ := time.Parse(timeLayout, occurred)
		sm.OccurredAt = at.In(time.FixedZone("", offset))
		out = append(out, sm)
		rids = append(rids, rid)
	}
	return out, rids, rows.Err()
}

func where(f *Filter) (string, []any) {
	conds := []string{"r.deleted = ?"}
	args := []any{f.Deleted}
	if !f.From.IsZero() {
		conds = append(conds, "r.occurred_utc >= ?")
		args = append(args, utc(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "r.occurred_utc < ?")
		args = append(args, utc(f.To))
	}
	if f.Status != "" {
		conds = append(conds, "r.status = ?")
		args = append(args, f.Status)
	}
	if f.CrossingPoint != "" {
		conds = append(conds, "r.crossing_point = ?")
		args = append(args, f.CrossingPoint)
	}
	if f.PostCode != "" {
		conds = append(conds, "r.post_code = ?")
		args = append(args, f.PostCode)
	}
	if f.Category != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM items i WHERE i.rid = r.rid AND i.category = ?)")
		args = append(args, f.Category)
	}
	return strings.Join(conds, " AND "), args
}

// List returns one page of records matching the filter, newest first unless
// f.Oldest. It reads only the page asked for, so it stays fast on any size
// of store.
func (s *Store) List(ctx context.Context, f Filter) (Page, error) {
	where, args := where(&f)
	order, cmp := "DESC", "<"
	if f.Oldest {
		order, cmp = "ASC", ">"
	}
	if f.After != nil {
		where += fmt.Sprintf(" AND (r.occurred_utc, r.rid) %s (?, ?)", cmp)
		args = append(args, f.After.Occurred, f.After.Row)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q := fmt.Sprintf("SELECT %s FROM records r WHERE %s ORDER BY r.occurred_utc %s, r.rid %s LIMIT %d", summaryColumns, where, order, order, limit)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return Page{}, fmt.Errorf("list records: %w", err)
	}
	recs, rids, err := scanSummaries(rows)
	if err != nil {
		return Page{}, err
	}
	p := Page{Records: recs}
	if len(recs) == limit {
		last := recs[len(recs)-1]
		p.Next = &Cursor{Occurred: utc(last.OccurredAt), Row: rids[len(rids)-1]}
	}
	return p, nil
}

// CountByPost counts the live records of each post, in one pass.
func (s *Store) CountByPost(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT post_code, count(*) FROM records WHERE deleted = 0 GROUP BY post_code")
	if err != nil {
		return nil, fmt.Errorf("count records by post: %w", classify(err, s.path))
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var post string
		var n int
		if err := rows.Scan(&post, &n); err != nil {
			return nil, fmt.Errorf("count records by post: %w", err)
		}
		out[post] = n
	}
	return out, rows.Err()
}

// Count returns how many records match the filter (paging fields ignored).
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	where, args := where(&f)
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM records r WHERE "+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count records: %w", err)
	}
	return n, nil
}

// SearchLimit is the most records one search returns.
const SearchLimit = 200

// Search finds live records by serial number (whole or any part of three or
// more characters, ignoring separators and Cyrillic/Latin look-alikes),
// person or organisation name in either script, plate, document number, or
// words of the narrative. Exact identifier matches come first, then the rest,
// newest first; at most SearchLimit records.
func (s *Store) Search(ctx context.Context, query string) ([]Summary, error) {
	return s.SearchIn(ctx, query, Filter{})
}

// SearchIn is Search among the records the filter selects (its paging
// fields are ignored).
func (s *Store) SearchIn(ctx context.Context, query string, f Filter) ([]Summary, error) {
	var rids []int64
	seen := map[int64]bool{}
	add := func(rows *sql.Rows, err error) error {
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				return fmt.Errorf("search: %w", err)
			}
			if !seen[rid] {
				seen[rid] = true
				rids = append(rids, rid)
			}
		}
		return rows.Err()
	}
	serial := textkey.Serial(query)
	if serial != "" {
		if err := add(s.db.QueryContext(ctx, "SELECT DISTINCT rid FROM serials WHERE key = ? LIMIT ?", serial, SearchLimit)); err != nil {
			return nil, err
		}
	}
	exact := len(rids)
	if expr := matchExpr(query, serial); expr != "" && len(rids) < SearchLimit {
		if err := add(s.db.QueryContext(ctx, "SELECT rowid FROM search WHERE search MATCH ? LIMIT ?", expr, SearchLimit)); err != nil {
			return nil, err
		}
	}
	if len(rids) == 0 {
		return nil, nil
	}
	if len(rids) > SearchLimit {
		rids = rids[:SearchLimit]
	}
	marks := strings.Repeat(",?", len(rids))[1:]
	args := make([]any, len(rids))
	for i, r := range rids {
		args[i] = r
	}
	where, fargs := where(&f)
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM records r WHERE %s AND r.rid IN (%s)", summaryColumns, where, marks), append(fargs, args...)...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	recs, got, err := scanSummaries(rows)
	if err != nil {
		return nil, err
	}
	rank := make(map[int64]int, len(rids))
	for i, r := range rids {
		rank[r] = i
	}
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ea, eb := rank[got[a]] < exact, rank[got[b]] < exact
		if ea != eb {
			if ea {
				return -1
			}
			return 1
		}
		return recs[b].OccurredAt.Compare(recs[a].OccurredAt)
	})
	out := make([]Summary, len(recs))
	for i, j := range order {
		out[i] = recs[j]
	}
	return out, nil
}

// Describe fills in each row's Gist and, for hits of a search for query
// (query not ""), which fields matched and with which values. It reads and
// decodes each record, which costs more than the search itself: callers
// describe the rows they show, when they show them. The records are read
// in one query.
func (s *Store) Describe(ctx context.Context, query string, hits []Summary) error {
	if len(hits) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(hits))
	for _, h := range hits {
		args = append(args, h.ID, h.Origin)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.origin, v.content FROM records r
		JOIN versions v ON v.rid = r.rid AND v.version = r.version
		WHERE (r.id, r.origin) IN (VALUES `+strings.Repeat(",(?, ?)", len(hits))[1:]+`)`, args...)
	if err != nil {
		return fmt.Errorf("describe records: %w", classify(err, s.path))
	}
	defer rows.Close()
	why := map[string][]view.Match{}
	gists := map[string]*view.Gist{}
	idents := map[string][]view.Ident{}
	for rows.Next() {
		var id, origin string
		var content []byte
		if err := rows.Scan(&id, &origin, &content); err != nil {
			return fmt.Errorf("describe records: %w", err)
		}
		in, err := decode(content)
		if err != nil {
			return fmt.Errorf("describe records: %w", err)
		}
		if query != "" {
			why[Ref(origin, id)] = explain(in, query)
		}
		gists[Ref(origin, id)] = gist(in)
		for _, x := range idkey.Of(in) {
			idents[Ref(origin, id)] = append(idents[Ref(origin, id)], view.Ident{Kind: string(x.Kind), Key: x.Key, Label: x.Label})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("describe records: %w", err)
	}
	for i := range hits {
		hits[i].Matches = why[hits[i].Ref()]
		hits[i].Gist = gists[hits[i].Ref()]
		hits[i].Identifiers = idents[hits[i].Ref()]
	}
	return nil
}

// gistPeople is how many names a Gist gives.
const gistPeople = 2

// gist is what the record holds, in short: its first people, its plate,
// and its items counted by category.
func gist(in *record.Interdiction) *view.Gist {
	g := &view.Gist{}
	for _, p := range in.People {
		if p.Name == "" && p.NameLatin == "" || p.Role == "witness" || p.Role == "interpreter" {
			continue // witnesses attest the seizure: they are not its people
		}
		if len(g.People) == gistPeople {
			g.MorePeople++
			continue
		}
		name := p.Name
		if name == "" {
			name = p.NameLatin
		}
		g.People = append(g.People, name)
	}
	if c := in.Conveyance; c != nil {
		g.Plate = c.Plate
	}
	at := map[string]int{}
	for i := range in.Items {
		it := &in.Items[i]
		c := it.Category()
		j, ok := at[c]
		if !ok {
			j = len(g.Items)
			at[c] = j
			g.Items = append(g.Items, view.GistItem{Category: c})
		}
		if it.Kind == record.KindAmmunition {
			if it.Ammunition != nil {
				g.Items[j].Rounds += it.Ammunition.Rounds
			}
			continue
		}
		g.Items[j].Pieces += it.Quantity
	}
	return g
}

// matchExpr builds the FTS5 query: the whole query as an identifier key, or
// every word (folded, as its Latin key, or as an identifier key) somewhere
// in the record. Words are split at spaces only, so "123-45" stays one.
// Trigram matching needs three characters, so shorter words are left out.
func matchExpr(query, serial string) string {
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	var all []string
	for _, w := range strings.Fields(textkey.Fold(query)) {
		var alts []string
		for _, v := range []string{w, textkey.Latin(w), textkey.Serial(w)} {
			if len([]rune(v)) >= 3 && !slices.Contains(alts, quote(v)) {
				alts = append(alts, quote(v))
			}
		}
		if len(alts) > 0 {
			all = append(all, "("+strings.Join(alts, " OR ")+")")
		}
	}
	words := strings.Join(all, " AND ")
	switch {
	case len([]rune(serial)) >= 3 && words != "":
		return "serials : " + quote(serial) + " OR (" + words + ")"
	case len([]rune(serial)) >= 3:
		return "serials : " + quote(serial)
	}
	return words
}

// Stats counts live records by item category and by month.
func (s *Store) Stats(ctx context.Context, training bool) (Stats, error) {
	var st Stats
	cond := "r.deleted = 0"
	if !training {
		cond += " AND r.training = 0"
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM records WHERE deleted = 0 AND training = 1").Scan(&st.TrainingLeftOut); err != nil {
			return st, fmt.Errorf("statistics: %w", err)
		}
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(pieces), 0), coalesce(sum(rounds), 0) FROM records r WHERE "+cond).Scan(&st.Records, &st.Pieces, &st.Rounds); err != nil {
		return st, fmt.Errorf("statistics: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT i.category, count(*), sum(CASE WHEN i.kind = 'ammunition' THEN 0 ELSE i.quantity END), sum(i.rounds) FROM items i JOIN records r ON r.rid = i.rid WHERE "+cond+" GROUP BY i.category ORDER BY 3 DESC, 4 DESC, 1")
	if err != nil {
		return st, fmt.Errorf("statistics: %w", err)
	}
	for rows.Next() {
		var c CategoryCount
		if err := rows.Scan(&c.Category, &c.Items, &c.Pieces, &c.Rounds); err != nil {
			rows.Close()
			return st, fmt.Errorf("statistics: %w", err)
		}
		st.ByCategory = append(st.ByCategory, c)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, "SELECT r.occurred_month, count(*), sum(r.pieces), sum(r.rounds) FROM records r WHERE "+cond+" GROUP BY 1 ORDER BY 1")
	if err != nil {
		return st, fmt.Errorf("statistics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m MonthCount
		if err := rows.Scan(&m.Month, &m.Records, &m.Pieces, &m.Rounds); err != nil {
			return st, fmt.Errorf("statistics: %w", err)
		}
		st.ByMonth = append(st.ByMonth, m)
	}
	return st, rows.Err()
}

// IDByNumber returns the Ref of the record with the given post-local
// number; devices of one post may have given the same number
// (ErrAmbiguous). A real record comes before training records that took
// its number at a training office.
func (s *Store) IDByNumber(ctx context.Context, number string) (string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT origin, id FROM records WHERE number = ?
		AND training = (SELECT min(training) FROM records WHERE number = ?) ORDER BY rid LIMIT 3`, number, number)
	if err != nil {
		return "", fmt.Errorf("find record %s: %w", number, classify(err, s.path))
	}
	defer rows.Close()
	var refs, ids []string
	for rows.Next() {
		var origin, id string
		if err := rows.Scan(&origin, &id); err != nil {
			return "", fmt.Errorf("find record %s: %w", number, err)
		}
		refs, ids = append(refs, Ref(origin, id)), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("find record %s: %w", number, err)
	}
	switch len(refs) {
	case 0:
		return "", newError(ErrNotFound, nil, "id", number)
	case 1:
		return refs[0], nil
	}
	return "", newError(ErrAmbiguous, nil, "id", number, "numbers", strings.Join(ids, ", "))
}
