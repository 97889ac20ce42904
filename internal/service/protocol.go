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
	cur, err := s.st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	post, err := s.Post(ctx)
	if err != nil {
		return nil, err
	}
	agency, err := s.st.Meta(ctx, MetaAgency)
	if err != nil {
		return nil, err
	}
	for _, ph := range cur.Record.Photos {
		// Photos attached before their print form was kept get one now,
		// for this protocol and every later one.
		_ = s.PreparePrint(ctx, ph.SHA256)
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
		Photo:    func(sha string) ([]byte, error) { return s.st.Media(ctx, sha) },
		Prepared: func(sha string) []byte {
			form, _ := s.st.PrintForm(ctx, sha)
			return form
		},
	})
}

// PreparePrint makes and keeps the print form of a photo, once, so that
// protocols place it without decoding the full-size original. A file that
// is not a picture the protocol can print has none; the protocol then marks
// its place.
func (s *Service) PreparePrint(ctx context.Context, sha string) error {
	if form, err := s.st.PrintForm(ctx, sha); err != nil || form != nil {
		return err
	}
	photo, err := s.st.Media(ctx, sha)
	if err != nil {
		return err
	}
	form, err := report.PrintForm(photo)
	if err != nil {
		return err
	}
	return s.st.PutPrintForm(ctx, sha, form)
}
