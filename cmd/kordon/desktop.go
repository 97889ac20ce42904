package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2/app"

	"github.com/kordon/kordon/internal/cli"
	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/ui"
)

// appID names the application to the operating system (preferences, icon).
const appID = "org.kordon.desktop"

// runDesktop opens the desktop application on the data folder g names (the
// default one if none), in the language g names, else in the language the
// environment asks for until the data folder names the officer's own.
func runDesktop(g cli.Global) int {
	cat, err := cli.Catalog()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kordon:", err)
		return 1
	}
	tr := cat.For(g.Lang)
	dir := g.Data
	if dir == "" {
		if dir, err = service.DefaultDir(os.Getenv); err != nil {
			fmt.Fprintln(os.Stderr, "kordon:", tr.Error(err))
			return 1
		}
	}
	fa := app.NewWithID(appID)
	k := ui.New(fa, cat, dir, g.Lang, os.Getenv)
	if g.LangGiven {
		k.KeepLanguage()
	}
	if _, err := k.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "kordon:", tr.Error(err))
		return 1
	}
	fa.Run()
	return 0
}
