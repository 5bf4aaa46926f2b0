package fits

import (
	"fmt"
	"strconv"
	"strings"
)

// Table describes a binary (BINTABLE) or ASCII (TABLE) table HDU: its shape and
// columns, parsed from the header only. Cell values are decoded on demand by
// ReadColumn and ReadColumns, which read the HDU's data once.
type Table struct {
	// Type is TypeBinTable or TypeTable.
	Type HDUType
	// Name is EXTNAME ("" when absent).
	Name string
	// Rows is NAXIS2, RowLen NAXIS1 (bytes per row).
	Rows, RowLen int64
	// HeapOffset is where the heap starts, from the start of the data (THEAP,
	// default Rows*RowLen); HeapSize is PCOUNT minus the gap before the heap.
	HeapOffset, HeapSize int64
	// Columns describes the TFIELDS columns in order.
	Columns []TableColumn
	// Warnings lists problems that did not stop decoding (ignored TDIMn, fields
	// that could not be parsed, ...).
	Warnings []string

	hdu *HDU
}

// TableColumn describes one table column (field n = index+1) from its TTYPEn,
// TFORMn, TUNITn, TDISPn, TDIMn, TNULLn, TSCALn, TZEROn and TBCOLn keywords.
type TableColumn struct {
	Name string // TTYPEn ("" when absent)
	Unit string // TUNITn, as written
	Form string // TFORMn, as written
	Disp string // TDISPn
	// DimText is TDIMn as written, Dim its parsed axes (NAXIS1-fastest order,
	// as in the header); nil when TDIMn is absent or was ignored.
	DimText string
	Dim     []int64
	// Type is the data type code: for binary tables L, X, B, I, J, K, A, E, D,
	// C or M (for P/Q descriptors, the element type); for ASCII tables A, I, F,
	// E or D.
	Type byte
	// Repeat is the number of elements per cell: the repeat count of a binary
	// field (bits for X, characters for A); 0 for P/Q descriptors. For ASCII
	// tables it is 1.
	Repeat int64
	// VarLen is true for variable-length array descriptors (P, or Q when
	// Desc64); MaxLen is the "(emax)" of the TFORM, -1 when absent.
	VarLen, Desc64 bool
	MaxLen         int64
	// Offset is the byte offset of the field within the row (TBCOLn-1 for
	// ASCII tables), Width its size in bytes.
	Offset, Width int64
	// Decimals is the d of an ASCII Fw.d, Ew.d or Dw.d format.
	Decimals int
	// Null is TNULLn as written (HasNull false when absent). For binary
	// integer columns NullInt is its value; for ASCII tables a field whose
	// trimmed text equals the trimmed Null is null.
	Null    string
	HasNull bool
	NullInt int64
	// Scale and Zero are TSCALn and TZEROn (1 and 0 when absent).
	Scale, Zero float64
	// HasScale and HasZero say whether the keywords were present.
	HasScale, HasZero bool
}

// DataKind is the kind of decoded column data.
type DataKind int

// Kinds of decoded column data.
const (
	DataFloat   DataKind = iota // Float holds physical values (E, D, scaled integers, ASCII F/E/D)
	DataInt                     // Int holds integers (B, I, J, K, signed-byte and uint16/uint32 conventions, ASCII I)
	DataUint                    // Uint holds the uint64 convention (K with TZERO = 2^63)
	DataBool                    // Bool holds logicals (L) or bits (X)
	DataString                  // Str holds strings (A)
	DataComplex                 // Float holds interleaved real, imaginary parts (C, M)
)

func (k DataKind) String() string {
	switch k {
	case DataFloat:
		return "float"
	case DataInt:
		return "int"
	case DataUint:
		return "uint"
	case DataBool:
		return "bool"
	case DataString:
		return "string"
	case DataComplex:
		return "complex"
	}
	return fmt.Sprintf("DataKind(%d)", int(k))
}

// ColumnData holds the decoded cells of one column, flattened in row order.
// Rows is the table's row count, or the rows a truncated file holds.
// For fixed-size cells row i holds elements [i*PerRow, (i+1)*PerRow); for
// variable-length arrays (Offsets != nil) it holds [Offsets[i], Offsets[i+1]).
// An element is a number, a logical, a bit, a complex number (two Float
// entries) or a string (an A field is one string per cell, or one per
// TDIM-shaped sub-array).
type ColumnData struct {
	Kind    DataKind
	Rows    int
	PerRow  int
	Offsets []int
	Float   []float64
	Int     []int64
	Uint    []uint64
	Bool    []bool
	Str     []string
	// Null flags null elements (TNULLn, L = 0, blank or unparsable ASCII
	// fields; NaN is not flagged); nil when none is null.
	Null []bool
	// NullRows flags variable-length cells whose descriptor points outside
	// the heap (read as empty); nil when none.
	NullRows []bool
}

// Len returns the number of elements (complex numbers count once).
func (d *ColumnData) Len() int {
	switch d.Kind {
	case DataFloat:
		return len(d.Float)
	case DataComplex:
		return len(d.Float) / 2
	case DataInt:
		return len(d.Int)
	case DataUint:
		return len(d.Uint)
	case DataBool:
		return len(d.Bool)
	case DataString:
		return len(d.Str)
	}
	return 0
}

// Cell returns the element range [lo, hi) of row i.
func (d *ColumnData) Cell(i int) (lo, hi int) {
	if d.Offsets != nil {
		return d.Offsets[i], d.Offsets[i+1]
	}
	return i * d.PerRow, (i + 1) * d.PerRow
}

// IsNull reports whether element j is null.
func (d *ColumnData) IsNull(j int) bool { return d.Null != nil && d.Null[j] }

// Table parses the header of a BINTABLE or TABLE HDU (not a compressed image)
// into a Table. It reads no data; sizes are checked against the file size.
func (h *HDU) Table() (*Table, error) {
	if h.typ != TypeBinTable && h.typ != TypeTable {
		return nil, fmt.Errorf("fits: HDU %d is %s, not a binary or ASCII table", h.Index, h.typ)
	}
	info, err := h.TableInfo()
	if err != nil {
		return nil, err
	}
	// The data size is GCOUNT × (PCOUNT + NAXIS1 × NAXIS2): with any other
	// GCOUNT than the standard's 1 the rows the header announces are not
	// the rows the file holds.
	if g := h.geom.gcount; g != 1 {
		return nil, h.f.keyErr(h, "GCOUNT", fmt.Sprintf("is %d; a table extension must have GCOUNT = 1", g))
	}
	t := &Table{Type: h.typ, Name: h.Name(), Rows: info.Rows, RowLen: info.RowLen, hdu: h}
	if _, ok := mulCheck(t.Rows, t.RowLen); !ok {
		return nil, h.f.keyErr(h, "NAXIS2", "NAXIS1 × NAXIS2 overflows")
	}
	t.HeapOffset = t.Rows * t.RowLen
	if h.typ == TypeBinTable {
		if th, ok := h.hdr.Int("THEAP"); ok {
			if th < t.HeapOffset || th > t.HeapOffset+h.geom.pcount {
				return nil, h.f.keyErr(h, "THEAP", fmt.Sprintf("value %d outside the data (main table %d bytes, PCOUNT %d)", th, t.HeapOffset, h.geom.pcount))
			}
			t.HeapOffset = th
		}
	}
	t.HeapSize = t.Rows*t.RowLen + h.geom.pcount - t.HeapOffset
	t.Columns = make([]TableColumn, info.Fields)
	for i := range t.Columns {
		if err := t.parseColumn(i); err != nil {
			return nil, err
		}
	}
	if h.typ == TypeTable && len(t.Columns) > 0 {
		// astropy pads the last field (in TFIELDS order) out to NAXIS1; for a
		// character field this keeps the row's trailing bytes.
		last := &t.Columns[len(t.Columns)-1]
		if last.Type == 'A' && last.Offset+last.Width < t.RowLen {
			last.Width = t.RowLen - last.Offset
		}
	}
	return t, nil
}

// parseColumn fills t.Columns[i] from the header.
func (t *Table) parseColumn(i int) error {
	h := t.hdu
	hd := h.hdr
	n := i + 1
	key := func(k string) string { return k + strconv.Itoa(n) }
	c := &t.Columns[i]
	c.Name, _ = hd.String(key("TTYPE"))
	c.Unit, _ = hd.String(key("TUNIT"))
	c.Disp, _ = hd.String(key("TDISP"))
	c.Scale, c.Zero, c.MaxLen = 1, 0, -1
	form, ok := hd.String(key("TFORM"))
	if !ok {
		return h.f.keyErr(h, key("TFORM"), "missing or not a string")
	}
	c.Form = form
	if v, ok := hd.Float(key("TSCAL")); ok {
		c.Scale, c.HasScale = v, true
	}
	if v, ok := hd.Float(key("TZERO")); ok {
		c.Zero, c.HasZero = v, true
	}
	if card, ok := hd.Card(key("TNULL")); ok && card.Kind != KindNone {
		c.HasNull = true
		switch card.Kind {
		case KindInt:
			c.NullInt = card.Int
			c.Null = strconv.FormatInt(card.Int, 10)
		case KindString:
			c.Null = card.Str
		default:
			c.Null = strings.TrimSpace(valueText(card))
		}
	}
	if card, ok := hd.Card(key("TNULL")); ok && c.HasNull && t.Type == TypeBinTable && card.Kind != KindInt {
		// A binary TNULLn must be an integer; accept one written as a string.
		v, err := strconv.ParseInt(strings.TrimSpace(c.Null), 10, 64)
		if err != nil {
			t.warnf("TNULL%d = %q is not an integer; ignored", n, c.Null)
			c.HasNull = false
		}
		c.NullInt = v
	}
	var err error
	if t.Type == TypeTable {
		err = t.parseASCIIForm(c, n)
	} else {
		err = t.parseBinaryForm(c, n)
	}
	if err != nil {
		return err
	}
	if t.Type == TypeBinTable {
		if s, ok := hd.String(key("TDIM")); ok {
			c.DimText = s
			if dim, err := parseTDIM(s); err != nil {
				t.warnf("TDIM%d = %q ignored: %v", n, s, err)
			} else if c.VarLen {
				c.Dim = dim // shape of each variable-length cell (informative)
			} else if p, ok := dimProduct(dim); !ok || p > c.Repeat || (c.Type != 'A' && p != c.Repeat && c.Type != 'X') {
				t.warnf("TDIM%d = %q does not match the repeat count %d of TFORM%d; ignored", n, s, c.Repeat, n)
			} else {
				c.Dim = dim
			}
		}
	}
	return nil
}

// valueText returns the value field of a card as written.
func valueText(c Card) string {
	raw := c.Raw
	if i := strings.IndexByte(raw, '='); i >= 0 {
		raw = raw[i+1:]
	}
	if i := strings.IndexByte(raw, '/'); i >= 0 {
		raw = raw[:i]
	}
	return raw
}

func (t *Table) warnf(format string, args ...any) {
	if len(t.Warnings) < 100 {
		t.Warnings = append(t.Warnings, fmt.Sprintf("fits: HDU %d: ", t.hdu.Index)+fmt.Sprintf(format, args...))
	}
}

// binary element sizes in bytes (X is handled as bits).
func binElemSize(code byte) int64 {
	switch code {
	case 'L', 'B', 'A':
		return 1
	case 'I':
		return 2
	case 'J', 'E':
		return 4
	case 'K', 'D', 'C':
		return 8
	case 'M':
		return 16
	}
	return 0
}

// parseBinaryForm parses a binary-table TFORMn: rT, rPt(emax), rQt(emax).
func (t *Table) parseBinaryForm(c *TableColumn, n int) error {
	h := t.hdu
	bad := func(msg string) error {
		return h.f.keyErr(h, fmt.Sprintf("TFORM%d", n), fmt.Sprintf("%q: %s", c.Form, msg))
	}
	s := strings.TrimSpace(c.Form)
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	repeat := int64(1)
	if j > 0 {
		r, err := strconv.ParseInt(s[:j], 10, 64)
		if err != nil || r > t.RowLen*8 {
			return bad("repeat count out of range")
		}
		repeat = r
	}
	if j >= len(s) {
		return bad("no data type")
	}
	code := upper(s[j])
	rest := s[j+1:]
	if code == 'P' || code == 'Q' {
		if repeat > 1 {
			return bad("a variable-length descriptor must have repeat 0 or 1")
		}
		c.VarLen, c.Desc64 = true, code == 'Q'
		if rest == "" {
			return bad("no element type after P/Q")
		}
		c.Type = upper(rest[0])
		if c.Type != 'X' && binElemSize(c.Type) == 0 {
			return bad(fmt.Sprintf("unknown element type %q", rest[0]))
		}
		if m := strings.TrimSpace(rest[1:]); m != "" {
			if len(m) < 3 || m[0] != '(' || m[len(m)-1] != ')' {
				return bad("malformed (emax)")
			}
			if v, err := strconv.ParseInt(strings.TrimSpace(m[1:len(m)-1]), 10, 64); err == nil && v >= 0 {
				c.MaxLen = v
			}
		}
		c.Width = 8
		if c.Desc64 {
			c.Width = 16
		}
		if repeat == 0 {
			c.Width = 0
		}
	} else {
		c.Type = code
		c.Repeat = repeat
		switch {
		case code == 'X':
			c.Width = (repeat + 7) / 8
		case binElemSize(code) > 0:
			c.Width = repeat * binElemSize(code)
		default:
			return bad(fmt.Sprintf("unknown data type %q", s[j]))
		}
	}
	// Offset: sum of the previous fields' widths.
	if i := n - 1; i > 0 {
		prev := &t.Columns[i-1]
		c.Offset = prev.Offset + prev.Width
	}
	if c.Offset+c.Width > t.RowLen {
		return bad(fmt.Sprintf("field ends at byte %d of a %d-byte row (NAXIS1)", c.Offset+c.Width, t.RowLen))
	}
	if c.HasNull && !isIntCode(c.Type) {
		if c.Type != 'A' {
			t.warnf("TNULL%d ignored on a %c column", n, c.Type)
		}
		c.HasNull = false
	}
	return nil
}

func isIntCode(b byte) bool { return b == 'B' || b == 'I' || b == 'J' || b == 'K' }

func upper(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

// parseASCIIForm parses an ASCII-table TFORMn (Aw, Iw, Fw.d, Ew.d, Dw.d) and TBCOLn.
func (t *Table) parseASCIIForm(c *TableColumn, n int) error {
	h := t.hdu
	bad := func(msg string) error {
		return h.f.keyErr(h, fmt.Sprintf("TFORM%d", n), fmt.Sprintf("%q: %s", c.Form, msg))
	}
	s := strings.TrimSpace(c.Form)
	if s == "" {
		return bad("empty")
	}
	c.Type = upper(s[0])
	c.Repeat = 1
	switch c.Type {
	case 'A', 'I', 'F', 'E', 'D':
	default:
		return bad("unknown ASCII data type (want A, I, F, E or D)")
	}
	wd := s[1:]
	d := ""
	if k := strings.IndexByte(wd, '.'); k >= 0 {
		wd, d = wd[:k], wd[k+1:]
	}
	w, err := strconv.ParseInt(wd, 10, 64)
	if err != nil || w <= 0 || w > t.RowLen {
		return bad("missing or out-of-range width")
	}
	c.Width = w
	if d != "" {
		dd, err := strconv.Atoi(d)
		if err != nil || dd < 0 || dd > 400 {
			return bad("bad number of decimals")
		}
		c.Decimals = dd
	}
	col, ok := h.hdr.Int(fmt.Sprintf("TBCOL%d", n))
	if !ok {
		return h.f.keyErr(h, fmt.Sprintf("TBCOL%d", n), "missing or not an integer")
	}
	if col < 1 || col-1+w > t.RowLen {
		return h.f.keyErr(h, fmt.Sprintf("TBCOL%d", n), fmt.Sprintf("field at %d, width %d, does not fit a %d-byte row (NAXIS1)", col, w, t.RowLen))
	}
	c.Offset = col - 1
	return nil
}

// parseTDIM parses "(n1,n2,...)".
func parseTDIM(s string) ([]int64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 3 || s[0] != '(' || s[len(s)-1] != ')' {
		return nil, fmt.Errorf("not of the form (n1,n2,...)")
	}
	parts := strings.Split(s[1:len(s)-1], ",")
	if len(parts) > maxAxes {
		return nil, fmt.Errorf("too many axes")
	}
	out := make([]int64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("bad axis length %q", strings.TrimSpace(p))
		}
		out[i] = v
	}
	return out, nil
}

func dimProduct(d []int64) (int64, bool) {
	p := int64(1)
	for _, v := range d {
		var ok bool
		if p, ok = mulCheck(p, v); !ok {
			return 0, false
		}
	}
	return p, true
}

// Tables returns the binary and ASCII table HDUs of the file, in order
// (tile-compressed images excluded).
func (f *File) Tables() []*HDU {
	var out []*HDU
	for _, h := range f.HDUs {
		if h.typ == TypeBinTable || h.typ == TypeTable {
			out = append(out, h)
		}
	}
	return out
}

// unsignedZero reports whether TZERO with TSCAL = 1 is one of the integer
// offset conventions (signed byte, uint16, uint32, uint64).
func (c *TableColumn) unsignedZero() bool {
	if c.Scale != 1 || !c.HasZero {
		return false
	}
	switch c.Type {
	case 'B':
		return c.Zero == -128
	case 'I':
		return c.Zero == 32768
	case 'J':
		return c.Zero == 2147483648
	case 'K':
		return c.Zero == 9223372036854775808
	}
	return false
}

// Kind returns the kind of data ReadColumn produces for the column.
func (c *TableColumn) Kind() DataKind {
	switch c.Type {
	case 'A':
		return DataString
	case 'L', 'X':
		return DataBool
	case 'C', 'M':
		return DataComplex
	case 'B', 'I', 'J', 'K':
		if c.unsignedZero() {
			if c.Type == 'K' {
				return DataUint
			}
			return DataInt
		}
		if c.Scale != 1 || c.Zero != 0 {
			return DataFloat
		}
		return DataInt
	case 'F', 'E', 'D':
		return DataFloat
	}
	return DataFloat
}

// scaled reports whether TSCAL/TZERO change the stored values of a
// floating-point result.
func (c *TableColumn) scaled() bool { return c.Scale != 1 || c.Zero != 0 }
