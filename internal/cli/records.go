package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

func (r *run) initCmd(args []string) error {
	fs := r.flags("init")
	post := fs.String("post", "", "")
	name := fs.String("name", "", "")
	office := fs.Bool("office", false, "")
	agency := fs.String("agency", "", "")
	points := fs.String("points", "", "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *post == "" || *name == "" {
		return usagef("cli.err.init_needs_post")
	}
	dir, err := r.dir()
	if err != nil {
		return err
	}
	svc, err := service.Init(r.ctx, dir, service.Setup{PostCode: *post, PostName: *name, Office: *office, Agency: *agency,
		CrossingPoints: service.ParseCrossingPoints(*points)})
	if err != nil {
		return err
	}
	defer svc.Close()
	p, err := svc.Post(r.ctx)
	if err != nil {
		return err
	}
	r.say("cli.init.done", "path", dir, "post", p.Code, "name", p.Name)
	return nil
}

func (r *run) recordCmd(args []string) error {
	return r.dispatch("record", args, map[string]func(*run, []string) error{
		"add": (*run).recordAdd, "list": (*run).recordList, "show": (*run).recordShow,
	})
}

func (r *run) recordAdd(args []string) error {
	fs := r.flags("record add")
	photos := fs.String("photos", "", "")
	encoding := fs.String("encoding", service.UTF8, "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	in, base := io.Reader(r.env.Stdin), "."
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return &service.Error{Key: "cli.err.open_file", Args: []any{"path", pos[0]}, Err: err}
		}
		defer f.Close()
		in, base = f, filepath.Dir(pos[0])
	}
	if *photos != "" {
		base = *photos
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	res, err := svc.AddJSON(r.ctx, in, service.Intake{PhotoDir: base, Encoding: *encoding})
	if err != nil {
		return err
	}
	for _, a := range res.Added {
		fmt.Fprintf(r.env.Stdout, "%s\t%s\n", a.Number, a.ID)
	}
	for _, i := range slices.Sorted(maps.Keys(res.Before)) {
		b := res.Before[i]
		fmt.Fprintf(r.env.Stdout, "%s\t%s\t%s\n", b.Number, b.ID, r.tr.T("cli.record.before_mark"))
	}
	r.say("cli.record.added", "count", len(res.Added))
	if len(res.Before) > 0 {
		r.say("cli.record.added_before", "count", len(res.Before))
	}
	return nil
}

func (r *run) recordList(args []string) error {
	fs := r.flags("record list")
	asJSON := fs.Bool("json", false, "")
	status := fs.String("status", "", "")
	category := fs.String("category", "", "")
	point := fs.String("point", "", "")
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	deleted := fs.Bool("deleted", false, "")
	limit := fs.Int("limit", 0, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	f := view.Filter{Status: *status, Category: *category, CrossingPoint: *point, Deleted: *deleted, Limit: 1000}
	var err error
	if f.From, err = parseDay("from", *from); err != nil {
		return err
	}
	if f.To, err = parseDay("to", *to); err != nil {
		return err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // --to is inclusive
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	var all []view.Summary
	for {
		page, err := svc.List(r.ctx, f)
		if err != nil {
			return err
		}
		all = append(all, page.Records...)
		if page.Next == nil || (*limit > 0 && len(all) >= *limit) {
			break
		}
		f.After = page.Next
	}
	if *limit > 0 && len(all) > *limit {
		all = all[:*limit]
	}
	if *asJSON {
		return r.printJSON(nonNil(all))
	}
	r.printSummaries(all, false)
	return nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func parseDay(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return t, usagef("cli.err.date", "flag", name, "value", s)
	}
	return t, nil
}

func (r *run) printJSON(v any) error {
	enc := json.NewEncoder(r.env.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printSummaries prints records as a table; found adds the column that
// says why a search found each one.
func (r *run) printSummaries(rs []view.Summary, found bool) {
	tw := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	cols := []string{r.tr.T("cli.col.number"), r.tr.T("cli.col.date"), r.tr.T("cli.col.status"),
		r.tr.T("cli.col.point"), r.tr.T("cli.col.pieces"), r.tr.T("cli.col.rounds"), r.tr.T("cli.col.id")}
	if found {
		cols = append(cols, r.tr.T("cli.col.found"))
	}
	fmt.Fprintln(tw, strings.Join(cols, "\t"))
	for _, s := range rs {
		status := r.tr.T(record.Statuses.LabelKey(s.Status))
		if s.Training {
			status += " " + r.tr.T("cli.training_mark")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s", s.Number, r.tr.DateTime(s.OccurredAt.Local()), status, s.CrossingPoint, s.Pieces, s.Rounds, s.ID)
		if found {
			var why []string
			for _, m := range s.Matches {
				why = append(why, m.Field+" = "+short(m.Value, 40))
			}
			fmt.Fprintf(tw, "\t%s", strings.Join(why, "; "))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	r.say("cli.records_count", "count", len(rs))
}

func (r *run) recordShow(args []string) error {
	fs := r.flags("record show")
	asJSON := fs.Bool("json", false, "")
	history := fs.Bool("history", false, "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	id, err := svc.Resolve(r.ctx, pos[0])
	if err != nil {
		return err
	}
	cur, err := svc.Get(r.ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		return r.printJSON(cur.Record)
	}
	r.printRecord(cur)
	if err := r.printIdents(svc, id); err != nil {
		return err
	}
	if *history {
		hist, err := svc.History(r.ctx, id)
		if err != nil {
			return err
		}
		audit, err := svc.Audit(r.ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprintln(r.env.Stdout)
		r.say("cli.show.history")
		for _, v := range hist {
			fmt.Fprintf(r.env.Stdout, "  v%d  %s  %s  %s  %s\n", v.Record.Version, r.tr.T(record.Statuses.LabelKey(v.Record.Status)), r.tr.DateTime(v.SavedAt.Local()), v.Actor, v.Hash)
		}
		for _, e := range audit {
			fmt.Fprintf(r.env.Stdout, "  #%d  %s  %s  v%d  %s\n", e.Seq, r.tr.DateTime(e.Time().Local()), r.tr.T("audit.action."+e.Action), e.Version, e.Actor)
		}
	}
	return nil
}

func (r *run) printRecord(cur *view.Current) {
	in := cur.Record
	w := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	line := func(key, value string) {
		if value != "" {
			fmt.Fprintf(w, "%s:\t%s\n", r.tr.T(key), value)
		}
	}
	label := func(v record.Vocabulary, code string) string {
		if code == "" {
			return ""
		}
		return r.tr.T(v.LabelKey(code))
	}
	labels := func(v record.Vocabulary, codes []string) string {
		out := make([]string, len(codes))
		for i, c := range codes {
			out[i] = label(v, c)
		}
		return strings.Join(out, ", ")
	}
	status := label(record.Statuses, in.Status)
	if cur.Deleted {
		status += " — " + r.tr.T("cli.deleted_mark")
	}
	if in.Training {
		status += " " + r.tr.T("cli.training_mark")
	}
	line("field.number", in.Number)
	line("field.id", in.ID.String())
	line("field.version", fmt.Sprint(in.Version))
	line("field.status", status)
	line("field.post_code", in.PostCode)
	line("field.occurred_at", r.tr.DateTime(in.OccurredAt)+" ("+in.OccurredAt.Format("-07:00")+")")
	line("field.crossing_point", in.CrossingPoint)
	line("field.location_type", label(record.LocationTypes, in.LocationType))
	line("field.direction", label(record.Directions, in.Direction))
	line("field.recovery", label(record.RecoveryTypes, in.Recovery))
	line("field.legal_basis", strings.TrimSpace(label(record.LegalBases, in.LegalBasis)+" "+in.LegalBasisText))
	line("field.detection", labels(record.DetectionMethods, in.Detection))
	line("field.transport", label(record.TransportModes, in.Transport))
	if c := in.Conveyance; c != nil {
		line("field.conveyance", strings.Join(nonEmpty(c.Description, c.Plate, c.Country, c.VIN, c.Container, c.Voyage), ", "))
	}
	line("field.concealment", labels(record.ConcealmentMethods, in.Concealment))
	line("field.criminal_context", labels(record.CriminalContexts, in.CriminalContext))
	route := nonEmpty(append(append([]string{in.Route.Departure}, in.Route.Transit...), in.Route.Destination)...)
	line("field.route", strings.Join(route, " → "))
	for _, o := range in.Officers {
		line("field.officer", strings.Join(nonEmpty(o.Rank, o.Name, o.Position), " "))
	}
	for _, p := range in.People {
		line("enum.person_role."+p.Role, strings.Join(nonEmpty(p.Name, p.NameLatin, p.BirthDate, p.Nationality, p.DocumentNumber, p.Phone), ", "))
	}
	line("field.narrative", in.Narrative)
	line("field.remarks", in.Remarks)
	line("field.hash", cur.Hash)
	w.Flush()
	if len(in.Items) > 0 {
		fmt.Fprintln(r.env.Stdout)
		r.say("field.items")
	}
	for i, it := range in.Items {
		desc := []string{r.tr.T(record.CategoryLabelKey(it.Category())), it.Description}
		switch {
		case it.Firearm != nil:
			desc = append(desc, nonEmpty(it.Firearm.Make, it.Firearm.Model, it.Firearm.Calibre.Label())...)
		case it.Part != nil:
			desc = append(desc, nonEmpty(it.Part.Make, it.Part.Model, it.Part.Calibre.Label())...)
		case it.Ammunition != nil:
			desc = append(desc, it.Ammunition.Calibre.Label(), r.tr.N("cli.rounds", it.Ammunition.Rounds))
		}
		for _, s := range it.Serials() {
			serial := s.Number
			if s.State != "intact" {
				serial = strings.TrimSpace(serial + " (" + r.tr.T(record.SerialStates.LabelKey(s.State)) + ")")
			}
			desc = append(desc, "№ "+serial)
		}
		fmt.Fprintf(r.env.Stdout, "  %d. %s × %d\n", i+1, strings.Join(nonEmpty(desc...), ", "), it.Quantity)
	}
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *run) searchCmd(args []string) error {
	fs := r.flags("search")
	asJSON := fs.Bool("json", false, "")
	pos, err := r.parse(fs, args, 1, 100)
	if err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	query := strings.Join(pos, " ")
	hits, err := svc.Search(r.ctx, query, view.Filter{})
	if err == nil {
		err = svc.Describe(r.ctx, query, hits)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return r.printJSON(nonNil(hits))
	}
	r.printSummaries(hits, true)
	for _, h := range hits {
		if len(h.Identifiers) > 0 {
			fmt.Fprintf(r.env.Stdout, "%s  %s %s\n", h.Number, r.tr.T("cli.show.idents"), identsText(r.tr.T, h.Identifiers))
		}
	}
	return nil
}

// printIdents lists the identifiers a record carries, by kind, and what
// links them to other records.
func (r *run) printIdents(svc *service.Service, ref string) error {
	ids, err := svc.Idents(r.ctx, ref)
	if err != nil || len(ids) == 0 {
		return err
	}
	cs, err := svc.LinksOf(r.ctx, ref, links.Filter{Suggestions: true, Dismissed: true})
	if err != nil {
		return err
	}
	shared := map[string]int{}
	for _, c := range cs {
		shared[c.ID()] = len(c.Records) - 1
	}
	fmt.Fprintln(r.env.Stdout)
	r.say("cli.show.idents")
	for _, id := range ids {
		line := fmt.Sprintf("  %s: %s  (%s:%s)", r.tr.T("links.kind."+string(id.Kind)), id.Label, id.Kind, id.Key)
		if n := shared[string(id.Kind)+":"+id.Key]; n > 0 {
			line += "  " + r.tr.T("cli.show.linked", "count", n)
		}
		fmt.Fprintln(r.env.Stdout, line)
	}
	return nil
}

// identsText is a search hit's identifiers, kind and value.
func identsText(t func(string, ...any) string, ids []view.Ident) string {
	var parts []string
	for _, id := range ids {
		parts = append(parts, t("links.kind."+id.Kind)+" "+id.Label)
	}
	return strings.Join(parts, "; ")
}

func (r *run) statsCmd(args []string) error {
	fs := r.flags("stats")
	asJSON := fs.Bool("json", false, "")
	training := fs.Bool("training", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	st, err := svc.Stats(r.ctx, *training)
	if err != nil {
		return err
	}
	if *asJSON {
		st.ByCategory = nonNil(st.ByCategory)
		st.ByMonth = nonNil(st.ByMonth)
		return r.printJSON(st)
	}
	r.say("cli.stats.total", "records", r.tr.Number(int64(st.Records)), "pieces", r.tr.Number(int64(st.Pieces)), "rounds", r.tr.Number(int64(st.Rounds)))
	n := func(v int) string { return r.tr.Number(int64(v)) }
	w := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", r.tr.T("cli.col.category"), r.tr.T("cli.col.items"), r.tr.T("cli.col.pieces"), r.tr.T("cli.col.rounds"))
	for _, c := range st.ByCategory {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", r.tr.T(record.CategoryLabelKey(c.Category)), n(c.Items), n(c.Pieces), n(c.Rounds))
	}
	fmt.Fprintln(w, "\t\t\t\t")
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", r.tr.T("cli.col.month"), r.tr.T("cli.col.records"), r.tr.T("cli.col.pieces"), r.tr.T("cli.col.rounds"))
	for _, m := range st.ByMonth {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", m.Month, n(m.Records), n(m.Pieces), n(m.Rounds))
	}
	w.Flush()
	if st.TrainingLeftOut > 0 {
		r.say("cli.stats.training_left_out", "count", st.TrainingLeftOut)
	}
	return nil
}

func (r *run) demoCmd(args []string) error {
	fs := r.flags("demo")
	n := fs.Int("records", 100, "")
	items := fs.Int("items", 10, "")
	seed := fs.Uint64("seed", 1, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *n <= 0 || *items <= 0 {
		return usagef("cli.err.positive", "flag", "records/items")
	}
	dir, err := r.dir()
	if err != nil {
		return err
	}
	svc, err := service.Open(r.ctx, dir)
	if errors.Is(err, service.ErrNotSetUp) {
		// A training office holds records of several posts.
		svc, err = service.Init(r.ctx, dir, service.Setup{PostCode: "KZ-TRN", PostName: r.tr.T("cli.demo.post_name"), Office: true})
	}
	if err != nil {
		return err
	}
	defer svc.Close()
	done, err := svc.FillDemo(r.ctx, *n, *items, *seed, r.progress("cli.demo.progress"))
	if r.ctx.Err() != nil && done > 0 {
		// The batches written are kept; the same seed would make them again.
		return &service.Error{Key: "cli.demo.stopped", Args: []any{"count", done, "path", dir}, Err: r.ctx.Err()}
	}
	if err != nil {
		return err
	}
	r.say("cli.demo.done", "count", *n, "path", dir)
	return nil
}

func (r *run) auditCmd(args []string) error {
	fs := r.flags("audit")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	rep, err := svc.CheckAudit(r.ctx)
	if err != nil {
		return err
	}
	r.say("cli.audit.ok")
	if rep.Checkpoints == 0 {
		r.say("cli.audit.not_anchored", "entries", r.tr.Number(rep.Entries))
		return nil
	}
	r.say("cli.audit.anchored", "count", rep.Checkpoints, "seq", r.tr.Number(rep.LastCheckpoint), "entries", r.tr.Number(rep.Entries),
		"date", r.tr.DateTime(rep.LastCheckpointAt.Local()), "after", r.tr.Number(rep.Unanchored()))
	return nil
}

func (r *run) versionCmd(args []string) error {
	fs := r.flags("version")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	fmt.Fprintf(r.env.Stdout, "kordon %s (schema %d)\n", Version, service.SchemaVersion())
	return nil
}

func (r *run) reportCmd(args []string) error {
	fs := r.flags("report")
	out := fs.String("out", "", "")
	lang := fs.String("lang", "", "")
	lang2 := fs.String("lang2", "", "")
	version := fs.Int("version", 0, "")
	force := fs.Bool("force", false, "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("cli.err.needs_out")
	}
	cat, err := Catalog()
	if err != nil {
		return err
	}
	tr, err := langArg(cat, *lang, r.tr)
	if err != nil {
		return err
	}
	tr2, err := langArg(cat, *lang2, nil)
	if err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	id, err := svc.Resolve(r.ctx, pos[0])
	if err != nil {
		return err
	}
	warnings, err := svc.WriteProtocol(r.ctx, id, *version, *out, service.Overwrite(*force), tr, tr2)
	if err != nil {
		return forceHint(err)
	}
	for _, w := range warnings {
		fmt.Fprintln(r.env.Stderr, "kordon: "+w)
	}
	r.say("cli.report.done", "path", *out)
	return nil
}

// langArg is the translator for a language named on the command line, def
// if none is named.
func langArg(cat *i18n.Catalog, code string, def *i18n.Translator) (*i18n.Translator, error) {
	if code == "" {
		return def, nil
	}
	m := i18n.Match(code)
	if !cat.Has(m) || (m == i18n.Default && !strings.HasPrefix(strings.ToLower(code), "en")) {
		return nil, usagef("cli.err.lang", "value", code)
	}
	return cat.For(m), nil
}

// short puts s on one line and cuts it to at most n letters, marking the
// cut.
func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
