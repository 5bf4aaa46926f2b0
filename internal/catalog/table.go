// Package catalog reads astronomical tables (VOTable 1.1–1.4, CSV/TSV, IPAC, CDS/VizieR
// fixed-width) into a typed, columnar store; it finds position and time columns, groups
// long-format time series into objects and computes Lomb-Scargle periodograms.
//
// Cells are stored per column in typed slices (float64, int64, string, bool, or array
// cells) with a separate null mask, so reading 10⁶ rows boxes no cell in an interface.
package catalog

import (
	"fmt"
	"math"
)

// Kind is the storage class of a column.
type Kind int

// Storage classes of a column's cells.
const (
	KindFloat   Kind = iota // Float: float64 (float32 sources are widened exactly)
	KindInt                 // Int: int64 (unsignedByte, short, int, long, CSV integers)
	KindString              // Str: string
	KindBool                // Bool: bool (boolean, scalar bit)
	KindComplex             // Float holds the real part, Imag the imaginary part
	KindArray               // Arr: one ArrayCell per row (fixed or variable arrays)
)

// String returns the name of the kind.
func (k Kind) String() string {
	switch k {
	case KindFloat:
		return "float"
	case KindInt:
		return "int"
	case KindString:
		return "string"
	case KindBool:
		return "bool"
	case KindComplex:
		return "complex"
	case KindArray:
		return "array"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ArrayCell is one array-valued cell. Numeric and boolean elements are in F (booleans as
// 0/1, complex elements interleaved re,im); string elements (char arrays with more than
// one dimension) are in S. Null marks null elements (nil when none is null).
type ArrayCell struct {
	F    []float64
	S    []string
	Null []bool
}

// Len returns the number of elements of the cell (complex elements count once).
func (a ArrayCell) Len() int {
	if a.S != nil {
		return len(a.S)
	}
	return len(a.F)
}

// Column is one table column: metadata and typed storage. Only the slice matching Kind
// (plus Null) is filled; all slices have one entry per row.
type Column struct {
	Name        string
	Unit        string
	UCD         string
	Datatype    string // VOTable datatype (boolean, bit, unsignedByte, short, int, long, char, unicodeChar, float, double, floatComplex, doubleComplex); inferred for text tables
	Arraysize   string // VOTable arraysize ("" for scalars, "*", "10", "2x3*", ...)
	ID          string
	Ref         string // VOTable ref attribute (e.g. a COOSYS or TIMESYS ID)
	Description string
	Format      string // source format specifier (CDS/IPAC), informative
	// Shape is the fixed part of the cell shape in VOTable order (fastest first);
	// nil for scalars. Variable arrays (arraysize ending in '*') have VarLen set.
	Shape  []int
	VarLen bool

	Kind  Kind
	Float []float64
	Imag  []float64
	Int   []int64
	Str   []string
	Bool  []bool
	Arr   []ArrayCell
	// Null is nil when no cell is null, else one flag per row.
	Null []bool
}

// Len returns the number of rows stored in the column.
func (c *Column) Len() int {
	switch c.Kind {
	case KindFloat, KindComplex:
		return len(c.Float)
	case KindInt:
		return len(c.Int)
	case KindString:
		return len(c.Str)
	case KindBool:
		return len(c.Bool)
	case KindArray:
		return len(c.Arr)
	}
	return 0
}

// IsNull reports whether row i of the column is null (masked).
func (c *Column) IsNull(i int) bool {
	return c.Null != nil && c.Null[i]
}

// NullCount returns the number of null cells.
func (c *Column) NullCount() int {
	n := 0
	for _, b := range c.Null {
		if b {
			n++
		}
	}
	return n
}

// IsNumeric reports whether the column holds scalar numbers (float or int).
func (c *Column) IsNumeric() bool { return c.Kind == KindFloat || c.Kind == KindInt }

// FloatAt returns row i as a float64: NaN when null or not a scalar number.
func (c *Column) FloatAt(i int) float64 {
	if c.IsNull(i) {
		return math.NaN()
	}
	switch c.Kind {
	case KindFloat:
		return c.Float[i]
	case KindInt:
		return float64(c.Int[i])
	case KindBool:
		if c.Bool[i] {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// Floats returns the column as float64 values (NaN for nulls and non-numbers).
func (c *Column) Floats() []float64 {
	n := c.Len()
	out := make([]float64, n)
	if c.Kind == KindFloat && c.Null == nil {
		copy(out, c.Float)
		return out
	}
	for i := range out {
		out[i] = c.FloatAt(i)
	}
	return out
}

// StringAt formats row i as text ("" when null).
func (c *Column) StringAt(i int) string {
	if c.IsNull(i) {
		return ""
	}
	switch c.Kind {
	case KindString:
		return c.Str[i]
	case KindFloat:
		return formatFloat(c.Float[i])
	case KindInt:
		return fmt.Sprint(c.Int[i])
	case KindBool:
		if c.Bool[i] {
			return "true"
		}
		return "false"
	case KindComplex:
		return formatFloat(c.Float[i]) + " " + formatFloat(c.Imag[i])
	case KindArray:
		a := c.Arr[i]
		if a.S != nil {
			return fmt.Sprint(a.S)
		}
		return fmt.Sprint(a.F)
	}
	return ""
}

// Stats are summary statistics over the non-null finite values of a numeric column.
type Stats struct {
	N              int
	Min, Max, Mean float64
}

// Stats computes N, Min, Max and Mean over the non-null finite values of a scalar numeric
// column. The mean is an exactly rounded sum (Neumaier compensation) divided by N.
func (c *Column) Stats() Stats {
	var s Stats
	var sum, comp float64
	s.Min, s.Max = math.Inf(1), math.Inf(-1)
	n := c.Len()
	for i := 0; i < n; i++ {
		if c.IsNull(i) {
			continue
		}
		var v float64
		switch c.Kind {
		case KindFloat:
			v = c.Float[i]
		case KindInt:
			v = float64(c.Int[i])
		default:
			return Stats{}
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		s.N++
		if v < s.Min {
			s.Min = v
		}
		if v > s.Max {
			s.Max = v
		}
		t := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			comp += (sum - t) + v
		} else {
			comp += (v - t) + sum
		}
		sum = t
	}
	if s.N == 0 {
		return Stats{}
	}
	s.Mean = (sum + comp) / float64(s.N)
	return s
}

// Param is a table or resource parameter (VOTable PARAM), or a keyword of a text table.
type Param struct {
	Name, Unit, UCD, Datatype, Arraysize, ID, Ref, Description string
	// Value is the raw value text; Values the numeric values (when numeric) and Strings
	// the string values (char arrays with more than one dimension are split).
	Value   string
	Values  []float64
	Strings []string
}

// TimeSys is a VOTable 1.4 TIMESYS element (or the equivalent FITS keywords).
type TimeSys struct {
	ID          string
	TimeOrigin  string // as written: a JD number, "MJD-origin", "JD-origin" or ""
	TimeScale   string // TT, TDB, TCB, UTC, ...
	RefPosition string
}

// CooSys is a VOTable COOSYS element.
type CooSys struct {
	ID, System, Equinox, Epoch string
}

// Table is a table read from a file: columns, parameters and metadata.
type Table struct {
	Name        string
	ID          string
	Description string
	Format      string // "votable", "csv", "tsv", "ipac", "cds"
	// Serialization is the VOTable DATA encoding: TABLEDATA, BINARY or BINARY2 ("" if none).
	Serialization string
	Columns       []Column
	Params        []Param
	// Meta holds table-level keywords (IPAC \keywords, INFO name→value, FITS keywords).
	Meta     map[string]string
	TimeSys  []TimeSys
	CooSys   []CooSys
	Warnings []string
	nrows    int
}

// NumRows returns the number of rows.
func (t *Table) NumRows() int { return t.nrows }

// SetNumRows sets the row count after columns were filled by hand.
func (t *Table) SetNumRows(n int) { t.nrows = n }

// ColumnIndex returns the index of the column with the given name (exact match first,
// then case-insensitive), or -1.
func (t *Table) ColumnIndex(name string) int {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return i
		}
	}
	for i := range t.Columns {
		if equalFold(t.Columns[i].Name, name) {
			return i
		}
	}
	return -1
}

// Param returns the parameter with the given name, or nil.
func (t *Table) Param(name string) *Param {
	for i := range t.Params {
		if t.Params[i].Name == name {
			return &t.Params[i]
		}
	}
	return nil
}

// ColumnNames returns the names of all columns.
func (t *Table) ColumnNames() []string {
	out := make([]string, len(t.Columns))
	for i := range t.Columns {
		out[i] = t.Columns[i].Name
	}
	return out
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func (t *Table) addWarning(format string, args ...any) {
	if len(t.Warnings) < 100 {
		t.Warnings = append(t.Warnings, fmt.Sprintf(format, args...))
	}
}
