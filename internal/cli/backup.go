package cli

import (
	"github.com/kordon/kordon/internal/service"
)

func (r *run) backupCmd(args []string) error {
	fs := r.flags("backup")
	out := fs.String("out", "", "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *out == "" {
		return usagef("cli.err.needs_out")
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	res, err := svc.Backup(r.ctx, *out)
	if err != nil {
		return err
	}
	r.say("cli.backup.done", "path", res.Path, "records", r.tr.Number(int64(res.Records)), "entries", r.tr.Number(res.Entries))
	return nil
}

func (r *run) restoreCmd(args []string) error {
	fs := r.flags("restore")
	replace := fs.Bool("replace", false, "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	dir, err := r.dir()
	if err != nil {
		return err
	}
	res, err := service.Restore(r.ctx, dir, pos[0], *replace)
	if err != nil {
		return err
	}
	r.say("cli.restore.done", "path", dir, "file", pos[0], "records", r.tr.Number(int64(res.Records)), "entries", r.tr.Number(res.Entries))
	if res.Aside != "" {
		r.say("cli.restore.aside", "path", res.Aside)
	}
	r.say("cli.restore.bundles", "sequence", res.LastBundle)
	return nil
}
