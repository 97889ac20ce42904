package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/kordon/kordon/internal/screening"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/view"
)

// screeningCmd: kordon screening load FILE | export --out FILE | kordon screening [--json].
func (r *run) screeningCmd(args []string) error {
	if len(args) > 0 && args[0] == "export" {
		fs := r.flags("screening export")
		out := fs.String("out", "", "")
		force := fs.Bool("force", false, "")
		if _, err := r.parse(fs, args[1:], 0, 0); err != nil {
			return err
		}
		if *out == "" {
			return usagef("cli.err.args", "command", "screening export")
		}
		svc, err := r.open()
		if err != nil {
			return err
		}
		defer svc.Close()
		info, err := svc.ExportLists(r.ctx, *out, service.Overwrite(*force))
		if err != nil {
			return err
		}
		r.say("cli.screening.exported", "path", *out, "date", r.tr.Date(info.Generated))
		return nil
	}
	if len(args) > 0 && args[0] == "load" {
		pos, err := r.parse(r.flags("screening load"), args[1:], 1, 1)
		if err != nil {
			return err
		}
		svc, err := r.open()
		if err != nil {
			return err
		}
		defer svc.Close()
		info, err := svc.LoadList(r.ctx, pos[0])
		if err != nil {
			return err
		}
		r.sayList(info)
		return nil
	}
	fs := r.flags("screening")
	asJSON := fs.Bool("json", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	info, err := svc.ListInfo(r.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return r.printJSON(info)
	}
	if info == nil {
		r.say("cli.screening.none")
		return nil
	}
	r.sayList(info)
	return nil
}

func (r *run) sayList(info *view.ListInfo) {
	r.say("cli.screening.list", "date", r.tr.Date(info.Generated), "entries", info.Entries,
		"loaded", r.tr.DateTime(info.LoadedAt.Local()), "sha256", info.SHA256)
}

// jsonHit is the contract of `kordon screen --json`.
type jsonHit struct {
	Reference  string   `json:"reference"`
	ListType   string   `json:"list_type"`
	Kind       string   `json:"kind"`
	ListedName string   `json:"listed_name"`
	Matched    string   `json:"matched"`
	Score      float64  `json:"score"`
	Why        []string `json:"why"`
	// Pairs are the name's tokens paired with the listed name's, as Latin
	// keys, and their scores.
	Pairs []screening.Pair `json:"pairs,omitempty"`
	// Of a hit in the store: the record, and who in it.
	Record string `json:"record,omitempty"`
	Number string `json:"number,omitempty"`
	Who    string `json:"who,omitempty"`
	Path   string `json:"path,omitempty"`
	// Decision is what was decided of the hit, if anything (confirmed).
	Decision *view.Decision `json:"decision,omitempty"`
}

func hitJSON(h *screening.Hit) jsonHit {
	listed := ""
	if len(h.Entry.Names) > 0 {
		listed = h.Entry.Names[0].Text
	}
	return jsonHit{Reference: h.Entry.Reference, ListType: h.Entry.ListType, Kind: h.Entry.Kind, ListedName: listed,
		Matched: h.Matched, Score: h.Score, Why: nonNil(h.Why), Pairs: h.Pairs}
}

// screenDecide: kordon screen decide RECORD PATH REFERENCE confirmed|false_match [--note TEXT].
func (r *run) screenDecide(args []string) error {
	fs := r.flags("screen decide")
	note := fs.String("note", "", "")
	pos, err := r.parse(fs, args, 4, 4)
	if err != nil {
		return err
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	ref, err := svc.Resolve(r.ctx, pos[0])
	if err != nil {
		return err
	}
	if err := svc.Decide(r.ctx, ref, pos[1], pos[2], pos[3], *note); err != nil {
		return err
	}
	r.say("cli.screen.decided", "reference", pos[2], "path", pos[1], "verdict", r.tr.T("screening.verdict."+pos[3]))
	return nil
}

// screenCmd: kordon screen --name … | kordon screen (the whole store) | kordon screen decide.
func (r *run) screenCmd(args []string) error {
	if len(args) > 0 && args[0] == "decide" {
		return r.screenDecide(args[1:])
	}
	fs := r.flags("screen")
	name := fs.String("name", "", "")
	birth := fs.String("birth", "", "")
	nationality := fs.String("nationality", "", "")
	kind := fs.String("kind", "", "")
	document := fs.String("document", "", "")
	training := fs.Bool("training", false, "")
	asJSON := fs.Bool("json", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	switch *kind {
	case "", screening.QueryPerson, screening.QueryOrganisation:
	default:
		return usagef("cli.err.screen_kind", "kind", *kind)
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	var out []jsonHit
	if strings.TrimSpace(*name) == "" && *document == "" {
		hits, err := svc.ScreenAll(r.ctx, *training, nil)
		if err != nil {
			return err
		}
		for i := range hits {
			j := hitJSON(&hits[i].Hit)
			j.Record, j.Number, j.Who, j.Path, j.Decision = hits[i].Record.Ref(), hits[i].Record.Number, hits[i].Who, hits[i].Path, hits[i].Decision
			out = append(out, j)
		}
	} else {
		hits, err := svc.Screen(r.ctx, screening.Query{Name: *name, Kind: *kind, BirthDate: *birth,
			Nationality: strings.ToUpper(*nationality), Document: *document})
		if err != nil {
			return err
		}
		for i := range hits {
			out = append(out, hitJSON(&hits[i]))
		}
	}
	if *asJSON {
		return r.printJSON(nonNil(out))
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	for _, h := range out {
		if h.Number != "" {
			fmt.Fprintf(tw, "%s\t%s\t", h.Number, h.Who)
		}
		fmt.Fprintf(tw, "%.2f\t%s\t%s\t%s\t%s\n", h.Score, h.Reference, h.ListType, h.Matched, strings.Join(h.Why, "; "))
	}
	tw.Flush()
	r.say("cli.screen.count", "count", len(out))
	return nil
}
