package fits

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"testing"
)

// hdrBlock formats cards (already "KEY     = value" text) into header blocks.
func hdrBlock(cs ...string) []byte {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%-80s", c)
	}
	fmt.Fprintf(&b, "%-80s", "END")
	for b.Len()%BlockSize != 0 {
		b.WriteByte(' ')
	}
	return []byte(b.String())
}

func kv(k string, v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%-8s= '%s'", k, s)
	}
	return fmt.Sprintf("%-8s= %20v", k, v)
}

func padData(b []byte) []byte {
	for len(b)%BlockSize != 0 {
		b = append(b, 0)
	}
	return b
}

// tableFile builds a FITS file: empty primary + one table extension.
func tableFile(xt string, rowLen, rows int, pcount int, extra []string, data []byte) []byte {
	b := hdrBlock(kv("SIMPLE", "T")[:10]+fmt.Sprintf("%20s", "T"), kv("BITPIX", 8), kv("NAXIS", 0))
	cs := []string{kv("XTENSION", xt), kv("BITPIX", 8), kv("NAXIS", 2), kv("NAXIS1", rowLen), kv("NAXIS2", rows),
		kv("PCOUNT", pcount), kv("GCOUNT", 1)}
	cs = append(cs, extra...)
	b = append(b, hdrBlock(cs...)...)
	return append(b, padData(data)...)
}

func openBytes(t *testing.T, b []byte) *File {
	t.Helper()
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// binTableFixture is a two-row binary table with every TFORM type.
func binTableFixture() []byte {
	be := binary.BigEndian
	type col struct{ form, name string }
	cols := []col{{"L", "LOG"}, {"12X", "BITS"}, {"B", "SBYTE"}, {"I", "U16"}, {"J", "SCALED"},
		{"K", "U64"}, {"6A", "STRS"}, {"E", "FLT"}, {"D", "DBL"}, {"C", "CPX"}, {"M", "DCPX"},
		{"1PJ(3)", "VARJ"}, {"1QD(2)", "VARD"}, {"1PA(5)", "VARA"}, {"2I", "ARR"}, {"B", "UBYTE"}}
	extra := []string{kv("TFIELDS", len(cols))}
	for i, c := range cols {
		extra = append(extra, kv(fmt.Sprintf("TFORM%d", i+1), c.form), kv(fmt.Sprintf("TTYPE%d", i+1), c.name))
	}
	extra = append(extra,
		kv("TZERO3", -128), kv("TZERO4", 32768), kv("TNULL4", -32768),
		kv("TSCAL5", 0.5), kv("TZERO5", 10.25), kv("TNULL5", 7),
		kv("TZERO6", "9223372036854775808")[:10]+fmt.Sprintf("%20s", "9223372036854775808"),
		kv("TDIM7", "(3,2)"), kv("TUNIT8", "Jy"), kv("TDISP8", "F8.3"), kv("TDIM15", "(2)"), kv("TNULL15", 99))
	var heap []byte
	var rows [][]byte
	for r := 0; r < 2; r++ {
		var row []byte
		row = append(row, []byte{'T', 0}[r])
		row = append(row, []byte{0xA5, 0xF0}[r], 0x3F) // 12 bits
		row = append(row, []byte{0, 255}[r])           // signed byte -128, 127
		row = be.AppendUint16(row, []uint16{0x8000, 0}[r])
		row = be.AppendUint32(row, []uint32{3, 7}[r])
		row = be.AppendUint64(row, []uint64{0, 1 << 63}[r])
		row = append(row, []string{"abcxy ", "d\x00zz  "}[r]...)
		row = be.AppendUint32(row, math.Float32bits([]float32{1.1, float32(math.NaN())}[r]))
		row = be.AppendUint64(row, math.Float64bits([]float64{-2.5, 1e300}[r]))
		row = be.AppendUint32(row, math.Float32bits(1.5))
		row = be.AppendUint32(row, math.Float32bits(-0.5))
		row = be.AppendUint64(row, math.Float64bits(3))
		row = be.AppendUint64(row, math.Float64bits(4))
		// 1PJ: row 0 has 3 ints, row 1 has 0
		n := []int{3, 0}[r]
		row = be.AppendUint32(row, uint32(n))
		row = be.AppendUint32(row, uint32(len(heap)))
		for k := 0; k < n; k++ {
			heap = be.AppendUint32(heap, uint32(10+k))
		}
		// 1QD: row 0 has 1 double, row 1 a bad descriptor
		if r == 0 {
			row = be.AppendUint64(row, 1)
			row = be.AppendUint64(row, uint64(len(heap)))
			heap = be.AppendUint64(heap, math.Float64bits(6.25))
		} else {
			row = be.AppendUint64(row, 5)
			row = be.AppendUint64(row, 1<<40)
		}
		// 1PA
		s := []string{"hello", "hi  "}[r]
		row = be.AppendUint32(row, uint32(len(s)))
		row = be.AppendUint32(row, uint32(len(heap)))
		heap = append(heap, s...)
		row = be.AppendUint16(row, 1)
		row = be.AppendUint16(row, 99)
		row = append(row, 200)
		rows = append(rows, row)
	}
	data := append(append(append([]byte(nil), rows[0]...), rows[1]...), heap...)
	return tableFile("BINTABLE", len(rows[0]), 2, len(heap), extra, data)
}

func TestBinaryTableAllForms(t *testing.T) {
	f := openBytes(t, binTableFixture())
	tab, err := f.HDUs[1].Table()
	if err != nil {
		t.Fatal(err)
	}
	cols, err := tab.ReadColumns()
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) (*TableColumn, *ColumnData) {
		for i := range tab.Columns {
			if tab.Columns[i].Name == name {
				return &tab.Columns[i], cols[i]
			}
		}
		t.Fatalf("no column %s", name)
		return nil, nil
	}
	tests := []struct {
		col  string
		kind DataKind
		rows [2][]any // expected elements per row; nil = null
	}{
		{"LOG", DataBool, [2][]any{{true}, {nil}}},
		{"BITS", DataBool, [2][]any{
			{true, false, true, false, false, true, false, true, false, false, true, true},
			{true, true, true, true, false, false, false, false, false, false, true, true}}},
		{"SBYTE", DataInt, [2][]any{{int64(-128)}, {int64(127)}}},
		{"U16", DataInt, [2][]any{{nil}, {int64(32768)}}},
		{"SCALED", DataFloat, [2][]any{{11.75}, {nil}}},
		{"U64", DataUint, [2][]any{{uint64(1 << 63)}, {uint64(0)}}},
		{"STRS", DataString, [2][]any{{"abc", "xy"}, {"d", "z"}}},
		{"FLT", DataFloat, [2][]any{{float64(float32(1.1))}, {math.NaN()}}},
		{"DBL", DataFloat, [2][]any{{-2.5}, {1e300}}},
		{"CPX", DataComplex, [2][]any{{complex(1.5, -0.5)}, {complex(1.5, -0.5)}}},
		{"DCPX", DataComplex, [2][]any{{complex(3, 4)}, {complex(3, 4)}}},
		{"VARJ", DataInt, [2][]any{{int64(10), int64(11), int64(12)}, {}}},
		{"VARD", DataFloat, [2][]any{{6.25}, {}}},
		{"VARA", DataString, [2][]any{{"hello"}, {"hi"}}},
		{"ARR", DataInt, [2][]any{{int64(1), nil}, {int64(1), nil}}},
		{"UBYTE", DataInt, [2][]any{{int64(200)}, {int64(200)}}},
	}
	for _, tc := range tests {
		c, d := get(tc.col)
		if d.Kind != tc.kind || c.Kind() != tc.kind {
			t.Errorf("%s: kind %v/%v, want %v", tc.col, d.Kind, c.Kind(), tc.kind)
			continue
		}
		for r := 0; r < 2; r++ {
			lo, hi := d.Cell(r)
			if hi-lo != len(tc.rows[r]) {
				t.Errorf("%s row %d: %d elements, want %d", tc.col, r, hi-lo, len(tc.rows[r]))
				continue
			}
			for k, want := range tc.rows[r] {
				j := lo + k
				var got any
				if !d.IsNull(j) {
					switch d.Kind {
					case DataBool:
						got = d.Bool[j]
					case DataInt:
						got = d.Int[j]
					case DataUint:
						got = d.Uint[j]
					case DataFloat:
						got = d.Float[j]
					case DataString:
						got = d.Str[j]
					case DataComplex:
						got = complex(d.Float[2*j], d.Float[2*j+1])
					}
				}
				if w, ok := want.(float64); ok && math.IsNaN(w) {
					if g, ok := got.(float64); !ok || !math.IsNaN(g) {
						t.Errorf("%s row %d elem %d: %v, want NaN", tc.col, r, k, got)
					}
					continue
				}
				if got != want {
					t.Errorf("%s row %d elem %d: %#v, want %#v", tc.col, r, k, got, want)
				}
			}
		}
	}
	if _, d := get("VARD"); d.NullRows == nil || !d.NullRows[1] || d.NullRows[0] {
		t.Errorf("bad descriptor not flagged: %v", d.NullRows)
	}
	if len(tab.Warnings) == 0 || !strings.Contains(tab.Warnings[0], "outside the") {
		t.Errorf("warnings %v", tab.Warnings)
	}
	if c, _ := get("FLT"); c.Unit != "Jy" || c.Disp != "F8.3" {
		t.Errorf("FLT unit %q disp %q", c.Unit, c.Disp)
	}
	if c, _ := get("STRS"); len(c.Dim) != 2 || c.Dim[0] != 3 || c.Dim[1] != 2 {
		t.Errorf("STRS dim %v", c.Dim)
	}
	if c, _ := get("VARJ"); !c.VarLen || c.Desc64 || c.MaxLen != 3 || c.Type != 'J' {
		t.Errorf("VARJ %+v", c)
	}
	// One column alone gives the same cells.
	d, err := tab.ReadColumn(11)
	if err != nil || d.Offsets[1] != 3 || d.Int[2] != 12 {
		t.Errorf("ReadColumn: %v %+v", err, d)
	}
}

func TestASCIITable(t *testing.T) {
	row := func(a, b, c, d, e string) string { return fmt.Sprintf("%4s%5s %8s %3s %6s", a, b, c, d, e) }
	rows := []string{
		row("12", "1234", "1.5D+02", "abc", "-7"),
		row("-3", "-15", "2.5E-01", "", "NULL"),
		row("", "2.5", "", "xyz", "1.5-2"),
	}
	extra := []string{kv("TFIELDS", 5),
		kv("TTYPE1", "N"), kv("TFORM1", "I4"), kv("TBCOL1", 1),
		kv("TTYPE2", "F"), kv("TFORM2", "F5.2"), kv("TBCOL2", 5),
		kv("TTYPE3", "E"), kv("TFORM3", "D8.1"), kv("TBCOL3", 11),
		kv("TTYPE4", "S"), kv("TFORM4", "A3"), kv("TBCOL4", 20),
		kv("TTYPE5", "G"), kv("TFORM5", "E6.1"), kv("TBCOL5", 24), kv("TNULL5", "NULL"),
		kv("TSCAL1", 2), kv("TZERO1", 1)}
	f := openBytes(t, tableFile("TABLE", len(rows[0]), 3, 0, extra, []byte(strings.Join(rows, ""))))
	tab, err := f.HDUs[1].Table()
	if err != nil {
		t.Fatal(err)
	}
	cols, err := tab.ReadColumns()
	if err != nil {
		t.Fatal(err)
	}
	isNull := func(c, r int) bool { return cols[c].IsNull(r) }
	if cols[0].Kind != DataFloat || cols[0].Float[0] != 25 || cols[0].Float[1] != -5 || !isNull(0, 2) {
		t.Errorf("scaled I4: %+v", cols[0])
	}
	if cols[1].Float[0] != 12.34 || cols[1].Float[1] != -0.15 || cols[1].Float[2] != 2.5 {
		t.Errorf("F5.2 implied decimals: %v", cols[1].Float)
	}
	if cols[2].Float[0] != 150 || cols[2].Float[1] != 0.25 || !isNull(2, 2) {
		t.Errorf("D8.1: %v %v", cols[2].Float, cols[2].Null)
	}
	if cols[3].Str[0] != "abc" || cols[3].Str[1] != "   " || cols[3].Str[2] != "xyz" {
		t.Errorf("A3: %q", cols[3].Str)
	}
	if cols[4].Float[0] != -0.7 || !isNull(4, 1) || cols[4].Float[2] != 0.015 {
		t.Errorf("E6.1 with TNULL: %v %v", cols[4].Float, cols[4].Null)
	}
}

func TestTableErrors(t *testing.T) {
	base := func(extra ...string) []byte {
		return tableFile("BINTABLE", 8, 2, 0, append([]string{kv("TFIELDS", 1)}, extra...), make([]byte, 16))
	}
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"missing tform", base(kv("TTYPE1", "X")), "TFORM1"},
		{"bad type", base(kv("TFORM1", "8Z")), "unknown data type"},
		{"too wide", base(kv("TFORM1", "2D")), "field ends at byte 16"},
		{"bad heap", base(kv("TFORM1", "1D"), kv("THEAP", 1000)), "THEAP"},
		{"ascii tbcol", tableFile("TABLE", 8, 2, 0, []string{kv("TFIELDS", 1), kv("TFORM1", "I4"), kv("TBCOL1", 7)}, make([]byte, 16)), "TBCOL1"},
		{"ascii form", tableFile("TABLE", 8, 2, 0, []string{kv("TFIELDS", 1), kv("TFORM1", "Q4"), kv("TBCOL1", 1)}, make([]byte, 16)), "unknown ASCII"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := openBytes(t, tc.file)
			_, err := f.HDUs[1].Table()
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "HDU 1") {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	// Not a table.
	f := openBytes(t, hdrBlock(kv("SIMPLE", "T")[:10]+fmt.Sprintf("%20s", "T"), kv("BITPIX", 8), kv("NAXIS", 0)))
	if _, err := f.HDUs[0].Table(); err == nil {
		t.Error("primary HDU read as a table")
	}
}

func TestTableLimitsAndTruncation(t *testing.T) {
	b := binTableFixture()
	f, err := OpenWithOptions(bytes.NewReader(b), int64(len(b)), OpenOptions{MaxBytes: 64})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := f.HDUs[1].Table()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tab.ReadColumns(); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("cap not enforced: %v", err)
	}
	// A declared 10^9-row table in a small file: Table works, reading is refused
	// by the cap or decodes only what is there.
	huge := tableFile("BINTABLE", 8, 1000000000, 0, []string{kv("TFIELDS", 1), kv("TFORM1", "D")}, make([]byte, 24))
	f = openBytes(t, huge)
	tab, err = f.HDUs[1].Table()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tab.ReadColumn(0); err == nil {
		t.Error("no error for a 8 GB table in a small file")
	}
	// Truncated file: the rows present decode.
	full := tableFile("BINTABLE", 8, 4, 0, []string{kv("TFIELDS", 1), kv("TFORM1", "D")}, make([]byte, 32))
	cut := full[:len(full)-BlockSize+20]
	f = openBytes(t, cut)
	tab, err = f.HDUs[1].Table()
	if err != nil {
		t.Fatal(err)
	}
	d, err := tab.ReadColumn(0)
	var te *TruncatedError
	if err == nil || !asTrunc(err, &te) || d == nil || d.Rows != 2 || d.Len() != 2 || d.IsNull(1) {
		t.Errorf("truncated: %v %+v", err, d)
	}
}

func asTrunc(err error, te **TruncatedError) bool {
	e, ok := err.(*TruncatedError)
	*te = e
	return ok
}

// TestParseHeaderMalformedValue: DSS's SKEW card is kept with a warning, other
// broken input still fails.
func TestParseHeaderMalformedValue(t *testing.T) {
	skew := "SKEW    = -1.3869888376036E+00, -1.6912592180432E+00 /Measure of skew           "
	hdr := fmt.Sprintf("%-80s%-80s%-80s%-80s", "SIMPLE  =                    T", skew, "NAXIS   =                    0", "END")
	h, err := ParseHeader([]byte(hdr))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := h.Card("SKEW")
	if !ok || c.Kind != KindNone || c.Raw != skew || c.Offset != 80 {
		t.Errorf("SKEW card %+v", c)
	}
	if len(h.Warnings) != 1 || !strings.Contains(h.Warnings[0], "SKEW at byte 80") {
		t.Errorf("warnings %q", h.Warnings)
	}
	if n, ok := h.Int("NAXIS"); !ok || n != 0 {
		t.Error("cards after SKEW lost")
	}
	for _, bad := range []string{"KEY     = 'unterminated", "KEY     = 1\x00"} {
		if _, err := ParseHeader([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// The DSS file opens, with its image and table.
	f := openTableFile(t, "astropy_dss_14.29.56-62.41.05.fits.gz")
	if len(f.HDUs) != 2 || f.HDUs[1].Type() != TypeBinTable {
		t.Fatalf("DSS HDUs: %d", len(f.HDUs))
	}
	if w := f.HDUs[0].Header().Warnings; len(w) != 1 || !strings.Contains(w[0], "SKEW") {
		t.Errorf("DSS header warnings %q", w)
	}
}

func TestZeroWidthHugeTable(t *testing.T) {
	b := tableFile("BINTABLE", 0, 1000000000000, 0, []string{kv("TFIELDS", 1), kv("TFORM1", "0J")}, nil)
	f := openBytes(t, b)
	tab, err := f.HDUs[1].Table()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tab.ReadColumns(); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("10^12 zero-width rows: %v", err)
	}
}

func TestBinaryTNULLAsString(t *testing.T) {
	data := []byte{0, 0, 0, 5, 0, 0, 0, 6}
	for _, tc := range []struct {
		null     string
		nullRow0 bool
		warn     bool
	}{{"5", true, false}, {"x", false, true}} {
		f := openBytes(t, tableFile("BINTABLE", 4, 2, 0, []string{kv("TFIELDS", 1), kv("TFORM1", "J"), kv("TNULL1", tc.null)}, data))
		tab, err := f.HDUs[1].Table()
		if err != nil {
			t.Fatal(err)
		}
		d, err := tab.ReadColumn(0)
		if err != nil {
			t.Fatal(err)
		}
		if d.IsNull(0) != tc.nullRow0 || d.IsNull(1) || (len(tab.Warnings) > 0) != tc.warn {
			t.Errorf("TNULL1 = %q: nulls %v, warnings %q", tc.null, d.Null, tab.Warnings)
		}
	}
}
