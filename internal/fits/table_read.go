package fits

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ReadColumn decodes column i (0-based) of the table. It reads the HDU's data
// (main table and heap) once; the data and the decoded cells are each checked
// against OpenOptions.MaxBytes before they are allocated. For a truncated file
// the rows the file holds are decoded (ColumnData.Rows is less than Table.Rows)
// and the error is a *TruncatedError.
func (t *Table) ReadColumn(i int) (*ColumnData, error) {
	if i < 0 || i >= len(t.Columns) {
		return nil, fmt.Errorf("fits: HDU %d: no column %d (table has %d)", t.hdu.Index, i, len(t.Columns))
	}
	if err := t.checkDecodedSize([]int{i}); err != nil {
		return nil, err
	}
	data, trunc, err := t.readData()
	if err != nil {
		return nil, err
	}
	d, err := t.decodeColumn(&t.Columns[i], data)
	if err != nil {
		return nil, err
	}
	return d, trunc
}

// ReadColumns decodes every column (see ReadColumn). The total decoded size is
// checked against OpenOptions.MaxBytes first.
func (t *Table) ReadColumns() ([]*ColumnData, error) {
	all := make([]int, len(t.Columns))
	for i := range all {
		all[i] = i
	}
	if err := t.checkDecodedSize(all); err != nil {
		return nil, err
	}
	data, trunc, err := t.readData()
	if err != nil {
		return nil, err
	}
	out := make([]*ColumnData, len(t.Columns))
	for i := range t.Columns {
		if out[i], err = t.decodeColumn(&t.Columns[i], data); err != nil {
			return nil, err
		}
	}
	return out, trunc
}

// readData reads the HDU's data bytes. A *TruncatedError is returned
// separately so that decoding can go on.
func (t *Table) readData() ([]byte, error, error) {
	b, err := t.hdu.RawData()
	var te *TruncatedError
	if errors.As(err, &te) {
		return b, err, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return b, nil, nil
}

// perRow returns the number of elements per row of a fixed-size field and, for
// character fields, the length of each string.
func (c *TableColumn) perRow() (n, strLen int64) {
	switch {
	case c.VarLen:
		return 0, 0
	case c.Type == 'A':
		if len(c.Dim) > 1 {
			p, _ := dimProduct(c.Dim[1:])
			return p, c.Dim[0]
		}
		if len(c.Dim) == 1 {
			return 1, c.Dim[0]
		}
		return 1, c.Width
	}
	return c.Repeat, 0
}

// elemCost is the number of bytes one decoded element takes.
func elemCost(k DataKind) int64 {
	switch k {
	case DataBool:
		return 2 // value + null flag
	case DataString:
		return 17
	case DataComplex:
		return 17
	}
	return 9
}

// checkDecodedSize bounds what decoding the given columns allocates. For
// variable-length columns the heap bounds the element count (each element
// takes at least one byte of heap, or one bit for X).
func (t *Table) checkDecodedSize(cols []int) error {
	h := t.hdu
	limit := h.f.opt.MaxBytes
	total := h.DataSize
	nrows := t.Rows
	if t.RowLen > 0 {
		nrows = min(nrows, h.Available/t.RowLen)
	}
	for _, i := range cols {
		c := &t.Columns[i]
		var elems int64
		if c.VarLen {
			// Descriptors may point many times at the same heap bytes; the
			// per-cell check in decodeVar enforces the real total.
			elems = nrows
		} else if t.Type == TypeTable {
			elems = nrows
		} else {
			n, _ := c.perRow()
			var ok bool
			if elems, ok = mulCheck(nrows, n); !ok {
				return fmt.Errorf("fits: HDU %d: column %d (%s): cell count overflows", h.Index, i+1, c.Name)
			}
		}
		// Every row costs at least a byte (null flags, offsets, the loop itself),
		// even for zero-width fields.
		elems = max(elems, nrows)
		cost, ok := mulCheck(elems, elemCost(c.Kind()))
		if !ok || cost > limit-total {
			return fmt.Errorf("fits: HDU %d: decoding column %d (%s) needs more than the %d-byte limit", h.Index, i+1, c.Name, limit)
		}
		total += cost
	}
	return nil
}

// newData allocates the value slice of d for n elements.
func newData(k DataKind, rows int, n int64) *ColumnData {
	d := &ColumnData{Kind: k, Rows: rows}
	switch k {
	case DataFloat:
		d.Float = make([]float64, n)
	case DataComplex:
		d.Float = make([]float64, 2*n)
	case DataInt:
		d.Int = make([]int64, n)
	case DataUint:
		d.Uint = make([]uint64, n)
	case DataBool:
		d.Bool = make([]bool, n)
	case DataString:
		d.Str = make([]string, n)
	}
	return d
}

func (d *ColumnData) setNullRow(r int) {
	if d.NullRows == nil {
		d.NullRows = make([]bool, d.Rows)
	}
	d.NullRows[r] = true
}

func (d *ColumnData) setNull(j int) {
	if d.Null == nil {
		d.Null = make([]bool, d.Len())
	}
	d.Null[j] = true
	switch d.Kind {
	case DataFloat:
		d.Float[j] = math.NaN()
	case DataComplex:
		d.Float[2*j], d.Float[2*j+1] = math.NaN(), math.NaN()
	}
}

// rowsPresent is how many rows the data bytes hold completely.
func (t *Table) rowsPresent(data []byte) int64 {
	if t.RowLen == 0 {
		return t.Rows
	}
	return min(t.Rows, int64(len(data))/t.RowLen)
}

func (t *Table) decodeColumn(c *TableColumn, data []byte) (*ColumnData, error) {
	if t.Type == TypeTable {
		return t.decodeASCII(c, data), nil
	}
	if c.VarLen {
		return t.decodeVar(c, data)
	}
	per, strLen := c.perRow()
	have := t.rowsPresent(data)
	rows := int(have)
	d := newData(c.Kind(), rows, have*per)
	d.PerRow = int(per)
	for r := int64(0); r < have; r++ {
		cell := data[r*t.RowLen+c.Offset : r*t.RowLen+c.Offset+c.Width]
		if c.Type == 'A' {
			for k := int64(0); k < per; k++ {
				d.Str[r*per+k] = fitsString(cell[k*strLen : (k+1)*strLen])
			}
			continue
		}
		decodeElems(d, c, cell, int(per), int(r*per))
	}
	return d, nil
}

// fitsString returns a character field: up to the first NUL, trailing blanks
// removed.
func fitsString(b []byte) string {
	for i, ch := range b {
		if ch == 0 {
			b = b[:i]
			break
		}
	}
	end := len(b)
	for end > 0 && b[end-1] == ' ' {
		end--
	}
	return string(b[:end])
}

// decodeElems decodes n elements of type c.Type from b into d at index at.
func decodeElems(d *ColumnData, c *TableColumn, b []byte, n, at int) {
	be := binary.BigEndian
	switch c.Type {
	case 'L':
		for k := 0; k < n; k++ {
			switch b[k] {
			case 'T':
				d.Bool[at+k] = true
			case 0:
				d.setNull(at + k)
			}
		}
	case 'X':
		for k := 0; k < n; k++ {
			d.Bool[at+k] = b[k>>3]&(0x80>>(k&7)) != 0
		}
	case 'B':
		for k := 0; k < n; k++ {
			putInt(d, c, at+k, int64(b[k]))
		}
	case 'I':
		for k := 0; k < n; k++ {
			putInt(d, c, at+k, int64(int16(be.Uint16(b[2*k:]))))
		}
	case 'J':
		for k := 0; k < n; k++ {
			putInt(d, c, at+k, int64(int32(be.Uint32(b[4*k:]))))
		}
	case 'K':
		for k := 0; k < n; k++ {
			putInt(d, c, at+k, int64(be.Uint64(b[8*k:])))
		}
	case 'E':
		if !c.scaled() {
			for k := 0; k < n; k++ {
				d.Float[at+k] = float64(math.Float32frombits(be.Uint32(b[4*k:])))
			}
			return
		}
		for k := 0; k < n; k++ {
			d.Float[at+k] = scale(float64(math.Float32frombits(be.Uint32(b[4*k:]))), c.Scale, c.Zero)
		}
	case 'D':
		if !c.scaled() {
			for k := 0; k < n; k++ {
				d.Float[at+k] = math.Float64frombits(be.Uint64(b[8*k:]))
			}
			return
		}
		for k := 0; k < n; k++ {
			d.Float[at+k] = scale(math.Float64frombits(be.Uint64(b[8*k:])), c.Scale, c.Zero)
		}
	case 'C':
		for k := 0; k < 2*n; k++ {
			d.Float[2*at+k] = float64(math.Float32frombits(be.Uint32(b[4*k:])))
		}
	case 'M':
		for k := 0; k < 2*n; k++ {
			d.Float[2*at+k] = math.Float64frombits(be.Uint64(b[8*k:]))
		}
	}
}

// scale returns zero + scale*v as two rounded operations (no fused multiply-add).
func scale(v, s, z float64) float64 {
	return float64(v*s) + z
}

// putInt stores one raw integer: TNULL check on the raw value, then the
// integer offset conventions or TSCAL/TZERO.
func putInt(d *ColumnData, c *TableColumn, j int, raw int64) {
	if c.HasNull && raw == c.NullInt {
		d.setNull(j)
		return
	}
	switch d.Kind {
	case DataInt:
		if c.HasZero {
			raw += int64(c.Zero) // -128, 32768 or 2^31: exact in int64
		}
		d.Int[j] = raw
	case DataUint:
		d.Uint[j] = uint64(raw) ^ (1 << 63)
	case DataFloat:
		d.Float[j] = scale(float64(raw), c.Scale, c.Zero)
	}
}

// decodeVar decodes a P/Q variable-length array column from the heap.
func (t *Table) decodeVar(c *TableColumn, data []byte) (*ColumnData, error) {
	h := t.hdu
	have := t.rowsPresent(data)
	rows := int(have)
	counts := make([]int64, rows)
	offs := make([]int64, rows)
	nchars := make([]int64, rows)
	bad := make([]bool, rows)
	heapEnd := min(int64(len(data)), t.HeapOffset+t.HeapSize)
	esize := binElemSize(c.Type)
	var total int64
	limit := h.f.opt.MaxBytes / elemCost(c.Kind())
	nBad := 0
	for r := int64(0); r < int64(rows); r++ {
		if c.Width == 0 {
			// No descriptor (repeat 0): every cell is empty, and a string
			// column still has its one (empty) string per cell.
			if c.Type == 'A' {
				counts[r] = 1
				total++
			}
			continue
		}
		cell := data[r*t.RowLen+c.Offset:]
		var n, off int64
		if c.Desc64 {
			n, off = int64(binary.BigEndian.Uint64(cell)), int64(binary.BigEndian.Uint64(cell[8:]))
		} else {
			n, off = int64(int32(binary.BigEndian.Uint32(cell))), int64(int32(binary.BigEndian.Uint32(cell[4:])))
		}
		var nbytes int64
		ok := n >= 0 && off >= 0
		if ok {
			if c.Type == 'X' {
				nbytes = n / 8
				if n%8 != 0 {
					nbytes++
				}
			} else {
				nbytes, ok = mulCheck(n, esize)
			}
		}
		if !ok || off > t.HeapSize-nbytes || t.HeapOffset+off+nbytes > heapEnd {
			bad[r] = true
			nBad++
			if nBad <= 3 {
				t.warnf("column %s row %d: descriptor (%d elements at heap byte %d) outside the %d-byte heap; cell is null", c.Name, r+1, n, off, t.HeapSize)
			}
			continue
		}
		if c.Type == 'A' {
			nchars[r] = n
			n = 1 // one string per cell
		}
		counts[r], offs[r] = n, off
		total += n
		if total > limit {
			return nil, fmt.Errorf("fits: HDU %d: column %d (%s): variable-length cells hold more than the %d-byte limit", h.Index, t.colIndex(c)+1, c.Name, h.f.opt.MaxBytes)
		}
	}
	d := newData(c.Kind(), rows, total)
	d.Offsets = make([]int, rows+1)
	at := 0
	for r := 0; r < rows; r++ {
		d.Offsets[r] = at
		if bad[r] {
			// A bad or missing cell is an empty array flagged in NullRows.
			d.setNullRow(r)
			continue
		}
		n := int(counts[r])
		switch {
		case c.Type == 'A':
			if nchars[r] > 0 {
				d.Str[at] = fitsString(data[t.HeapOffset+offs[r]:][:nchars[r]])
			}
		case n > 0:
			decodeElems(d, c, data[t.HeapOffset+offs[r]:], n, at)
		}
		at += n
	}
	d.Offsets[rows] = at
	if nBad > 3 {
		t.warnf("column %s: %d bad descriptors in all", c.Name, nBad)
	}
	return d, nil
}

func (t *Table) colIndex(c *TableColumn) int {
	for i := range t.Columns {
		if &t.Columns[i] == c {
			return i
		}
	}
	return -1
}

// decodeASCII decodes one ASCII-table field.
func (t *Table) decodeASCII(c *TableColumn, data []byte) *ColumnData {
	have := t.rowsPresent(data)
	rows := int(have)
	d := newData(c.Kind(), rows, have)
	d.PerRow = 1
	null := strings.TrimSpace(c.Null)
	nBad := 0
	for r := 0; r < rows; r++ {
		field := data[int64(r)*t.RowLen+c.Offset : int64(r)*t.RowLen+c.Offset+c.Width]
		if c.Type == 'A' {
			// astropy keeps ASCII character fields as stored (no stripping).
			s := string(field)
			if c.HasNull && strings.TrimSpace(s) == null {
				d.setNull(r)
				continue
			}
			d.Str[r] = s
			continue
		}
		s := strings.TrimSpace(string(field))
		if s == "" || (c.HasNull && s == null) {
			d.setNull(r)
			continue
		}
		if c.Type == 'I' {
			v, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
			if err != nil {
				nBad++
				if nBad <= 3 {
					t.warnf("column %s row %d: %q is not an integer (I%d); null", c.Name, r+1, s, c.Width)
				}
				d.setNull(r)
				continue
			}
			switch d.Kind {
			case DataInt:
				if c.HasZero {
					v += int64(c.Zero)
				}
				d.Int[r] = v
			default:
				d.Float[r] = scale(float64(v), c.Scale, c.Zero)
			}
			continue
		}
		v, err := parseFortranReal(s, c.Decimals)
		if err != nil {
			nBad++
			if nBad <= 3 {
				t.warnf("column %s row %d: %q is not a number (%s); null", c.Name, r+1, s, c.Form)
			}
			d.setNull(r)
			continue
		}
		if c.scaled() {
			v = scale(v, c.Scale, c.Zero)
		}
		d.Float[r] = v
	}
	if nBad > 3 {
		t.warnf("column %s: %d unparsable fields in all", c.Name, nBad)
	}
	return d
}

// parseFortranReal parses a Fortran F/E/D input field: D exponents, an
// exponent written as a bare sign ("1.5-03"), and the implied decimal point of
// Fw.d when the field has none (the last d digits are the fraction).
func parseFortranReal(s string, decimals int) (float64, error) {
	if len(s) > 400 {
		return 0, fmt.Errorf("field too long")
	}
	b := []byte(s)
	for i, ch := range b {
		switch ch {
		case 'D', 'd', 'e', 'Q', 'q':
			b[i] = 'E'
		case ' ':
			return 0, fmt.Errorf("embedded blank")
		}
	}
	mant, exp := b, []byte(nil)
	if i := strings.IndexByte(string(b), 'E'); i >= 0 {
		mant, exp = b[:i], b[i+1:]
	} else {
		for i := 1; i < len(b); i++ {
			if (b[i] == '+' || b[i] == '-') && b[i-1] >= '0' && b[i-1] <= '9' {
				mant, exp = b[:i], b[i:]
				break
			}
		}
	}
	m := string(mant)
	if decimals > 0 && !strings.Contains(m, ".") {
		sign := ""
		if m != "" && (m[0] == '+' || m[0] == '-') {
			sign, m = m[:1], m[1:]
		}
		for len(m) < decimals {
			m = "0" + m
		}
		m = sign + m[:len(m)-decimals] + "." + m[len(m)-decimals:]
	}
	for i := 0; i < len(m); i++ {
		ch := m[i]
		if !(ch >= '0' && ch <= '9' || ch == '.' || (i == 0 && (ch == '+' || ch == '-'))) {
			return 0, fmt.Errorf("bad character %q", ch)
		}
	}
	num := m
	if exp != nil {
		num += "E" + string(exp)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return v, nil
		}
		return 0, err
	}
	return v, nil
}
