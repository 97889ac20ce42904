package service

import (
	"context"
	"io"
	"strconv"

	"github.com/kordon/kordon/internal/i18n"
	"github.com/kordon/kordon/internal/report"
	"github.com/kordon/kordon/internal/view"
)

// MetaAgency names the service the post belongs to, printed at the head of
// every protocol.
const MetaAgency = "agency"

// Protocol writes the seizure protocol of the record with the given ID as
// PDF: labels in tr, and also in tr2 if it is not nil. Version 0 is the
// current version; an earlier one is printed marked as superseded. Warnings
// name what did not stop the document, such as a photo that could not be
// read.
func (s *Service) Protocol(ctx context.Context, id string, version int, w io.Writer, tr, tr2 *i18n.Translator) ([]string, error) {
	cur, err := s.st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	superseded := 0
	if version != 0 && version != cur.Record.Version {
		old, err := s.Version(ctx, id, version)
		if err != nil {
			return nil, err
		}
		superseded = cur.Record.Version
		cur.Version = *old
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
		// The current version's number, on an earlier one.
		Superseded: superseded,
		Photo:      func(sha string) ([]byte, error) { return s.st.Media(ctx, sha) },
		Prepared: func(sha string) []byte {
			form, _ := s.st.PrintForm(ctx, sha)
			return form
		},
	})
}

// ErrNoVersion is the error of a version a record does not have.
var ErrNoVersion = &Error{Key: "service.err.no_version"}

// Version is version n of the record with the given ID, as stored.
func (s *Service) Version(ctx context.Context, id string, n int) (*view.Version, error) {
	versions, err := s.st.History(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range versions {
		if versions[i].Record.Version == n {
			return &versions[i], nil
		}
	}
	return nil, &Error{Kind: ErrNoVersion, Key: ErrNoVersion.Key, Args: []any{"version", strconv.Itoa(n), "count", len(versions)}}
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
