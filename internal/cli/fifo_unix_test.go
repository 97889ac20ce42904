//go:build unix

package cli_test

import "syscall"

// mkfifo makes a named pipe, which blocks whoever reads it until someone
// writes.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
