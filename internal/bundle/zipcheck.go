package bundle

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Zip record signatures and sizes (APPNOTE.TXT).
const (
	localHeaderSig    = 0x04034b50
	dataDescriptorSig = 0x08074b50
	eocdSig           = 0x06054b50
	eocd64Sig         = 0x06064b50
	eocd64LocatorSig  = 0x07064b50

	localHeaderLen   = 30
	centralHeaderLen = 46
	eocdLen          = 22
	eocd64Len        = 56
	eocd64LocatorLen = 20

	maxEntryName = 255
	// Flags a bundle entry may carry: compression options (bits 1-2), a
	// data descriptor (bit 3) and UTF-8 names (bit 11).
	allowedFlags = 0x0006 | 0x0008 | 0x0800
)

// zipIndex is a zip whose structure passed every check.
type zipIndex struct {
	files map[string]*zip.File
	total uint64 // sum of the entries' uncompressed sizes
}

// checkZip checks the zip in ra (size bytes) before anything in it is
// read: the end-of-central-directory record at the very end, the central
// directory right before it, the entries' local headers and data tiling
// the file from offset 0 with no gap or overlap, safe and unique entry
// names, regular files only, supported methods and flags, and the caps of
// lim. name is used in messages.
func checkZip(ra io.ReaderAt, size int64, lim Limits, name string) (*zipIndex, error) {
	damaged := func(err error) error {
		return refuse(ErrMalformed, "bundle.err.damaged", err, "path", name)
	}
	var head [4]byte
	n, _ := ra.ReadAt(head[:], 0)
	zipStart := n == len(head) && binary.LittleEndian.Uint32(head[:]) == localHeaderSig
	end, err := readEnd(ra, size, name)
	if err != nil {
		if !zipStart {
			return nil, refuse(ErrMalformed, "bundle.err.not_bundle", err, "path", name)
		}
		return nil, err
	}
	if end.entries > uint64(lim.MaxEntries) {
		return nil, refuse(ErrTooLarge, "bundle.err.too_many_entries", nil, "count", end.entries, "limit", lim.MaxEntries)
	}
	if !zipStart {
		return nil, refuse(ErrMalformed, "bundle.err.prepended_data", nil, "path", name)
	}
	if end.cdOffset > uint64(end.start) || end.cdSize != uint64(end.start)-end.cdOffset {
		return nil, refuse(ErrMalformed, "bundle.err.hidden_data", errors.New("central directory does not end where the end record starts"), "path", name)
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, damaged(err)
	}
	if uint64(len(zr.File)) != end.entries {
		return nil, damaged(fmt.Errorf("%d entries, end record says %d", len(zr.File), end.entries))
	}
	var cdLen uint64
	for _, f := range zr.File {
		cdLen += centralHeaderLen + uint64(len(f.Name)) + uint64(len(f.Extra)) + uint64(len(f.Comment))
	}
	if cdLen != end.cdSize {
		return nil, refuse(ErrMalformed, "bundle.err.hidden_data", errors.New("central directory holds more than its entries"), "path", name)
	}

	idx := &zipIndex{files: make(map[string]*zip.File, len(zr.File))}
	folded := make(map[string]string, len(zr.File))
	for _, f := range zr.File {
		if err := checkEntryName(f); err != nil {
			return nil, err
		}
		if _, dup := idx.files[f.Name]; dup {
			return nil, refuse(ErrUnsafePath, "bundle.err.duplicate_name", nil, "file", f.Name)
		}
		key := foldName(f.Name)
		if other, ok := folded[key]; ok {
			return nil, refuse(ErrUnsafePath, "bundle.err.case_collision", nil, "file", f.Name, "other", other)
		}
		folded[key] = f.Name
		idx.files[f.Name] = f
	}
	for _, f := range zr.File {
		if err := checkEntrySize(f, lim, &idx.total); err != nil {
			return nil, err
		}
	}
	if err := checkTiling(ra, zr.File, end.cdOffset, name); err != nil {
		return nil, err
	}
	return idx, nil
}

// zipEnd is what the end-of-central-directory records say.
type zipEnd struct {
	start    int64 // offset of the first end record (zip64 or not)
	entries  uint64
	cdSize   uint64
	cdOffset uint64
}

// readEnd reads the end-of-central-directory record, which must be the
// last 22 bytes of the file (a bundle has no zip comment), and its zip64
// form if the sizes call for it.
func readEnd(ra io.ReaderAt, size int64, name string) (*zipEnd, error) {
	if size < eocdLen+localHeaderLen {
		return nil, refuse(ErrMalformed, "bundle.err.damaged", errors.New("too short for a zip"), "path", name)
	}
	var b [eocdLen]byte
	if _, err := ra.ReadAt(b[:], size-eocdLen); err != nil {
		return nil, refuse(ErrMalformed, "bundle.err.damaged", err, "path", name)
	}
	le := binary.LittleEndian
	if le.Uint32(b[0:]) != eocdSig || le.Uint16(b[20:]) != 0 {
		return nil, endMissing(ra, size, name)
	}
	disk, cdDisk := le.Uint16(b[4:]), le.Uint16(b[6:])
	onDisk, total := le.Uint16(b[8:]), le.Uint16(b[10:])
	end := &zipEnd{
		start:    size - eocdLen,
		entries:  uint64(total),
		cdSize:   uint64(le.Uint32(b[12:])),
		cdOffset: uint64(le.Uint32(b[16:])),
	}
	if disk != 0 || cdDisk != 0 || onDisk != total {
		return nil, refuse(ErrMalformed, "bundle.err.damaged", errors.New("multi-disk zip"), "path", name)
	}
	if total != 0xffff && end.cdSize != 0xffffffff && end.cdOffset != 0xffffffff {
		return end, nil
	}
	// Zip64: a locator right before the end record points at the zip64
	// end record, which must sit right before the locator.
	locAt := size - eocdLen - eocd64LocatorLen
	recAt := locAt - eocd64Len
	if recAt < 0 {
		return nil, refuse(ErrMalformed, "bundle.err.damaged", errors.New("zip64 records missing"), "path", name)
	}
	var loc [eocd64LocatorLen]byte
	var rec [eocd64Len]byte
	if _, err := ra.ReadAt(loc[:], locAt); err != nil {
		return nil, refuse(ErrMalformed, "bundle.err.damaged", err, "path", name)
	}
	if _, err := ra.ReadAt(rec[:], recAt); err != nil {
		return nil, refuse(ErrMalformed, "bundle.err.damaged", err, "path", name)
	}
	switch {
	case le.Uint32(loc[0:]) != eocd64LocatorSig || le.Uint32(loc[4:]) != 0 ||
		le.Uint64(loc[8:]) != uint64(recAt) || le.Uint32(loc[16:]) != 1:
		return nil, refuse(ErrMalformed, "bundle.err.damaged", errors.New("bad zip64 locator"), "path", name)
	case le.Uint32(rec[0:]) != eocd64Sig || le.Uint64(rec[4:]) != eocd64Len-12 ||
		le.Uint32(rec[16:]) != 0 || le.Uint32(rec[20:]) != 0 || le.Uint64(rec[24:]) != le.Uint64(rec[32:]):
		return nil, refuse(ErrMalformed, "bundle.err.damaged", errors.New("bad zip64 end record"), "path", name)
	}
	end.start = recAt
	end.entries = le.Uint64(rec[32:])
	end.cdSize = le.Uint64(rec[40:])
	end.cdOffset = le.Uint64(rec[48:])
	return end, nil
}

// endMissing explains a file whose last bytes are not an end record:
// either something was appended after it, or the file is cut short.
func endMissing(ra io.ReaderAt, size int64, name string) error {
	const window = 64<<10 + eocdLen
	from := max(size-window, 0)
	buf := make([]byte, size-from)
	if _, err := ra.ReadAt(buf, from); err == nil || errors.Is(err, io.EOF) {
		sig := []byte{0x50, 0x4b, 0x05, 0x06}
		// A whole end record followed by more bytes: something was
		// appended. Part of one: the file was cut short.
		if i := bytes.LastIndex(buf, sig); i >= 0 && i+eocdLen < len(buf) {
			return refuse(ErrMalformed, "bundle.err.trailing_data", nil, "path", name)
		}
	}
	return refuse(ErrMalformed, "bundle.err.damaged", errors.New("no end of central directory at the end of the file"), "path", name)
}

// checkEntryName refuses names and types that could escape a folder or
// mean something else on another system, and anything but a regular file.
func checkEntryName(f *zip.File) error {
	n := f.Name
	unsafe := func(why string) error {
		return refuse(ErrUnsafePath, "bundle.err.unsafe_path", errors.New(why), "file", n)
	}
	switch {
	case n == "" || len(n) > maxEntryName:
		return unsafe("empty or too long")
	case !utf8.ValidString(n):
		return unsafe("not UTF-8")
	case strings.ContainsFunc(n, func(r rune) bool { return unicode.IsControl(r) || r == ':' }):
		return unsafe("control character or colon")
	case strings.Contains(n, `\`):
		return unsafe("backslash")
	case strings.HasPrefix(n, "/"):
		return unsafe("absolute path")
	}
	trimmed := strings.TrimSuffix(n, "/")
	for seg := range strings.SplitSeq(trimmed, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return unsafe("empty, . or .. path element")
		}
	}
	mode := f.Mode()
	switch {
	case mode&fs.ModeSymlink != 0:
		return refuse(ErrUnsafePath, "bundle.err.link_entry", nil, "file", n)
	case mode.IsDir() || trimmed != n:
		return refuse(ErrUnsafePath, "bundle.err.directory_entry", nil, "file", n)
	case !mode.IsRegular():
		return refuse(ErrUnsafePath, "bundle.err.special_entry", nil, "file", n)
	}
	return nil
}

// foldName returns the form of name under which case-insensitive file
// systems (Windows, macOS) would see it.
func foldName(name string) string {
	return strings.ToLower(strings.ToUpper(name))
}

// checkEntrySize applies the caps of lim to one entry and adds its size to
// *total.
func checkEntrySize(f *zip.File, lim Limits, total *uint64) error {
	if f.Flags&^allowedFlags != 0 {
		return refuse(ErrMalformed, "bundle.err.unsupported_entry", fmt.Errorf("flags %#04x", f.Flags), "file", f.Name)
	}
	if f.Method != zip.Store && f.Method != zip.Deflate {
		return refuse(ErrMalformed, "bundle.err.unsupported_entry", fmt.Errorf("method %d", f.Method), "file", f.Name)
	}
	usize, csize := f.UncompressedSize64, f.CompressedSize64
	if usize > uint64(lim.MaxEntrySize) {
		return refuse(ErrTooLarge, "bundle.err.entry_too_large", nil, "file", f.Name, "size", usize, "limit", lim.MaxEntrySize)
	}
	*total += usize
	if *total > uint64(lim.MaxTotalSize) {
		return refuse(ErrTooLarge, "bundle.err.total_too_large", nil, "size", *total, "limit", lim.MaxTotalSize)
	}
	if f.Method == zip.Store && csize != usize {
		return refuse(ErrMalformed, "bundle.err.damaged", fmt.Errorf("%s: stored entry with %d bytes compressed, %d uncompressed", f.Name, csize, usize), "path", f.Name)
	}
	if f.Method == zip.Deflate && usize > ratioFloor && usize/max(csize, 1) > uint64(lim.MaxExpansionRatio) {
		return refuse(ErrTooLarge, "bundle.err.expansion", nil, "file", f.Name, "ratio", usize/max(csize, 1), "limit", lim.MaxExpansionRatio)
	}
	return nil
}

// ratioFloor is the uncompressed size up to which an entry may compress by
// any ratio: expanding it costs nothing.
const ratioFloor = 1 << 20

// checkTiling checks that the entries' local headers, data and data
// descriptors follow one another from offset 0 to the central directory at
// cdOffset, with no byte unaccounted for and no two entries sharing bytes,
// and that each local header agrees with the central directory.
func checkTiling(ra io.ReaderAt, files []*zip.File, cdOffset uint64, name string) error {
	hidden := func(why string, args ...any) error {
		return refuse(ErrMalformed, "bundle.err.hidden_data", fmt.Errorf(why, args...), "path", name)
	}
	type span struct {
		f    *zip.File
		data int64
	}
	spans := make([]span, 0, len(files))
	for _, f := range files {
		off, err := f.DataOffset()
		if err != nil {
			return refuse(ErrMalformed, "bundle.err.damaged", fmt.Errorf("%s: %w", f.Name, err), "path", name)
		}
		spans = append(spans, span{f, off})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.data, b.data) })
	le := binary.LittleEndian
	var pos uint64
	for _, s := range spans {
		f := s.f
		var h [localHeaderLen]byte
		if _, err := ra.ReadAt(h[:], int64(pos)); err != nil {
			return hidden("%s: local header at %d: %v", f.Name, pos, err)
		}
		nameLen, extraLen := uint64(le.Uint16(h[26:])), uint64(le.Uint16(h[28:]))
		if le.Uint32(h[0:]) != localHeaderSig || pos+localHeaderLen+nameLen+extraLen != uint64(s.data) {
			return hidden("%s: entry does not start where the previous one ends (%d)", f.Name, pos)
		}
		if le.Uint16(h[6:]) != f.Flags || le.Uint16(h[8:]) != f.Method {
			return hidden("%s: local header disagrees with the central directory", f.Name)
		}
		local := make([]byte, nameLen)
		if _, err := ra.ReadAt(local, int64(pos+localHeaderLen)); err != nil || string(local) != f.Name {
			return hidden("%s: local header names another file", f.Name)
		}
		pos = uint64(s.data) + f.CompressedSize64
		if f.Flags&0x8 != 0 {
			n, err := descriptorLen(ra, f, pos)
			if err != nil {
				return hidden("%s: %v", f.Name, err)
			}
			pos += n
		}
	}
	if pos != cdOffset {
		return hidden("%d bytes between the last entry and the central directory", int64(cdOffset)-int64(pos))
	}
	return nil
}

// descriptorLen reads the data descriptor of f at off, checks it against
// the central directory and returns its length.
func descriptorLen(ra io.ReaderAt, f *zip.File, off uint64) (uint64, error) {
	var b [24]byte
	n, err := ra.ReadAt(b[:], int64(off))
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, err
	}
	le := binary.LittleEndian
	d, length := b[:n], uint64(0)
	if len(d) >= 4 && le.Uint32(d) == dataDescriptorSig {
		d, length = d[4:], 4
	}
	zip64 := f.CompressedSize64 >= 0xffffffff || f.UncompressedSize64 >= 0xffffffff
	switch {
	case zip64 && len(d) >= 20:
		if le.Uint32(d) != f.CRC32 || le.Uint64(d[4:]) != f.CompressedSize64 || le.Uint64(d[12:]) != f.UncompressedSize64 {
			return 0, errors.New("data descriptor disagrees with the central directory")
		}
		return length + 20, nil
	case !zip64 && len(d) >= 12:
		if le.Uint32(d) != f.CRC32 || uint64(le.Uint32(d[4:])) != f.CompressedSize64 || uint64(le.Uint32(d[8:])) != f.UncompressedSize64 {
			return 0, errors.New("data descriptor disagrees with the central directory")
		}
		return length + 12, nil
	}
	return 0, errors.New("data descriptor cut short")
}
