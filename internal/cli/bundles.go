package cli

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kordon/kordon/internal/service"
)

func (r *run) keysCmd(args []string) error {
	return r.dispatch("keys", args, map[string]func(*run, []string) error{
		"show": (*run).keysShow, "export": (*run).keysExport, "trust": (*run).keysTrust,
		"revoke": (*run).keysRevoke, "list": (*run).keysList,
	})
}

func (r *run) keysShow(args []string) error {
	if _, err := r.parse(r.flags("keys show"), args, 0, 0); err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	pk, err := svc.PublicKey(r.ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s:\t%s (%s)\n", r.tr.T("cli.keys.post"), pk.Post, pk.Name)
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.keys.fingerprint"), pk.Fingerprint())
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.keys.key_id"), pk.KeyID())
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.keys.public_key"), base64.StdEncoding.EncodeToString(pk.Key))
	if pk.Recipient != "" {
		fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.keys.recipient"), pk.Recipient)
	}
	return w.Flush()
}

func (r *run) keysExport(args []string) error {
	fs := r.flags("keys export")
	out := fs.String("out", "", "")
	force := fs.Bool("force", false, "")
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
	pk, err := svc.WritePublicKey(r.ctx, *out, service.Overwrite(*force))
	if err != nil {
		return forceHint(err)
	}
	r.say("cli.keys.exported", "path", *out, "fingerprint", pk.Fingerprint())
	return nil
}

// yes are the answers taken as "yes", in the eight languages.
var yes = []string{"y", "yes", "д", "да", "иә", "ооба", "ҳа", "ha", "hawa", "ҳаа"}

func (r *run) keysTrust(args []string) error {
	fs := r.flags("keys trust")
	name := fs.String("name", "", "")
	confirmed := fs.Bool("yes", false, "")
	pos, err := r.parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	pk, err := service.ReadKeyFile(pos[0])
	if err != nil {
		return err
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	r.say("cli.keys.trust_show", "post", pk.Post, "name", pk.Name, "fingerprint", pk.Fingerprint())
	if !*confirmed {
		fmt.Fprint(r.env.Stdout, r.tr.T("cli.keys.trust_ask")+" ")
		line, _ := bufio.NewReader(r.env.Stdin).ReadString('\n')
		answer := strings.ToLower(strings.TrimSpace(line))
		ok := false
		for _, y := range yes {
			ok = ok || answer == y
		}
		if !ok {
			return service.ErrNotConfirmed
		}
	}
	if err := svc.Trust(r.ctx, pk, *name); err != nil {
		return err
	}
	r.say("cli.keys.trusted", "post", pk.Post, "fingerprint", pk.Fingerprint())
	return nil
}

func (r *run) keysRevoke(args []string) error {
	pos, err := r.parse(r.flags("keys revoke"), args, 1, 1)
	if err != nil {
		return err
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.RevokeKey(r.ctx, pos[0]); err != nil {
		return err
	}
	r.say("cli.keys.revoked", "key", pos[0])
	return nil
}

func (r *run) keysList(args []string) error {
	if _, err := r.parse(r.flags("keys list"), args, 0, 0); err != nil {
		return err
	}
	return r.posts(false)
}

func (r *run) postsCmd(args []string) error {
	fs := r.flags("posts")
	asJSON := fs.Bool("json", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	return r.posts(*asJSON)
}

// postView is one trusted key as the posts view shows it.
type postView struct {
	Post         string `json:"post"`
	Name         string `json:"name"`
	Fingerprint  string `json:"fingerprint"`
	KeyID        string `json:"key_id"`
	Revoked      bool   `json:"revoked,omitempty"`
	LastSequence int64  `json:"last_sequence"`
	LastImport   string `json:"last_import,omitempty"`
	Bundles      int    `json:"bundles"`
	Gaps         string `json:"gaps,omitempty"`
}

func (r *run) posts(asJSON bool) error {
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	views, err := svc.Posts(r.ctx)
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]postView, 0, len(views))
		for _, v := range views {
			pv := postView{Post: v.Key.PostCode, Name: v.Key.Name, Fingerprint: v.Key.Fingerprint, KeyID: v.Key.KeyID,
				Revoked: v.Key.Revoked != nil, LastSequence: v.LastSequence, Bundles: v.Bundles, Gaps: v.Gaps}
			if !v.LastImport.IsZero() {
				pv.LastImport = v.LastImport.Format("2006-01-02T15:04:05Z07:00")
			}
			out = append(out, pv)
		}
		return r.printJSON(out)
	}
	w := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, strings.Join([]string{r.tr.T("cli.keys.post"), r.tr.T("cli.keys.fingerprint"), r.tr.T("cli.posts.last_seq"),
		r.tr.T("cli.posts.last_import"), r.tr.T("cli.posts.gaps"), ""}, "\t"))
	for _, v := range views {
		last := ""
		if !v.LastImport.IsZero() {
			last = r.tr.DateTime(v.LastImport.Local())
		}
		state := ""
		if v.Key.Revoked != nil {
			state = r.tr.T("cli.posts.revoked")
		}
		fmt.Fprintf(w, "%s %s\t%s\t%d\t%s\t%s\t%s\n", v.Key.PostCode, v.Key.Name, v.Key.Fingerprint, v.LastSequence, last, v.Gaps, state)
	}
	return w.Flush()
}

func (r *run) exportCmd(args []string) error {
	fs := r.flags("export")
	out := fs.String("out", "", "")
	to := fs.String("to", "", "")
	plain := fs.Bool("plain", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *out == "" {
		return usagef("cli.err.needs_out")
	}
	if *plain && *to != "" {
		return usagef(service.ErrPlainTo.Key)
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	res, err := svc.Export(r.ctx, service.ExportOptions{Out: *out, To: *to, Plain: *plain}, r.progress("cli.export.progress"))
	if errors.Is(err, service.ErrNothingNew) {
		r.say("cli.export.nothing_new")
		return nil
	}
	if err != nil {
		return err
	}
	r.say("cli.export.done", "path", res.Path, "sequence", fmt.Sprint(res.Sequence), "records", res.Versions, "media", res.Media, "audit", res.Audit)
	if res.Resumed {
		r.say("cli.export.resumed", "sequence", fmt.Sprint(res.Sequence))
	}
	return nil
}

// progress reports long work on standard error, at most once a second.
func (r *run) progress(key string) service.Progress {
	var last time.Time
	return func(done, total int) {
		if done != total && time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(r.env.Stderr, "\r%s", r.tr.T(key, "done", done, "total", total))
		if done == total {
			fmt.Fprintln(r.env.Stderr)
		}
	}
}

func (r *run) verifyCmd(args []string) error {
	pos, err := r.parse(r.flags("verify"), args, 1, 1)
	if err != nil {
		return err
	}
	svc, err := r.openRead()
	if err != nil {
		return err
	}
	defer svc.Close()
	b, err := svc.OpenBundle(r.ctx, pos[0])
	if err != nil {
		return err
	}
	defer b.Close()
	m := b.Manifest()
	signer := b.Signer()
	w := tabwriter.NewWriter(r.env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s:\t%s (%s)\n", r.tr.T("cli.keys.post"), m.Post, signer.Name)
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.verify.device"), m.DeviceID)
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.keys.fingerprint"), signer.Fingerprint())
	fmt.Fprintf(w, "%s:\t%d\n", r.tr.T("cli.verify.sequence"), m.Sequence)
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.verify.created"), r.tr.DateTime(m.Created.Local()))
	fmt.Fprintf(w, "%s:\t%d / %d / %d\n", r.tr.T("cli.verify.counts"), m.Counts.Records, m.Counts.Media, m.Counts.Audit)
	enc := r.tr.T("cli.verify.plain")
	if b.Encrypted() {
		enc = r.tr.T("cli.verify.encrypted")
	}
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.verify.encryption"), enc)
	fmt.Fprintf(w, "%s:\t%s\n", r.tr.T("cli.verify.signature"), r.tr.T("cli.verify.valid"))
	return w.Flush()
}

func (r *run) importCmd(args []string) error {
	pos, err := r.parse(r.flags("import"), args, 1, 10000)
	if err != nil {
		return err
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	var failed []error
	for _, path := range pos {
		err := r.importOne(svc, path)
		if r.ctx.Err() != nil {
			return r.ctx.Err() // Ctrl+C: this file imported nothing, the next are not begun
		}
		if err != nil {
			fmt.Fprintf(r.env.Stderr, "%s: %s\n", path, r.tr.Error(err))
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		return &service.Error{Key: "cli.import.failed", Args: []any{"count", len(failed), "total", len(pos)}}
	}
	return nil
}

func (r *run) importOne(svc *service.Service, path string) error {
	if err := service.RegularFile(path); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return &service.Error{Key: "cli.err.open_file", Args: []any{"path", path}, Err: err}
	}
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if service.IsReceipt(head[:n]) {
		marked, rc, err := svc.AcknowledgeFile(r.ctx, path)
		if err != nil {
			return err
		}
		r.say("cli.receipt.read", "path", path, "office", rc.Office, "count", marked, "sequence", fmt.Sprint(rc.LastSequence))
		return nil
	}
	res, err := svc.Import(r.ctx, path, r.progress("cli.import.progress"))
	if err != nil {
		return err
	}
	if res.Already {
		r.say("cli.import.already", "path", path, "post", res.Post, "sequence", fmt.Sprint(res.Sequence))
		return nil
	}
	r.say("cli.import.done", "path", path, "post", res.Post, "sequence", fmt.Sprint(res.Sequence), "new", res.New, "known", res.Known, "media", res.Media)
	if res.Gap != "" {
		r.say("cli.import.gap", "post", res.Post, "missing", res.Gap)
	}
	for _, a := range res.Alarms {
		fmt.Fprintln(r.env.Stderr, "kordon: "+r.tr.Error(a))
	}
	for _, h := range res.Watched {
		fmt.Fprintln(r.env.Stderr, "kordon: "+h.Text(r.tr))
	}
	if n := len(res.Listed); n > 0 {
		fmt.Fprintln(r.env.Stderr, "kordon: "+r.tr.N("screening.hits", n))
		for _, h := range res.Listed {
			fmt.Fprintln(r.env.Stderr, "  "+h.Text(r.tr))
		}
	}
	if n := len(res.Links); n > 0 {
		fmt.Fprintln(r.env.Stdout, r.tr.N("links.hits", n))
		for _, h := range res.Links {
			fmt.Fprintln(r.env.Stdout, "  "+h.Text(r.tr))
		}
	}
	return nil
}

func (r *run) receiptCmd(args []string) error {
	fs := r.flags("receipt")
	post := fs.String("post", "", "")
	out := fs.String("out", "", "")
	force := fs.Bool("force", false, "")
	if _, err := r.parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *post == "" || *out == "" {
		return usagef("cli.err.receipt_args")
	}
	svc, err := r.open()
	if err != nil {
		return err
	}
	defer svc.Close()
	rc, err := svc.WriteReceipt(r.ctx, *post, *out, service.Overwrite(*force))
	if err != nil {
		return forceHint(err)
	}
	r.say("cli.receipt.done", "path", *out, "post", rc.Post, "count", len(rc.Acknowledged), "sequence", fmt.Sprint(rc.LastSequence))
	return nil
}
