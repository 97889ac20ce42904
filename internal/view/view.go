// Package view holds what Kordon shows of a data folder: a record's current
// version and its history, the summaries a listing or search returns and the
// filter that chose them, counts for reports, the audit trail, and the
// ledgers of bundles and keys. The store fills these values and the service
// hands them out, so that screens and commands read them without reaching
// the store.
package view

import (
	"time"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/tracing"
)

// Version is one stored version of a record.
type Version struct {
	// MadeBy and MadeAt are, for a version imported from a post, who saved
	// it there and when, from the post's own audit trail; SavedAt and Actor
	// are then the import's. Both are empty for the folder's own versions.
	MadeBy  string
	MadeAt  time.Time
	Record  *record.Interdiction
	Hash    string // hex SHA-256 of the stored content
	SavedAt time.Time
	Actor   string
}

// Current is a record's latest version and whether it was deleted.
type Current struct {
	Version
	Deleted bool
}

// Summary is what lists show of a record.
type Summary struct {
	ID            string    `json:"id"`
	Origin        string    `json:"origin"`
	Number        string    `json:"number"`
	PostCode      string    `json:"post_code"`
	Version       int       `json:"version"`
	Status        string    `json:"status"`
	OccurredAt    time.Time `json:"occurred_at"`
	CrossingPoint string    `json:"crossing_point,omitempty"`
	// Pieces counts what was seized but ammunition, Rounds the rounds of
	// ammunition (record.Counts).
	Pieces   int  `json:"pieces"`
	Rounds   int  `json:"rounds"`
	Training bool `json:"training,omitempty"`
	Deleted  bool `json:"deleted,omitempty"`
	// Matches say why a search found the record: which fields, with which
	// values, once the hit is described (Describe). Listings leave it empty.
	Matches []Match `json:"matches,omitempty"`
	// Gist is what the record holds, in short, once described.
	Gist *Gist `json:"gist,omitempty"`
	// Identifiers are the weapons, documents, people, plates… the record
	// carries, as links find them, once described.
	Identifiers []Ident `json:"identifiers,omitempty"`
}

// Ident is one identifier a record carries (idkey): its kind, its key,
// and how the record writes it.
type Ident struct {
	Kind  string `json:"kind"`
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Gist is what a record holds, in short, for a list: who was involved,
// in which vehicle, and what was seized.
type Gist struct {
	// People are the names of the people the record names, as written,
	// the first few (MorePeople counts the others).
	People     []string `json:"people,omitempty"`
	MorePeople int      `json:"more_people,omitempty"`
	Plate      string   `json:"plate,omitempty"`
	// Items are the seized items by category, in the record's order.
	Items []GistItem `json:"items,omitempty"`
}

// GistItem counts the items of one category (record.Item.Category) a
// record seized: pieces, or rounds for ammunition.
type GistItem struct {
	Category string `json:"category"`
	Pieces   int    `json:"pieces,omitempty"`
	Rounds   int    `json:"rounds,omitempty"`
}

// Match is a field a search matched: its JSON path in the record
// ("items[0].firearm.serials[0].number") and its value.
type Match struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Filter selects records for List and Count. Zero fields do not filter.
type Filter struct {
	From, To      time.Time // occurred in [From, To)
	Status        string
	Category      string // an item category: see record.Item.Category
	CrossingPoint string
	PostCode      string // records of one post (at an office)
	Deleted       bool   // list deleted records instead of live ones
	// Oldest lists oldest first; the default is newest first.
	Oldest bool
	// After continues a listing after the given row (keyset paging).
	After *Cursor
	Limit int // default 100
}

// Cursor marks a row of a listing, to continue after it. Its fields are
// the store's to read: callers pass a Page's Next back as Filter.After.
type Cursor struct {
	Occurred string
	Row      int64
}

// Page is one page of a listing.
type Page struct {
	Records []Summary
	// Next continues the listing, nil at its end.
	Next *Cursor
}

// Stats are counts for reports. Training records are left out unless asked
// for; TrainingLeftOut says how many were.
type Stats struct {
	Records         int             `json:"records"`
	Pieces          int             `json:"pieces"`
	Rounds          int             `json:"rounds"`
	ByCategory      []CategoryCount `json:"by_category"`
	ByMonth         []MonthCount    `json:"by_month"`
	TrainingLeftOut int             `json:"training_left_out"`
}

// CategoryCount counts seized items of one category.
type CategoryCount struct {
	Category string `json:"category"`
	Items    int    `json:"items"`
	Pieces   int    `json:"pieces"` // ammunition packages are not pieces
	Rounds   int    `json:"rounds"`
}

// MonthCount counts records and pieces of one month (YYYY-MM, post time).
type MonthCount struct {
	Month   string `json:"month"`
	Records int    `json:"records"`
	Pieces  int    `json:"pieces"`
	Rounds  int    `json:"rounds"`
}

// TrustedKey is a post device's signing key the office trusts.
type TrustedKey struct {
	KeyID       string
	PublicKey   string // the key file's content
	PostCode    string
	Name        string
	Fingerprint string
	Trusted     time.Time
	Revoked     *time.Time
}

// InBundle is a bundle the office imported.
type InBundle struct {
	KeyID         string
	Seq           int64
	BundleID      string
	ManifestHash  string
	PostCode      string
	DeviceID      string
	Imported      time.Time
	VersionsNew   int
	VersionsKnown int
	// Gap names the sequence numbers missing before this bundle, e.g. "3-4".
	Gap string
}

// AuditEntry is one link of the audit chain. Hash covers every other field,
// Prev included, so changing, removing or reordering entries breaks the chain.
type AuditEntry struct {
	Seq         int64  `json:"seq"`
	At          string `json:"at"`
	Actor       string `json:"actor"`
	Action      string `json:"action"`
	RecordID    string `json:"record_id"`
	Version     int    `json:"version"`
	ContentHash string `json:"content_hash"`
	Prev        string `json:"prev"`
	Hash        string `json:"hash"`
}

// AuditReport says what Verify checked.
type AuditReport struct {
	// Entries is the length of the chain.
	Entries int64
	// Checkpoints counts the signed checkpoints; the last one anchors the
	// chain up to LastCheckpoint, written at LastCheckpointAt.
	Checkpoints      int
	LastCheckpoint   int64
	LastCheckpointAt time.Time
}

// OutBundle is a bundle this device wrote, or reserved to write.
type OutBundle struct {
	Seq          int64
	BundleID     string
	ManifestHash string // "" while pending
	Created      time.Time
	File         string
	Versions     int
	Media        int
	// AuditFrom and AuditTo are the first and last audit entries the
	// bundle carries; the last is the checkpoint written with it.
	AuditFrom, AuditTo int64
	// PrevHash is the manifest hash of the bundle before it.
	PrevHash string
	// Destination is the office the bundle is for (its key id).
	Destination string
	// Pending is set from the moment the bundle is reserved until its file
	// is in place.
	Pending      bool
	Acknowledged *time.Time
}

// Added is a record an earlier intake of the same input added.
type Added struct {
	ID, Number string
}

// Ref names the record for Get and History, even where its id is shared.
func (sm Summary) Ref() string { return record.Ref(sm.Origin, sm.ID) }

// Time is when the entry was written.
func (e *AuditEntry) Time() time.Time {
	t, _ := time.Parse(TimeLayout, e.At)
	return t
}

// TimeLayout is how the store writes times: UTC, to the nanosecond.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// Unanchored is how many entries came after the last checkpoint.
func (r *AuditReport) Unanchored() int64 { return r.Entries - r.LastCheckpoint }

// Remark is an office's own remark on a record it received: the post's
// record is never changed, the office's word is kept beside it.
type Remark struct {
	Text  string    `json:"text"`
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
}

// ListInfo is what identifies a sanctions list held in a data folder: its
// source ("un"), when its publisher generated it, the SHA-256 of the file,
// how many entries it has, and when and by whom it was loaded.
type ListInfo struct {
	Source    string    `json:"source"`
	Generated time.Time `json:"generated"`
	SHA256    string    `json:"sha256"`
	Entries   int       `json:"entries"`
	LoadedAt  time.Time `json:"loaded_at"`
	Actor     string    `json:"actor"`
}

// Decision is what an officer or analyst decided of a hit of a sanctions
// list: the subject (a person's or organisation's name key, with the date
// of birth where known) is the listed entry Reference (Verdict
// "confirmed") or not ("false_match").
type Decision struct {
	Subject   string    `json:"subject"`
	Reference string    `json:"reference"`
	Verdict   string    `json:"verdict"`
	Note      string    `json:"note,omitempty"`
	Ref       string    `json:"record"`
	Path      string    `json:"path"`
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
}

// WatchEntry is one entry of an office's watch list: what it wants its
// posts to stop and report.
type WatchEntry struct {
	ID string `json:"id"`
	// Kind is serial, document, plate, phone, person or organisation.
	Kind   string `json:"kind"`
	Value  string `json:"value"`
	Key    string `json:"key"`
	Reason string `json:"reason,omitempty"`
	// Until is the last day the entry holds (YYYY-MM-DD), "" for no end.
	Until   string    `json:"until,omitempty"`
	AddedBy string    `json:"added_by"`
	AddedAt time.Time `json:"added_at"`
}

// TraceState is one recorded state of tracing an item: the trace, its
// number among the item's states (from 1), who recorded it and when.
type TraceState struct {
	Trace   *tracing.Trace `json:"trace"`
	Version int            `json:"version"`
	Actor   string         `json:"actor"`
	At      time.Time      `json:"at"`
}

// TracedItem is one firearm or major part on the tracing work list.
type TracedItem struct {
	// Ref is the record's (device/id), ItemID the item's, Item its number
	// in the record (from 1).
	Ref      string    `json:"record"`
	Number   string    `json:"number"`
	PostCode string    `json:"post_code"`
	At       time.Time `json:"occurred_at"`
	ItemID   string    `json:"item_id"`
	Item     int       `json:"item"`
	// Category is the firearm category or "part." and the part type.
	Category string `json:"category"`
	Make     string `json:"make,omitempty"`
	Model    string `json:"model,omitempty"`
	Serial   string `json:"serial,omitempty"`
	Calibre  string `json:"calibre,omitempty"`
	// Status is the trace's (tracing.NotAttempted when none is recorded);
	// State the newest recorded state, nil for none.
	Status  string      `json:"status"`
	Overdue bool        `json:"overdue,omitempty"`
	State   *TraceState `json:"state,omitempty"`
}

// TraceList is a page of the tracing work list and the counts of the
// whole list.
type TraceList struct {
	// Items are the page: overdue requests first (earliest due first),
	// then open requests by due date, insufficient answers, items not
	// attempted (newest first), and the traces ended.
	Items []TracedItem `json:"items"`
	// Traced counts every firearm and major part of current records;
	// ByStatus them by status; Overdue those with a request past its due
	// date; Matched those the filter chose.
	Traced   int            `json:"traced"`
	ByStatus map[string]int `json:"by_status"`
	Overdue  int            `json:"overdue"`
	Matched  int            `json:"matched"`
}

// TraceFilter chooses the items of the work list: of one status, or with
// an overdue request, as of day Today (YYYY-MM-DD); at most Limit of
// them (0: all). Training records are left out unless Training is set.
type TraceFilter struct {
	Status   string
	Overdue  bool
	Today    string
	Limit    int
	Training bool
}
