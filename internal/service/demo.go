package service

import (
	"context"
	"fmt"
	"time"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
	"github.com/kordon/kordon/internal/view"
)

// demoBatch is how many records one demo transaction writes.
const demoBatch = 1000

// FillDemo adds n synthetic training records of about itemsPer items each
// (at a post, all of that post; at an office, of several posts), in
// batches, reporting progress (if not nil) after each batch. The records are
// marked as training data. Stopped, it keeps the batches written and says
// how many records they hold.
func (s *Service) FillDemo(ctx context.Context, n, itemsPer int, seed uint64, progress Progress) (int, error) {
	post, err := s.Post(ctx)
	if err != nil {
		return 0, err
	}
	opts := demo.Options{Seed: seed}
	if post.Role == RolePost {
		// A post's records are its own: they travel in its bundles.
		opts.Posts = []demo.Post{demo.PostFor(post.Code, post.Name)}
	}
	g := demo.New(opts)
	batch := make([]*record.Interdiction, 0, demoBatch)
	done := 0
	for done < n {
		batch = batch[:0]
		for len(batch) < demoBatch && done+len(batch) < n {
			in := g.Record(itemsPer)
			in.Origin = post.DeviceID
			batch = append(batch, in)
		}
		if err := s.st.Add(ctx, batch, "demo"); err != nil {
			return done, err
		}
		done += len(batch)
		if progress != nil {
			progress(done, n)
		}
	}
	if post.Role == RoleOffice {
		if err := s.demoTraces(ctx, demoTraces); err != nil {
			return done, err
		}
	}
	return done, nil
}

// demoTraces is how many weapons a training office has traces of.
const demoTraces = 48

// demoTraces records the tracing of up to n of the newest weapons of
// training records not traced yet, at an office: requests awaiting an answer (some
// overdue), answers, weapons that cannot be traced, origins established,
// so the tracing screen can be learnt on.
func (s *Service) demoTraces(ctx context.Context, n int) error {
	list, err := s.st.TraceList(ctx, view.TraceFilter{Status: tracing.NotAttempted, Limit: 40 * n, Training: true})
	if err != nil {
		return err
	}
	done := 0
	now := time.Now()
	day := func(days int) string { return now.AddDate(0, 0, days).Format(time.DateOnly) }
	states := []string{"DE", "RU", "CN", "TR", "US", "UA", "CZ", "BG"}
	for _, it := range list.Items {
		if done == n {
			break
		}
		t, err := s.TraceItemOf(ctx, it.Ref, it.ItemID)
		if err != nil {
			return err
		}
		if !t.Record.Record.Training {
			continue // an office's own records are never traced for practice
		}
		i := done
		done++
		to := states[i%len(states)]
		steps := []tracing.Change{{Status: tracing.RequestSent, To: to, Channel: tracing.Channels.Codes[i%2],
			Reference: fmt.Sprintf("TR-%s-%03d", it.PostCode, i+1), Sent: day(-80 + i), Due: day(-20 + 2*i)}}
		switch i % 6 {
		case 1:
			steps = append(steps, tracing.Change{Status: tracing.AnswerInsufficient, Answered: day(-10), AnswerText: "No record of this serial number."})
		case 2:
			steps = append(steps, tracing.Change{Status: tracing.EstablishedTracing, Answered: day(-5), ManufacturerConfirmed: true,
				LastLegalCountry: to, Holder: tracing.Holders.Codes[i%4], DiversionCountry: to, DiversionType: tracing.Diversions.Codes[i%4], DiversionDate: day(-2000)[:4]})
		case 3:
			steps = []tracing.Change{{Status: tracing.NotTraceable, Reason: tracing.Reasons.Codes[i%3]}}
		case 4:
			steps = []tracing.Change{{Status: tracing.EstablishedAuthority, DiversionType: "illicit_manufacture", Note: "Craft workshop identified by the investigation."}}
		}
		var cur *tracing.Trace
		for v, c := range steps {
			next, errs := tracing.Apply(t.Item(), cur, c, now)
			if len(errs) > 0 {
				return fmt.Errorf("demo trace of %s: %w", t.Name(), errs)
			}
			if _, err := s.st.PutTrace(ctx, t.Ref, t.ItemID, v, next, "demo"); err != nil {
				return err
			}
			cur = next
		}
	}
	return nil
}
