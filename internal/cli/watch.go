package cli

import (
	"fmt"
	"text/tabwriter"
)

// watchCmd: kordon watch add | list | remove.
func (r *run) watchCmd(args []string) error {
	return r.dispatch("watch", args, map[string]func(*run, []string) error{
		"add":    (*run).watchAdd,
		"list":   (*run).watchList,
		"remove": (*run).watchRemove,
	})
}

func (r *run) watchAdd(args []string) error {
	fs := r.flags("watch add")
	kind := fs.String("kind", "", "")
	value := fs.String("value", "", "")
	reason := fs.String("reason", "", "")
	until := fs.String("until", "", "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	e, err := svc.AddWatch(r.ctx, *kind, *value, *reason, *until)
	if err != nil {
		return err
	}
	r.say("cli.watch.added", "id", e.ID, "kind", r.tr.T("ui.watch.kind."+e.Kind), "value", e.Value)
	return nil
}

func (r *run) watchList(args []string) error {
	fs := r.flags("watch list")
	asJSON := fs.Bool("json", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	list, err := svc.Watch(r.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return r.printJSON(nonNil(list))
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, r.tr.T("ui.watch.kind."+e.Kind), e.Value, e.Until, e.Reason)
	}
	tw.Flush()
	r.say("cli.watch.count", "count", len(list))
	return nil
}

func (r *run) watchRemove(args []string) error {
	pos, err := r.parse(r.flags("watch remove"), args, 1, 1)
	if err != nil {
		return err
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.RemoveWatch(r.ctx, pos[0]); err != nil {
		return err
	}
	r.say("cli.watch.removed", "id", pos[0])
	return nil
}
