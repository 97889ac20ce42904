// Package fault provides the error Kordon's packages return for a failure
// the user can act on: the catalog key of its message, the message's
// placeholders, and the underlying cause. The screens and the command line
// show it in the user's language (it implements i18n.Message).
package fault

import (
	"fmt"
	"strings"
)

// Error is a failure the user can act on.
type Error struct {
	// Kind, if set, is the sentinel this failure is an instance of, when
	// its own Key is a more specific message than the sentinel's.
	Kind *Error
	// Key is the catalog key of the message.
	Key string
	// Args are the message's placeholders as name/value pairs.
	Args []any
	// Err is the cause, if any.
	Err error
}

// Error is a plain English form, for logs: the key, the placeholders and
// the cause; users see the catalog's message.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Key)
	for i := 0; i+1 < len(e.Args); i += 2 {
		fmt.Fprintf(&b, " %v=%v", e.Args[i], e.Args[i+1])
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap gives the cause.
func (e *Error) Unwrap() error { return e.Err }

// MessageKey is the catalog key of the message.
func (e *Error) MessageKey() string { return e.Key }

// MessageArgs are the message's placeholders.
func (e *Error) MessageArgs() []any { return e.Args }

// Is matches the sentinel e is an instance of (Kind), or one with the same
// key, so callers test against sentinels such as store.ErrNotFound or
// bundle.ErrTampered with errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && (t == e.Kind || t.Key == e.Key)
}

// New returns a failure of the same kind as sentinel, with its own cause
// and placeholders.
func New(sentinel *Error, err error, args ...any) *Error {
	return &Error{Key: sentinel.Key, Args: args, Err: err}
}
