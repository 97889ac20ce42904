package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// SHA256 is the hex SHA-256 of data: the address of an attachment.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func (b *batch) putMedia(ctx context.Context, data []byte) (string, error) {
	sha := SHA256(data)
	if _, err := b.exec(ctx, "INSERT INTO media (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING", sha, len(data), data); err != nil {
		return "", fmt.Errorf("store attachment %s: %w", sha, err)
	}
	return sha, nil
}

func (b *batch) requireMedia(ctx context.Context, sha string) error {
	st, err := b.stmt(ctx, "SELECT 1 FROM media WHERE sha256 = ?")
	if err != nil {
		return err
	}
	var one int
	return st.QueryRowContext(ctx, sha).Scan(&one)
}

// PutMedia stores an attachment and returns its SHA-256 address. Storing the
// same bytes again is a no-op.
func (s *Store) PutMedia(ctx context.Context, data []byte) (string, error) {
	var sha string
	err := s.update(ctx, "", func(b *batch) (err error) {
		sha, err = b.putMedia(ctx, data)
		return err
	})
	return sha, err
}

// Media returns an attachment's bytes, after checking they still hash to
// their address.
func (s *Store) Media(ctx context.Context, sha string) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, "SELECT data FROM media WHERE sha256 = ?", sha).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, newError(ErrNotFound, nil, "id", sha)
	}
	if err != nil {
		return nil, fmt.Errorf("read attachment %s: %w", sha, err)
	}
	if SHA256(data) != sha {
		return nil, newError(ErrMediaCorrupt, nil, "sha256", sha)
	}
	return data, nil
}

// PutPrintForm keeps the print form of the attachment sha.
func (s *Store) PutPrintForm(ctx context.Context, sha string, form []byte) error {
	if _, err := s.db.ExecContext(ctx, "INSERT INTO print_forms (sha256, data) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING", sha, form); err != nil {
		return fmt.Errorf("keep print form of %s: %w", sha, err)
	}
	return nil
}

// PrintForm returns the print form of the attachment sha, or nil if none
// was made.
func (s *Store) PrintForm(ctx context.Context, sha string) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, "SELECT data FROM print_forms WHERE sha256 = ?", sha).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read print form of %s: %w", sha, err)
	}
	return data, nil
}
