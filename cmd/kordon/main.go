// Command kordon records seizures of small arms, their parts, ammunition and
// explosives at border posts, prints seizure protocols, and carries records
// to the regional office. Without a command it opens the desktop
// application (on the folder --data names, in the language --lang names);
// with a command it does scripted work (kordon help).
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/kordon/kordon/internal/cli"
	"github.com/kordon/kordon/internal/localeenv"
)

func main() {
	localeenv.Restore()
	if g, rest, err := cli.ParseGlobal(os.Args[1:], os.Getenv); err == nil && len(rest) == 0 {
		os.Exit(runDesktop(g))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	// The first Ctrl+C asks the command to stop cleanly; a second one, if
	// it has not, ends the program.
	go func() { <-ctx.Done(); stop() }()
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
