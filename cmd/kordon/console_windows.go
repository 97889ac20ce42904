//go:build windows

package main

import (
	"os"
	"syscall"

	"github.com/kordon/kordon/internal/cli"
)

// The Windows build is a GUI program (no console window opens behind the
// desktop application). A subcommand typed in a console attaches to that
// console, so its output and questions appear where the officer typed.
func init() {
	if _, rest, err := cli.ParseGlobal(os.Args[1:], os.Getenv); err == nil && len(rest) == 0 {
		return // the desktop application
	}
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = uintptr(^uint32(0))
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return
	}
	if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = f, f
	}
	if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
		os.Stdin = f
	}
}
