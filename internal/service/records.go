package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/store"
	"github.com/kordon/kordon/internal/view"
)

// ErrNotFound: no record, key or bundle by that name.
var ErrNotFound = store.ErrNotFound

// DatabaseFile is the name of the database in a data folder.
const DatabaseFile = store.FileName

// SchemaVersion is the newest database schema this program knows.
func SchemaVersion() int { return store.SchemaVersion() }

// Close closes the data folder.
func (s *Service) Close() error { return s.st.Close() }

// ReadOnly reports whether the folder was opened for reading only.
func (s *Service) ReadOnly() bool { return s.st.ReadOnly() }

// Get is a record's current version; ref is an id or a Ref.
func (s *Service) Get(ctx context.Context, ref string) (*view.Current, error) {
	return s.st.Get(ctx, ref)
}

// History is every stored version of a record, oldest first.
func (s *Service) History(ctx context.Context, ref string) ([]view.Version, error) {
	return s.st.History(ctx, ref)
}

// Audit is a record's audit trail, oldest first.
func (s *Service) Audit(ctx context.Context, ref string) ([]view.AuditEntry, error) {
	return s.st.Audit(ctx, ref)
}

// List is one page of the records the filter selects.
func (s *Service) List(ctx context.Context, f view.Filter) (view.Page, error) {
	return s.st.List(ctx, f)
}

// Count is how many records the filter selects.
func (s *Service) Count(ctx context.Context, f view.Filter) (int, error) {
	return s.st.Count(ctx, f)
}

// Search finds records among those the filter selects by serial number,
// name, plate, document or narrative; see store.Store.Search.
func (s *Service) Search(ctx context.Context, query string, f view.Filter) ([]view.Summary, error) {
	return s.st.SearchIn(ctx, query, f)
}

// Describe fills in what each row holds, in short (its Gist), and for hits
// of a search for query which fields matched, with their values. Describe
// the rows shown, as they are shown: it reads each record whole.
func (s *Service) Describe(ctx context.Context, query string, hits []view.Summary) error {
	return s.st.Describe(ctx, query, hits)
}

// Stats counts live records by category and month.
func (s *Service) Stats(ctx context.Context, training bool) (view.Stats, error) {
	return s.st.Stats(ctx, training)
}

// PendingCount is how many records have a final version waiting for the next
// bundle.
func (s *Service) PendingCount(ctx context.Context) (int, error) {
	return s.st.PendingCount(ctx)
}

// Bundles is the ledger of bundles this device wrote, newest first.
func (s *Service) Bundles(ctx context.Context) ([]view.OutBundle, error) {
	return s.st.Bundles(ctx)
}

// TrustedKeys are the keys this office trusts, and those it revoked.
func (s *Service) TrustedKeys(ctx context.Context) ([]view.TrustedKey, error) {
	return s.st.TrustedKeys(ctx)
}

// ImportedBundles lists the bundles imported under a key (all when keyID
// is empty), newest first.
func (s *Service) ImportedBundles(ctx context.Context, keyID string) ([]view.InBundle, error) {
	return s.st.ImportedBundles(ctx, keyID)
}

// Photo is a stored photo's bytes, by their SHA-256.
func (s *Service) Photo(ctx context.Context, sha string) ([]byte, error) {
	return s.st.Media(ctx, sha)
}

// AddPhoto checks that data is a JPEG or PNG photo Kordon can print (see
// CheckPhoto) and stores it; it returns the SHA-256 a record's photo names.
func (s *Service) AddPhoto(ctx context.Context, data []byte) (string, error) {
	if _, err := CheckPhoto(data); err != nil {
		return "", err
	}
	return s.st.PutMedia(ctx, data)
}

// Editable reports whether this data folder may change the record: only
// the device that made a record changes it; an office reads its posts'
// records and adds to them only its own notes.
func (s *Service) Editable(ctx context.Context, in *record.Interdiction) bool {
	p, err := s.Post(ctx)
	return err == nil && (in.Origin == "" || in.Origin == p.DeviceID)
}

// SaveRecord stores a record as it is: a new record is created, a draft is
// updated in place, and a final record gets its next version. A record
// whose status is final must pass the rules for final records. The store
// assigns the number, version and origin, and writes them back into in.
func (s *Service) SaveRecord(ctx context.Context, in *record.Interdiction) error {
	if err := s.st.Save(ctx, in, s.Actor); err != nil {
		return err
	}
	// The record is kept whatever follows; an alert not kept now is kept
	// by the next save.
	s.keepAlerts(ctx, in)
	return nil
}

// Finalise makes a stored draft final; it fails with the record's problems
// when the draft lacks what a final record needs.
func (s *Service) Finalise(ctx context.Context, ref string) error {
	return s.st.Finalise(ctx, ref, s.Actor)
}

// Delete marks a record deleted; its versions and audit trail stay.
func (s *Service) Delete(ctx context.Context, ref string) error {
	return s.st.Delete(ctx, ref, s.Actor)
}

// Unsaved slots hold the JSON of forms whose changes are not yet stored,
// one slot per record (by its id), so that a crash or power cut loses
// none of them and no form overwrites another's. metaUnsaved is the single
// slot of earlier versions, still read.
const (
	unsavedPrefix = "ui_unsaved:"
	metaUnsaved   = "ui_unsaved"
)

// KeepUnsaved keeps a form's record, as typed, in its own unsaved slot.
func (s *Service) KeepUnsaved(ctx context.Context, in *record.Interdiction) error {
	raw, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("keep unsaved form: %w", err)
	}
	return s.st.SetMeta(ctx, map[string]string{unsavedPrefix + in.ID.String(): string(raw)})
}

// DropUnsaved empties the unsaved slot of the record with the given id:
// the store holds what it kept, or the officer gave it up.
func (s *Service) DropUnsaved(ctx context.Context, id uuid.UUID) error {
	keys := []string{unsavedPrefix + id.String()}
	if old, err := s.legacyUnsaved(ctx); err == nil && old != nil && old.ID == id {
		keys = append(keys, metaUnsaved)
	}
	return s.st.DeleteMeta(ctx, keys...)
}

// Unsaved are the records of the unsaved slots, oldest change first by
// record time; a slot that does not decode is left alone.
func (s *Service) Unsaved(ctx context.Context) ([]*record.Interdiction, error) {
	slots, err := s.st.MetaPrefix(ctx, unsavedPrefix)
	if err != nil {
		return nil, err
	}
	var out []*record.Interdiction
	for _, raw := range slots {
		var in record.Interdiction
		if json.Unmarshal([]byte(raw), &in) == nil {
			out = append(out, &in)
		}
	}
	if old, err := s.legacyUnsaved(ctx); err == nil && old != nil && slots[unsavedPrefix+old.ID.String()] == "" {
		out = append(out, old)
	}
	slices.SortFunc(out, func(a, b *record.Interdiction) int { return a.OccurredAt.Compare(b.OccurredAt) })
	return out, nil
}

// legacyUnsaved is the record of the single slot of earlier versions.
func (s *Service) legacyUnsaved(ctx context.Context) (*record.Interdiction, error) {
	raw, err := s.st.Meta(ctx, metaUnsaved)
	if err != nil || raw == "" {
		return nil, err
	}
	var in record.Interdiction
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		return nil, nil
	}
	return &in, nil
}

// AddRemark keeps the office's remark on a record it received from a post:
// the post's record stays as the post signed it, and the remark, by the
// officer at work, is kept beside it for good. Only an office remarks, and
// only on records it did not make (its own have their remarks field).
func (s *Service) AddRemark(ctx context.Context, ref, text string) error {
	p, err := s.Post(ctx)
	if err != nil {
		return err
	}
	if p.Role != RoleOffice {
		return ErrNotOffice
	}
	return s.st.AddRemark(ctx, ref, strings.TrimSpace(text), s.Actor)
}

// Remarks are the office's remarks on a record, oldest first.
func (s *Service) Remarks(ctx context.Context, ref string) ([]view.Remark, error) {
	return s.st.Remarks(ctx, ref)
}
