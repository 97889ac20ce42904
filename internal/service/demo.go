package service

import (
	"context"

	"github.com/kordon/kordon/internal/demo"
	"github.com/kordon/kordon/internal/record"
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
	return done, nil
}
