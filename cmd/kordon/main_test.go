package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kordon builds the binary once for the tests of this file.
func kordon(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kordon")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A command prints its own output and nothing else, whatever the locale of
// the service or CI job that runs it.
func TestACommandPrintsOnlyItsOwnOutput(t *testing.T) {
	bin := kordon(t)
	for _, env := range [][]string{
		{"LANG=C"}, {"LANG=C.UTF-8"}, {"LANG=c.utf8"}, {"LC_ALL=C.UTF-8", "LANG=ru_RU.UTF-8"}, {"LANG=POSIX.UTF-8"}, {}, {"LANG=kk_KZ.UTF-8"},
		{"LANG=uz_UZ@cyrillic"}, {"LC_MESSAGES=sr_RS@latin"}, {"LANG=ru_RU.UTF-8", "LANGUAGE=uz@cyrillic:ru"}, {"LANG=C.UTF-8", "LANGUAGE=ru"},
	} {
		cmd := exec.Command(bin, "version")
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v kordon version: %v\n%s", env, err, stderr.String())
		}
		if lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "kordon ") {
			t.Errorf("%v: kordon version printed %q", env, stdout.String())
		}
		if stderr.Len() > 0 {
			t.Errorf("%v: kordon version wrote to stderr: %q", env, stderr.String())
		}
	}
}

// The locale hidden from the toolkit is Kordon's own to read: glibc's name
// for Uzbek in Cyrillic script speaks it.
func TestTheLocaleStillChoosesTheLanguage(t *testing.T) {
	bin := kordon(t)
	cmd := exec.Command(bin, "help")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LANG=uz_UZ@cyrillic"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kordon help: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Фойдаланиш") && !strings.ContainsAny(string(out), "ўқҳғ") {
		t.Errorf("LANG=uz_UZ@cyrillic: help is not in Uzbek Cyrillic:\n%s", out)
	}
}

// kordon --data DIR, as a Windows shortcut or an office's shared folder
// starts it, opens the desktop application on DIR.
func TestDataWithoutACommandOpensTheDesktopOnThatFolder(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (make test installs it)", tool)
		}
	}
	bin := kordon(t)
	home := t.TempDir()
	dir := filepath.Join(t.TempDir(), "Пост Хоргос")
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=en_US.UTF-8"}
	setup := exec.Command(bin, "--data", dir, "init", "--post", "KZ-KHO", "--name", "Khorgos")
	setup.Env = env
	if out, err := setup.CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}

	display := ""
	socket := ""
	for d := 90; d < 200; d++ {
		_, lock := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", d))
		_, sock := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", d))
		if os.IsNotExist(lock) && os.IsNotExist(sock) {
			display, socket = fmt.Sprintf(":%d", d), fmt.Sprintf("/tmp/.X11-unix/X%d", d)
			break
		}
	}
	x := exec.Command("Xvfb", display, "-screen", "0", "1024x768x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Process.Kill(); x.Wait() })
	env = append(env, "DISPLAY="+display)
	// The application must not look for the display before Xvfb listens.
	for wait := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(socket); err == nil {
			break
		}
		if time.Now().After(wait) {
			t.Fatalf("Xvfb %s did not start", display)
		}
	}

	app := exec.Command(bin, "--data", dir, "--lang", "ru")
	app.Env = env
	var stderr bytes.Buffer
	app.Stderr = &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() { app.Process.Kill(); <-exited })

	// The window names the post of DIR, in the language --lang names.
	deadline := time.Now().Add(60 * time.Second)
	for {
		search := exec.Command("xdotool", "search", "--name", "Khorgos")
		search.Env = env
		if out, err := search.Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			name := exec.Command("xdotool", "getwindowname", strings.Fields(string(out))[0])
			name.Env = env
			title, _ := name.Output()
			if !strings.Contains(string(title), "Khorgos") {
				t.Errorf("window title %q", title)
			}
			break
		}
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("the desktop application exited (%v): %s", err, stderr.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no window for %s after a minute: %s", dir, stderr.String())
		}
	}
	// It holds that folder's database open, not the default folder's.
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", app.Process.Pid))
	open := false
	for _, fd := range fds {
		if target, _ := os.Readlink(fd); target == filepath.Join(dir, "kordon.db") {
			open = true
		}
	}
	if !open {
		t.Errorf("the desktop application does not hold %s open", filepath.Join(dir, "kordon.db"))
	}
	if _, err := os.Stat(filepath.Join(home, ".config", "Kordon")); err == nil {
		t.Error("the default data folder was made as well")
	}
}
