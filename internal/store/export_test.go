package store

import "context"

// EntryHash is the hash an audit entry must carry, for tests that rewrite
// a chain as an attacker would.
func EntryHash(e AuditEntry) string { return entryHash(&e) }

// AuditSince calls fn with every audit entry from seq on, in order.
func (s *Store) AuditSince(ctx context.Context, from int64, fn func(AuditEntry) error) error {
	return s.AuditRange(ctx, from, 1<<62, fn)
}
