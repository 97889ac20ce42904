package store

import "context"

// EntryHash is the hash an audit entry must carry, for tests that rewrite
// a chain as an attacker would.
func EntryHash(e AuditEntry) string { return entryHash(&e) }

// UpTo makes Open bring the schema no further than version n, to make a
// database as an older Kordon left it.
func UpTo(n int) Option { return func(s *Store) { s.upTo = n } }

// AuditSince calls fn with every audit entry from seq on, in order.
func (s *Store) AuditSince(ctx context.Context, from int64, fn func(AuditEntry) error) error {
	return s.AuditRange(ctx, from, 1<<62, fn)
}
