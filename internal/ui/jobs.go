package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
)

// A job is long work running off the UI goroutine: an export, an import, a
// backup. It can be stopped, and closing the window while it runs asks
// first, then stops it and waits for it to end, so that no work is ever
// dropped half-way without the officer knowing.
type job struct {
	// closing is the catalog key of the question asked when the window is
	// closed while the job runs: what stopping it means.
	closing string
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
}

// stopped reports whether the job was asked to stop.
func (j *job) stopped() bool { return j.ctx.Err() != nil }

// startJob runs work on a goroutine with a context that Stop or closing the
// window cancels; work ends by calling a.endJob(j) through fyne.Do.
func (a *App) startJob(closing string, work func(j *job)) *job {
	ctx, cancel := context.WithCancel(a.ctx)
	j := &job{closing: closing, ctx: ctx, cancel: cancel, done: make(chan struct{})}
	a.jobs = append(a.jobs, j)
	go func() {
		defer close(j.done)
		work(j)
	}()
	return j
}

// endJob takes a finished job off the list; on the UI goroutine.
func (a *App) endJob(j *job) {
	j.cancel()
	a.jobs = slices.DeleteFunc(a.jobs, func(x *job) bool { return x == j })
}

// askClose is the window's close intercept: with no job running the window
// closes; otherwise the officer is asked, and a yes stops every job and
// closes the window once they have ended.
func (a *App) askClose() {
	if len(a.jobs) == 0 {
		a.win.Close()
		return
	}
	a.confirm(a.T("ui.close_running.title"), a.T(a.jobs[0].closing), a.T("ui.close_running.stop"), func() {
		jobs := slices.Clone(a.jobs)
		for _, j := range jobs {
			j.cancel()
		}
		go func() {
			for _, j := range jobs {
				<-j.done
			}
			fyne.Do(a.win.Close)
		}()
	})
}
