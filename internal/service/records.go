package service

import (
	"context"
	"encoding/json"
	"fmt"

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

// Stats counts live records by category and month.
func (s *Service) Stats(ctx context.Context, training bool) (view.Stats, error) {
	return s.st.Stats(ctx, training)
}

// PendingCount is how many final versions wait for the next bundle.
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

// SaveRecord stores a record as it is: a new record is created, a draft is
// updated in place, and a final record gets its next version. A record
// whose status is final must pass the rules for final records. The store
// assigns the number, version and origin, and writes them back into in.
func (s *Service) SaveRecord(ctx context.Context, in *record.Interdiction) error {
	return s.st.Save(ctx, in, s.Actor)
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

// metaUnsaved holds the JSON of a form whose changes are not yet stored.
const metaUnsaved = "ui_unsaved"

// KeepUnsaved keeps a form's record, as typed, in the data folder's unsaved
// slot, so that a crash or power cut does not lose it; nil empties the slot.
func (s *Service) KeepUnsaved(ctx context.Context, in *record.Interdiction) error {
	var raw []byte
	if in != nil {
		var err error
		if raw, err = json.Marshal(in); err != nil {
			return fmt.Errorf("keep unsaved form: %w", err)
		}
	}
	return s.st.SetMeta(ctx, map[string]string{metaUnsaved: string(raw)})
}

// Unsaved is the record in the unsaved slot, or nil when it is empty.
func (s *Service) Unsaved(ctx context.Context) (*record.Interdiction, error) {
	raw, err := s.st.Meta(ctx, metaUnsaved)
	if err != nil || raw == "" {
		return nil, err
	}
	var in record.Interdiction
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		return nil, fmt.Errorf("unsaved form: %w", err)
	}
	return &in, nil
}
