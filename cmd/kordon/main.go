// Command kordon records seizures of small arms, their parts, ammunition and
// explosives at border posts, prints seizure protocols, and carries records
// to the regional office. Without arguments it opens the desktop
// application; with a command it does scripted work (kordon help).
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/kordon/kordon/internal/cli"
)

func main() {
	if len(os.Args) == 1 {
		os.Exit(runDesktop())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
