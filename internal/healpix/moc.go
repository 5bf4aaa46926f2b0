package healpix

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"sort"
	"strings"

	"github.com/skyglass/skyglass/internal/fits"
)

// MOC is an IVOA Multi-Order Coverage map of the sky (MOC 1.1 / 2.0 spatial
// MOC): a union of HEALPix cells of orders 0..29 in the nested scheme. It is
// stored as sorted, disjoint, non-adjacent half-open ranges of order-29
// nested indices, and is immutable once read.
type MOC struct {
	maxOrder int     // declared MOCORDER / MOCORD_S, or the deepest cell order
	frame    string  // COORDSYS ("C" = ICRS, "G" = galactic, ...)
	ranges   []Range // at order 29
}

// Maximum size of the FITS headers of a MOC file (the spec's files have a
// few cards; this only bounds hostile input).
const mocMaxHeaderBlocks = 64

// ReadMOC reads a spatial MOC from a FITS file (IVOA MOC 1.1 or 2.0): a
// primary HDU followed by a BINTABLE whose first column holds 32-bit ('J')
// or 64-bit ('K') integers, either NUNIQ cell numbers (ORDERING = 'NUNIQ',
// the default when ORDERING is absent) or, for MOC 2.0 'RANGE' ordering,
// consecutive [start, end) pairs of order-29 nested indices. MOCDIM, when
// present, must be 'SPACE'. Every cell is validated (order 0..29, index in
// range); malformed headers, truncated data and invalid cells give an error
// naming the problem.
func ReadMOC(r io.Reader) (*MOC, error) {
	if r == nil {
		return nil, errors.New("read MOC: nil reader")
	}
	prim, _, err := readFITSHeader(r, "primary HDU", "SIMPLE  =")
	if err != nil {
		return nil, fmt.Errorf("read MOC: %w", err)
	}
	if v, ok := prim.Bool("SIMPLE"); !ok || !v {
		return nil, errors.New("read MOC: not a FITS file (SIMPLE = T missing)")
	}
	// Skip the primary data, if any.
	if n, err := dataSize(prim); err != nil {
		return nil, fmt.Errorf("read MOC: primary HDU: %w", err)
	} else if n > 0 {
		if _, err := io.CopyN(io.Discard, r, padded(n)); err != nil {
			return nil, fmt.Errorf("read MOC: primary HDU data: %w", err)
		}
	}
	h, _, err := readFITSHeader(r, "extension HDU", "XTENSION=")
	if err != nil {
		return nil, fmt.Errorf("read MOC: %w", err)
	}
	if x, _ := h.String("XTENSION"); strings.TrimSpace(x) != "BINTABLE" {
		return nil, fmt.Errorf("read MOC: first extension is XTENSION=%q, want 'BINTABLE'", x)
	}
	if d, ok := h.String("MOCDIM"); ok && !strings.EqualFold(strings.TrimSpace(d), "SPACE") {
		return nil, fmt.Errorf("read MOC: MOCDIM=%q: only spatial MOCs are supported", d)
	}
	ordering := "NUNIQ"
	if o, ok := h.String("ORDERING"); ok {
		ordering = strings.ToUpper(strings.TrimSpace(o))
	}
	if ordering != "NUNIQ" && ordering != "RANGE" {
		return nil, fmt.Errorf("read MOC: ORDERING=%q, want 'NUNIQ' or 'RANGE'", ordering)
	}
	frame := "C"
	if c, ok := h.String("COORDSYS"); ok {
		frame = strings.TrimSpace(c)
	}
	declared := -1
	for _, k := range []string{"MOCORD_S", "MOCORDER"} {
		if v, ok := h.Int(k); ok {
			if v < 0 || v > MaxOrder {
				return nil, fmt.Errorf("read MOC: %s=%d outside 0..29", k, v)
			}
			declared = int(v)
			break
		}
	}
	if naxis, _ := h.Int("NAXIS"); naxis != 2 {
		return nil, fmt.Errorf("read MOC: BINTABLE NAXIS=%d, want 2", naxis)
	}
	rowLen, ok1 := h.Int("NAXIS1")
	nrows, ok2 := h.Int("NAXIS2")
	if !ok1 || !ok2 || rowLen <= 0 || nrows < 0 {
		return nil, fmt.Errorf("read MOC: bad BINTABLE shape NAXIS1=%d NAXIS2=%d", rowLen, nrows)
	}
	if nf, ok := h.Int("TFIELDS"); !ok || nf < 1 {
		return nil, fmt.Errorf("read MOC: TFIELDS=%d, want at least 1", nf)
	}
	tform, _ := h.String("TFORM1")
	tform = strings.ToUpper(strings.TrimSpace(tform))
	var width int64
	switch tform {
	case "J", "1J":
		width = 4
	case "K", "1K":
		width = 8
	default:
		return nil, fmt.Errorf("read MOC: TFORM1=%q, want '1J' or '1K'", tform)
	}
	if rowLen < width {
		return nil, fmt.Errorf("read MOC: NAXIS1=%d is smaller than the %d-byte column", rowLen, width)
	}
	if s, ok := h.Float("TSCAL1"); ok && s != 1 {
		return nil, fmt.Errorf("read MOC: TSCAL1=%v not supported", s)
	}
	tzero, _ := h.Int("TZERO1")
	if rowLen > 1<<20 || nrows > (1<<62)/rowLen {
		return nil, fmt.Errorf("read MOC: table of %d rows of %d bytes is too large", nrows, rowLen)
	}
	if ordering == "RANGE" && nrows%2 != 0 {
		return nil, fmt.Errorf("read MOC: RANGE ordering needs an even number of rows, got %d", nrows)
	}

	// Read the rows in chunks so memory grows only with the data present.
	vals := make([]int64, 0, min(nrows, 1<<16))
	buf := make([]byte, rowLen*max(1, min(nrows, 65536/rowLen))) // at most 1 MiB
	for done := int64(0); done < nrows; {
		n := min(nrows-done, int64(len(buf))/rowLen)
		chunk := buf[:n*rowLen]
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, fmt.Errorf("read MOC: table data truncated at row %d of %d: %w", done, nrows, err)
		}
		for i := int64(0); i < n; i++ {
			row := chunk[i*rowLen:]
			var v int64
			if width == 4 {
				v = int64(int32(binary.BigEndian.Uint32(row)))
			} else {
				v = int64(binary.BigEndian.Uint64(row))
			}
			vals = append(vals, v+tzero)
		}
		done += n
	}

	m := &MOC{frame: frame}
	deepest := 0
	var rs []Range
	if ordering == "NUNIQ" {
		rs = make([]Range, 0, len(vals))
		for i, u := range vals {
			o, p, err := uniqToCell(u)
			if err != nil {
				return nil, fmt.Errorf("read MOC: row %d: %w", i+1, err)
			}
			deepest = max(deepest, o)
			sh := 2 * uint(MaxOrder-o)
			rs = append(rs, Range{p << sh, (p + 1) << sh})
		}
	} else {
		limit := Npix(MaxOrder)
		rs = make([]Range, 0, len(vals)/2)
		for i := 0; i+1 < len(vals); i += 2 {
			a, b := vals[i], vals[i+1]
			if a < 0 || b > limit || a >= b {
				return nil, fmt.Errorf("read MOC: rows %d-%d: invalid order-29 range [%d, %d)", i+1, i+2, a, b)
			}
			rs = append(rs, Range{a, b})
			deepest = MaxOrder
		}
	}
	m.ranges = normalizeRanges(rs)
	m.maxOrder = declared
	if m.maxOrder < 0 {
		m.maxOrder = deepest
	}
	return m, nil
}

// uniqToCell decodes a NUNIQ number 4·4^order + ipix.
func uniqToCell(u int64) (order int, ipix int64, err error) {
	if u < 4 {
		return 0, 0, fmt.Errorf("invalid NUNIQ %d (must be >= 4)", u)
	}
	order = (bits.Len64(uint64(u))-1)/2 - 1
	if order > MaxOrder {
		return 0, 0, fmt.Errorf("NUNIQ %d has order %d > 29", u, order)
	}
	ipix = u - int64(4)<<(2*uint(order))
	if ipix < 0 || ipix >= Npix(order) {
		return 0, 0, fmt.Errorf("NUNIQ %d: pixel %d outside order %d", u, ipix, order)
	}
	return order, ipix, nil
}

// normalizeRanges sorts and merges overlapping or adjacent ranges.
func normalizeRanges(rs []Range) []Range {
	sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && r.Start <= out[n-1].Stop {
			out[n-1].Stop = max(out[n-1].Stop, r.Stop)
			continue
		}
		out = append(out, r)
	}
	return out
}

// readFITSHeader reads 2880-byte blocks up to and including the END card
// and parses them.
func readFITSHeader(r io.Reader, what, firstKey string) (*fits.Header, int, error) {
	var hdr []byte
	block := make([]byte, fits.BlockSize)
	for nb := 0; nb < mocMaxHeaderBlocks; nb++ {
		if _, err := io.ReadFull(r, block); err != nil {
			if len(hdr) == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
				return nil, 0, fmt.Errorf("%s: missing (file too short)", what)
			}
			return nil, 0, fmt.Errorf("%s header: truncated: %w", what, err)
		}
		if nb == 0 && !bytes.HasPrefix(block, []byte(firstKey)) {
			return nil, 0, fmt.Errorf("%s: first card is not %s (not a FITS HDU)", what, strings.TrimSpace(firstKey))
		}
		hdr = append(hdr, block...)
		for off := 0; off < fits.BlockSize; off += fits.CardSize {
			card := block[off : off+fits.CardSize]
			if bytes.HasPrefix(card, []byte("END")) && len(bytes.TrimRight(card[3:], " ")) == 0 {
				h, err := fits.ParseHeader(hdr[:len(hdr)-fits.BlockSize+off+fits.CardSize])
				if err != nil {
					return nil, 0, fmt.Errorf("%s header: %w", what, err)
				}
				return h, len(hdr), nil
			}
		}
	}
	return nil, 0, fmt.Errorf("%s header: no END card in the first %d blocks", what, mocMaxHeaderBlocks)
}

// dataSize returns the byte size of an HDU's data (without padding).
func dataSize(h *fits.Header) (int64, error) {
	bitpix, ok := h.Int("BITPIX")
	if !ok {
		return 0, errors.New("BITPIX missing")
	}
	switch bitpix {
	case 8, 16, 32, 64, -32, -64:
	default:
		return 0, fmt.Errorf("invalid BITPIX %d", bitpix)
	}
	naxis, ok := h.Int("NAXIS")
	if !ok || naxis < 0 || naxis > 999 {
		return 0, fmt.Errorf("invalid NAXIS %d", naxis)
	}
	if naxis == 0 {
		return 0, nil
	}
	n := int64(1)
	for i := 1; i <= int(naxis); i++ {
		v, ok := h.Int(fmt.Sprintf("NAXIS%d", i))
		if !ok || v < 0 {
			return 0, fmt.Errorf("invalid NAXIS%d", i)
		}
		if v != 0 && n > (1<<40)/v {
			return 0, errors.New("data too large")
		}
		n *= v
	}
	b := bitpix
	if b < 0 {
		b = -b
	}
	return n * b / 8, nil
}

func padded(n int64) int64 { return (n + fits.BlockSize - 1) / fits.BlockSize * fits.BlockSize }

// MaxOrder returns the MOC's order: the declared MOCORDER (MOC 1.1) or
// MOCORD_S (MOC 2.0), or the deepest cell order when none is declared.
func (m *MOC) MaxOrder() int { return m.maxOrder }

// Frame returns the COORDSYS of the MOC ("C" for ICRS when absent).
func (m *MOC) Frame() string { return m.frame }

// Ranges returns a copy of the coverage as sorted, disjoint half-open ranges
// of order-29 nested indices.
func (m *MOC) Ranges() []Range { return append([]Range(nil), m.ranges...) }

// cellRange returns the order-29 range of a cell, or ok=false if invalid.
func cellRange(order int, ipix int64) (Range, bool) {
	if !validPix(order, ipix) {
		return Range{}, false
	}
	sh := 2 * uint(MaxOrder-order)
	return Range{ipix << sh, (ipix + 1) << sh}, true
}

// Contains reports whether the nested cell (order, ipix) overlaps the
// coverage (shares at least one order-29 cell with it). Invalid order or
// pixel index gives false.
func (m *MOC) Contains(order int, ipix int64) bool {
	c, ok := cellRange(order, ipix)
	if !ok {
		return false
	}
	i := sort.Search(len(m.ranges), func(i int) bool { return m.ranges[i].Stop > c.Start })
	return i < len(m.ranges) && m.ranges[i].Start < c.Stop
}

// FullyContains reports whether the nested cell (order, ipix) lies entirely
// inside the coverage. Invalid order or pixel index gives false.
func (m *MOC) FullyContains(order int, ipix int64) bool {
	c, ok := cellRange(order, ipix)
	if !ok {
		return false
	}
	i := sort.Search(len(m.ranges), func(i int) bool { return m.ranges[i].Stop > c.Start })
	return i < len(m.ranges) && m.ranges[i].Start <= c.Start && m.ranges[i].Stop >= c.Stop
}

// ContainsAng reports whether the position (lon, lat) in degrees, in the
// MOC's frame, is inside the coverage. Invalid coordinates give false.
func (m *MOC) ContainsAng(lon, lat float64) bool {
	p := AngToNest(MaxOrder, lon, lat)
	return p >= 0 && m.Contains(MaxOrder, p)
}

// SkyFraction returns the covered fraction of the sphere, in [0, 1].
func (m *MOC) SkyFraction() float64 {
	var n int64
	for _, r := range m.ranges {
		n += r.Stop - r.Start
	}
	return float64(n) / float64(Npix(MaxOrder))
}
