package main

import (
	"fmt"
	"os"

	"github.com/kordon/kordon/internal/cli"
)

// runDesktop opens the desktop application on the default data folder.
func runDesktop() int {
	fmt.Fprintln(os.Stderr, "kordon: the desktop application is not part of this build yet; see 'kordon help'.")
	return cli.Run(nil, []string{"help"}, cli.OSEnv())
}
