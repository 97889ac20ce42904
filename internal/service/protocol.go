package service

import (
	"context"
	"io"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/report"
)

// MetaAgency names the service the post belongs to, printed at the head of
// every protocol.
const MetaAgency = "agency"

// Protocol writes the seizure protocol of the record with the given ID as
// PDF: labels in tr, and also in tr2 if it is not nil. Warnings name what did
// not stop the document, such as a photo that could not be read.
func (s *Service) Protocol(ctx context.Context, id string, w io.Writer, tr, tr2 *i18n.Translator) ([]string, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	agency, err := s.Meta(ctx, MetaAgency)
	if err != nil {
		return nil, err
	}
	postName := post.Name
	if cur.Record.PostCode != post.Code {
		postName = "" // a record from another post: its code is printed
	}
	return report.Protocol(w, cur.Record, report.Options{
		Lang:     tr,
		Lang2:    tr2,
		Agency:   agency,
		PostName: postName,
		Hash:     cur.Hash,
		Photo:    func(sha string) ([]byte, error) { return s.Media(ctx, sha) },
	})
}
