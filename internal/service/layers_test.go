package service_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/kordon/kordon/"

// imports lists, by file, what the Go files of the packages under dir
// import.
func imports(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[path] = append(out[path], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The service is the only door to the store: the desktop and the command
// line reach records, ledgers and settings through it, so that each
// behaviour exists once. Their tests may attack a database behind
// Kordon's back with storetest, never with the store itself.
func TestOnlyTheServiceOpensTheStore(t *testing.T) {
	for _, dir := range []string{"../ui", "../cli", "../../cmd"} {
		for file, ims := range imports(t, dir) {
			for _, p := range ims {
				if p == module+"internal/store" || strings.HasPrefix(p, module+"internal/store/") && !strings.HasSuffix(file, "_test.go") {
					t.Errorf("%s imports %s: go through internal/service", file, p)
				}
			}
		}
	}
}

// Only the desktop application (and the command that starts it) imports
// Fyne; everything else builds and tests without a display or cgo.
func TestOnlyTheDesktopImportsFyne(t *testing.T) {
	for file, ims := range imports(t, "..") {
		if strings.HasPrefix(file, filepath.Join("..", "ui")+string(filepath.Separator)) {
			continue
		}
		for _, p := range ims {
			if strings.HasPrefix(p, "fyne.io/") {
				t.Errorf("%s imports %s: only internal/ui may", file, p)
			}
		}
	}
}
