package store

import "github.com/kordon/kordon/internal/view"

// The store reads and writes the values of package view; these names keep
// its own code short.
type (
	Version       = view.Version
	Current       = view.Current
	Summary       = view.Summary
	Filter        = view.Filter
	Cursor        = view.Cursor
	Page          = view.Page
	Stats         = view.Stats
	CategoryCount = view.CategoryCount
	MonthCount    = view.MonthCount
	TrustedKey    = view.TrustedKey
	InBundle      = view.InBundle
	AuditEntry    = view.AuditEntry
	AuditReport   = view.AuditReport
	OutBundle     = view.OutBundle
	Added         = view.Added
)
