package fits

import (
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Default limits used by Open (see OpenOptions).
const (
	DefaultMaxBytes       = 1 << 30  // 1 GiB
	DefaultMaxHeaderBytes = 64 << 20 // 64 MiB (about 800 000 cards)
	DefaultMaxHDUs        = 10000
)

// OpenOptions bounds what Open and the decoders may allocate. Zero fields take
// the Default* values.
type OpenOptions struct {
	// MaxBytes caps every allocation made for data: a gzip stream's decompressed
	// size, one decoded image (raw plus converted pixels), one tile.
	MaxBytes int64
	// MaxHeaderBytes caps the size of one header.
	MaxHeaderBytes int64
	// MaxHDUs caps the number of HDUs scanned.
	MaxHDUs int
}

func (o OpenOptions) withDefaults() OpenOptions {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.MaxHDUs <= 0 {
		o.MaxHDUs = DefaultMaxHDUs
	}
	return o
}

// HDUType is the kind of an HDU.
type HDUType string

// HDU types.
const (
	TypePrimary         HDUType = "PRIMARY"
	TypeImage           HDUType = "IMAGE"
	TypeCompressedImage HDUType = "COMPRESSED_IMAGE" // a BINTABLE with ZIMAGE = T
	TypeBinTable        HDUType = "BINTABLE"
	TypeTable           HDUType = "TABLE" // ASCII table
	TypeOther           HDUType = "OTHER" // any other XTENSION (e.g. IUEIMAGE, foreign)
)

// File is an opened FITS file: every HDU's header, and where its data are.
// Data are read only when asked for (HDU.Image, HDU.Section, HDU.RawData).
type File struct {
	HDUs []*HDU
	// Size is the length in bytes of the FITS stream (after gunzip, if Gzip).
	Size int64
	// Gzip is true when the input was a gzip stream, decompressed into memory.
	Gzip bool
	// Warnings lists problems that did not stop the scan: unparsable cards,
	// illegal keywords, trailing bytes, truncation.
	Warnings []error

	r   io.ReaderAt
	opt OpenOptions
}

// HDU is one header-data unit.
type HDU struct {
	// Index is the position in the file (0 = primary).
	Index int
	// HeaderOffset is the byte offset of the header's first card.
	HeaderOffset int64
	// DataOffset is the byte offset of the data, DataSize their declared size
	// (without the padding to 2880 bytes).
	DataOffset, DataSize int64
	// Available is how many of the DataSize bytes the file holds (less than
	// DataSize when the file is truncated).
	Available int64

	hdr  *Header
	typ  HDUType
	f    *File
	geom geometry
}

// geometry holds the structural keywords of an HDU.
type geometry struct {
	bitpix int
	naxis  []int64
	pcount int64
	gcount int64
	groups bool
}

// Header returns the HDU's header.
func (h *HDU) Header() *Header { return h.hdr }

// Type returns the kind of HDU.
func (h *HDU) Type() HDUType { return h.typ }

// Name returns EXTNAME (or "" when absent). For a tile-compressed image written
// by fpack without EXTNAME, this is "" too, not "COMPRESSED_IMAGE".
func (h *HDU) Name() string {
	s, _ := h.hdr.String("EXTNAME")
	if h.typ == TypeCompressedImage && s == "COMPRESSED_IMAGE" {
		// fpack/CFITSIO write this default name; astropy reports no name.
		if _, ok := h.hdr.Card("ZEXTNAME"); !ok {
			return ""
		}
	}
	if s2, ok := h.hdr.String("ZEXTNAME"); ok && h.typ == TypeCompressedImage {
		return s2
	}
	return s
}

// Truncated reports whether the file ends before the HDU's data do.
func (h *HDU) Truncated() bool { return h.Available < h.DataSize }

// Bitpix returns the HDU's BITPIX keyword (of the table for compressed images).
func (h *HDU) Bitpix() int { return h.geom.bitpix }

// Naxis returns NAXIS1..NAXISn as declared in the header (of the table for
// compressed images).
func (h *HDU) Naxis() []int64 { return append([]int64(nil), h.geom.naxis...) }

// PCount returns PCOUNT (0 for images and the primary HDU).
func (h *HDU) PCount() int64 { return h.geom.pcount }

// GCount returns GCOUNT (1 when absent).
func (h *HDU) GCount() int64 { return h.geom.gcount }

// RawData reads the HDU's stored data bytes (without padding). It fails when they
// exceed OpenOptions.MaxBytes; a truncated HDU returns what the file holds with a
// *TruncatedError.
func (h *HDU) RawData() ([]byte, error) {
	if h.DataSize > h.f.opt.MaxBytes {
		return nil, fmt.Errorf("fits: HDU %d: data of %d bytes exceed the %d-byte limit", h.Index, h.DataSize, h.f.opt.MaxBytes)
	}
	b := make([]byte, h.Available)
	if _, err := h.f.r.ReadAt(b, h.DataOffset); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("fits: HDU %d: reading data: %w", h.Index, err)
	}
	if h.Truncated() {
		return b, &TruncatedError{HDU: h.Index, Want: h.DataSize, Have: h.Available}
	}
	return b, nil
}

// TruncatedError says that the file ends before an HDU's data do. Decoders that
// return it also return what could be decoded; missing pixels are NaN.
type TruncatedError struct {
	HDU        int   // HDU index
	Want, Have int64 // data bytes declared and present
	// MissingPixels is the number of pixels set to NaN (when known).
	MissingPixels int64
}

func (e *TruncatedError) Error() string {
	s := fmt.Sprintf("fits: HDU %d: file truncated: %d of %d data bytes present", e.HDU, e.Have, e.Want)
	if e.MissingPixels > 0 {
		s += fmt.Sprintf("; %d pixels missing (NaN)", e.MissingPixels)
	}
	return s
}

// Open scans a FITS file (or a gzip-compressed FITS file, recognised by its
// magic bytes) with the default limits. See OpenWithOptions.
func Open(r io.ReaderAt, size int64) (*File, error) {
	return OpenWithOptions(r, size, OpenOptions{})
}

// OpenWithOptions scans the HDU headers of a FITS file, reading header blocks
// only, and records where each HDU's data are. A gzip stream is decompressed
// into memory first (at most opt.MaxBytes; a truncated stream keeps what was
// decompressed and adds a warning).
func OpenWithOptions(r io.ReaderAt, size int64, opt OpenOptions) (*File, error) {
	opt = opt.withDefaults()
	if size < 0 {
		return nil, fmt.Errorf("fits: negative size %d", size)
	}
	f := &File{r: r, Size: size, opt: opt}
	var magic [2]byte
	if size >= 2 {
		if _, err := r.ReadAt(magic[:], 0); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("fits: reading: %w", err)
		}
	}
	if magic[0] == 0x1f && magic[1] == 0x8b {
		var hint int64
		if size >= 18 {
			var tr [4]byte
			if n, _ := r.ReadAt(tr[:], size-4); n == 4 {
				// Deflate cannot expand more than ~1032:1, so a larger
				// ISIZE is a lie; don't let it size the allocation.
				hint = min(int64(binary.LittleEndian.Uint32(tr[:])), 1032*size)
			}
		}
		data, warn, err := gunzip(io.NewSectionReader(r, 0, size), opt.MaxBytes, hint)
		if err != nil {
			return nil, err
		}
		if warn != nil {
			f.Warnings = append(f.Warnings, warn)
		}
		f.r, f.Size, f.Gzip = NewOwnedBytes(data), int64(len(data)), true
	}
	if err := f.scan(); err != nil {
		return nil, err
	}
	return f, nil
}

// gunzip decompresses a (possibly multi-member) gzip stream with a size cap.
// sizeHint (the stream's ISIZE trailer, the uncompressed size mod 2^32) sizes
// the first allocation; the buffer never grows beyond maxBytes+1. It returns
// the data, a warning when the stream is damaged or truncated (the data then
// hold what could be decompressed), and an error when nothing usable came out.
func gunzip(r io.Reader, maxBytes, sizeHint int64) (data []byte, warn error, err error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("fits: gzip stream: %w", err)
	}
	limit := maxBytes + 1
	c := int64(64 << 10)
	if sizeHint > 0 {
		c = sizeHint + 1 // +1 so a correct hint needs no growth to see EOF
	}
	buf := make([]byte, 0, min(c, limit))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) >= limit {
				return nil, nil, fmt.Errorf("fits: gzip stream decompresses to more than the %d-byte limit", maxBytes)
			}
			nb := make([]byte, len(buf), min(2*int64(cap(buf))+1, limit))
			copy(nb, buf)
			buf = nb
		}
		k, rerr := zr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if rerr == io.EOF {
			return buf, nil, nil
		}
		if rerr != nil {
			if len(buf) == 0 {
				return nil, nil, fmt.Errorf("fits: gzip stream: %w", rerr)
			}
			return buf, fmt.Errorf("fits: gzip stream damaged or truncated after %d decompressed bytes: %w", len(buf), rerr), nil
		}
	}
}

// scan reads every header and records the HDUs.
func (f *File) scan() error {
	off := int64(0)
	for idx := 0; off < f.Size; idx++ {
		if idx >= f.opt.MaxHDUs {
			f.Warnings = append(f.Warnings, fmt.Errorf("fits: stopped after %d HDUs (OpenOptions.MaxHDUs)", idx))
			break
		}
		if idx == 0 {
			var first [8]byte
			n, _ := f.r.ReadAt(first[:], 0)
			if n < 8 || string(first[:6]) != "SIMPLE" {
				return fmt.Errorf("fits: not a FITS file: it does not start with SIMPLE (first bytes %q)", sanitizeASCII(string(first[:n])))
			}
		}
		if idx > 0 {
			// Anything after the last HDU that is not an extension header is
			// ignored, as CFITSIO and astropy do.
			var first [8]byte
			n, _ := f.r.ReadAt(first[:], off)
			if n < 8 || string(first[:]) != "XTENSION" {
				f.Warnings = append(f.Warnings, fmt.Errorf("fits: %d bytes after HDU %d at byte %d are not an extension; ignored", f.Size-off, idx-1, off))
				break
			}
		}
		h, next, err := f.readHDU(idx, off)
		if err != nil {
			if idx == 0 {
				return err
			}
			f.Warnings = append(f.Warnings, err)
			break
		}
		f.HDUs = append(f.HDUs, h)
		if h.Truncated() {
			f.Warnings = append(f.Warnings, &TruncatedError{HDU: idx, Want: h.DataSize, Have: h.Available})
			break
		}
		off = next
	}
	if len(f.HDUs) == 0 {
		return fmt.Errorf("fits: empty file")
	}
	return nil
}

// readHeaderBytes reads header blocks from off until the END card.
func (f *File) readHeaderBytes(idx int, off int64) ([]byte, error) {
	var buf []byte
	chunk := int64(BlockSize)
	for pos := off; ; {
		if pos >= f.Size {
			if len(buf) == 0 {
				return nil, fmt.Errorf("fits: HDU %d: no header at byte %d (end of file)", idx, off)
			}
			return buf, fmt.Errorf("fits: HDU %d: header at byte %d has no END card before the end of the file", idx, off)
		}
		n := min(chunk, f.Size-pos)
		if int64(len(buf))+n > f.opt.MaxHeaderBytes {
			return nil, fmt.Errorf("fits: HDU %d: header at byte %d exceeds %d bytes without an END card", idx, off, f.opt.MaxHeaderBytes)
		}
		start := len(buf)
		buf = append(buf, make([]byte, n)...)
		got, err := f.r.ReadAt(buf[start:], pos)
		if err != nil && !(errors.Is(err, io.EOF) && int64(got) == n) {
			if got < int(n) {
				buf = buf[:start+got]
				if !errors.Is(err, io.EOF) {
					return nil, fmt.Errorf("fits: HDU %d: reading header at byte %d: %w", idx, pos, err)
				}
			}
		}
		// Look for END in the newly read cards.
		for i := start - start%CardSize; i+CardSize <= len(buf); i += CardSize {
			if isEndCard(buf[i : i+CardSize]) {
				return buf[:i+CardSize], nil
			}
		}
		if len(buf)%CardSize != 0 || got < int(n) {
			return buf, fmt.Errorf("fits: HDU %d: header at byte %d has no END card before the end of the file", idx, off)
		}
		pos += n
		if chunk < 16*BlockSize {
			chunk *= 2
		}
	}
}

func isEndCard(c []byte) bool {
	if string(c[:8]) != "END     " {
		return false
	}
	for _, ch := range c[8:] {
		if ch != ' ' {
			return false
		}
	}
	return true
}

// readHDU reads and validates one header; it returns the HDU and the offset of
// the next one.
func (f *File) readHDU(idx int, off int64) (*HDU, int64, error) {
	hb, err := f.readHeaderBytes(idx, off)
	if err != nil {
		return nil, 0, err
	}
	hdr, _, problems := parseHeaderBlocks(hb, off)
	for _, p := range problems {
		f.Warnings = append(f.Warnings, fmt.Errorf("fits: HDU %d: %w", idx, p))
	}
	h := &HDU{Index: idx, HeaderOffset: off, hdr: hdr, f: f}
	if err := h.validate(); err != nil {
		return nil, 0, err
	}
	hlen := roundBlock(int64(len(hb)))
	h.DataOffset = off + hlen
	size, err := h.geom.dataSize()
	if err != nil {
		return nil, 0, f.keyErr(h, "NAXIS", err.Error())
	}
	h.DataSize = size
	h.Available = max(0, min(size, f.Size-h.DataOffset))
	next := h.DataOffset + roundBlock(size)
	if next < h.DataOffset { // overflow
		next = math.MaxInt64
	}
	return h, next, nil
}

func roundBlock(n int64) int64 {
	if n > math.MaxInt64-BlockSize {
		return math.MaxInt64
	}
	return (n + BlockSize - 1) / BlockSize * BlockSize
}

// keyErr builds an error naming the HDU, keyword and byte offset.
func (f *File) keyErr(h *HDU, key, msg string) error {
	offset := h.HeaderOffset
	if c, ok := h.hdr.Card(key); ok {
		offset = c.Offset
	}
	return fmt.Errorf("fits: HDU %d: %w", h.Index, &HeaderError{Offset: offset, Key: key, Msg: msg})
}

// maxAxes is the largest NAXIS the standard allows.
const maxAxes = 999

// validate checks the mandatory keywords and fills h.typ and h.geom.
func (h *HDU) validate() error {
	f := h.f
	hd := h.hdr
	if len(hd.Cards) == 0 {
		return fmt.Errorf("fits: HDU %d: empty header at byte %d", h.Index, h.HeaderOffset)
	}
	first := hd.Cards[0]
	if h.Index == 0 {
		if first.Key != "SIMPLE" {
			return fmt.Errorf("fits: not a FITS file: first keyword is %q, want SIMPLE", sanitizeASCII(first.Key))
		}
		if first.Kind != KindBool || !first.Bool {
			f.Warnings = append(f.Warnings, fmt.Errorf("fits: HDU 0: %w", &HeaderError{Offset: first.Offset, Key: "SIMPLE", Msg: "SIMPLE is not T: file may not conform to the standard"}))
		}
		h.typ = TypePrimary
	} else {
		if first.Key != "XTENSION" || first.Kind != KindString {
			return f.keyErr(h, "XTENSION", "first card of an extension must be XTENSION with a string value")
		}
		switch strings.TrimSpace(first.Str) {
		case "IMAGE":
			h.typ = TypeImage
		case "BINTABLE", "A3DTABLE":
			h.typ = TypeBinTable
			if z, ok := hd.Bool("ZIMAGE"); ok && z {
				h.typ = TypeCompressedImage
			}
		case "TABLE":
			h.typ = TypeTable
		default:
			h.typ = TypeOther
		}
	}
	bitpix, ok := hd.Int("BITPIX")
	if !ok {
		return f.keyErr(h, "BITPIX", "missing or not an integer")
	}
	switch bitpix {
	case 8, 16, 32, 64, -32, -64:
	default:
		return f.keyErr(h, "BITPIX", fmt.Sprintf("illegal value %d (want 8, 16, 32, 64, -32 or -64)", bitpix))
	}
	naxis, ok := hd.Int("NAXIS")
	if !ok {
		return f.keyErr(h, "NAXIS", "missing or not an integer")
	}
	if naxis < 0 || naxis > maxAxes {
		return f.keyErr(h, "NAXIS", fmt.Sprintf("illegal value %d (want 0..999)", naxis))
	}
	g := geometry{bitpix: int(bitpix), naxis: make([]int64, naxis), gcount: 1}
	for i := range g.naxis {
		key := fmt.Sprintf("NAXIS%d", i+1)
		n, ok := hd.Int(key)
		if !ok {
			return f.keyErr(h, key, "missing or not an integer")
		}
		if n < 0 {
			return f.keyErr(h, key, fmt.Sprintf("negative axis length %d", n))
		}
		g.naxis[i] = n
	}
	if h.Index > 0 {
		pc, ok := hd.Int("PCOUNT")
		if !ok {
			if h.typ == TypeBinTable || h.typ == TypeCompressedImage || h.typ == TypeTable {
				return f.keyErr(h, "PCOUNT", "missing or not an integer")
			}
			pc = 0
		}
		gc, ok := hd.Int("GCOUNT")
		if !ok {
			gc = 1
		}
		if pc < 0 {
			return f.keyErr(h, "PCOUNT", fmt.Sprintf("negative value %d", pc))
		}
		if gc < 0 {
			return f.keyErr(h, "GCOUNT", fmt.Sprintf("negative value %d", gc))
		}
		g.pcount, g.gcount = pc, gc
	} else if grp, ok := hd.Bool("GROUPS"); ok && grp && naxis > 0 && g.naxis[0] == 0 {
		// Random groups: NAXIS1 = 0, the data are GCOUNT groups of PCOUNT
		// parameters plus NAXIS2*...*NAXISn values.
		g.groups = true
		pc, _ := hd.Int("PCOUNT")
		gc, ok := hd.Int("GCOUNT")
		if !ok {
			gc = 1
		}
		if pc < 0 || gc < 0 {
			return f.keyErr(h, "PCOUNT", "negative PCOUNT or GCOUNT in a random-groups HDU")
		}
		g.pcount, g.gcount = pc, gc
	}
	if (h.typ == TypeBinTable || h.typ == TypeCompressedImage || h.typ == TypeTable) && (naxis != 2 || bitpix != 8) {
		return f.keyErr(h, "NAXIS", fmt.Sprintf("a table must have BITPIX = 8 and NAXIS = 2, not %d and %d", bitpix, naxis))
	}
	h.geom = g
	return nil
}

// mulCheck multiplies non-negative numbers, failing on overflow.
func mulCheck(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	if a > math.MaxInt64/b {
		return 0, false
	}
	return a * b, true
}

// dataSize returns the declared size of the data in bytes.
func (g geometry) dataSize() (int64, error) {
	if len(g.naxis) == 0 {
		return 0, nil
	}
	axes := g.naxis
	if g.groups {
		axes = axes[1:]
	}
	n := int64(1)
	for _, a := range axes {
		var ok bool
		if n, ok = mulCheck(n, a); !ok {
			return 0, fmt.Errorf("product of NAXISn overflows")
		}
	}
	if n == 0 && !g.groups {
		// A zero-length axis: no main data, but the heap (PCOUNT) may exist.
		n = 0
	}
	if n > math.MaxInt64-g.pcount {
		return 0, fmt.Errorf("data size overflows")
	}
	n += g.pcount
	var ok bool
	if n, ok = mulCheck(n, g.gcount); !ok {
		return 0, fmt.Errorf("data size overflows (GCOUNT)")
	}
	if n, ok = mulCheck(n, int64(abs(g.bitpix)/8)); !ok {
		return 0, fmt.Errorf("data size overflows (BITPIX)")
	}
	return n, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TableInfo summarises a table HDU without decoding it.
type TableInfo struct {
	Type    HDUType  `json:"type"`    // BINTABLE, TABLE or COMPRESSED_IMAGE
	RowLen  int64    `json:"naxis1"`  // NAXIS1: bytes per row
	Rows    int64    `json:"naxis2"`  // NAXIS2: rows
	Fields  int      `json:"tfields"` // TFIELDS
	PCount  int64    `json:"pcount"`  // PCOUNT: heap size in bytes
	Columns []string `json:"ttype"`   // TTYPEn ("" when absent)
}

// TableInfo returns the shape of a table HDU (BINTABLE, TABLE, or the table
// behind a compressed image).
func (h *HDU) TableInfo() (TableInfo, error) {
	switch h.typ {
	case TypeBinTable, TypeTable, TypeCompressedImage:
	default:
		return TableInfo{}, fmt.Errorf("fits: HDU %d is %s, not a table", h.Index, h.typ)
	}
	t := TableInfo{Type: h.typ, RowLen: h.geom.naxis[0], Rows: h.geom.naxis[1], PCount: h.geom.pcount}
	nf, ok := h.hdr.Int("TFIELDS")
	if !ok || nf < 0 || nf > 999 {
		return t, h.f.keyErr(h, "TFIELDS", "missing or out of range 0..999")
	}
	t.Fields = int(nf)
	for i := 1; i <= t.Fields; i++ {
		s, _ := h.hdr.String(fmt.Sprintf("TTYPE%d", i))
		t.Columns = append(t.Columns, s)
	}
	return t, nil
}
