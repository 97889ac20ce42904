package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// waitFor waits for ch to close, and fails the test after half a minute
// instead of hanging it.
func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not end within 30 s", what)
	}
}

func TestClosingTheWindowWhileWorkRunsAsksThenStopsIt(t *testing.T) {
	a := newApp(t)
	w := a.Window()
	closed := make(chan struct{})
	w.SetOnClosed(func() { a.close(); close(closed) })

	ended := make(chan struct{})
	j := a.startJob("ui.close_running.export", func(j *job) {
		<-j.ctx.Done() // an export that runs until stopped
		fyne.Do(func() { a.endJob(j); close(ended) })
	})
	a.askClose()
	if got := overlayTexts(w); !strings.Contains(got, "the next export writes the same bundle") {
		t.Fatalf("closing during an export does not say what stopping means: %q", got)
	}
	if j.stopped() {
		t.Fatal("the question alone stopped the export")
	}
	test.Tap(button(t, w, "Cancel"))
	if j.stopped() || len(a.jobs) != 1 {
		t.Fatal("Cancel stopped the export")
	}

	a.askClose()
	test.Tap(button(t, w, "Stop and close"))
	waitFor(t, ended, "the stopped export")
	waitFor(t, closed, "closing the window")
	if !j.stopped() || len(a.jobs) != 0 {
		t.Errorf("after closing: stopped %v, jobs %d", j.stopped(), len(a.jobs))
	}
	if a.svc != nil {
		t.Error("the data folder is still open after the window closed")
	}
}
