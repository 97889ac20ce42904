package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The audit chain is anchored by checkpoints: audit entries (action
// "checkpoint") whose content hash is the device key's signature over the
// head of the chain before them. Hashes alone can be made again by anyone
// who rewrites the database; a checkpoint can be made only with the key, so
// a history rewritten before it no longer verifies. A checkpoint is written
// at every export (the bundle's audit entries end with it) and at least once
// a day of use.
const (
	ActionCheckpoint = "checkpoint"
	// CheckpointSigPrefix is signed before the checkpoint's message, so
	// that a checkpoint's signature can serve no other purpose.
	CheckpointSigPrefix = "kordon-audit-checkpoint-v1\n"
	// checkpointSigTag starts a checkpoint's content hash.
	checkpointSigTag = "ed25519:"
	// CheckpointEvery is how old the last checkpoint may grow while the
	// folder is used.
	CheckpointEvery = 24 * time.Hour
)

// Signer signs with this device's key. The key may be held anywhere (a
// file today, unlocked by the officer's password once accounts come).
type Signer interface {
	KeyID() string
	Sign(prefix string, msg []byte) []byte
}

// PublicKeys finds the public key a checkpoint names: nil for a key it does
// not know (the checkpoint is then not this device's: ErrBadCheckpoint),
// an error when it cannot look (ErrCheckpointKey).
type PublicKeys func(keyID string) (ed25519.PublicKey, error)

// More sentinels of the audit chain.
var (
	// ErrBadCheckpoint: a checkpoint that its key did not sign.
	ErrBadCheckpoint = &Error{Key: "store.err.bad_checkpoint"}
	// ErrCheckpointKey: the key to check the checkpoints with cannot be read.
	ErrCheckpointKey = &Error{Key: "store.err.checkpoint_key"}
)

// checkpointMessage is what a checkpoint signs: the device whose chain it
// is, the sequence number and hash of the chain's head when it was made,
// and when it was made.
func checkpointMessage(device string, e *AuditEntry) []byte {
	return []byte(device + "\n" + strconv.FormatInt(e.Seq-1, 10) + "\n" + e.Prev + "\n" + e.At + "\n")
}

// checkpoint appends a checkpoint of the chain's head, signed by signer.
func (b *batch) checkpoint(ctx context.Context, signer Signer) error {
	now := b.s.now()
	e := AuditEntry{Seq: b.lastSeq + 1, At: utc(now), Actor: b.actor, Action: ActionCheckpoint, RecordID: signer.KeyID(), Prev: b.lastHash}
	e.ContentHash = checkpointSigTag + hex.EncodeToString(signer.Sign(CheckpointSigPrefix, checkpointMessage(b.device, &e)))
	if err := b.append(ctx, e); err != nil {
		return err
	}
	b.checkpointAt = now
	return nil
}

// anchorIfDue appends a checkpoint when the store has a signer and the
// last checkpoint is CheckpointEvery old, or there is none.
func (b *batch) anchorIfDue(ctx context.Context) error {
	s := b.s
	if s.signer == nil || !b.checkpointAt.IsZero() {
		return nil
	}
	s.mu.Lock()
	last, read := s.lastCheckpoint, s.lastCheckpointRead
	s.mu.Unlock()
	if !read {
		var at string
		err := b.tx.QueryRowContext(ctx, "SELECT at_utc FROM audit WHERE action = ? ORDER BY seq DESC LIMIT 1", ActionCheckpoint).Scan(&at)
		switch {
		case err == nil:
			last, _ = time.Parse(timeLayout, at)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("read audit: %w", err)
		}
		s.mu.Lock()
		s.lastCheckpoint, s.lastCheckpointRead = last, true
		s.mu.Unlock()
	}
	if !last.IsZero() && s.now().Sub(last) < CheckpointEvery {
		return nil
	}
	return b.checkpoint(ctx, s.signer)
}

// verifyCheckpoint checks a checkpoint of device's chain against the key
// it names.
func verifyCheckpoint(device string, e *AuditEntry, keys PublicKeys) error {
	bad := &Error{Key: ErrBadCheckpoint.Key, Args: []any{"seq", e.Seq}}
	sig, err := hex.DecodeString(strings.TrimPrefix(e.ContentHash, checkpointSigTag))
	if !strings.HasPrefix(e.ContentHash, checkpointSigTag) || err != nil {
		return bad
	}
	if keys == nil {
		return &Error{Key: ErrCheckpointKey.Key, Args: []any{"detail", "no key given"}}
	}
	pub, err := keys(e.RecordID)
	if err != nil {
		return &Error{Key: ErrCheckpointKey.Key, Args: []any{"detail", err.Error()}, Err: err}
	}
	if len(pub) != ed25519.PublicKeySize {
		return bad
	}
	msg := append([]byte(CheckpointSigPrefix), checkpointMessage(device, e)...)
	if !ed25519.Verify(pub, msg, sig) {
		return bad
	}
	return nil
}
