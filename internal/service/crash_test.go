package service_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kordon/kordon/internal/service"
	"github.com/kordon/kordon/internal/store"
)

// Environment of a test binary started to export and be killed.
const (
	crashStepEnv = "KORDON_TEST_CRASH_AT"
	crashDataEnv = "KORDON_TEST_CRASH_DATA"
	crashOutEnv  = "KORDON_TEST_CRASH_OUT"
	crashToEnv   = "KORDON_TEST_CRASH_TO"
	killedCode   = 137 // what a shell reports for kill -9
)

func TestMain(m *testing.M) {
	if step := os.Getenv(crashStepEnv); step != "" {
		os.Exit(exportAndDie(step))
	}
	os.Exit(m.Run())
}

// exportAndDie runs an export in this process and ends the process at
// step, without running a single deferred call: as kill -9 or a power cut
// (after the disk has what was synced) would.
func exportAndDie(step string) int {
	service.SetCrashAt(func(s string) {
		if s == step {
			os.Exit(killedCode)
		}
	})
	svc, err := service.Open(context.Background(), os.Getenv(crashDataEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	svc.Actor = "crash"
	if _, err := svc.Export(context.Background(), service.ExportOptions{Out: os.Getenv(crashOutEnv), To: os.Getenv(crashToEnv), Plain: os.Getenv(crashToEnv) == ""}, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// killExport runs an export of post into out in another process, killed at
// step.
func killExport(t *testing.T, post *service.Service, out, to, step string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), crashStepEnv+"="+step, crashDataEnv+"="+post.Dir, crashOutEnv+"="+out, crashToEnv+"="+to)
	out2, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "the export was not stopped: %v %s", err, out2)
	require.Equal(t, killedCode, exit.ExitCode(), "%s", out2)
}

// bundleFiles lists the bundles in a folder, in name order.
func bundleFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".kordon") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// TestAnExportKilledAtAnyStepNeverCutsThePostOff kills an export at every
// step, exports again, and imports every file the stick holds at the
// office: the same number always carries the same bundle, so nothing is
// refused and nothing is lost, and later bundles import as well.
func TestAnExportKilledAtAnyStepNeverCutsThePostOff(t *testing.T) {
	ctx := context.Background()
	for _, encrypted := range []bool{false, true} {
		for _, step := range []string{"reserved", "records", "written", "finished"} {
			t.Run(fmt.Sprintf("%s encrypted=%v", step, encrypted), func(t *testing.T) {
				post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
				trustEachOther(t, post, office)
				to := ""
				if encrypted {
					to = filepath.Join(t.TempDir(), "office.pub")
					pk, err := office.PublicKey(ctx)
					require.NoError(t, err)
					data, err := pk.Marshal()
					require.NoError(t, err)
					require.NoError(t, os.WriteFile(to, data, 0o600))
				}
				usb := t.TempDir()
				addRecord(t, post, [16]byte{})
				require.NoError(t, post.Close())
				killExport(t, post, usb, to, step)
				post = reopen(t, post)

				addRecord(t, post, [16]byte{}) // work goes on after the power cut
				res, err := post.Export(ctx, service.ExportOptions{Out: usb, To: to, Plain: to == ""}, nil)
				require.NoError(t, err)
				if step == "finished" {
					assert.Equal(t, int64(2), res.Sequence, "the killed export had finished")
					assert.False(t, res.Resumed)
				} else {
					assert.Equal(t, int64(1), res.Sequence, "the bundle of the killed export is finished, not replaced")
					assert.True(t, res.Resumed)
					res, err = post.Export(ctx, service.ExportOptions{Out: usb, To: to, Plain: to == ""}, nil)
					require.NoError(t, err)
					assert.Equal(t, int64(2), res.Sequence)
				}
				_, err = post.Export(ctx, service.ExportOptions{Out: usb, To: to, Plain: to == ""}, nil)
				assert.ErrorIs(t, err, service.ErrNothingNew)
				files := bundleFiles(t, usb)
				if step == "written" && !encrypted {
					assert.Len(t, files, 2, "bundle 1 written again byte for byte is not kept twice")
				}

				for _, f := range files {
					imp, err := office.Import(ctx, f, nil)
					require.NoError(t, err, "%s", filepath.Base(f))
					assert.Empty(t, imp.Alarms)
				}
				n, err := office.Count(ctx, store.Filter{})
				require.NoError(t, err)
				assert.Equal(t, 2, n, "both records reached the office")
				views, err := office.Posts(ctx)
				require.NoError(t, err)
				require.Len(t, views, 1)
				assert.Equal(t, int64(2), views[0].LastSequence)
				assert.Empty(t, views[0].Gaps)
				require.NoError(t, office.Verify(ctx))
				require.NoError(t, post.Verify(ctx))

				// The post goes on: its next bundle is imported too.
				addRecord(t, post, [16]byte{})
				res, err = post.Export(ctx, service.ExportOptions{Out: usb, To: to, Plain: to == ""}, nil)
				require.NoError(t, err)
				_, err = office.Import(ctx, res.Path, nil)
				require.NoError(t, err)
			})
		}
	}
}

// reopen closes a service and opens its folder again, as the next command
// would.
func reopen(t *testing.T, svc *service.Service) *service.Service {
	t.Helper()
	svc.Close()
	again, err := service.Open(context.Background(), svc.Dir)
	require.NoError(t, err)
	again.Actor = "test"
	t.Cleanup(func() { again.Close() })
	return again
}

// TestAnExportTheLedgerCouldNotNoteIsFinishedNext: the bundle is written,
// then the ledger cannot be written (another Kordon holds it); the next
// export finishes the same bundle.
func TestAnExportTheLedgerCouldNotNoteIsFinishedNext(t *testing.T) {
	ctx := context.Background()
	post, office := initFolder(t, "KZ-DOS", "Достык", false), initFolder(t, "KZ-ALM", "Алматы", true)
	trustEachOther(t, post, office)
	addRecord(t, post, [16]byte{})
	usb := t.TempDir()
	service.SetCrashAt(func(step string) {
		if step == "written" {
			post.Close() // the ledger is gone from under the export
		}
	})
	_, err := post.Export(ctx, service.ExportOptions{Out: usb, Plain: true}, nil)
	service.SetCrashAt(func(string) {})
	require.Error(t, err)
	first := bundleFiles(t, usb)
	require.Len(t, first, 1)
	before, err := os.ReadFile(first[0])
	require.NoError(t, err)

	post = reopen(t, post)
	res, err := post.Export(ctx, service.ExportOptions{Out: usb, Plain: true}, nil)
	require.NoError(t, err)
	assert.True(t, res.Resumed)
	assert.Equal(t, first[0], res.Path, "the same bundle, byte for byte: the file in place is kept")
	after, err := os.ReadFile(res.Path)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	_, err = office.Import(ctx, res.Path, nil)
	require.NoError(t, err)
}
