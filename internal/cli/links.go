package cli

import (
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kordon/kordon/internal/fault"
	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/service"
)

// linksCmd: kordon links [filters] | links RECORD | links judge | links export.
func (r *run) linksCmd(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "judge":
			return r.linksJudge(args[1:])
		case "export":
			return r.linksExport(args[1:])
		}
	}
	fs := r.flags("links")
	asJSON := fs.Bool("json", false, "")
	f, err := r.linkFilter(fs, args, 0, 1)
	if err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	var cs []links.Cluster
	if f.record != "" {
		ref, err := svc.Resolve(r.ctx, f.record)
		if err != nil {
			return err
		}
		if cs, err = svc.LinksOf(r.ctx, ref, f.Filter); err != nil {
			return err
		}
	} else if cs, err = svc.Clusters(r.ctx, f.Filter); err != nil {
		return err
	}
	if *asJSON {
		out := make([]jsonCluster, len(cs))
		for i := range cs {
			out[i] = toJSON(&cs[i])
		}
		return r.printJSON(out)
	}
	r.printClusters(cs)
	return nil
}

// cliFilter is a links filter as flags give it, and the record asked for.
type cliFilter struct {
	links.Filter
	record string
}

// linkFilter reads the filter flags. Bad values are failures (exit 1),
// not usage errors: a script learns why.
func (r *run) linkFilter(fs *flag.FlagSet, args []string, minPos, maxPos int) (*cliFilter, error) {
	kind := fs.String("kind", "", "")
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	post := fs.String("post", "", "")
	country := fs.String("country", "", "")
	suggestions := fs.Bool("suggestions", false, "")
	all := fs.Bool("all", false, "")
	training := fs.Bool("training", false, "")
	pos, err := r.parse(fs, args, minPos, maxPos)
	if err != nil {
		return nil, err
	}
	f := &cliFilter{Filter: links.Filter{Suggestions: *suggestions, Dismissed: *all, Training: *training,
		Post: strings.ToUpper(strings.TrimSpace(*post)), Country: strings.ToUpper(strings.TrimSpace(*country))}}
	if len(pos) > 0 {
		f.record = pos[0]
	}
	for _, k := range strings.Split(*kind, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		kk, ok := idkey.ParseKind(k)
		if !ok {
			return nil, fault.New(links.ErrKind, nil, "kind", k)
		}
		f.Kinds = append(f.Kinds, kk)
	}
	if f.From, err = linkDay("from", *from); err != nil {
		return nil, err
	}
	if f.To, err = linkDay("to", *to); err != nil {
		return nil, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // --to is inclusive
	}
	return f, nil
}

// linkDay reads a --from or --to date; a malformed one is a failure.
func linkDay(name, s string) (time.Time, error) {
	t, err := parseDay(name, s)
	if err != nil {
		return t, &fault.Error{Key: "cli.err.date", Args: []any{"flag", name, "value", s}}
	}
	return t, nil
}

// jsonCluster is the contract of `kordon links --json`.
type jsonCluster struct {
	ID        string           `json:"id"`
	Kind      idkey.Kind       `json:"kind"`
	Key       string           `json:"key"`
	Label     string           `json:"label"`
	Strength  string           `json:"strength"`
	Records   []links.Member   `json:"records"`
	Judgement *links.Judgement `json:"judgement"`
}

func toJSON(c *links.Cluster) jsonCluster {
	return jsonCluster{ID: c.ID(), Kind: c.Kind, Key: c.Key, Label: c.Label, Strength: c.Strength, Records: c.Records, Judgement: c.Judgement}
}

// printClusters prints clusters: for each, a line that says what is
// shared, its id, and its records oldest first.
func (r *run) printClusters(cs []links.Cluster) {
	for i := range cs {
		c := &cs[i]
		verdict := ""
		if c.Judgement != nil {
			verdict = "  [" + r.tr.T("links.verdict."+c.Judgement.Verdict) + "]"
		}
		fmt.Fprintf(r.env.Stdout, "%s · %s · %s · %s%s\n  %s\n", r.tr.T("links.strength."+c.Strength), r.tr.T("links.kind."+string(c.Kind)), c.Label,
			r.tr.N("links.records", len(c.Records)), verdict, c.ID())
		tw := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
		for _, m := range c.Timeline() {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", m.Number, m.PostCode, r.tr.Date(m.OccurredAt), m.Label)
		}
		tw.Flush()
	}
	r.say("cli.links.count", "count", len(cs))
}

func (r *run) linksJudge(args []string) error {
	fs := r.flags("links judge")
	note := fs.String("note", "", "")
	pos, err := r.parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.Judge(r.ctx, pos[0], pos[1], *note, nil); err != nil {
		return err
	}
	js, err := svc.Judgements(r.ctx, pos[0])
	if err != nil || len(js) == 0 {
		return err
	}
	kind, key, _ := links.ParseID(pos[0])
	r.say("cli.links.judged", "id", links.ID(kind, key), "verdict", r.tr.T("links.verdict."+pos[1]), "records", len(js[len(js)-1].Records))
	return nil
}

func (r *run) linksExport(args []string) error {
	fs := r.flags("links export")
	format := fs.String("format", "", "")
	out := fs.String("out", "", "")
	force := fs.Bool("force", false, "")
	f, err := r.linkFilter(fs, args, 0, 0)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("cli.err.args", "command", "links export")
	}
	if *format != links.FormatANB && *format != links.FormatFTM {
		return fault.New(links.ErrFormat, nil, "format", *format)
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.ExportLinks(r.ctx, *format, f.Filter, *out, service.Overwrite(*force)); err != nil {
		return err
	}
	r.say("cli.links.exported", "path", *out, "format", *format)
	return nil
}
