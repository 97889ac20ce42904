package service

import (
	"context"
	"fmt"
	"io"

	"github.com/kordon/kordon/internal/fault"
	"github.com/kordon/kordon/internal/idkey"
	"github.com/kordon/kordon/internal/links"
	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
)

// Network sizes: how far a network reaches from its cluster, and how many
// nodes a screen is given at most (beyond, it says what it left out).
const (
	NetworkHops     = 2
	NetworkMaxNodes = 400
)

// Clusters are the links (and, if the filter asks, suggestions) among the
// records of this folder, newest first.
func (s *Service) Clusters(ctx context.Context, f links.Filter) ([]links.Cluster, error) {
	return s.st.Clusters(ctx, f)
}

// Cluster is one cluster by its id, kind:key; training records in it only
// with training.
func (s *Service) Cluster(ctx context.Context, id string, training bool) (*links.Cluster, error) {
	return s.st.Cluster(ctx, id, training)
}

// LinksOf are the clusters the record ref is in that f chooses: what else
// shares its weapons, people, vehicle and documents; links first.
func (s *Service) LinksOf(ctx context.Context, ref string, f links.Filter) ([]links.Cluster, error) {
	return s.st.LinksOf(ctx, ref, f)
}

// Idents are the identifiers a record carries.
func (s *Service) Idents(ctx context.Context, ref string) ([]idkey.Ident, error) {
	return s.st.Idents(ctx, ref)
}

// Judge keeps the analyst's verdict on a cluster, with a note; it is
// audited, and outlives new versions and re-imports of the records. It
// covers the records seen (their refs, as the screen showed them; nil:
// all the cluster's records now), not those that share the key later.
func (s *Service) Judge(ctx context.Context, id, verdict, note string, seen []string) error {
	return s.st.Judge(ctx, id, verdict, note, seen, s.Actor)
}

// TrainingOnly reports whether the folder holds training records and no
// others (a training office): its links are those of training records.
func (s *Service) TrainingOnly(ctx context.Context) (bool, error) {
	return s.st.TrainingOnly(ctx)
}

// Judgements are every verdict given on a cluster, oldest first.
func (s *Service) Judgements(ctx context.Context, id string) ([]links.Judgement, error) {
	return s.st.Judgements(ctx, id)
}

// Network is the network around the cluster id, NetworkHops out, at most
// limit nodes (NetworkMaxNodes if limit is 0), laid out; training records
// only with training.
func (s *Service) Network(ctx context.Context, id string, limit int, training bool) (*links.Network, error) {
	if limit <= 0 {
		limit = NetworkMaxNodes
	}
	kind, key, err := links.ParseID(id)
	if err != nil {
		return nil, err
	}
	// Half the nodes for records at most, so that what they share is drawn
	// too.
	recs, found, err := s.st.Neighbourhood(ctx, id, NetworkHops, max(limit/2, 2), training)
	if err != nil {
		return nil, err
	}
	n := links.Build(kind, key, recs, found, limit)
	n.Layout()
	return n, nil
}

// seenKinds are what an officer is told was recorded before: every strong
// kind, and a serial or plate written without its make or country.
var seenKinds = func() []idkey.Kind {
	var ks []idkey.Kind
	for _, k := range idkey.Kinds() {
		if k.Strong() || k == idkey.Serial || k == idkey.PlateNumber {
			ks = append(ks, k)
		}
	}
	return ks
}()

// EarlierAtPost are the links the record ref makes with other records of
// its own post: what an officer is told on saving ("this serial was
// recorded before"). Clusters judged different are left out.
func (s *Service) EarlierAtPost(ctx context.Context, ref string) ([]links.Cluster, error) {
	cur, err := s.st.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	cs, err := s.st.LinksOf(ctx, ref, links.Filter{Kinds: seenKinds})
	if err != nil {
		return nil, err
	}
	post := cur.Record.PostCode
	var out []links.Cluster
	for _, c := range cs {
		if c.Dismissed() {
			continue
		}
		var own []links.Member
		for _, m := range c.Records {
			if m.PostCode == post {
				own = append(own, m)
			}
		}
		if len(own) > 1 {
			c.Records = own
			out = append(out, c)
		}
	}
	return out, nil
}

// newLinks are what the identifiers new to an import's records link to.
func (s *Service) newLinks(ctx context.Context, fresh []store.Fresh) ([]links.Hit, error) {
	return s.st.Hits(ctx, fresh)
}

// ExportLinks writes the clusters f chooses to a new file at path in the
// format (links.FormatANB or links.FormatFTM), atomically; a file there is
// replaced only with overwrite.
func (s *Service) ExportLinks(ctx context.Context, format string, f links.Filter, path string, overwrite Overwrite) error {
	if format != links.FormatANB && format != links.FormatFTM {
		return fault.New(links.ErrFormat, nil, "format", format)
	}
	cs, err := s.st.Clusters(ctx, f)
	if err != nil {
		return err
	}
	return s.writeFile(path, overwrite, 0o600, func(w io.Writer) error {
		if format == links.FormatANB {
			return links.WriteANB(w, cs)
		}
		cache := map[string]*record.Interdiction{}
		return links.WriteFTM(w, cs, func(ref string) (*record.Interdiction, error) {
			if in, ok := cache[ref]; ok {
				return in, nil
			}
			cur, err := s.st.Get(ctx, ref)
			if err != nil {
				return nil, fmt.Errorf("read record: %w", err)
			}
			cache[ref] = cur.Record
			return cur.Record, nil
		})
	})
}
