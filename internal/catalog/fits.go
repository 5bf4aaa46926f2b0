package catalog

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/skyglass/skyglass/internal/fits"
)

// ReadFITS reads one table HDU of a FITS file (plain or gzip-compressed) through
// internal/fits. hdu is the HDU index (0 = primary); a negative hdu picks the
// first binary or ASCII table with rows (or else the first table).
func ReadFITS(r io.ReaderAt, size int64, hdu int) (*Table, error) {
	f, err := fits.Open(r, size)
	if err != nil {
		return nil, err
	}
	tabs := f.Tables()
	if len(tabs) == 0 {
		return nil, fmt.Errorf("no binary or ASCII table HDU in the FITS file (%d HDUs)", len(f.HDUs))
	}
	var h *fits.HDU
	if hdu >= 0 {
		if hdu >= len(f.HDUs) {
			return nil, fmt.Errorf("no HDU %d (the file has %d)", hdu, len(f.HDUs))
		}
		h = f.HDUs[hdu]
	} else {
		h = tabs[0]
		for _, c := range tabs {
			if info, err := c.TableInfo(); err == nil && info.Rows > 0 {
				h = c
				break
			}
		}
	}
	return fitsTable(f, h)
}

// readFITSAll converts every table HDU of an in-memory FITS file.
func readFITSAll(b []byte) ([]*Table, error) {
	return readFITSAllWith(b, fits.OpenOptions{})
}

// readFITSAllWith is readFITSAll with explicit limits.
func readFITSAllWith(b []byte, opt fits.OpenOptions) ([]*Table, error) {
	f, err := fits.OpenWithOptions(bytes.NewReader(b), int64(len(b)), opt)
	if err != nil {
		return nil, err
	}
	tabs := f.Tables()
	if len(tabs) == 0 {
		return nil, fmt.Errorf("no binary or ASCII table HDU in the FITS file (%d HDUs)", len(f.HDUs))
	}
	var out []*Table
	for _, h := range tabs {
		t, err := fitsTable(f, h)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// fitsStructural are keywords that describe the layout, not the table; they are
// not copied into Table.Meta.
var fitsStructural = map[string]bool{"SIMPLE": true, "XTENSION": true, "BITPIX": true, "NAXIS": true,
	"PCOUNT": true, "GCOUNT": true, "TFIELDS": true, "THEAP": true, "EXTEND": true, "END": true,
	"COMMENT": true, "HISTORY": true, "": true, "CONTINUE": true}

// fitsColumnKeys are the per-column keyword roots (TTYPEn...).
var fitsColumnKeys = []string{"TTYPE", "TFORM", "TUNIT", "TDISP", "TDIM", "TNULL", "TSCAL", "TZERO", "TBCOL", "NAXIS"}

func isFITSColumnKey(k string) bool {
	for _, p := range fitsColumnKeys {
		if strings.HasPrefix(k, p) {
			if _, err := strconv.Atoi(k[len(p):]); err == nil {
				return true
			}
		}
	}
	return false
}

// cardText is a keyword's value as text (numbers round-trip exactly).
func cardText(c fits.Card) (string, bool) {
	switch c.Kind {
	case fits.KindString:
		return c.Str, true
	case fits.KindBool:
		if c.Bool {
			return "T", true
		}
		return "F", true
	case fits.KindInt:
		return strconv.FormatInt(c.Int, 10), true
	case fits.KindFloat:
		return strconv.FormatFloat(c.Float, 'g', -1, 64), true
	case fits.KindComplex:
		return fmt.Sprintf("(%s, %s)", strconv.FormatFloat(real(c.Complex), 'g', -1, 64), strconv.FormatFloat(imag(c.Complex), 'g', -1, 64)), true
	}
	return "", false
}

// fitsTable converts one table HDU into the columnar model.
func fitsTable(f *fits.File, h *fits.HDU) (*Table, error) {
	ft, err := h.Table()
	if err != nil {
		return nil, err
	}
	data, err := ft.ReadColumns()
	var trunc *fits.TruncatedError
	if err != nil {
		if te, ok := err.(*fits.TruncatedError); ok && data != nil {
			trunc = te
		} else {
			return nil, err
		}
	}
	t := &Table{Name: ft.Name, Format: "fits", Meta: map[string]string{}}
	t.Meta["FITS_HDU"] = strconv.Itoa(h.Index)
	t.Meta["FITS_XTENSION"] = string(ft.Type)
	// Header keywords: the HDU's own, then (INHERIT = T) the primary header's.
	addMeta := func(hd *fits.Header) {
		for _, c := range hd.Cards {
			if fitsStructural[c.Key] || isFITSColumnKey(c.Key) {
				continue
			}
			if _, seen := t.Meta[c.Key]; seen {
				continue
			}
			if v, ok := cardText(c); ok {
				t.Meta[c.Key] = v
			}
		}
	}
	addMeta(h.Header())
	if inh, ok := h.Header().Bool("INHERIT"); ok && inh && h.Index > 0 {
		addMeta(f.HDUs[0].Header())
	}
	if ts, ok := fitsTimeSys(t.Meta); ok {
		t.TimeSys = append(t.TimeSys, ts)
	}
	t.Warnings = append(t.Warnings, ft.Warnings...)
	if trunc != nil {
		t.addWarning("%v", trunc)
	}
	t.Columns = make([]Column, len(ft.Columns))
	for i := range ft.Columns {
		convertFITSColumn(&t.Columns[i], &ft.Columns[i], data[i], ft.Type == fits.TypeTable)
	}
	t.nrows = int(ft.Rows)
	for _, d := range data {
		t.nrows = min(t.nrows, d.Rows) // a truncated file holds fewer rows
	}
	return t, nil
}

// fitsTimeSys summarises the FITS time keywords (TIMESYS, MJDREF/JDREF and
// their split forms, TREFPOS) as a TimeSys with ID "FITS". The keywords also stay
// in Meta, where the time-series code reads them.
func fitsTimeSys(meta map[string]string) (TimeSys, bool) {
	ts := TimeSys{ID: "FITS", TimeScale: meta["TIMESYS"], RefPosition: meta["TREFPOS"]}
	ref := func(key string) (float64, bool) {
		if s, ok := meta[key]; ok {
			v, err := strconv.ParseFloat(s, 64)
			return v, err == nil
		}
		return 0, false
	}
	split := func(i, f string) (float64, bool) {
		vi, oki := ref(i)
		vf, okf := ref(f)
		return vi + vf, oki || okf
	}
	if v, ok := ref("MJDREF"); ok {
		ts.TimeOrigin = strconv.FormatFloat(v+jdToMJD, 'f', -1, 64)
	} else if v, ok := split("MJDREFI", "MJDREFF"); ok {
		ts.TimeOrigin = strconv.FormatFloat(v+jdToMJD, 'f', -1, 64)
	} else if v, ok := ref("JDREF"); ok {
		ts.TimeOrigin = strconv.FormatFloat(v, 'f', -1, 64)
	} else if v, ok := split("JDREFI", "JDREFF"); ok {
		ts.TimeOrigin = strconv.FormatFloat(v, 'f', -1, 64)
	} else if v, ok := split("BJDREFI", "BJDREFF"); ok {
		ts.TimeOrigin = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ts, ts.TimeScale != "" || ts.TimeOrigin != ""
}

// fitsDatatype maps a FITS data type to the VOTable datatype names the catalog
// uses.
func fitsDatatype(c *fits.TableColumn, k fits.DataKind, ascii bool) string {
	if k == fits.DataFloat && (c.Type != 'E' || ascii) {
		return "double"
	}
	if ascii && k == fits.DataInt {
		return "long" // ASCII Iw, stored as int64
	}
	switch c.Type {
	case 'L':
		return "boolean"
	case 'X':
		return "bit"
	case 'B':
		if k == fits.DataInt && c.HasZero {
			return "short" // signed byte
		}
		return "unsignedByte"
	case 'I':
		if c.HasZero && k == fits.DataInt {
			return "int" // uint16
		}
		return "short"
	case 'J':
		if c.HasZero && k == fits.DataInt {
			return "long" // uint32
		}
		return "int"
	case 'K':
		if k == fits.DataUint {
			return "double" // uint64, stored as float64 (exact below 2^53)
		}
		return "long"
	case 'A':
		return "char"
	case 'E':
		return "float"
	case 'D', 'F':
		return "double"
	case 'C':
		return "floatComplex"
	case 'M':
		return "doubleComplex"
	}
	return "double"
}

// convertFITSColumn fills c from a decoded FITS column. Null cells are those the
// FITS layer flags (TNULLn, undefined logicals, blank ASCII numbers) plus, as
// astropy's Table.read masks them, NaN floats and empty binary-table strings.
func convertFITSColumn(c *Column, fc *fits.TableColumn, d *fits.ColumnData, ascii bool) {
	c.Name, c.Unit, c.Format = fc.Name, fc.Unit, fc.Form
	c.Datatype = fitsDatatype(fc, d.Kind, ascii)
	rows := d.Rows
	scalar := d.Offsets == nil && d.PerRow == 1 && len(fc.Dim) <= 1
	if d.Kind == fits.DataString && d.Offsets == nil && len(fc.Dim) <= 1 {
		scalar = true
	}
	if fc.Type == 'A' && d.Offsets != nil {
		scalar = true // variable-length character field: one string per row
	}
	if scalar && fc.Type == 'X' && fc.Repeat != 1 {
		scalar = false
	}
	nullRow := func(r int) bool { return d.NullRows != nil && d.NullRows[r] }
	if scalar {
		setNull := func(r int) {
			if c.Null == nil {
				c.Null = make([]bool, rows)
			}
			c.Null[r] = true
		}
		switch d.Kind {
		case fits.DataFloat:
			c.Kind, c.Float = KindFloat, d.Float
		case fits.DataInt:
			c.Kind, c.Int = KindInt, d.Int
		case fits.DataUint:
			c.Kind, c.Float = KindFloat, make([]float64, rows)
			for r, v := range d.Uint {
				c.Float[r] = float64(v)
			}
		case fits.DataBool:
			c.Kind, c.Bool = KindBool, d.Bool
		case fits.DataString:
			c.Kind = KindString
			if d.Offsets == nil {
				c.Str = d.Str
			} else {
				c.Str = make([]string, rows)
				for r := 0; r < rows; r++ {
					if lo, hi := d.Cell(r); hi > lo {
						c.Str[r] = d.Str[lo]
					}
				}
			}
		case fits.DataComplex:
			c.Kind = KindComplex
			c.Float, c.Imag = make([]float64, rows), make([]float64, rows)
			for r := 0; r < rows; r++ {
				c.Float[r], c.Imag[r] = d.Float[2*r], d.Float[2*r+1]
			}
		}
		for r := 0; r < rows; r++ {
			switch {
			case nullRow(r), d.Offsets == nil && d.IsNull(r):
				setNull(r)
			case c.Kind == KindFloat && math.IsNaN(c.Float[r]):
				setNull(r) // astropy masks NaN (Table.read mask_invalid)
			case c.Kind == KindString && c.Str[r] == "" && fc.Type == 'A' && !ascii:
				setNull(r) // and empty strings of binary tables
			}
		}
		return
	}
	// Array cells.
	c.Kind = KindArray
	c.VarLen = d.Offsets != nil
	if len(fc.Dim) > 0 && !c.VarLen {
		for _, n := range fc.Dim {
			c.Shape = append(c.Shape, int(n))
		}
		if fc.Type == 'A' {
			c.Shape = c.Shape[1:] // the first TDIM axis is the string length
		}
	} else if !c.VarLen {
		c.Shape = []int{d.PerRow}
	}
	c.Arraysize = arraysizeOf(c.Shape, c.VarLen)
	c.Arr = make([]ArrayCell, rows)
	for r := 0; r < rows; r++ {
		if nullRow(r) {
			if c.Null == nil {
				c.Null = make([]bool, rows)
			}
			c.Null[r] = true
		}
		lo, hi := d.Cell(r)
		var a ArrayCell
		if d.Kind == fits.DataString {
			a.S = d.Str[lo:hi:hi]
		} else {
			per := 1
			if d.Kind == fits.DataComplex {
				per = 2
			}
			a.F = make([]float64, (hi-lo)*per)
			for j := lo; j < hi; j++ {
				k := (j - lo) * per
				switch d.Kind {
				case fits.DataFloat:
					a.F[k] = d.Float[j]
				case fits.DataComplex:
					a.F[k], a.F[k+1] = d.Float[2*j], d.Float[2*j+1]
				case fits.DataInt:
					a.F[k] = float64(d.Int[j])
				case fits.DataUint:
					a.F[k] = float64(d.Uint[j])
				case fits.DataBool:
					if d.Bool[j] {
						a.F[k] = 1
					}
				}
			}
		}
		if d.Kind == fits.DataFloat {
			for j := lo; j < hi; j++ {
				if math.IsNaN(d.Float[j]) {
					if a.Null == nil {
						a.Null = make([]bool, hi-lo)
					}
					a.Null[j-lo] = true // masked, as astropy's mask_invalid does
				}
			}
		}
		if d.Null != nil {
			for j := lo; j < hi; j++ {
				if d.Null[j] {
					if a.Null == nil {
						a.Null = make([]bool, hi-lo)
					}
					a.Null[j-lo] = true
					if d.Kind == fits.DataFloat || d.Kind == fits.DataInt || d.Kind == fits.DataUint {
						a.F[j-lo] = math.NaN()
					}
				}
			}
		}
		c.Arr[r] = a
	}
}

// arraysizeOf writes a VOTable-style arraysize ("5x5", "*").
func arraysizeOf(shape []int, varLen bool) string {
	if varLen {
		return "*"
	}
	parts := make([]string, len(shape))
	for i, n := range shape {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "x")
}
