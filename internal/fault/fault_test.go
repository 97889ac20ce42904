package fault_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kordon/kordon/internal/fault"
)

func TestErrorsMatchTheirSentinelAndKeepTheirCause(t *testing.T) {
	sentinel := &fault.Error{Key: "store.err.not_found"}
	err := fmt.Errorf("open record: %w", fault.New(sentinel, io.EOF, "id", "42"))
	assert.ErrorIs(t, err, sentinel)
	assert.ErrorIs(t, err, io.EOF)
	assert.NotErrorIs(t, err, &fault.Error{Key: "store.err.exists"})
	var f *fault.Error
	assert.True(t, errors.As(err, &f))
	assert.Equal(t, "store.err.not_found", f.MessageKey())
	assert.Equal(t, []any{"id", "42"}, f.MessageArgs())
	assert.Equal(t, "open record: store.err.not_found id=42: EOF", err.Error())
}

func TestErrorsMatchTheKindTheyAreAnInstanceOf(t *testing.T) {
	tampered := &fault.Error{Key: "bundle.err.kind.tampered"}
	err := &fault.Error{Kind: tampered, Key: "bundle.err.entry_changed", Args: []any{"file", "records.ndjson"}}
	assert.ErrorIs(t, err, tampered)
	assert.NotErrorIs(t, err, &fault.Error{Key: "bundle.err.kind.malformed"})
	assert.Equal(t, "bundle.err.entry_changed", err.MessageKey())
}
