package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// traceCmd: kordon trace request | list | update | show.
func (r *run) traceCmd(args []string) error {
	return r.dispatch("trace", args, map[string]func(*run, []string) error{
		"request": (*run).traceRequest,
		"list":    (*run).traceList,
		"update":  (*run).traceUpdate,
		"show":    (*run).traceShow,
	})
}

// traceRequest writes the tracing request of an item as PDF and, with
// --json, its JSON twin. The labels are in --lang (the folder's language)
// beside --lang2 (English, the usual working language of requests).
func (r *run) traceRequest(args []string) error {
	fs := r.flags("trace request")
	to := fs.String("to", "", "")
	out := fs.String("out", "", "")
	jsonOut := fs.String("json", "", "")
	lang := fs.String("lang", "", "")
	lang2 := fs.String("lang2", "", "")
	ref := fs.String("ref", "", "")
	priority := fs.String("priority", "", "")
	urgency := fs.String("urgency", "", "")
	officer := fs.String("officer", "", "")
	contact := fs.String("contact", "", "")
	force := fs.Bool("force", false, "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *out == "" && *jsonOut == "" {
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
	if *lang2 == "" && tr.Lang() != i18n.Default {
		*lang2 = i18n.Default
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
	target, err := svc.TraceItem(r.ctx, pos[0])
	if err != nil {
		return err
	}
	d, err := svc.TraceDocument(r.ctx, target, service.TraceRequestOptions{
		To: *to, Reference: *ref, Priority: *priority, Urgency: *urgency, Officer: *officer, Contact: *contact,
	})
	if err != nil {
		return err
	}
	warnings, err := svc.WriteTraceRequest(r.ctx, d, *out, *jsonOut, service.Overwrite(*force), tr, tr2)
	if err != nil {
		return forceHint(err)
	}
	for _, w := range warnings {
		fmt.Fprintln(r.env.Stderr, "kordon: "+w)
	}
	for _, p := range []string{*out, *jsonOut} {
		if p != "" {
			r.say("cli.trace.written", "path", p, "reference", d.Reference)
		}
	}
	return nil
}

func (r *run) traceList(args []string) error {
	fs := r.flags("trace list")
	status := fs.String("status", "", "")
	overdue := fs.Bool("overdue", false, "")
	limit := fs.Int("limit", 200, "")
	asJSON := fs.Bool("json", false, "")
	training := fs.Bool("training", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("cli.err.flag", "detail", "--limit")
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	if !*training {
		// A training office's records are all training ones.
		if *training, err = svc.TrainingOnly(r.ctx); err != nil {
			return err
		}
	}
	list, err := svc.TraceList(r.ctx, view.TraceFilter{Status: strings.TrimSpace(*status), Overdue: *overdue, Limit: *limit, Training: *training})
	if err != nil {
		return err
	}
	if *asJSON {
		return r.printJSON(list)
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	for _, it := range list.Items {
		to, ref, due := "", "", ""
		if it.State != nil {
			for _, q := range it.State.Trace.Requests {
				if q.Open() || to == "" {
					to, ref, due = q.To, q.Reference, q.Due
				}
			}
		}
		mark := ""
		if it.Overdue {
			mark = r.tr.T("cli.trace.overdue")
		}
		fmt.Fprintf(tw, "%s#%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Number, it.Item, it.At.Format("2006-01-02"),
			r.tr.T(categoryKey(it.Category)), short(strings.TrimSpace(it.Make+" "+it.Model), 30), it.Serial,
			r.tr.T(tracing.Statuses.LabelKey(it.Status)), to, ref, due, mark)
	}
	tw.Flush()
	var counts []string
	for _, s := range tracing.Statuses.Codes {
		counts = append(counts, fmt.Sprintf("%s %d", r.tr.T(tracing.Statuses.LabelKey(s)), list.ByStatus[s]))
	}
	r.say("cli.trace.counts", "shown", len(list.Items), "matched", list.Matched, "traced", list.Traced, "overdue", list.Overdue)
	fmt.Fprintln(r.env.Stdout, strings.Join(counts, " · "))
	return nil
}

// categoryKey is the catalog key of an item category as the work list
// holds it: a firearm category, or "part." and a part type.
func categoryKey(c string) string {
	if t, ok := strings.CutPrefix(c, "part."); ok {
		return "enum.part_type." + t
	}
	return "enum.firearm_category." + c
}

func (r *run) traceUpdate(args []string) error {
	fs := r.flags("trace update")
	var c tracing.Change
	fs.StringVar(&c.Status, "status", "", "")
	fs.StringVar(&c.Reason, "reason", "", "")
	fs.StringVar(&c.Reference, "request-ref", "", "")
	fs.StringVar(&c.To, "to", "", "")
	fs.StringVar(&c.Channel, "channel", "", "")
	fs.StringVar(&c.Sent, "sent", "", "")
	fs.StringVar(&c.Due, "due", "", "")
	fs.StringVar(&c.Answered, "answered", "", "")
	fs.BoolVar(&c.ManufacturerConfirmed, "manufacturer-confirmed", false, "")
	fs.StringVar(&c.LastLegalCountry, "last-legal-country", "", "")
	fs.StringVar(&c.Holder, "holder", "", "")
	fs.StringVar(&c.DiversionCountry, "diversion-country", "", "")
	fs.StringVar(&c.DiversionDate, "diversion-date", "", "")
	fs.StringVar(&c.DiversionType, "diversion-type", "", "")
	fs.StringVar(&c.AnswerText, "answer", "", "")
	fs.StringVar(&c.Note, "note", "", "")
	fs.BoolVar(&c.Correct, "correct", false, "")
	fs.IntVar(&c.RemoveRequest, "remove-request", 0, "")
	clear := fs.String("clear", "", "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if strings.TrimSpace(c.Status) == "" && !c.Correct {
		return usagef("cli.err.trace_status")
	}
	if *clear != "" {
		c.Clear = strings.Split(*clear, ",")
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	target, err := svc.TraceItem(r.ctx, pos[0])
	if err != nil {
		return err
	}
	st, err := svc.UpdateTrace(r.ctx, target, c)
	if err != nil {
		return err
	}
	r.say("cli.trace.updated", "item", target.Name(),
		"status", r.tr.T(tracing.Statuses.LabelKey(st.Trace.Status)), "version", st.Version)
	return nil
}

func (r *run) traceShow(args []string) error {
	fs := r.flags("trace show")
	asJSON := fs.Bool("json", false, "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	target, err := svc.TraceItem(r.ctx, pos[0])
	if err != nil {
		return err
	}
	h, err := svc.TraceHistory(r.ctx, target)
	if err != nil {
		return err
	}
	if *asJSON {
		return r.printJSON(nonNil(h))
	}
	fmt.Fprintf(r.env.Stdout, "%s  %s\n", target.Name(), target.ItemID)
	if len(h) == 0 {
		r.say("cli.trace.none")
		return nil
	}
	for _, st := range h {
		t := st.Trace
		fmt.Fprintf(r.env.Stdout, "%d  %s  %s  %s\n", st.Version, st.At.Local().Format("2006-01-02 15:04"), st.Actor, r.tr.T(tracing.Statuses.LabelKey(t.Status)))
		if t.Reason != "" {
			fmt.Fprintf(r.env.Stdout, "   %s\n", r.tr.T(tracing.Reasons.LabelKey(t.Reason)))
		}
		for _, q := range t.Requests {
			fmt.Fprintf(r.env.Stdout, "   → %s  %s  %s  %s  %s  %s\n", q.To, r.tr.T(tracing.Channels.LabelKey(q.Channel)), q.Reference, q.Sent, q.Due, q.Answered)
		}
		if a := t.Answer; a != nil {
			fmt.Fprintf(r.env.Stdout, "   %s %s %s %s %s\n", a.LastLegalCountry, labelOr(r.tr, tracing.Holders, a.Holder),
				a.DiversionCountry, a.DiversionDate, labelOr(r.tr, tracing.Diversions, a.DiversionType))
			if a.Text != "" {
				fmt.Fprintf(r.env.Stdout, "   %s\n", short(a.Text, 200))
			}
		}
		if t.Note != "" {
			fmt.Fprintf(r.env.Stdout, "   %s\n", short(t.Note, 200))
		}
	}
	return nil
}

func labelOr(tr *i18n.Translator, v interface{ LabelKey(string) string }, code string) string {
	if code == "" {
		return ""
	}
	return tr.T(v.LabelKey(code))
}
