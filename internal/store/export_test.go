package store

// EntryHash is the hash an audit entry must carry, for tests that rewrite
// a chain as an attacker would.
func EntryHash(e AuditEntry) string { return e.computeHash() }
