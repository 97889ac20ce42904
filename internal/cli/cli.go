// Package cli is Kordon's command line: the subcommands of the kordon binary
// for scripted work (setting up a data folder, adding and listing records,
// search, statistics, training data). Every command calls the service layer
// the desktop application uses, and speaks the user's language.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/translations"
)

// Version is the program's version, set at build time with
// -ldflags "-X github.com/kordon/kordon/internal/cli.Version=…".
var Version = "0.1.0-dev"

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
	// ExitInterrupted is the shell's code for a command stopped by Ctrl+C.
	ExitInterrupted = 130
)

// Env is what a command may use of the outside world.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// OSEnv is the process's own environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// usageError is a mistake in the command line itself: exit code 2.
type usageError struct {
	key  string
	args []any
}

func (e *usageError) Error() string      { return e.key }
func (e *usageError) MessageKey() string { return e.key }
func (e *usageError) MessageArgs() []any { return e.args }

func usagef(key string, args ...any) error { return &usageError{key, args} }

// hinted adds a line of advice below an error's message.
type hinted struct {
	error
	hint string // catalog key
}

func (h *hinted) Unwrap() error { return h.error }

// forceHint says that --force replaces a file that exists.
func forceHint(err error) error {
	if errors.Is(err, service.ErrFileExists) {
		return &hinted{err, "cli.hint.force"}
	}
	return err
}

// run holds one invocation's state.
type run struct {
	ctx     context.Context
	env     Env
	tr      *i18n.Translator
	dataDir string
}

// Global holds the options before the command name.
type Global struct {
	Data string
	Lang string
	// LangGiven is set when --lang named the language; otherwise Lang is
	// the environment's.
	LangGiven bool
}

// command is one subcommand.
type command struct {
	name    string
	summary string // catalog key
	run     func(r *run, args []string) error
}

func commands() []command {
	return []command{
		{"init", "cli.help.init", (*run).initCmd},
		{"record", "cli.help.record", (*run).recordCmd},
		{"search", "cli.help.search", (*run).searchCmd},
		{"links", "cli.help.links", (*run).linksCmd},
		{"screening", "cli.help.screening", (*run).screeningCmd},
		{"screen", "cli.help.screen", (*run).screenCmd},
		{"watch", "cli.help.watch", (*run).watchCmd},
		{"trace", "cli.help.trace", (*run).traceCmd},
		{"report", "cli.help.report", (*run).reportCmd},
		{"stats", "cli.help.stats", (*run).statsCmd},
		{"demo", "cli.help.demo", (*run).demoCmd},
		{"audit", "cli.help.audit", (*run).auditCmd},
		{"backup", "cli.help.backup", (*run).backupCmd},
		{"restore", "cli.help.restore", (*run).restoreCmd},
		{"keys", "cli.help.keys", (*run).keysCmd},
		{"export", "cli.help.export", (*run).exportCmd},
		{"verify", "cli.help.verify", (*run).verifyCmd},
		{"import", "cli.help.import", (*run).importCmd},
		{"receipt", "cli.help.receipt", (*run).receiptCmd},
		{"posts", "cli.help.posts", (*run).postsCmd},
		{"version", "cli.help.version", (*run).versionCmd},
	}
}

// Catalog is the message catalog embedded in the binary.
func Catalog() (*i18n.Catalog, error) { return i18n.Load(translations.FS) }

// ParseGlobal splits the global options off args; rest starts with the
// command name, and is empty when the arguments name no command: then
// kordon opens the desktop application.
func ParseGlobal(args []string, getenv func(string) string) (g Global, rest []string, err error) {
	fs := flag.NewFlagSet("kordon", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.Data, "data", "", "")
	fs.StringVar(&g.Lang, "lang", "", "")
	if err := fs.Parse(args); err != nil {
		return g, nil, usagef("cli.err.flag", "detail", err.Error())
	}
	g.LangGiven = g.Lang != ""
	if !g.LangGiven {
		g.Lang = i18n.FromEnv(getenv)
	}
	g.Lang = i18n.Match(g.Lang)
	return g, fs.Args(), nil
}

// Run runs the command line args (without the program name) and returns the
// exit code: 0 success, 1 failure (message on stderr), 2 bad usage.
func Run(ctx context.Context, args []string, env Env) int {
	cat, err := Catalog()
	if err != nil {
		fmt.Fprintln(env.Stderr, "kordon:", err)
		return ExitFailure
	}
	g, rest, err := ParseGlobal(args, env.Getenv)
	tr := cat.For(g.Lang)
	if err != nil {
		return fail(env, tr, err)
	}
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		printUsage(env.Stdout, tr)
		if len(rest) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	r := &run{ctx: ctx, env: env, tr: tr, dataDir: g.Data}
	for _, c := range commands() {
		if c.name == rest[0] {
			return fail(env, tr, c.run(r, rest[1:]))
		}
	}
	return fail(env, tr, usagef("cli.err.unknown_command", "command", rest[0]))
}

func fail(env Env, tr *i18n.Translator, err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if errors.Is(err, context.Canceled) {
		// Ctrl+C: every use case stops without leaving work half-done, or
		// says what it kept.
		msg := tr.T("cli.err.interrupted")
		var fe *service.Error
		if errors.As(err, &fe) && fe.Key != "" {
			msg = tr.Error(fe)
		}
		fmt.Fprintln(env.Stderr, "\nkordon: "+msg)
		return ExitInterrupted
	}
	var h *hinted
	if errors.As(err, &h) {
		err = h.error
	}
	fmt.Fprintln(env.Stderr, "kordon: "+strings.ReplaceAll(tr.Error(err), "\n", "\n  "))
	if h != nil {
		fmt.Fprintln(env.Stderr, "  "+tr.T(h.hint))
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr, tr.T("cli.see_help"))
		return ExitUsage
	}
	return ExitFailure
}

func printUsage(w io.Writer, tr *i18n.Translator) {
	fmt.Fprintln(w, tr.T("cli.usage"))
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("cli.commands"))
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, tr.T(c.summary))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, tr.T("cli.globals"))
}

// dispatch runs the subcommand of command that args name.
func (r *run) dispatch(command string, args []string, subs map[string]func(*run, []string) error) error {
	if len(args) == 0 {
		return usagef("cli.err.args", "command", command)
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usagef("cli.err.unknown_command", "command", command+" "+args[0])
	}
	return sub(r, args[1:])
}

// flags makes a flag set for a subcommand whose problems are usage errors.
func (r *run) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses a subcommand's flags, allowing them after the positional
// arguments too, and checks the positional count.
func (r *run) parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				r.subHelp(fs)
				return nil, err
			}
			return nil, usagef("cli.err.flag", "detail", err.Error())
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < minPos || len(pos) > maxPos {
		return nil, usagef("cli.err.args", "command", fs.Name())
	}
	return pos, nil
}

func (r *run) subHelp(fs *flag.FlagSet) {
	fmt.Fprintln(r.env.Stdout, r.tr.T("cli.help."+strings.ReplaceAll(fs.Name(), " ", "_")))
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(r.env.Stdout, "  --%s\n", f.Name)
	})
}

// dir is the data folder for this run.
func (r *run) dir() (string, error) {
	if r.dataDir != "" {
		return r.dataDir, nil
	}
	return service.DefaultDir(r.env.Getenv)
}

// open opens the data folder, which must be set up, for a command that
// writes. A write that has to wait for another Kordon says so on stderr.
func (r *run) open() (*service.Service, error) {
	return r.openWith(service.WithBusyNotice(func() { fmt.Fprintln(r.env.Stderr, "kordon: "+r.tr.T("cli.busy_waiting")) }))
}

// openRead opens the data folder for a command that only reads: a folder
// that cannot be written is opened read-only.
func (r *run) openRead() (*service.Service, error) {
	return r.openWith(service.ForReading())
}

func (r *run) openWith(opts ...service.Option) (*service.Service, error) {
	dir, err := r.dir()
	if err != nil {
		return nil, err
	}
	svc, err := service.Open(r.ctx, dir, opts...)
	if err != nil {
		return nil, err
	}
	svc.Actor = service.DefaultActor(r.env.Getenv)
	return svc, nil
}

func (r *run) say(key string, args ...any) {
	fmt.Fprintln(r.env.Stdout, r.tr.T(key, args...))
}
