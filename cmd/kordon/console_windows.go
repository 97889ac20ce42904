//go:build windows

package main

import (
	"os"
	"syscall"
)

// The Windows build is a GUI program (no console window opens behind the
// desktop application). A subcommand typed in a console attaches to that
// console, so its output and questions appear where the officer typed.
func init() {
	if len(os.Args) < 2 {
		return
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
