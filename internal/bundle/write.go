package bundle

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"

	"github.com/kordon/kordon/internal/record"
	"github.com/kordon/kordon/internal/safefile"
)

// Options describe the bundle [Create] writes.
type Options struct {
	// Key is the device's signing key. Required.
	Key *SigningKey
	// Post is the post's code, e.g. KZ-DOS; the office checks it against
	// the post its key file names. Required.
	Post string
	// DeviceID names the device within the post (letters, digits, ".", "_",
	// ":", "-"; at most 128). Required.
	DeviceID string
	// Sequence counts the device's bundles from 1. Required.
	Sequence uint64
	// PrevManifestHash is the ManifestHash of the device's previous bundle;
	// empty exactly when Sequence is 1.
	PrevManifestHash string
	// SchemaVersion is the record schema version of the record lines.
	// Required.
	SchemaVersion int
	// Destination names the office the bundle is for, normally the office
	// key's KeyID. Required.
	Destination string
	// Recipient, if set, encrypts the whole bundle to the office with age.
	Recipient age.Recipient
	// BundleID is the bundle's UUID; a random one if empty.
	BundleID string
	// Created is when the bundle is made; now if zero. It is stored in UTC,
	// to the second.
	Created time.Time
	// CompressionLevel is the flate level of the NDJSON entries; 0 means
	// flate.BestSpeed. Media are stored as they are.
	CompressionLevel int
}

// Result is what Close reports about a finished bundle.
type Result struct {
	// Path is the bundle's final name.
	Path string
	// Manifest is the bundle's manifest.
	Manifest Manifest
	// ManifestHash is the hex SHA-256 of the manifest's bytes; the next
	// bundle's PrevManifestHash.
	ManifestHash string
	// Size is the size of the file in bytes.
	Size int64
}

// Writer phases: entries are written in this order.
const (
	phaseRecords = iota
	phaseAudit
	phaseMedia
	phaseDone
)

// Writer writes one bundle as a stream. Call AddRecord for every record
// version, then AddAudit for every audit entry, then AddMedia for every
// attachment, then Close; a call out of this order is an error. Nothing is
// held in memory but the list of files. The bundle is written to
// "<path>.partial" and renamed to path by Close, so an interrupted export
// leaves no file under the final name. A Writer is not safe for concurrent
// use.
type Writer struct {
	path    string
	file    *safefile.File
	buf     *bufio.Writer
	count   *countingWriter
	enc     io.WriteCloser // age encryption, nil for a plain bundle
	zw      *zip.Writer
	key     *SigningKey
	m       Manifest
	lim     Limits
	phase   int
	cur     *entry // the entry being written, nil between entries
	media   map[string]bool
	entries int
	copyBuf []byte
	err     error // sticky: the bundle cannot be finished
	closed  bool
}

// entry is the zip entry being written.
type entry struct {
	name  string
	w     io.Writer
	h     hash.Hash
	size  int64
	lines int64
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

// Write writes p and counts it.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Create starts a bundle at path. It refuses with ErrExists if path exists;
// a leftover "<path>.partial" from an interrupted export is replaced.
func Create(path string, opts Options) (*Writer, error) {
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("bundle: create %s: %w", path, err)
	}
	created := opts.Created
	if created.IsZero() {
		created = time.Now()
	}
	id := opts.BundleID
	if id == "" {
		id = uuid.NewString()
	}
	level := opts.CompressionLevel
	if level == 0 {
		level = flate.BestSpeed
	}
	f, err := safefile.Create(path, 0o600)
	if err != nil {
		return nil, existsError(path, fmt.Errorf("bundle: %w", err))
	}
	w := &Writer{
		path: path, file: f,
		buf: bufio.NewWriterSize(f, 1<<20),
		lim: DefaultLimits(),
		m: Manifest{
			Format:           Format,
			FormatVersion:    FormatVersion,
			BundleID:         id,
			Post:             opts.Post,
			DeviceID:         opts.DeviceID,
			DeviceKeyID:      opts.Key.KeyID(),
			Sequence:         opts.Sequence,
			PrevManifestHash: opts.PrevManifestHash,
			Created:          created.UTC().Truncate(time.Second),
			SchemaVersion:    opts.SchemaVersion,
			Destination:      opts.Destination,
		},
		media: map[string]bool{},
	}
	w.count = &countingWriter{w: w.buf}
	var out io.Writer = w.count
	if opts.Recipient != nil {
		if w.enc, err = age.Encrypt(w.count, opts.Recipient); err != nil {
			w.Abort()
			return nil, fmt.Errorf("bundle: encrypt %s: %w", path, err)
		}
		out = w.enc
	}
	w.zw = zip.NewWriter(out)
	w.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, level)
	})
	w.key = opts.Key
	if err := w.open(RecordsName, zip.Deflate); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// validate checks o before anything is written.
func (o *Options) validate() error {
	switch {
	case o.Key == nil:
		return errors.New("no signing key")
	case !record.ValidPostCode(o.Post):
		return fmt.Errorf("post %q is not a post code", o.Post)
	case !tokenRE.MatchString(o.DeviceID):
		return fmt.Errorf("device id %q", o.DeviceID)
	case o.Sequence < 1:
		return errors.New("sequence must be 1 or more")
	case o.Sequence == 1 && o.PrevManifestHash != "":
		return errors.New("sequence 1 has no previous manifest hash")
	case o.Sequence > 1 && !hex64RE.MatchString(o.PrevManifestHash):
		return fmt.Errorf("previous manifest hash %q is not a lower-case SHA-256", o.PrevManifestHash)
	case o.SchemaVersion < 1:
		return errors.New("schema version must be 1 or more")
	case !tokenRE.MatchString(o.Destination):
		return fmt.Errorf("destination %q", o.Destination)
	case o.BundleID != "" && !uuidRE.MatchString(o.BundleID):
		return fmt.Errorf("bundle id %q is not a lower-case UUID", o.BundleID)
	case o.CompressionLevel < 0 || o.CompressionLevel > flate.BestCompression:
		return fmt.Errorf("compression level %d", o.CompressionLevel)
	}
	return nil
}

// open finishes the current entry and starts the next one.
func (w *Writer) open(name string, method uint16) error {
	w.finish()
	if w.entries+2 >= w.lim.MaxEntries { // keep room for the manifest and signature
		return refuse(ErrTooLarge, "bundle.err.too_many_entries", nil, "count", w.entries+3, "limit", w.lim.MaxEntries)
	}
	hdr := &zip.FileHeader{Name: name, Method: method, Modified: w.m.Created}
	hdr.SetMode(0o644)
	zf, err := w.zw.CreateHeader(hdr)
	if err != nil {
		w.err = fmt.Errorf("bundle: write %s: %w", name, err)
		return w.err
	}
	h := sha256.New()
	w.cur = &entry{name: name, w: io.MultiWriter(zf, h), h: h}
	w.entries++
	return nil
}

// finish records the current entry in the manifest.
func (w *Writer) finish() {
	if w.cur == nil {
		return
	}
	w.m.Files = append(w.m.Files, File{Path: w.cur.name, Size: w.cur.size, SHA256: hex.EncodeToString(w.cur.h.Sum(nil))})
	switch w.cur.name {
	case RecordsName:
		w.m.Counts.Records = w.cur.lines
	case AuditName:
		w.m.Counts.Audit = w.cur.lines
	}
	w.cur = nil
}

// ready checks that the writer can take a call of the given phase, and
// moves it there, opening audit.ndjson on the way.
func (w *Writer) ready(phase int) error {
	switch {
	case w.closed:
		return errors.New("bundle: writer is closed")
	case w.err != nil:
		return w.err
	case phase < w.phase:
		return fmt.Errorf("bundle: out of order: records, then audit entries, then media")
	}
	if w.phase == phaseRecords && phase > phaseRecords {
		w.phase = phaseAudit
		if err := w.open(AuditName, zip.Deflate); err != nil {
			return err
		}
	}
	if phase == phaseMedia && w.phase == phaseAudit {
		w.finish()
	}
	w.phase = phase
	return nil
}

// AddRecord adds one record version: line is its JSON object on one line,
// without a newline. A line that is not a JSON object is refused
// (ErrMalformed) and not written; the writer stays usable.
func (w *Writer) AddRecord(line []byte) error {
	if err := w.ready(phaseRecords); err != nil {
		return err
	}
	return w.addLine(line)
}

// AddAudit adds one audit entry, a JSON object on one line, as AddRecord
// does for records. The first call ends the records.
func (w *Writer) AddAudit(line []byte) error {
	if err := w.ready(phaseAudit); err != nil {
		return err
	}
	return w.addLine(line)
}

// addLine checks line and writes it with its newline to the current entry.
func (w *Writer) addLine(line []byte) error {
	e := w.cur
	if len(line) > w.lim.MaxLineSize {
		return refuse(ErrTooLarge, "bundle.err.line_too_long", nil, "file", e.name, "line", e.lines+1, "limit", w.lim.MaxLineSize)
	}
	if !validLine(line) {
		return refuse(ErrMalformed, "bundle.err.bad_json", nil, "file", e.name, "line", e.lines+1)
	}
	if _, err := e.w.Write(line); err != nil {
		w.err = fmt.Errorf("bundle: write %s: %w", e.name, err)
		return w.err
	}
	if _, err := e.w.Write([]byte{'\n'}); err != nil {
		w.err = fmt.Errorf("bundle: write %s: %w", e.name, err)
		return w.err
	}
	e.size += int64(len(line)) + 1
	e.lines++
	return nil
}

// AddMedia adds an attachment whose content r yields and whose SHA-256 is
// sha (lower-case hex). The content is streamed into the bundle while it is
// hashed; if it turns out not to match sha (ErrTampered) or to be too large
// (ErrTooLarge), or r fails, the bundle cannot be finished: Close returns
// the error and leaves no file. An attachment added before is skipped
// without reading r. The first call ends the audit entries.
func (w *Writer) AddMedia(sha string, r io.Reader) error {
	if !hex64RE.MatchString(sha) {
		return fmt.Errorf("bundle: media hash %q is not a lower-case SHA-256", sha)
	}
	if err := w.ready(phaseMedia); err != nil {
		return err
	}
	if w.media[sha] {
		return nil
	}
	name := MediaPrefix + sha
	if err := w.open(name, zip.Store); err != nil {
		return err
	}
	e := w.cur
	if w.copyBuf == nil {
		w.copyBuf = make([]byte, 256<<10)
	}
	n, err := io.CopyBuffer(e.w, io.LimitReader(r, w.lim.MaxEntrySize+1), w.copyBuf)
	e.size = n
	switch {
	case err != nil:
		w.err = fmt.Errorf("bundle: copy media %s: %w", sha, err)
	case n > w.lim.MaxEntrySize:
		w.err = refuse(ErrTooLarge, "bundle.err.entry_too_large", nil, "file", name, "size", n, "limit", w.lim.MaxEntrySize)
	case hex.EncodeToString(e.h.Sum(nil)) != sha:
		w.err = refuse(ErrTampered, "bundle.err.media_mismatch", nil, "sha256", sha)
	case w.count.n > w.lim.MaxFileSize:
		w.err = refuse(ErrTooLarge, "bundle.err.file_too_large", nil, "path", w.path, "size", w.count.n, "limit", w.lim.MaxFileSize)
	}
	if w.err != nil {
		return w.err
	}
	w.media[sha] = true
	w.m.Counts.Media++
	return nil
}

// Close finishes the bundle: it writes the manifest and its signature,
// closes the zip (and the encryption), syncs the file to disk and renames
// it to its final name. If anything failed before or fails now, it removes
// the partial file and returns the error.
func (w *Writer) Close() (*Result, error) {
	if err := w.ready(phaseDone); err != nil {
		w.Abort()
		return nil, err
	}
	res, err := w.seal()
	if err != nil {
		w.Abort()
		return nil, err
	}
	w.closed = true
	return res, nil
}

// seal writes the manifest and signature and commits the file.
func (w *Writer) seal() (*Result, error) {
	w.finish()
	slices.SortFunc(w.m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	raw, err := w.m.marshal()
	if err != nil {
		return nil, err
	}
	sig := w.key.sign(ManifestSigPrefix, raw)
	for _, e := range []struct {
		name string
		data []byte
	}{{ManifestName, raw}, {SignatureName, marshalSig(w.m.DeviceKeyID, sig)}} {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Store, Modified: w.m.Created}
		hdr.SetMode(0o644)
		zf, err := w.zw.CreateHeader(hdr)
		if err != nil {
			return nil, fmt.Errorf("bundle: write %s: %w", e.name, err)
		}
		if _, err := zf.Write(e.data); err != nil {
			return nil, fmt.Errorf("bundle: write %s: %w", e.name, err)
		}
	}
	if err := w.zw.Close(); err != nil {
		return nil, fmt.Errorf("bundle: finish zip: %w", err)
	}
	if w.enc != nil {
		if err := w.enc.Close(); err != nil {
			return nil, fmt.Errorf("bundle: finish encryption: %w", err)
		}
	}
	if err := w.buf.Flush(); err != nil {
		return nil, fmt.Errorf("bundle: write %s: %w", w.path, err)
	}
	if w.count.n > w.lim.MaxFileSize {
		return nil, refuse(ErrTooLarge, "bundle.err.file_too_large", nil, "path", w.path, "size", w.count.n, "limit", w.lim.MaxFileSize)
	}
	file := w.file
	w.file = nil
	if err := file.Commit(); err != nil {
		return nil, existsError(w.path, fmt.Errorf("bundle: %w", err))
	}
	return &Result{Path: w.path, Manifest: w.m, ManifestHash: hashHex(raw), Size: w.count.n}, nil
}

// Abort gives up the bundle and removes the partial file. It is safe to
// call after Close, and more than once.
func (w *Writer) Abort() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.file == nil {
		return nil
	}
	err := w.file.Abort()
	w.file = nil
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}
